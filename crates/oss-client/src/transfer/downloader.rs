//! The Downloader: concurrent ranged GETs into a temporary file renamed into place when the
//! whole object's CRC-64 checks out; resumable through a checkpoint file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::stream::StreamExt as _;
use tokio::sync::Mutex;

use super::batched_writer::BatchedWriter;
use super::checkpoint::{self, DownloadCheckpoint, DownloadedPart};
use super::download_options::DownloadOptions;
use super::progress::{Progress, ProgressFn};
use super::rate_limit::RateLimit;
use super::{DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, parts_of};
use crate::checksum::{Crc64, crc64_combine};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::stream::ByteStream;
use crate::types::ByteRange;

/// The suffix of the file a download writes into (`<destination>.temp`) before it is
/// complete and verified and renamed to the destination.
pub const DOWNLOAD_TEMPORARY_SUFFIX: &str = ".temp";
/// The suffix of a resumable download's checkpoint file (`<destination>.dcp`, JSON), kept
/// beside the destination until the download completes.
pub const DOWNLOAD_CHECKPOINT_SUFFIX: &str = ".dcp";

/// Downloads objects into files; see the [module](super) documentation.
#[derive(Clone)]
pub struct Downloader {
    client: Client,
    part_size: u64,
    concurrency: usize,
    resumable: bool,
    progress: Option<ProgressFn>,
    rate: Option<RateLimit>,
    options: DownloadOptions,
}

impl std::fmt::Debug for Downloader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Downloader")
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .field("resumable", &self.resumable)
            .finish_non_exhaustive()
    }
}

/// The result of a download.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DownloadOutput {
    /// Bytes written (the object size).
    pub size: u64,
    /// The object's ETag.
    pub etag: String,
    /// The object's CRC-64 (`None` when OSS reports none), checked against the CRC-64
    /// combined from the bytes of every range as they were received and written (for a
    /// download of a [`DownloadOptions::range`], the whole object's, not checked).
    pub crc64: Option<u64>,
    /// Parts taken from a checkpoint instead of being downloaded again.
    pub resumed_parts: u32,
}

fn io_error(what: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::new(ErrorKind::Transport, what).with_source(e)
}

impl Downloader {
    /// A downloader with the defaults: 6 MiB ranges, 3 in flight, resumable.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            resumable: true,
            progress: None,
            rate: None,
            options: DownloadOptions::default(),
        }
    }

    /// The version, byte range, conditions and per-request controls of downloads (replacing
    /// options given earlier). For per-object options in a batch, give each object a clone:
    /// `downloader.clone().options(…)` (clones share the rate limit).
    pub fn options(mut self, options: DownloadOptions) -> Self {
        self.options = options;
        self
    }

    /// Range size in bytes.
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes.max(1);
        self
    }

    /// Ranges in flight per object.
    pub fn concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts.max(1);
        self
    }

    /// Whether to keep `<destination>.temp` and `<destination>.dcp` after a failure so the
    /// next call resumes (default true).
    pub fn resumable(mut self, resumable: bool) -> Self {
        self.resumable = resumable;
        self
    }

    /// Reports progress of each object.
    pub fn progress(mut self, callback: ProgressFn) -> Self {
        self.progress = Some(callback);
        self
    }

    /// Limits the bandwidth.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate = Some(limit);
        self
    }

    /// A streaming reader of the object, or of the options' range, with the options'
    /// version, conditions and controls (CRC-64 checked at the end of a whole object).
    ///
    /// # Errors
    /// As GetObject.
    pub async fn reader(&self, bucket: &str, key: &str) -> Result<ByteStream, Error> {
        let options = &self.options;
        let mut request = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .conditions_and_controls(options.conditions.clone(), options.controls);
        if let Some(range) = options.range {
            request = request.range(range);
        }
        if let Some(version) = &options.version_id {
            request = request.version_id(version.as_str());
        }
        Ok(request.send().await?.body)
    }

    /// Downloads `bucket`/`key` into `destination`, which appears only when complete and
    /// verified. When the whole object's CRC-64 does not match (a range was corrupted on the
    /// way), the object is downloaded again from scratch, up to 3 times in all. A range whose
    /// body breaks (connection reset, closed early or stalled past the idle timeout) resumes
    /// from the byte where it stopped, pinned to the object's ETag: at most
    /// [`RetryConfig::max_attempts`](crate::RetryConfig::max_attempts) GETs per range.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for a traffic limit out of range (before any I/O) or a
    /// range past the object's end;
    /// service errors (`PreconditionFailed`, `NotModified` for unmet [`DownloadOptions`]
    /// conditions); [`ErrorKind::Transport`] when a range's body still breaks on its last
    /// fetch; I/O errors writing the file; [`ErrorKind::ChecksumMismatch`] after the last
    /// attempt (the temporary file is then removed).
    pub async fn download_to_file(
        &self,
        bucket: &str,
        key: &str,
        destination: impl AsRef<Path>,
    ) -> Result<DownloadOutput, Error> {
        let destination = destination.as_ref();
        self.options.controls.check()?;
        let mut attempt = 1;
        loop {
            match self.download_once(bucket, key, destination).await {
                Err(e) if e.kind() == ErrorKind::ChecksumMismatch && attempt < WHOLE_ATTEMPTS => {
                    tracing::warn!(error = %e, attempt, "downloaded bytes failed the CRC-64 check; downloading again");
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn download_once(
        &self,
        bucket: &str,
        key: &str,
        destination: &Path,
    ) -> Result<DownloadOutput, Error> {
        let mut head = self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .conditions(self.options.conditions.clone())
            .request_payer(self.options.controls.request_payer);
        if let Some(version) = &self.options.version_id {
            head = head.version_id(version.as_str());
        }
        let head = head.send().await?;
        // The file holds `size` bytes of the object from byte `first`.
        let (first, size) = self.options.window(head.content_length)?;
        let temporary = with_suffix(destination, DOWNLOAD_TEMPORARY_SUFFIX);
        let checkpoint_path = with_suffix(destination, DOWNLOAD_CHECKPOINT_SUFFIX);
        let progress = Progress::new(Some(size), self.progress.clone());
        let part_size = self.part_size;
        let saved = if self.resumable {
            checkpoint::load::<DownloadCheckpoint>(&checkpoint_path)
                .await
                .filter(|c| {
                    c.bucket == bucket
                        && c.key == key
                        && c.etag == head.etag
                        && c.first == first
                        && c.size == size
                        && c.part_size == part_size
                })
                .filter(|_| temporary.is_file())
        } else {
            None
        };
        let finished = saved.as_ref().map(|c| c.parts.clone()).unwrap_or_default();
        if saved.is_none() {
            // A new file, not the old one truncated: writes of an earlier download of this
            // destination that are still finishing land in the unlinked old file.
            let _ = tokio::fs::remove_file(&temporary).await;
            let file = tokio::fs::File::create(&temporary)
                .await
                .map_err(io_error(format!("cannot create {}", temporary.display())))?;
            file.set_len(size)
                .await
                .map_err(io_error(format!("cannot size {}", temporary.display())))?;
        }
        let resumed = u32::try_from(finished.len()).unwrap_or(u32::MAX);
        let state = Arc::new(Mutex::new(DownloadCheckpoint {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            etag: head.etag.clone(),
            first,
            size,
            part_size,
            parts: finished.clone(),
        }));
        for (number, _, len) in parts_of(size, part_size) {
            if finished.iter().any(|p| p.number == number) {
                progress.add(len);
            }
        }
        let todo: Vec<_> = parts_of(size, part_size)
            .into_iter()
            .filter(|(n, _, _)| !finished.iter().any(|p| p.number == *n))
            .collect();
        // After a range fails no new range starts, but those in flight run to their end (and
        // wait for their writes), so no write lands in the file after this returns.
        let failed = &AtomicBool::new(false);
        let fetches = todo.into_iter().map(|(number, offset, len)| {
            let state = Arc::clone(&state);
            let progress = progress.clone();
            let temporary = temporary.clone();
            let checkpoint_path = checkpoint_path.clone();
            let etag = head.etag.clone();
            async move {
                if failed.load(Ordering::Relaxed) {
                    return Ok(()); // not started: another range failed
                }
                if let Some(rate) = &self.rate {
                    rate.acquire(len).await;
                }
                let crc = self
                    .fetch_range(bucket, key, &etag, &temporary, (first, offset), len)
                    .await
                    .inspect_err(|_| failed.store(true, Ordering::Relaxed))?;
                {
                    let mut state = state.lock().await;
                    state.parts.push(DownloadedPart { number, crc64: crc });
                    if self.resumable {
                        checkpoint::save(&checkpoint_path, &*state).await?;
                    }
                }
                progress.add(len);
                Ok::<_, Error>(())
            }
        });
        let fetched: Result<Vec<()>, Error> = futures_util::stream::iter(fetches)
            .buffer_unordered(self.concurrency)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect();
        if let Err(e) = fetched {
            if !self.resumable {
                let _ = tokio::fs::remove_file(&temporary).await;
            }
            return Err(e);
        }
        let mut parts = state.lock().await.parts.clone();
        parts.sort_by_key(|p| p.number);
        let lengths = parts_of(size, part_size);
        debug_assert_eq!(parts.len(), lengths.len(), "one CRC per range");
        let combined = match parts.split_first() {
            None => 0, // the CRC-64 of no bytes
            Some((first, rest)) => rest
                .iter()
                .zip(lengths.iter().skip(1))
                .fold(first.crc64, |acc, (part, (_, _, len))| {
                    crc64_combine(acc, part.crc64, *len)
                }),
        };
        let whole_object = self.options.range.is_none();
        if let Some(expected) = head.crc64.filter(|_| whole_object) {
            if expected != combined {
                let _ = tokio::fs::remove_file(&temporary).await;
                checkpoint::remove(&checkpoint_path).await;
                return Err(Error::new(
                    ErrorKind::ChecksumMismatch,
                    format!(
                        "CRC-64 mismatch after download: computed {combined}, OSS reported {expected}"
                    ),
                ));
            }
        }
        tokio::fs::rename(&temporary, destination)
            .await
            .map_err(io_error(format!(
                "cannot move the download to {}",
                destination.display()
            )))?;
        checkpoint::remove(&checkpoint_path).await;
        Ok(DownloadOutput {
            size,
            etag: head.etag,
            crc64: head.crc64,
            resumed_parts: resumed,
        })
    }

    /// Fetches `len` bytes at `offset` into the file, from the object's bytes at
    /// `first + offset`; returns their CRC-64. The request is
    /// retried by the client until its answer arrives, and its body resumes from where it
    /// broke off (a ranged GetObject for the rest, pinned to `etag`), all within the client's
    /// `max_attempts`: a range is never fetched again from its start, and resumes and retries
    /// do not multiply.
    async fn fetch_range(
        &self,
        bucket: &str,
        key: &str,
        etag: &str,
        file: &Path,
        (first, offset): (u64, u64),
        len: u64,
    ) -> Result<u64, Error> {
        let start = first + offset;
        let range = ByteRange::inclusive(start, start + len - 1)?;
        let mut request = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .range(range)
            .if_match(etag)
            .request_payer(self.options.controls.request_payer);
        if let Some(limit) = self.options.controls.traffic_limit {
            request = request.traffic_limit(limit);
        }
        if let Some(version) = &self.options.version_id {
            request = request.version_id(version.as_str());
        }
        let got = request.send().await?;
        let handle = tokio::fs::OpenOptions::new()
            .write(true)
            .open(file)
            .await
            .map_err(io_error(format!("cannot open {}", file.display())))?;
        let mut writer = BatchedWriter::new(handle, offset)
            .await
            .map_err(io_error(format!("cannot seek in {}", file.display())))?;
        let mut crc = Crc64::new();
        let copied = copy_body(got.body, &mut writer, &mut crc, file, len).await;
        let written = match copied {
            Ok(written) => written,
            Err(e) => {
                writer.abandon().await;
                return Err(e);
            }
        };
        writer
            .finish()
            .await
            .map_err(io_error(format!("cannot write {}", file.display())))?;
        if written != len {
            return Err(Error::invalid_response(format!(
                "a range of {len} bytes answered {written} bytes"
            )));
        }
        Ok(crc.finish())
    }
}

/// Streams `body` into `writer`, hashing it into `crc`; returns the bytes received. A body
/// longer than the range's `len` bytes is refused before its excess reaches the file (where it
/// would overwrite the next range).
async fn copy_body(
    mut body: ByteStream,
    writer: &mut BatchedWriter,
    crc: &mut Crc64,
    file: &Path,
    len: u64,
) -> Result<u64, Error> {
    let mut written = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        written += chunk.len() as u64;
        if written > len {
            return Err(Error::invalid_response(format!(
                "a range of {len} bytes answered more"
            )));
        }
        crc.update(&chunk);
        writer
            .write(chunk)
            .await
            .map_err(io_error(format!("cannot write {}", file.display())))?;
    }
    Ok(written)
}

/// Whole-object attempts when the combined CRC-64 does not match.
const WHOLE_ATTEMPTS: u32 = 3;

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
