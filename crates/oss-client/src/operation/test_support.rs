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

/// Puts `configuration`, checks the body is `declaration + xml`, then reads `xml` back as the
/// same document.
pub(crate) fn assert_round_trip<C>(configuration: C, xml: &str)
where
    C: crate::operation::bucket_config::BucketConfig + PartialEq + Clone,
{
    use crate::execute::Operation as _;
    use crate::operation::bucket_config::{GetBucketConfig, PutBucketConfig};
    let op = PutBucketConfig::<C>::default()
        .bucket("examplebucket")
        .configuration(configuration.clone())
        .request()
        .unwrap();
    assert_eq!(op.query.to_query_string(), C::SUBRESOURCE);
    assert!(op.headers.contains_key("content-md5"));
    assert_eq!(
        body_text(&op),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{xml}")
    );
    let read = GetBucketConfig::<C>::output(answer(xml)).unwrap();
    assert!(
        read.configuration == configuration,
        "{xml} read back differently"
    );
}
