//! `MultipartStore`: multipart uploads driven by the caller (part `i` is OSS part `i + 1`).

use crate::object_store::multipart::{MultipartStore, PartId};
use crate::object_store::path::Path;
use crate::object_store::{MultipartId, PutMultipartOptions, PutPayload, PutResult};
use async_trait::async_trait;
use oss_client::operation::multipart::complete::CompletedPart;

use crate::store::OssObjectStore;
use crate::upload::Upload;
use crate::{error, multipart_upload};

/// Highest OSS part number.
const MAX_PART_NUMBER: u32 = 10_000;

#[async_trait]
impl MultipartStore for OssObjectStore {
    /// InitiateMultipartUpload; the `MultipartId` is the OSS upload id.
    async fn create_multipart(&self, path: &Path) -> crate::object_store::Result<MultipartId> {
        multipart_upload::initiate(self, path, PutMultipartOptions::default()).await
    }

    /// InitiateMultipartUpload with the attributes and tags of `opts` (object_store 0.14);
    /// the `MultipartId` is the OSS upload id.
    ///
    /// # Errors
    /// `NotImplemented` for an attribute OSS has no header for, before any request.
    #[cfg(feature = "object_store_0_14")]
    async fn create_multipart_opts(
        &self,
        path: &Path,
        opts: PutMultipartOptions,
    ) -> crate::object_store::Result<MultipartId> {
        multipart_upload::initiate(self, path, opts).await
    }

    /// UploadPart of `data` as OSS part `part_idx + 1`; the `PartId` holds its ETag.
    ///
    /// # Errors
    /// `Generic` for `part_idx` 10000 or more (OSS numbers parts 1-10000), before any request.
    async fn put_part(
        &self,
        path: &Path,
        id: &MultipartId,
        part_idx: usize,
        data: PutPayload,
    ) -> crate::object_store::Result<PartId> {
        let part = self
            .upload(path, id)
            .put_part(part_number(part_idx)?, data)
            .await?;
        Ok(PartId {
            content_id: part.etag,
        })
    }

    /// CompleteMultipartUpload with `parts[i]` as part `i + 1`; no parts gives an empty object.
    async fn complete_multipart(
        &self,
        path: &Path,
        id: &MultipartId,
        parts: Vec<PartId>,
    ) -> crate::object_store::Result<PutResult> {
        let parts = parts
            .into_iter()
            .enumerate()
            .map(|(idx, part)| Ok(CompletedPart::new(part_number(idx)?, part.content_id)))
            .collect::<crate::object_store::Result<Vec<_>>>()?;
        self.upload(path, id).complete(parts).await
    }

    /// AbortMultipartUpload.
    async fn abort_multipart(
        &self,
        path: &Path,
        id: &MultipartId,
    ) -> crate::object_store::Result<()> {
        self.upload(path, id).abort().await
    }
}

impl OssObjectStore {
    fn upload(&self, path: &Path, id: &MultipartId) -> Upload {
        Upload {
            client: self.client().clone(),
            bucket: self.bucket().to_owned(),
            key: self.prefix().key(path),
            path: path.to_string(),
            upload_id: id.clone(),
        }
    }
}

/// The OSS part number of the zero-based `part_idx`.
fn part_number(part_idx: usize) -> crate::object_store::Result<u32> {
    u32::try_from(part_idx + 1)
        .ok()
        .filter(|n| *n <= MAX_PART_NUMBER)
        .ok_or_else(|| {
            error::generic(format!(
                "part index {part_idx} is past OSS's last part number {MAX_PART_NUMBER}"
            ))
        })
}
