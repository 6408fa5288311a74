//! `MultipartStore`: multipart uploads driven by the caller (part `i` is OSS part `i + 1`).

use async_trait::async_trait;
use object_store::multipart::{MultipartStore, PartId};
use object_store::path::Path;
use object_store::{MultipartId, PutPayload, PutResult};
use oss_client::operation::multipart::complete::CompletedPart;

use crate::error;
use crate::store::OssObjectStore;
use crate::upload::Upload;

/// Highest OSS part number.
const MAX_PART_NUMBER: u32 = 10_000;

#[async_trait]
impl MultipartStore for OssObjectStore {
    /// InitiateMultipartUpload; the `MultipartId` is the OSS upload id.
    async fn create_multipart(&self, path: &Path) -> object_store::Result<MultipartId> {
        let output = self
            .client()
            .initiate_multipart_upload()
            .bucket(self.bucket())
            .key(self.prefix().key(path))
            .send()
            .await
            .map_err(|e| error::from_oss(e, path.as_ref()))?;
        Ok(output.upload_id)
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
    ) -> object_store::Result<PartId> {
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
    ) -> object_store::Result<PutResult> {
        let parts = parts
            .into_iter()
            .enumerate()
            .map(|(idx, part)| Ok(CompletedPart::new(part_number(idx)?, part.content_id)))
            .collect::<object_store::Result<Vec<_>>>()?;
        self.upload(path, id).complete(parts).await
    }

    /// AbortMultipartUpload.
    async fn abort_multipart(&self, path: &Path, id: &MultipartId) -> object_store::Result<()> {
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
fn part_number(part_idx: usize) -> object_store::Result<u32> {
    u32::try_from(part_idx + 1)
        .ok()
        .filter(|n| *n <= MAX_PART_NUMBER)
        .ok_or_else(|| {
            error::generic(format!(
                "part index {part_idx} is past OSS's last part number {MAX_PART_NUMBER}"
            ))
        })
}
