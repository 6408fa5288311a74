//! The offset between this machine's clock and OSS's, learned from `RequestTimeTooSkewed`
//! answers and applied to every signature and expiry decision.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest offset believed (7 days): anything larger is a broken server answer.
const MAX_OFFSET: Duration = Duration::from_secs(7 * 24 * 3600);

/// A clock offset in milliseconds (server time minus local time), shared by every request of
/// a client.
#[derive(Debug, Default)]
pub struct ClockSkew {
    offset_ms: AtomicI64,
}

impl ClockSkew {
    /// The local time corrected by the learned offset.
    pub fn apply(&self, local: SystemTime) -> SystemTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        let magnitude = Duration::from_millis(offset.unsigned_abs());
        if offset >= 0 {
            local + magnitude
        } else {
            local.checked_sub(magnitude).unwrap_or(local)
        }
    }

    /// The learned offset in milliseconds (server minus local).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Learns the offset from a server time, measured against the raw local clock (never
    /// added to a previous offset). Implausible times (before 2020, or more than 7 days away)
    /// are ignored; returns whether the offset was taken.
    pub fn learn(&self, server_time: SystemTime, local: SystemTime) -> bool {
        if !plausible(server_time) {
            return false;
        }
        let offset = match server_time.duration_since(local) {
            Ok(ahead) => ahead,
            Err(behind) => behind.duration(),
        };
        if offset > MAX_OFFSET {
            return false;
        }
        let millis = i64::try_from(offset.as_millis()).unwrap_or(i64::MAX);
        let signed = if server_time >= local {
            millis
        } else {
            -millis
        };
        self.offset_ms.store(signed, Ordering::Relaxed);
        true
    }
}

/// A server time is plausible from 2020 on.
fn plausible(time: SystemTime) -> bool {
    time > UNIX_EPOCH + Duration::from_secs(1_577_836_800)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn learns_against_the_raw_clock_and_ignores_nonsense() {
        let skew = ClockSkew::default();
        let local = at(1_722_512_400); // 2024-08-01T11:40:00Z
        assert!(skew.learn(at(1_722_513_600), local)); // server 20 min ahead
        assert_eq!(skew.offset_ms(), 1_200_000);
        assert_eq!(skew.apply(local), at(1_722_513_600));
        // Learning again does not accumulate.
        assert!(skew.learn(at(1_722_513_600), local));
        assert_eq!(skew.offset_ms(), 1_200_000);
        // A 1970 Date header (B18) and a year-away time are ignored.
        assert!(!skew.learn(at(46_357), local));
        assert!(!skew.learn(at(1_722_513_600 + 400 * 86_400), local));
        assert_eq!(skew.offset_ms(), 1_200_000);
        assert!(skew.learn(at(1_722_512_400 - 60), local));
        assert_eq!(skew.offset_ms(), -60_000);
    }
}
