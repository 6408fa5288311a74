//! [`Body`], the body of every answer: bytes in memory, or a stream of known length.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;

/// A response body: bytes in memory, or a stream of known length (an object read from the
/// data directory).
pub(crate) enum Body {
    /// All of it, sent as one frame.
    Full(Bytes),
    /// `len` bytes, as they are read.
    Stream {
        /// The exact length in bytes.
        len: u64,
        /// The frames.
        frames: UnsyncBoxBody<Bytes, io::Error>,
    },
}

impl Body {
    /// A stream of exactly `len` bytes.
    pub(crate) fn stream(
        len: u64,
        frames: impl http_body::Body<Data = Bytes, Error = io::Error> + Send + 'static,
    ) -> Self {
        Self::Stream {
            len,
            frames: UnsyncBoxBody::new(frames),
        }
    }

    /// The length in bytes (of what is left, for [`Body::Full`]).
    pub(crate) fn len(&self) -> u64 {
        match self {
            Self::Full(b) => b.len() as u64,
            Self::Stream { len, .. } => *len,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(b) => f.debug_tuple("Full").field(&b.len()).finish(),
            Self::Stream { len, .. } => f.debug_struct("Stream").field("len", len).finish(),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self::Full(bytes)
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self::Full(Bytes::from(text))
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Self::Full(b) if b.is_empty() => Poll::Ready(None),
            Self::Full(b) => Poll::Ready(Some(Ok(Frame::data(std::mem::take(b))))),
            Self::Stream { frames, .. } => Pin::new(frames).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Full(b) => b.is_empty(),
            Self::Stream { frames, .. } => frames.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(b) => SizeHint::with_exact(b.len() as u64),
            Self::Stream { frames, .. } => frames.size_hint(),
        }
    }
}
