//! Minting credentials: random AccessKeys, secrets and security tokens, registered in the
//! emulator's key store so that the OSS API accepts them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::rand::{SecureRandom as _, SystemRandom};

use super::shared::FakeShared;
use crate::keys::AccessKey;

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `n` random bytes.
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        // Never expected; fall back to a time-derived pattern rather than panic.
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (seed >> ((i % 16) * 8)) as u8 ^ (i as u8);
        }
    }
    bytes
}

/// `n` random characters of `A-Z a-z 0-9`.
pub(crate) fn random_alphanumeric(n: usize) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| ALPHANUMERIC[usize::from(b) % ALPHANUMERIC.len()] as char)
        .collect()
}

/// `n` random decimal digits.
pub(crate) fn random_digits(n: usize) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// A temporary credential (see [`temporary`]).
#[derive(Clone)]
pub(crate) struct Issued {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    pub(crate) security_token: String,
    /// Whole seconds, so it survives the `yyyy-MM-ddTHH:mm:ssZ` round trip.
    pub(crate) expiration: SystemTime,
    pub(crate) issued_at: SystemTime,
}

/// Mints a temporary credential valid for `lifetime` (or the configured override) from now,
/// and registers it. AccessKeyId `STS.` + 24 alphanumerics; the token is base64 with `+`,
/// `/` and `=` likely (as real STS tokens).
pub(crate) fn temporary(shared: &FakeShared, lifetime: Duration) -> Issued {
    let lifetime = shared.config.lifetime.unwrap_or(lifetime);
    let now = whole_seconds(shared.now());
    let issued = Issued {
        access_key_id: format!("STS.{}", random_alphanumeric(24)),
        access_key_secret: random_alphanumeric(44),
        security_token: format!(
            "CAIS{}",
            base64::engine::general_purpose::STANDARD.encode(random_bytes(181))
        ),
        expiration: now + lifetime,
        issued_at: now,
    };
    shared.keys_write().insert(AccessKey {
        id: issued.access_key_id.clone(),
        secret: issued.access_key_secret.clone(),
        security_token: Some(issued.security_token.clone()),
        expiration: Some(issued.expiration),
    });
    issued
}

/// Mints and registers a long-term AccessKey (`LTAI` + 20 alphanumerics, secret of 30),
/// returning (id, secret).
pub(crate) fn long_term(shared: &FakeShared) -> (String, String) {
    let id = format!("LTAI{}", random_alphanumeric(20));
    let secret = random_alphanumeric(30);
    shared.keys_write().insert(AccessKey {
        id: id.clone(),
        secret: secret.clone(),
        security_token: None,
        expiration: None,
    });
    (id, secret)
}

/// `t` truncated to whole seconds.
pub(crate) fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn utc(t: SystemTime) -> time::OffsetDateTime {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap_or(0))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// `yyyy-MM-ddTHH:mm:ssZ` (UTC), the credential `Expiration` format.
pub(crate) fn iso8601_seconds(t: SystemTime) -> String {
    let dt = utc(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `yyyy-MM-dd HH:mm:ss` (UTC), as KMS writes `GenerateTimestamp`.
pub(crate) fn plain_datetime(t: SystemTime) -> String {
    let dt = utc(t);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_randoms() {
        let t = UNIX_EPOCH + Duration::from_millis(1_704_067_200_500);
        assert_eq!(iso8601_seconds(t), "2024-01-01T00:00:00Z");
        assert_eq!(plain_datetime(t), "2024-01-01 00:00:00");
        assert_eq!(
            whole_seconds(t),
            UNIX_EPOCH + Duration::from_secs(1_704_067_200)
        );
        let a = random_alphanumeric(24);
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(a, random_alphanumeric(24));
        assert!(random_digits(18).bytes().all(|b| b.is_ascii_digit()));
    }
}
