//! The client's error type.

use std::error::Error as StdError;
use std::fmt;

use http::{HeaderMap, StatusCode};
use oss_http::ErrorDocument;

use crate::header_names;

type BoxError = Box<dyn StdError + Send + Sync>;

/// What failed. Input errors (`Invalid*`) are raised before any I/O.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A bucket name breaks the OSS rules (3-63 characters of `a-z 0-9 -`, starting and ending
    /// with a letter or digit).
    InvalidBucketName,
    /// An object key breaks the OSS rules (1-1023 UTF-8 bytes, not starting with `/` or `\`).
    InvalidObjectKey,
    /// A header value holds CR, LF or another control character.
    InvalidHeaderValue,
    /// A user metadata name or value cannot be sent (non-ASCII or control characters; encode
    /// the value, e.g. percent-encode it, first).
    InvalidMetadata,
    /// The endpoint is not an `http://` or `https://` URL with a host and no path.
    InvalidEndpoint,
    /// A name was given twice to one request: a user metadata name or a header name
    /// (compared case-insensitively: `Tag` and `tag` are one name), or a tag key (compared
    /// exactly). Refused rather than joined or dropped; see `docs/errors.md`.
    DuplicateName,
    /// Another argument is missing or out of range (max-keys, range, expiry, region…).
    InvalidArgument,
    /// The credentials provider failed.
    Credentials,
    /// The request could not be signed.
    Signing,
    /// Connecting to the endpoint failed.
    Connect,
    /// A time limit of one attempt passed: the idle timeout (no byte of a body moved) or the
    /// first-byte timeout (no response after the request was sent) ([`crate::Timeouts`]).
    /// Retryable.
    Timeout,
    /// The operation's deadline passed ([`crate::Timeouts::deadline`]). Not retryable.
    Deadline,
    /// The connection failed while sending or receiving, or a body could not be read.
    Transport,
    /// OSS answered with an error ([`Error::as_service_error`]).
    Service,
    /// OSS answered with something this client cannot interpret (bad XML, a `Content-Range`
    /// that does not match the requested range).
    InvalidResponse,
    /// The CRC-64 of the data differs from OSS's `x-oss-hash-crc64ecma`: the data is corrupt
    /// and was not reported as written or read.
    ChecksumMismatch,
    /// The object **was stored**, but the upload callback failed: OSS answered
    /// `203 CallbackFailed` (the callback server did not answer 200 with a body in time).
    /// [`Error::as_service_error`] holds OSS's error document. Never retried: sending the
    /// upload again would store the object again.
    CallbackFailed,
}

/// An error from an OSS operation.
///
/// `Display` gives the kind-specific message; for service errors it shows the OSS code,
/// message, HTTP status, request id and EC. Secrets never appear in it.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    service: Option<Box<ServiceError>>,
    source: Option<BoxError>,
    /// The request that failed, e.g. `PUT examplebucket/a.txt`, for errors after I/O started.
    request: Option<Box<str>>,
    attempts: u32,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            service: None,
            source: None,
            request: None,
            attempts: 1,
        }
    }

    /// Names the request that failed (`method`, bucket and key) and its attempt count.
    pub(crate) fn for_request(
        mut self,
        method: &http::Method,
        bucket: Option<&str>,
        key: Option<&str>,
        attempts: u32,
    ) -> Self {
        let mut request = format!("{method} {}", bucket.unwrap_or("(service)"));
        if let Some(key) = key {
            request.push('/');
            request.push_str(key);
        }
        self.request = Some(request.into_boxed_str());
        self.attempts = attempts;
        self
    }

    /// The request that failed, as `METHOD bucket/key` (`METHOD bucket` for bucket operations),
    /// when the error happened after sending started.
    pub fn request(&self) -> Option<&str> {
        self.request.as_deref()
    }

    /// How many attempts the failed request took, the last included (1 without retries).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn service(error: ServiceError) -> Self {
        Self {
            service: Some(Box::new(error)),
            ..Self::new(ErrorKind::Service, String::new())
        }
    }

    /// A `203 CallbackFailed` answer: the object is stored, its callback failed.
    pub(crate) fn callback_failed(error: ServiceError) -> Self {
        Self {
            service: Some(Box::new(error)),
            ..Self::new(ErrorKind::CallbackFailed, String::new())
        }
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub(crate) fn invalid_response(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidResponse, message)
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The OSS error, when the service answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError> {
        self.service.as_deref()
    }

    /// The OSS error code (`NoSuchKey`, `SignatureDoesNotMatch`…), for service errors.
    pub fn code(&self) -> Option<&str> {
        self.service.as_deref().map(ServiceError::code)
    }

    /// Whether the input was rejected before any I/O.
    pub fn is_input_error(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::InvalidBucketName
                | ErrorKind::InvalidObjectKey
                | ErrorKind::InvalidHeaderValue
                | ErrorKind::InvalidMetadata
                | ErrorKind::InvalidEndpoint
                | ErrorKind::DuplicateName
                | ErrorKind::InvalidArgument
        )
    }

    /// Whether sending the same request again may succeed: connection failures, timeouts,
    /// checksum mismatches, and service errors [`ServiceError::is_retryable`] names (the list
    /// the client's own retries consult).
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Connect
            | ErrorKind::Timeout
            | ErrorKind::Transport
            | ErrorKind::ChecksumMismatch => true,
            ErrorKind::Service => self
                .service
                .as_deref()
                .is_some_and(ServiceError::is_retryable),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ErrorKind::CallbackFailed {
            f.write_str("the object was stored, but its upload callback failed: ")?;
        }
        match &self.service {
            Some(service) => service.fmt(f)?,
            None => f.write_str(&self.message)?,
        }
        if let Some(request) = &self.request {
            write!(f, " ({request}")?;
            if self.attempts > 1 {
                write!(f, ", after {} attempts", self.attempts)?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

impl From<oss_http::Error> for Error {
    fn from(e: oss_http::Error) -> Self {
        use oss_http::ErrorKind as H;
        let kind = match e.kind() {
            H::Credentials => ErrorKind::Credentials,
            H::Signing => ErrorKind::Signing,
            H::Connect => ErrorKind::Connect,
            H::Timeout => ErrorKind::Timeout,
            H::Deadline => ErrorKind::Deadline,
            H::InvalidRequest => ErrorKind::InvalidArgument,
            _ => ErrorKind::Transport,
        };
        let attempts = e.attempts();
        let mut error = Self::new(kind, e.to_string()).with_source(e);
        error.attempts = attempts;
        error
    }
}

/// An error answered by OSS: the HTTP status, every element of its error document (read
/// once, by `oss_http`'s error document reader, from the body or for HEAD requests from the
/// base64 XML in `x-oss-err`) and the answer's headers. An answer that is not an OSS error
/// document (a proxy's HTML page, an empty or truncated body) keeps its status, request id
/// and the start of its body ([`ServiceError::body_excerpt`]).
#[derive(Debug, Clone)]
pub struct ServiceError {
    pub(crate) status: StatusCode,
    /// The code reported when the document has none (from the status).
    pub(crate) fallback_code: &'static str,
    pub(crate) document: ErrorDocument,
    pub(crate) headers: HeaderMap,
}

impl ServiceError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The OSS error code, e.g. `NoSuchKey`. Without an error document, a code from the status
    /// (`NoSuchKey`/`NoSuchBucket` for 404, `AccessDenied`, `PreconditionFailed`,
    /// `InvalidRange`, `NotModified`), else `BadErrorResponse`.
    pub fn code(&self) -> &str {
        self.document.code().unwrap_or(self.fallback_code)
    }

    /// Whether the answer carried an OSS error document with a code (false for a proxy's page,
    /// an empty body, or a bodiless HEAD answer without `x-oss-err`).
    pub fn has_error_document(&self) -> bool {
        self.document.code().is_some()
    }

    /// The human-readable message (without one, the status's reason phrase).
    pub fn message(&self) -> &str {
        self.document
            .message()
            .unwrap_or_else(|| self.status.canonical_reason().unwrap_or("no error message"))
    }

    /// The request id (`<RequestId>`, else `x-oss-request-id`), to quote to support; empty when
    /// the answer had none.
    pub fn request_id(&self) -> &str {
        self.document.request_id().unwrap_or_default()
    }

    /// The host that answered (`<HostId>`).
    pub fn host_id(&self) -> &str {
        self.document.host_id().unwrap_or_default()
    }

    /// The detailed error id (`EC`, also `x-oss-ec`), e.g. `0026-00000001`.
    pub fn ec(&self) -> &str {
        self.document.ec().unwrap_or_default()
    }

    /// The endpoint that serves the bucket, when OSS answered that the request reached another
    /// region's endpoint: the `<Endpoint>` element of a 403 (`AccessDenied`; some OSS
    /// documents name the code `PermanentRedirect`). A host name without scheme, e.g.
    /// `oss-cn-beijing.aliyuncs.com`; the region is its `oss-<region>` label, and
    /// [`Client::get_bucket_location`](crate::Client::get_bucket_location) answers
    /// `oss-<region>` from any endpoint. The client never follows it on its own: V4
    /// signatures are scoped to a region, so build a client with that endpoint and region.
    pub fn endpoint(&self) -> Option<&str> {
        self.detail("Endpoint")
    }

    /// Any other element of the error XML by name, e.g. `ServerTime`, `Key`, `RecommendDoc`.
    pub fn detail(&self, name: &str) -> Option<&str> {
        self.document.element(name)
    }

    /// Every element of the error XML besides `Code`, `Message`, `RequestId`, `HostId` and
    /// `EC`, as (name, text) in document order.
    pub fn details(&self) -> impl Iterator<Item = (&str, &str)> {
        self.document
            .elements()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// `<ServerTime>` of a `RequestTimeTooSkewed` answer.
    pub fn server_time(&self) -> Option<std::time::SystemTime> {
        self.document.server_time()
    }

    /// For a 409 `PositionNotEqualToLength` (AppendObject at the wrong position) and other
    /// answers about an appendable object: `x-oss-next-append-position`, the object's length,
    /// where the next append must start.
    pub fn next_append_position(&self) -> Option<u64> {
        self.headers
            .get(&header_names::X_OSS_NEXT_APPEND_POSITION)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// A header of the error answer as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The headers of the error answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// When the body was not a complete OSS error document (a gateway's HTML page, JSON,
    /// truncated XML, binary bytes): its first 512 bytes, printable (whitespace runs as one
    /// space, control characters escaped, bytes that are not UTF-8 as `\xNN`, `…` when cut).
    pub fn body_excerpt(&self) -> Option<&str> {
        self.document.body_excerpt()
    }

    /// Whether a retry may succeed: HTTP 5xx (but 501), 408, 429, or a transient, throttling
    /// or clock-skew OSS code; the list the retry layer consults
    /// ([`oss_http::error_document::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        oss_http::error_document::is_retryable(self.status, self.code())
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OSS error {} (HTTP {}): {}",
            self.code(),
            self.status.as_u16(),
            self.message()
        )?;
        if !self.request_id().is_empty() {
            write!(f, "; request id {}", self.request_id())?;
        }
        if !self.ec().is_empty() {
            write!(f, "; EC {}", self.ec())?;
        }
        if let Some(position) = self.next_append_position() {
            write!(f, "; next append position {position}")?;
        }
        if let Some(endpoint) = self.endpoint() {
            write!(
                f,
                "; the bucket is served at endpoint {endpoint} (another region): use a client \
                 for that endpoint and its region"
            )?;
        }
        if let Some(body) = self.body_excerpt() {
            write!(
                f,
                "; the answer is not an OSS error document, it begins: {body}"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}
