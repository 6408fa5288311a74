//! The Copier: CopyObject below a threshold, concurrent UploadPartCopy above it.

use futures_util::stream::{StreamExt as _, TryStreamExt as _};

use super::{DEFAULT_CONCURRENCY, part_size_for, parts_of};
use crate::client::Client;
use crate::error::Error;
use crate::operation::multipart::complete::CompletedPart;

/// The default copy part size (64 MiB).
pub const DEFAULT_COPY_PART_SIZE: u64 = 64 * 1024 * 1024;
/// The default size from which copies go multipart (200 MiB).
pub const DEFAULT_COPY_THRESHOLD: u64 = 200 * 1024 * 1024;

/// Copies objects of any size between buckets of a region.
#[derive(Debug, Clone)]
pub struct Copier {
    client: Client,
    part_size: u64,
    concurrency: usize,
    threshold: u64,
}

/// The result of a copy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CopyOutput {
    /// The new object's ETag.
    pub etag: String,
    /// Bytes copied.
    pub size: u64,
    /// Parts (0 for a single CopyObject).
    pub parts: u32,
}

impl Copier {
    /// A copier with the defaults: 64 MiB parts, 3 in flight, multipart from 200 MiB.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            part_size: DEFAULT_COPY_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            threshold: DEFAULT_COPY_THRESHOLD,
        }
    }

    /// The part size in bytes.
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes.max(1);
        self
    }

    /// Parts in flight.
    pub fn concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts.max(1);
        self
    }

    /// Objects of at least this many bytes are copied in parts.
    pub fn multipart_threshold(mut self, bytes: u64) -> Self {
        self.threshold = bytes;
        self
    }

    /// Copies `source_bucket`/`source_key` to `bucket`/`key`. The source's ETag is pinned, so
    /// a source changed mid-copy fails instead of mixing versions.
    ///
    /// # Errors
    /// Service errors (`NoSuchKey`, `PreconditionFailed`…); a failed multipart copy is aborted.
    pub async fn copy(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
    ) -> Result<CopyOutput, Error> {
        let head = self
            .client
            .head_object()
            .bucket(source_bucket)
            .key(source_key)
            .send()
            .await?;
        let size = head.content_length;
        if size < self.threshold {
            let out = self
                .client
                .copy_object()
                .bucket(bucket)
                .key(key)
                .source_bucket(source_bucket)
                .source_key(source_key)
                .source_if_match(head.etag.clone())
                .send()
                .await?;
            return Ok(CopyOutput {
                etag: out.etag,
                size,
                parts: 0,
            });
        }
        let upload_id = self
            .client
            .initiate_multipart_upload()
            .bucket(bucket)
            .key(key)
            .send()
            .await?
            .upload_id;
        let part_size = part_size_for(size, self.part_size);
        let copies = parts_of(size, part_size)
            .into_iter()
            .map(|(number, offset, len)| {
                let request = self
                    .client
                    .upload_part_copy()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(upload_id.clone())
                    .part_number(number)
                    .source_bucket(source_bucket)
                    .source_key(source_key)
                    .source_range(offset, offset + len - 1);
                async move { request.send().await.map(|out| CompletedPart::from(&out)) }
            });
        let result = async {
            let parts: Vec<CompletedPart> = futures_util::stream::iter(copies)
                .buffer_unordered(self.concurrency)
                .try_collect()
                .await?;
            let count = u32::try_from(parts.len()).unwrap_or(u32::MAX);
            let out = self
                .client
                .complete_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(upload_id.clone())
                .parts(parts)
                .send()
                .await?;
            Ok(CopyOutput {
                etag: out.etag,
                size,
                parts: count,
            })
        }
        .await;
        if result.is_err() {
            let _ = self
                .client
                .abort_multipart_upload(bucket, key, &upload_id)
                .await;
        }
        result
    }
}
