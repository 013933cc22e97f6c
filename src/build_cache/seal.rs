//! A checksum in front of a cache file's bytes. bincode reads most damaged bytes back as other
//! values rather than failing (a flipped byte in a number is another number), so a damaged
//! file would be trusted; with the checksum it is noticed and ignored.

/// `magic`, the CRC-32 of `body` (little endian), then `body`.
pub fn seal(magic: &[u8], body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(magic.len() + 4 + body.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&checksum(body).to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// The body of sealed `bytes`, if they start with `magic` and the body is the one sealed.
pub fn open<'a>(magic: &[u8], bytes: &'a [u8]) -> Option<&'a [u8]> {
    let rest = bytes.strip_prefix(magic)?;
    let (sum, body) = rest.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*sum) == checksum(body)).then_some(body)
}

pub fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_changed_byte_is_noticed() {
        let sealed = seal(b"m\n", b"the body");
        assert_eq!(open(b"m\n", &sealed), Some(&b"the body"[..]));
        for at in 0..sealed.len() {
            let mut damaged = sealed.clone();
            damaged[at] ^= 0x10;
            assert_eq!(open(b"m\n", &damaged), None, "byte {at}");
        }
        assert_eq!(open(b"m\n", &sealed[..sealed.len() - 1]), None);
        assert_eq!(open(b"m\n", b"m\n"), None);
    }
}
