//! Image processing on the emulator (see `image_process.rs` for the subset): GetObject with
//! `x-oss-process` answers the processed image, ProcessObject
//! (`POST /bucket/key?x-oss-process`, body `x-oss-process=<style>|sys/saveas,o_…,b_…`)
//! stores it and answers OSS's JSON.

use base64::Engine as _;
use bytes::Bytes;
use http::StatusCode;
use http::header::{self, HeaderValue};

use super::lookup::resolve;
use super::object::store;
use super::receive::receive_bytes;
use super::{Ctx, Resp, WriteHeaders, read_body};
use crate::error::{ErrorCode, OssError};
use crate::image_process::{self, Processed};
use crate::pace::ReqBody;
use crate::store::{Object, disk_error};

/// The largest ProcessObject body read.
const MAX_PROCESS_BODY: u64 = 64 * 1024;

/// An object's bytes in memory (images the emulator processes are small).
pub(crate) fn object_bytes(object: &Object) -> Result<Vec<u8>, OssError> {
    let mut data = Vec::with_capacity(usize::try_from(object.data.len()).unwrap_or(0));
    object
        .data
        .read_chunks(0, object.data.len(), |chunk| {
            data.extend_from_slice(chunk);
            Ok(())
        })
        .map_err(disk_error)?;
    Ok(data)
}

/// The source object processed as `process` asks (a `style/<name>` as the bucket's style).
fn processed(ctx: &Ctx<'_>, bucket: &str, key: &str, process: &str) -> Result<Processed, OssError> {
    let bucket = ctx.state.store.bucket(bucket)?;
    let object = resolve(ctx, &bucket, key)?;
    let process = super::style::expand(&bucket, process)?;
    image_process::apply(&process, &object_bytes(&object)?)
}

/// GetObject with `x-oss-process`: 200 with the processed bytes and their `Content-Type`.
pub(crate) fn get_processed(
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
    process: &str,
) -> Result<Resp, OssError> {
    let result = processed(ctx, bucket, key, process)?;
    let mut resp = Resp::new(Bytes::from(result.data).into());
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(result.content_type),
    );
    Ok(resp)
}

fn bad_request(message: &str) -> OssError {
    OssError::new(ErrorCode::BadRequest, message)
}

/// A `sys/saveas` name: URL-safe base64, padded or not.
fn saveas_name(encoded: &str) -> Result<String, OssError> {
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| bad_request("Input is not base64 decoding."))?;
    String::from_utf8(decoded).map_err(|_| bad_request("Input is not base64 decoding."))
}

/// ProcessObject: processes the object and saves the result with `sys/saveas`.
pub(crate) async fn process_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let body = read_body(body, ctx.headers, MAX_PROCESS_BODY).await?;
    let text = std::str::from_utf8(&body).map_err(|_| bad_request("The body is not UTF-8."))?;
    let text = text
        .strip_prefix("x-oss-process=")
        .ok_or_else(|| bad_request("The body must start with x-oss-process=."))?;
    let (process, saveas) = text
        .split_once("|sys/saveas,")
        .ok_or_else(|| bad_request("ProcessObject needs sys/saveas."))?;
    let mut target_key = None;
    let mut target_bucket = bucket_name.to_owned();
    for param in saveas.split(',') {
        match param.split_once('_') {
            Some(("o", name)) => target_key = Some(saveas_name(name)?),
            Some(("b", name)) => target_bucket = saveas_name(name)?,
            _ => return Err(bad_request("sys/saveas takes o_ and b_ only.")),
        }
    }
    let target_key = target_key.ok_or_else(|| bad_request("sys/saveas needs o_."))?;
    crate::names::validate_key(&target_key)?;
    let result = processed(ctx, bucket_name, key, process)?;
    if result.content_type == "application/json" {
        return Err(bad_request("image/info cannot be saved."));
    }
    let target = ctx.state.store.bucket(&target_bucket)?;
    let wh = WriteHeaders {
        content_type: HeaderValue::from_static(result.content_type),
        headers: Vec::new(),
        storage_class: target.storage_class.clone(),
        acl: "default".to_owned(),
        tags: None,
    };
    let size = result.data.len();
    let received = receive_bytes(ctx, &target, &target_key, &Bytes::from(result.data))?;
    store(ctx, &target, &target_key, wh, received)?;
    let json = serde_json::json!({
        "bucket": target_bucket,
        "fileSize": size,
        "object": target_key,
        "status": "OK",
    });
    let mut resp = Resp::new(json.to_string().into());
    *resp.status_mut() = StatusCode::OK;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}
