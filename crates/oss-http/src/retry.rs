//! Retries: classify each answer, back off with full jitter, replay the body, sign again.
//!
//! Retried: connection failures, timeouts and broken connections; the error answers
//! [`crate::error_document::is_retryable`] names (HTTP 5xx but 501, 408, 429, and 4xx answers
//! whose OSS code is transient or throttling, read from the error document);
//! `RequestTimeTooSkewed` (once, at once, after learning the server's clock from the answer);
//! refused credentials (`InvalidAccessKeyId`, `SecurityTokenExpired`, `InvalidSecurityToken*`:
//! once, at once, after dropping them from the provider's cache, even when retries are
//! disabled); a 2xx answer that its request's [`ResponseCheck`] rejects (at once). Not
//! retried: other 4xx answers, and any request whose body cannot be replayed (a one-shot stream
//! is never sent again once read). Every attempt passes through the signing layer again, so it
//! gets a fresh time, credentials snapshot and signature.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use http::{Request, Response};

use crate::body::Body;
use crate::error::Error;
use crate::error_document::{CLOCK_SKEW_CODE, inspect, is_retryable_code, is_retryable_status};
use crate::request_copy::replayable_copy;
use crate::response_body::ResponseBody;
use crate::sign::{SignedWith, SigningConfig, is_credentials_code};

/// Retry settings of a client.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// Attempts per request, the first included (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// Backoff base (default 200 ms): attempt n waits `rand[0,1) × min(base × 2^n, cap)`.
    pub base: Duration,
    /// Backoff cap (default 20 s).
    pub cap: Duration,
    /// Total time one request may spend across attempts and waits (default 10 min); no retry
    /// starts after it.
    pub budget: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(20),
            budget: Duration::from_secs(600),
        }
    }
}

impl RetryConfig {
    /// No retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The full-jitter wait before retry number `retry` (1 for the first retry).
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << retry.min(20))
            .min(self.cap);
        ceiling.mul_f64(oss_auth::cache::random_fraction())
    }
}

/// Per-request override of the number of attempts, as a request extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryOverride {
    /// Attempts for this request (1 = no retry).
    pub max_attempts: u32,
}

/// A check of a successful answer, as a request extension: `false` means the answer shows that
/// the request's bytes were damaged on the way (for example, the CRC-64 OSS computed differs
/// from the bytes sent), and the retry layer sends the request again at once, like a
/// retryable failure, within the attempt count. When the attempts run out, the last answer is
/// returned as it is, for the caller to report.
#[derive(Clone)]
pub struct ResponseCheck(Arc<dyn Fn(&http::HeaderMap) -> bool + Send + Sync>);

impl ResponseCheck {
    /// A check calling `accepts` with the answer's headers.
    pub fn new(accepts: impl Fn(&http::HeaderMap) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(accepts))
    }

    /// Whether the answer with these headers is accepted.
    pub fn accepts(&self, headers: &http::HeaderMap) -> bool {
        (self.0)(headers)
    }
}

impl std::fmt::Debug for ResponseCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseCheck")
    }
}

/// Marks a request that must not be applied twice (AppendObject, CompleteMultipartUpload, a
/// write with `x-oss-forbid-overwrite`), as a request extension. It is sent again only when
/// OSS cannot have applied it: the connection was never made, the credentials or the clock
/// were refused (403), or the request was throttled or timed out before its body arrived
/// (429, 408). A broken connection, a timeout after sending began or a 5xx answer is returned
/// as it is, for the caller to settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotIdempotent;

/// How many attempts a request took, as a response extension; absent when the first attempt
/// was the only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts(pub u32);

/// What to do after an attempt.
enum Verdict {
    Done,
    RetryAfterBackoff,
    RetryNow,
    /// At once, even beyond the attempt count (it happens at most once per request).
    RetryWithFreshCredentials,
}

/// One attempt of a request: what the retry loop runs each time.
pub(crate) trait Attempt {
    /// Sends `request` once.
    fn attempt(
        &mut self,
        request: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_;
}

/// Sends `request` through `attempt`, and again after retryable failures (see the module
/// documentation), each time with a copy of the request taken before it was sent. No retry
/// starts whose back-off would end after `deadline`. An error says how many attempts were made
/// ([`Error::attempts`]).
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
)]
pub(crate) fn send_with_retries<'a>(
    config: &'a RetryConfig,
    signing: &'a SigningConfig,
    mut request: Request<Body>,
    mut attempt: impl Attempt + Send + 'a,
    deadline: Option<Instant>,
) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + 'a {
    async move {
        let started = Instant::now();
        let max_attempts = request
            .extensions()
            .get::<RetryOverride>()
            .map_or(config.max_attempts, |o| o.max_attempts)
            .max(1);
        let check = request.extensions().get::<ResponseCheck>().cloned();
        let idempotent = request.extensions().get::<NotIdempotent>().is_none();
        let mut attempts = 1;
        let mut once = OnceOnly::default();
        loop {
            let replay = (attempts < max_attempts || !once.credentials_refused)
                .then(|| replayable_copy(&request))
                .flatten();
            let result = attempt.attempt(request).await;
            let (result, verdict) = match classify(result, check.as_ref(), idempotent) {
                Classified::Decided(result, verdict) => (result, verdict),
                // Rare, so its body-reading future is boxed rather than kept in every request's.
                Classified::ByCode(response) => {
                    Box::pin(classify_by_code(response, signing, &mut once)).await
                }
            };
            let Some(next) = replay else {
                return finish(result, attempts);
            };
            let wait = match verdict {
                Verdict::Done => return finish(result, attempts),
                Verdict::RetryWithFreshCredentials => Duration::ZERO,
                _ if attempts >= max_attempts => return finish(result, attempts),
                Verdict::RetryNow => Duration::ZERO,
                Verdict::RetryAfterBackoff => config.backoff(attempts),
            };
            let past_deadline = deadline.is_some_and(|at| Instant::now() + wait >= at);
            if started.elapsed() + wait > config.budget || past_deadline {
                return finish(result, attempts);
            }
            tracing::debug!(
                attempt = attempts,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            // Nothing but the next request outlives the wait, so the future needs no room for both.
            drop(result);
            request = next;
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            attempts += 1;
        }
    }
}

/// The answer, with [`Attempts`] when it took more than one; an error with the attempt count.
fn finish(
    result: Result<Response<ResponseBody>, Error>,
    attempts: u32,
) -> Result<Response<ResponseBody>, Error> {
    match result {
        Ok(mut response) => {
            if attempts > 1 {
                response.extensions_mut().insert(Attempts(attempts));
            }
            Ok(response)
        }
        Err(e) => Err(e.with_attempts(attempts)),
    }
}

/// The retries a request gets at most once, whatever its attempt count.
#[derive(Default)]
struct OnceOnly {
    /// After `RequestTimeTooSkewed`, with the clock corrected.
    skew_corrected: bool,
    /// After refused credentials, with them dropped from the cache.
    credentials_refused: bool,
}

/// One attempt's verdict, or a 4xx answer whose error document decides it.
enum Classified {
    Decided(Result<Response<ResponseBody>, Error>, Verdict),
    ByCode(Response<ResponseBody>),
}

/// Classifies one attempt by its outcome and status. A request that is not `idempotent` is
/// retried only when OSS cannot have applied it (see [`NotIdempotent`]).
fn classify(
    result: Result<Response<ResponseBody>, Error>,
    check: Option<&ResponseCheck>,
    idempotent: bool,
) -> Classified {
    let response = match result {
        Err(e) => {
            let never_sent = e.kind() == crate::ErrorKind::Connect;
            let verdict = if e.is_retryable() && (idempotent || never_sent) {
                Verdict::RetryAfterBackoff
            } else {
                Verdict::Done
            };
            return Classified::Decided(Err(e), verdict);
        }
        Ok(response) => response,
    };
    let status = response.status();
    let damaged = status.is_success() && check.is_some_and(|c| !c.accepts(response.headers()));
    let verdict = if damaged && idempotent {
        tracing::warn!("the answer shows the request was damaged on the way; sending it again");
        Verdict::RetryNow
    } else if status.is_success() || status.is_redirection() || status.is_informational() {
        Verdict::Done
    } else if is_retryable_status(status) && (idempotent || !status.is_server_error()) {
        Verdict::RetryAfterBackoff
    } else if status.is_client_error() {
        return Classified::ByCode(response);
    } else {
        Verdict::Done
    };
    Classified::Decided(Ok(response), verdict)
}

/// Classifies a 4xx answer by its error code: refused credentials are dropped from the
/// provider's cache, and a skewed clock is corrected, before retrying; transient and
/// throttling codes are retried after a backoff. The answer keeps its error document.
async fn classify_by_code(
    response: Response<ResponseBody>,
    signing: &SigningConfig,
    once: &mut OnceOnly,
) -> (Result<Response<ResponseBody>, Error>, Verdict) {
    let local = response_local_time(signing);
    let date = response
        .headers()
        .get(http::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let (response, document) = inspect(response).await;
    let Some(document) = document else {
        return (Ok(response), Verdict::Done);
    };
    let code = document.code.as_deref().unwrap_or_default();
    if is_credentials_code(code) {
        let Some(SignedWith(refused)) = response.extensions().get::<SignedWith>() else {
            return (Ok(response), Verdict::Done);
        };
        if once.credentials_refused {
            return (Ok(response), Verdict::Done);
        }
        // A rotated AccessKey, or an expired or revoked token: drop them and sign again.
        tracing::debug!(code = %code, "credentials refused; refreshing and retrying once");
        signing.invalidate(refused);
        once.credentials_refused = true;
        return (Ok(response), Verdict::RetryWithFreshCredentials);
    }
    if code != CLOCK_SKEW_CODE {
        let verdict = if is_retryable_code(code) {
            Verdict::RetryAfterBackoff
        } else {
            Verdict::Done
        };
        return (Ok(response), verdict);
    }
    if once.skew_corrected {
        return (Ok(response), Verdict::Done);
    }
    // The XML ServerTime is authoritative; the Date header is a fallback when plausible.
    let learned = document
        .server_time
        .is_some_and(|t| signing.learn_skew(t, local))
        || date.is_some_and(|t| signing.learn_skew(t, local));
    if !learned {
        return (Ok(response), Verdict::Done);
    }
    once.skew_corrected = true;
    tracing::debug!(
        offset_ms = signing.skew_offset_ms(),
        "clock skew corrected; signing again"
    );
    (Ok(response), Verdict::RetryNow)
}

fn response_local_time(signing: &SigningConfig) -> std::time::SystemTime {
    signing.raw_now()
}
