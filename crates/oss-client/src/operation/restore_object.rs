//! RestoreObject (`POST /bucket/key?restore`, OSS API reference "RestoreObject"): makes an
//! Archive or Cold Archive object readable for a number of days.

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::header_string;

/// The answer of RestoreObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RestoreObjectOutput {
    /// 202 when the restore started, 200 when the object is already restored.
    pub status: u16,
    /// `x-oss-request-id`.
    pub request_id: String,
}

impl Client {
    /// RestoreObject: restores an archived object for `days` days (1..=7 for Archive, up to
    /// 365 for Cold Archive). Poll HeadObject's `x-oss-restore` until
    /// `ongoing-request="false"`.
    ///
    /// # Errors
    /// Input errors; service errors (`RestoreAlreadyInProgress`, `OperationNotSupported` for
    /// objects that are not archived…).
    pub async fn restore_object(
        &self,
        bucket: &str,
        key: &str,
        days: u32,
    ) -> Result<RestoreObjectOutput, Error> {
        if days == 0 {
            return Err(Error::invalid_argument("a restore lasts at least one day"));
        }
        let mut op =
            OperationRequest::object(Method::POST, Some(bucket.to_owned()), Some(key.to_owned()))?;
        op.query.push_flag("restore");
        op.xml_body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><RestoreRequest><Days>{days}</Days></RestoreRequest>"
        ));
        let response = self.send(op).await?;
        Ok(RestoreObjectOutput {
            status: response.status().as_u16(),
            request_id: header_string(response.headers(), &header_names::X_OSS_REQUEST_ID),
        })
    }
}
