//! The response body: hyper's stream, or bytes the middleware already read (an error document
//! it had to inspect), read under the request's idle timeout and deadline.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

use crate::error::{Error, ErrorKind};
use crate::timeouts::{deadline_error, idle_error};

/// A response body as the stack hands it to callers.
///
/// Reading it fails with [`ErrorKind::Timeout`] when no byte arrives for the request's idle
/// timeout, with [`ErrorKind::Deadline`] when the operation's deadline passes, and with [`ErrorKind::Transport`] when the
/// connection breaks or ends before the declared length (hyper's `IncompleteBody`): a body cut
/// short is never a clean end.
pub struct ResponseBody {
    kind: Kind,
    limits: Option<Box<Limits>>,
}

enum Kind {
    Streaming(Incoming),
    Buffered(Option<Bytes>),
}

/// The idle timeout and deadline of a streaming body, with the one timer that enforces both
/// (boxed, and made only for bodies that had to wait for data).
struct Limits {
    idle: Duration,
    deadline: Option<(Instant, Duration)>,
    last_data: Instant,
    timer: Option<Pin<Box<Sleep>>>,
}

impl Limits {
    /// When reading fails if nothing arrives, and the error it fails with.
    fn expiry(&self) -> (Instant, Error) {
        let idle_at = self.last_data + self.idle;
        match self.deadline {
            Some((at, total)) if at <= idle_at => (at, deadline_error(total)),
            _ => (idle_at, idle_error(self.idle, "reading the response body")),
        }
    }

    /// `Ready(error)` once a limit has passed; otherwise the timer is armed for the next one.
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<Error> {
        loop {
            let (at, error) = self.expiry();
            if Instant::now() >= at {
                return Poll::Ready(error);
            }
            let timer = self
                .timer
                .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at)));
            if timer.deadline() != at {
                timer.as_mut().reset(at);
            }
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
    }
}

impl ResponseBody {
    /// Wraps hyper's streaming body.
    pub fn streaming(body: Incoming) -> Self {
        Self {
            kind: Kind::Streaming(body),
            limits: None,
        }
    }

    /// A body already in memory.
    pub fn buffered(bytes: Bytes) -> Self {
        Self {
            kind: Kind::Buffered(Some(bytes)),
            limits: None,
        }
    }

    /// Reads under `idle` (no byte for this long fails the read) and, when given, the deadline
    /// `(at, total)` of the operation. A body already in memory has nothing to wait for.
    pub(crate) fn with_limits(
        mut self,
        idle: Duration,
        deadline: Option<(Instant, Duration)>,
    ) -> Self {
        if let Kind::Streaming(_) = self.kind {
            self.limits = Some(Box::new(Limits {
                idle,
                deadline,
                last_data: Instant::now(),
                timer: None,
            }));
        }
        self
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Streaming(_) => f.write_str("ResponseBody::Streaming"),
            Kind::Buffered(b) => write!(
                f,
                "ResponseBody::Buffered({} bytes)",
                b.as_ref().map_or(0, Bytes::len)
            ),
        }
    }
}

impl http_body::Body for ResponseBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = self.get_mut();
        let body = match &mut this.kind {
            Kind::Buffered(bytes) => {
                return Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b))));
            }
            Kind::Streaming(body) => body,
        };
        match Pin::new(body).poll_frame(cx) {
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Error::new(
                ErrorKind::Transport,
                "reading the response body failed",
            )
            .with_source(e)))),
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(limits) = this.limits.as_mut() {
                    limits.last_data = Instant::now();
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this.limits.as_mut().map(|l| l.poll_expired(cx)) {
                Some(Poll::Ready(error)) => {
                    // The connection is dropped with the body; nothing more is read from it.
                    this.kind = Kind::Buffered(None);
                    Poll::Ready(Some(Err(error)))
                }
                _ => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Streaming(body) => body.is_end_stream(),
            Kind::Buffered(bytes) => bytes.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Streaming(body) => body.size_hint(),
            Kind::Buffered(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
        }
    }
}
