//! Object FC access points (OSS API reference "CreateAccessPointForObjectProcess",
//! "GetAccessPointForObjectProcess", "DeleteAccessPointForObjectProcess",
//! "ListAccessPointsForObjectProcess"; configuration and policy in [`config`]): validated,
//! stored durably with their bucket ([`record`]), described, listed and removed. The emulator
//! runs no Function Compute: an FC access point changes no other answer (its alias is no
//! bucket name the router accepts), see the crate README.
//!
//! The name travels in `x-oss-access-point-for-object-process-name`: required, 1 to 63
//! lower-case letters, digits and hyphens, no hyphen first or last (else 400
//! `InvalidArgument`), unique in the account (else 409
//! `AccessPointForObjectProcessAlreadyExists`).

pub(crate) mod config;
pub(crate) mod record;

use http::StatusCode;
use md5::{Digest as _, Md5};

use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::xml::XmlWriter;
use record::FcAccessPoint;

/// The request header naming the FC access point.
const NAME_HEADER: &str = "x-oss-access-point-for-object-process-name";

/// The FC access point name of the request, validated.
pub(crate) fn name_of(ctx: &Ctx<'_>) -> Result<String, OssError> {
    let name = ctx.header(NAME_HEADER).unwrap_or("");
    let allowed = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if name.is_empty()
        || name.len() > 63
        || !allowed
        || name.starts_with('-')
        || name.ends_with('-')
    {
        return Err(OssError::invalid_argument(
            "The access point for object process name is invalid.",
            NAME_HEADER,
            name,
        ));
    }
    Ok(name.to_owned())
}

/// `<name>-<30 hex>-opapalias`, stable for a bucket and name.
fn alias(bucket: &str, name: &str) -> String {
    let digest = super::upper_hex(&Md5::digest(format!("{bucket}/{name}").as_bytes()));
    format!("{name}-{}-opapalias", &digest[..30].to_ascii_lowercase())
}

fn arn(ctx: &Ctx<'_>, name: &str) -> String {
    format!(
        "acs:oss:{}:{}:accesspointforobjectprocess/{name}",
        ctx.state.region, ctx.state.owner_id
    )
}

/// CreateAccessPointForObjectProcess: 200 with the ARN and alias. 404 `NoSuchBucket`;
/// 400 `MalformedXML` without `AccessPointName` or a valid `ObjectProcessConfiguration`
/// ([`record::read_object_process`]); 400 `InvalidDigest` for a wrong `Content-MD5`.
pub(crate) async fn create(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = name_of(ctx)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let doc = super::xml_body::parse(&body, "CreateAccessPointForObjectProcessConfiguration")?;
    let access_point_name = doc
        .child_text("AccessPointName")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(super::xml_body::malformed)?
        .to_owned();
    let object_process = record::read_object_process(&doc)?;
    let taken = ctx
        .state
        .store
        .buckets()
        .iter()
        .any(|b| record::load(b, &name).is_some());
    if taken {
        return Err(OssError::new(
            ErrorCode::AccessPointForObjectProcessAlreadyExists,
            "The access point for object process already exists.",
        )
        .with("AccessPointForObjectProcessName", name));
    }
    let creation_date = ctx
        .now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let created = FcAccessPoint {
        access_point_name,
        creation_date,
        object_process,
        allow_anonymous: doc
            .child_text("AllowAnonymousAccessForObjectProcess")
            .map(|v| v.trim().to_owned()),
        block_public_access: true,
        policy: None,
    };
    record::save(&bucket, &name, Some(&created))?;
    let mut w = XmlWriter::new();
    w.open("CreateAccessPointForObjectProcessResult")
        .elem("AccessPointForObjectProcessArn", &arn(ctx, &name))
        .elem(
            "AccessPointForObjectProcessAlias",
            &alias(bucket_name, &name),
        )
        .close("CreateAccessPointForObjectProcessResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// GetAccessPointForObjectProcess: `GetAccessPointForObjectProcessResult`, status `enable`
/// at once. 404 `NoSuchBucket`, `NoSuchAccessPointForObjectProcess`.
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = name_of(ctx)?;
    let ap = record::require(&bucket, &name)?;
    let (region, owner) = (&ctx.state.region, &ctx.state.owner_id);
    let mut w = XmlWriter::new();
    w.open("GetAccessPointForObjectProcessResult")
        .elem("AccessPointNameForObjectProcess", &name)
        .elem(
            "AccessPointForObjectProcessAlias",
            &alias(bucket_name, &name),
        )
        .elem("AccessPointName", &ap.access_point_name)
        .elem("AccountId", owner)
        .elem("AccessPointForObjectProcessArn", &arn(ctx, &name))
        .elem("CreationDate", &ap.creation_date.to_string())
        .elem("Status", "enable")
        .open("Endpoints")
        .elem(
            "PublicEndpoint",
            &format!("{name}-{owner}.oss-{region}.oss-object-process.aliyuncs.com"),
        )
        .elem(
            "InternalEndpoint",
            &format!("{name}-{owner}.oss-{region}-internal.oss-object-process.aliyuncs.com"),
        )
        .close("Endpoints");
    record::write_access(&mut w, &ap);
    w.close("GetAccessPointForObjectProcessResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// DeleteAccessPointForObjectProcess: removes it and its policy, 204. 404 `NoSuchBucket`,
/// `NoSuchAccessPointForObjectProcess`.
pub(crate) fn delete(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = name_of(ctx)?;
    record::require(&bucket, &name)?;
    record::save(&bucket, &name, None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// The page size when `max-keys` is absent.
const DEFAULT_MAX_KEYS: usize = 100;

/// ListAccessPointsForObjectProcess (`GET /?accessPointForObjectProcess`): the account's FC
/// access points in name order, `max-keys` (1..=1000, default 100; else 400
/// `InvalidArgument`) per page, from `continuation-token` (the name a page starts at, as the
/// previous page's `NextContinuationToken` said).
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let max_keys = match ctx.param("max-keys") {
        None => DEFAULT_MAX_KEYS,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument("max-keys must be 1 to 1000.", "max-keys", v)
            })?,
    };
    let start = ctx.param("continuation-token").unwrap_or("");
    let mut all: Vec<(String, String, FcAccessPoint)> = Vec::new();
    for bucket in ctx.state.store.buckets() {
        for name in record::names(&bucket) {
            if name.as_str() >= start {
                if let Some(ap) = record::load(&bucket, &name) {
                    all.push((name, bucket.name.clone(), ap));
                }
            }
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let next = all.get(max_keys).map(|(name, _, _)| name.clone());
    let mut w = XmlWriter::new();
    w.open("ListAccessPointsForObjectProcessResult")
        .elem("IsTruncated", if next.is_some() { "true" } else { "false" })
        .elem_opt("NextContinuationToken", next.as_deref())
        .elem("AccountId", &ctx.state.owner_id)
        .open("AccessPointsForObjectProcess");
    for (name, bucket, ap) in all.iter().take(max_keys) {
        w.open("AccessPointForObjectProcess")
            .elem("AccessPointNameForObjectProcess", name)
            .elem("AccessPointForObjectProcessAlias", &alias(bucket, name))
            .elem("AccessPointName", &ap.access_point_name)
            .elem("Status", "enable")
            .elem_opt(
                "AllowAnonymousAccessForObjectProcess",
                ap.allow_anonymous.as_deref(),
            )
            .close("AccessPointForObjectProcess");
    }
    w.close("AccessPointsForObjectProcess")
        .close("ListAccessPointsForObjectProcessResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
