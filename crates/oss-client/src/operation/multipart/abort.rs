//! AbortMultipartUpload (`DELETE /bucket/key?uploadId=U`).

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::EmptyOutput;
use crate::types::ObjectKey;

impl Client {
    /// AbortMultipartUpload: discards an upload and its parts.
    ///
    /// # Errors
    /// Input errors; `NoSuchUpload` for an unknown, completed or aborted upload id.
    pub async fn abort_multipart_upload(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
        upload_id: &str,
    ) -> Result<EmptyOutput, Error> {
        if upload_id.is_empty() {
            return Err(Error::invalid_argument("upload_id is required"));
        }
        let mut op =
            key.into()
                .unversioned_request(Method::DELETE, bucket, "AbortMultipartUpload")?;
        op.query.push("uploadId", upload_id);
        self.execute_request(Ok(op), |answer| Ok(EmptyOutput::from_answer(&answer)))
            .await
    }
}
