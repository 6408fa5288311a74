//! The request body: empty, in-memory bytes, or a stream of known length.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use http_body::{Frame, SizeHint};

use crate::timeouts::SendProgress;

/// Errors a body stream may yield.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A request body.
///
/// In-memory bodies can be replayed ([`Body::try_clone`]); a stream can be sent once. A stream
/// carries its exact length in bytes, which becomes `Content-Length`: OSS needs it for PutObject
/// and UploadPart. A stream that ends early or runs long fails the request instead of sending a
/// body that differs from its declared length.
pub struct Body {
    kind: Kind,
    /// Told of every chunk handed to the connection, for the idle timeout.
    progress: Option<Arc<SendProgress>>,
}

/// The largest frame handed to the connection at once (64 KiB). Larger chunks are split, so
/// that a slow link shows progress at least this often and the connection's write buffer
/// never holds a whole large body.
const MAX_FRAME: usize = 64 * 1024;

enum Kind {
    Empty,
    Bytes(Option<Bytes>),
    Stream {
        stream: BoxStream,
        /// Bytes the stream has still to yield.
        remaining: u64,
        /// The rest of a chunk larger than [`MAX_FRAME`], sent before the stream is polled again.
        pending: Bytes,
        /// Where a file-backed stream comes from, so that it can be opened again.
        file: Option<FileRange>,
        /// Observers to attach again to a reopened stream.
        observers: Vec<Arc<dyn ChunkObserver>>,
    },
}

/// Sees the chunks of a body as they are sent; see [`Body::observe`].
pub trait ChunkObserver: Send + Sync {
    /// A new attempt starts sending the body from its first byte.
    fn restart(&self);
    /// The next chunk.
    fn chunk(&self, data: &Bytes);
}

/// A stream that shows its chunks to an observer.
struct Observed {
    inner: BoxStream,
    observer: Arc<dyn ChunkObserver>,
    started: bool,
}

impl Stream for Observed {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if !self.started {
            self.started = true;
            self.observer.restart();
        }
        let polled = self.inner.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            self.observer.chunk(chunk);
        }
        polled
    }
}

/// A byte range of a file.
#[derive(Debug, Clone)]
struct FileRange {
    path: Arc<PathBuf>,
    offset: u64,
    length: u64,
}

impl Body {
    /// No body.
    pub fn empty() -> Self {
        Self::of(Kind::Empty)
    }

    fn of(kind: Kind) -> Self {
        Self {
            kind,
            progress: None,
        }
    }

    /// An in-memory body.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        if bytes.is_empty() {
            return Self::empty();
        }
        Self::of(Kind::Bytes(Some(bytes)))
    }

    /// A one-shot stream of exactly `length` bytes.
    pub fn from_stream<S, E>(stream: S, length: u64) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        use futures_util::StreamExt as _;
        Self::of(Kind::Stream {
            stream: Box::pin(stream.map(|r| r.map_err(Into::into))),
            remaining: length,
            pending: Bytes::new(),
            file: None,
            observers: Vec::new(),
        })
    }

    /// The whole content of the file at `path`, streamed (not read into memory). It can be
    /// replayed: a retry opens the file again.
    ///
    /// # Errors
    /// The I/O error of reading the file's length.
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let length = tokio::fs::metadata(path.as_ref()).await?.len();
        Ok(Self::from_file_range(path.as_ref(), 0, length))
    }

    /// `length` bytes of the file at `path` from `offset`, streamed. The file is opened when
    /// the body is first read, and again for every replay. A file shorter than the range fails
    /// the request.
    pub fn from_file_range(path: impl Into<PathBuf>, offset: u64, length: u64) -> Self {
        let range = FileRange {
            path: Arc::new(path.into()),
            offset,
            length,
        };
        Self::open_range(range)
    }

    fn open_range(range: FileRange) -> Self {
        Self::open_observed(range, Vec::new())
    }

    fn open_observed(range: FileRange, observers: Vec<Arc<dyn ChunkObserver>>) -> Self {
        use futures_util::StreamExt as _;
        let opened =
            crate::file_chunks::file_chunks(Arc::clone(&range.path), range.offset, range.length)
                .map(|r| r.map_err(BoxError::from));
        let mut body = Self::of(Kind::Stream {
            stream: Box::pin(opened),
            remaining: range.length,
            pending: Bytes::new(),
            file: Some(range),
            observers: Vec::new(),
        });
        for observer in observers {
            body = body.observe(observer);
        }
        body
    }

    /// Shows every chunk to `observer` as it is sent (for example to compute a checksum while
    /// streaming). `observer.restart()` is called before the first chunk of every attempt, so
    /// a replayed body is observed from its start again. An in-memory body is observed once,
    /// at once, whole (its replays are the same bytes).
    pub fn observe(self, observer: Arc<dyn ChunkObserver>) -> Self {
        match self.kind {
            Kind::Empty => {
                observer.restart();
                self
            }
            Kind::Bytes(ref b) => {
                observer.restart();
                if let Some(b) = b {
                    observer.chunk(b);
                }
                self
            }
            Kind::Stream {
                stream,
                remaining,
                pending,
                file,
                observers,
            } => {
                let mut observers = observers;
                observers.push(Arc::clone(&observer));
                Self {
                    kind: Kind::Stream {
                        stream: Box::pin(Observed {
                            inner: stream,
                            observer,
                            started: false,
                        }),
                        remaining,
                        pending,
                        file,
                        observers,
                    },
                    progress: self.progress,
                }
            }
        }
    }

    /// The exact length in bytes.
    pub fn content_length(&self) -> u64 {
        match &self.kind {
            Kind::Empty => 0,
            Kind::Bytes(b) => b.as_ref().map_or(0, |b| b.len() as u64),
            Kind::Stream {
                remaining, pending, ..
            } => *remaining + pending.len() as u64,
        }
    }

    /// Reports every chunk handed to the connection to `progress` (the idle timeout's view of
    /// an attempt).
    pub(crate) fn track(&mut self, progress: Arc<SendProgress>) {
        self.progress = Some(progress);
    }

    /// A copy that can be sent again from its start: in-memory bodies and file ranges;
    /// `None` for a one-shot stream.
    pub fn try_clone(&self) -> Option<Self> {
        match &self.kind {
            Kind::Empty => Some(Self::empty()),
            Kind::Bytes(b) => Some(Self::of(Kind::Bytes(b.clone()))),
            Kind::Stream {
                file: Some(range),
                observers,
                ..
            } => Some(Self::open_observed(range.clone(), observers.clone())),
            Kind::Stream { file: None, .. } => None,
        }
    }

    /// The bytes of an in-memory body.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.kind {
            Kind::Empty => Some(&[]),
            Kind::Bytes(b) => Some(b.as_deref().unwrap_or(&[])),
            Kind::Stream { .. } => None,
        }
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            Kind::Empty => "empty",
            Kind::Bytes(_) => "bytes",
            Kind::Stream { .. } => "stream",
        };
        f.debug_struct("Body")
            .field("kind", &kind)
            .field("content_length", &self.content_length())
            .finish()
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Self::from_bytes(b)
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Self {
        Self::from_bytes(b)
    }
}

impl From<&'static [u8]> for Body {
    fn from(b: &'static [u8]) -> Self {
        Self::from_bytes(Bytes::from_static(b))
    }
}

impl From<&'static str> for Body {
    fn from(b: &'static str) -> Self {
        Self::from_bytes(Bytes::from_static(b.as_bytes()))
    }
}

impl From<String> for Body {
    fn from(b: String) -> Self {
        Self::from_bytes(b)
    }
}

impl Body {
    /// The next frame of at most [`MAX_FRAME`] bytes.
    fn poll_data(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.kind {
            Kind::Empty => Poll::Ready(None),
            Kind::Bytes(b) => Poll::Ready(b.take().map(|mut bytes| {
                if bytes.len() > MAX_FRAME {
                    *b = Some(bytes.split_off(MAX_FRAME));
                }
                Ok(Frame::data(bytes))
            })),
            Kind::Stream {
                stream,
                remaining,
                pending,
                ..
            } => {
                if pending.is_empty() {
                    match stream.as_mut().poll_next(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Some(Ok(chunk))) => {
                            let len = chunk.len() as u64;
                            if len > *remaining {
                                return Poll::Ready(Some(Err(
                                    "the body stream yielded more bytes than its declared length"
                                        .into(),
                                )));
                            }
                            *remaining -= len;
                            *pending = chunk;
                        }
                        Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                        Poll::Ready(None) if *remaining > 0 => {
                            return Poll::Ready(Some(Err(format!(
                                "the body stream ended {remaining} bytes before its declared length"
                            )
                            .into())));
                        }
                        Poll::Ready(None) => return Poll::Ready(None),
                    }
                }
                let frame = pending.split_to(pending.len().min(MAX_FRAME));
                Poll::Ready(Some(Ok(Frame::data(frame))))
            }
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let polled = this.poll_data(cx);
        if let Some(progress) = &this.progress {
            match &polled {
                Poll::Ready(Some(Ok(_))) if !this.is_end_stream() => progress.chunk(),
                Poll::Ready(Some(Ok(_)) | None) => progress.finish(),
                _ => {}
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Empty => true,
            Kind::Bytes(b) => b.is_none(),
            Kind::Stream {
                remaining, pending, ..
            } => *remaining == 0 && pending.is_empty(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.content_length())
    }
}
