//! Streaming response bodies with length and CRC-64 verification.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use http_body::Body as _;
use oss_http::ResponseBody;

use crate::checksum::Crc64;
use crate::error::{Error, ErrorKind};

/// An object's content as an async stream of byte chunks.
///
/// The stream ends with an error instead of ending quietly when the connection delivers fewer
/// bytes than `Content-Length`, or, for a full (not ranged) download, when the CRC-64 of the
/// bytes differs from OSS's `x-oss-hash-crc64ecma` ([`ErrorKind::ChecksumMismatch`]). Bytes are
/// returned exactly as stored: `Content-Encoding: gzip` objects are not decompressed.
pub struct ByteStream {
    body: Option<ResponseBody>,
    expected_length: Option<u64>,
    received: u64,
    crc: Option<(Crc64, u64)>,
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
        }
    }

    /// A stream with no bytes.
    pub(crate) fn empty() -> Self {
        Self {
            body: None,
            expected_length: Some(0),
            received: 0,
            crc: None,
        }
    }

    /// The number of bytes the stream will yield, when the response declared it.
    pub fn content_length(&self) -> Option<u64> {
        self.expected_length
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
            if self.received != expected {
                return Some(Err(Error::new(
                    ErrorKind::Transport,
                    format!(
                        "the response body ended after {} of {expected} bytes",
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
        loop {
            let Some(body) = this.body.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(this.finish()),
                Poll::Ready(Some(Err(e))) => {
                    this.body = None;
                    return Poll::Ready(Some(Err(Error::new(
                        ErrorKind::Transport,
                        "reading the response body failed",
                    )
                    .with_source(e))));
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
                    return Poll::Ready(Some(Ok(data)));
                }
            }
        }
    }
}
