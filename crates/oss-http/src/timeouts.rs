//! Time limits that follow what a transfer does, not how long it takes.
//!
//! * **Idle** (default 20 s): while the request body is being sent, and while the response body
//!   is being read, no byte moved for this long fails the attempt (or the body read) with
//!   [`ErrorKind::Timeout`]. A slow but healthy transfer never hits it, whatever its size.
//! * **First byte** (default 60 s): once the whole request body has been handed to the
//!   connection (at once for a request without a body), the response headers must arrive
//!   within this time.
//! * **Deadline** (default none): the whole operation, across its attempts and back-offs and
//!   including reading the response body, must end within this time.
//!
//! The connect timeout is the transport's ([`crate::HttpClientBuilder::connect_timeout`]).
//! Time is tokio's, so tests run these limits on a paused clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep};

use crate::error::{Error, ErrorKind};

/// The time limits of a request; see the module documentation. Set per client
/// ([`crate::StackConfig::timeouts`]) and per request (as a request extension, which replaces
/// the client's for that request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Longest time no byte of the request body or of the response body may move (default
    /// 20 s, between the official Go SDK's 10 s and the Python SDK's 20 s read/write timeouts).
    pub idle: Duration,
    /// Longest wait for the response headers once the request body has been sent (default 60 s).
    pub first_byte: Duration,
    /// Longest time the whole operation may take, attempts, back-offs and the response body
    /// included (default none).
    pub deadline: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(20),
            first_byte: Duration::from_secs(60),
            deadline: None,
        }
    }
}

/// How far an attempt has got in sending its request body, shared by the body (which records
/// each chunk it hands to the connection) and the attempt's watchdog.
#[derive(Debug)]
pub(crate) struct SendProgress {
    origin: Instant,
    /// Nanoseconds from `origin` to the last chunk handed over.
    last_chunk: AtomicU64,
    /// Nanoseconds from `origin` to the end of the body, or `u64::MAX` while it is being sent.
    finished: AtomicU64,
}

impl SendProgress {
    pub(crate) fn new() -> Self {
        Self {
            origin: Instant::now(),
            last_chunk: AtomicU64::new(0),
            finished: AtomicU64::new(u64::MAX),
        }
    }

    fn since_origin(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX - 1)
    }

    /// A chunk of the body was handed to the connection.
    pub(crate) fn chunk(&self) {
        self.last_chunk
            .store(self.since_origin(), Ordering::Relaxed);
    }

    /// The last byte of the body was handed to the connection.
    pub(crate) fn finish(&self) {
        let now = self.since_origin();
        self.last_chunk.store(now, Ordering::Relaxed);
        self.finished.store(now, Ordering::Relaxed);
    }

    /// When the attempt times out if nothing else happens, and what limit that is.
    fn expiry(&self, timeouts: &Timeouts) -> (Instant, Phase) {
        match self.finished.load(Ordering::Relaxed) {
            u64::MAX => {
                let last = Duration::from_nanos(self.last_chunk.load(Ordering::Relaxed));
                (self.origin + last + timeouts.idle, Phase::Sending)
            }
            done => (
                self.origin + Duration::from_nanos(done) + timeouts.first_byte,
                Phase::AwaitingResponse,
            ),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Sending,
    AwaitingResponse,
}

pin_project! {
    /// One attempt under its idle and first-byte limits.
    pub(crate) struct Watched<F> {
        #[pin]
        attempt: F,
        #[pin]
        timer: Sleep,
        progress: Option<Arc<SendProgress>>,
        timeouts: Timeouts,
    }
}

/// Runs `attempt`, failing it with [`ErrorKind::Timeout`] when its request body stops moving
/// for `timeouts.idle`, or when no response arrives within `timeouts.first_byte` of the body's
/// end. Without `progress` (a request without a body) the first-byte limit runs from now.
pub(crate) fn watch<F>(
    attempt: F,
    progress: Option<Arc<SendProgress>>,
    timeouts: Timeouts,
) -> Watched<F> {
    let first = match &progress {
        Some(progress) => progress.expiry(&timeouts).0,
        None => Instant::now() + timeouts.first_byte,
    };
    Watched {
        attempt,
        timer: tokio::time::sleep_until(first),
        progress,
        timeouts,
    }
}

impl<F, T> Future for Watched<F>
where
    F: Future<Output = Result<T, Error>>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(outcome) = this.attempt.poll(cx) {
            return Poll::Ready(outcome);
        }
        loop {
            if this.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let (expiry, phase) = match this.progress {
                Some(progress) => progress.expiry(this.timeouts),
                None => (this.timer.deadline(), Phase::AwaitingResponse),
            };
            if Instant::now() >= expiry {
                return Poll::Ready(Err(match phase {
                    Phase::Sending => idle_error(this.timeouts.idle, "sending the request body"),
                    Phase::AwaitingResponse => first_byte_error(this.timeouts.first_byte),
                }));
            }
            this.timer.as_mut().reset(expiry);
        }
    }
}

pin_project! {
    /// A future under an optional deadline.
    pub(crate) struct Bounded<F> {
        #[pin]
        inner: F,
        #[pin]
        timer: Option<Sleep>,
        total: Duration,
    }
}

/// Runs `inner` until the deadline `(at, total)`, then fails with [`ErrorKind::Deadline`].
pub(crate) fn bounded<F>(inner: F, deadline: Option<(Instant, Duration)>) -> Bounded<F> {
    Bounded {
        inner,
        timer: deadline.map(|(at, _)| tokio::time::sleep_until(at)),
        total: deadline.map_or(Duration::ZERO, |(_, total)| total),
    }
}

impl<F, T> Future for Bounded<F>
where
    F: Future<Output = Result<T, Error>>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(outcome) = this.inner.poll(cx) {
            return Poll::Ready(outcome);
        }
        match this.timer.as_pin_mut().map(|timer| timer.poll(cx)) {
            Some(Poll::Ready(())) => Poll::Ready(Err(deadline_error(*this.total))),
            _ => Poll::Pending,
        }
    }
}

/// No byte moved for `idle` while doing `what`.
pub(crate) fn idle_error(idle: Duration, what: &str) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!(
            "no byte moved for {} while {what} (idle timeout)",
            format_duration(idle)
        ),
    )
}

fn first_byte_error(first_byte: Duration) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!(
            "no response within {} of sending the request (first-byte timeout)",
            format_duration(first_byte)
        ),
    )
}

/// The operation's deadline passed.
pub(crate) fn deadline_error(deadline: Duration) -> Error {
    Error::new(
        ErrorKind::Deadline,
        format!(
            "the operation did not finish within its deadline of {}",
            format_duration(deadline)
        ),
    )
}

/// `1.5 s`, `300 ms`.
fn format_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else if d.as_secs() > 0 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(idle: u64, first_byte: u64) -> Timeouts {
        Timeouts {
            idle: Duration::from_secs(idle),
            first_byte: Duration::from_secs(first_byte),
            deadline: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_keeps_moving_is_never_idle() {
        let progress = Arc::new(SendProgress::new());
        let body = {
            let progress = Arc::clone(&progress);
            async move {
                // 100 chunks, one every 5 s: 500 s in all, far beyond every limit.
                for _ in 0..100 {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    progress.chunk();
                }
                progress.finish();
                tokio::time::sleep(Duration::from_secs(9)).await;
                Ok::<_, Error>("answer")
            }
        };
        let started = Instant::now();
        let outcome = watch(body, Some(progress), limits(10, 10)).await;
        assert_eq!(outcome.unwrap(), "answer");
        assert_eq!(started.elapsed(), Duration::from_secs(509));
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_after_the_idle_limit() {
        let progress = Arc::new(SendProgress::new());
        let body = {
            let progress = Arc::clone(&progress);
            async move {
                tokio::time::sleep(Duration::from_secs(3)).await;
                progress.chunk();
                std::future::pending::<Result<(), Error>>().await
            }
        };
        let started = Instant::now();
        let error = watch(body, Some(progress), limits(10, 60))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert_eq!(started.elapsed(), Duration::from_secs(13));
        assert_eq!(
            error.to_string(),
            "no byte moved for 10 s while sending the request body (idle timeout)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_byte_limit_starts_when_the_body_is_sent() {
        let progress = Arc::new(SendProgress::new());
        let body = {
            let progress = Arc::clone(&progress);
            async move {
                tokio::time::sleep(Duration::from_secs(8)).await;
                progress.finish();
                std::future::pending::<Result<(), Error>>().await
            }
        };
        let started = Instant::now();
        let error = watch(body, Some(progress), limits(10, 30))
            .await
            .unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(38));
        assert_eq!(
            error.to_string(),
            "no response within 30 s of sending the request (first-byte timeout)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_body_the_first_byte_limit_runs_from_the_start() {
        let started = Instant::now();
        let pending = std::future::pending::<Result<(), Error>>();
        let error = watch(pending, None, limits(10, 30)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert_eq!(started.elapsed(), Duration::from_secs(30));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_secs(20)), "20 s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(format_duration(Duration::from_millis(300)), "300 ms");
    }
}
