//! A seekable reader over ranged GetObject requests, prefetching ahead and pinned to one
//! version of the object.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use tokio::task::JoinHandle;

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::operation::object_properties::ObjectProperties;
use crate::operation::required;
use crate::types::ByteRange;

/// How many bytes one ranged GetObject asks for unless set: 4 MiB.
const DEFAULT_CHUNK_SIZE: u64 = 4 << 20;
/// How many chunks are fetched ahead of the one being read unless set.
const DEFAULT_PREFETCH: usize = 3;

impl Client {
    /// Opens an object for reading at any position (the official Go v2 SDK's `OpenFile`): a
    /// HeadObject now, ranged GetObjects as it is read. See [`ReadOnlyFile`].
    pub fn open_file(&self) -> OpenFileRequest {
        OpenFileRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            version_id: None,
            chunk_size: DEFAULT_CHUNK_SIZE,
            prefetch: DEFAULT_PREFETCH,
        }
    }
}

/// What [`Client::open_file`] opens, and how it reads.
#[derive(Debug)]
pub struct OpenFileRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
    chunk_size: u64,
    prefetch: usize,
}

impl OpenFileRequest {
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

    /// One version of the object (`versionId`), in versioned buckets; the latest otherwise.
    pub fn version_id(mut self, version_id: impl Into<String>) -> Self {
        self.version_id = Some(version_id.into());
        self
    }

    /// Bytes per ranged GetObject (default 4 MiB, at least 1).
    pub fn chunk_size(mut self, bytes: u64) -> Self {
        self.chunk_size = bytes;
        self
    }

    /// How many chunks after the one being read are fetched in the background (default 3;
    /// 0 reads only on demand). A seek outside the chunks fetched drops them.
    pub fn prefetch_chunks(mut self, chunks: usize) -> Self {
        self.prefetch = chunks;
        self
    }

    /// Sends the HeadObject that pins the reader to the object's current ETag and size.
    ///
    /// # Errors
    /// Input errors before I/O ([`ErrorKind::InvalidArgument`] for a chunk size of 0); the
    /// HeadObject's service errors (`NoSuchKey`, `NoSuchVersion`…);
    /// [`ErrorKind::InvalidResponse`] when OSS answers without an ETag.
    pub async fn send(self) -> Result<ReadOnlyFile, Error> {
        if self.chunk_size == 0 {
            return Err(Error::invalid_argument("a chunk holds at least one byte"));
        }
        let bucket = required(self.bucket, "bucket")?;
        let key = required(self.key, "key")?;
        let mut head = self.client.head_object().bucket(&bucket).key(&key);
        if let Some(version) = &self.version_id {
            head = head.version_id(version);
        }
        let properties = head.send().await?;
        if properties.etag.is_empty() {
            return Err(Error::invalid_response(
                "HeadObject answered without an ETag; the reader cannot pin the object",
            ));
        }
        Ok(ReadOnlyFile {
            source: Source {
                client: self.client,
                bucket,
                key,
                version_id: self.version_id,
                etag: properties.etag.clone(),
            },
            size: properties.content_length,
            properties,
            chunk_size: self.chunk_size,
            prefetch: self.prefetch,
            position: 0,
            chunks: VecDeque::new(),
        })
    }
}

/// An object opened for reading with [`Client::open_file`]: [`AsyncRead`] + [`AsyncSeek`]
/// over ranged GetObject requests of [`chunk_size`](OpenFileRequest::chunk_size) bytes, the
/// next [`prefetch_chunks`](OpenFileRequest::prefetch_chunks) fetched in background tasks
/// while the current one is read.
///
/// Every request carries `If-Match` with the ETag HeadObject returned when the file was
/// opened, so an object replaced while it is read fails instead of mixing versions: the read
/// returns an [`io::Error`] whose [`get_ref`](io::Error::get_ref) is this crate's [`Error`]
/// with code `PreconditionFailed` (412). Reads at or past the size (as of opening) return 0
/// bytes; seeking before byte 0 is an [`io::ErrorKind::InvalidInput`] error. Needs a tokio
/// runtime (the prefetches are tasks); dropping the file cancels them.
///
/// ```no_run
/// # async fn demo(client: oss_client::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::io::SeekFrom;
/// use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
///
/// let mut file = client.open_file().bucket("examplebucket").key("video.mp4").send().await?;
/// file.seek(SeekFrom::End(-1024)).await?;
/// let mut tail = Vec::new();
/// file.read_to_end(&mut tail).await?;
/// assert_eq!(tail.len() as u64, 1024.min(file.size()));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct ReadOnlyFile {
    source: Source,
    size: u64,
    properties: ObjectProperties,
    chunk_size: u64,
    prefetch: usize,
    position: u64,
    /// Consecutive chunks, the first holding `position` (when any).
    chunks: VecDeque<Chunk>,
}

/// The object version every ranged GetObject reads.
#[derive(Debug, Clone)]
struct Source {
    client: Client,
    bucket: String,
    key: String,
    version_id: Option<String>,
    etag: String,
}

impl Source {
    /// Bytes `start..end` of the pinned version.
    async fn fetch(self, start: u64, end: u64) -> Result<Bytes, Error> {
        let mut get = self
            .client
            .get_object()
            .bucket(self.bucket)
            .key(self.key)
            .range(ByteRange::inclusive(start, end - 1)?)
            .if_match(self.etag);
        if let Some(version) = self.version_id {
            get = get.version_id(version);
        }
        let bytes = get.send().await?.body.collect().await?;
        if bytes.len() as u64 != end - start {
            return Err(Error::invalid_response(format!(
                "GetObject answered {} bytes for the range {start}-{}",
                bytes.len(),
                end - 1
            )));
        }
        Ok(bytes)
    }
}

/// Bytes `start..end` of the object, fetched or on their way.
#[derive(Debug)]
struct Chunk {
    start: u64,
    end: u64,
    state: ChunkState,
}

#[derive(Debug)]
enum ChunkState {
    Fetching(JoinHandle<Result<Bytes, Error>>),
    Fetched(Bytes),
}

impl Drop for Chunk {
    fn drop(&mut self) {
        if let ChunkState::Fetching(task) = &self.state {
            task.abort();
        }
    }
}

impl ReadOnlyFile {
    /// The object's size in bytes, as HeadObject reported it when the file was opened.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The ETag every read is pinned to (quoted, as OSS returns it).
    pub fn etag(&self) -> &str {
        &self.source.etag
    }

    /// The object's properties from the HeadObject of opening.
    pub fn properties(&self) -> &ObjectProperties {
        &self.properties
    }

    /// The position of the next read, in bytes from the start.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Drops the chunks before `position`, or all of them when none holds it, then starts
    /// fetching the chunk holding `position` and the prefetched ones after it.
    fn line_up(&mut self) {
        while self.chunks.front().is_some_and(|c| c.end <= self.position) {
            self.chunks.pop_front();
        }
        if self.chunks.front().is_some_and(|c| c.start > self.position) {
            self.chunks.clear();
        }
        let mut next = self.chunks.back().map_or(self.position, |c| c.end);
        while self.chunks.len() <= self.prefetch && next < self.size {
            let end = next.saturating_add(self.chunk_size).min(self.size);
            let task = tokio::spawn(self.source.clone().fetch(next, end));
            self.chunks.push_back(Chunk {
                start: next,
                end,
                state: ChunkState::Fetching(task),
            });
            next = end;
        }
    }
}

impl AsyncRead for ReadOnlyFile {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 || this.position >= this.size {
            return Poll::Ready(Ok(()));
        }
        this.line_up();
        let Some(chunk) = this.chunks.front_mut() else {
            return Poll::Ready(Ok(()));
        };
        if let ChunkState::Fetching(task) = &mut chunk.state {
            let fetched = match ready!(Pin::new(task).poll(cx)) {
                Ok(fetched) => fetched,
                Err(join) => Err(Error::new(
                    ErrorKind::Transport,
                    format!("the ranged GetObject task failed: {join}"),
                )),
            };
            match fetched {
                Ok(bytes) => chunk.state = ChunkState::Fetched(bytes),
                Err(e) => {
                    this.chunks.clear();
                    return Poll::Ready(Err(io::Error::other(e)));
                }
            }
        }
        if let ChunkState::Fetched(bytes) = &chunk.state {
            let offset = usize::try_from(this.position - chunk.start).unwrap_or(usize::MAX);
            let available = &bytes[offset.min(bytes.len())..];
            let n = available.len().min(buf.remaining());
            buf.put_slice(&available[..n]);
            this.position += n as u64;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncSeek for ReadOnlyFile {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        let this = self.get_mut();
        let (base, offset) = match position {
            SeekFrom::Start(at) => {
                this.position = at;
                return Ok(());
            }
            SeekFrom::Current(offset) => (this.position, offset),
            SeekFrom::End(offset) => (this.size, offset),
        };
        this.position = base.checked_add_signed(offset).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("cannot seek {offset} bytes from byte {base}"),
            )
        })?;
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Poll::Ready(Ok(self.position))
    }
}
