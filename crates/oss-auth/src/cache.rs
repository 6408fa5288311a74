//! The one refresh cache every expiring provider sits behind.
//!
//! Two margins before the expiry `exp` of the cached credentials decide what a caller gets:
//!
//! ```text
//!   fetched ............ soft point ..................... hard point ..... exp
//!   served, no refresh   served; one background refresh   never served: callers wait
//!                        (callers never wait for it)      for a fetch (or its error)
//! ```
//!
//! * **Soft margin** `min(30 min, 50 % of the lifetime)`, plus up to 10 % random jitter so fleets
//!   do not refresh in step. From the soft point on, the first caller starts one refresh in the
//!   background (a tokio task) and returns the cached credentials at once, as do all callers
//!   while that refresh runs. A 900 s STS session is refreshed after about 7 minutes, a one-hour
//!   session after about 30, not on every call.
//! * **Hard margin** `min(30 s, 10 % of the lifetime)`, no jitter. Credentials inside it are
//!   never handed out: callers wait for the refresh in flight, or start one. It has to cover
//!   what happens between handing the credentials out and OSS checking them: the signing
//!   request still has to get a connection (the transport's connect timeout is 5 s), do a TLS
//!   handshake and send its headers, and the local clock may be a little behind the STS and
//!   OSS clocks that issued and check the expiry (an NTP-synchronised host is within a second;
//!   the signer's learned skew corrects only the signing time, not this comparison). 30 s is
//!   several times that; only sessions shorter than 5 minutes, which STS does not issue
//!   (its minimum is 15 minutes) but a credentials URI or a custom source may, get less, and
//!   still 10 % of their lifetime.
//! * One fetch is in flight at a time, background or not; callers that must wait share its
//!   result (1000 callers at the hard point cause one fetch).
//! * A failed refresh never replaces credentials that are still outside the hard margin: they
//!   keep being served, and the next attempt waits for a jittered, growing backoff (1 s
//!   doubling to 60 s). Inside the hard margin a caller during that backoff gets the last error.
//! * Every fetch is bounded by a load timeout (5 s by default), so a stuck endpoint cannot stall
//!   requests forever.
//! * Without a tokio runtime to spawn on (a caller on another executor), the caller that finds
//!   the soft point passed refreshes in line and waits for it; other callers keep being served
//!   meanwhile. The load timeout needs tokio's timer and applies only inside a runtime.
//! * Time comes from an injectable [`Clock`](crate::clock::Clock), so every threshold is tested
//!   without sleeping.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::clock::{SharedClock, system_clock};
use crate::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials};

/// The thresholds of a [`CachedProvider`]; see the [module documentation](self) for how they
/// are used. Each margin is `min(cap, fraction × lifetime)`, the lifetime being the time from
/// the fetch to the credentials' expiry.
#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Upper bound of the soft margin before expiry, from which one background refresh is
    /// started while callers keep the cached credentials (default 30 min).
    pub soft_margin: Duration,
    /// Fraction of the lifetime used as soft margin when smaller (default 0.5).
    pub soft_fraction: f64,
    /// Upper bound of the hard margin before expiry, inside which credentials are never handed
    /// out and callers wait for a fetch (default 30 s). Keep it above the time from signing to
    /// OSS receiving the request plus the clock skew to expect.
    pub hard_margin: Duration,
    /// Fraction of the lifetime used as hard margin when smaller (default 0.1).
    pub hard_fraction: f64,
    /// Random extra soft margin, as a fraction of it (default 0.1). The hard margin has none.
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
            soft_margin: Duration::from_secs(30 * 60),
            soft_fraction: 0.5,
            hard_margin: Duration::from_secs(30),
            hard_fraction: 0.1,
            jitter: 0.1,
            load_timeout: Duration::from_secs(5),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
        }
    }
}

struct Cached {
    credentials: Credentials,
    /// The soft point: from here a background refresh is started.
    refresh_at: SystemTime,
    /// The hard point: from here these credentials are never handed out.
    usable_until: SystemTime,
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
    /// A background refresh has been started and has not finished.
    refreshing: bool,
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

/// What a caller does, decided under the state lock.
enum Step {
    /// Return these credentials.
    Serve(Credentials),
    /// Return these credentials and start the background refresh (this caller set
    /// `refreshing`).
    ServeAndRefresh(Credentials),
    /// Wait for a fetch; the generation seen before waiting.
    Wait(u64),
}

/// Clears `refreshing` when the background refresh ends, also when its task is dropped
/// unpolled (a runtime shutting down) or the refresh panics.
struct RefreshFlag<P>(Arc<Shared<P>>);

impl<P> Drop for RefreshFlag<P> {
    fn drop(&mut self) {
        self.0.lock_state().refreshing = false;
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
        let seen_generation = match shared.step(shared.clock.now()) {
            Step::Serve(credentials) => return Ok(credentials),
            Step::Wait(generation) => generation,
            Step::ServeAndRefresh(credentials) => {
                let flag = RefreshFlag(Arc::clone(shared));
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(self.clone().refresh_ahead(flag));
                    return Ok(credentials);
                }
                // No runtime to spawn on: refresh in line, then serve as a waiter would.
                let generation = shared.lock_state().generation;
                self.clone().refresh_ahead(flag).await;
                generation
            }
        };
        let _gate = shared.gate.lock().await;
        let now = shared.clock.now();
        {
            let state = shared.lock_state();
            if let Some(cached) = state.cached.as_ref().filter(|c| now < c.usable_until) {
                return Ok(cached.credentials.clone());
            }
            let attempted_meanwhile = state.generation != seen_generation;
            let backing_off = state.retry_after.is_some_and(|t| now < t);
            if attempted_meanwhile || backing_off {
                if let Some((kind, message)) = &state.last_error {
                    return Err(shared.error_copy(*kind, message));
                }
            }
        }
        shared.fetch().await
    }

    /// The background refresh started at the soft point: waits for any fetch in flight, then
    /// fetches unless that fetch (or an invalidation) made it unnecessary.
    async fn refresh_ahead(self, flag: RefreshFlag<P>) {
        let shared = &self.shared;
        let _gate = shared.gate.lock().await;
        let now = shared.clock.now();
        let due = {
            let state = shared.lock_state();
            state.cached.as_ref().is_some_and(|c| now >= c.refresh_at)
                && state.retry_after.is_none_or(|t| now >= t)
        };
        if due {
            tracing::debug!(provider = %shared.name, "refreshing credentials ahead of expiry");
            let _ = shared.fetch().await;
        }
        drop(flag);
    }
}

impl<P> Shared<P> {
    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<P: ProvideCredentials> Shared<P> {
    /// Decides, under the lock, whether a caller at `now` is served, starts the background
    /// refresh, or waits.
    fn step(&self, now: SystemTime) -> Step {
        let mut state = self.lock_state();
        let Some(cached) = state.cached.as_ref().filter(|c| now < c.usable_until) else {
            return Step::Wait(state.generation);
        };
        let credentials = cached.credentials.clone();
        let due = now >= cached.refresh_at
            && !state.refreshing
            && state.retry_after.is_none_or(|t| now >= t);
        if due {
            state.refreshing = true;
            Step::ServeAndRefresh(credentials)
        } else {
            Step::Serve(credentials)
        }
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

    /// Fetches once (the caller holds the gate) and records the outcome. On failure it returns
    /// the cached credentials if they are still outside the hard margin.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let timeout = self.config.load_timeout;
        let load = self.inner.provide_credentials();
        let result = if tokio::runtime::Handle::try_current().is_ok() {
            match tokio::time::timeout(timeout, load).await {
                Ok(result) => result,
                Err(_) => Err(CredentialsError::timed_out(
                    self.name.clone(),
                    format!(
                        "no credentials within the load timeout of {} ms",
                        timeout.as_millis()
                    ),
                )),
            }
        } else {
            load.await
        };
        let now = self.clock.now();
        let result = result.and_then(|credentials| match credentials.expiration() {
            Some(expiration) if expiration <= now => Err(CredentialsError::provider_error(
                self.name.clone(),
                format!(
                    "the credentials returned expired {} s ago (is the clock right?)",
                    now.duration_since(expiration).unwrap_or_default().as_secs()
                ),
            )),
            _ => Ok(credentials),
        });
        let mut state = self.lock_state();
        state.generation += 1;
        match result {
            Ok(credentials) => {
                let (refresh_at, usable_until) = self.thresholds(&credentials, now);
                state.cached = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                    usable_until,
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
                match state.cached.as_ref().filter(|c| now < c.usable_until) {
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

    /// The soft point (background refresh) and the hard point (never served), from the
    /// lifetime of credentials fetched at `now`.
    fn thresholds(&self, credentials: &Credentials, now: SystemTime) -> (SystemTime, SystemTime) {
        let Some(expiration) = credentials.expiration() else {
            let never = UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 16);
            return (never, never);
        };
        let lifetime = expiration.duration_since(now).unwrap_or(Duration::ZERO);
        let c = &self.config;
        let margin =
            |cap: Duration, fraction: f64| cap.min(lifetime.mul_f64(fraction.clamp(0.0, 1.0)));
        let hard = margin(c.hard_margin, c.hard_fraction);
        let soft = margin(c.soft_margin, c.soft_fraction)
            .mul_f64(1.0 + c.jitter.max(0.0) * random_fraction())
            .min(lifetime)
            .max(hard);
        (
            expiration.checked_sub(soft).unwrap_or(now),
            expiration.checked_sub(hard).unwrap_or(now),
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
    use crate::clock::{Clock, ManualClock};

    /// A fake STS: counts its calls, can fail, hang, or hold each fetch until the test hands
    /// out a permit (`slow`), like an STS that takes as long as the test wants.
    #[derive(Debug)]
    struct Counting {
        clock: ManualClock,
        lifetime: Duration,
        calls: AtomicUsize,
        fail: AtomicBool,
        hang: AtomicBool,
        slow: AtomicBool,
        permits: tokio::sync::Semaphore,
    }

    impl Counting {
        /// Lets one held fetch finish.
        fn release(&self) {
            self.permits.add_permits(1);
        }
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
                if this.slow.load(Ordering::SeqCst) {
                    this.permits.acquire().await.unwrap().forget();
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

    fn t0() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn at(secs: u64) -> SystemTime {
        t0() + Duration::from_secs(secs)
    }

    type Setup = (CachedProvider<Arc<Counting>>, Arc<Counting>, ManualClock);

    fn setup_with(lifetime_secs: u64, config: CacheConfig) -> Setup {
        let clock = ManualClock::new(t0());
        let inner = Arc::new(Counting {
            clock: clock.clone(),
            lifetime: Duration::from_secs(lifetime_secs),
            calls: AtomicUsize::new(0),
            fail: AtomicBool::new(false),
            hang: AtomicBool::new(false),
            slow: AtomicBool::new(false),
            permits: tokio::sync::Semaphore::new(0),
        });
        let cache = CachedProvider::with_config(
            "Test",
            Arc::clone(&inner),
            config,
            Arc::new(clock.clone()),
        );
        (cache, inner, clock)
    }

    fn setup(lifetime_secs: u64, jitter: f64) -> Setup {
        setup_with(
            lifetime_secs,
            CacheConfig {
                jitter,
                load_timeout: Duration::from_millis(200),
                ..CacheConfig::default()
            },
        )
    }

    /// For tests whose fetches are held by the test: a load timeout that never fires.
    fn setup_slow(lifetime_secs: u64) -> Setup {
        let (cache, inner, clock) = setup_with(
            lifetime_secs,
            CacheConfig {
                jitter: 0.0,
                load_timeout: Duration::from_secs(600),
                ..CacheConfig::default()
            },
        );
        inner.slow.store(true, Ordering::SeqCst);
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

    /// Waits (real time, bounded) until `done` holds.
    async fn eventually(what: &str, done: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "never: {what}");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    async fn key(cache: &CachedProvider<Arc<Counting>>) -> String {
        cache
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id()
            .to_owned()
    }

    fn thresholds(cache: &CachedProvider<Arc<Counting>>) -> (SystemTime, SystemTime) {
        let state = cache.shared.lock_state();
        let cached = state.cached.as_ref().unwrap();
        (cached.refresh_at, cached.usable_until)
    }

    #[tokio::test]
    async fn margins_of_one_hour_fifteen_minute_and_one_minute_sessions() {
        // (lifetime, soft point, hard point), in seconds after the fetch.
        for (lifetime, soft, hard) in [
            (3600, 1800, 3570), // min(30 min, 50 %), min(30 s, 10 %)
            (6 * 3600, 6 * 3600 - 1800, 6 * 3600 - 30),
            (900, 450, 870),
            (60, 30, 54), // short sessions: the fractions
        ] {
            let (cache, _inner, _clock) = setup(lifetime, 0.0);
            cache.provide_credentials().await.unwrap();
            assert_eq!(thresholds(&cache), (at(soft), at(hard)), "{lifetime}");
        }
    }

    #[tokio::test]
    async fn one_hour_credentials_refresh_in_the_background_from_half_life() {
        let (cache, inner, clock) = setup(3600, 0.0);
        assert_eq!(key(&cache).await, "STS.id1");
        clock.set(at(1799));
        assert_eq!(key(&cache).await, "STS.id1");
        settle().await;
        assert_eq!(calls(&inner), 1, "no refresh before the soft point");

        clock.set(at(1800));
        assert_eq!(
            key(&cache).await,
            "STS.id1",
            "callers keep the cached value while refreshing"
        );
        settle().await;
        assert_eq!(calls(&inner), 2, "one background refresh at exp - 30 min");
        assert_eq!(key(&cache).await, "STS.id2");
        settle().await;
        assert_eq!(calls(&inner), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_thousand_callers_in_the_soft_window_start_one_fetch_and_none_waits_for_it() {
        let (cache, inner, clock) = setup_slow(3600);
        inner.release();
        assert_eq!(key(&cache).await, "STS.id1");
        // Well inside the soft window, far from the hard point (exp - 30 s).
        clock.set(at(2400));
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { key(&cache).await })
            })
            .collect();
        // No permit is given: any caller waiting for the fetch would hang here.
        let served = tokio::time::timeout(Duration::from_secs(10), async {
            let mut served = Vec::new();
            for task in tasks {
                served.push(task.await.unwrap());
            }
            served
        })
        .await
        .expect("a caller waited for the background refresh");
        assert!(served.iter().all(|k| k == "STS.id1"));
        eventually("the background fetch starts", || calls(&inner) == 2).await;
        assert!(
            cache.shared.lock_state().refreshing,
            "the fetch is still pending"
        );
        // More callers while it is pending: still served at once, still one fetch.
        for _ in 0..100 {
            assert_eq!(key(&cache).await, "STS.id1");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(calls(&inner), 2, "exactly one fetch");

        inner.release();
        eventually("the refresh lands", || {
            !cache.shared.lock_state().refreshing
        })
        .await;
        assert_eq!(key(&cache).await, "STS.id2");
        assert_eq!(calls(&inner), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn callers_inside_the_hard_margin_wait_and_get_the_new_credentials() {
        let (cache, inner, clock) = setup_slow(3600);
        inner.release();
        cache.provide_credentials().await.unwrap();
        // The last instant outside the hard margin is still served without waiting, and
        // starts the refresh: pretend it is stuck, so the next callers fetch themselves.
        clock.set(at(3569));
        cache.shared.lock_state().refreshing = true;
        assert_eq!(key(&cache).await, "STS.id1");
        assert_eq!(calls(&inner), 1);

        clock.set(at(3570)); // exp - 30 s: the hard point
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { key(&cache).await })
            })
            .collect();
        eventually("a caller fetches", || calls(&inner) == 2).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            tasks.iter().all(|t| !t.is_finished()),
            "nobody got the old credentials"
        );
        inner.release();
        for task in tasks {
            assert_eq!(task.await.unwrap(), "STS.id2");
        }
        assert_eq!(calls(&inner), 2, "one fetch for all waiters");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn callers_reaching_the_hard_point_wait_for_the_background_refresh_in_flight() {
        let (cache, inner, clock) = setup_slow(3600);
        inner.release();
        cache.provide_credentials().await.unwrap();
        clock.set(at(1800));
        assert_eq!(key(&cache).await, "STS.id1");
        eventually("the background fetch starts", || calls(&inner) == 2).await;
        // The fetch is slow; meanwhile time reaches the hard point.
        clock.set(at(3580));
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { key(&cache).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(tasks.iter().all(|t| !t.is_finished()));
        inner.release();
        for task in tasks {
            assert_eq!(task.await.unwrap(), "STS.id2");
        }
        assert_eq!(calls(&inner), 2, "the waiters shared the background fetch");
    }

    #[tokio::test]
    async fn nine_hundred_second_sessions_do_not_refresh_on_every_call() {
        let (cache, inner, clock) = setup(900, 0.0);
        cache.provide_credentials().await.unwrap();
        for secs in [1, 100, 300, 449] {
            clock.set(at(secs));
            cache.provide_credentials().await.unwrap();
        }
        settle().await;
        assert_eq!(calls(&inner), 1, "the refresh starts at exp - 450 s");
        assert_eq!(thresholds(&cache), (at(450), at(870)));
    }

    #[tokio::test]
    async fn jitter_only_moves_the_soft_point_earlier_within_ten_percent() {
        for _ in 0..20 {
            let (cache, _inner, _clock) = setup(3600, 0.1);
            cache.provide_credentials().await.unwrap();
            let (soft, hard) = thresholds(&cache);
            let soft = soft.duration_since(t0()).unwrap().as_secs_f64();
            assert!((1620.0..=1800.0).contains(&soft), "{soft}");
            assert_eq!(hard, at(3570), "no jitter on the hard margin");
        }
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_serving_valid_credentials_and_backs_off() {
        let (cache, inner, clock) = setup(3600, 0.0);
        cache.provide_credentials().await.unwrap();
        inner.fail.store(true, Ordering::SeqCst);
        clock.set(at(2800));
        assert_eq!(key(&cache).await, "STS.id1");
        settle().await;
        assert_eq!(calls(&inner), 2, "one failed background refresh");
        // Within the backoff (0.5 s to 1 s) no new attempt is made.
        for _ in 0..10 {
            assert_eq!(key(&cache).await, "STS.id1");
        }
        settle().await;
        assert_eq!(calls(&inner), 2);
        clock.advance(Duration::from_secs(1));
        assert_eq!(key(&cache).await, "STS.id1");
        settle().await;
        assert_eq!(
            calls(&inner),
            3,
            "retried in the background after the backoff"
        );
        // At the hard point the old credentials are no longer served: the caller fetches,
        // and gets the error.
        clock.set(at(3570));
        let err = cache.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("STS said no"), "{err}");
        assert_eq!(calls(&inner), 4);
        // During the backoff that follows, callers get the same error without a fetch.
        let err = cache.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("STS said no"), "{err}");
        assert_eq!(calls(&inner), 4);
        inner.fail.store(false, Ordering::SeqCst);
        clock.advance(Duration::from_secs(120));
        assert_eq!(key(&cache).await, "STS.id5");
    }

    #[tokio::test]
    async fn no_credentials_inside_the_hard_margin_are_ever_handed_out() {
        for (lifetime, hard) in [(3600, 30), (900, 30), (120, 12), (20, 2)] {
            let (cache, inner, clock) = setup(lifetime, 0.1);
            let hard = Duration::from_secs(hard);
            // Outages of varying length (in steps of about 1 % of the lifetime), so that
            // refreshes fail, back off and succeed again at every phase of the lifetime, and
            // some outages outlast the soft window.
            let step = (lifetime / 97).max(1);
            let mut phases = [6, 70, 3, 45, 20, 90, 11, 55].iter().cycle();
            let (mut failing, mut phase_end) = (false, 0);
            let mut outcomes = std::collections::HashMap::new();
            for i in 0..(8 * lifetime / step) {
                let now = at(i * step);
                clock.set(now);
                if i >= phase_end {
                    failing = !failing;
                    phase_end = i + phases.next().unwrap();
                }
                inner.fail.store(failing, Ordering::SeqCst);
                for _ in 0..3 {
                    let result = cache.provide_credentials().await;
                    *outcomes.entry(result.is_ok()).or_insert(0) += 1;
                    if let Ok(credentials) = result {
                        let expiration = credentials.expiration().unwrap();
                        assert!(
                            now + hard <= expiration,
                            "lifetime {lifetime}: served {} at {now:?}, expiring {expiration:?}",
                            credentials.access_key_id()
                        );
                    }
                    settle().await;
                }
            }
            assert!(outcomes[&true] > 0 && outcomes[&false] > 0, "{outcomes:?}");
        }
    }

    #[tokio::test]
    async fn credentials_expired_on_arrival_are_an_error() {
        let (cache, _inner, _clock) = setup(0, 0.0);
        let err = cache.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("expired"), "{err}");
    }

    #[test]
    fn without_a_runtime_one_caller_refreshes_in_line_while_others_are_served() {
        let (cache, inner, clock) = setup_slow(3600);
        inner.release();
        assert_eq!(block_on(key(&cache)), "STS.id1");
        clock.set(at(2400));
        let (refresher, other) = block_on(async {
            // The first caller starts the refresh and, with nowhere to spawn it, waits for
            // it; the second is served the cached credentials and lets the fetch finish.
            let refresher = key(&cache);
            let other = async {
                let other = key(&cache).await;
                inner.release();
                other
            };
            join(refresher, other).await
        });
        assert_eq!((refresher.as_str(), other.as_str()), ("STS.id2", "STS.id1"));
        assert_eq!(calls(&inner), 2);
        assert!(!cache.shared.lock_state().refreshing);
    }

    /// Polls two futures to completion, the first one first.
    async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
        let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
        let (mut ra, mut rb) = (None, None);
        std::future::poll_fn(|cx| {
            if ra.is_none() {
                if let std::task::Poll::Ready(v) = a.as_mut().poll(cx) {
                    ra = Some(v);
                }
            }
            if rb.is_none() {
                if let std::task::Poll::Ready(v) = b.as_mut().poll(cx) {
                    rb = Some(v);
                }
            }
            if ra.is_some() && rb.is_some() {
                std::task::Poll::Ready((ra.take().unwrap(), rb.take().unwrap()))
            } else {
                std::task::Poll::Pending
            }
        })
        .await
    }

    /// A minimal executor outside any tokio runtime.
    fn block_on<F: Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        assert!(tokio::runtime::Handle::try_current().is_err());
        let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = std::task::Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let std::task::Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                return v;
            }
            std::thread::park();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_at_expiry_share_one_fetch() {
        let (cache, inner, clock) = setup(3600, 0.0);
        cache.provide_credentials().await.unwrap();
        clock.set(at(3601));
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
    async fn a_stuck_background_refresh_times_out_and_is_retried() {
        let (cache, inner, clock) = setup(3600, 0.0);
        cache.provide_credentials().await.unwrap();
        inner.hang.store(true, Ordering::SeqCst);
        clock.set(at(1800));
        assert_eq!(key(&cache).await, "STS.id1");
        eventually("the refresh times out", || {
            !cache.shared.lock_state().refreshing
        })
        .await;
        assert_eq!(calls(&inner), 2);
        inner.hang.store(false, Ordering::SeqCst);
        clock.advance(Duration::from_secs(2));
        assert_eq!(key(&cache).await, "STS.id1");
        eventually("the retry lands", || calls(&inner) == 3).await;
        settle().await;
        assert_eq!(key(&cache).await, "STS.id3");
    }

    #[tokio::test]
    async fn invalidate_drops_only_the_refused_credentials() {
        let (cache, inner, _clock) = setup(3600, 0.0);
        let first = cache.provide_credentials().await.unwrap();
        let other = Credentials::from_keys("someone-else", "x");
        cache.invalidate(&other);
        assert_eq!(key(&cache).await, "STS.id1");
        cache.invalidate(&first);
        cache.invalidate(&first);
        assert_eq!(key(&cache).await, "STS.id2");
        assert_eq!(calls(&inner), 2);
    }
}
