//! A JPEG without its metadata, losslessly: the same compressed pixels with every segment that
//! is not needed to decode them left out.
//!
//! - [`variant`]: the widest variant of a JPEG that is already that size and upright, instead
//!   of decoding and encoding it again (slower, and a second generation of JPEG loss). ICC
//!   profiles go too, as in every variant that is encoded again, so that all widths of an
//!   image show the same colours.
//! - [`copy`]: a JPEG published as it is (a logo, a CSS background): its ICC profile stays (it
//!   is the image's colours, see [`super`]) and so does its orientation, as an EXIF block
//!   holding that one tag ([`super::exif`]), since browsers turn a JPEG by it.
//!
//! Kept: the frame, quantisation and Huffman tables, restart interval, arithmetic-coding
//! conditioning, the scans, and Adobe's APP14 (its colour transform changes how the pixels
//! decode). Left out: every other APPn (JFIF and its thumbnail, EXIF with GPS, XMP, IPTC,
//! MPF's second image), comments, and anything after the end of the image (phones append
//! videos and depth maps there).

/// What a rewrite keeps besides the pixels.
#[derive(Debug, Clone, Copy)]
struct Policy {
    /// ICC profile segments (`APP2` `ICC_PROFILE`).
    icc: bool,
    /// An EXIF orientation other than upright, as a minimal EXIF block.
    orientation: bool,
    /// Any frame (CMYK too); otherwise only 1 or 3 components.
    any_frame: bool,
}

/// The JPEG `bytes` without metadata, or `None` when they are not a JPEG this can rewrite
/// (only baseline or progressive YCbCr or grey, 1 or 3 components): then the caller encodes
/// the decoded pixels instead.
pub fn variant(bytes: &[u8]) -> Option<Vec<u8>> {
    rewrite(
        bytes,
        Policy {
            icc: false,
            orientation: false,
            any_frame: false,
        },
    )
}

/// The JPEG `bytes` published as they are, less their metadata but with their ICC profile
/// and orientation; `None` when they are not a whole JPEG (cut short, or damaged).
pub fn copy(bytes: &[u8]) -> Option<Vec<u8>> {
    rewrite(
        bytes,
        Policy {
            icc: true,
            orientation: true,
            any_frame: true,
        },
    )
}

fn rewrite(bytes: &[u8], policy: Policy) -> Option<Vec<u8>> {
    let rest = bytes.strip_prefix(&[0xFF, 0xD8])?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend([0xFF, 0xD8]);
    let mut at = 0;
    let mut components = None;
    let mut exif_seen = false;
    loop {
        let (marker, start) = next_marker(rest, at)?;
        match marker {
            0xD9 => {
                out.extend([0xFF, 0xD9]);
                // Only a scan, or a frame with 1 or 3 components, leaves an image to show.
                let shown = match components {
                    Some(_) if policy.any_frame => true,
                    Some(n) => matches!(n, 1 | 3),
                    None => false,
                };
                return shown.then_some(out);
            }
            // Restart markers stand alone, in the entropy-coded data of a scan.
            0xD0..=0xD7 => {
                out.extend([0xFF, marker]);
                at = start;
            }
            _ => {
                let length = usize::from(u16::from_be_bytes([
                    *rest.get(start)?,
                    *rest.get(start + 1)?,
                ]));
                let end = start.checked_add(length).filter(|e| *e <= rest.len())?;
                let body = rest.get(start + 2..end)?;
                if is_frame(marker) {
                    components = Some(*body.get(5)?);
                }
                if keeps(marker, body, policy) {
                    out.extend([0xFF, marker]);
                    out.extend(&rest[start..end]);
                } else if policy.orientation
                    && marker == 0xE1
                    && !exif_seen
                    && let Some(tiff) = body.strip_prefix(super::exif::JPEG_PREFIX)
                {
                    // Browsers read the first EXIF block only.
                    exif_seen = true;
                    out.extend(orientation_segment(tiff).unwrap_or_default());
                }
                at = end;
                if marker == 0xDA {
                    // The scan's entropy-coded data runs to the next marker.
                    let data_end = scan_end(rest, at);
                    out.extend(&rest[at..data_end]);
                    at = data_end;
                }
            }
        }
    }
}

/// The APP1 segment of an EXIF block holding only the orientation of `tiff`, when that is not
/// upright.
fn orientation_segment(tiff: &[u8]) -> Option<Vec<u8>> {
    let kept = super::exif::orientation_only(tiff)?;
    let length = u16::try_from(super::exif::JPEG_PREFIX.len() + kept.len() + 2).ok()?;
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(length.to_be_bytes());
    segment.extend(super::exif::JPEG_PREFIX);
    segment.extend(kept);
    Some(segment)
}

/// The marker at `at` (after any fill bytes) and where what follows it starts.
fn next_marker(bytes: &[u8], mut at: usize) -> Option<(u8, usize)> {
    if *bytes.get(at)? != 0xFF {
        return None;
    }
    while *bytes.get(at)? == 0xFF {
        at += 1;
    }
    let marker = *bytes.get(at)?;
    (marker != 0x00).then_some((marker, at + 1))
}

/// Where the entropy-coded data starting at `at` ends: at the first 0xFF that is not a
/// stuffed 0xFF00 or a restart marker (those belong to the data).
fn scan_end(bytes: &[u8], at: usize) -> usize {
    let data = bytes.get(at..).unwrap_or_default();
    memchr::memchr_iter(0xFF, data)
        .map(|i| at + i)
        .find(|&i| {
            bytes
                .get(i + 1)
                .is_some_and(|next| !matches!(next, 0x00 | 0xD0..=0xD7))
        })
        .unwrap_or(bytes.len())
}

/// SOF0 to SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range.
fn is_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Whether a segment is kept as it is: everything but APPn (save Adobe's APP14, and ICC
/// profiles when the policy keeps them) and comments.
fn keeps(marker: u8, body: &[u8], policy: Policy) -> bool {
    match marker {
        0xEE => body.starts_with(b"Adobe"),
        0xE2 => policy.icc && body.starts_with(b"ICC_PROFILE\0"),
        0xE0..=0xEF | 0xFE => false,
        _ => true,
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend(((body.len() + 2) as u16).to_be_bytes());
        s.extend(body);
        s
    }

    /// A JPEG of `w` x `h` with noise (so the scan has stuffed bytes), `progressive` or not.
    fn photo(w: u32, h: u32, progressive: bool) -> Vec<u8> {
        let mut state = 7u32;
        let pixels = image::RgbImage::from_fn(w, h, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            image::Rgb([(x * 5) as u8, (y * 3) as u8, (state % 256) as u8])
        });
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 80);
        encoder.set_progressive(progressive);
        encoder.set_restart_interval(4);
        encoder
            .encode(
                pixels.as_raw(),
                w as u16,
                h as u16,
                jpeg_encoder::ColorType::Rgb,
            )
            .unwrap();
        out
    }

    /// `jpeg` with an EXIF block, a comment and an ICC profile after its start, a comment
    /// before its end and a video after it.
    fn with_metadata(jpeg: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend(segment(0xE1, b"Exif\0\0MM\0\x2a\0\0\0\x08GPS-SECRET"));
        out.extend(segment(0xFE, b"GPS-SECRET comment"));
        out.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01GPS-SECRET"));
        out.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
        out.extend(&jpeg[2..jpeg.len() - 2]);
        out.extend(segment(0xFE, b"GPS-SECRET late comment"));
        out.extend([0xFF, 0xD9]);
        out.extend(b"ftypmp42 GPS-SECRET video");
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_goes_and_the_pixels_stay_the_same() {
        for progressive in [false, true] {
            let plain = photo(64, 48, progressive);
            let rich = with_metadata(&plain);
            let stripped = variant(&rich).expect("a JPEG it can rewrite");
            assert!(!contains(&stripped, b"GPS-SECRET"), "metadata survived");
            assert!(!contains(&stripped, b"ftyp"), "the trailing video survived");
            assert!(contains(&stripped, b"Adobe"), "the colour transform went");
            assert!(stripped.ends_with(&[0xFF, 0xD9]));
            let before = image::load_from_memory(&plain).unwrap().to_rgb8();
            let after = image::load_from_memory(&stripped).unwrap().to_rgb8();
            assert_eq!(before, after, "progressive: {progressive}");
        }
    }

    #[test]
    fn what_it_cannot_rewrite_is_left_to_the_encoder() {
        assert_eq!(variant(b"not a jpeg"), None);
        let plain = photo(16, 16, false);
        assert_eq!(variant(&plain[..plain.len() / 2]), None, "cut short");
        // A CMYK frame (4 components): browsers disagree on how to show it.
        let mut cmyk = plain.clone();
        let sof = cmyk.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        cmyk[sof + 2 + 7] = 4;
        assert_eq!(variant(&cmyk), None);
    }

    /// `jpeg` with a JFIF header, an ICC profile and an EXIF block with the orientation `turn`
    /// and a GPS position, an XMP block, and a video after its end.
    pub fn phone_photo(jpeg: &[u8], turn: u16) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        let mut exif = super::super::exif::JPEG_PREFIX.to_vec();
        exif.extend(super::super::exif::tests::tiff_with(turn));
        out.extend(segment(0xE1, &exif));
        out.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x>GPS-SECRET</x>",
        ));
        out.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01fake profile"));
        out.extend(segment(0xED, b"Photoshop 3.0\0GPS-SECRET IPTC"));
        out.extend(&jpeg[2..]);
        out.extend(b"ftypmp42 GPS-SECRET video");
        out
    }

    #[test]
    fn a_copy_keeps_its_icc_profile_and_a_turn_and_nothing_else() {
        let plain = photo(64, 48, false);
        let stripped = copy(&phone_photo(&plain, 6)).expect("a JPEG it can rewrite");
        assert!(!contains(&stripped, b"GPS-SECRET"), "metadata survived");
        assert!(!contains(&stripped, b"JFIF") && !contains(&stripped, b"Cam\0"));
        assert!(contains(&stripped, b"ICC_PROFILE\0\x01\x01fake profile"));
        use image::ImageDecoder;
        let mut decoder =
            image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&stripped)).unwrap();
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );
        let before = image::load_from_memory(&plain).unwrap().to_rgb8();
        let after = image::load_from_memory(&stripped).unwrap().to_rgb8();
        assert_eq!(before, after);
        // Upright: no EXIF block at all.
        let upright = copy(&phone_photo(&plain, 1)).unwrap();
        assert!(!contains(&upright, b"Exif"));
        // The processed variant keeps neither.
        let variant = variant(&phone_photo(&plain, 6)).unwrap();
        assert!(!contains(&variant, b"Exif") && !contains(&variant, b"ICC_PROFILE"));
    }

    #[test]
    fn a_copy_of_a_cmyk_jpeg_is_made_and_a_cut_one_refused_without_a_panic() {
        let plain = photo(16, 16, true);
        let mut cmyk = plain.clone();
        let sof = cmyk.windows(2).position(|w| w == [0xFF, 0xC2]).unwrap();
        cmyk[sof + 2 + 7] = 4;
        assert!(copy(&cmyk).is_some());
        let rich = phone_photo(&plain, 6);
        let end = rich.len() - b"ftypmp42 GPS-SECRET video".len();
        for cut in 0..end - 1 {
            assert_eq!(copy(&rich[..cut]), None, "cut at {cut}");
        }
        assert!(copy(&rich[..end]).is_some());
    }
}
