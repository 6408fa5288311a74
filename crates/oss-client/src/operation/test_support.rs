//! Unit-test helpers for operation shapes: a request's body and a canned answer.

use http::{HeaderMap, HeaderValue, StatusCode};

use crate::execute::Answer;
use crate::request::OperationRequest;

/// The body of a built request as text.
pub(crate) fn body_text(op: &OperationRequest) -> String {
    String::from_utf8(op.body.as_bytes().expect("an in-memory body").to_vec()).unwrap()
}

/// A 200 answer carrying `body` and a request id.
pub(crate) fn answer(body: &str) -> Answer {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-oss-request-id",
        HeaderValue::from_static("534B371674E88A4D8906008B"),
    );
    Answer {
        status: StatusCode::OK,
        headers,
        body: bytes::Bytes::from(body.to_owned()),
    }
}
