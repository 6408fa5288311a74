//! PutObject (`PUT /bucket/key`, OSS API reference "PutObject").

use bytes::Bytes;
use http::Method;
use oss_http::Body;
use std::path::PathBuf;

use super::callback::{self, Callback};
use super::encryption::ServerSideEncryptionInfo;
use super::object_options::ObjectOptions;
use crate::checksum::{CrcObserver, send_upload};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::{header, header_parse, header_string};
use crate::settle::{self, Sent};
use crate::types::RawResponse;

impl Client {
    /// PutObject: uploads an object in one request (up to 5 GiB).
    pub fn put_object(&self) -> PutObjectRequest {
        PutObjectRequest {
            client: self.clone(),
            max_attempts: None,
            bucket: None,
            key: None,
            body: Source::Body(Body::empty()),
            options: ObjectOptions::default(),
            pacing: crate::pacing::Pacing::default(),
            callback: None,
        }
    }
}

#[derive(Debug)]
enum Source {
    Body(Body),
    Path(PathBuf),
}

/// A PutObject request.
#[derive(Debug)]
pub struct PutObjectRequest {
    client: Client,
    max_attempts: Option<u32>,
    bucket: Option<String>,
    key: Option<String>,
    body: Source,
    options: ObjectOptions,
    pacing: crate::pacing::Pacing,
    /// Boxed: rare, and kept out of every request's future.
    callback: Option<Box<Callback>>,
}

/// The answer of PutObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PutObjectOutput {
    /// The ETag, quoted as returned (`"<MD5 hex>"` for a normal object).
    pub etag: String,
    /// `x-oss-hash-crc64ecma`, already compared with the CRC-64 of the bytes sent.
    pub crc64: Option<u64>,
    /// `x-oss-version-id`, in versioned buckets.
    pub version_id: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The server-side encryption OSS applied (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// The answer's status and headers as received (empty when a lost answer was settled by
    /// a HeadObject, for a PutObject with `forbid_overwrite`).
    pub raw: RawResponse,
    /// With [`PutObjectRequest::callback`]: the callback server's answer body as OSS relayed
    /// it (JSON, at most 3 MB). `None` without a callback, and when the answer was lost and
    /// a HeadObject showed the object stored.
    pub callback_result: Option<Bytes>,
}

impl PutObjectRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required): 1-1023 UTF-8 bytes, not starting with `/` or `\`. Sent
        /// exactly as given (never decoded or normalised).
        key: String;
    }

    /// The content: bytes, a string, or a [`Body::from_stream`] of known length.
    pub fn body(mut self, body: impl Into<Body>) -> Self {
        self.body = Source::Body(body.into());
        self
    }

    /// The content of a file, streamed from disk when the request is sent.
    pub fn body_from_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.body = Source::Path(path.into());
        self
    }

    /// `Content-Type` (OSS stores and returns it). Without one it is guessed from the key's
    /// (else the file's) extension; see [`ObjectOptions`].
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_type(value))
    }

    /// `Content-MD5`: base64 of the MD5 of the body; OSS refuses the upload if it differs.
    pub fn content_md5(mut self, value: impl Into<String>) -> Self {
        self.options.headers.set("content-md5", value.into());
        self
    }

    /// `Cache-Control`, stored and returned on GET.
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.with(|o| o.cache_control(value))
    }

    /// `Content-Disposition`, stored and returned on GET.
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_disposition(value))
    }

    /// `Content-Encoding`, stored and returned on GET; the bytes are stored as sent.
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_encoding(value))
    }

    /// `Content-Language`, stored and returned on GET.
    pub fn content_language(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_language(value))
    }

    /// `Expires`, stored and returned on GET (an HTTP date; OSS keeps any text).
    pub fn expires(self, value: impl Into<String>) -> Self {
        self.with(|o| o.expires(value))
    }

    /// `x-oss-storage-class`: `Standard`, `IA`, `Archive`, `ColdArchive`, `DeepColdArchive`.
    pub fn storage_class(self, value: impl Into<String>) -> Self {
        self.with(|o| o.storage_class(value))
    }

    /// `x-oss-object-acl`: `default`, `private`, `public-read`, `public-read-write`.
    pub fn acl(self, value: impl Into<String>) -> Self {
        self.with(|o| o.acl(value))
    }

    /// One user metadata entry, sent as `x-oss-meta-<name>` (name lower-cased). The value must
    /// be printable ASCII: encode other text first (for example percent-encode it). A name
    /// given twice (case-insensitively) is refused with [`crate::ErrorKind::DuplicateName`].
    pub fn metadata(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|o| o.metadata(name, value))
    }

    /// A tag, sent in `x-oss-tagging` (at most 10 tags; keys 1-128, values 0-256 characters;
    /// a key given twice is refused with [`crate::ErrorKind::DuplicateName`]).
    pub fn tag(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|o| o.tag(key, value))
    }

    /// `x-oss-forbid-overwrite: true`: fail with `FileAlreadyExists` if the key exists.
    pub fn forbid_overwrite(self, forbid: bool) -> Self {
        self.with(|o| o.forbid_overwrite(forbid))
    }

    /// Adds every option set in `options` (server-side encryption, traffic limit, request
    /// payer, Content-Type detection and the attributes above): values replace those set
    /// earlier, metadata and tags are added.
    pub fn options(mut self, options: ObjectOptions) -> Self {
        self.options.merge(options);
        self
    }

    /// An upload callback (`x-oss-callback`, `x-oss-callback-var`): once the object is
    /// stored OSS POSTs to the callback URL and answers with its body
    /// ([`PutObjectOutput::callback_result`]). A failed callback answers
    /// [`crate::ErrorKind::CallbackFailed`]: the object is stored.
    pub fn callback(mut self, callback: Callback) -> Self {
        self.callback = Some(Box::new(callback));
        self
    }

    fn with(mut self, set: impl FnOnce(ObjectOptions) -> ObjectOptions) -> Self {
        self.options = set(std::mem::take(&mut self.options));
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

    /// Sends the request. Nothing is checked or sent until the returned future is first polled.
    ///
    /// # Errors
    /// Input errors before I/O (bucket, key, header and metadata rules; an unreadable file);
    /// [`crate::ErrorKind::ChecksumMismatch`] when OSS's CRC-64 differs from the bytes sent; service
    /// errors (`NoSuchBucket`, `InvalidDigest`, `FileAlreadyExists`…).
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
    )]
    pub fn send(mut self) -> impl Future<Output = Result<PutObjectOutput, Error>> + Send {
        async move {
            let mut op = self.operation()?;
            let body = match std::mem::replace(&mut self.body, Source::Body(Body::empty())) {
                Source::Body(body) => body,
                Source::Path(path) => Body::from_path(&path).await.map_err(|e| {
                    Error::invalid_argument(format!("cannot read {}", path.display()))
                        .with_source(e)
                })?,
            };
            let length = body.content_length();
            op.body = body;
            self.pacing.before_upload(length).await;
            let out = if self.options.forbids_overwrite() {
                // Rare, so its future is boxed rather than kept in every request's.
                let with_callback = self.callback.is_some();
                Box::pin(create_once(&self.client, op, with_callback)).await?
            } else {
                let (response, _sent) = send_upload(&self.client, op, "the object").await?;
                if self.callback.is_some() {
                    Box::pin(output_with_callback(response)).await?
                } else {
                    let (parts, _body) = response.into_parts();
                    output(parts.status, parts.headers)
                }
            };
            self.pacing.uploaded(length);
            Ok(out)
        }
    }

    /// The PutObject operation without its body, every input checked. Takes the names out of
    /// the builder.
    fn operation(&mut self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::object(Method::PUT, self.bucket.take(), self.key.take())?;
        op.max_attempts = self.max_attempts;
        let file = match &self.body {
            Source::Path(path) => Some(path.as_path()),
            Source::Body(_) => None,
        };
        self.options.apply(&mut op, file)?;
        if let Some(callback) = &self.callback {
            callback.apply(&mut op)?;
        }
        Ok(op)
    }
}

fn output(status: http::StatusCode, headers: http::HeaderMap) -> PutObjectOutput {
    PutObjectOutput {
        etag: header_string(&headers, &header_names::ETAG),
        crc64: header_parse(&headers, &header_names::X_OSS_HASH_CRC64ECMA),
        version_id: header(&headers, &header_names::X_OSS_VERSION_ID).map(str::to_owned),
        request_id: header_string(&headers, &header_names::X_OSS_REQUEST_ID),
        server_side_encryption: ServerSideEncryptionInfo::from_headers(&headers),
        raw: RawResponse { status, headers },
        callback_result: None,
    }
}

/// The output of an upload with a callback: the relayed answer body, or `CallbackFailed`.
async fn output_with_callback(
    response: http::Response<oss_http::ResponseBody>,
) -> Result<PutObjectOutput, Error> {
    let (status, headers) = (response.status(), response.headers().clone());
    let callback_result = Some(callback::answer(response).await?);
    Ok(PutObjectOutput {
        callback_result,
        ..output(status, headers)
    })
}

/// A PutObject with `x-oss-forbid-overwrite`, which must not be sent twice: a second copy of
/// a write whose answer was lost would answer `FileAlreadyExists` for the caller's own object.
/// A lost answer is settled by a HeadObject comparing length and CRC-64 ([`crate::settle`]).
async fn create_once(
    client: &Client,
    mut op: OperationRequest,
    with_callback: bool,
) -> Result<PutObjectOutput, Error> {
    let length = op.body.content_length();
    let crc = CrcObserver::new();
    op.body = std::mem::take(&mut op.body).observe(crc.clone());
    let bucket = op.bucket.clone().unwrap_or_default();
    let key = op.key.clone().unwrap_or_default();
    let settle = || settle::same_object(client, &bucket, &key, Some(crc.finish()), length);
    let response = match client.send_settled(op, settle).await? {
        Sent::Answered(response) => response,
        Sent::Settled(found) => {
            return Ok(PutObjectOutput {
                etag: found.etag,
                crc64: found.crc64,
                version_id: found.version_id,
                request_id: found.request_id,
                server_side_encryption: None,
                raw: RawResponse::default(),
                callback_result: None,
            });
        }
    };
    let sent = crc.finish();
    match header_parse::<u64>(response.headers(), &header_names::X_OSS_HASH_CRC64ECMA) {
        Some(reported) if reported != sent => Err(Error::new(
            ErrorKind::ChecksumMismatch,
            format!("CRC-64 mismatch for the object: sent {sent}, OSS stored {reported}"),
        )),
        _ if with_callback => output_with_callback(response).await,
        _ => {
            let parts = response.into_parts().0;
            Ok(output(parts.status, parts.headers))
        }
    }
}
