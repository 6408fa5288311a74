//! The response body: hyper's stream, or bytes the middleware already read (an error document
//! it had to inspect).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;

/// A response body as the stack hands it to callers.
pub struct ResponseBody {
    kind: Kind,
}

enum Kind {
    Streaming(Incoming),
    Buffered(Option<Bytes>),
}

impl ResponseBody {
    /// Wraps hyper's streaming body.
    pub fn streaming(body: Incoming) -> Self {
        Self {
            kind: Kind::Streaming(body),
        }
    }

    /// A body already in memory.
    pub fn buffered(bytes: Bytes) -> Self {
        Self {
            kind: Kind::Buffered(Some(bytes)),
        }
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
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match &mut self.get_mut().kind {
            Kind::Streaming(body) => Pin::new(body).poll_frame(cx),
            Kind::Buffered(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
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
