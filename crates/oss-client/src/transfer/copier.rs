//! The Copier: CopyObject below a threshold, concurrent UploadPartCopy above it.
//!
//! Both paths give the new object the source's attributes: `Content-Type`, `Cache-Control`,
//! `Content-Disposition`, `Content-Encoding`, `Expires`, user metadata and tags. CopyObject
//! copies them itself (directives `COPY`); a multipart copy reads them from HeadObject (and
//! GetObjectTagging when the source has tags) and sets them when it initiates the upload,
//! byte for byte as OSS returned them. [`CopyOptions`] replace the attributes or the tags
//! (directives `REPLACE`) and set the storage class and server-side encryption, on both paths
//! alike. Both paths are pinned to the source's ETag
//! (`x-oss-copy-source-if-match` on CopyObject and on every UploadPartCopy), so a source
//! replaced mid-copy fails with `PreconditionFailed` instead of mixing versions, and the
//! multipart upload is aborted.

use futures_util::stream::{StreamExt as _, TryStreamExt as _};
use http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_LANGUAGE, CONTENT_TYPE, EXPIRES,
};
use http::{HeaderMap, HeaderName, HeaderValue};

use super::copy_options::CopyOptions;
use super::progress::{Progress, ProgressFn};
use super::{DEFAULT_CONCURRENCY, part_size_for, parts_of};
use crate::client::Client;
use crate::error::Error;
use crate::operation::multipart::complete::CompletedPart;

/// The default copy part size (64 MiB).
pub const DEFAULT_COPY_PART_SIZE: u64 = 64 * 1024 * 1024;
/// The default size from which copies go multipart (200 MiB).
pub const DEFAULT_COPY_THRESHOLD: u64 = 200 * 1024 * 1024;

/// The stored headers a multipart copy takes from the source (besides `x-oss-meta-*`).
const COPIED_HEADERS: [HeaderName; 6] = [
    CONTENT_TYPE,
    CACHE_CONTROL,
    CONTENT_DISPOSITION,
    CONTENT_ENCODING,
    CONTENT_LANGUAGE,
    EXPIRES,
];

/// Copies objects of any size between buckets of a region; see the
/// [`transfer`](crate::transfer) module documentation.
#[derive(Clone)]
pub struct Copier {
    client: Client,
    part_size: u64,
    concurrency: usize,
    threshold: u64,
    progress: Option<ProgressFn>,
    options: CopyOptions,
}

impl std::fmt::Debug for Copier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Copier")
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
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
            progress: None,
            options: CopyOptions::default(),
        }
    }

    /// The metadata and tagging directives, storage class and encryption of new objects
    /// (replacing options given earlier). For per-object options in a batch, give each object
    /// a clone: `copier.clone().options(…)`.
    pub fn options(mut self, options: CopyOptions) -> Self {
        self.options = options;
        self
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

    /// Reports progress of each copy: called after each part is copied (once, at the end, for
    /// a single CopyObject) with the bytes copied so far and the object size.
    pub fn progress(mut self, callback: ProgressFn) -> Self {
        self.progress = Some(callback);
        self
    }

    /// Copies `source_bucket`/`source_key` to `bucket`/`key` with the source's attributes,
    /// or those of the [`CopyOptions`]; see the [`transfer`](crate::transfer) module
    /// documentation.
    ///
    /// # Errors
    /// Input errors of the options before any I/O; service errors (`NoSuchKey`; `PreconditionFailed` when the source was replaced during
    /// the copy…); a failed multipart copy is aborted, leaving no upload behind.
    pub async fn copy(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
    ) -> Result<CopyOutput, Error> {
        self.options.check()?;
        let options = &self.options;
        let head = self
            .client
            .head_object()
            .bucket(source_bucket)
            .key(source_key)
            .send()
            .await?;
        let source_headers = head.raw.headers.clone();
        let size = head.content_length;
        let progress = Progress::new(Some(size), self.progress.clone());
        if size < self.threshold {
            // Directives COPY (the defaults): OSS copies the attributes and the tags.
            let mut request = self
                .client
                .copy_object()
                .bucket(bucket)
                .key(key)
                .source_bucket(source_bucket)
                .source_key(source_key)
                .source_if_match(head.etag.clone());
            if let Some(replacement) = &options.replacement {
                let attributes = replacement.clone().with_guessed_content_type(key);
                request = request.replace_metadata().attributes(attributes.headers);
            }
            if let Some(tags) = &options.tags {
                request = request.replace_tags(tags);
            }
            if let Some(class) = &options.storage_class {
                request = request.storage_class(class.as_str());
            }
            if let Some(encryption) = &options.encryption {
                request = request.server_side_encryption(encryption.clone());
            }
            let out = request.send().await?;
            progress.add(size);
            return Ok(CopyOutput {
                etag: out.etag,
                size,
                parts: 0,
            });
        }
        let mut initiate = self
            .client
            .initiate_multipart_upload()
            .bucket(bucket)
            .key(key)
            .options(options.initiate_options());
        if options.replacement.is_none() {
            for (name, value) in source_attributes(&source_headers) {
                initiate = initiate.raw_header(name, value);
            }
        }
        if let Some(tags) = &options.tags {
            for (tag, value) in tags {
                initiate = initiate.tag(tag.as_str(), value.as_str());
            }
        } else if head.tagging_count > 0 {
            let tagging = self
                .client
                .get_object_tagging(source_bucket, source_key)
                .await?;
            for (tag, value) in tagging.tags {
                initiate = initiate.tag(tag, value);
            }
        }
        let upload_id = initiate.send().await?.upload_id;
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
                    .source_range(offset, offset + len - 1)
                    .source_if_match(head.etag.clone());
                let progress = progress.clone();
                async move {
                    let out = request.send().await?;
                    progress.add(len);
                    Ok::<_, Error>(CompletedPart::from(&out))
                }
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

/// The source's stored headers and user metadata (the first value of each), as OSS sent
/// them, for the new object.
fn source_attributes(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    let mut out = Vec::new();
    for name in &COPIED_HEADERS {
        if let Some(value) = headers.get(name) {
            out.push((name.clone(), value.clone()));
        }
    }
    for name in headers.keys() {
        if name.as_str().starts_with("x-oss-meta-") {
            if let Some(value) = headers.get(name) {
                out.push((name.clone(), value.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_attributes_are_the_stored_headers_and_metadata() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("content-type", "image/png"),
            ("content-length", "10"),
            ("etag", "\"E\""),
            ("expires", "Thu, 01 Jan 2099 00:00:00 GMT"),
            ("x-oss-meta-owner", "bob"),
            ("x-oss-meta-owner", "second value ignored"),
            ("x-oss-request-id", "R"),
            ("cache-control", "no-cache"),
        ] {
            headers.append(name, HeaderValue::from_static(value));
        }
        let got: Vec<(String, String)> = source_attributes(&headers)
            .into_iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        let expected = [
            ("content-type", "image/png"),
            ("cache-control", "no-cache"),
            ("expires", "Thu, 01 Jan 2099 00:00:00 GMT"),
            ("x-oss-meta-owner", "bob"),
        ];
        assert_eq!(
            got,
            expected.map(|(n, v)| (n.to_owned(), v.to_owned())).to_vec()
        );
    }
}
