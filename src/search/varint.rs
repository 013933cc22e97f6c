//! LEB128 varints, the integers of the index's binary files (postings, filter lists) and of a
//! brief's packed terms: 7 bits a byte, low bits first, the high bit set on all but the last.
//! `search.js` reads them with the same ten lines.

/// Appends `n`.
pub fn write(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Bytes that [`write`] takes for `n`.
pub fn len(n: u32) -> usize {
    (32 - (n | 1).leading_zeros() as usize).div_ceil(7)
}

/// Reads the number at `*at` and moves past it; 0 past the end (the writer never leaves a
/// number unfinished).
pub fn read(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

/// [`read`] for bytes that may be damaged: `None` for a number cut short or too long for a u32.
pub fn read_checked(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut n = 0u32;
    for shift in [0, 7, 14, 21, 28] {
        let byte = *bytes.get(*at)?;
        *at += 1;
        let bits = u32::from(byte & 0x7f);
        if shift == 28 && bits > 0x0f {
            return None;
        }
        n |= bits << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_round_trip() {
        let mut bytes = Vec::new();
        for n in [0, 1, 127, 128, 300, 16_384, u32::MAX] {
            let before = bytes.len();
            super::write(&mut bytes, n);
            assert_eq!(super::len(n), bytes.len() - before, "length of {n}");
        }
        assert_eq!(&bytes[..4], [0, 1, 127, 0x80]);
        let mut at = 0;
        let read: Vec<u32> = (0..7).map(|_| super::read(&bytes, &mut at)).collect();
        assert_eq!(read, [0, 1, 127, 128, 300, 16_384, u32::MAX]);
        assert_eq!(at, bytes.len());
        let mut at = 0;
        let checked: Vec<Option<u32>> = (0..7)
            .map(|_| super::read_checked(&bytes, &mut at))
            .collect();
        assert!(checked.iter().zip(&read).all(|(c, r)| *c == Some(*r)));
        assert_eq!(super::read_checked(&[0x80], &mut 0), None, "cut short");
        assert_eq!(super::read_checked(&[0xff; 5], &mut 0), None, "too long");
    }
}
