//! OptionObject (`OPTIONS /bucket/key`, OSS API reference "OptionObject"): the CORS
//! preflight a browser sends before a cross-origin request, answered by the bucket's CORS
//! rules (PutBucketCors).

use http::{HeaderName, Method};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::request::{OperationRequest, required};
use crate::response::{header, header_parse};
use crate::setters::setters;
use crate::types::RawResponse;
use crate::validate;

/// OptionObject input.
#[derive(Debug, Clone, Default)]
pub struct OptionObject {
    bucket: Option<String>,
    key: Option<String>,
    origin: Option<String>,
    access_control_request_method: Option<String>,
    access_control_request_headers: Option<String>,
}

impl OptionObject {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key the cross-origin request is for (required).
        key: String;
        /// `Origin`: the origin of the cross-origin request, `https://www.example.com`
        /// (required).
        origin: String;
        /// `Access-Control-Request-Method`: the method of the cross-origin request, one of
        /// `GET`, `PUT`, `POST`, `DELETE`, `HEAD` (required).
        access_control_request_method: String;
        /// `Access-Control-Request-Headers`: the headers the cross-origin request will
        /// carry besides the simple ones, comma-separated (`x-oss-meta-a, content-type`).
        access_control_request_headers: String;
    }
}

/// What the bucket's matching CORS rule allows (the `Access-Control-*` answer headers).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OptionObjectOutput {
    /// `Access-Control-Allow-Origin`: the origin allowed (the request's, or `*`).
    pub access_control_allow_origin: Option<String>,
    /// `Access-Control-Allow-Methods`: the allowed methods, comma-separated.
    pub access_control_allow_methods: Option<String>,
    /// `Access-Control-Allow-Headers`: the allowed request headers, comma-separated.
    pub access_control_allow_headers: Option<String>,
    /// `Access-Control-Expose-Headers`: the answer headers a browser may expose to scripts.
    pub access_control_expose_headers: Option<String>,
    /// `Access-Control-Max-Age`: how long a browser may cache this answer, in seconds.
    pub access_control_max_age: Option<u64>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

const METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];

impl Operation for OptionObject {
    type Output = OptionObjectOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::object(Method::OPTIONS, self.bucket, self.key)?;
        let origin = required(self.origin, "origin")?;
        let method = required(
            self.access_control_request_method,
            "access_control_request_method",
        )?;
        if !METHODS.contains(&method.as_str()) {
            return Err(Error::invalid_argument(format!(
                "access_control_request_method is one of {METHODS:?}, not {method:?}"
            )));
        }
        op.header("origin", validate::header_value("origin", &origin)?);
        op.header(
            "access-control-request-method",
            validate::header_value("access-control-request-method", &method)?,
        );
        if let Some(headers) = self.access_control_request_headers {
            let value = validate::header_value("access-control-request-headers", &headers)?;
            op.header("access-control-request-headers", value);
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        let text = |name: HeaderName| header(&answer.headers, &name).map(str::to_owned);
        Ok(OptionObjectOutput {
            access_control_allow_origin: text(http::header::ACCESS_CONTROL_ALLOW_ORIGIN),
            access_control_allow_methods: text(http::header::ACCESS_CONTROL_ALLOW_METHODS),
            access_control_allow_headers: text(http::header::ACCESS_CONTROL_ALLOW_HEADERS),
            access_control_expose_headers: text(http::header::ACCESS_CONTROL_EXPOSE_HEADERS),
            access_control_max_age: header_parse(
                &answer.headers,
                &http::header::ACCESS_CONTROL_MAX_AGE,
            ),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Client {
    /// OptionObject (`OPTIONS /bucket/key`): asks whether the bucket's CORS rules allow a
    /// cross-origin request from `origin` with `access_control_request_method` (and
    /// headers), as a browser's preflight does.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without bucket, key, origin or
    /// request method, or for a method other than GET, PUT, POST, DELETE, HEAD; 403
    /// `AccessForbidden` when the bucket has no CORS rules or none allows the request;
    /// `NoSuchBucket`.
    pub async fn option_object(&self, input: OptionObject) -> Result<OptionObjectOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preflight() -> OptionObject {
        OptionObject::default()
            .bucket("examplebucket")
            .key("a/b.txt")
            .origin("https://www.example.com")
            .access_control_request_method("PUT")
    }

    #[test]
    fn sends_the_preflight_headers() {
        let op = preflight()
            .access_control_request_headers("x-oss-meta-a, content-type")
            .request()
            .unwrap();
        assert_eq!(op.method, Method::OPTIONS);
        assert_eq!(op.key.as_deref(), Some("a/b.txt"));
        assert_eq!(op.headers["origin"], "https://www.example.com");
        assert_eq!(op.headers["access-control-request-method"], "PUT");
        assert_eq!(
            op.headers["access-control-request-headers"],
            "x-oss-meta-a, content-type"
        );
    }

    #[test]
    fn refuses_a_missing_origin_or_an_unknown_method() {
        let no_origin = OptionObject::default()
            .bucket("examplebucket")
            .key("k")
            .access_control_request_method("GET");
        assert!(no_origin.request().is_err());
        assert!(
            preflight()
                .access_control_request_method("PATCH")
                .request()
                .is_err()
        );
    }

    #[test]
    fn reads_the_allow_headers() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "access-control-allow-origin",
            "https://www.example.com".parse().unwrap(),
        );
        headers.insert("access-control-allow-methods", "GET, PUT".parse().unwrap());
        headers.insert("access-control-max-age", "100".parse().unwrap());
        let out = OptionObject::output(Answer {
            status: http::StatusCode::OK,
            headers,
            body: bytes::Bytes::new(),
        })
        .unwrap();
        assert_eq!(
            out.access_control_allow_origin.as_deref(),
            Some("https://www.example.com")
        );
        assert_eq!(
            out.access_control_allow_methods.as_deref(),
            Some("GET, PUT")
        );
        assert_eq!(out.access_control_allow_headers, None);
        assert_eq!(out.access_control_max_age, Some(100));
    }
}
