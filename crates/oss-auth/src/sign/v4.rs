//! OSS V4 signing (`OSS4-HMAC-SHA256`) of headers and presigned URLs.
//!
//! Follows "Include a V4 signature in the Authorization header" and "V4 signatures in presigned
//! URLs" (OSS API reference); the byte-level rules are restated in `docs/signing.md`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, DATE, HeaderMap, HeaderName, HeaderValue};
use smallvec::SmallVec;
use zeroize::Zeroize as _;

use super::date_headers::DateHeaders;
use super::encode::{uri_encode, uri_encode_bytes};
use super::query::QueryParams;
use super::sha256::{HmacSha256Key, sha256};
use super::signing_key::{SigningKey, SigningKeyCache};
use super::timestamp::SigningTime;
use super::{
    SignableRequest, SigningOutput, SigningParams, header_value, hex_lower, owned_header_value,
};
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
    let mut out = Vec::with_capacity(date.len() + region.len() + product.len() + 20);
    write_scope(&mut out, date, region, product);
    into_string(out)
}

fn write_scope(out: &mut Vec<u8>, date: &str, region: &str, product: &str) {
    put(out, date);
    out.push(b'/');
    put(out, region);
    out.push(b'/');
    put(out, product);
    put(out, "/aliyun_v4_request");
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
    let mut out = Vec::with_capacity(256 + inputs.key.map_or(0, str::len) * 3);
    write_canonical_request(&mut out, inputs);
    into_string(out)
}

/// Texts are built as bytes from `str` pieces, so they are UTF-8.
fn into_string(text: Vec<u8>) -> String {
    String::from_utf8(text).expect("signing texts are built from str pieces")
}

fn put(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
}

/// Writes the canonical request:
/// method, URI, query, headers (each followed by `\n`), a blank line, additional header names,
/// and the payload hash, separated by `\n`.
fn write_canonical_request(out: &mut Vec<u8>, inputs: &CanonicalInputs<'_>) {
    put(out, inputs.method);
    out.push(b'\n');
    write_canonical_uri(out, inputs.bucket, inputs.key);
    out.push(b'\n');
    write_canonical_query(out, inputs.query);
    out.push(b'\n');
    let signed = signed_header_values(inputs.headers, inputs.additional_headers);
    let mut payload = UNSIGNED_PAYLOAD;
    for (i, &(name, value)) in signed.iter().enumerate() {
        let repeat = i > 0 && signed[i - 1].0 == name;
        if repeat {
            out.push(b',');
        } else {
            if i > 0 {
                out.push(b'\n');
            }
            put(out, name);
            out.push(b':');
        }
        push_trimmed(out, value);
        if name == X_OSS_CONTENT_SHA256.as_str() && !repeat {
            payload = value.to_str().unwrap_or(UNSIGNED_PAYLOAD);
        }
    }
    if !signed.is_empty() {
        out.push(b'\n');
    }
    out.push(b'\n');
    for (i, name) in inputs.additional_headers.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        put(out, name);
    }
    out.push(b'\n');
    put(out, payload);
}

/// The headers a signature covers, as (lower-case name, trimmed value) in canonical order:
/// what whoever uses a presigned URL must send.
pub fn signed_headers(headers: &HeaderMap, additional: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in signed_header_values(headers, additional) {
        match out.last_mut() {
            Some((last, joined)) if last == name => {
                joined.push(',');
                joined.push_str(&trimmed(value));
            }
            _ => out.push((name.to_owned(), trimmed(value).into_owned())),
        }
    }
    out
}

/// Up to this many signed header values are sorted on the stack.
const INLINE_HEADERS: usize = 16;

/// Every value of every signed header (`HeaderName`s are already lower-case), sorted by name;
/// the values of one name stay in the order they were added.
fn signed_header_values<'h>(
    headers: &'h HeaderMap,
    additional: &[String],
) -> SmallVec<[(&'h str, &'h HeaderValue); INLINE_HEADERS]> {
    let mut values: SmallVec<[(&str, &HeaderValue); INLINE_HEADERS]> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value))
        .filter(|(name, _)| is_default_signed(name) || additional.iter().any(|a| a == name))
        .collect();
    values.sort_by(|a, b| a.0.cmp(b.0));
    values
}

/// Appends [`trimmed`] `value`.
fn push_trimmed(out: &mut Vec<u8>, value: &HeaderValue) {
    let bytes = value.as_bytes().trim_ascii();
    if bytes.is_ascii() {
        out.extend_from_slice(bytes);
    } else {
        put(out, &String::from_utf8_lossy(bytes));
    }
}

/// A header value with ASCII whitespace trimmed from both ends; invalid UTF-8 becomes U+FFFD.
fn trimmed(value: &HeaderValue) -> Cow<'_, str> {
    let bytes = value.as_bytes().trim_ascii();
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// `UriEncode("/" + bucket + "/" + key, keep_slash)`; `/` for service-level requests.
fn write_canonical_uri(out: &mut Vec<u8>, bucket: Option<&str>, key: Option<&str>) {
    out.push(b'/');
    if let Some(bucket) = bucket {
        uri_encode_bytes(out, bucket, true);
        out.push(b'/');
    }
    if let Some(key) = key {
        uri_encode_bytes(out, key, true);
    }
}

fn write_canonical_query(out: &mut Vec<u8>, query: &QueryParams) {
    if query.is_empty() {
        return;
    }
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| (uri_encode(n, false), uri_encode(v.unwrap_or(""), false)))
        .collect();
    pairs.sort_unstable();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        put(out, name);
        if !value.is_empty() {
            out.push(b'=');
            put(out, value);
        }
    }
}

/// `OSS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex sha256(canonical request)>`.
pub fn string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    let hash = sha256(canonical_request.as_bytes());
    let mut out = Vec::with_capacity(ALGORITHM.len() + timestamp.len() + scope.len() + 67);
    write_string_to_sign(&mut out, timestamp, scope, hash.as_ref());
    into_string(out)
}

fn write_string_to_sign(
    out: &mut Vec<u8>,
    timestamp: &str,
    scope: &str,
    canonical_request_hash: &[u8],
) {
    put(out, ALGORITHM);
    out.push(b'\n');
    put(out, timestamp);
    out.push(b'\n');
    put(out, scope);
    out.push(b'\n');
    hex_lower(out, canonical_request_hash);
}

/// The hex signature of `string_to_sign` under a signing key.
pub(crate) fn signature(key: &HmacSha256Key, string_to_sign: &str) -> String {
    let tag = key.sign(string_to_sign.as_bytes());
    let mut out = Vec::with_capacity(64);
    hex_lower(&mut out, tag.as_ref());
    into_string(out)
}

/// The request with every header or query parameter the signature covers already set.
struct Prepared<'r, 'p> {
    inputs: CanonicalInputs<'r>,
    params: &'p SigningParams<'p>,
    time: &'r SigningTime,
}

impl<'r, 'p> Prepared<'r, 'p> {
    fn new(
        req: &'r SignableRequest<'_>,
        params: &'p SigningParams<'p>,
        time: &'r SigningTime,
        additional_headers: &'r [String],
    ) -> Self {
        Self {
            inputs: CanonicalInputs {
                method: req.method,
                bucket: req.bucket,
                key: req.key,
                query: req.query,
                headers: req.headers,
                additional_headers,
            },
            params,
            time,
        }
    }

    fn key(&self, keys: &SigningKeyCache) -> Arc<SigningKey> {
        keys.get(
            self.params.credentials.expose_access_key_secret(),
            self.time.v4_date(),
            self.params.region,
            self.params.product,
        )
    }

    /// Writes `OSS4-HMAC-SHA256 Credential=<id>/<scope>[,AdditionalHeaders=<a;b>],Signature=<hex>`.
    fn write_authorization(&self, out: &mut Vec<u8>, key: &SigningKey, signature: &[u8]) {
        put(out, ALGORITHM);
        put(out, " Credential=");
        put(out, self.params.credentials.access_key_id());
        out.push(b'/');
        put(out, &key.scope);
        for (i, name) in self.inputs.additional_headers.iter().enumerate() {
            put(out, if i == 0 { ",AdditionalHeaders=" } else { ";" });
            put(out, name);
        }
        put(out, ",Signature=");
        hex_lower(out, signature);
    }

    /// Writes the canonical request and the string to sign into `texts`, replacing their text.
    fn write_texts(&self, key: &SigningKey, texts: &mut Texts) {
        texts.canonical_request.clear();
        write_canonical_request(&mut texts.canonical_request, &self.inputs);
        let hash = sha256(&texts.canonical_request);
        texts.string_to_sign.clear();
        write_string_to_sign(
            &mut texts.string_to_sign,
            self.time.v4_timestamp(),
            &key.scope,
            hash.as_ref(),
        );
    }

    /// The `Authorization` value, its texts built in this thread's [`SCRATCH`] buffers (in
    /// fresh ones while the thread's locals are being destroyed).
    fn authorization(&self, key: &SigningKey) -> Bytes {
        SCRATCH
            .try_with(|texts| self.authorization_in(key, &mut texts.borrow_mut()))
            .unwrap_or_else(|_| self.authorization_in(key, &mut Texts::new()))
    }

    /// The `Authorization` value, built in `texts`, which are released before it returns.
    fn authorization_in(&self, key: &SigningKey, texts: &mut Texts) -> Bytes {
        self.write_texts(key, texts);
        let tag = key.hmac.sign(&texts.string_to_sign);
        texts.authorization.clear();
        self.write_authorization(&mut texts.authorization, key, tag.as_ref());
        let value = Bytes::copy_from_slice(&texts.authorization);
        let holds_token = self.params.credentials.expose_security_token().is_some();
        texts.release(holds_token);
        value
    }

    /// The signature with every intermediate text, for diagnostics and test vectors.
    fn explain(&self, key: &SigningKey) -> (SigningOutput, [u8; 32]) {
        let mut texts = Texts::new();
        self.write_texts(key, &mut texts);
        let tag = key.hmac.sign(&texts.string_to_sign);
        let mut signature = Vec::with_capacity(64);
        hex_lower(&mut signature, tag.as_ref());
        let output = SigningOutput {
            signature: into_string(signature),
            canonical_request: Some(into_string(texts.canonical_request)),
            string_to_sign: into_string(texts.string_to_sign),
            signing_key: Some(key.raw.clone()),
            authorization: None,
            signed_headers: Vec::new(),
        };
        (output, tag)
    }
}

/// The texts of one signature, as bytes.
struct Texts {
    canonical_request: Vec<u8>,
    string_to_sign: Vec<u8>,
    authorization: Vec<u8>,
}

impl Texts {
    const fn new() -> Self {
        Self {
            canonical_request: Vec::new(),
            string_to_sign: Vec::new(),
            authorization: Vec::new(),
        }
    }

    /// Above this many bytes a buffer is freed after use rather than kept for the thread.
    const KEPT_CAPACITY: usize = 16 * 1024;

    /// Ends a use: zeroes the canonical request when it holds the STS token (`holds_token`;
    /// no other credential appears in the texts) and frees any buffer grown past
    /// [`Self::KEPT_CAPACITY`].
    fn release(&mut self, holds_token: bool) {
        if holds_token {
            self.canonical_request.zeroize();
        }
        for text in [
            &mut self.canonical_request,
            &mut self.string_to_sign,
            &mut self.authorization,
        ] {
            if text.capacity() > Self::KEPT_CAPACITY {
                *text = Vec::new();
            }
        }
    }
}

thread_local! {
    /// Buffers every header signature on this thread reuses, instead of allocating three per
    /// request (about a tenth of a signature's time). See [`Texts::release`] for what is kept.
    static SCRATCH: RefCell<Texts> = const { RefCell::new(Texts::new()) };
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

/// Sets the headers header signing covers or needs: `x-oss-date`, `x-oss-content-sha256`
/// (when absent), `x-oss-security-token` (with an STS token, else removed) and `Date`.
fn set_signing_headers(
    headers: &mut HeaderMap,
    params: &SigningParams<'_>,
    dates: DateHeaders,
) -> Result<(), SigningError> {
    headers.reserve(5); // grow once, not once per header
    headers.insert(X_OSS_DATE.clone(), dates.v4_timestamp);
    headers
        .entry(&X_OSS_CONTENT_SHA256)
        .or_insert_with(|| HeaderValue::from_static(UNSIGNED_PAYLOAD));
    match params.credentials.expose_security_token() {
        Some(token) => {
            headers.insert(X_OSS_SECURITY_TOKEN.clone(), header_value(token, true)?);
        }
        None => {
            headers.remove(&X_OSS_SECURITY_TOKEN);
        }
    }
    headers.insert(DATE, dates.http_date);
    Ok(())
}

/// Sets the signing headers, then runs `finish` on the request as it will be signed.
fn prepare_headers<T>(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
    finish: impl FnOnce(&Prepared<'_, '_>) -> T,
) -> Result<T, SigningError> {
    check_region(params)?;
    let dates = DateHeaders::at(params.time)?;
    let time = dates.time.clone();
    set_signing_headers(req.headers, params, dates)?;
    let additional = effective_additional_headers(params.additional_headers, req.headers);
    Ok(finish(&Prepared::new(req, params, &time, &additional)))
}

/// Signs a request in its headers: sets `x-oss-date`, `x-oss-content-sha256` (when absent),
/// `x-oss-security-token` (with an STS token), `Date`, and `Authorization` (marked sensitive, as
/// is the token). The canonical request and string to sign are not returned:
/// [`sign_headers_explained`] returns them.
///
/// # Errors
/// [`SigningErrorKind::MissingRegion`], [`SigningErrorKind::InvalidTime`], or
/// [`SigningErrorKind::InvalidHeaderValue`] when the AccessKeyId or token cannot be a header.
pub fn sign_headers(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
    keys: &SigningKeyCache,
) -> Result<(), SigningError> {
    let authorization = prepare_headers(req, params, |prepared| {
        prepared.authorization(&prepared.key(keys))
    })?;
    req.headers
        .insert(AUTHORIZATION, owned_header_value(authorization, true)?);
    Ok(())
}

/// [`sign_headers`], also returning the canonical request, the string to sign, the signing key
/// and the `Authorization` value.
///
/// # Errors
/// Those of [`sign_headers`].
pub fn sign_headers_explained(
    req: &mut SignableRequest<'_>,
    params: &SigningParams<'_>,
    keys: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    let (mut output, authorization) = prepare_headers(req, params, |prepared| {
        let key = prepared.key(keys);
        let (output, tag) = prepared.explain(&key);
        let mut authorization = Vec::new();
        prepared.write_authorization(&mut authorization, &key, tag.as_ref());
        (output, authorization)
    })?;
    let authorization = into_string(authorization);
    req.headers
        .insert(AUTHORIZATION, header_value(&authorization, true)?);
    output.authorization = Some(authorization);
    Ok(output)
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
    query.set("x-oss-date", time.v4_timestamp());
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
    let prepared = Prepared::new(req, params, &time, &additional);
    let (mut output, _) = prepared.explain(&prepared.key(keys));
    req.query.push("x-oss-signature", output.signature.as_str());
    output.signed_headers = signed_headers(req.headers, &additional);
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn released_texts_keep_small_buffers_and_free_large_ones() {
        let mut texts = Texts::new();
        texts
            .canonical_request
            .extend_from_slice(b"x-oss-security-token:secret\n");
        texts.string_to_sign.resize(Texts::KEPT_CAPACITY + 1, b'a');
        texts
            .authorization
            .extend_from_slice(b"OSS4-HMAC-SHA256 Credential=");
        let kept = texts.authorization.capacity();
        texts.release(true);
        assert!(texts.canonical_request.is_empty());
        assert!(texts.canonical_request.capacity() > 0, "small buffers stay");
        assert_eq!(
            texts.string_to_sign.capacity(),
            0,
            "a large buffer is freed"
        );
        assert_eq!(texts.authorization.capacity(), kept);
    }
}
