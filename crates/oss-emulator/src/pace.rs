//! Pacing for the `slow=BPS` fault: request bodies read, and answers sent, at about a given
//! number of bytes per second, in chunks paced with tokio time (so paused time works).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;

/// How often a paced body moves: chunks hold `rate / TICKS_PER_SECOND` bytes (at least one).
const TICKS_PER_SECOND: u64 = 20;

/// The size of one paced chunk at `rate` bytes per second.
pub(crate) fn chunk_len(rate: u64) -> usize {
    usize::try_from((rate / TICKS_PER_SECOND).max(1)).unwrap_or(usize::MAX)
}

/// How long `len` bytes take at `rate` bytes per second.
pub(crate) fn duration_of(len: usize, rate: u64) -> Duration {
    let nanos = (len as u128).saturating_mul(1_000_000_000) / u128::from(rate.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// A request body as the handlers read it: the connection's body, optionally paced.
///
/// Paced, it waits `chunk / rate` before handing over each chunk and does not poll the
/// connection meanwhile, so the client is slowed by TCP flow control once buffers fill.
#[derive(Debug)]
pub(crate) struct ReqBody {
    inner: Incoming,
    rate: Option<u64>,
    pending: Bytes,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    paced: bool,
    /// Set once the connection's body has been read to its end.
    read_to_end: Arc<AtomicBool>,
}

impl ReqBody {
    /// `rate`: bytes per second, `None` for full speed.
    pub(crate) fn new(inner: Incoming, rate: Option<u64>) -> Self {
        let read_to_end = Arc::new(AtomicBool::new(inner.is_end_stream()));
        Self {
            read_to_end,
            inner,
            rate,
            pending: Bytes::new(),
            pause: None,
            paced: false,
        }
    }

    /// Whether the body was read to its end, readable after the body itself is gone: an
    /// answer sent before that must close the connection, or the client would send its next
    /// request behind the unread bytes.
    pub(crate) fn read_to_end(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.read_to_end)
    }

    fn poll_paced(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let Some(rate) = self.rate else {
            return Pin::new(&mut self.inner).poll_frame(cx);
        };
        loop {
            if let Some(pause) = &mut self.pause {
                ready!(pause.as_mut().poll(cx));
                self.pause = None;
            }
            if !self.pending.is_empty() {
                let n = chunk_len(rate).min(self.pending.len());
                if !self.paced {
                    self.paced = true;
                    self.pause = Some(Box::pin(tokio::time::sleep(duration_of(n, rate))));
                    continue;
                }
                self.paced = false;
                return Poll::Ready(Some(Ok(Frame::data(self.pending.split_to(n)))));
            }
            match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => self.pending = data,
                    Err(frame) => return Poll::Ready(Some(Ok(frame))),
                },
                other => return Poll::Ready(other),
            }
        }
    }
}

impl Body for ReqBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let frame = this.poll_paced(cx);
        if this.inner.is_end_stream() {
            this.read_to_end.store(true, Ordering::Relaxed);
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = self.inner.size_hint();
        let extra = self.pending.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower().saturating_add(extra));
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper.saturating_add(extra));
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_and_durations() {
        assert_eq!(chunk_len(1), 1);
        assert_eq!(chunk_len(19), 1);
        assert_eq!(chunk_len(2000), 100);
        assert_eq!(duration_of(100, 2000), Duration::from_millis(50));
        assert_eq!(duration_of(1, 1), Duration::from_secs(1));
        assert_eq!(duration_of(0, 0), Duration::ZERO);
    }
}
