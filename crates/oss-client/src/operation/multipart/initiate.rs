//! InitiateMultipartUpload (`POST /bucket/key?uploads`).

use http::{HeaderName, HeaderValue, Method};
use oss_auth::sign::percent_decode;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::encryption::ServerSideEncryptionInfo;
use crate::operation::object_options::ObjectOptions;
use crate::request::OperationRequest;
use crate::types::RawResponse;

impl Client {
    /// InitiateMultipartUpload: starts a multipart upload and returns its upload id.
    pub fn initiate_multipart_upload(&self) -> InitiateMultipartUploadRequest {
        InitiateMultipartUploadRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            options: ObjectOptions::default(),
        }
    }
}

/// An InitiateMultipartUpload request.
#[derive(Debug)]
pub struct InitiateMultipartUploadRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    options: ObjectOptions,
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
    /// The server-side encryption the object will have (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// The answer's status and headers as received.
    pub raw: RawResponse,
}

impl InitiateMultipartUploadRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
    }

    /// `Content-Type` of the final object.
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_type(value))
    }

    /// `Cache-Control` of the final object.
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.with(|o| o.cache_control(value))
    }

    /// `Content-Disposition` of the final object.
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_disposition(value))
    }

    /// `Content-Encoding` of the final object (the bytes are stored as sent).
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_encoding(value))
    }

    /// `Content-Language` of the final object.
    pub fn content_language(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_language(value))
    }

    /// `Expires` of the final object.
    pub fn expires(self, value: impl Into<String>) -> Self {
        self.with(|o| o.expires(value))
    }

    /// `x-oss-storage-class` of the final object.
    pub fn storage_class(self, value: impl Into<String>) -> Self {
        self.with(|o| o.storage_class(value))
    }

    /// `x-oss-forbid-overwrite: true`.
    pub fn forbid_overwrite(self, forbid: bool) -> Self {
        self.with(|o| o.forbid_overwrite(forbid))
    }

    /// A user metadata entry of the final object; a name given twice (case-insensitively) is
    /// refused with [`crate::ErrorKind::DuplicateName`].
    pub fn metadata(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|o| o.metadata(name, value))
    }

    /// A tag of the final object; a key given twice is refused with
    /// [`crate::ErrorKind::DuplicateName`].
    pub fn tag(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|o| o.tag(key, value))
    }

    /// Adds every option set in `options` (server-side encryption, ACL, traffic limit,
    /// request payer, Content-Type detection…): values replace those set earlier, metadata
    /// and tags are added. A missing Content-Type is guessed from the key; see
    /// [`ObjectOptions`].
    pub fn options(mut self, options: ObjectOptions) -> Self {
        self.options.merge(options);
        self
    }

    /// A header value exactly as an OSS answer gave it (already a valid header value).
    pub(crate) fn raw_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.options.headers.raw(name, value);
        self
    }

    fn with(mut self, set: impl FnOnce(ObjectOptions) -> ObjectOptions) -> Self {
        self.options = set(std::mem::take(&mut self.options));
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn send(self) -> Result<InitiateMultipartUploadOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for InitiateMultipartUploadRequest {
    type Output = InitiateMultipartUploadOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::object(Method::POST, self.bucket, self.key)?;
        op.query.push_flag("uploads").push("encoding-type", "url");
        self.options.apply(&mut op, None)?;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<InitiateMultipartUploadOutput, Error> {
        let root = crate::xml::parse(&answer.body)?;
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
            request_id: answer.request_id(),
            server_side_encryption: ServerSideEncryptionInfo::from_headers(&answer.headers),
            raw: answer.raw(),
        })
    }
}
