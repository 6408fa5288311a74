//! Buckets that live in another region (reported failure B23). OSS does not redirect a request that
//! reaches the wrong region's endpoint: it answers 403 `AccessDenied`, naming the bucket and
//! the endpoint that serves it. GetBucketLocation still answers from any endpoint.

use std::collections::HashMap;

use http::StatusCode;

use crate::error::{ErrorCode, OssError};
use crate::handlers::{Resp, xml_response};
use crate::router::Operation;
use crate::xml::XmlWriter;

/// Bucket name → the region it lives in, for buckets this endpoint does not serve.
pub(crate) type OtherRegions = HashMap<String, String>;

/// The answer for a request to `bucket` when the bucket lives in another region; `None` when
/// this endpoint serves it (or the request names no bucket).
pub(crate) fn answer(
    other_regions: &OtherRegions,
    op: &Operation,
    bucket: Option<&str>,
) -> Option<Result<Resp, OssError>> {
    let bucket = bucket?;
    let region = other_regions.get(bucket)?;
    if matches!(op, Operation::GetBucketLocation) {
        let mut w = XmlWriter::new();
        w.elem("LocationConstraint", &format!("oss-{region}"));
        return Some(Ok(xml_response(StatusCode::OK, w.finish())));
    }
    let code = ErrorCode::AccessDenied;
    Some(Err(OssError::new(
        code,
        "The bucket you are attempting to access must be addressed using the specified \
         endpoint. Please send all future requests to this endpoint.",
    )
    .with("Bucket", bucket)
    .with("Endpoint", format!("oss-{region}.aliyuncs.com"))
    .with(
        "RecommendDoc",
        format!("https://api.aliyun.com/troubleshoot?q={}", code.ec()),
    )))
}
