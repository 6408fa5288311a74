//! GetObjectMeta (`HEAD /bucket/key?objectMeta`, OSS API reference "GetObjectMeta"): the
//! light metadata of an object.

use std::time::SystemTime;

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::{header_parse, header_string, header_time};
use crate::types::RawResponse;

impl Client {
    /// GetObjectMeta: size, ETag, modification time and CRC-64 without the full headers.
    pub fn get_object_meta(&self) -> GetObjectMetaRequest {
        GetObjectMetaRequest {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            key: None,
            version_id: None,
        }
    }
}

/// A GetObjectMeta request.
#[derive(Debug)]
pub struct GetObjectMetaRequest {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
}

/// The answer of GetObjectMeta.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObjectMeta {
    /// Size in bytes.
    pub content_length: u64,
    /// The ETag, quoted.
    pub etag: String,
    /// Last modification time.
    pub last_modified: Option<SystemTime>,
    /// `x-oss-hash-crc64ecma`.
    pub crc64: Option<u64>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl GetObjectMetaRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// A specific version.
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
    /// Input errors; service errors from `x-oss-err` (`NoSuchKey`…).
    pub async fn send(self) -> Result<ObjectMeta, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for GetObjectMetaRequest {
    type Output = ObjectMeta;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::object(Method::HEAD, self.bucket, self.key)?;
        op.request_payer(self.request_payer);
        op.query.push_flag("objectMeta");
        if let Some(version) = self.version_id {
            op.query.push("versionId", version);
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ObjectMeta, Error> {
        let headers = &answer.headers;
        Ok(ObjectMeta {
            content_length: header_parse(headers, &header_names::CONTENT_LENGTH).unwrap_or(0),
            etag: header_string(headers, &header_names::ETAG),
            last_modified: header_time(headers, &header_names::LAST_MODIFIED),
            crc64: header_parse(headers, &header_names::X_OSS_HASH_CRC64ECMA),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}
