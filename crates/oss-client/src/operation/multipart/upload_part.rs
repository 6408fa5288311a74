//! UploadPart (`PUT /bucket/key?partNumber=N&uploadId=U`).

use http::Method;
use oss_http::Body;

use super::check_part_number;
use crate::checksum::send_upload;
use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::operation::encryption::ServerSideEncryptionInfo;
use crate::operation::object_options::RequestControls;
use crate::request::{OperationRequest, required};
use crate::response::header_string;
use crate::types::RawResponse;

impl Client {
    /// UploadPart: uploads one part (1 to 10000; at most 5 GiB).
    pub fn upload_part(&self) -> UploadPartRequest {
        UploadPartRequest {
            client: self.clone(),
            max_attempts: None,
            bucket: None,
            key: None,
            upload_id: None,
            part_number: 0,
            body: Body::empty(),
            controls: RequestControls::default(),
            pacing: crate::pacing::Pacing::default(),
        }
    }
}

/// An UploadPart request.
#[derive(Debug)]
pub struct UploadPartRequest {
    client: Client,
    max_attempts: Option<u32>,
    bucket: Option<String>,
    key: Option<String>,
    upload_id: Option<String>,
    part_number: u32,
    body: Body,
    controls: RequestControls,
    pacing: crate::pacing::Pacing,
}

/// The answer of UploadPart: everything CompleteMultipartUpload needs about the part.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadPartOutput {
    /// The part number.
    pub part_number: u32,
    /// The part's ETag, quoted exactly as OSS returned it.
    pub etag: String,
    /// The part's CRC-64, already compared with the bytes sent.
    pub crc64: Option<u64>,
    /// The part's size in bytes.
    pub size: u64,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The upload's server-side encryption (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// The answer's status and headers as received.
    pub raw: RawResponse,
}

impl UploadPartRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// The upload id (required).
        upload_id: String;
    }

    /// The part number, 1..=10000 (required).
    pub fn part_number(mut self, part_number: u32) -> Self {
        self.part_number = part_number;
        self
    }

    /// The part's data.
    pub fn body(mut self, body: impl Into<Body>) -> Self {
        self.body = body.into();
        self
    }

    /// `x-oss-traffic-limit`: OSS paces this part to `bits_per_second` (819200 to 838860800;
    /// other values are refused with [`crate::ErrorKind::InvalidArgument`] before any I/O).
    pub fn traffic_limit(mut self, bits_per_second: u64) -> Self {
        self.controls.traffic_limit = Some(bits_per_second);
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.controls.request_payer = requester_pays;
        self
    }

    /// The per-request controls of a transfer.
    pub(crate) fn controls(mut self, controls: RequestControls) -> Self {
        self.controls = controls;
        self
    }

    /// Reports this request's progress: called with `(bytes, Some(bytes))` once OSS has
    /// answered (a single request's bytes are acknowledged together).
    pub fn progress(mut self, callback: crate::transfer::ProgressFn) -> Self {
        self.pacing.set_progress(callback);
        self
    }

    /// Waits for this request's bytes from a client-side bandwidth limit before sending them
    /// (shared with every request and transfer given the same [`crate::transfer::RateLimit`]).
    pub fn rate_limit(mut self, limit: crate::transfer::RateLimit) -> Self {
        self.pacing.set_rate(limit);
        self
    }

    /// Attempts for this request only (1 disables retries), instead of the client's setting.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors (part number, names); [`ErrorKind::ChecksumMismatch`](crate::ErrorKind::ChecksumMismatch); service errors
    /// (`NoSuchUpload`…).
    pub async fn send(self) -> Result<UploadPartOutput, Error> {
        check_part_number(self.part_number)?;
        let upload_id = required(self.upload_id, "upload_id")?;
        let mut op = OperationRequest::object(Method::PUT, self.bucket, self.key)?;
        op.max_attempts = self.max_attempts;
        op.query
            .push("partNumber", self.part_number.to_string())
            .push("uploadId", upload_id);
        self.controls.apply(&mut op)?;
        let size = self.body.content_length();
        op.body = self.body;
        self.pacing.before_upload(size).await;
        let what = format!("part {}", self.part_number);
        let (response, sent) = send_upload(&self.client, op, &what).await?;
        self.pacing.uploaded(size);
        let (parts, _body) = response.into_parts();
        let headers = &parts.headers;
        Ok(UploadPartOutput {
            part_number: self.part_number,
            etag: header_string(headers, &header_names::ETAG),
            crc64: Some(sent),
            size,
            request_id: header_string(headers, &header_names::X_OSS_REQUEST_ID),
            server_side_encryption: ServerSideEncryptionInfo::from_headers(headers),
            raw: RawResponse {
                status: parts.status,
                headers: parts.headers,
            },
        })
    }
}
