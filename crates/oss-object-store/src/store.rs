//! [`OssObjectStore`]: the `ObjectStore` implementation over an `oss_client::Client`.

use std::fmt;
use std::ops::Range;

use crate::object_store::list::{PaginatedListOptions, PaginatedListResult, PaginatedListStore};
use crate::object_store::path::Path;
use crate::object_store::{
    CopyMode, CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload,
    OBJECT_STORE_COALESCE_DEFAULT, ObjectMeta, ObjectStore, ObjectStoreExt as _,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, coalesce_ranges,
};
use async_trait::async_trait;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use oss_client::Client;

use crate::paths::KeyPrefix;
use crate::{delete, error, get, list, multipart_upload, put};

/// Objects of one OSS bucket (optionally under a key prefix) as an `object_store`
/// [`ObjectStore`], [`MultipartStore`](object_store::multipart::MultipartStore),
/// [`PaginatedListStore`] and [`Signer`](object_store::signer::Signer).
///
/// Every request goes through the [`Client`] it was built with: its transport, retries,
/// signing (V4 by default), credentials provider and CRC-64 checks. Build one with
/// [`OssObjectStoreBuilder`](crate::OssObjectStoreBuilder), or from a client with
/// [`OssObjectStore::new`]. Cloning is cheap (the client is shared).
#[derive(Debug, Clone)]
pub struct OssObjectStore {
    client: Client,
    bucket: String,
    prefix: KeyPrefix,
}

impl OssObjectStore {
    /// The objects of `bucket`, through `client`. Nothing is sent here.
    pub fn new(client: Client, bucket: impl Into<String>) -> Self {
        Self {
            client,
            bucket: bucket.into(),
            prefix: KeyPrefix::default(),
        }
    }

    /// Keeps every object under the key prefix `prefix` (`tables/events` stores the path
    /// `a.parquet` as the key `tables/events/a.parquet`); slashes around it are ignored.
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.prefix = KeyPrefix::new(prefix);
        self
    }

    /// The client requests go through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The key prefix: empty, or ending in `/`.
    pub fn key_prefix(&self) -> &str {
        self.prefix.as_str()
    }

    pub(crate) fn prefix(&self) -> &KeyPrefix {
        &self.prefix
    }
}

impl fmt::Display for OssObjectStore {
    /// `OssObjectStore(oss://bucket/prefix/)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OssObjectStore(oss://{}/{})",
            self.bucket,
            self.prefix.as_str()
        )
    }
}

#[async_trait]
impl ObjectStore for OssObjectStore {
    /// PutObject; see the crate documentation for modes and attributes.
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> crate::object_store::Result<PutResult> {
        put::put_opts(self, location, payload, opts).await
    }

    /// InitiateMultipartUpload; the writer's parts may finish in any order.
    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> crate::object_store::Result<Box<dyn MultipartUpload>> {
        multipart_upload::start(self, location, opts).await
    }

    /// GetObject (HeadObject when `options.head`).
    async fn get_opts(
        &self,
        location: &Path,
        options: GetOptions,
    ) -> crate::object_store::Result<GetResult> {
        get::get_opts(self, location, options).await
    }

    /// Ranges closer than `OBJECT_STORE_COALESCE_DEFAULT` (1 MiB) are merged into one
    /// GetObject; the merged requests run concurrently.
    async fn get_ranges(
        &self,
        location: &Path,
        ranges: &[Range<u64>],
    ) -> crate::object_store::Result<Vec<Bytes>> {
        coalesce_ranges(
            ranges,
            |range| self.get_range(location, range),
            OBJECT_STORE_COALESCE_DEFAULT,
        )
        .await
    }

    /// DeleteMultipleObjects, 1000 keys per request.
    fn delete_stream(
        &self,
        locations: BoxStream<'static, crate::object_store::Result<Path>>,
    ) -> BoxStream<'static, crate::object_store::Result<Path>> {
        delete::delete_stream(self, locations)
    }

    /// ListObjectsV2 under `prefix`, recursively.
    fn list(
        &self,
        prefix: Option<&Path>,
    ) -> BoxStream<'static, crate::object_store::Result<ObjectMeta>> {
        list::list(self, prefix, None)
    }

    /// ListObjectsV2 with `start-after` = `offset` (exclusive), so OSS skips the keys before.
    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, crate::object_store::Result<ObjectMeta>> {
        list::list(self, prefix, Some(offset))
    }

    /// ListObjectsV2 with delimiter `/`.
    async fn list_with_delimiter(
        &self,
        prefix: Option<&Path>,
    ) -> crate::object_store::Result<ListResult> {
        list::list_with_delimiter(self, prefix).await
    }

    /// CopyObject within the bucket (sources up to 1 GiB, OSS's CopyObject limit);
    /// `CopyMode::Create` sends `x-oss-forbid-overwrite: true` (`AlreadyExists` when `to`
    /// exists). A missing source is `NotFound`.
    async fn copy_opts(
        &self,
        from: &Path,
        to: &Path,
        options: CopyOptions,
    ) -> crate::object_store::Result<()> {
        let CopyOptions {
            mode,
            extensions: _,
        } = options;
        let forbid_overwrite = match mode {
            CopyMode::Overwrite => false,
            CopyMode::Create => true,
        };
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .key(self.prefix.key(to))
            .source_bucket(&self.bucket)
            .source_key(self.prefix.key(from))
            .forbid_overwrite(forbid_overwrite)
            .send()
            .await
            .map_err(|e| {
                let path = if e.code() == Some("NoSuchKey") {
                    from
                } else {
                    to
                };
                error::from_oss(e, path.as_ref())
            })?;
        Ok(())
    }
}

#[async_trait]
impl PaginatedListStore for OssObjectStore {
    /// One ListObjectsV2 page: `offset` is `start-after`, `page_token` the continuation token.
    async fn list_paginated(
        &self,
        prefix: Option<&str>,
        opts: PaginatedListOptions,
    ) -> crate::object_store::Result<PaginatedListResult> {
        list::list_paginated(self, prefix, opts).await
    }
}
