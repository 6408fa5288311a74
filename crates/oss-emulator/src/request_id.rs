//! Request ids: 24 upper-case hex characters, unique within the process.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);
static PREFIX: OnceLock<u32> = OnceLock::new();

/// A fresh id: 8 hex digits fixed per process (from start time and pid), then a counter.
pub(crate) fn next() -> String {
    let prefix = *PREFIX.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        (nanos as u32) ^ std::process::id().rotate_left(16)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix:08X}{n:016X}")
}

/// A UUID-shaped id (`8-4-4-4-12` lower-case hex) for the `n`th thing a request names
/// (a replication or overwrite rule put without an `ID`): unique as request ids are.
pub(crate) fn uuid_shaped(request_id: &str, n: usize) -> String {
    let hex = format!("{}{:08x}", request_id.to_ascii_lowercase(), n);
    uuid_layout(&hex)
}

/// The first 32 characters of `hex` (padded with `0`) as `8-4-4-4-12`.
pub(crate) fn uuid_layout(hex: &str) -> String {
    let hex: String = hex.chars().chain(std::iter::repeat('0')).take(32).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuid_shaped_ids_differ_by_position() {
        let a = super::uuid_shaped("0A1B2C3D0000000000000001", 0);
        assert_eq!(a, "0a1b2c3d-0000-0000-0000-000100000000");
        assert_ne!(a, super::uuid_shaped("0A1B2C3D0000000000000001", 1));
    }

    #[test]
    fn ids_are_24_upper_hex_and_unique() {
        let a = super::next();
        let b = super::next();
        assert_ne!(a, b);
        for id in [a, b] {
            assert_eq!(id.len(), 24);
            assert!(
                id.bytes()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            );
        }
    }
}
