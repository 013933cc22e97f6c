//! A PNG without its metadata, losslessly: the chunks that say how its pixels look, copied
//! whole (their CRCs untouched), and no other.
//!
//! Kept: the critical chunks (IHDR, PLTE, IDAT, IEND, and any other whose name starts with a
//! capital, which a decoder must understand), transparency (tRNS), colour (gAMA, cHRM, sRGB,
//! iCCP, cICP, mDCV, cLLI, sBIT), background, histogram and suggested palettes (bKGD, hIST,
//! sPLT), the pixel density (pHYs), and the frames of an APNG (acTL, fcTL, fdAT). Left out:
//! text (tEXt, zTXt, iTXt: software, author, comments, often XMP), EXIF (eXIf), the time
//! (tIME), and every chunk of an application (Apple's iDOT, Adobe's, C2PA's caBX credentials),
//! as well as anything after IEND. An eXIf with an orientation other than upright is replaced
//! by one holding only that tag ([`super::exif`]), since browsers turn a PNG by it too
//! (Chromium 156 shows a 60x40 PNG with orientation 6 as 40x60).

/// Ancillary chunks that change how the image is shown.
const KEPT: [&[u8; 4]; 14] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"mDCV", b"cLLI", b"sBIT", b"bKGD",
    b"hIST", b"sPLT", b"pHYs", b"acTL",
];
/// APNG's frame chunks (ancillary by their names, needed all the same).
const FRAMES: [&[u8; 4]; 2] = [b"fcTL", b"fdAT"];

/// The PNG signature.
pub const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The PNG `bytes` less their metadata, or `None` when they are not a whole PNG (no IHDR
/// first, a chunk running past the end, no IEND).
pub fn copy(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut rest = bytes.strip_prefix(SIGNATURE)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend(SIGNATURE);
    let mut first = true;
    loop {
        let length = usize::try_from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        // Length, type, data, CRC.
        let whole = length.checked_add(12)?;
        let chunk = rest.get(..whole)?;
        let kind: &[u8; 4] = chunk[4..8].try_into().ok()?;
        if first && kind != b"IHDR" {
            return None;
        }
        first = false;
        if keeps(kind) {
            out.extend(chunk);
        } else if kind == b"eXIf" {
            let data = &chunk[8..8 + length];
            let tiff = data.strip_prefix(super::exif::JPEG_PREFIX).unwrap_or(data);
            if let Some(kept) = super::exif::orientation_only(tiff) {
                out.extend(new_chunk(b"eXIf", &kept)?);
            }
        }
        if kind == b"IEND" {
            return Some(out);
        }
        rest = &rest[whole..];
    }
}

/// Whether a chunk is copied: critical ones (a capital first letter) and [`KEPT`] ones.
fn keeps(kind: &[u8; 4]) -> bool {
    kind[0].is_ascii_uppercase() || KEPT.contains(&kind) || FRAMES.contains(&kind)
}

/// A chunk of `kind` holding `data`, with its CRC.
fn new_chunk(kind: &[u8; 4], data: &[u8]) -> Option<Vec<u8>> {
    let mut chunk = Vec::with_capacity(data.len() + 12);
    chunk.extend(u32::try_from(data.len()).ok()?.to_be_bytes());
    chunk.extend(kind);
    chunk.extend(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(&chunk[4..]);
    chunk.extend(crc.finalize().to_be_bytes());
    Some(chunk)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A 40x30 RGBA PNG with an iCCP-free sRGB chunk, and text, time and EXIF (orientation
    /// `turn`, a GPS position) before its pixels and text after them.
    pub fn with_metadata(turn: u16) -> Vec<u8> {
        let pixels = image::RgbaImage::from_fn(40, 30, |x, y| {
            image::Rgba([(x * 6) as u8, (y * 8) as u8, 99, 200])
        });
        let mut plain = Vec::new();
        image::DynamicImage::ImageRgba8(pixels)
            .write_to(
                &mut std::io::Cursor::new(&mut plain),
                image::ImageFormat::Png,
            )
            .unwrap();
        let ihdr_end = 8 + 12 + 13;
        let mut tiff = super::super::exif::tests::tiff_with(turn);
        tiff.extend(b" more");
        let mut out = plain[..ihdr_end].to_vec();
        out.extend(new_chunk(b"sRGB", &[0]).unwrap());
        out.extend(new_chunk(b"tEXt", b"Comment\0GPS-SECRET by Jane").unwrap());
        out.extend(new_chunk(b"tIME", &[7, 234, 1, 2, 3, 4, 5]).unwrap());
        out.extend(new_chunk(b"eXIf", &tiff).unwrap());
        out.extend(new_chunk(b"zTXt", b"Raw profile\0\0GPS-SECRET").unwrap());
        let iend = plain.len() - 12;
        out.extend(&plain[ihdr_end..iend]);
        out.extend(new_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0GPS-SECRET").unwrap());
        out.extend(&plain[iend..]);
        out.extend(b"GPS-SECRET after the end");
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn chunk_names(png: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        let mut at = 8;
        while at + 8 <= png.len() {
            let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            names.push(String::from_utf8_lossy(&png[at + 4..at + 8]).into_owned());
            at += length + 12;
        }
        names
    }

    #[test]
    fn text_time_and_exif_go_and_the_pixels_stay() {
        let rich = with_metadata(1);
        let stripped = copy(&rich).expect("a whole PNG");
        assert!(!contains(&stripped, b"GPS-SECRET"), "metadata survived");
        assert_eq!(chunk_names(&stripped), ["IHDR", "sRGB", "IDAT", "IEND"]);
        // The png crate checks every CRC.
        let before = image::load_from_memory(&rich).unwrap().to_rgba8();
        let after = image::load_from_memory(&stripped).unwrap().to_rgba8();
        assert_eq!(before, after);
    }

    #[test]
    fn a_turn_stays_as_an_exif_chunk_of_one_tag() {
        let stripped = copy(&with_metadata(6)).unwrap();
        assert!(!contains(&stripped, b"GPS-SECRET"));
        assert_eq!(
            chunk_names(&stripped),
            ["IHDR", "sRGB", "eXIf", "IDAT", "IEND"]
        );
        use image::ImageDecoder;
        let mut decoder =
            image::codecs::png::PngDecoder::new(std::io::Cursor::new(&stripped)).unwrap();
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );
    }

    #[test]
    fn a_cut_or_damaged_png_is_refused_without_a_panic() {
        let rich = with_metadata(6);
        for end in (0..rich.len() - 30).step_by(7) {
            assert_eq!(copy(&rich[..end]), None, "cut at {end}");
        }
        let mut huge = rich.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(copy(&huge), None);
        let mut no_header = rich.clone();
        no_header[12..16].copy_from_slice(b"tEXt");
        assert_eq!(copy(&no_header), None);
        assert_eq!(copy(b"\x89PNG\r\n\x1a\n"), None);
    }
}
