//! GetObjectMeta (`HEAD /bucket/key?objectMeta`, OSS API reference "GetObjectMeta"): the
//! light metadata of an object.

use std::time::SystemTime;

use http::Method;

use crate::client::Client;
use crate::error::Error;
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
    /// The bucket (required).
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The object key (required).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// A specific version.
    pub fn version_id(mut self, version_id: impl Into<String>) -> Self {
        self.version_id = Some(version_id.into());
        self
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
        let mut op = OperationRequest::object(Method::HEAD, self.bucket, self.key)?;
        op.request_payer(self.request_payer);
        op.query.push_flag("objectMeta");
        if let Some(version) = self.version_id {
            op.query.push("versionId", version);
        }
        let raw = self.client.send_for_headers(op).await?;
        Ok(ObjectMeta {
            content_length: header_parse(&raw.headers, &header_names::CONTENT_LENGTH).unwrap_or(0),
            etag: header_string(&raw.headers, &header_names::ETAG),
            last_modified: header_time(&raw.headers, &header_names::LAST_MODIFIED),
            crc64: header_parse(&raw.headers, &header_names::X_OSS_HASH_CRC64ECMA),
            request_id: raw.request_id(),
            raw,
        })
    }
}
