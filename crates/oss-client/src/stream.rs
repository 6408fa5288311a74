//! Streaming response bodies with length and CRC-64 verification.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use http_body::Body as _;
use oss_http::ResponseBody;

use crate::checksum::Crc64;
use crate::error::{Error, ErrorKind};
use crate::pacing::ReadPacing;

/// An object's content as an async stream of byte chunks.
///
/// When the connection breaks, stalls past the idle timeout or ends early, a GetObject stream
/// resumes by itself: it asks for the rest of the bytes with a ranged GetObject pinned to the
/// object's ETag (`If-Match`), within the client's retry attempts, so a replaced object fails
/// (`PreconditionFailed`) instead of mixing versions. The stream ends with an error instead of
/// ending quietly when the bytes still fall short of `Content-Length`, or, for a full (not
/// ranged) download, when the CRC-64 of all the bytes, across resumes, differs from OSS's
/// `x-oss-hash-crc64ecma` ([`ErrorKind::ChecksumMismatch`]). Bytes are returned exactly as
/// stored: `Content-Encoding: gzip` objects are not decompressed.
pub struct ByteStream {
    body: Option<ResponseBody>,
    expected_length: Option<u64>,
    received: u64,
    crc: Option<(Crc64, u64)>,
    resume: Option<Box<Resumption>>,
    pacing: Option<Box<ReadPacing>>,
}

/// A future yielding the body of the rest of a stream.
pub(crate) type Reopening = Pin<Box<dyn Future<Output = Result<ResponseBody, Error>> + Send>>;

/// Asks for the rest of a stream again after its connection failed.
pub(crate) trait Reopen: Send {
    /// The body of the bytes from `received` (counted from the stream's first byte) to the
    /// stream's end, pinned to the same object version. `resume` counts from 1.
    fn reopen(&self, received: u64, resume: u32) -> Reopening;
}

/// How a stream resumes, and how often it still may.
pub(crate) struct Resumption {
    reopen: Box<dyn Reopen>,
    left: u32,
    done: u32,
    pending: Option<Reopening>,
}

impl Resumption {
    /// Resumes through `reopen` at most `times` times.
    pub(crate) fn new(reopen: impl Reopen + 'static, times: u32) -> Self {
        Self {
            reopen: Box::new(reopen),
            left: times,
            done: 0,
            pending: None,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("expected_length", &self.expected_length)
            .field("received", &self.received)
            .field("verifies_crc64", &self.crc.is_some())
            .finish()
    }
}

impl ByteStream {
    pub(crate) fn new(
        body: ResponseBody,
        expected_length: Option<u64>,
        expected_crc: Option<u64>,
    ) -> Self {
        Self {
            body: Some(body),
            expected_length,
            received: 0,
            crc: expected_crc.map(|c| (Crc64::new(), c)),
            resume: None,
            pacing: None,
        }
    }

    /// Reports progress and keeps to a rate limit as `pacing` says.
    pub(crate) fn pacing(mut self, pacing: Option<Box<ReadPacing>>) -> Self {
        self.pacing = pacing;
        self
    }

    /// Resumes after connection failures as `resumption` says.
    pub(crate) fn resuming(mut self, resumption: Resumption) -> Self {
        if resumption.left > 0 {
            self.resume = Some(Box::new(resumption));
        }
        self
    }

    /// The response body itself, unread (a resumed request's).
    pub(crate) fn into_body(self) -> Option<ResponseBody> {
        self.body
    }

    /// After `error`, starts asking for the rest of the bytes when the error is a broken or
    /// stalled connection and resumes are left; `false` means the error stands.
    fn try_resume(&mut self, error: &Error) -> bool {
        self.body = None;
        let retryable = matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout);
        let Some(resume) = self.resume.as_mut().filter(|r| retryable && r.left > 0) else {
            return false;
        };
        resume.left -= 1;
        resume.done += 1;
        tracing::debug!(
            error = %error,
            received = self.received,
            resume = resume.done,
            "the response body broke off; asking for the rest"
        );
        resume.pending = Some(resume.reopen.reopen(self.received, resume.done));
        true
    }

    /// The bytes fell short of the declared length.
    fn short(&self) -> Option<Error> {
        let expected = self.expected_length?;
        (self.received < expected).then(|| {
            Error::new(
                ErrorKind::Transport,
                format!(
                    "the response body ended after {} of {expected} bytes",
                    self.received
                ),
            )
        })
    }

    /// A stream with no bytes.
    pub(crate) fn empty() -> Self {
        Self {
            body: None,
            expected_length: Some(0),
            received: 0,
            crc: None,
            resume: None,
            pacing: None,
        }
    }

    /// The number of bytes the stream will yield, when the response declared it.
    pub fn content_length(&self) -> Option<u64> {
        self.expected_length
    }

    /// The stream as a [`tokio::io::AsyncBufRead`] (and so [`tokio::io::AsyncRead`]), for code
    /// that takes a reader: `tokio::io::copy` into a file, a decompressor, a line reader. The
    /// same checks hold (length, CRC-64, resumption after a broken connection); an error
    /// reaches the reader as an [`std::io::Error`] of kind `Other` whose
    /// [`get_ref`](std::io::Error::get_ref) is this crate's [`Error`] (downcast it to see the
    /// [`ErrorKind`], e.g. [`ErrorKind::ChecksumMismatch`]).
    ///
    /// ```no_run
    /// # async fn demo(client: oss_client::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let object = client.get_object().bucket("examplebucket").key("log.txt").send().await?;
    /// let mut file = tokio::fs::File::create("log.txt").await?;
    /// let copied = tokio::io::copy(&mut object.body.into_async_read(), &mut file).await?;
    /// println!("{copied} bytes");
    /// # Ok(()) }
    /// ```
    pub fn into_async_read(self) -> impl tokio::io::AsyncBufRead + Send + Unpin + 'static {
        use futures_util::TryStreamExt as _;
        tokio_util::io::StreamReader::new(self.map_err(std::io::Error::other))
    }

    /// Reads the whole stream into memory.
    ///
    /// # Errors
    /// [`ErrorKind::Transport`] when the connection fails or ends early;
    /// [`ErrorKind::ChecksumMismatch`] when the CRC-64 check fails.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        use futures_util::StreamExt as _;
        let capacity =
            usize::try_from(self.expected_length.unwrap_or(0).min(64 << 20)).unwrap_or(0);
        let mut out = BytesMut::with_capacity(capacity);
        let mut single: Option<Bytes> = None;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            match (&single, out.is_empty()) {
                (None, true) => single = Some(chunk),
                _ => {
                    if let Some(first) = single.take() {
                        out.extend_from_slice(&first);
                    }
                    out.extend_from_slice(&chunk);
                }
            }
        }
        Ok(single.unwrap_or_else(|| out.freeze()))
    }

    fn finish(&mut self) -> Option<Result<Bytes, Error>> {
        self.body = None;
        if let Some(expected) = self.expected_length {
            if self.received > expected {
                return Some(Err(Error::new(
                    ErrorKind::Transport,
                    format!(
                        "the response body ran to {} bytes, past its {expected}",
                        self.received
                    ),
                )));
            }
        }
        if let Some((crc, expected)) = self.crc.take() {
            let actual = crc.finish();
            if actual != expected {
                return Some(Err(Error::new(
                    ErrorKind::ChecksumMismatch,
                    format!("CRC-64 mismatch: computed {actual}, OSS reported {expected}"),
                )));
            }
        }
        None
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(pacing) = this.pacing.as_mut() {
            std::task::ready!(pacing.poll_ready(cx));
        }
        loop {
            if let Some(pending) = this.resume.as_mut().and_then(|r| r.pending.as_mut()) {
                let reopened = std::task::ready!(pending.as_mut().poll(cx));
                if let Some(resume) = this.resume.as_mut() {
                    resume.pending = None;
                }
                match reopened {
                    Ok(body) => this.body = Some(body),
                    Err(e) if this.try_resume(&e) => {}
                    Err(e) => return Poll::Ready(Some(Err(e))),
                }
                continue;
            }
            let Some(body) = this.body.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => match this.short() {
                    Some(e) if this.try_resume(&e) => {}
                    Some(e) => {
                        this.body = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                    None => return Poll::Ready(this.finish()),
                },
                Poll::Ready(Some(Err(e))) => {
                    let e = Error::from(e);
                    if !this.try_resume(&e) {
                        return Poll::Ready(Some(Err(e)));
                    }
                }
                Poll::Ready(Some(Ok(frame))) => {
                    let Ok(data) = frame.into_data() else {
                        continue;
                    };
                    if data.is_empty() {
                        continue;
                    }
                    this.received += data.len() as u64;
                    if let Some((crc, _)) = this.crc.as_mut() {
                        crc.update(&data);
                    }
                    if let Some(pacing) = this.pacing.as_mut() {
                        pacing.received(data.len() as u64);
                    }
                    return Poll::Ready(Some(Ok(data)));
                }
            }
        }
    }
}
