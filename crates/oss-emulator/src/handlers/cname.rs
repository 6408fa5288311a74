//! Custom domains (OSS API reference "CreateCnameToken", "GetCnameToken", "PutCname",
//! "ListCname", "DeleteCname"). The emulator has no DNS to check: a token created for the
//! domain on this bucket, and not lapsed (72 hours on the emulator's clock), stands for the
//! TXT record OSS looks up. A bound domain addresses its bucket (the router asks
//! [`bound_bucket`]); certificates are not emulated (a `CertificateConfiguration` answers
//! 501). Records live in the bucket's documents: `cname/<domain>`, `cnameToken/<domain>`.

use http::StatusCode;
use md5::{Digest as _, Md5};
use serde::{Deserialize, Serialize};

use super::records::{self, at, new_id, now_secs};
use super::xml_body::{self, Element};
use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::state::State;
use crate::store::Bucket;
use crate::time_fmt::{http_date, iso8601_millis};
use crate::xml::XmlWriter;

/// How long a token stands, in seconds (72 hours, as on OSS).
const TOKEN_LIFETIME: u64 = 72 * 3600;
const BOUND: &str = "cname";
const TOKEN: &str = "cnameToken";

#[derive(Serialize, Deserialize)]
struct Token {
    token: String,
    /// Seconds since the epoch.
    expires: u64,
}

#[derive(Serialize, Deserialize)]
struct Bound {
    /// Seconds since the epoch.
    last_modified: u64,
}

/// The bucket a domain (a lower-case host name) is bound to with PutCname, if any.
pub(crate) fn bound_bucket(state: &State, host: &str) -> Option<String> {
    state.store.bucket_holding(&format!("{BOUND}/{host}"))
}

/// A domain name: lower-case labels of letters, digits and `-`, the first may be `*`.
fn domain(value: &str) -> Result<String, OssError> {
    let domain = value.trim().to_ascii_lowercase();
    let label_ok = |(i, l): (usize, &str)| {
        (i == 0 && l == "*")
            || (!l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    if domain.len() > 253 || !domain.split('.').enumerate().all(label_ok) {
        return Err(OssError::invalid_argument(
            "The domain name is not valid.",
            "Domain",
            value,
        ));
    }
    Ok(domain)
}

/// The `<Cname>` of a `BucketCnameConfiguration` body (Content-MD5 checked).
async fn cname_element(ctx: &Ctx<'_>, body: ReqBody) -> Result<Element, OssError> {
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let doc = xml_body::parse(&body, "BucketCnameConfiguration")?;
    doc.child("Cname").cloned().ok_or_else(xml_body::malformed)
}

/// The domain of a `<Cname>`, required.
fn domain_of(cname: &Element) -> Result<String, OssError> {
    domain(cname.child_text("Domain").ok_or_else(xml_body::malformed)?)
}

/// 409 `CnameAlreadyExists` when another bucket holds `domain`.
fn not_elsewhere(ctx: &Ctx<'_>, bucket: &Bucket, domain: &str) -> Result<(), OssError> {
    match bound_bucket(ctx.state, domain) {
        Some(other) if other != bucket.name => Err(OssError::new(
            ErrorCode::CnameAlreadyExists,
            "The specified cname has already been bound to another bucket.",
        )
        .with("Cname", domain)),
        _ => Ok(()),
    }
}

/// The token of `domain` on `bucket`, unless none was created or it lapsed.
fn live_token(ctx: &Ctx<'_>, bucket: &Bucket, domain: &str) -> Option<Token> {
    records::load::<Token>(bucket, TOKEN, domain).filter(|t| t.expires > now_secs(ctx))
}

fn token_xml(bucket: &str, domain: &str, token: &Token) -> String {
    let mut w = XmlWriter::new();
    w.open("CnameToken")
        .elem("Bucket", bucket)
        .elem("Cname", domain)
        .elem("Token", &token.token)
        .elem("ExpireTime", &http_date(at(token.expires)))
        .close("CnameToken");
    w.finish()
}

/// CreateCnameToken: a new token for the domain, 200 `<CnameToken>`.
pub(crate) async fn create_cname_token(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let domain = domain_of(&cname_element(ctx, body).await?)?;
    not_elsewhere(ctx, &bucket, &domain)?;
    let token = Token {
        token: new_id(ctx, &domain),
        expires: now_secs(ctx) + TOKEN_LIFETIME,
    };
    records::save(&bucket, TOKEN, &domain, Some(&token))?;
    Ok(xml_response(
        StatusCode::OK,
        token_xml(bucket_name, &domain, &token),
    ))
}

/// GetCnameToken: the live token of `?cname=<domain>`, else 404 `CnameTokenNotFound`.
pub(crate) fn get_cname_token(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let domain = domain(ctx.param("cname").unwrap_or(""))?;
    let token = live_token(ctx, &bucket, &domain).ok_or_else(|| {
        OssError::new(ErrorCode::CnameTokenNotFound, "Cname token not found.")
            .with("Bucket", bucket_name)
            .with("Cname", domain.as_str())
    })?;
    Ok(xml_response(
        StatusCode::OK,
        token_xml(bucket_name, &domain, &token),
    ))
}

/// PutCname: binds the domain once its token exists (else 400 `NeedVerifyDomainOwnership`).
pub(crate) async fn put_cname(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let cname = cname_element(ctx, body).await?;
    let domain = domain_of(&cname)?;
    if cname.child("CertificateConfiguration").is_some() {
        return Err(OssError::new(
            ErrorCode::NotImplemented,
            "The emulator does not bind certificates to custom domains.",
        ));
    }
    not_elsewhere(ctx, &bucket, &domain)?;
    if live_token(ctx, &bucket, &domain).is_none() {
        return Err(OssError::new(
            ErrorCode::NeedVerifyDomainOwnership,
            "You must verify the ownership of the domain with a CNAME token first.",
        )
        .with("Cname", domain.as_str()));
    }
    let bound = Bound {
        last_modified: now_secs(ctx),
    };
    records::save(&bucket, BOUND, &domain, Some(&bound))?;
    Ok(empty(StatusCode::OK))
}

/// ListCname: every bound domain, 200 `<ListCnameResult>`.
pub(crate) fn list_cname(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let mut w = XmlWriter::new();
    w.open("ListCnameResult")
        .elem("Bucket", bucket_name)
        .elem("Owner", &ctx.state.owner_id);
    for (domain, bound) in records::all::<Bound>(&bucket, BOUND) {
        let wildcard = if domain.starts_with("*.") {
            "true"
        } else {
            "false"
        };
        w.open("Cname")
            .elem("Domain", &domain)
            .elem("LastModified", &iso8601_millis(at(bound.last_modified)))
            .elem("Status", "Enabled")
            .elem("IsWildCard", wildcard)
            .close("Cname");
    }
    w.close("ListCnameResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// DeleteCname: unbinds the domain, 200; 404 `NoSuchCname` when it is not bound here.
pub(crate) async fn delete_cname(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let domain = domain_of(&cname_element(ctx, body).await?)?;
    if records::load::<Bound>(&bucket, BOUND, &domain).is_none() {
        return Err(OssError::new(
            ErrorCode::NoSuchCname,
            "The specified cname is not bound to the bucket.",
        )
        .with("Cname", domain.as_str()));
    }
    records::save::<Bound>(&bucket, BOUND, &domain, None)?;
    Ok(empty(StatusCode::OK))
}
