//! Legacy OSS V1 signing (HMAC-SHA1) of headers and presigned URLs.
//!
//! Follows "Include a V1 signature in the Authorization header" and "Add signatures to URLs"
//! (OSS API reference); the byte-level rules are restated in `docs/signing.md`.

use std::time::Duration;

use base64::Engine as _;
use http::header::{AUTHORIZATION, CONTENT_TYPE, DATE, HeaderMap, HeaderName};
use ring::hmac;

use super::query::QueryParams;
use super::timestamp::SigningTime;
use super::{SignableRequest, SigningOutput, SigningParams, header_value};
use crate::error::{SigningError, SigningErrorKind};

static X_OSS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-oss-security-token");
static X_OSS_DATE: HeaderName = HeaderName::from_static("x-oss-date");
static CONTENT_MD5: HeaderName = HeaderName::from_static("content-md5");

/// Query keys that are always sub-resources (signed in the canonicalized resource). Besides
/// these, every key starting with `x-oss-` is one, and so is every key the operation declares
/// in [`SigningParams::sub_resources`].
pub const SUB_RESOURCES: &[&str] = &[
    "acl",
    "bucketInfo",
    "location",
    "stat",
    "delete",
    "append",
    "tagging",
    "objectMeta",
    "uploads",
    "uploadId",
    "partNumber",
    "security-token",
    "position",
    "response-content-type",
    "response-content-language",
    "response-expires",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "restore",
    "callback",
    "callback-var",
    "versions",
    "versioning",
    "versionId",
    "sequential",
    "continuation-token",
    "regionList",
    "cloudboxes",
    "symlink",
    "resourceGroup",
];

/// Whether a query key is signed as a sub-resource.
pub fn is_sub_resource(name: &str, extra: &[String]) -> bool {
    SUB_RESOURCES.contains(&name) || name.starts_with("x-oss-") || extra.iter().any(|e| e == name)
}

/// `"/" + bucket + "/" + key` with the raw (not encoded) key, then `?` and the sorted
/// sub-resources (`name=value` with the decoded value, bare `name` when empty).
pub fn canonicalized_resource(
    bucket: Option<&str>,
    key: Option<&str>,
    query: &QueryParams,
    extra_sub_resources: &[String],
) -> String {
    let mut out = String::from("/");
    if let Some(bucket) = bucket {
        out.push_str(bucket);
        out.push('/');
    }
    if let Some(key) = key {
        out.push_str(key);
    }
    let mut subs: Vec<(&str, &str)> = query
        .iter()
        .filter(|(n, _)| is_sub_resource(n, extra_sub_resources))
        .map(|(n, v)| (n, v.unwrap_or("")))
        .collect();
    subs.sort_unstable();
    for (i, (name, value)) in subs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(name);
        if !value.is_empty() {
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

/// The `x-oss-*` headers, lower-cased, values trimmed, repeats joined with `,`, sorted, each
/// followed by `\n`.
pub fn canonicalized_oss_headers(headers: &HeaderMap) -> (String, Vec<(String, String)>) {
    let mut lines: Vec<(String, String)> = headers
        .keys()
        .filter(|n| n.as_str().starts_with("x-oss-"))
        .map(|name| {
            let value = headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes().trim_ascii()).into_owned())
                .collect::<Vec<_>>()
                .join(",");
            (name.as_str().to_owned(), value)
        })
        .collect();
    lines.sort_unstable();
    let mut out = String::new();
    for (n, v) in &lines {
        out.push_str(n);
        out.push(':');
        out.push_str(v);
        out.push('\n');
    }
    (out, lines)
}

fn header_str(headers: &HeaderMap, name: &HeaderName) -> String {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes().trim_ascii()).into_owned())
        .unwrap_or_default()
}

/// The V1 string to sign, with `date` as the date line (the `Date` or `x-oss-date` header for
/// header signing, the `Expires` value for presigned URLs).
pub fn string_to_sign(
    method: &str,
    headers: &HeaderMap,
    date: &str,
    resource: &str,
) -> (String, Vec<(String, String)>) {
    let (oss_headers, mut signed) = canonicalized_oss_headers(headers);
    let md5 = header_str(headers, &CONTENT_MD5);
    let content_type = header_str(headers, &CONTENT_TYPE);
    if !md5.is_empty() {
        signed.push(("content-md5".to_owned(), md5.clone()));
    }
    if !content_type.is_empty() {
        signed.push(("content-type".to_owned(), content_type.clone()));
    }
    signed.sort_unstable();
    let sts = format!("{method}\n{md5}\n{content_type}\n{date}\n{oss_headers}{resource}");
    (sts, signed)
}

/// `Base64(HMAC-SHA1(secret, string_to_sign))`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret.as_bytes());
    let tag = hmac::sign(&key, string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
}

/// Signs a request in its headers: sets `Date`, `x-oss-security-token` (with an STS token,
/// sensitive) and `Authorization: OSS <AccessKeyId>:<signature>` (sensitive). When the request
/// carries an `x-oss-date` header, its value is the signed date, as the Python SDKs do.
///
/// # Errors
/// [`SigningErrorKind::InvalidTime`], [`SigningErrorKind::InvalidHeaderValue`].
pub fn sign_headers(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<(), SigningError> {
    sign_headers_explained(req, params).map(drop)
}

/// [`sign_headers`], also returning the string to sign and the `Authorization` value.
///
/// # Errors
/// Those of [`sign_headers`].
pub fn sign_headers_explained(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let time = SigningTime::new(params.time)?;
    req.headers
        .insert(DATE, header_value(time.http_date(), false)?);
    match params.credentials.expose_security_token() {
        Some(token) => {
            req.headers
                .insert(X_OSS_SECURITY_TOKEN.clone(), header_value(token, true)?);
        }
        None => {
            req.headers.remove(&X_OSS_SECURITY_TOKEN);
        }
    }
    let date = req
        .headers
        .get(&X_OSS_DATE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_else(|| time.http_date().to_owned());
    let resource = canonicalized_resource(req.bucket, req.key, req.query, params.sub_resources);
    let (sts, _) = string_to_sign(req.method, req.headers, &date, &resource);
    let signature = signature(params.credentials.expose_access_key_secret(), &sts);
    let authorization = format!("OSS {}:{signature}", params.credentials.access_key_id());
    req.headers
        .insert(AUTHORIZATION, header_value(&authorization, true)?);
    Ok(SigningOutput {
        canonical_request: None,
        string_to_sign: sts,
        signature,
        signing_key: None,
        authorization: Some(authorization),
        signed_headers: Vec::new(),
    })
}

/// Signs a request in its query string: `OSSAccessKeyId`, `Expires` (absolute Unix seconds =
/// signing time + `expires`), `security-token` (with an STS token) and `Signature`.
///
/// # Errors
/// [`SigningErrorKind::InvalidExpiry`] when `expires` is under one second;
/// [`SigningErrorKind::InvalidTime`].
pub fn presign(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires: Duration,
) -> Result<SigningOutput, SigningError> {
    let time = SigningTime::new(params.time)?;
    if expires.as_secs() == 0 {
        return Err(SigningError::new(
            SigningErrorKind::InvalidExpiry,
            "a V1 presigned URL must be valid for at least 1 second",
        ));
    }
    let expires_at = time
        .unix_seconds()
        .checked_add(expires.as_secs())
        .ok_or_else(|| SigningError::new(SigningErrorKind::InvalidExpiry, "expiry overflows"))?
        .to_string();
    let query = &mut *req.query;
    for stale in ["Signature", "OSSAccessKeyId", "Expires", "security-token"] {
        query.remove(stale);
    }
    if let Some(token) = params.credentials.expose_security_token() {
        query.set("security-token", token);
    }
    let resource = canonicalized_resource(req.bucket, req.key, req.query, params.sub_resources);
    let (sts, signed_headers) = string_to_sign(req.method, req.headers, &expires_at, &resource);
    let signature = signature(params.credentials.expose_access_key_secret(), &sts);
    let query = &mut *req.query;
    query.set("OSSAccessKeyId", params.credentials.access_key_id());
    query.set("Expires", expires_at);
    query.set("Signature", signature.as_str());
    Ok(SigningOutput {
        canonical_request: None,
        string_to_sign: sts,
        signature,
        signing_key: None,
        authorization: None,
        signed_headers,
    })
}
