//! InitiateMultipartUpload (`POST /bucket/key?uploads`).

use http::{HeaderName, HeaderValue, Method};
use oss_auth::sign::percent_decode;

use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::operation::object_headers::ObjectHeaders;
use crate::request::OperationRequest;
use crate::response::header_string;

impl Client {
    /// InitiateMultipartUpload: starts a multipart upload and returns its upload id.
    pub fn initiate_multipart_upload(&self) -> InitiateMultipartUploadRequest {
        InitiateMultipartUploadRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            attributes: ObjectHeaders::default(),
        }
    }
}

/// An InitiateMultipartUpload request.
#[derive(Debug)]
pub struct InitiateMultipartUploadRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    attributes: ObjectHeaders,
}

/// The answer of InitiateMultipartUpload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InitiateMultipartUploadOutput {
    /// The bucket.
    pub bucket: String,
    /// The object key (decoded).
    pub key: String,
    /// The upload id for the following calls.
    pub upload_id: String,
    /// `x-oss-request-id`.
    pub request_id: String,
}

impl InitiateMultipartUploadRequest {
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

    /// `Content-Type` of the final object.
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.header("content-type", value)
    }

    /// `Cache-Control` of the final object.
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.header("cache-control", value)
    }

    /// `Content-Disposition` of the final object.
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        self.header("content-disposition", value)
    }

    /// `Content-Encoding` of the final object (the bytes are stored as sent).
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.header("content-encoding", value)
    }

    /// `Content-Language` of the final object.
    pub fn content_language(self, value: impl Into<String>) -> Self {
        self.header("content-language", value)
    }

    /// `Expires` of the final object.
    pub fn expires(self, value: impl Into<String>) -> Self {
        self.header("expires", value)
    }

    /// `x-oss-storage-class` of the final object.
    pub fn storage_class(self, value: impl Into<String>) -> Self {
        self.header("x-oss-storage-class", value)
    }

    /// `x-oss-forbid-overwrite: true`.
    pub fn forbid_overwrite(self, forbid: bool) -> Self {
        self.header("x-oss-forbid-overwrite", forbid.to_string())
    }

    /// A user metadata entry of the final object; a name given twice (case-insensitively) is
    /// refused with [`crate::ErrorKind::DuplicateName`].
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.metadata(name.into(), value.into());
        self
    }

    /// A tag of the final object; a key given twice is refused with
    /// [`crate::ErrorKind::DuplicateName`].
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.tag(key.into(), value.into());
        self
    }

    /// A header value exactly as an OSS answer gave it (already a valid header value).
    pub(crate) fn raw_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.attributes.raw(name, value);
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attributes.set(name, value.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn send(self) -> Result<InitiateMultipartUploadOutput, Error> {
        let mut op = OperationRequest::object(Method::POST, self.bucket, self.key)?;
        op.query.push_flag("uploads").push("encoding-type", "url");
        self.attributes.apply(&mut op)?;
        let (headers, root) = self.client.send_for_xml(op).await?;
        let url = root.child_text("EncodingType") == Some("url");
        let key = root.text_or_empty("Key");
        let upload_id = root.text_or_empty("UploadId");
        if upload_id.is_empty() {
            return Err(Error::invalid_response(
                "InitiateMultipartUpload answered without an UploadId",
            ));
        }
        Ok(InitiateMultipartUploadOutput {
            bucket: root.text_or_empty("Bucket"),
            key: if url { percent_decode(&key, true) } else { key },
            upload_id,
            request_id: header_string(&headers, &header_names::X_OSS_REQUEST_ID),
        })
    }
}
