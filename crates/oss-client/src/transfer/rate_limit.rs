//! A bandwidth limit shared by transfers: a token bucket that parts draw from before they are
//! sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// A bandwidth limit in bytes per second, shared by every transfer it is given to. Parts wait
/// for their bytes before they start, so the average rate stays at or below the limit (bursts
/// of up to one second's worth are allowed).
#[derive(Debug, Clone)]
pub struct RateLimit {
    bytes_per_second: u64,
    state: Arc<Mutex<(f64, Instant)>>,
}

impl RateLimit {
    /// A limit of `bytes_per_second` (at least 1).
    pub fn new(bytes_per_second: u64) -> Self {
        let rate = bytes_per_second.max(1);
        Self {
            bytes_per_second: rate,
            state: Arc::new(Mutex::new((rate as f64, Instant::now()))),
        }
    }

    /// The limit in bytes per second.
    pub fn bytes_per_second(&self) -> u64 {
        self.bytes_per_second
    }

    /// Waits until `bytes` may be sent.
    pub async fn acquire(&self, bytes: u64) {
        let wait = self.reserve(bytes);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes `bytes` from the bucket now and returns how long to wait before they may be
    /// sent (zero when the bucket held them).
    pub(crate) fn reserve(&self, bytes: u64) -> Duration {
        {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let rate = self.bytes_per_second as f64;
            let refill = now.duration_since(state.1).as_secs_f64() * rate;
            state.0 = (state.0 + refill).min(rate) - bytes as f64;
            state.1 = now;
            if state.0 >= 0.0 {
                Duration::ZERO
            } else {
                Duration::from_secs_f64(-state.0 / rate)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paces_to_the_limit() {
        let limit = RateLimit::new(1_000_000);
        let start = Instant::now();
        // The first second's worth passes at once (burst), the next two wait a second each.
        limit.acquire(1_000_000).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        limit.acquire(1_000_000).await;
        limit.acquire(1_000_000).await;
        let elapsed = start.elapsed().as_secs_f64();
        assert!((1.99..=2.01).contains(&elapsed), "{elapsed}");
    }
}
