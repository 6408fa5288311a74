//! One OSS operation as an HTTP request: build the URL, attach the signing target, send, and
//! turn non-success answers into service errors.

use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response};
use oss_auth::sign::QueryParams;
use oss_http::{Body, ResponseBody, SigningTarget};

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::{response, validate};

/// A request before addressing and signing.
#[derive(Debug)]
pub(crate) struct OperationRequest {
    pub(crate) method: Method,
    pub(crate) bucket: Option<String>,
    pub(crate) key: Option<String>,
    pub(crate) query: QueryParams,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    /// Attempts for this request only (default: the client's retry settings).
    pub(crate) max_attempts: Option<u32>,
    /// A check of the 2xx answer; a rejected answer is sent again by the retry layer.
    pub(crate) response_check: Option<oss_http::ResponseCheck>,
    /// Whether sending it twice does no harm (false: the pipeline retries only what OSS
    /// cannot have applied; see [`crate::settle`]).
    pub(crate) idempotent: bool,
}

impl OperationRequest {
    pub(crate) fn new(method: Method, bucket: Option<String>, key: Option<String>) -> Self {
        Self {
            method,
            bucket,
            key,
            query: QueryParams::new(),
            // Room for a GET's headers and the four or five (with an STS token) headers signing
            // adds (6 entries, 624 bytes). A
            // larger first size makes glibc's malloc take its slow path (over 1 KiB: it
            // consolidates freed chunks) on every request; a PUT grows the map once.
            headers: HeaderMap::with_capacity(6),
            body: Body::empty(),
            max_attempts: None,
            response_check: None,
            idempotent: true,
        }
    }

    /// A copy to send again, when the body can be replayed.
    pub(crate) fn try_copy(&self) -> Option<Self> {
        Some(Self {
            method: self.method.clone(),
            bucket: self.bucket.clone(),
            key: self.key.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.try_clone()?,
            max_attempts: self.max_attempts,
            response_check: self.response_check.clone(),
            idempotent: self.idempotent,
        })
    }

    pub(crate) fn header(&mut self, name: &'static str, value: HeaderValue) -> &mut Self {
        self.headers.insert(HeaderName::from_static(name), value);
        self
    }

    /// `x-oss-request-payer: requester` when the requester pays (pay-by-requester buckets).
    pub(crate) fn request_payer(&mut self, requester_pays: bool) -> &mut Self {
        if requester_pays {
            self.header("x-oss-request-payer", HeaderValue::from_static("requester"));
        }
        self
    }

    /// Adds the parameters that have a value.
    pub(crate) fn push_optional(
        &mut self,
        params: impl IntoIterator<Item = (&'static str, Option<String>)>,
    ) {
        for (name, value) in params {
            if let Some(value) = value {
                self.query.push(name, value);
            }
        }
    }

    /// Adds a page size parameter (`max-keys`, `max-parts`…), which OSS accepts from 1 to 1000.
    pub(crate) fn push_page_size(
        &mut self,
        name: &'static str,
        size: Option<u32>,
    ) -> Result<(), Error> {
        if let Some(size) = size {
            if !(1..=1000).contains(&size) {
                return Err(Error::invalid_argument(format!(
                    "{name} must be 1..=1000, not {size}"
                )));
            }
            self.query.push(name, size.to_string());
        }
        Ok(())
    }

    /// A request on an object: both names required and valid.
    pub(crate) fn object(
        method: Method,
        bucket: Option<String>,
        key: Option<String>,
    ) -> Result<Self, Error> {
        let bucket = required(bucket, "bucket")?;
        let key = required(key, "key")?;
        validate::bucket_name(&bucket)?;
        validate::object_key(&key)?;
        Ok(Self::new(method, Some(bucket), Some(key)))
    }

    /// A request on a bucket: the name required and valid.
    pub(crate) fn bucket(method: Method, bucket: Option<String>) -> Result<Self, Error> {
        let bucket = required(bucket, "bucket")?;
        validate::bucket_name(&bucket)?;
        Ok(Self::new(method, Some(bucket), None))
    }

    /// Adds a validated header whose name is only known at run time.
    pub(crate) fn dynamic_header(&mut self, name: &str, value: &str) -> Result<&mut Self, Error> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
            Error::new(
                ErrorKind::InvalidHeaderValue,
                format!("invalid header name {name:?}"),
            )
            .with_source(e)
        })?;
        self.headers
            .append(header, validate::header_value(name, value)?);
        Ok(self)
    }

    /// Sets an XML body with its `Content-Type` and `Content-MD5` (base64 MD5 of the body,
    /// which OSS requires for some operations and checks for all).
    pub(crate) fn xml_body(&mut self, xml: String) -> &mut Self {
        use base64::Engine as _;
        use md5::Digest as _;
        let md5 =
            base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(xml.as_bytes()));
        self.header("content-type", HeaderValue::from_static("application/xml"));
        if let Ok(value) = HeaderValue::from_str(&md5) {
            self.header("content-md5", value);
        }
        self.body = Body::from(xml);
        self
    }
}

/// A required builder field, or an [`ErrorKind::InvalidArgument`] naming it.
pub(crate) fn required(value: Option<String>, field: &str) -> Result<String, Error> {
    value.ok_or_else(|| Error::invalid_argument(format!("{field} is required")))
}

impl Client {
    /// Sends an operation and returns the response when its status is 2xx (or 304 when
    /// `accept_not_modified`); any other status becomes [`crate::ErrorKind::Service`].
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
    )]
    pub(crate) fn send(
        &self,
        op: OperationRequest,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_ {
        async move {
            let method = op.method.clone();
            let (request, mut target) = http_request(self, op)?;
            let stats = self.stats_counters();
            stats
                .requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let sent = self.stack().send_for(request, Some(&mut target)).await;
            let attempts = match &sent {
                Ok(response) => response
                    .extensions()
                    .get::<oss_http::Attempts>()
                    .map_or(1, |a| a.0),
                Err(e) => e.attempts(),
            };
            if attempts > 1 {
                stats.retries.fetch_add(
                    u64::from(attempts - 1),
                    std::sync::atomic::Ordering::Relaxed,
                );
            }
            let failed = match sent {
                Ok(response) if response.status().is_success() => return Ok(response),
                // Rare, so its body-reading future is boxed rather than kept in every request's.
                Ok(response) => {
                    let has_key = target.key.is_some();
                    Box::pin(response::service_error(has_key, response)).await
                }
                Err(e) => Error::from(e),
            };
            Err(failed.for_request(
                &method,
                target.bucket.as_deref(),
                target.key.as_deref(),
                attempts,
            ))
        }
    }
}

/// The HTTP request for `op` (URL, headers, `Content-Length`, `User-Agent`, per-request retry
/// settings as extensions) and what its signature covers. A plain function called from
/// [`Client::send`]'s `async` block: a request borrowed inside the block would keep its slot in
/// the future after it is sent.
fn http_request(
    client: &Client,
    op: OperationRequest,
) -> Result<(Request<Body>, SigningTarget), Error> {
    let url = client
        .endpoint()
        .url(op.bucket.as_deref(), op.key.as_deref(), &op.query);
    let uri = http::Uri::try_from(url)
        .map_err(|e| Error::invalid_argument("cannot build the HTTP request").with_source(e))?;
    let sends_length = matches!(op.method, Method::PUT | Method::POST);
    let length = op.body.content_length();
    let mut request = Request::new(op.body);
    *request.method_mut() = op.method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    *headers = op.headers;
    if length > 0 || sends_length {
        headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    headers
        .entry(http::header::USER_AGENT)
        .or_insert_with(|| client.user_agent().clone());
    if let Some(max_attempts) = op.max_attempts {
        request
            .extensions_mut()
            .insert(oss_http::RetryOverride { max_attempts });
    }
    if let Some(check) = op.response_check {
        request.extensions_mut().insert(check);
    }
    if !op.idempotent {
        request.extensions_mut().insert(oss_http::NotIdempotent);
    }
    let target = SigningTarget {
        bucket: op.bucket,
        key: op.key,
        query: op.query,
    };
    Ok((request, target))
}

#[cfg(test)]
mod tests {
    use crate::Client;
    use crate::auth::StaticCredentialsProvider;

    /// A request's future holds the futures it awaits, and one is kept (and moved) per request
    /// in flight. When the layers were `async fn`s holding their arguments twice, GetObject's
    /// was 5064 bytes and PutObject's 5432; now 2488 and 2896. The bounds leave room for other
    /// compiler versions' layouts but not for that regression.
    #[test]
    fn object_request_futures_stay_small() {
        let client = Client::builder()
            .endpoint("http://127.0.0.1:9")
            .region("cn-hangzhou")
            .credentials_provider(StaticCredentialsProvider::new("id", "secret").unwrap())
            .build()
            .unwrap();
        let get = client.get_object().bucket("bucket").key("key").send();
        let put = client
            .put_object()
            .bucket("bucket")
            .key("key")
            .body(bytes::Bytes::from_static(b"data"))
            .send();
        assert!(
            size_of_val(&get) <= 3584,
            "GetObject: {} bytes",
            size_of_val(&get)
        );
        assert!(
            // 3840 before the upload callback's boxed field (8 bytes).
            size_of_val(&put) <= 3848,
            "PutObject: {} bytes",
            size_of_val(&put)
        );
    }
}
