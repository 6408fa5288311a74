//! The one refresh cache every expiring provider sits behind.
//!
//! * Credentials are refreshed ahead of expiry. The margin scales with the credential's
//!   lifetime: `min(15 min, 25 % of lifetime)` before expiry callers wait for a refresh, and from
//!   `min(30 min, 50 % of lifetime)` before expiry one background refresh is started while callers
//!   keep the cached value. A 900 s STS session therefore refreshes after about 11 minutes, not
//!   on every call. Each margin gets up to 10 % random jitter so fleets do not refresh in step.
//! * One fetch is in flight at a time; concurrent callers wait for it and share its result.
//! * A failed refresh never replaces credentials that are still valid: they keep being served,
//!   and the next attempt waits for a jittered, growing backoff (1 s doubling to 60 s).
//! * Every fetch is bounded by a load timeout (5 s by default), so a stuck endpoint cannot stall
//!   requests forever.
//! * Time comes from an injectable [`Clock`](crate::clock::Clock), so every threshold is tested
//!   without sleeping.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::clock::{SharedClock, system_clock};
use crate::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials};

/// The thresholds of a [`CachedProvider`].
#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Upper bound of the blocking refresh margin before expiry (default 15 min).
    pub refresh_margin: Duration,
    /// Fraction of the lifetime used as blocking margin when smaller (default 0.25).
    pub refresh_fraction: f64,
    /// Upper bound of the background (prefetch) margin before expiry (default 30 min).
    pub prefetch_margin: Duration,
    /// Fraction of the lifetime used as prefetch margin when smaller (default 0.5).
    pub prefetch_fraction: f64,
    /// Random extra margin, as a fraction of each margin (default 0.1).
    pub jitter: f64,
    /// Longest time one fetch may take (default 5 s).
    pub load_timeout: Duration,
    /// First wait after a failed refresh (default 1 s), doubled per consecutive failure.
    pub backoff_initial: Duration,
    /// Longest wait after failed refreshes (default 60 s).
    pub backoff_max: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            refresh_margin: Duration::from_secs(15 * 60),
            refresh_fraction: 0.25,
            prefetch_margin: Duration::from_secs(30 * 60),
            prefetch_fraction: 0.5,
            jitter: 0.1,
            load_timeout: Duration::from_secs(5),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
        }
    }
}

struct Cached {
    credentials: Credentials,
    refresh_at: SystemTime,
    prefetch_at: SystemTime,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// Incremented by every completed fetch, successful or not.
    generation: u64,
    /// The error of the last failed fetch (cleared by a success), shared with callers that
    /// waited for that fetch or arrive during the backoff that follows it.
    last_error: Option<(CredentialsErrorKind, String)>,
    retry_after: Option<SystemTime>,
    failures: u32,
    prefetching: bool,
}

struct Shared<P> {
    inner: P,
    clock: SharedClock,
    config: CacheConfig,
    name: String,
    state: Mutex<State>,
    gate: tokio::sync::Mutex<()>,
}

/// Caches the credentials of an expiring provider and refreshes them ahead of expiry; see the
/// module documentation for the rules. Cheap to clone; clones share one cache.
pub struct CachedProvider<P> {
    shared: Arc<Shared<P>>,
}

impl<P> Clone for CachedProvider<P> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for CachedProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider")
            .field("inner", &self.shared.inner)
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl<P: ProvideCredentials + 'static> CachedProvider<P> {
    /// Caches `inner` with the default thresholds and the system clock. `name` appears in
    /// errors and traces.
    pub fn new(name: impl Into<String>, inner: P) -> Self {
        Self::with_config(name, inner, CacheConfig::default(), system_clock())
    }

    /// Caches `inner` with explicit thresholds and clock.
    pub fn with_config(
        name: impl Into<String>,
        inner: P,
        config: CacheConfig,
        clock: SharedClock,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                inner,
                clock,
                config,
                name: name.into(),
                state: Mutex::new(State::default()),
                gate: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The wrapped provider.
    pub fn inner(&self) -> &P {
        &self.shared.inner
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let shared = &self.shared;
        let now = shared.clock.now();
        let seen_generation = {
            let mut state = shared.lock_state();
            if let Some(cached) = state.cached.as_ref().filter(|c| now < c.refresh_at) {
                let credentials = cached.credentials.clone();
                let prefetch = now >= cached.prefetch_at
                    && !state.prefetching
                    && state.retry_after.is_none_or(|t| now >= t);
                if prefetch && tokio::runtime::Handle::try_current().is_ok() {
                    state.prefetching = true;
                    let this = self.clone();
                    tokio::spawn(async move { this.prefetch().await });
                }
                return Ok(credentials);
            }
            state.generation
        };
        let _gate = shared.gate.lock().await;
        let now = shared.clock.now();
        {
            let state = shared.lock_state();
            if let Some(cached) = state.cached.as_ref().filter(|c| now < c.refresh_at) {
                return Ok(cached.credentials.clone());
            }
            let still_valid = state
                .cached
                .as_ref()
                .filter(|c| !c.credentials.is_expired_at(now))
                .map(|c| c.credentials.clone());
            let attempted_meanwhile = state.generation != seen_generation;
            let backing_off = state.retry_after.is_some_and(|t| now < t);
            if attempted_meanwhile || backing_off {
                if let Some(credentials) = still_valid {
                    return Ok(credentials);
                }
                if let Some((kind, message)) = &state.last_error {
                    return Err(shared.error_copy(*kind, message));
                }
            }
        }
        shared.fetch().await
    }

    async fn prefetch(self) {
        let shared = &self.shared;
        let Ok(_gate) = shared.gate.try_lock() else {
            shared.lock_state().prefetching = false;
            return;
        };
        let now = shared.clock.now();
        let needed = shared
            .lock_state()
            .cached
            .as_ref()
            .is_some_and(|c| now >= c.prefetch_at);
        if needed {
            tracing::debug!(provider = %shared.name, "refreshing credentials ahead of expiry");
            let _ = shared.fetch().await;
        }
        shared.lock_state().prefetching = false;
    }
}

impl<P: ProvideCredentials> Shared<P> {
    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn error_copy(&self, kind: CredentialsErrorKind, message: &str) -> CredentialsError {
        let message = format!("{message} (shared result of a concurrent refresh)");
        match kind {
            CredentialsErrorKind::NotConfigured => {
                CredentialsError::not_configured(self.name.clone(), message)
            }
            CredentialsErrorKind::InvalidConfiguration => {
                CredentialsError::invalid_configuration(self.name.clone(), message)
            }
            CredentialsErrorKind::TimedOut => {
                CredentialsError::timed_out(self.name.clone(), message)
            }
            _ => CredentialsError::provider_error(self.name.clone(), message),
        }
    }

    /// Fetches once (the caller holds the gate) and records the outcome.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let timeout = self.config.load_timeout;
        let result = match tokio::time::timeout(timeout, self.inner.provide_credentials()).await {
            Ok(result) => result,
            Err(_) => Err(CredentialsError::timed_out(
                self.name.clone(),
                format!(
                    "no credentials within the load timeout of {} ms",
                    timeout.as_millis()
                ),
            )),
        };
        let now = self.clock.now();
        let mut state = self.lock_state();
        state.generation += 1;
        match result {
            Ok(credentials) => {
                let (refresh_at, prefetch_at) = self.thresholds(&credentials, now);
                state.cached = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                    prefetch_at,
                });
                state.failures = 0;
                state.retry_after = None;
                state.last_error = None;
                Ok(credentials)
            }
            Err(error) => {
                state.failures = state.failures.saturating_add(1);
                let backoff = self.backoff(state.failures);
                state.retry_after = Some(now + backoff);
                state.last_error = Some((error.kind(), error.to_string()));
                match state
                    .cached
                    .as_ref()
                    .filter(|c| !c.credentials.is_expired_at(now))
                {
                    Some(cached) => {
                        tracing::warn!(
                            provider = %self.name,
                            error = %error,
                            retry_in_ms = backoff.as_millis() as u64,
                            "credential refresh failed; still serving the valid cached credentials"
                        );
                        Ok(cached.credentials.clone())
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// When to refresh (blocking) and when to prefetch (background), from the lifetime.
    fn thresholds(&self, credentials: &Credentials, now: SystemTime) -> (SystemTime, SystemTime) {
        let Some(expiration) = credentials.expiration() else {
            let never = UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 16);
            return (never, never);
        };
        let lifetime = expiration.duration_since(now).unwrap_or(Duration::ZERO);
        let c = &self.config;
        let margin = |cap: Duration, fraction: f64| {
            let base = cap.min(lifetime.mul_f64(fraction.clamp(0.0, 1.0)));
            base.mul_f64(1.0 + c.jitter.max(0.0) * random_fraction())
                .min(lifetime)
        };
        let refresh = margin(c.refresh_margin, c.refresh_fraction);
        let prefetch = margin(c.prefetch_margin, c.prefetch_fraction).max(refresh);
        (
            expiration.checked_sub(refresh).unwrap_or(now),
            expiration.checked_sub(prefetch).unwrap_or(now),
        )
    }

    fn backoff(&self, failures: u32) -> Duration {
        let exp = self
            .config
            .backoff_initial
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
            .min(self.config.backoff_max);
        // Jitter between 50 % and 100 % of the step.
        exp.mul_f64(0.5 + 0.5 * random_fraction())
    }
}

/// A uniformly random number in [0, 1) from the system CSPRNG (jitter for refreshes and
/// retries).
pub fn random_fraction() -> f64 {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 4];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

impl<P: ProvideCredentials + 'static> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.provide()
    }

    fn invalidate(&self, failed: &Credentials) {
        let mut state = self.shared.lock_state();
        let same = state.cached.as_ref().is_some_and(|c| {
            c.credentials.access_key_id() == failed.access_key_id()
                && c.credentials.expose_security_token() == failed.expose_security_token()
        });
        if same {
            state.cached = None;
            state.retry_after = None;
        }
        drop(state);
        self.shared.inner.invalidate(failed);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::*;
    use crate::clock::ManualClock;

    #[derive(Debug)]
    struct Counting {
        clock: ManualClock,
        lifetime: Duration,
        calls: AtomicUsize,
        fail: AtomicBool,
        hang: AtomicBool,
    }

    impl ProvideCredentials for Arc<Counting> {
        fn provide_credentials(
            &self,
        ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
            let this = Arc::clone(self);
            async move {
                let n = this.calls.fetch_add(1, Ordering::SeqCst) + 1;
                for _ in 0..10 {
                    tokio::task::yield_now().await;
                }
                if this.hang.load(Ordering::SeqCst) {
                    std::future::pending::<()>().await;
                }
                if this.fail.load(Ordering::SeqCst) {
                    return Err(CredentialsError::provider_error("Test", "STS said no"));
                }
                Credentials::builder()
                    .access_key_id(format!("STS.id{n}"))
                    .access_key_secret("secret")
                    .security_token(format!("token{n}"))
                    .expiration(Clock::now(&this.clock) + this.lifetime)
                    .build()
            }
        }
    }

    use crate::clock::Clock;

    fn t0() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn setup(
        lifetime_secs: u64,
        jitter: f64,
    ) -> (CachedProvider<Arc<Counting>>, Arc<Counting>, ManualClock) {
        let clock = ManualClock::new(t0());
        let inner = Arc::new(Counting {
            clock: clock.clone(),
            lifetime: Duration::from_secs(lifetime_secs),
            calls: AtomicUsize::new(0),
            fail: AtomicBool::new(false),
            hang: AtomicBool::new(false),
        });
        let config = CacheConfig {
            jitter,
            load_timeout: Duration::from_millis(200),
            ..CacheConfig::default()
        };
        let cache = CachedProvider::with_config(
            "Test",
            Arc::clone(&inner),
            config,
            Arc::new(clock.clone()),
        );
        (cache, inner, clock)
    }

    fn calls(inner: &Counting) -> usize {
        inner.calls.load(Ordering::SeqCst)
    }

    async fn settle() {
        for _ in 0..200 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn one_hour_credentials_prefetch_at_half_life_and_block_at_three_quarters() {
        let (cache, inner, clock) = setup(3600, 0.0);
        let first = cache.provide_credentials().await.unwrap();
        assert_eq!((calls(&inner), first.access_key_id()), (1, "STS.id1"));
        clock.set(t0() + Duration::from_secs(1799));
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id1"
        );
        settle().await;
        assert_eq!(calls(&inner), 1, "no refresh before the prefetch point");

        clock.set(t0() + Duration::from_secs(1800));
        let served = cache.provide_credentials().await.unwrap();
        assert_eq!(
            served.access_key_id(),
            "STS.id1",
            "callers keep the cached value while prefetching"
        );
        settle().await;
        assert_eq!(calls(&inner), 2, "one background refresh at exp - 30 min");
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id2"
        );
    }

    #[tokio::test]
    async fn blocking_refresh_at_the_stale_point() {
        let (cache, inner, clock) = setup(3600, 0.0);
        cache.provide_credentials().await.unwrap();
        // Skip the prefetch window entirely: straight past exp - 15 min.
        clock.set(t0() + Duration::from_secs(2699));
        cache.shared.lock_state().prefetching = true; // as if a prefetch were stuck
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id1"
        );
        clock.set(t0() + Duration::from_secs(2700));
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id2"
        );
        assert_eq!(calls(&inner), 2);
    }

    #[tokio::test]
    async fn nine_hundred_second_sessions_do_not_refresh_on_every_call() {
        let (cache, inner, clock) = setup(900, 0.0);
        cache.provide_credentials().await.unwrap();
        for secs in [1, 100, 300, 449] {
            clock.set(t0() + Duration::from_secs(secs));
            cache.provide_credentials().await.unwrap();
        }
        settle().await;
        assert_eq!(calls(&inner), 1, "prefetch starts at exp - 450 s");
        // Blocking point: exp - min(15 min, 225 s) = 675 s after the fetch.
        let state = cache.shared.lock_state();
        let cached = state.cached.as_ref().unwrap();
        assert_eq!(cached.refresh_at, t0() + Duration::from_secs(675));
        assert_eq!(cached.prefetch_at, t0() + Duration::from_secs(450));
    }

    #[tokio::test]
    async fn jitter_only_moves_thresholds_earlier_within_ten_percent() {
        for _ in 0..20 {
            let (cache, _inner, _clock) = setup(3600, 0.1);
            cache.provide_credentials().await.unwrap();
            let state = cache.shared.lock_state();
            let cached = state.cached.as_ref().unwrap();
            let refresh = cached
                .refresh_at
                .duration_since(t0())
                .unwrap()
                .as_secs_f64();
            let prefetch = cached
                .prefetch_at
                .duration_since(t0())
                .unwrap()
                .as_secs_f64();
            assert!((2610.0..=2700.0).contains(&refresh), "{refresh}");
            assert!((1620.0..=1800.0).contains(&prefetch), "{prefetch}");
        }
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_valid_credentials_and_backs_off() {
        let (cache, inner, clock) = setup(3600, 0.0);
        cache.provide_credentials().await.unwrap();
        inner.fail.store(true, Ordering::SeqCst);
        cache.shared.lock_state().prefetching = true;
        clock.set(t0() + Duration::from_secs(2800));
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id1"
        );
        assert_eq!(calls(&inner), 2);
        // Within the backoff (0.5 s to 1 s) no new attempt is made.
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id1"
        );
        assert_eq!(calls(&inner), 2);
        clock.advance(Duration::from_secs(1));
        cache.provide_credentials().await.unwrap();
        assert_eq!(calls(&inner), 3);
        // Once expired, the error surfaces.
        clock.set(t0() + Duration::from_secs(3600));
        let err = cache.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("STS said no"));
        inner.fail.store(false, Ordering::SeqCst);
        clock.advance(Duration::from_secs(120));
        assert!(
            cache
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id()
                .starts_with("STS.id")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch() {
        let (cache, inner, clock) = setup(3600, 0.0);
        cache.provide_credentials().await.unwrap();
        clock.set(t0() + Duration::from_secs(3601));
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().access_key_id(), "STS.id2");
        }
        assert_eq!(calls(&inner), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_failure() {
        let (cache, inner, _clock) = setup(3600, 0.0);
        inner.fail.store(true, Ordering::SeqCst);
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap().is_err());
        }
        assert_eq!(calls(&inner), 1);
    }

    #[tokio::test]
    async fn a_stuck_provider_times_out() {
        let (cache, inner, _clock) = setup(3600, 0.0);
        inner.hang.store(true, Ordering::SeqCst);
        let err = cache.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn invalidate_drops_only_the_refused_credentials() {
        let (cache, inner, _clock) = setup(3600, 0.0);
        let first = cache.provide_credentials().await.unwrap();
        let other = Credentials::from_keys("someone-else", "x");
        cache.invalidate(&other);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id1"
        );
        cache.invalidate(&first);
        cache.invalidate(&first);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.id2"
        );
        assert_eq!(calls(&inner), 2);
    }
}
