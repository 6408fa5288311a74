//! Request authentication: V4 (`OSS4-HMAC-SHA256`) and V1 (HMAC-SHA1) signatures, in the
//! `Authorization` header or in a presigned URL's query; clock skew; STS tokens.
//!
//! The canonical request / string to sign is rebuilt from the request as received (method,
//! decoded bucket and key, every query parameter, the received headers) with the pure
//! functions of `oss-auth`, and the signatures are compared in constant time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use oss_auth::sign::{QueryParams, SigningKeyCache, parse_v4_timestamp, v1, v4};
use subtle::ConstantTimeEq as _;

use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::keys::{AccessKey, KeyStore};
use crate::time_fmt::iso8601_millis;

/// Largest accepted difference between a header-signed request's time and the server clock.
pub(crate) const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
/// The V4 presign ceiling for `x-oss-expires`, in seconds (7 days).
pub(crate) const MAX_PRESIGN_EXPIRES_SECS: u64 = 604_800;

const V4_PREFIX: &str = "OSS4-HMAC-SHA256 ";
const V1_PREFIX: &str = "OSS ";
const V4_TERMINATOR: &str = "aliyun_v4_request";
const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

/// The parts of a request that take part in a signature.
#[derive(Debug)]
pub(crate) struct AuthRequest<'a> {
    /// Upper-case method.
    pub(crate) method: &'a str,
    /// Decoded bucket, if any.
    pub(crate) bucket: Option<&'a str>,
    /// Decoded key, if any.
    pub(crate) key: Option<&'a str>,
    /// Every query parameter, decoded.
    pub(crate) query: &'a QueryParams,
    /// The received headers.
    pub(crate) headers: &'a HeaderMap,
}

/// What an accepted request was signed with (for logs and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthKind {
    V4Header,
    V4Query,
    V1Header,
    V1Query,
    /// No signature at all: the bucket and object ACLs decide (`public_access.rs`).
    Anonymous,
}

/// The fields of a V4 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct V4Authorization {
    pub(crate) access_key_id: String,
    pub(crate) date: String,
    pub(crate) region: String,
    pub(crate) product: String,
    /// Lower-cased, sorted, de-duplicated.
    pub(crate) additional_headers: Vec<String>,
    pub(crate) signature: String,
}

fn malformed(what: &str) -> OssError {
    OssError::invalid_argument(
        format!("Authorization header is invalid: {what}."),
        "Authorization",
        "",
    )
}

/// Splits `ak/date/region/product/aliyun_v4_request`.
fn parse_credential(credential: &str) -> Option<(String, String, String, String)> {
    let mut parts = credential.rsplitn(5, '/');
    let terminator = parts.next()?;
    let product = parts.next()?;
    let region = parts.next()?;
    let date = parts.next()?;
    let ak = parts.next()?;
    if terminator != V4_TERMINATOR || ak.is_empty() {
        return None;
    }
    Some((
        ak.to_owned(),
        date.to_owned(),
        region.to_owned(),
        product.to_owned(),
    ))
}

fn normalise_additional(list: &str) -> Vec<String> {
    let mut names: Vec<String> = list
        .split(';')
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Parses `OSS4-HMAC-SHA256 Credential=…[,AdditionalHeaders=…],Signature=…`, accepting `,` or
/// `, ` separators and any field order (oss2 writes `Credential=…, Signature=…, AdditionalHeaders=…`).
pub(crate) fn parse_v4_authorization(value: &str) -> Result<V4Authorization, OssError> {
    let rest = value
        .strip_prefix(V4_PREFIX)
        .ok_or_else(|| malformed("not OSS4-HMAC-SHA256"))?;
    let mut credential = None;
    let mut additional = None;
    let mut signature = None;
    for field in rest.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let (name, val) = field
            .split_once('=')
            .ok_or_else(|| malformed("a field has no '='"))?;
        match name.trim() {
            "Credential" => credential = Some(val.trim()),
            "AdditionalHeaders" => additional = Some(val.trim()),
            "Signature" => signature = Some(val.trim()),
            _ => return Err(malformed("unknown field")),
        }
    }
    let credential = credential.ok_or_else(|| malformed("Credential is missing"))?;
    let signature = signature.ok_or_else(|| malformed("Signature is missing"))?;
    let (access_key_id, date, region, product) =
        parse_credential(credential).ok_or_else(|| malformed("Credential is malformed"))?;
    Ok(V4Authorization {
        access_key_id,
        date,
        region,
        product,
        additional_headers: additional.map(normalise_additional).unwrap_or_default(),
        signature: signature.to_owned(),
    })
}

/// Parses `OSS <ak>:<base64 signature>` into (ak, signature).
pub(crate) fn parse_v1_authorization(value: &str) -> Result<(&str, &str), OssError> {
    let rest = value
        .strip_prefix(V1_PREFIX)
        .ok_or_else(|| malformed("unknown scheme"))?;
    let (ak, sig) = rest
        .trim()
        .split_once(':')
        .ok_or_else(|| malformed("no ':' in OSS credentials"))?;
    if ak.is_empty() || sig.is_empty() {
        return Err(malformed("empty AccessKeyId or signature"));
    }
    Ok((ak, sig))
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn skew_error(request_time: SystemTime, now: SystemTime) -> OssError {
    OssError::new(
        ErrorCode::RequestTimeTooSkewed,
        "The difference between the request time and the current time is too large.",
    )
    .with("RequestTime", iso8601_millis(request_time))
    .with("ServerTime", iso8601_millis(now))
    .with(
        "MaxAllowedSkewMilliseconds",
        MAX_SKEW.as_millis().to_string(),
    )
}

fn check_skew(request_time: SystemTime, now: SystemTime) -> Result<(), OssError> {
    let diff = match now.duration_since(request_time) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    if diff > MAX_SKEW {
        Err(skew_error(request_time, now))
    } else {
        Ok(())
    }
}

fn access_denied(message: impl Into<String>) -> OssError {
    OssError::new(ErrorCode::AccessDenied, message)
}

fn expired(now: SystemTime) -> OssError {
    access_denied("Request has expired.").with("ServerTime", iso8601_millis(now))
}

fn ct_eq(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Checks the scope fields of a V4 credential against the request time and the emulator.
fn check_scope(
    date: &str,
    region: &str,
    product: &str,
    timestamp: &str,
    server_region: &str,
) -> Result<(), OssError> {
    if timestamp.get(..8) != Some(date) {
        return Err(access_denied(format!(
            "The date in the credential scope ({date}) is not the date of x-oss-date ({timestamp})."
        )));
    }
    if region != server_region {
        return Err(access_denied(format!(
            "Invalid signing region in the credential scope: '{region}', expected '{server_region}'."
        )));
    }
    if product != oss_auth::sign::PRODUCT_OSS {
        return Err(access_denied(format!(
            "Invalid signing product '{product}', expected 'oss'."
        )));
    }
    Ok(())
}

/// V4 signing keys, derived once per (secret, date, region) instead of on every request.
static SIGNING_KEYS: std::sync::LazyLock<SigningKeyCache> =
    std::sync::LazyLock::new(SigningKeyCache::new);

/// Computes and compares a V4 signature.
#[allow(clippy::too_many_arguments)]
fn verify_v4(
    key: &AccessKey,
    req: &AuthRequest<'_>,
    query: &QueryParams,
    additional: &[String],
    timestamp: &str,
    date: &str,
    region: &str,
    provided: &str,
) -> Result<(), OssError> {
    let canonical = v4::canonical_request(&v4::CanonicalInputs {
        method: req.method,
        bucket: req.bucket,
        key: req.key,
        query,
        headers: req.headers,
        additional_headers: additional,
    });
    let scope = v4::scope(date, region, oss_auth::sign::PRODUCT_OSS);
    let sts = v4::string_to_sign(timestamp, &scope, &canonical);
    let expected =
        SIGNING_KEYS.sign_v4(&key.secret, date, region, oss_auth::sign::PRODUCT_OSS, &sts);
    if ct_eq(&expected, provided) {
        Ok(())
    } else {
        Err(OssError::new(ErrorCode::SignatureDoesNotMatch, MISMATCH)
            .with("StringToSign", sts)
            .with("SignatureProvided", provided)
            .with("CanonicalRequest", canonical)
            .with("OSSAccessKeyId", key.id.clone()))
    }
}

fn v4_header(
    keys: &KeyStore,
    region: &str,
    req: &AuthRequest<'_>,
    value: &str,
    now: SystemTime,
) -> Result<(), OssError> {
    let auth = parse_v4_authorization(value)?;
    let timestamp = header(req.headers, "x-oss-date")
        .ok_or_else(|| access_denied("The x-oss-date header is required with OSS4-HMAC-SHA256."))?;
    let time = parse_v4_timestamp(timestamp)
        .ok_or_else(|| access_denied(format!("Invalid x-oss-date '{timestamp}'.")))?;
    check_skew(time, now)?;
    check_scope(&auth.date, &auth.region, &auth.product, timestamp, region)?;
    let key = keys.lookup(&auth.access_key_id)?;
    key.check_token(header(req.headers, "x-oss-security-token"), now)?;
    verify_v4(
        key,
        req,
        req.query,
        &auth.additional_headers,
        timestamp,
        &auth.date,
        &auth.region,
        &auth.signature,
    )
}

fn v4_query(
    keys: &KeyStore,
    region: &str,
    req: &AuthRequest<'_>,
    now: SystemTime,
) -> Result<(), OssError> {
    let q = req.query;
    let param = |name: &str| q.get(name).flatten().filter(|v| !v.is_empty());
    let missing = |name: &str| {
        access_denied(format!(
            "The query parameter {name} is required in a V4 presigned URL."
        ))
    };
    let version =
        param("x-oss-signature-version").ok_or_else(|| missing("x-oss-signature-version"))?;
    if version != v4::ALGORITHM {
        return Err(OssError::invalid_argument(
            "Unsupported x-oss-signature-version.",
            "x-oss-signature-version",
            version,
        ));
    }
    let credential = param("x-oss-credential").ok_or_else(|| missing("x-oss-credential"))?;
    let timestamp = param("x-oss-date").ok_or_else(|| missing("x-oss-date"))?;
    let expires_raw = param("x-oss-expires").ok_or_else(|| missing("x-oss-expires"))?;
    let provided = param("x-oss-signature").ok_or_else(|| missing("x-oss-signature"))?;
    let time = parse_v4_timestamp(timestamp)
        .ok_or_else(|| access_denied(format!("Invalid x-oss-date '{timestamp}'.")))?;
    let expires = expires_raw
        .parse::<u64>()
        .ok()
        .filter(|e| (1..=MAX_PRESIGN_EXPIRES_SECS).contains(e))
        .ok_or_else(|| {
            OssError::invalid_argument(
                "x-oss-expires must be an integer from 1 to 604800 (7 days).",
                "x-oss-expires",
                expires_raw,
            )
        })?;
    if time > now + MAX_SKEW {
        return Err(access_denied(
            "The x-oss-date of this URL is in the future (more than 15 minutes).",
        ));
    }
    if now > time + Duration::from_secs(expires) {
        return Err(expired(now));
    }
    let (ak, date, scope_region, product) = parse_credential(credential).ok_or_else(|| {
        OssError::invalid_argument(
            "x-oss-credential is malformed.",
            "x-oss-credential",
            credential,
        )
    })?;
    check_scope(&date, &scope_region, &product, timestamp, region)?;
    let key = keys.lookup(&ak)?;
    key.check_token(param("x-oss-security-token"), now)?;
    let additional = param("x-oss-additional-headers")
        .map(normalise_additional)
        .unwrap_or_default();
    let canonical_query: QueryParams = q.iter().filter(|(n, _)| *n != "x-oss-signature").collect();
    verify_v4(
        key,
        req,
        &canonical_query,
        &additional,
        timestamp,
        &date,
        &scope_region,
        provided,
    )
}

fn verify_v1(
    key: &AccessKey,
    req: &AuthRequest<'_>,
    date_line: &str,
    provided: &str,
) -> Result<(), OssError> {
    // The V1 signers differ on which sub-resources beyond OSS's basic list they sign (oss2
    // signs `lifecycle`, `policy`, …; the Go and Python v2 SDKs declare a list per operation,
    // e.g. `inventory` but not `inventoryId`, `wormExtend` and `wormId`): the signature is
    // checked with every choice of the sub-resources present (at most 2^4), the one signing
    // all of them first, so an error shows that string to sign.
    let extra = v1_extra_sub_resources();
    let present: Vec<String> = extra
        .iter()
        .filter(|name| req.query.iter().any(|(n, _)| n == name.as_str()))
        .cloned()
        .collect();
    let signature_with = |signed: &[String]| {
        let resource = v1::canonicalized_resource(req.bucket, req.key, req.query, signed);
        let (sts, _) = v1::string_to_sign(req.method, req.headers, date_line, &resource);
        let signature = v1::signature(&key.secret, &sts);
        (sts, signature)
    };
    let (sts, expected) = signature_with(&present);
    let subset_matches = || {
        let choices = if present.len() <= 4 {
            1u32 << present.len()
        } else {
            1
        };
        (0..choices).any(|mask| {
            let signed: Vec<String> = present
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, name)| name.clone())
                .collect();
            ct_eq(&signature_with(&signed).1, provided)
        })
    };
    if ct_eq(&expected, provided) || subset_matches() {
        Ok(())
    } else {
        Err(OssError::new(ErrorCode::SignatureDoesNotMatch, MISMATCH)
            .with("StringToSign", sts)
            .with("SignatureProvided", provided)
            .with("OSSAccessKeyId", key.id.clone()))
    }
}

/// Implemented sub-resources that a V1 signer may sign or leave out (oss2 leaves `regions`
/// out, OSS's V1 document lists it; the SDKs differ on the value-carrying ones such as
/// `inventoryId` or `wormId`): verified both ways, as the unimplemented ones.
const SOMETIMES_SIGNED_SUB_RESOURCES: &[&str] = &[
    "comp",
    "inventory",
    "inventoryId",
    "legalHold",
    "objectWorm",
    "regions",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "retention",
    "rtc",
    "worm",
    "wormExtend",
    "wormId",
];

/// The sub-resources beyond OSS's basic V1 list ([`v1::SUB_RESOURCES`], always signed) that
/// a V1 signer may sign: [`crate::router::UNIMPLEMENTED_SUB_RESOURCES`],
/// [`crate::router::IMPLEMENTED_SUB_RESOURCES`], the bucket configuration families'
/// sub-resources (`cors`, `referer`, …) and [`SOMETIMES_SIGNED_SUB_RESOURCES`].
fn v1_extra_sub_resources() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let families = ConfigFamily::ALL.iter().map(|f| f.name());
        let mut names: Vec<String> = crate::router::UNIMPLEMENTED_SUB_RESOURCES
            .iter()
            .copied()
            .chain(crate::router::IMPLEMENTED_SUB_RESOURCES.iter().copied())
            .chain(families)
            .chain(SOMETIMES_SIGNED_SUB_RESOURCES.iter().copied())
            .filter(|name| !v1::is_sub_resource(name, &[]))
            .map(str::to_owned)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    })
}

/// Parses a V1 date line: an HTTP date, or (leniently) a V4 timestamp.
fn parse_v1_date(value: &str) -> Option<SystemTime> {
    httpdate::parse_http_date(value.trim())
        .ok()
        .or_else(|| parse_v4_timestamp(value.trim()))
}

fn v1_header(
    keys: &KeyStore,
    req: &AuthRequest<'_>,
    value: &str,
    now: SystemTime,
) -> Result<(), OssError> {
    let (ak, provided) = parse_v1_authorization(value)?;
    let date_line = header(req.headers, "x-oss-date")
        .or_else(|| header(req.headers, "date"))
        .ok_or_else(|| access_denied("A Date (or x-oss-date) header is required."))?;
    let time = parse_v1_date(date_line)
        .ok_or_else(|| access_denied(format!("Invalid Date '{date_line}'.")))?;
    check_skew(time, now)?;
    let key = keys.lookup(ak)?;
    key.check_token(header(req.headers, "x-oss-security-token"), now)?;
    verify_v1(key, req, date_line, provided)
}

fn v1_query(keys: &KeyStore, req: &AuthRequest<'_>, now: SystemTime) -> Result<(), OssError> {
    let q = req.query;
    let param = |name: &str| q.get(name).flatten().filter(|v| !v.is_empty());
    let missing = |name: &str| {
        access_denied(format!(
            "The query parameter {name} is required in a V1 presigned URL."
        ))
    };
    let ak = param("OSSAccessKeyId").ok_or_else(|| missing("OSSAccessKeyId"))?;
    let expires_raw = param("Expires").ok_or_else(|| missing("Expires"))?;
    let provided = param("Signature").ok_or_else(|| missing("Signature"))?;
    let expires = expires_raw
        .parse::<u64>()
        .map_err(|_| access_denied(format!("Invalid Expires '{expires_raw}'.")))?;
    if now > UNIX_EPOCH + Duration::from_secs(expires) {
        return Err(expired(now));
    }
    let key = keys.lookup(ak)?;
    key.check_token(param("security-token"), now)?;
    verify_v1(key, req, expires_raw, provided)
}

/// Authenticates a request at server time `now`; a request with no signature at all is
/// [`AuthKind::Anonymous`], left to the ACL checks.
///
/// # Errors
/// 403 `AccessDenied` (bad or expired dates), `InvalidAccessKeyId`,
/// `InvalidSecurityToken`, `SecurityTokenExpired`, `RequestTimeTooSkewed`,
/// `SignatureDoesNotMatch`; 400 `InvalidArgument` for a malformed Authorization header or
/// an `x-oss-expires` outside 1..=604800.
pub(crate) fn authenticate(
    keys: &KeyStore,
    region: &str,
    req: &AuthRequest<'_>,
    now: SystemTime,
) -> Result<AuthKind, OssError> {
    if let Some(value) = req.headers.get(http::header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| malformed("not ASCII"))?;
        if value.starts_with(V4_PREFIX) {
            return v4_header(keys, region, req, value, now).map(|()| AuthKind::V4Header);
        }
        if value.starts_with(V1_PREFIX) {
            return v1_header(keys, req, value, now).map(|()| AuthKind::V1Header);
        }
        return Err(malformed(
            "unsupported signature scheme (use OSS4-HMAC-SHA256 or OSS)",
        ));
    }
    if req.query.contains("x-oss-signature-version") || req.query.contains("x-oss-signature") {
        return v4_query(keys, region, req, now).map(|()| AuthKind::V4Query);
    }
    if req.query.contains("OSSAccessKeyId") || req.query.contains("Signature") {
        return v1_query(keys, req, now).map(|()| AuthKind::V1Query);
    }
    Ok(AuthKind::Anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_compact_and_oss2_forms() {
        let compact = "OSS4-HMAC-SHA256 Credential=ak/20250102/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=range;Host,Signature=abc";
        let a = parse_v4_authorization(compact).unwrap();
        assert_eq!(a.access_key_id, "ak");
        assert_eq!(a.date, "20250102");
        assert_eq!(a.region, "cn-hangzhou");
        assert_eq!(a.product, "oss");
        assert_eq!(a.additional_headers, vec!["host", "range"]);
        assert_eq!(a.signature, "abc");
        let oss2 = "OSS4-HMAC-SHA256 Credential=ak/20250102/cn-hangzhou/oss/aliyun_v4_request, Signature=abc, AdditionalHeaders=range;host";
        assert_eq!(parse_v4_authorization(oss2).unwrap(), a);
        let bare = "OSS4-HMAC-SHA256 Credential=ak/20250102/cn-hangzhou/oss/aliyun_v4_request,Signature=abc";
        assert!(
            parse_v4_authorization(bare)
                .unwrap()
                .additional_headers
                .is_empty()
        );
        for bad in [
            "OSS4-HMAC-SHA256 Credential=ak/20250102/cn-hangzhou/oss/aliyun_v4_request",
            "OSS4-HMAC-SHA256 Signature=abc",
            "OSS4-HMAC-SHA256 Credential=ak/20250102/cn-hangzhou/oss/other,Signature=a",
            "OSS4-HMAC-SHA256 Credential=ak/x,Signature=a",
        ] {
            assert_eq!(
                parse_v4_authorization(bad).unwrap_err().code,
                ErrorCode::InvalidArgument,
                "{bad}"
            );
        }
        assert_eq!(
            parse_v1_authorization("OSS ak:c2ln").unwrap(),
            ("ak", "c2ln")
        );
        assert!(parse_v1_authorization("OSS ak").is_err());
    }

    #[test]
    fn skew_error_names_both_times() {
        let now = UNIX_EPOCH + Duration::from_secs(1_722_513_600);
        let req = now - Duration::from_secs(1200);
        assert!(check_skew(now - Duration::from_secs(900), now).is_ok());
        let e = check_skew(req, now).unwrap_err();
        assert_eq!(e.code, ErrorCode::RequestTimeTooSkewed);
        let xml = e.to_xml("r", "h");
        assert!(xml.contains("<RequestTime>2024-08-01T11:40:00.000Z</RequestTime>"));
        assert!(xml.contains("<ServerTime>2024-08-01T12:00:00.000Z</ServerTime>"));
        assert!(xml.contains("<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>"));
    }
}
