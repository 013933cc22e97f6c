//! A WebP without its metadata, losslessly: the RIFF chunks that make up the image, copied
//! whole, the VP8X flags of what went cleared and the RIFF size made right.
//!
//! Kept: VP8X, VP8, VP8L, ALPH, ANIM, ANMF and ICCP (the image's colours, see [`super`]).
//! Left out: XMP, EXIF, unknown chunks, and anything after the RIFF. An EXIF chunk with an
//! orientation other than upright is replaced by one holding only that tag
//! ([`super::exif`]). The WebP container does not say that a reader applies it, and readers
//! differ: Chromium 156 does not (a 60x40 WebP with orientation 6 shows 60x40 in an `<img>`,
//! where the same JPEG and PNG show 40x60), `image` does. Keeping the tag leaves a WebP shown
//! as it was before its metadata went, in every reader.

/// Chunks that make up the image.
const KEPT: [&[u8; 4]; 7] = [
    b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
/// VP8X flags: an EXIF chunk, an XMP chunk.
const EXIF_FLAG: u8 = 0x08;
const XMP_FLAG: u8 = 0x04;

/// The WebP `bytes` less their metadata, or `None` when they are not a whole WebP (a RIFF
/// header that does not say WEBP, a chunk running past the end, no image chunk).
pub fn copy(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let size = usize::try_from(u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?)).ok()?;
    // The RIFF size counts from "WEBP" on; what follows it is not the image's.
    let body = bytes.get(12..size.checked_add(8)?)?;
    let mut chunks: Vec<(&[u8; 4], std::borrow::Cow<[u8]>)> = Vec::new();
    let mut exif_kept = false;
    let mut at = 0;
    while at < body.len() {
        let header = body.get(at..at.checked_add(8)?)?;
        let kind: &[u8; 4] = header[..4].try_into().ok()?;
        let length = usize::try_from(u32::from_le_bytes(header[4..8].try_into().ok()?)).ok()?;
        let data = body.get(at + 8..(at + 8).checked_add(length)?)?;
        // A chunk of odd length is followed by a padding byte (the last one may lack it).
        at = at + 8 + length + (length & 1);
        if KEPT.contains(&kind) {
            chunks.push((kind, data.into()));
        } else if kind == b"EXIF" && !exif_kept {
            let tiff = data.strip_prefix(super::exif::JPEG_PREFIX).unwrap_or(data);
            if let Some(kept) = super::exif::orientation_only(tiff) {
                chunks.push((kind, kept.into()));
                exif_kept = true;
            }
        }
    }
    if !chunks
        .iter()
        .any(|(kind, _)| matches!(*kind, b"VP8 " | b"VP8L" | b"ANMF"))
    {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend(b"RIFF\0\0\0\0WEBP");
    for (kind, data) in chunks {
        out.extend(kind);
        out.extend(u32::try_from(data.len()).ok()?.to_le_bytes());
        if kind == b"VP8X" {
            let mut data = data.into_owned();
            if let Some(flags) = data.first_mut() {
                *flags &= !XMP_FLAG;
                if !exif_kept {
                    *flags &= !EXIF_FLAG;
                }
            }
            out.extend(data);
        } else {
            out.extend(data.as_ref());
        }
        if out.len() % 2 == 1 {
            out.push(0);
        }
    }
    let riff_size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Some(out)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = kind.to_vec();
        c.extend((data.len() as u32).to_le_bytes());
        c.extend(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    /// A lossless 40x30 WebP in an extended (VP8X) container with EXIF (orientation `turn`,
    /// a GPS position) and XMP, and bytes after the RIFF.
    pub fn with_metadata(turn: u16) -> Vec<u8> {
        let pixels = image::RgbaImage::from_fn(40, 30, |x, y| {
            image::Rgba([(x * 6) as u8, (y * 8) as u8, 99, 255])
        });
        let mut simple = Vec::new();
        image::DynamicImage::ImageRgba8(pixels)
            .write_to(
                &mut std::io::Cursor::new(&mut simple),
                image::ImageFormat::WebP,
            )
            .unwrap();
        // The simple file is RIFF, WEBP and one VP8L chunk.
        let vp8l = &simple[12..];
        let mut vp8x = vec![EXIF_FLAG | XMP_FLAG, 0, 0, 0];
        vp8x.extend(&(40u32 - 1).to_le_bytes()[..3]);
        vp8x.extend(&(30u32 - 1).to_le_bytes()[..3]);
        let mut exif = super::super::exif::JPEG_PREFIX.to_vec();
        exif.extend(super::super::exif::tests::tiff_with(turn));
        exif.push(b'!'); // an odd length, padded
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &vp8x));
        body.extend(vp8l);
        body.extend(chunk(b"EXIF", &exif));
        body.extend(chunk(b"XMP ", b"<x:xmpmeta>GPS-SECRET</x:xmpmeta>"));
        body.extend(chunk(b"Junk", b"GPS-SECRET"));
        let mut out = b"RIFF".to_vec();
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out.extend(b"GPS-SECRET after the RIFF");
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn exif_and_xmp_go_their_flags_are_cleared_and_the_pixels_stay() {
        let rich = with_metadata(1);
        let stripped = copy(&rich).expect("a whole WebP");
        assert!(!contains(&stripped, b"GPS-SECRET"), "metadata survived");
        assert!(!contains(&stripped, b"EXIF") && !contains(&stripped, b"XMP "));
        assert_eq!(stripped[20] & (EXIF_FLAG | XMP_FLAG), 0, "flags left set");
        let size = u32::from_le_bytes(stripped[4..8].try_into().unwrap()) as usize;
        assert_eq!(size + 8, stripped.len());
        let before = image::load_from_memory(&rich).unwrap().to_rgba8();
        let after = image::load_from_memory(&stripped).unwrap().to_rgba8();
        assert_eq!(before, after);
    }

    #[test]
    fn a_turn_stays_as_an_exif_chunk_of_one_tag() {
        let stripped = copy(&with_metadata(6)).unwrap();
        assert!(!contains(&stripped, b"GPS-SECRET"));
        assert_eq!(stripped[20] & (EXIF_FLAG | XMP_FLAG), EXIF_FLAG);
        use image::ImageDecoder;
        let mut decoder =
            image::codecs::webp::WebPDecoder::new(std::io::Cursor::new(&stripped)).unwrap();
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );
    }

    #[test]
    fn a_cut_or_damaged_webp_is_refused_without_a_panic() {
        let rich = with_metadata(6);
        for end in (0..rich.len() - 30).step_by(5) {
            assert_eq!(copy(&rich[..end]), None, "cut at {end}");
        }
        let mut huge = rich.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(copy(&huge), None);
        assert_eq!(copy(b"RIFF\x04\0\0\0WEBP"), None, "no image chunk");
        assert_eq!(copy(b"RIFF\x04\0\0\0WAVE"), None);
    }
}
