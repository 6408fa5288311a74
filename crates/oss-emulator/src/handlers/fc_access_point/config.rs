//! The configuration and policy of an Object FC access point (OSS API reference
//! "PutAccessPointConfigForObjectProcess", "GetAccessPointConfigForObjectProcess",
//! "PutAccessPointPolicyForObjectProcess", "GetAccessPointPolicyForObjectProcess",
//! "DeleteAccessPointPolicyForObjectProcess"). Every one answers 404 `NoSuchBucket` for a
//! missing bucket and 404 `NoSuchAccessPointForObjectProcess` for a missing FC access point.

use http::{HeaderValue, StatusCode};
use md5::{Digest as _, Md5};

use super::record;
use crate::error::{ErrorCode, OssError};
use crate::handlers::bucket_config::policy;
use crate::handlers::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::pace::ReqBody;
use crate::xml::XmlWriter;

/// The largest policy, bytes.
const MAX_POLICY: u64 = 16 * 1024;

/// PutAccessPointConfigForObjectProcess: replaces the processing, and the anonymous-access
/// and public-access-block settings the body carries; 200. 400 `MalformedXML` /
/// `InvalidArgument` as for creation ([`record::read_object_process`]).
pub(crate) async fn put_config(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = super::name_of(ctx)?;
    let mut ap = record::require(&bucket, &name)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let doc = crate::handlers::xml_body::parse(
        &body,
        "PutAccessPointConfigForObjectProcessConfiguration",
    )?;
    ap.object_process = record::read_object_process(&doc)?;
    if let Some(block) = record::read_block_public_access(&doc)? {
        ap.block_public_access = block;
    }
    if let Some(allow) = doc.child_text("AllowAnonymousAccessForObjectProcess") {
        ap.allow_anonymous = Some(allow.trim().to_owned());
    }
    record::save(&bucket, &name, Some(&ap))?;
    Ok(empty(StatusCode::OK))
}

/// GetAccessPointConfigForObjectProcess: `GetAccessPointConfigForObjectProcessResult`.
pub(crate) fn get_config(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = super::name_of(ctx)?;
    let ap = record::require(&bucket, &name)?;
    let mut w = XmlWriter::new();
    w.open("GetAccessPointConfigForObjectProcessResult");
    record::write_object_process(&mut w, &ap.object_process);
    record::write_access(&mut w, &ap);
    w.close("GetAccessPointConfigForObjectProcessResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// PutAccessPointPolicyForObjectProcess: stores the JSON policy as sent, 200. 400
/// `InvalidPolicyDocument` as for a bucket policy; over 16 KiB 400 `EntityTooLarge`.
pub(crate) async fn put_policy(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = super::name_of(ctx)?;
    let mut ap = record::require(&bucket, &name)?;
    let body = read_body(body, ctx.headers, MAX_POLICY).await?;
    policy::validate(ctx, &body)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| OssError::new(ErrorCode::InvalidPolicyDocument, "The policy is not UTF-8."))?;
    ap.policy = Some(text.to_owned());
    record::save(&bucket, &name, Some(&ap))?;
    Ok(empty(StatusCode::OK))
}

/// GetAccessPointPolicyForObjectProcess: the policy as put (`application/json`); 404
/// `NoSuchAccessPointPolicyForObjectProcess` when none is set.
pub(crate) fn get_policy(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = super::name_of(ctx)?;
    let ap = record::require(&bucket, &name)?;
    let policy = ap.policy.ok_or_else(|| {
        OssError::new(
            ErrorCode::NoSuchAccessPointPolicyForObjectProcess,
            "The access point for object process has no policy.",
        )
        .with("AccessPointForObjectProcessName", name)
    })?;
    let mut resp = xml_response(StatusCode::OK, policy);
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}

/// DeleteAccessPointPolicyForObjectProcess: removes the policy (also when none is set), 204.
pub(crate) fn delete_policy(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = super::name_of(ctx)?;
    let mut ap = record::require(&bucket, &name)?;
    ap.policy = None;
    record::save(&bucket, &name, Some(&ap))?;
    Ok(empty(StatusCode::NO_CONTENT))
}
