//! Removing an image's metadata without touching its pixels: the file's own compressed data,
//! less every segment or chunk that does not change how it looks.
//!
//! Used for the widest variant of an upright JPEG ([`jpeg::variant`]) and for every JPEG, PNG
//! and WebP of `static/` published as it is (a logo, a favicon, a CSS background), through
//! [`copy`]. What a copy keeps besides the pixels:
//!
//! - its orientation, when it is not upright, as an EXIF block of that one tag
//!   ([`exif`]): browsers turn an image by it in `<img>` and CSS backgrounds alike, so a
//!   phone's portrait photo would otherwise show sideways;
//! - its ICC profile: it is the image's colours, not facts about its author, and a copy is one
//!   file (the reason processed variants drop it, that all widths look the same, does not
//!   apply); without it a wide-gamut (Display P3) photo or logo shows duller.
//!
//! Hand-written rather than a crate's: `img-parts`, the one crate that edits these containers
//! without decoding them, still leaves the choice of what to drop to its caller (so the
//! filters here stay), has no notion of a JPEG's trailing data or of keeping one EXIF tag, and
//! would bring a third version of `miniz_oxide` into the build. Each format is a list of
//! length-prefixed parts; the parsers only walk them, never allocate by a length they read,
//! and refuse (`None`) anything cut short.

pub mod exif;
pub mod jpeg;
pub mod png;
pub mod webp;

/// `bytes` of a JPEG, PNG or WebP (by their first bytes, whatever the file is called) without
/// their metadata, or why that cannot be done.
pub fn copy(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let (format, stripped) = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("JPEG", jpeg::copy(bytes))
    } else if bytes.starts_with(png::SIGNATURE) {
        ("PNG", png::copy(bytes))
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        ("WebP", webp::copy(bytes))
    } else {
        return Err("it is not a JPEG, PNG or WebP file, as its name says".to_string());
    };
    stripped.ok_or_else(|| format!("it is not a whole {format} file (cut short, or damaged)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_told_by_the_bytes_and_a_bad_file_is_named_as_such() {
        let png = png::tests::with_metadata(1);
        assert!(copy(&png).is_ok());
        assert_eq!(
            copy(&png[..40]).unwrap_err(),
            "it is not a whole PNG file (cut short, or damaged)"
        );
        assert_eq!(
            copy(b"GIF89a").unwrap_err(),
            "it is not a JPEG, PNG or WebP file, as its name says"
        );
        assert!(copy(&webp::tests::with_metadata(1)).is_ok());
        assert!(copy(&[0xFF, 0xD8, 0xFF]).is_err());
        assert!(copy(b"").is_err());
    }

    #[test]
    fn damaged_files_never_panic() {
        let plain = image::RgbImage::from_fn(24, 16, |x, y| image::Rgb([x as u8 * 9, y as u8, 3]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&plain)
            .unwrap();
        let samples = [
            jpeg::tests::phone_photo(&jpeg, 6),
            png::tests::with_metadata(6),
            webp::tests::with_metadata(6),
        ];
        // Every byte in turn set to values that break lengths and markers.
        for sample in &samples {
            for at in 0..sample.len() {
                for value in [0x00, 0x01, 0x7F, 0xFF] {
                    let mut damaged = sample.clone();
                    damaged[at] = value;
                    let _ = copy(&damaged);
                }
            }
        }
    }
}
