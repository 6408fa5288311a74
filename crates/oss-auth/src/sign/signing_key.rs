//! The V4 signing key: an HMAC-SHA256 chain over date, region and product, cached per day.

use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use super::sha256::{HmacSha256Key, hmac_sha256};

/// How many (secret, date, region, product) keys one cache keeps.
const CAPACITY: usize = 4;

/// Derives the V4 signing key:
/// `HMAC(HMAC(HMAC(HMAC("aliyun_v4" + secret, date), region), product), "aliyun_v4_request")`.
pub fn derive_signing_key(secret: &str, date: &str, region: &str, product: &str) -> [u8; 32] {
    let mut seed = Zeroizing::new(Vec::with_capacity(9 + secret.len()));
    seed.extend_from_slice(b"aliyun_v4");
    seed.extend_from_slice(secret.as_bytes());
    let k1 = Zeroizing::new(hmac_sha256(&seed, date.as_bytes()));
    let k2 = Zeroizing::new(hmac_sha256(k1.as_ref(), region.as_bytes()));
    let k3 = Zeroizing::new(hmac_sha256(k2.as_ref(), product.as_bytes()));
    hmac_sha256(k3.as_ref(), b"aliyun_v4_request")
}

/// A derived V4 signing key, raw and ready for HMAC, with the scope it signs for
/// (`<date>/<region>/<product>/aliyun_v4_request`).
pub(crate) struct SigningKey {
    pub(crate) raw: Zeroizing<[u8; 32]>,
    pub(crate) hmac: HmacSha256Key,
    pub(crate) scope: String,
}

struct Entry {
    secret: Zeroizing<String>,
    date: String,
    region: String,
    product: String,
    key: Arc<SigningKey>,
}

/// A small cache of V4 signing keys keyed by (secret, date, region, product), so that a key is
/// derived once a day per credential instead of on every request. Thread-safe.
#[derive(Default)]
pub struct SigningKeyCache {
    entries: Mutex<Vec<Entry>>,
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The lower-case hex V4 signature of `string_to_sign` under the signing key of (secret,
    /// date `YYYYMMDD`, region, product), the key derived once and cached. For verifiers.
    pub fn sign_v4(
        &self,
        secret: &str,
        date: &str,
        region: &str,
        product: &str,
        string_to_sign: &str,
    ) -> String {
        let key = self.get(secret, date, region, product);
        super::v4::signature(&key.hmac, string_to_sign)
    }

    /// The signing key, derived or taken from the cache.
    pub(crate) fn get(
        &self,
        secret: &str,
        date: &str,
        region: &str,
        product: &str,
    ) -> Arc<SigningKey> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = entries.iter().find(|e| {
            e.date == date && e.region == region && e.product == product && *e.secret == secret
        }) {
            return Arc::clone(&e.key);
        }
        let raw = Zeroizing::new(derive_signing_key(secret, date, region, product));
        let key = Arc::new(SigningKey {
            hmac: HmacSha256Key::new(raw.as_ref()),
            raw,
            scope: super::v4::scope(date, region, product),
        });
        if entries.len() >= CAPACITY {
            entries.remove(0);
        }
        entries.push(Entry {
            secret: Zeroizing::new(secret.to_owned()),
            date: date.to_owned(),
            region: region.to_owned(),
            product: product.to_owned(),
            key: Arc::clone(&key),
        });
        key
    }
}
