//! CopyObject (`PUT /bucket/key` with `x-oss-copy-source`, OSS API reference "CopyObject").

use std::time::SystemTime;

use http::Method;
use oss_auth::sign::uri_encode;

use super::encryption::{ServerSideEncryption, ServerSideEncryptionInfo};
use super::object_headers::ObjectHeaders;
use super::object_options::RequestControls;
use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::operation::object_properties::ObjectProperties;
use crate::request::{OperationRequest, required};
use crate::response::{header, header_parse, header_string, parse_iso8601};
use crate::settle::{self, Sent, Settled};
use crate::types::RawResponse;
use crate::validate;

impl Client {
    /// CopyObject: copies an object (up to 1 GB; larger objects go through UploadPartCopy),
    /// within a bucket or across buckets of the same region.
    pub fn copy_object(&self) -> CopyObjectRequest {
        CopyObjectRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            source_bucket: None,
            source_key: None,
            source_version_id: None,
            attributes: ObjectHeaders::default(),
            encryption: None,
            controls: RequestControls::default(),
        }
    }
}

/// A CopyObject request.
#[derive(Debug)]
pub struct CopyObjectRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    source_bucket: Option<String>,
    source_key: Option<String>,
    source_version_id: Option<String>,
    attributes: ObjectHeaders,
    encryption: Option<ServerSideEncryption>,
    controls: RequestControls,
}

/// The answer of CopyObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CopyObjectOutput {
    /// The new object's ETag, quoted.
    pub etag: String,
    /// The new object's modification time.
    pub last_modified: Option<SystemTime>,
    /// `x-oss-hash-crc64ecma` of the new object.
    pub crc64: Option<u64>,
    /// `x-oss-version-id` of the new object (versioned buckets).
    pub version_id: Option<String>,
    /// `x-oss-copy-source-version-id`: the version copied.
    pub source_version_id: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The new object's server-side encryption (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// The answer's status and headers as received (empty when a lost answer was settled by
    /// a HeadObject, with `forbid_overwrite`).
    pub raw: RawResponse,
}

impl CopyObjectRequest {
    crate::setters::setters! {
        /// The destination bucket (required).
        bucket: String;
        /// The destination key (required).
        key: String;
        /// The source bucket (default: the destination bucket).
        source_bucket: String;
        /// The source key (required).
        source_key: String;
        /// Copies this version of the source.
        source_version_id: String;
    }

    /// `x-oss-metadata-directive: REPLACE`: take Content-Type and user metadata from this
    /// request instead of copying them (`COPY`, the default).
    pub fn replace_metadata(self) -> Self {
        self.header("x-oss-metadata-directive", "REPLACE")
    }

    /// `x-oss-tagging-directive: Replace` with these tags (`Copy` is the default); a key
    /// given twice is refused with [`crate::ErrorKind::DuplicateName`]. Calling it again
    /// replaces the whole set.
    pub fn replace_tags(mut self, tags: &[(String, String)]) -> Self {
        self.attributes.clear_tags();
        for (key, value) in tags {
            self.attributes.tag(key.clone(), value.clone());
        }
        self.header("x-oss-tagging-directive", "Replace")
    }

    /// The new `Content-Type` (with [`CopyObjectRequest::replace_metadata`]).
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.header("content-type", value)
    }

    /// A user metadata entry (with [`CopyObjectRequest::replace_metadata`]); a name given twice
    /// (case-insensitively) is refused with [`crate::ErrorKind::DuplicateName`].
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.metadata(name.into(), value.into());
        self
    }

    /// `x-oss-copy-source-if-match`.
    pub fn source_if_match(self, etag: impl Into<String>) -> Self {
        self.header("x-oss-copy-source-if-match", etag)
    }

    /// `x-oss-copy-source-if-none-match`.
    pub fn source_if_none_match(self, etag: impl Into<String>) -> Self {
        self.header("x-oss-copy-source-if-none-match", etag)
    }

    /// `x-oss-copy-source-if-modified-since`.
    pub fn source_if_modified_since(self, time: SystemTime) -> Self {
        self.header(
            "x-oss-copy-source-if-modified-since",
            httpdate::fmt_http_date(time),
        )
    }

    /// `x-oss-copy-source-if-unmodified-since`.
    pub fn source_if_unmodified_since(self, time: SystemTime) -> Self {
        self.header(
            "x-oss-copy-source-if-unmodified-since",
            httpdate::fmt_http_date(time),
        )
    }

    /// `x-oss-storage-class` of the new object.
    pub fn storage_class(self, class: impl Into<String>) -> Self {
        self.header("x-oss-storage-class", class)
    }

    /// `x-oss-forbid-overwrite: true`.
    pub fn forbid_overwrite(self, forbid: bool) -> Self {
        self.header("x-oss-forbid-overwrite", forbid.to_string())
    }

    /// Server-side encryption of the new object (`x-oss-server-side-encryption*`; without
    /// it OSS applies the bucket's default, not the source's).
    pub fn server_side_encryption(mut self, encryption: ServerSideEncryption) -> Self {
        self.encryption = Some(encryption);
        self
    }

    /// `x-oss-traffic-limit`: OSS paces this copy to `bits_per_second` (819200 to
    /// 838860800; other values are refused with [`crate::ErrorKind::InvalidArgument`] before
    /// any I/O).
    pub fn traffic_limit(mut self, bits_per_second: u64) -> Self {
        self.controls.traffic_limit = Some(bits_per_second);
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.controls.request_payer = requester_pays;
        self
    }

    /// Adds attributes collected elsewhere (the Copier's replacement attributes).
    pub(crate) fn attributes(mut self, attributes: ObjectHeaders) -> Self {
        self.attributes.merge(attributes);
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attributes.set(name, value.into());
        self
    }

    /// Sends the request. With `forbid_overwrite`, a lost answer (the connection breaks or
    /// times out after the request went out, or OSS answers 5xx) is settled rather than sent
    /// again blindly (which would answer `FileAlreadyExists` for the caller's own copy): the
    /// destination is the copy when its length and CRC-64 are the source's (the rules of
    /// `docs/errors.md`, "Writes whose answer is lost").
    ///
    /// # Errors
    /// Input errors before I/O; service errors (`NoSuchKey` for the source,
    /// `PreconditionFailed`, `FileAlreadyExists`…); the error of a lost answer that cannot be
    /// settled.
    pub async fn send(self) -> Result<CopyObjectOutput, Error> {
        let source_key = required(self.source_key, "source_key")?;
        validate::object_key(&source_key)?;
        let mut op = OperationRequest::object(Method::PUT, self.bucket, self.key)?;
        let source_bucket = match self.source_bucket {
            Some(b) => b,
            None => op.bucket.clone().unwrap_or_default(),
        };
        validate::bucket_name(&source_bucket)?;
        let mut source = format!("/{source_bucket}/{}", uri_encode(&source_key, true));
        if let Some(version) = &self.source_version_id {
            source.push_str("?versionId=");
            source.push_str(&uri_encode(version, false));
        }
        op.header(
            "x-oss-copy-source",
            validate::header_value("x-oss-copy-source", &source)?,
        );
        self.attributes.apply(&mut op)?;
        self.controls.apply(&mut op)?;
        if let Some(encryption) = &self.encryption {
            encryption.apply(&mut op)?;
        }
        let forbids = op
            .headers
            .get("x-oss-forbid-overwrite")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"));
        let (parts, root) = if forbids {
            let copy = CopyOnce {
                client: &self.client,
                bucket: op.bucket.clone().unwrap_or_default(),
                key: op.key.clone().unwrap_or_default(),
                source_bucket,
                source_key,
                source_version_id: self.source_version_id.clone(),
            };
            let response = match self.client.send_settled(op, || copy.settle()).await? {
                Sent::Answered(response) => response,
                Sent::Settled(found) => {
                    return Ok(CopyObjectOutput {
                        etag: found.etag,
                        last_modified: found.last_modified,
                        crc64: found.crc64,
                        version_id: found.version_id,
                        source_version_id: self.source_version_id,
                        request_id: found.request_id,
                        server_side_encryption: found.server_side_encryption,
                        raw: RawResponse::default(),
                    });
                }
            };
            let (parts, body) = response.into_parts();
            let root = crate::xml::parse(&crate::response::read_body(body).await?)?;
            (parts, root)
        } else {
            let (parts, body) = self.client.send(op).await?.into_parts();
            let root = crate::xml::parse(&crate::response::read_body(body).await?)?;
            (parts, root)
        };
        let headers = &parts.headers;
        Ok(CopyObjectOutput {
            etag: root.text_or_empty("ETag"),
            last_modified: root.child_text("LastModified").and_then(parse_iso8601),
            crc64: header_parse(headers, &header_names::X_OSS_HASH_CRC64ECMA),
            version_id: header(headers, &header_names::X_OSS_VERSION_ID).map(str::to_owned),
            source_version_id: header(headers, &header_names::X_OSS_COPY_SOURCE_VERSION_ID)
                .map(str::to_owned),
            request_id: header_string(headers, &header_names::X_OSS_REQUEST_ID),
            server_side_encryption: ServerSideEncryptionInfo::from_headers(headers),
            raw: RawResponse {
                status: parts.status,
                headers: parts.headers,
            },
        })
    }
}

/// A CopyObject with `x-oss-forbid-overwrite` whose answer may have been lost.
struct CopyOnce<'a> {
    client: &'a Client,
    bucket: String,
    key: String,
    source_bucket: String,
    source_key: String,
    source_version_id: Option<String>,
}

impl CopyOnce<'_> {
    /// Applied when the destination has the source's length and CRC-64.
    async fn settle(&self) -> Result<Settled<ObjectProperties>, Error> {
        let mut source = self
            .client
            .head_object()
            .bucket(self.source_bucket.as_str())
            .key(self.source_key.as_str());
        if let Some(version) = &self.source_version_id {
            source = source.version_id(version.as_str());
        }
        let source = source.send().await?;
        settle::same_object(
            self.client,
            &self.bucket,
            &self.key,
            source.crc64,
            source.content_length,
        )
        .await
    }
}
