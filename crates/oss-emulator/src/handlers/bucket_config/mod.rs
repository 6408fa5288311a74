//! Bucket configuration documents (`PUT|GET|DELETE /bucket?cors`, `?lifecycle`, `?policy`,
//! …): one generic mechanism, and one small file per family for what is particular to it
//! (its validation and what a get answers before any put).
//!
//! Put checks `Content-MD5` when sent (400 `InvalidDigest`), validates the body (400 `MalformedXML`, `InvalidArgument` or the family's own code)
//! and stores it exactly as sent (durably with a data directory), 200; get answers the
//! stored document byte for byte (`application/xml`, or `application/json` for the
//! policy), or, when none is stored, the family's `NoSuch…` error or OSS's default
//! document; delete removes it, 204 (also when there was none, as OSS does).

pub(crate) mod access_monitor;
pub(crate) mod archive_direct_read;
pub(crate) mod cors;
pub(crate) mod encryption;
pub(crate) mod https_config;
pub(crate) mod lifecycle;
pub(crate) mod logging;
pub(crate) mod policy;
pub(crate) mod public_access_block;
pub(crate) mod referer;
pub(crate) mod request_payment;
pub(crate) mod resource_group;
pub(crate) mod tags;
pub(crate) mod transfer_acceleration;
pub(crate) mod user_defined_log_fields;
pub(crate) mod website;

use http::{HeaderValue, StatusCode};
use md5::{Digest as _, Md5};

use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;

/// What a get answers while no document is stored.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Absent {
    /// 404 with this code and message.
    Error(ErrorCode, &'static str),
    /// 200 with OSS's default document.
    Default(&'static str),
}

/// What is particular to one family.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Family {
    /// Checks a put's body; the error is what OSS answers for it.
    pub(crate) validate: fn(&Ctx<'_>, &[u8]) -> Result<(), OssError>,
    /// What a get answers while nothing is stored.
    pub(crate) absent: Absent,
    /// The document's media type (`application/xml` unless JSON).
    pub(crate) json: bool,
}

fn family(f: ConfigFamily) -> Family {
    match f {
        ConfigFamily::Cors => cors::FAMILY,
        ConfigFamily::Lifecycle => lifecycle::FAMILY,
        ConfigFamily::Policy => policy::FAMILY,
        ConfigFamily::Website => website::FAMILY,
        ConfigFamily::Referer => referer::FAMILY,
        ConfigFamily::Logging => logging::FAMILY,
        ConfigFamily::Encryption => encryption::FAMILY,
        ConfigFamily::Tags => tags::FAMILY,
        ConfigFamily::RequestPayment => request_payment::FAMILY,
        ConfigFamily::TransferAcceleration => transfer_acceleration::FAMILY,
        ConfigFamily::PublicAccessBlock => public_access_block::FAMILY,
        ConfigFamily::AccessMonitor => access_monitor::FAMILY,
        ConfigFamily::ArchiveDirectRead => archive_direct_read::FAMILY,
        ConfigFamily::HttpsConfig => https_config::FAMILY,
        ConfigFamily::ResourceGroup => resource_group::FAMILY,
        ConfigFamily::UserDefinedLogFields => user_defined_log_fields::FAMILY,
    }
}

/// Put{Family}: validates and stores the body as sent.
pub(crate) async fn put(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    f: ConfigFamily,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let text = read_document(ctx, body, family(f).validate).await?;
    bucket.set_document(f.name(), Some(text))?;
    Ok(empty(StatusCode::OK))
}

/// A put's body: read (at most [`MAX_XML_BODY`]), checked against `Content-MD5` when sent
/// (400 `InvalidDigest`), UTF-8 (400 `MalformedXML`) and accepted by `validate`.
pub(crate) async fn read_document(
    ctx: &Ctx<'_>,
    body: ReqBody,
    validate: fn(&Ctx<'_>, &[u8]) -> Result<(), OssError>,
) -> Result<String, OssError> {
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let text = std::str::from_utf8(&body).map_err(|_| super::xml_body::malformed())?;
    validate(ctx, &body)?;
    Ok(text.to_owned())
}

/// Get{Family}: the stored document, else the family's [`Absent`] answer.
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str, f: ConfigFamily) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let spec = family(f);
    let document = match (bucket.document(f.name()), spec.absent) {
        (Some(d), _) => d,
        (None, Absent::Default(d)) => d.to_owned(),
        (None, Absent::Error(code, message)) => {
            return Err(OssError::new(code, message).with("BucketName", bucket_name));
        }
    };
    let mut resp = xml_response(StatusCode::OK, document);
    if spec.json {
        resp.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    Ok(resp)
}

/// Delete{Family}: removes the document; 204.
pub(crate) fn delete(ctx: &Ctx<'_>, bucket_name: &str, f: ConfigFamily) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    bucket.set_document(f.name(), None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// 400 `InvalidArgument` naming the element and its value.
pub(crate) fn invalid(message: &str, name: &str, value: &str) -> OssError {
    OssError::invalid_argument(message, name, value)
}

/// The text of `el`'s child `name`, which must be one of `allowed`; else 400 `MalformedXML`.
pub(crate) fn one_of<'a>(
    el: &'a super::xml_body::Element,
    name: &str,
    allowed: &[&str],
) -> Result<&'a str, OssError> {
    el.child_text(name)
        .map(str::trim)
        .filter(|v| allowed.contains(v))
        .ok_or_else(super::xml_body::malformed)
}
