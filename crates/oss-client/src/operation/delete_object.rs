//! DeleteObject (`DELETE /bucket/key`, OSS API reference "DeleteObject").

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::header;
use crate::types::RawResponse;

impl Client {
    /// DeleteObject: deletes an object (succeeds also when the key does not exist).
    pub fn delete_object(&self) -> DeleteObjectRequest {
        DeleteObjectRequest {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            key: None,
            version_id: None,
        }
    }
}

/// A DeleteObject request.
#[derive(Debug)]
pub struct DeleteObjectRequest {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
}

/// The answer of DeleteObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DeleteObjectOutput {
    /// Whether a delete marker was created or deleted (versioned buckets).
    pub delete_marker: bool,
    /// `x-oss-version-id` (versioned buckets).
    pub version_id: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl DeleteObjectRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// Deletes this version permanently (versioned buckets).
        version_id: String;
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled (OSS
    /// refuses requests of others without it).
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors before I/O; service errors (`NoSuchBucket`…).
    pub async fn send(self) -> Result<DeleteObjectOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for DeleteObjectRequest {
    type Output = DeleteObjectOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::object(Method::DELETE, self.bucket, self.key)?;
        op.request_payer(self.request_payer);
        if let Some(version) = self.version_id {
            op.query.push("versionId", version);
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<DeleteObjectOutput, Error> {
        let headers = &answer.headers;
        Ok(DeleteObjectOutput {
            delete_marker: header(headers, &header_names::X_OSS_DELETE_MARKER) == Some("true"),
            version_id: header(headers, &header_names::X_OSS_VERSION_ID).map(str::to_owned),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}
