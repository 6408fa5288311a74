//! The upload callback around PutObject and CompleteMultipartUpload: the callback is checked
//! before the write, called after it, and its answer replaces the operation's (200 with the
//! callback server's body, or 203 `CallbackFailed`; the object stays stored either way).

use http::StatusCode;
use http::header::{self, HeaderValue};

use super::process::object_bytes;
use super::{Ctx, Resp, hv};
use crate::callback::{self, CallbackSpec, ObjectFacts};
use crate::error::{ErrorCode, OssError};

/// Runs `write` (PutObject or CompleteMultipartUpload, named by `operation`) and, when the
/// request carries `x-oss-callback`, the callback.
pub(crate) async fn with_callback(
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
    operation: &'static str,
    write: impl Future<Output = Result<Resp, OssError>>,
) -> Result<Resp, OssError> {
    let Some(spec) = CallbackSpec::from_headers(ctx.headers)? else {
        return write.await;
    };
    let written = write.await?;
    let facts = facts(ctx, bucket, key, operation)?;
    let key_url = format!(
        "http://{}{}",
        ctx.header("host").unwrap_or("127.0.0.1"),
        callback::PUBLIC_KEY_PATH
    );
    let (parts, _) = written.into_parts();
    match callback::call(&spec, spec.render(&facts), &key_url).await {
        Ok(answer) => {
            let mut resp = Resp::new(answer.into());
            *resp.headers_mut() = parts.headers;
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp.headers_mut()
                .insert(header::ETAG, hv(&format!("\"{}\"", facts.etag)));
            *resp.status_mut() = StatusCode::OK;
            Ok(resp)
        }
        Err(message) => {
            let mut error = OssError::new(ErrorCode::CallbackFailed, message);
            for name in ["etag", "x-oss-hash-crc64ecma", "x-oss-version-id"] {
                if let Some(value) = parts.headers.get(name).and_then(|v| v.to_str().ok()) {
                    error = error.with_header(name, value);
                }
            }
            Err(error)
        }
    }
}

/// What the callback body may name, read back from the stored object.
fn facts(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    operation: &'static str,
) -> Result<ObjectFacts, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = bucket
        .latest(key)
        .ok_or_else(|| OssError::no_such_key(key))?;
    Ok(ObjectFacts {
        bucket: bucket_name.to_owned(),
        key: key.to_owned(),
        etag: object.etag.trim_matches('"').to_owned(),
        size: object.data.len(),
        mime_type: object.content_type.to_str().unwrap_or_default().to_owned(),
        crc64: object.crc64,
        content_md5: object.content_md5.clone(),
        operation,
        request_id: ctx.request_id.to_owned(),
        image: crate::image_process::info(&object_bytes(&object)?),
    })
}
