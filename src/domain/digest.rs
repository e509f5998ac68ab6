//! SHA-256 written as lowercase hex: scenario content hashes and the records' hash chains.

use sha2::{Digest, Sha256};
use std::fmt::Write;

/// Bytes as lowercase hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 of a list of texts, each preceded by its length in bytes (a little-endian u64), so that no
/// two different lists hash alike; as hex.
pub fn sha256_parts(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_writes_two_lowercase_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn parts_are_length_prefixed() {
        // The same bytes split differently hash differently.
        assert_ne!(sha256_parts(&["ab", "c"]), sha256_parts(&["a", "bc"]));
        assert_eq!(sha256_parts(&["ab", "c"]).len(), 64);
        // Pinned: the records' hash chains depend on this exact value.
        assert_eq!(sha256_parts(&[]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
