//! The Uploader: one PutObject below a threshold, a concurrent multipart upload above it,
//! resumable through a checkpoint file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{BufMut as _, Bytes, BytesMut};
use futures_util::stream::{FuturesUnordered, StreamExt as _, TryStreamExt as _};
use oss_http::Body;
use tokio::io::{AsyncRead, AsyncReadExt as _};
use tokio::sync::Mutex;

use super::checkpoint::{self, UploadCheckpoint, UploadedPart};
use super::progress::{Progress, ProgressFn};
use super::rate_limit::RateLimit;
use super::{DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, part_size_for, parts_of};
use crate::client::Client;
use crate::error::Error;
use crate::operation::callback::Callback;
use crate::operation::multipart::complete::CompletedPart;
use crate::operation::object_options::ObjectOptions;
use crate::operation::put_object::{PutObjectOutput, PutObjectRequest};

/// Uploads objects of any size; see the [module](super) documentation.
#[derive(Clone)]
pub struct Uploader {
    client: Client,
    part_size: u64,
    concurrency: usize,
    threshold: Option<u64>,
    checkpoint_dir: Option<PathBuf>,
    progress: Option<ProgressFn>,
    rate: Option<RateLimit>,
    /// What PutObject or InitiateMultipartUpload sets on each uploaded object.
    options: ObjectOptions,
    /// Sent on the one request that creates the object: PutObject or
    /// CompleteMultipartUpload.
    callback: Option<Callback>,
}

impl std::fmt::Debug for Uploader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uploader")
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .field("threshold", &self.threshold)
            .field("checkpoint_dir", &self.checkpoint_dir)
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

/// The result of an upload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadOutput {
    /// The object's ETag.
    pub etag: String,
    /// The object's CRC-64 as verified.
    pub crc64: Option<u64>,
    /// Bytes uploaded (the object size).
    pub size: u64,
    /// Parts (0 for a single PutObject).
    pub parts: u32,
    /// Parts taken from a checkpoint instead of being uploaded again.
    pub resumed_parts: u32,
    /// The most bytes held in memory at once by this upload (reader uploads buffer parts;
    /// file and byte uploads buffer nothing extra).
    pub peak_buffered_bytes: u64,
    /// With [`Uploader::callback`]: the callback server's answer body, as OSS relayed it.
    pub callback_result: Option<Bytes>,
}

impl Uploader {
    /// An uploader with the defaults: 6 MiB parts, 3 in flight, multipart from 6 MiB.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            threshold: None,
            checkpoint_dir: None,
            progress: None,
            rate: None,
            options: ObjectOptions::default(),
            callback: None,
        }
    }

    /// The preferred part size in bytes (grown when an object needs more than 10000 parts).
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes.max(1);
        self
    }

    /// Parts in flight per object.
    pub fn concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts.max(1);
        self
    }

    /// Objects of at least this many bytes go multipart (default: the part size).
    pub fn multipart_threshold(mut self, bytes: u64) -> Self {
        self.threshold = Some(bytes);
        self
    }

    fn threshold(&self) -> u64 {
        self.threshold.unwrap_or(self.part_size)
    }

    /// Keeps resumable state of file uploads in this directory; a failed upload is then kept
    /// on the server (not aborted) so the next call resumes it.
    pub fn checkpoint_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.checkpoint_dir = Some(dir.into());
        self
    }

    /// Reports progress of each object.
    pub fn progress(mut self, callback: ProgressFn) -> Self {
        self.progress = Some(callback);
        self
    }

    /// Limits the bandwidth of every upload made through this uploader (and its clones).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate = Some(limit);
        self
    }

    /// The `Content-Type` of uploaded objects (without one, each object's is guessed from its
    /// key, then its file name; see [`ObjectOptions`]).
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.options(ObjectOptions::new().content_type(value))
    }

    /// A user metadata entry of uploaded objects (`x-oss-meta-<name>`); a name given twice
    /// (case-insensitively) is refused with [`crate::ErrorKind::DuplicateName`] before any
    /// upload starts.
    pub fn metadata(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options(ObjectOptions::new().metadata(name, value))
    }

    /// A tag of uploaded objects; a key given twice is refused with
    /// [`crate::ErrorKind::DuplicateName`] before any upload starts.
    pub fn tag(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.options(ObjectOptions::new().tag(key, value))
    }

    /// Adds the options of the uploaded objects: everything PutObject and
    /// InitiateMultipartUpload take (Content-Type or its detection, Cache-Control,
    /// Content-Disposition, Content-Encoding, Expires, metadata, tags, ACL, storage class,
    /// server-side encryption, forbid-overwrite, traffic limit, request payer). They are sent
    /// once per object, on its PutObject or its InitiateMultipartUpload, and never on an
    /// UploadPart or the CompleteMultipartUpload; only the traffic limit and the request payer
    /// also go on every UploadPart (and the payer on the Complete). Values replace those set
    /// earlier; metadata and tags are added. For per-object options in a batch, give each
    /// object a clone: `uploader.clone().options(…)` (clones share the rate limit).
    ///
    /// ```
    /// # fn demo(client: &oss_client::Client) {
    /// use oss_client::operation::encryption::ServerSideEncryption;
    /// use oss_client::operation::object_options::ObjectOptions;
    /// use oss_client::transfer::Uploader;
    ///
    /// let uploader = Uploader::new(client).options(
    ///     ObjectOptions::new()
    ///         .cache_control("max-age=86400")
    ///         .server_side_encryption(ServerSideEncryption::Aes256)
    ///         .tag("job", "nightly"),
    /// );
    /// # let _ = uploader; }
    /// ```
    pub fn options(mut self, options: ObjectOptions) -> Self {
        self.options.merge(options);
        self
    }

    /// An upload callback (`x-oss-callback`), sent on the request that creates each object
    /// (the PutObject, or the CompleteMultipartUpload; never on InitiateMultipartUpload or
    /// UploadPart); its answer is [`UploadOutput::callback_result`]. A failed callback fails
    /// the upload with [`crate::ErrorKind::CallbackFailed`], the object stored. Use `${object}`
    /// in the body to tell the objects of a batch apart.
    pub fn callback(mut self, callback: Callback) -> Self {
        self.callback = Some(callback);
        self
    }

    /// Uploads the file at `path` as `bucket`/`key`.
    ///
    /// # Errors
    /// Input errors; I/O errors reading the file; service errors; checksum mismatches. Without
    /// a checkpoint directory a failed multipart upload is aborted.
    pub async fn upload_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<Path>,
    ) -> Result<UploadOutput, Error> {
        self.options.check()?;
        let path = path.as_ref();
        let metadata = tokio::fs::metadata(path).await.map_err(|e| {
            Error::invalid_argument(format!("cannot read {}", path.display())).with_source(e)
        })?;
        let size = metadata.len();
        let progress = Progress::new(Some(size), self.progress.clone());
        if size < self.threshold() {
            self.pace(size).await;
            let request = self
                .client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body_from_path(path)
                .options(self.options.clone());
            let out = self.with_callback(request).send().await?;
            progress.add(size);
            return Ok(single(out, size));
        }
        let modified = metadata
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let part_size = part_size_for(size, self.part_size);
        let source = FileSource {
            path: path.to_path_buf(),
            size,
            modified,
        };
        self.multipart_known(bucket, key, size, part_size, Some(source), None, progress)
            .await
    }

    /// Uploads `data` as `bucket`/`key`.
    ///
    /// # Errors
    /// Input errors; service errors; checksum mismatches.
    pub async fn upload_bytes(
        &self,
        bucket: &str,
        key: &str,
        data: Bytes,
    ) -> Result<UploadOutput, Error> {
        self.options.check()?;
        let size = data.len() as u64;
        let progress = Progress::new(Some(size), self.progress.clone());
        if size < self.threshold() {
            self.pace(size).await;
            let out = self.put(bucket, key, data).await?;
            progress.add(size);
            return Ok(single(out, size));
        }
        let part_size = part_size_for(size, self.part_size);
        self.multipart_known(bucket, key, size, part_size, None, Some(data), progress)
            .await
    }

    /// Uploads everything `reader` yields (length unknown in advance), buffering one part per
    /// slot: memory stays at most part size × concurrency.
    ///
    /// # Errors
    /// I/O errors of the reader; service errors; checksum mismatches. The multipart upload is
    /// aborted on failure.
    pub async fn upload_reader<R: AsyncRead + Unpin + Send>(
        &self,
        bucket: &str,
        key: &str,
        mut reader: R,
    ) -> Result<UploadOutput, Error> {
        self.options.check()?;
        let part_size = self
            .part_size
            .max(crate::operation::multipart::MIN_PART_SIZE);
        let progress = Progress::new(None, self.progress.clone());
        let buffered = Buffered::default();
        let first = read_part(&mut reader, part_size, &buffered).await?;
        if (first.len() as u64) < part_size {
            // The reader ended within the first part: one PutObject.
            let size = first.len() as u64;
            self.pace(size).await;
            let out = self.put(bucket, key, first.freeze()).await?;
            progress.add(size);
            let mut output = single(out, size);
            output.peak_buffered_bytes = buffered.peak();
            return Ok(output);
        }
        let upload_id = self.initiate(bucket, key).await?;
        let result = async {
            let mut in_flight = FuturesUnordered::new();
            let mut done = Vec::new();
            let mut first = Some(first);
            let mut number = 1u32;
            let mut exhausted = false;
            loop {
                // A part is read only when a slot is free, so at most `concurrency` part
                // buffers exist at once.
                while !exhausted && in_flight.len() < self.concurrency {
                    let data = match first.take() {
                        Some(data) => data,
                        None => read_part(&mut reader, part_size, &buffered).await?,
                    };
                    if data.is_empty() {
                        exhausted = true;
                        break;
                    }
                    exhausted = (data.len() as u64) < part_size;
                    let data = data.freeze();
                    let len = data.len() as u64;
                    let part = self.upload_part(
                        bucket,
                        key,
                        &upload_id,
                        number,
                        Body::from_bytes(data.clone()),
                        len,
                    );
                    let slot = buffered.clone();
                    let progress = progress.clone();
                    in_flight.push(async move {
                        let result = part.await;
                        drop(data);
                        slot.release(len);
                        progress.add(len);
                        result
                    });
                    number += 1;
                }
                match in_flight.next().await {
                    Some(part) => done.push(part?),
                    None => break,
                }
            }
            self.complete(bucket, key, &upload_id, done).await
        }
        .await;
        match result {
            Ok(mut output) => {
                output.peak_buffered_bytes = buffered.peak();
                Ok(output)
            }
            Err(e) => {
                self.abort(bucket, key, &upload_id).await;
                Err(e)
            }
        }
    }

    async fn put(
        &self,
        bucket: &str,
        key: &str,
        data: Bytes,
    ) -> Result<crate::operation::put_object::PutObjectOutput, Error> {
        let request = self
            .client
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(data)
            .options(self.options.clone());
        self.with_callback(request).send().await
    }

    /// `request` with this uploader's callback, if any.
    fn with_callback(&self, request: PutObjectRequest) -> PutObjectRequest {
        match &self.callback {
            Some(callback) => request.callback(callback.clone()),
            None => request,
        }
    }

    async fn pace(&self, bytes: u64) {
        if let Some(rate) = &self.rate {
            rate.acquire(bytes).await;
        }
    }

    async fn initiate(&self, bucket: &str, key: &str) -> Result<String, Error> {
        let initiated = self
            .client
            .initiate_multipart_upload()
            .bucket(bucket)
            .key(key)
            .options(self.options.clone())
            .send()
            .await?;
        Ok(initiated.upload_id)
    }

    async fn abort(&self, bucket: &str, key: &str, upload_id: &str) {
        if let Err(e) = self
            .client
            .abort_multipart_upload(bucket, key, upload_id)
            .await
        {
            tracing::warn!(error = %e, "aborting the failed multipart upload failed");
        }
    }

    fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        number: u32,
        body: Body,
        len: u64,
    ) -> impl std::future::Future<Output = Result<UploadedPart, Error>> + Send + 'static {
        let request = self
            .client
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(number)
            .body(body)
            .controls(self.options.controls());
        let rate = self.rate.clone();
        async move {
            if let Some(rate) = rate {
                rate.acquire(len).await;
            }
            let out = request.send().await?;
            Ok(UploadedPart {
                number,
                etag: out.etag,
                crc64: out.crc64,
                size: out.size,
            })
        }
    }

    async fn complete(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: Vec<UploadedPart>,
    ) -> Result<UploadOutput, Error> {
        let size = parts.iter().map(|p| p.size).sum();
        let count = u32::try_from(parts.len()).unwrap_or(u32::MAX);
        let completed = parts.iter().map(|p| {
            let part = CompletedPart::new(p.number, p.etag.clone());
            match p.crc64 {
                Some(crc) => part.with_crc64(crc, p.size),
                None => part,
            }
        });
        let mut request = self
            .client
            .complete_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .parts(completed)
            .request_payer(self.options.controls().request_payer);
        if let Some(callback) = &self.callback {
            request = request.callback(callback.clone());
        }
        let out = request.send().await?;
        Ok(UploadOutput {
            etag: out.etag,
            crc64: out.crc64,
            size,
            parts: count,
            resumed_parts: 0,
            peak_buffered_bytes: 0,
            callback_result: out.callback_result,
        })
    }

    /// A multipart upload of a known size from a file or bytes.
    #[allow(clippy::too_many_arguments)]
    async fn multipart_known(
        &self,
        bucket: &str,
        key: &str,
        size: u64,
        part_size: u64,
        file: Option<FileSource>,
        data: Option<Bytes>,
        progress: Progress,
    ) -> Result<UploadOutput, Error> {
        let checkpoint_path = match (&self.checkpoint_dir, &file) {
            (Some(dir), Some(_)) => Some(dir.join(checkpoint::upload_file_name(bucket, key))),
            _ => None,
        };
        let (upload_id, finished) = self
            .resume_or_initiate(
                bucket,
                key,
                part_size,
                file.as_ref(),
                checkpoint_path.as_deref(),
            )
            .await?;
        let resumed = u32::try_from(finished.len()).unwrap_or(u32::MAX);
        for part in &finished {
            progress.add(part.size);
        }
        let state = Arc::new(Mutex::new(UploadCheckpoint {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id: upload_id.clone(),
            file: file.as_ref().map(|f| f.path.clone()).unwrap_or_default(),
            file_size: size,
            file_modified: file.as_ref().map_or(0, |f| f.modified),
            part_size,
            parts: finished.clone(),
        }));
        let todo: Vec<_> = parts_of(size, part_size)
            .into_iter()
            .filter(|(n, _, _)| !finished.iter().any(|p| p.number == *n))
            .collect();
        let uploads = todo.into_iter().map(|(number, offset, len)| {
            let body = match (&file, &data) {
                (Some(f), _) => Body::from_file_range(f.path.clone(), offset, len),
                (None, Some(d)) => {
                    Body::from_bytes(d.slice(offset as usize..(offset + len) as usize))
                }
                (None, None) => Body::empty(),
            };
            let part = self.upload_part(bucket, key, &upload_id, number, body, len);
            let state = Arc::clone(&state);
            let checkpoint_path = checkpoint_path.clone();
            let progress = progress.clone();
            async move {
                let part = part.await?;
                if let Some(path) = &checkpoint_path {
                    let mut state = state.lock().await;
                    state.parts.push(part.clone());
                    checkpoint::save(path, &*state).await?;
                }
                progress.add(len);
                Ok::<_, Error>(part)
            }
        });
        let uploaded: Result<Vec<UploadedPart>, Error> = futures_util::stream::iter(uploads)
            .buffer_unordered(self.concurrency)
            .try_collect()
            .await;
        let result = match uploaded {
            Ok(mut parts) => {
                parts.extend(finished);
                self.complete(bucket, key, &upload_id, parts).await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(mut output) => {
                output.resumed_parts = resumed;
                if let Some(path) = &checkpoint_path {
                    checkpoint::remove(path).await;
                }
                Ok(output)
            }
            Err(e) => {
                if checkpoint_path.is_none() {
                    self.abort(bucket, key, &upload_id).await;
                }
                Err(e)
            }
        }
    }

    /// The upload to continue (with its finished parts, checked against ListParts), or a new
    /// one when there is no usable checkpoint.
    async fn resume_or_initiate(
        &self,
        bucket: &str,
        key: &str,
        part_size: u64,
        file: Option<&FileSource>,
        checkpoint_path: Option<&Path>,
    ) -> Result<(String, Vec<UploadedPart>), Error> {
        if let (Some(path), Some(file)) = (checkpoint_path, file) {
            if let Some(saved) = checkpoint::load::<UploadCheckpoint>(path).await {
                let same_source = saved.bucket == bucket
                    && saved.key == key
                    && saved.file == file.path
                    && saved.file_size == file.size
                    && saved.file_modified == file.modified
                    && saved.part_size == part_size;
                if same_source {
                    match self.parts_on_server(bucket, key, &saved.upload_id).await {
                        Ok(server) => {
                            let kept: Vec<UploadedPart> = saved
                                .parts
                                .into_iter()
                                .filter(|p| {
                                    server.iter().any(|(n, etag, size)| {
                                        *n == p.number && *etag == p.etag && *size == p.size
                                    })
                                })
                                .collect();
                            tracing::debug!(upload_id = %saved.upload_id, parts = kept.len(), "resuming upload");
                            return Ok((saved.upload_id, kept));
                        }
                        Err(e) if e.code() == Some("NoSuchUpload") => {
                            tracing::debug!(
                                "the checkpoint's upload no longer exists; starting over"
                            );
                        }
                        Err(e) => return Err(e),
                    }
                }
                checkpoint::remove(path).await;
            }
        }
        let upload_id = self.initiate(bucket, key).await?;
        if let (Some(path), Some(file)) = (checkpoint_path, file) {
            if let Some(dir) = path.parent() {
                let _ = tokio::fs::create_dir_all(dir).await;
            }
            checkpoint::save(
                path,
                &UploadCheckpoint {
                    bucket: bucket.to_owned(),
                    key: key.to_owned(),
                    upload_id: upload_id.clone(),
                    file: file.path.clone(),
                    file_size: file.size,
                    file_modified: file.modified,
                    part_size,
                    parts: Vec::new(),
                },
            )
            .await?;
        }
        Ok((upload_id, Vec::new()))
    }

    async fn parts_on_server(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Vec<(u32, String, u64)>, Error> {
        let pages: Vec<_> = self
            .client
            .list_parts()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .max_parts(1000)
            .into_paginator()
            .try_collect()
            .await?;
        Ok(pages
            .into_iter()
            .flat_map(|p| p.parts)
            .map(|p| (p.part_number, p.etag, p.size))
            .collect())
    }
}

fn single(out: PutObjectOutput, size: u64) -> UploadOutput {
    UploadOutput {
        etag: out.etag,
        crc64: out.crc64,
        size,
        parts: 0,
        resumed_parts: 0,
        peak_buffered_bytes: 0,
        callback_result: out.callback_result,
    }
}

#[derive(Debug, Clone)]
struct FileSource {
    path: PathBuf,
    size: u64,
    modified: u64,
}

/// Counts bytes held in part buffers, and the peak.
#[derive(Debug, Clone, Default)]
struct Buffered {
    current: Arc<AtomicU64>,
    peak: Arc<AtomicU64>,
}

impl Buffered {
    fn hold(&self, bytes: u64) {
        let now = self.current.fetch_add(bytes, Ordering::SeqCst) + bytes;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }

    fn release(&self, bytes: u64) {
        self.current.fetch_sub(bytes, Ordering::SeqCst);
    }

    fn peak(&self) -> u64 {
        self.peak.load(Ordering::SeqCst)
    }
}

/// Reads up to `part_size` bytes (fewer only at the end of the reader).
async fn read_part<R: AsyncRead + Unpin>(
    reader: &mut R,
    part_size: u64,
    buffered: &Buffered,
) -> Result<BytesMut, Error> {
    let capacity = usize::try_from(part_size).unwrap_or(usize::MAX);
    let mut buffer = BytesMut::with_capacity(capacity);
    while buffer.len() < capacity {
        let room = capacity - buffer.len();
        let read = reader
            .read_buf(&mut (&mut buffer).limit(room))
            .await
            .map_err(|e| {
                Error::invalid_argument("reading the upload source failed").with_source(e)
            })?;
        if read == 0 {
            break;
        }
    }
    buffered.hold(buffer.len() as u64);
    Ok(buffer)
}
