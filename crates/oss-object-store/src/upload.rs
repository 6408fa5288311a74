//! One OSS multipart upload (OSS API reference "UploadPart", "CompleteMultipartUpload",
//! "AbortMultipartUpload"), as both `MultipartUpload` and `MultipartStore` drive it.

use crate::object_store::{PutPayload, PutResult};
use bytes::Bytes;
use oss_client::Client;
use oss_client::operation::multipart::complete::CompletedPart;

use crate::error;

/// An initiated upload: where it writes and its upload id.
#[derive(Debug)]
pub(crate) struct Upload {
    pub(crate) client: Client,
    pub(crate) bucket: String,
    /// The object key.
    pub(crate) key: String,
    /// The `object_store` path, for errors.
    pub(crate) path: String,
    pub(crate) upload_id: String,
}

impl Upload {
    /// UploadPart of `payload` as part `part_number` (1-10000).
    ///
    /// # Errors
    /// `Generic` for a part number outside 1-10000 (before any request) and for OSS's errors;
    /// `NotFound` when the upload no longer exists.
    pub(crate) async fn put_part(
        &self,
        part_number: u32,
        payload: PutPayload,
    ) -> crate::object_store::Result<CompletedPart> {
        let output = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .part_number(part_number)
            .body(Bytes::from(payload))
            .send()
            .await
            .map_err(|e| error::from_oss(e, &self.path))?;
        let part = CompletedPart::new(output.part_number, output.etag);
        Ok(match output.crc64 {
            Some(crc64) => part.with_crc64(crc64, output.size),
            None => part,
        })
    }

    /// CompleteMultipartUpload with `parts` (any order: sent sorted by part number). With no
    /// part, one empty part is uploaded first, so the object is empty (OSS refuses a
    /// completion without parts).
    pub(crate) async fn complete(
        &self,
        mut parts: Vec<CompletedPart>,
    ) -> crate::object_store::Result<PutResult> {
        if parts.is_empty() {
            parts.push(self.put_part(1, PutPayload::new()).await?);
        }
        let output = self
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .parts(parts)
            .send()
            .await
            .map_err(|e| error::from_oss(e, &self.path))?;
        Ok(PutResult {
            // object_store 0.14 carries HTTP response extensions; OSS answers fill none.
            #[cfg(feature = "object_store_0_14")]
            extensions: Default::default(),
            e_tag: Some(output.etag),
            version: output.version_id,
        })
    }

    /// AbortMultipartUpload: the parts are deleted.
    pub(crate) async fn abort(&self) -> crate::object_store::Result<()> {
        self.client
            .abort_multipart_upload(&self.bucket, &self.key, &self.upload_id)
            .await
            .map_err(|e| error::from_oss(e, &self.path))?;
        Ok(())
    }
}
