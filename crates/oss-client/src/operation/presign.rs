//! Presigned URLs (OSS "Add signatures to URLs", V4 and V1).

use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName, Method};
use oss_http::SigningTarget;

use super::object_headers::unique;
use super::required;
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::validate;

impl Client {
    /// A presigned URL for `method` on an object, or on a bucket when no key is set (e.g. a
    /// `GET` with `query("list-type", "2")` lists it, `query("bucketInfo", "")` reads its
    /// information): anyone holding it can make that request until it expires, without
    /// credentials.
    pub fn presign(&self, method: Method) -> PresignRequest {
        PresignRequest {
            client: self.clone(),
            method,
            bucket: None,
            key: None,
            expires_in: Duration::from_secs(900),
            typed_headers: Vec::new(),
            headers: Vec::new(),
            query: Vec::new(),
        }
    }
}

/// A presign request; see [`Client::presign`].
#[derive(Debug)]
pub struct PresignRequest {
    client: Client,
    method: Method,
    bucket: Option<String>,
    key: Option<String>,
    expires_in: Duration,
    /// Set by `content_type` and `content_md5` (calling one again replaces its value).
    typed_headers: Vec<(&'static str, String)>,
    /// Given to `header`, names lower-cased.
    headers: Vec<(String, String)>,
    query: Vec<(String, Option<String>)>,
}

/// A presigned request: the URL plus the headers whoever uses it must send.
#[derive(Clone)]
#[non_exhaustive]
pub struct PresignedRequest {
    /// The HTTP method the URL is valid for.
    pub method: Method,
    /// The full URL, signature included. Treat it as a secret until it expires.
    pub url: String,
    /// When the URL stops working (UTC).
    pub expiration: SystemTime,
    /// Headers that were signed and must be sent with exactly these values (lower-case names),
    /// e.g. `content-type` when one was given.
    pub signed_headers: Vec<(String, String)>,
}

impl std::fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("url", &"** redacted **")
            .field("expiration", &httpdate::fmt_http_date(self.expiration))
            .field("signed_headers", &self.signed_headers)
            .finish()
    }
}

impl PresignRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key; without one the URL addresses the bucket (`/bucket/` or
        /// `bucket.endpoint/`), a bucket-level operation chosen by the query parameters.
        key: String;
    }

    /// Validity (default 15 minutes; V4 allows 1 s to 7 days).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// Signs `Content-Type`: the request made with the URL must send exactly this value.
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.typed_header("content-type", value)
    }

    /// Signs `Content-MD5`.
    pub fn content_md5(self, value: impl Into<String>) -> Self {
        self.typed_header("content-md5", value)
    }

    fn typed_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.typed_headers.retain(|(n, _)| *n != name);
        self.typed_headers.push((name, value.into()));
        self
    }

    /// Signs another header (`x-oss-*` headers always take part in the signature). A name
    /// given twice, here or also to [`Self::content_type`] or [`Self::content_md5`]
    /// (case-insensitively), is refused with [`ErrorKind::DuplicateName`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// Adds a query parameter (e.g. `versionId`, `response-content-type`, `list-type`).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), Some(value.into())));
        self
    }

    /// Adds a sub-resource without a value (`?acl`, `?bucketInfo`, `?tagging`): the operation
    /// the URL is for.
    pub fn subresource(mut self, name: impl Into<String>) -> Self {
        self.query.push((name.into(), None));
        self
    }

    /// `x-oss-process`: a URL for the object processed, e.g. `image/resize,w_100` (see
    /// [`crate::operation::get_object::GetObjectRequest::process`]).
    pub fn process(self, process: impl Into<String>) -> Self {
        self.query("x-oss-process", process)
    }

    /// Signs the URL with a fresh credentials snapshot at the current time.
    ///
    /// # Errors
    /// Input errors before any I/O (names, header values, a header given twice, an expiry
    /// outside 1..=604800 s for V4); [`ErrorKind::Credentials`] when no credentials can be had.
    pub async fn send(self) -> Result<PresignedRequest, Error> {
        let bucket = required(self.bucket, "bucket")?;
        validate::bucket_name(&bucket)?;
        if let Some(key) = &self.key {
            validate::object_key(key)?;
        }
        let given = self
            .typed_headers
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .chain(self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        unique("header name", given.clone().map(|(n, _)| n), true)?;
        let mut headers = HeaderMap::new();
        for (name, value) in given {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidHeaderValue,
                    format!("invalid header name {name:?}"),
                )
                .with_source(e)
            })?;
            headers.insert(header, validate::header_value(name, value)?);
        }
        let mut target = SigningTarget {
            bucket: Some(bucket),
            key: self.key,
            query: Default::default(),
        };
        for (name, value) in self.query {
            target.query.push_opt(name, value);
        }
        let signing = self.client.signing();
        let credentials = signing.credentials().await?;
        let now = signing.now();
        let output = signing
            .presign(
                self.method.as_str(),
                &mut target,
                &mut headers,
                &credentials,
                now,
                self.expires_in,
            )
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, e.to_string()).with_source(e))?;
        let url = self.client.endpoint().url(
            target.bucket.as_deref(),
            target.key.as_deref(),
            &target.query,
        );
        Ok(PresignedRequest {
            method: self.method,
            url,
            expiration: now + Duration::from_secs(self.expires_in.as_secs()),
            signed_headers: output.signed_headers,
        })
    }
}
