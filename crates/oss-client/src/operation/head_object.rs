//! HeadObject (`HEAD /bucket/key`, OSS API reference "HeadObject").

use std::time::SystemTime;

use http::Method;

use super::object_properties::{Conditions, ObjectProperties};
use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::request::OperationRequest;

impl Client {
    /// HeadObject: an object's properties without its content.
    pub fn head_object(&self) -> HeadObjectRequest {
        HeadObjectRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            conditions: Conditions::default(),
            version_id: None,
            request_payer: false,
        }
    }
}

/// A HeadObject request.
#[derive(Debug)]
pub struct HeadObjectRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    conditions: Conditions,
    version_id: Option<String>,
    request_payer: bool,
}

impl HeadObjectRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// A specific version (versioned buckets).
        version_id: String;
    }

    /// `If-Match`.
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.conditions.if_match = Some(etag.into());
        self
    }

    /// `If-None-Match`.
    pub fn if_none_match(mut self, etag: impl Into<String>) -> Self {
        self.conditions.if_none_match = Some(etag.into());
        self
    }

    /// `If-Modified-Since`.
    pub fn if_modified_since(mut self, time: SystemTime) -> Self {
        self.conditions.if_modified_since = Some(time);
        self
    }

    /// `If-Unmodified-Since`.
    pub fn if_unmodified_since(mut self, time: SystemTime) -> Self {
        self.conditions.if_unmodified_since = Some(time);
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// All four conditions at once (the Downloader's).
    pub(crate) fn conditions(mut self, conditions: Conditions) -> Self {
        self.conditions = conditions;
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors before I/O; service errors decoded from the `x-oss-err` header
    /// (`NoSuchKey`, `NoSuchBucket`, `PreconditionFailed`, `NotModified`).
    pub async fn send(self) -> Result<ObjectProperties, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for HeadObjectRequest {
    type Output = ObjectProperties;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::object(Method::HEAD, self.bucket, self.key)?;
        if let Some(version) = self.version_id {
            op.query.push("versionId", version);
        }
        self.conditions.apply(&mut op)?;
        op.request_payer(self.request_payer);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ObjectProperties, Error> {
        Ok(ObjectProperties::from_response(
            answer.status,
            answer.headers,
        ))
    }
}
