//! UploadPartCopy (UploadPart with `x-oss-copy-source[-range]`).

use std::time::SystemTime;

use http::Method;
use oss_auth::sign::uri_encode;

use super::check_part_number;
use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::request::{OperationRequest, required};
use crate::response::parse_iso8601;
use crate::types::RawResponse;
use crate::validate;
use crate::xml;

impl Client {
    /// UploadPartCopy: a part copied from (a byte range of) an existing object.
    pub fn upload_part_copy(&self) -> UploadPartCopyRequest {
        UploadPartCopyRequest {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            key: None,
            upload_id: None,
            part_number: 0,
            source_bucket: None,
            source_key: None,
            source_version_id: None,
            range: None,
            headers: Vec::new(),
        }
    }
}

/// An UploadPartCopy request.
#[derive(Debug)]
pub struct UploadPartCopyRequest {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    key: Option<String>,
    upload_id: Option<String>,
    part_number: u32,
    source_bucket: Option<String>,
    source_key: Option<String>,
    source_version_id: Option<String>,
    range: Option<(u64, u64)>,
    headers: Vec<(&'static str, String)>,
}

/// The answer of UploadPartCopy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadPartCopyOutput {
    /// The part number.
    pub part_number: u32,
    /// The part's ETag, quoted.
    pub etag: String,
    /// The part's modification time.
    pub last_modified: Option<SystemTime>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl UploadPartCopyRequest {
    crate::setters::setters! {
        /// The destination bucket (required).
        bucket: String;
        /// The destination key (required).
        key: String;
        /// The upload id (required).
        upload_id: String;
        /// The source bucket (default: the destination bucket).
        source_bucket: String;
        /// The source key (required).
        source_key: String;
        /// A version of the source.
        source_version_id: String;
    }

    /// The part number (required).
    pub fn part_number(mut self, part_number: u32) -> Self {
        self.part_number = part_number;
        self
    }

    /// Copies bytes `first..=last` of the source (default: the whole source).
    pub fn source_range(mut self, first: u64, last: u64) -> Self {
        self.range = Some((first, last));
        self
    }

    /// `x-oss-copy-source-if-match`: copy only while the source's ETag is this one (else 412
    /// `PreconditionFailed`), so a source replaced between parts is not mixed into the copy.
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

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
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
    /// Input errors; service errors (`NoSuchKey`, `NoSuchUpload`, `InvalidArgument`,
    /// `PreconditionFailed`…).
    pub async fn send(self) -> Result<UploadPartCopyOutput, Error> {
        let part_number = self.part_number;
        let output = self.client.clone().execute(self).await?;
        Ok(UploadPartCopyOutput {
            part_number,
            ..output
        })
    }
}

impl Operation for UploadPartCopyRequest {
    type Output = UploadPartCopyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        check_part_number(self.part_number)?;
        let upload_id = required(self.upload_id, "upload_id")?;
        let source_key = required(self.source_key, "source_key")?;
        validate::object_key(&source_key)?;
        let mut op = OperationRequest::object(Method::PUT, self.bucket, self.key)?;
        op.request_payer(self.request_payer);
        let source_bucket = self
            .source_bucket
            .unwrap_or_else(|| op.bucket.clone().unwrap_or_default());
        validate::bucket_name(&source_bucket)?;
        let mut source = format!("/{source_bucket}/{}", uri_encode(&source_key, true));
        if let Some(version) = &self.source_version_id {
            source.push_str("?versionId=");
            source.push_str(&uri_encode(version, false));
        }
        op.query
            .push("partNumber", self.part_number.to_string())
            .push("uploadId", upload_id);
        op.dynamic_header("x-oss-copy-source", &source)?;
        if let Some((first, last)) = self.range {
            if last < first {
                return Err(Error::invalid_argument(format!(
                    "invalid source range {first}-{last}"
                )));
            }
            op.dynamic_header("x-oss-copy-source-range", &format!("bytes={first}-{last}"))?;
        }
        for (name, value) in &self.headers {
            op.header(name, validate::header_value(name, value)?);
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<UploadPartCopyOutput, Error> {
        let raw = answer.raw();
        let root = xml::parse(&answer.body)?;
        Ok(UploadPartCopyOutput {
            // The answer does not repeat it: `send` fills it in from the request.
            part_number: 0,
            etag: root.text_or_empty("ETag"),
            last_modified: root.child_text("LastModified").and_then(parse_iso8601),
            request_id: raw.request_id(),
            raw,
        })
    }
}
