//! PostObject (`POST /bucket`, `multipart/form-data`; OSS API reference "PostObject"): a
//! browser form upload, authenticated by the signed policy in the form rather than by
//! headers (`post_policy.rs` checks it).

use bytes::Bytes;
use http::StatusCode;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::object::store;
use super::receive::receive_bytes;
use super::{Ctx, Resp, WriteHeaders, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::post_policy::{self, FormFields};
use crate::xml::XmlWriter;

/// Form fields that become the object's headers, as PutObject takes them.
const OBJECT_FIELDS: &[&str] = &[
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "expires",
    "x-oss-object-acl",
    "x-oss-storage-class",
    "x-oss-forbid-overwrite",
    "x-oss-tagging",
];

/// Form fields that only authenticate or shape the answer.
const CONTROL_FIELDS: &[&str] = &[
    "key",
    "policy",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-signature",
    "x-oss-security-token",
    "success_action_status",
    "submit",
];

fn invalid(message: impl Into<String>) -> OssError {
    OssError::new(ErrorCode::InvalidArgument, message)
}

/// The form: its fields, in order, and the file (the part named `file`, which must come
/// last; parts after it are ignored as OSS does).
async fn read_form(ctx: &Ctx<'_>, body: ReqBody) -> Result<(FormFields, Bytes), OssError> {
    let content_type = ctx.header("content-type").unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| invalid("PostObject needs a multipart/form-data body with a boundary."))?;
    let data = read_body(body, ctx.headers, ctx.state.max_object_size + 64 * 1024).await?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(data) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let malformed = |_| invalid("The multipart/form-data body is malformed.");
    let mut fields = FormFields::default();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_ascii_lowercase();
        if name == "file" {
            let file_type = field.content_type().map(ToString::to_string);
            let file = field.bytes().await.map_err(malformed)?;
            if let (Some(file_type), None) = (file_type, fields.get("content-type")) {
                fields.0.push(("content-type".to_owned(), file_type));
            }
            return Ok((fields, file));
        }
        let value = field.text().await.map_err(malformed)?;
        fields.0.push((name, value));
    }
    Err(invalid("Bucket POST must contain a field named 'file'."))
}

/// The object's headers from the form; a field the emulator would not honour (other
/// `x-oss-*` fields: encryption, callback…) answers 501 rather than being dropped.
fn object_headers(fields: &FormFields) -> Result<HeaderMap, OssError> {
    let mut headers = HeaderMap::new();
    for (name, value) in &fields.0 {
        let stored = OBJECT_FIELDS.contains(&name.as_str()) || name.starts_with("x-oss-meta-");
        if !stored {
            if CONTROL_FIELDS.contains(&name.as_str()) || !name.starts_with("x-oss-") {
                continue;
            }
            return Err(OssError::new(
                ErrorCode::NotImplemented,
                format!("The emulator does not implement the form field '{name}'."),
            ));
        }
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid(format!("Invalid form field name '{name}'.")))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| invalid(format!("Invalid value of form field '{name}'.")))?;
        headers.append(header, value);
    }
    Ok(headers)
}

/// PostObject: checks the policy, stores the file and answers as `success_action_status`
/// asks (204 by default; 200; 201 with a `PostResponse` XML).
pub(crate) async fn post_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let (fields, file) = read_form(ctx, body).await?;
    let key = fields
        .get("key")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| invalid("Bucket POST must contain a field named 'key'."))?
        .to_owned();
    crate::names::validate_key(&key)?;
    {
        let keys = ctx.state.keys.read().unwrap_or_else(|e| e.into_inner());
        post_policy::verify(
            &keys,
            &ctx.state.region,
            ctx.now,
            &fields,
            bucket_name,
            file.len() as u64,
        )?;
    }
    if file.len() as u64 > ctx.state.max_object_size {
        return Err(OssError::new(
            ErrorCode::EntityTooLarge,
            "Your proposed upload exceeds the maximum allowed size.",
        ));
    }
    let status = match fields.get("success_action_status") {
        Some("200") => StatusCode::OK,
        Some("201") => StatusCode::CREATED,
        _ => StatusCode::NO_CONTENT,
    };
    if fields.get("success_action_redirect").is_some() {
        return Err(OssError::new(
            ErrorCode::NotImplemented,
            "The emulator does not implement success_action_redirect.",
        ));
    }
    let headers = object_headers(&fields)?;
    let form_ctx = Ctx {
        state: ctx.state,
        now: ctx.now,
        headers: &headers,
        query: ctx.query,
        request_id: ctx.request_id,
    };
    let wh = WriteHeaders::from_ctx(&form_ctx, &bucket.storage_class)?;
    let received = receive_bytes(&form_ctx, &bucket, &key, &file)?;
    let stored = store(&form_ctx, &bucket, &key, wh, received)?;
    let mut resp = if status == StatusCode::CREATED {
        let etag = stored
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut w = XmlWriter::new();
        w.open("PostResponse")
            .elem("Bucket", bucket_name)
            .elem(
                "Location",
                &format!(
                    "http://{bucket_name}.oss-{}.aliyuncs.com/{key}",
                    ctx.state.region
                ),
            )
            .elem("Key", &key)
            .elem("ETag", &etag)
            .close("PostResponse");
        xml_response(status, w.finish())
    } else {
        empty(status)
    };
    for (name, value) in stored.headers() {
        if name != header::CONTENT_TYPE {
            resp.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(resp)
}
