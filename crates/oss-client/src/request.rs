//! One OSS operation as an HTTP request: build the URL, attach the signing target, send, and
//! turn non-success answers into service errors.

use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response};
use oss_auth::sign::QueryParams;
use oss_http::{Body, ResponseBody, SigningTarget};

use crate::client::Client;
use crate::error::Error;
use crate::response;

/// The `User-Agent` of every request.
const USER_AGENT: &str = concat!("oss-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// A request before addressing and signing.
#[derive(Debug)]
pub(crate) struct OperationRequest {
    pub(crate) method: Method,
    pub(crate) bucket: Option<String>,
    pub(crate) key: Option<String>,
    pub(crate) query: QueryParams,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
}

impl OperationRequest {
    pub(crate) fn new(method: Method, bucket: Option<String>, key: Option<String>) -> Self {
        Self {
            method,
            bucket,
            key,
            query: QueryParams::new(),
            headers: HeaderMap::new(),
            body: Body::empty(),
        }
    }

    pub(crate) fn header(&mut self, name: &'static str, value: HeaderValue) -> &mut Self {
        self.headers.insert(HeaderName::from_static(name), value);
        self
    }
}

impl Client {
    /// Sends an operation and returns the response when its status is 2xx (or 304 when
    /// `accept_not_modified`); any other status becomes [`crate::ErrorKind::Service`].
    pub(crate) async fn send(&self, op: OperationRequest) -> Result<Response<ResponseBody>, Error> {
        let url = self
            .endpoint()
            .url(op.bucket.as_deref(), op.key.as_deref(), &op.query);
        let mut request = Request::builder()
            .method(op.method.clone())
            .uri(url)
            .body(op.body)
            .map_err(|e| Error::invalid_argument("cannot build the HTTP request").with_source(e))?;
        let length = request.body().content_length();
        let headers = request.headers_mut();
        *headers = op.headers;
        if length > 0 || matches!(op.method, Method::PUT | Method::POST) {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        headers
            .entry(http::header::USER_AGENT)
            .or_insert(HeaderValue::from_static(USER_AGENT));
        let has_key = op.key.is_some();
        request.extensions_mut().insert(SigningTarget {
            bucket: op.bucket,
            key: op.key,
            query: op.query,
        });
        let response = self.stack().send(request).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(response::service_error(&op.method, has_key, response).await)
    }
}
