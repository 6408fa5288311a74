//! An append-only writer over AppendObject, tracking the position and the chained CRC-64.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use tokio::io::AsyncWrite;

use crate::checksum::{crc64, crc64_combine};
use crate::client::Client;
use crate::error::Error;
use crate::operation::append_object::{AppendObjectOutput, AppendObjectRequest};
use crate::operation::required;

/// Bytes gathered before an AppendObject is sent unless set: 1 MiB.
const DEFAULT_BUFFER_SIZE: usize = 1 << 20;

impl Client {
    /// Opens an Appendable object for appending (the official Go v2 SDK's `AppendFile`),
    /// creating it with the first append when it does not exist. See [`AppendOnlyFile`].
    pub fn append_file(&self) -> AppendFileRequest {
        AppendFileRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            buffer_size: DEFAULT_BUFFER_SIZE,
            create_with: None,
        }
    }
}

/// Sets the options of the AppendObject that creates the object.
type CreateWith = Box<dyn FnOnce(AppendObjectRequest) -> AppendObjectRequest + Send>;

/// What [`Client::append_file`] opens.
pub struct AppendFileRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    buffer_size: usize,
    create_with: Option<CreateWith>,
}

impl fmt::Debug for AppendFileRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppendFileRequest")
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("buffer_size", &self.buffer_size)
            .field("create_with", &self.create_with.is_some())
            .finish()
    }
}

impl AppendFileRequest {
    /// The bucket (required).
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The object key (required).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// How many written bytes are gathered into one AppendObject (default 1 MiB, at least
    /// 1); a flush sends what is gathered sooner.
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buffer_size = bytes;
        self
    }

    /// The options of the AppendObject that creates the object (Content-Type, metadata,
    /// tags, …: any [`AppendObjectRequest`] setter but bucket, key, position and body), e.g.
    /// `.create_with(|append| append.content_type("text/plain").metadata("source", "app"))`.
    /// They apply only when the file creates the object: opening an existing object with
    /// them is refused, as they could not be applied.
    pub fn create_with(
        mut self,
        options: impl FnOnce(AppendObjectRequest) -> AppendObjectRequest + Send + 'static,
    ) -> Self {
        self.create_with = Some(Box::new(options));
        self
    }

    /// Sends the HeadObject that finds where appends continue: at the end of an existing
    /// Appendable object (its length and CRC-64), or at 0 when there is none.
    ///
    /// # Errors
    /// Input errors before I/O ([`crate::ErrorKind::InvalidArgument`] for a buffer size of
    /// 0, when the object exists but is not Appendable, e.g. `Normal` or `Multipart`, or
    /// when it exists and [`create_with`](Self::create_with) was set);
    /// the HeadObject's service errors other than `NoSuchKey`.
    pub async fn send(self) -> Result<AppendOnlyFile, Error> {
        if self.buffer_size == 0 {
            return Err(Error::invalid_argument(
                "the append buffer holds at least one byte",
            ));
        }
        let bucket = required(self.bucket, "bucket")?;
        let key = required(self.key, "key")?;
        let head = self
            .client
            .head_object()
            .bucket(&bucket)
            .key(&key)
            .send()
            .await;
        let (position, crc64) = match head {
            Ok(object) if object.object_type.as_deref() == Some("Appendable") => {
                if self.create_with.is_some() {
                    return Err(Error::invalid_argument(format!(
                        "{key} exists; the options of create_with apply only when the file \
                         creates the object"
                    )));
                }
                (object.content_length, object.crc64)
            }
            Ok(object) => {
                return Err(Error::invalid_argument(format!(
                    "{key} is a {} object; only Appendable objects take appends",
                    object.object_type.as_deref().unwrap_or("non-appendable")
                )));
            }
            Err(e) if e.code() == Some("NoSuchKey") => (0, Some(0)),
            Err(e) => return Err(e),
        };
        Ok(AppendOnlyFile {
            client: self.client,
            bucket,
            key,
            position,
            crc64,
            buffer: BytesMut::new(),
            buffer_size: self.buffer_size,
            create_with: self.create_with,
            in_flight: None,
            failed: false,
        })
    }
}

type Appending = Pin<Box<dyn Future<Output = (Result<AppendObjectOutput, Error>, Bytes)> + Send>>;

/// An Appendable object opened with [`Client::append_file`]: an [`AsyncWrite`] whose bytes
/// are gathered up to [`buffer_size`](AppendFileRequest::buffer_size) and sent as one
/// AppendObject (`POST ?append&position=N`) at a time, each at the position the previous
/// answer gave (`x-oss-next-append-position`).
///
/// A write returns once its bytes are gathered; they are stored when a later write fills the
/// buffer, or on `flush`/`shutdown` (call one before dropping the file: gathered bytes that
/// were never flushed are not sent). Each answer's `x-oss-hash-crc64ecma` is checked against
/// the CRC-64 chained from the object's previous one and the bytes sent
/// ([`crate::ErrorKind::ChecksumMismatch`] otherwise). An error reaches the writer as an
/// [`io::Error`] whose [`get_ref`](io::Error::get_ref) is this crate's [`Error`] (e.g. code
/// `PositionNotEqualToLength` when another writer appended meanwhile, `ObjectNotAppendable`
/// once the object is sealed); after one, every later write fails too: open the file again.
///
/// ```no_run
/// # async fn demo(client: oss_client::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use tokio::io::AsyncWriteExt as _;
///
/// let mut log = client.append_file().bucket("examplebucket").key("app.log").send().await?;
/// log.write_all(b"started\n").await?;
/// log.flush().await?;
/// println!("{} bytes, CRC-64 {:?}", log.position(), log.crc64());
/// # Ok(()) }
/// ```
pub struct AppendOnlyFile {
    client: Client,
    bucket: String,
    key: String,
    position: u64,
    crc64: Option<u64>,
    buffer: BytesMut,
    buffer_size: usize,
    /// The creation options, until the first append (at position 0) takes them.
    create_with: Option<CreateWith>,
    in_flight: Option<Appending>,
    failed: bool,
}

impl fmt::Debug for AppendOnlyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppendOnlyFile")
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("position", &self.position)
            .field("crc64", &self.crc64)
            .field("buffered", &self.buffer.len())
            .field("appending", &self.in_flight.is_some())
            .finish()
    }
}

impl AppendOnlyFile {
    /// The object's length in bytes as of the last answer (where the next append goes);
    /// gathered bytes not yet sent are not counted.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The CRC-64 of the object as of the last answer, when known.
    pub fn crc64(&self) -> Option<u64> {
        self.crc64
    }

    /// Starts sending the gathered bytes.
    fn start_append(&mut self) {
        let data = self.buffer.split().freeze();
        // The creation options first, so that they cannot move the append elsewhere.
        let mut append = self.client.append_object();
        if let Some(create_with) = self.create_with.take() {
            append = create_with(append);
        }
        append = append
            .bucket(self.bucket.as_str())
            .key(self.key.as_str())
            .position(self.position)
            .body(data.clone());
        if let Some(crc) = self.crc64 {
            append = append.previous_crc64(crc);
        }
        self.in_flight = Some(Box::pin(async move { (append.send().await, data) }));
    }

    /// Waits for the append in flight, if any, and moves the position past it.
    fn poll_appended(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.failed {
            return Poll::Ready(Err(io::Error::other(
                "an earlier append failed; open the file again to continue",
            )));
        }
        let Some(appending) = self.in_flight.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let (answer, data) = ready!(appending.as_mut().poll(cx));
        self.in_flight = None;
        match answer {
            Ok(output) => {
                let chained = self
                    .crc64
                    .map(|crc| crc64_combine(crc, crc64(&data), data.len() as u64));
                self.position = output.next_position;
                self.crc64 = output.crc64.or(chained);
                Poll::Ready(Ok(()))
            }
            Err(e) => {
                self.failed = true;
                Poll::Ready(Err(io::Error::other(e)))
            }
        }
    }
}

impl AsyncWrite for AppendOnlyFile {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_appended(cx))?;
        if this.buffer.len() >= this.buffer_size {
            this.start_append();
            ready!(this.poll_appended(cx))?;
        }
        let n = buf.len().min(this.buffer_size - this.buffer.len());
        this.buffer.extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_appended(cx))?;
        if !this.buffer.is_empty() {
            this.start_append();
            ready!(this.poll_appended(cx))?;
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}
