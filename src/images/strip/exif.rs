//! The one EXIF tag a copy keeps: its orientation. A phone stores a portrait photo sideways
//! with orientation 6 ("turn a quarter right"), and browsers turn it by that tag wherever it
//! is shown (`<img>`, CSS backgrounds: `image-orientation: from-image` is the default), so a
//! copy that lost it would show sideways. Everything else of the block (camera, dates, GPS,
//! the thumbnail) goes.

use image::metadata::Orientation;

/// What starts an EXIF block in a JPEG's APP1 segment (and, written by some tools, in a WebP's
/// or PNG's EXIF chunk) before the TIFF structure.
pub const JPEG_PREFIX: &[u8] = b"Exif\0\0";

/// The EXIF tag of the orientation, and TIFF's type SHORT.
const ORIENTATION: u16 = 0x0112;
const SHORT: u16 = 3;

/// The TIFF structure `tiff` (an EXIF block after its `Exif\0\0`) reduced to its orientation,
/// or `None` when it has none, an upright one, or cannot be read: then nothing is kept.
pub fn orientation_only(tiff: &[u8]) -> Option<Vec<u8>> {
    let orientation = Orientation::from_exif_chunk(tiff)?;
    (orientation != Orientation::NoTransforms).then(|| minimal(orientation))
}

/// A big-endian TIFF structure with one IFD of one entry: the orientation.
fn minimal(orientation: Orientation) -> Vec<u8> {
    let mut tiff = Vec::with_capacity(26);
    tiff.extend(b"MM\0\x2a");
    tiff.extend(8u32.to_be_bytes()); // the IFD follows the header
    tiff.extend(1u16.to_be_bytes()); // one entry
    tiff.extend(ORIENTATION.to_be_bytes());
    tiff.extend(SHORT.to_be_bytes());
    tiff.extend(1u32.to_be_bytes()); // one value, held in the entry, padded to 4 bytes
    tiff.extend(u16::from(orientation.to_exif()).to_be_bytes());
    tiff.extend([0, 0]);
    tiff.extend(0u32.to_be_bytes()); // no next IFD
    tiff
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A little-endian EXIF block (without `Exif\0\0`) with a camera make, the orientation
    /// `turn` and a GPS IFD pointer, followed by text standing for the GPS position.
    pub fn tiff_with(turn: u16) -> Vec<u8> {
        let mut t = b"II\x2a\0".to_vec();
        t.extend(8u32.to_le_bytes());
        t.extend(3u16.to_le_bytes());
        // Make: ASCII, 4 bytes, held in the entry.
        t.extend(0x010Fu16.to_le_bytes());
        t.extend(2u16.to_le_bytes());
        t.extend(4u32.to_le_bytes());
        t.extend(b"Cam\0");
        t.extend(ORIENTATION.to_le_bytes());
        t.extend(SHORT.to_le_bytes());
        t.extend(1u32.to_le_bytes());
        t.extend(turn.to_le_bytes());
        t.extend([0, 0]);
        // GPSInfo: LONG offset of the GPS IFD (here, just past this IFD).
        t.extend(0x8825u16.to_le_bytes());
        t.extend(4u16.to_le_bytes());
        t.extend(1u32.to_le_bytes());
        t.extend(50u32.to_le_bytes());
        t.extend(0u32.to_le_bytes());
        t.extend(b"GPS-SECRET 51.5074N 0.1278W");
        t
    }

    #[test]
    fn only_a_turn_is_kept_and_read_back_the_same() {
        let kept = orientation_only(&tiff_with(6)).expect("a turn is kept");
        assert_eq!(kept.len(), 26);
        assert_eq!(
            Orientation::from_exif_chunk(&kept),
            Some(Orientation::Rotate90)
        );
        assert!(!kept.windows(3).any(|w| w == b"GPS"));
        assert!(!kept.windows(3).any(|w| w == b"Cam"));
    }

    #[test]
    fn upright_missing_or_unreadable_orientations_keep_nothing() {
        assert_eq!(orientation_only(&tiff_with(1)), None);
        assert_eq!(orientation_only(&tiff_with(0)), None);
        assert_eq!(orientation_only(&tiff_with(6)[..12]), None);
        assert_eq!(orientation_only(b"garbage"), None);
        assert_eq!(orientation_only(b""), None);
    }
}
