//! A generic operation for OSS APIs without a typed wrapper yet, signed like any other.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::object_headers::unique;
use crate::client::Client;
use crate::error::Error;
use crate::request::OperationRequest;
use crate::response::read_body;
use crate::validate;

impl Client {
    /// Any OSS operation: method, bucket, key, query and headers as given, signed and sent
    /// like the typed operations (same validation, credentials, tracing and error parsing).
    pub fn invoke(&self, method: Method) -> InvokeRequest {
        InvokeRequest {
            client: self.clone(),
            method,
            bucket: None,
            key: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }
}

/// A generic request; see [`Client::invoke`].
#[derive(Debug)]
pub struct InvokeRequest {
    client: Client,
    method: Method,
    bucket: Option<String>,
    key: Option<String>,
    query: Vec<(String, Option<String>)>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

/// The answer of a generic request: status, headers and the whole body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InvokeOutput {
    /// The HTTP status (2xx; other statuses are errors).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body (at most 16 MiB).
    pub body: Bytes,
}

impl InvokeRequest {
    crate::setters::setters! {
        /// The bucket (omit for service-level calls).
        bucket: String;
        /// The object key.
        key: String;
    }

    /// A query parameter (`None` for a flag such as `cors`).
    pub fn query(mut self, name: impl Into<String>, value: Option<&str>) -> Self {
        self.query.push((name.into(), value.map(str::to_owned)));
        self
    }

    /// A header (validated before sending); a name given twice (case-insensitively) is refused
    /// with [`crate::ErrorKind::DuplicateName`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors (names, headers, a header given twice, a key without a bucket); service
    /// errors.
    pub async fn send(self) -> Result<InvokeOutput, Error> {
        if let Some(bucket) = &self.bucket {
            validate::bucket_name(bucket)?;
        }
        if let Some(key) = &self.key {
            if self.bucket.is_none() {
                return Err(Error::invalid_argument("a key needs a bucket"));
            }
            validate::object_key(key)?;
        }
        unique(
            "header name",
            self.headers.iter().map(|(n, _)| n.as_str()),
            true,
        )?;
        let mut op = OperationRequest::new(self.method, self.bucket, self.key);
        for (name, value) in self.query {
            op.query.push_opt(name, value);
        }
        for (name, value) in &self.headers {
            op.dynamic_header(&name.to_ascii_lowercase(), value)?;
        }
        op.body = self.body.into();
        let response = self.client.send(op).await?;
        let (parts, body) = response.into_parts();
        Ok(InvokeOutput {
            status: parts.status,
            headers: parts.headers,
            body: read_body(body).await?,
        })
    }
}
