//! WriteGetObjectResponse (`POST /?x-oss-write-get-object-response`, OSS API reference
//! "WriteGetObjectResponse"): how a Function Compute function behind an Object FC access
//! point hands OSS the answer to the GetObject that invoked it. The route and token come from
//! the function's event; the `x-oss-fwd-*` headers become the answer's status and headers.

use bytes::Bytes;
use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::EmptyOutput;
use crate::request::{OperationRequest, required};
use crate::setters::setters;

/// WriteGetObjectResponse input.
#[derive(Debug, Clone, Default)]
pub struct WriteGetObjectResponse {
    request_route: Option<String>,
    request_token: Option<String>,
    fwd_status: Option<u16>,
    fwd_header_accept_ranges: Option<String>,
    fwd_header_cache_control: Option<String>,
    fwd_header_content_disposition: Option<String>,
    fwd_header_content_encoding: Option<String>,
    fwd_header_content_language: Option<String>,
    fwd_header_content_range: Option<String>,
    fwd_header_content_type: Option<String>,
    fwd_header_etag: Option<String>,
    fwd_header_expires: Option<String>,
    fwd_header_last_modified: Option<String>,
    body: Option<Bytes>,
}

impl WriteGetObjectResponse {
    setters! {
        /// `x-oss-request-route` (required): the route in the function's event
        /// (`getObjectContext.outputRoute`).
        request_route: String;
        /// `x-oss-request-token` (required): the token in the function's event
        /// (`getObjectContext.outputToken`).
        request_token: String;
        /// `x-oss-fwd-status` (required): the HTTP status the GetObject caller gets, 100..=599.
        fwd_status: u16;
        /// `x-oss-fwd-header-Accept-Ranges` of the forwarded answer (`bytes`).
        fwd_header_accept_ranges: String;
        /// `x-oss-fwd-header-Cache-Control`.
        fwd_header_cache_control: String;
        /// `x-oss-fwd-header-Content-Disposition`.
        fwd_header_content_disposition: String;
        /// `x-oss-fwd-header-Content-Encoding`.
        fwd_header_content_encoding: String;
        /// `x-oss-fwd-header-Content-Language`.
        fwd_header_content_language: String;
        /// `x-oss-fwd-header-Content-Range` (`bytes 0-9/443`).
        fwd_header_content_range: String;
        /// `x-oss-fwd-header-Content-Type`.
        fwd_header_content_type: String;
        /// `x-oss-fwd-header-ETag`.
        fwd_header_etag: String;
        /// `x-oss-fwd-header-Expires` (RFC 1123 GMT).
        fwd_header_expires: String;
        /// `x-oss-fwd-header-Last-Modified` (RFC 1123 GMT).
        fwd_header_last_modified: String;
        /// The body the GetObject caller gets (default: empty).
        body: Bytes;
    }
}

impl Operation for WriteGetObjectResponse {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let route = required(self.request_route, "request_route")?;
        let token = required(self.request_token, "request_token")?;
        let status = self
            .fwd_status
            .ok_or_else(|| Error::invalid_argument("fwd_status is required"))?;
        if !(100..=599).contains(&status) {
            return Err(Error::invalid_argument(format!(
                "fwd_status is an HTTP status (100..=599), not {status}"
            )));
        }
        let mut op = OperationRequest::new(Method::POST, None, None);
        op.query.push_flag("x-oss-write-get-object-response");
        op.dynamic_header("x-oss-request-route", &route)?;
        op.dynamic_header("x-oss-request-token", &token)?;
        op.dynamic_header("x-oss-fwd-status", &status.to_string())?;
        let forwarded = [
            ("Accept-Ranges", self.fwd_header_accept_ranges),
            ("Cache-Control", self.fwd_header_cache_control),
            ("Content-Disposition", self.fwd_header_content_disposition),
            ("Content-Encoding", self.fwd_header_content_encoding),
            ("Content-Language", self.fwd_header_content_language),
            ("Content-Range", self.fwd_header_content_range),
            ("Content-Type", self.fwd_header_content_type),
            ("ETag", self.fwd_header_etag),
            ("Expires", self.fwd_header_expires),
            ("Last-Modified", self.fwd_header_last_modified),
        ];
        for (name, value) in forwarded {
            if let Some(value) = value {
                op.dynamic_header(&format!("x-oss-fwd-header-{name}"), &value)?;
            }
        }
        op.body = oss_http::Body::from(self.body.unwrap_or_default());
        // A second delivery of the same token is refused by OSS: never resent blindly.
        op.idempotent = false;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Client {
    /// WriteGetObjectResponse (`POST /?x-oss-write-get-object-response`): answers the
    /// GetObject that invoked a function behind an Object FC access point.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without route, token or status, or for a status
    /// outside 100..=599; [`crate::ErrorKind::InvalidHeaderValue`] for a header value with
    /// control or non-ASCII characters; service errors.
    pub async fn write_get_object_response(
        &self,
        input: WriteGetObjectResponse,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::body_text;

    fn valid() -> WriteGetObjectResponse {
        WriteGetObjectResponse::default()
            .request_route(
                "fc-ap-01-176022554508-opap.oss-cn-hangzhou.oss-object-process.aliyuncs.com",
            )
            .request_token("token")
            .fwd_status(200u16)
    }

    #[test]
    fn sends_the_documented_headers_and_body() {
        let op = valid()
            .fwd_header_content_type("image/png")
            .fwd_header_etag("\"D41D8CD98F00B204E9800998ECF8427E\"")
            .body(Bytes::from_static(b"transformed"))
            .request()
            .unwrap();
        assert_eq!(op.method, Method::POST);
        assert_eq!(op.bucket, None);
        assert_eq!(
            op.query.to_query_string(),
            "x-oss-write-get-object-response"
        );
        assert_eq!(
            op.headers["x-oss-request-route"],
            "fc-ap-01-176022554508-opap.oss-cn-hangzhou.oss-object-process.aliyuncs.com"
        );
        assert_eq!(op.headers["x-oss-request-token"], "token");
        assert_eq!(op.headers["x-oss-fwd-status"], "200");
        assert_eq!(op.headers["x-oss-fwd-header-content-type"], "image/png");
        assert_eq!(
            op.headers["x-oss-fwd-header-etag"],
            "\"D41D8CD98F00B204E9800998ECF8427E\""
        );
        assert_eq!(body_text(&op), "transformed");
    }

    #[test]
    fn refuses_missing_headers_and_a_status_out_of_range() {
        assert!(valid().fwd_status(99u16).request().is_err());
        assert!(valid().fwd_status(600u16).request().is_err());
        let without_token = WriteGetObjectResponse::default()
            .request_route("r")
            .fwd_status(200u16);
        assert!(without_token.request().is_err());
        let without_status = WriteGetObjectResponse::default()
            .request_route("r")
            .request_token("t");
        assert!(without_status.request().is_err());
    }
}
