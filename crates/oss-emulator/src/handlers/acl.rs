//! Put/GetBucketAcl and Put/GetObjectAcl (`?acl`). ACLs are stored and reported here, and
//! enforced for unsigned requests by `public_access.rs` (a signed request is the owner's).

use crate::pace::ReqBody;
use http::StatusCode;

use super::lookup::resolve;
use super::{Ctx, MAX_XML_BODY, Resp, empty, read_body, set_version_id, xml_response};
use crate::error::OssError;
use crate::xml::XmlWriter;

/// Bucket ACL values.
const BUCKET_ACLS: &[&str] = &["private", "public-read", "public-read-write"];

/// Checks an `x-oss-acl` value.
pub(crate) fn check_bucket_acl(acl: &str) -> Result<&str, OssError> {
    let acl = acl.trim();
    if BUCKET_ACLS.contains(&acl) {
        Ok(acl)
    } else {
        Err(OssError::invalid_argument(
            "no such bucket access control exists",
            "x-oss-acl",
            acl,
        ))
    }
}

/// Checks an `x-oss-object-acl` value (`default` too).
pub(crate) fn check_object_acl(acl: &str) -> Result<&str, OssError> {
    let acl = acl.trim();
    if acl == "default" || BUCKET_ACLS.contains(&acl) {
        Ok(acl)
    } else {
        Err(OssError::invalid_argument(
            "no such object access control exists",
            "x-oss-object-acl",
            acl,
        ))
    }
}

fn acl_policy(ctx: &Ctx<'_>, grant: &str) -> Resp {
    let owner = &ctx.state.owner_id;
    let mut w = XmlWriter::new();
    w.open("AccessControlPolicy")
        .open("Owner")
        .elem("ID", owner)
        .elem("DisplayName", owner)
        .close("Owner")
        .open("AccessControlList")
        .elem("Grant", grant)
        .close("AccessControlList")
        .close("AccessControlPolicy");
    xml_response(StatusCode::OK, w.finish())
}

/// PutBucketAcl: `x-oss-acl` header (required).
pub(crate) async fn put_bucket_acl(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let _ = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let acl = ctx.header("x-oss-acl").ok_or_else(|| {
        OssError::invalid_argument("The x-oss-acl header is required.", "x-oss-acl", "")
    })?;
    bucket.set_acl(check_bucket_acl(acl)?)?;
    Ok(empty(StatusCode::OK))
}

/// GetBucketAcl: `AccessControlPolicy`.
pub(crate) fn get_bucket_acl(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    Ok(acl_policy(ctx, &bucket.config().acl))
}

/// PutObjectAcl: `x-oss-object-acl` header (required); `versionId` addresses a version.
pub(crate) fn put_object_acl(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let acl = ctx.header("x-oss-object-acl").ok_or_else(|| {
        OssError::invalid_argument(
            "The x-oss-object-acl header is required.",
            "x-oss-object-acl",
            "",
        )
    })?;
    let acl = check_object_acl(acl)?;
    let object = resolve(ctx, &bucket, key)?;
    bucket.update_attrs(&object, |a| a.acl = acl.to_owned())?;
    let mut resp = empty(StatusCode::OK);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// GetObjectAcl: `AccessControlPolicy` with the object's ACL (`default` unless set).
pub(crate) fn get_object_acl(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = resolve(ctx, &bucket, key)?;
    let acl = object.attrs().acl.clone();
    let mut resp = acl_policy(ctx, &acl);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}
