//! SHA-256 and HMAC-SHA256 for V4 signing, from RustCrypto's `sha2` and `hmac` crates.
//!
//! For the short texts a V4 signature hashes (a canonical request of a few hundred bytes, a
//! string to sign of about 140), they took about a third less time than ring's `digest` and
//! `hmac` with the same SHA extensions when measured (`docs/benchmarks.md`, "Session 7").

use hmac::{Hmac, Mac as _};
use sha2::{Digest as _, Sha256};

/// The SHA-256 digest of `data`: 32 bytes.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// The 32-byte HMAC-SHA256 of `message` under `key` (a key of any length).
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    Hmac::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// An HMAC-SHA256 key whose inner and outer hash states are computed once, so that each
/// signature under it hashes only its message.
#[derive(Clone)]
pub(crate) struct HmacSha256Key(Hmac<Sha256>);

impl HmacSha256Key {
    /// A key of any length (HMAC hashes keys longer than a block).
    pub(crate) fn new(key: &[u8]) -> Self {
        Self(new_mac(key))
    }

    /// The 32-byte HMAC-SHA256 of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_of_abc_is_the_fips_180_answer() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231_case_2() {
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let message = b"what do ya want for nothing?";
        assert_eq!(hex(&hmac_sha256(b"Jefe", message)), expected);
        assert_eq!(hex(&HmacSha256Key::new(b"Jefe").sign(message)), expected);
    }

    #[test]
    fn hmac_sha256_hashes_a_key_longer_than_a_block_as_rfc_4231_case_6() {
        let key = [0xaa_u8; 131];
        let message = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
        assert_eq!(hex(&hmac_sha256(&key, message)), expected);
        assert_eq!(hex(&HmacSha256Key::new(&key).sign(message)), expected);
    }
}
