//! OSS V4 signing (`OSS4-HMAC-SHA256`) of headers and presigned URLs.
//!
//! Follows "Include a V4 signature in the Authorization header" and "V4 signatures in presigned
//! URLs" (OSS API reference); the byte-level rules are restated in `docs/signing.md`.

use std::fmt::Write as _;
use std::time::Duration;

use http::header::{AUTHORIZATION, DATE, HeaderMap, HeaderName, HeaderValue};
use ring::{digest, hmac};

use super::encode::uri_encode_into;
use super::query::QueryParams;
use super::signing_key::SigningKeyCache;
use super::timestamp::SigningTime;
use super::{SignableRequest, SigningOutput, SigningParams, header_value, hex_lower};
use crate::error::{SigningError, SigningErrorKind};

/// The algorithm name in the string to sign, `Authorization` and `x-oss-signature-version`.
pub const ALGORITHM: &str = "OSS4-HMAC-SHA256";
/// The only payload hash OSS accepts.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The longest validity of a V4 presigned URL, in seconds (7 days).
pub const MAX_PRESIGN_EXPIRES_SECS: u64 = 604_800;

static X_OSS_DATE: HeaderName = HeaderName::from_static("x-oss-date");
static X_OSS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-oss-content-sha256");
static X_OSS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-oss-security-token");

/// Whether a (lower-case) header name is always signed: `x-oss-*`, `content-type`,
/// `content-md5`.
pub fn is_default_signed(name: &str) -> bool {
    name.starts_with("x-oss-") || name == "content-type" || name == "content-md5"
}

/// The additional headers that take part in the signature: the caller's names lower-cased,
/// without default-signed names, without names absent (or empty) in `headers`, deduplicated and
/// sorted.
pub fn effective_additional_headers(names: &[String], headers: &HeaderMap) -> Vec<String> {
    let mut out: Vec<String> = names
        .iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !is_default_signed(n))
        .filter(|n| {
            headers
                .get_all(n.as_str())
                .iter()
                .any(|v| !v.as_bytes().trim_ascii().is_empty())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The V4 scope: `<date>/<region>/<product>/aliyun_v4_request`.
pub fn scope(date: &str, region: &str, product: &str) -> String {
    format!("{date}/{region}/{product}/aliyun_v4_request")
}

/// Inputs of the V4 canonical request, all as the server sees them.
#[derive(Debug)]
pub struct CanonicalInputs<'a> {
    /// Upper-case HTTP method.
    pub method: &'a str,
    /// Bucket name, if the request addresses a bucket.
    pub bucket: Option<&'a str>,
    /// Object key (raw, never pre-encoded), if the request addresses an object.
    pub key: Option<&'a str>,
    /// Every query parameter except `x-oss-signature`.
    pub query: &'a QueryParams,
    /// The request headers.
    pub headers: &'a HeaderMap,
    /// The effective additional headers (see [`effective_additional_headers`]).
    pub additional_headers: &'a [String],
}

/// The canonical request.
pub fn canonical_request(inputs: &CanonicalInputs<'_>) -> String {
    let mut out = String::with_capacity(256 + inputs.key.map_or(0, str::len) * 3);
    out.push_str(inputs.method);
    out.push('\n');
    write_canonical_uri(&mut out, inputs.bucket, inputs.key);
    out.push('\n');
    write_canonical_query(&mut out, inputs.query);
    out.push('\n');
    for name in signed_header_names(inputs.headers, inputs.additional_headers) {
        out.push_str(name.as_str());
        out.push(':');
        write_header_value(&mut out, inputs.headers, name);
        out.push('\n');
    }
    out.push('\n');
    for (i, name) in inputs.additional_headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    let payload = inputs
        .headers
        .get(&X_OSS_CONTENT_SHA256)
        .and_then(|v| v.to_str().ok())
        .unwrap_or(UNSIGNED_PAYLOAD);
    out.push_str(payload);
    out
}

/// The headers a signature covers, as (lower-case name, trimmed value) in canonical order:
/// what whoever uses a presigned URL must send.
pub fn signed_headers(headers: &HeaderMap, additional: &[String]) -> Vec<(String, String)> {
    signed_header_names(headers, additional)
        .into_iter()
        .map(|name| {
            let mut value = String::new();
            write_header_value(&mut value, headers, name);
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// The names of the canonical headers (`HeaderName`s are already lower-case), sorted.
fn signed_header_names<'h>(headers: &'h HeaderMap, additional: &[String]) -> Vec<&'h HeaderName> {
    let mut names: Vec<&HeaderName> = headers
        .keys()
        .filter(|name| {
            is_default_signed(name.as_str()) || additional.iter().any(|a| a == name.as_str())
        })
        .collect();
    names.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    names
}

/// A header's values trimmed, repeats joined with `,`.
fn write_header_value(out: &mut String, headers: &HeaderMap, name: &HeaderName) {
    for (i, v) in headers.get_all(name).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&String::from_utf8_lossy(v.as_bytes().trim_ascii()));
    }
}

/// `UriEncode("/" + bucket + "/" + key, keep_slash)`; `/` for service-level requests.
fn write_canonical_uri(out: &mut String, bucket: Option<&str>, key: Option<&str>) {
    out.push('/');
    if let Some(bucket) = bucket {
        uri_encode_into(out, bucket, true);
        out.push('/');
    }
    if let Some(key) = key {
        uri_encode_into(out, key, true);
    }
}

fn write_canonical_query(out: &mut String, query: &QueryParams) {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| {
            let mut name = String::with_capacity(n.len());
            uri_encode_into(&mut name, n, false);
            let mut value = String::new();
            uri_encode_into(&mut value, v.unwrap_or(""), false);
            (name, value)
        })
        .collect();
    pairs.sort_unstable();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        if !value.is_empty() {
            out.push('=');
            out.push_str(value);
        }
    }
}

/// `OSS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex sha256(canonical request)>`.
pub fn string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    let hash = digest::digest(&digest::SHA256, canonical_request.as_bytes());
    let mut out = String::with_capacity(ALGORITHM.len() + timestamp.len() + scope.len() + 67);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(timestamp);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    hex_lower(&mut out, hash.as_ref());
    out
}

/// The hex signature of `string_to_sign` under a signing key.
pub fn signature(key: &hmac::Key, string_to_sign: &str) -> String {
    let tag = hmac::sign(key, string_to_sign.as_bytes());
    let mut out = String::with_capacity(64);
    hex_lower(&mut out, tag.as_ref());
    out
}

struct Computed {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    signing_key: zeroize::Zeroizing<[u8; 32]>,
    scope: String,
}

fn compute(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    time: &SigningTime,
    additional: &[String],
    keys: &SigningKeyCache,
) -> Computed {
    let canonical_request = canonical_request(&CanonicalInputs {
        method: req.method,
        bucket: req.bucket,
        key: req.key,
        query: req.query,
        headers: req.headers,
        additional_headers: additional,
    });
    let scope = scope(time.v4_date(), params.region, params.product);
    let string_to_sign = string_to_sign(&time.v4_timestamp, &scope, &canonical_request);
    let (key, signing_key) = keys.get(
        params.credentials.expose_access_key_secret(),
        time.v4_date(),
        params.region,
        params.product,
    );
    let signature = signature(&key, &string_to_sign);
    Computed {
        canonical_request,
        string_to_sign,
        signature,
        signing_key,
        scope,
    }
}

fn check_region(params: &SigningParams<'_>) -> Result<(), SigningError> {
    if params.region.is_empty() || params.product.is_empty() {
        return Err(SigningError::new(
            SigningErrorKind::MissingRegion,
            "V4 signing needs a region and a product",
        ));
    }
    Ok(())
}

/// Signs a request in its headers: sets `x-oss-date`, `x-oss-content-sha256` (when absent),
/// `x-oss-security-token` (with an STS token), `Date`, and `Authorization` (marked sensitive, as
/// is the token).
///
/// # Errors
/// [`SigningErrorKind::MissingRegion`], [`SigningErrorKind::InvalidTime`], or
/// [`SigningErrorKind::InvalidHeaderValue`] when the AccessKeyId or token cannot be a header.
pub fn sign_headers(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
    keys: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    check_region(params)?;
    let time = SigningTime::new(params.time)?;
    let headers = &mut *req.headers;
    headers.insert(X_OSS_DATE.clone(), header_value(&time.v4_timestamp, false)?);
    if !headers.contains_key(&X_OSS_CONTENT_SHA256) {
        headers.insert(
            X_OSS_CONTENT_SHA256.clone(),
            HeaderValue::from_static(UNSIGNED_PAYLOAD),
        );
    }
    match params.credentials.expose_security_token() {
        Some(token) => {
            headers.insert(X_OSS_SECURITY_TOKEN.clone(), header_value(token, true)?);
        }
        None => {
            headers.remove(&X_OSS_SECURITY_TOKEN);
        }
    }
    headers.insert(DATE, header_value(&time.http_date, false)?);
    let additional = effective_additional_headers(params.additional_headers, req.headers);
    let c = compute(req, params, &time, &additional, keys);
    let mut authorization = String::with_capacity(160);
    let _ = write!(
        authorization,
        "{ALGORITHM} Credential={}/{}",
        params.credentials.access_key_id(),
        c.scope
    );
    if !additional.is_empty() {
        let _ = write!(authorization, ",AdditionalHeaders={}", additional.join(";"));
    }
    let _ = write!(authorization, ",Signature={}", c.signature);
    req.headers
        .insert(AUTHORIZATION, header_value(&authorization, true)?);
    Ok(SigningOutput {
        canonical_request: Some(c.canonical_request),
        string_to_sign: c.string_to_sign,
        signature: c.signature,
        signing_key: Some(c.signing_key),
        authorization: Some(authorization),
        signed_headers: Vec::new(),
    })
}

/// Signs a request in its query string (a presigned URL valid for `expires` from
/// `params.time`): adds `x-oss-signature-version`, `x-oss-date`, `x-oss-expires`,
/// `x-oss-credential`, `x-oss-security-token` (with an STS token),
/// `x-oss-additional-headers` (when any) and finally `x-oss-signature`. Headers are not changed;
/// [`SigningOutput::signed_headers`] lists the headers whoever uses the URL must send.
///
/// # Errors
/// [`SigningErrorKind::InvalidExpiry`] unless `expires` is 1..=604800 whole seconds, and the
/// errors of [`sign_headers`].
pub fn presign(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires: Duration,
    keys: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    check_region(params)?;
    let secs = expires.as_secs();
    if !(1..=MAX_PRESIGN_EXPIRES_SECS).contains(&secs) {
        return Err(SigningError::new(
            SigningErrorKind::InvalidExpiry,
            format!(
                "a V4 presigned URL must be valid for 1 to {MAX_PRESIGN_EXPIRES_SECS} seconds, not {secs}"
            ),
        ));
    }
    let time = SigningTime::new(params.time)?;
    let additional = effective_additional_headers(params.additional_headers, req.headers);
    let scope = scope(time.v4_date(), params.region, params.product);
    let query = &mut *req.query;
    for stale in [
        "x-oss-signature",
        "x-oss-security-token",
        "x-oss-additional-headers",
    ] {
        query.remove(stale);
    }
    query.set("x-oss-signature-version", ALGORITHM);
    query.set("x-oss-date", time.v4_timestamp.as_str());
    query.set("x-oss-expires", secs.to_string());
    query.set(
        "x-oss-credential",
        format!("{}/{scope}", params.credentials.access_key_id()),
    );
    if let Some(token) = params.credentials.expose_security_token() {
        query.set("x-oss-security-token", token);
    }
    if !additional.is_empty() {
        query.set("x-oss-additional-headers", additional.join(";"));
    }
    let c = compute(req, params, &time, &additional, keys);
    req.query.push("x-oss-signature", c.signature.as_str());
    Ok(SigningOutput {
        canonical_request: Some(c.canonical_request),
        string_to_sign: c.string_to_sign,
        signature: c.signature,
        signing_key: Some(c.signing_key),
        authorization: None,
        signed_headers: signed_headers(req.headers, &additional),
    })
}
