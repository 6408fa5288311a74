//! What the STS-based providers share: endpoint selection, request parameters, response
//! parsing (STS API `AssumeRole` and `AssumeRoleWithOIDC`, version 2015-04-01, JSON).

use std::time::SystemTime;

use bytes::Bytes;
use serde::Deserialize;

use crate::http_client::{HttpError, HttpErrorKind, SharedHttpClient};
use crate::{Credentials, CredentialsError, Env};

/// The STS API version.
pub(crate) const VERSION: &str = "2015-04-01";

/// Where STS requests go, resolved as the official credentials libraries do: an explicit
/// endpoint wins; else `sts-vpc` when VPC endpoints are enabled (argument, or
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`) and a region is known, otherwise `sts`; the region
/// from the argument or `ALIBABA_CLOUD_STS_REGION`; `sts.aliyuncs.com` without a region.
/// An explicit endpoint may carry its scheme (`http://127.0.0.1:8080` for a local fake);
/// otherwise `https://` is used.
pub(crate) fn resolve_endpoint(
    explicit: Option<&str>,
    region: Option<&str>,
    enable_vpc: Option<bool>,
    env: &Env,
) -> String {
    if let Some(endpoint) = explicit.filter(|e| !e.is_empty()) {
        let endpoint = endpoint.trim_end_matches('/');
        return if endpoint.contains("://") {
            endpoint.to_owned()
        } else {
            format!("https://{endpoint}")
        };
    }
    let vpc = enable_vpc.unwrap_or_else(|| {
        env.get("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    });
    let region = region
        .map(str::to_owned)
        .or_else(|| env.get_non_empty("ALIBABA_CLOUD_STS_REGION"));
    match region {
        Some(region) if vpc => format!("https://sts-vpc.{region}.aliyuncs.com"),
        Some(region) => format!("https://sts.{region}.aliyuncs.com"),
        None => "https://sts.aliyuncs.com".to_owned(),
    }
}

/// The STS timestamp: UTC `yyyy-MM-ddTHH:mm:ssZ`.
pub(crate) fn timestamp(now: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(now);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// A fresh random nonce (128 bits, hex) for every attempt.
pub(crate) fn nonce() -> String {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 16];
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `application/x-www-form-urlencoded` body with strict percent-encoding (space `%20`).
pub(crate) fn form_body(params: &[(String, String)]) -> Bytes {
    let mut out = String::new();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        crate::sign::uri_encode_into(&mut out, name, false);
        out.push('=');
        crate::sign::uri_encode_into(&mut out, value, false);
    }
    Bytes::from(out)
}

/// The query string of `params`.
pub(crate) fn query_string(params: &[(String, String)]) -> String {
    String::from_utf8_lossy(&form_body(params)).into_owned()
}

/// Parses an expiration: RFC 3339 (`2015-04-09T11:52:19Z`, fractions and offsets accepted).
pub(crate) fn parse_expiration(text: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(SystemTime::from)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials {
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsResponse {
    credentials: Option<StsCredentials>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

/// Sends an STS request and turns the answer into credentials named `provider`.
pub(crate) async fn call(
    http: &SharedHttpClient,
    request: http::Request<Bytes>,
    timeout: std::time::Duration,
    provider: &'static str,
) -> Result<Credentials, CredentialsError> {
    let response = http
        .send(request, timeout)
        .await
        .map_err(|e| transport_error(provider, "STS", e))?;
    let status = response.status();
    let parsed: Option<StsResponse> = serde_json::from_slice(response.body()).ok();
    if !status.is_success() {
        let (code, message, request_id) = parsed
            .map(|p| (p.code, p.message, p.request_id))
            .unwrap_or_default();
        return Err(CredentialsError::provider_error(
            provider,
            format!(
                "STS answered HTTP {}: {} {} (request id {})",
                status.as_u16(),
                code.as_deref().unwrap_or("no code"),
                message.as_deref().unwrap_or(""),
                request_id.as_deref().unwrap_or("none")
            ),
        ));
    }
    let credentials = parsed.and_then(|p| p.credentials).ok_or_else(|| {
        CredentialsError::provider_error(provider, "the STS answer has no Credentials")
    })?;
    build_credentials(
        provider,
        credentials.access_key_id,
        credentials.access_key_secret,
        credentials.security_token,
        credentials.expiration.as_deref(),
        true,
    )
}

/// Checks and assembles temporary credentials from a JSON answer.
pub(crate) fn build_credentials(
    provider: &'static str,
    id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
    expiration: Option<&str>,
    token_required: bool,
) -> Result<Credentials, CredentialsError> {
    let missing = |what: &str| {
        CredentialsError::provider_error(provider, format!("the answer has no {what}"))
    };
    let id = id
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("AccessKeyId"))?;
    let secret = secret
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("AccessKeySecret"))?;
    let mut builder = Credentials::builder()
        .access_key_id(id)
        .access_key_secret(secret)
        .provider_name(provider);
    match token.filter(|v| !v.is_empty()) {
        Some(token) => builder = builder.security_token(token),
        None if token_required => return Err(missing("SecurityToken")),
        None => {}
    }
    if let Some(text) = expiration.filter(|t| !t.is_empty()) {
        let expiration = parse_expiration(text).ok_or_else(|| {
            CredentialsError::provider_error(provider, format!("unreadable Expiration {text:?}"))
        })?;
        builder = builder.expiration(expiration);
    }
    builder.build()
}

/// A transport failure as a credentials error (timeouts keep their kind).
pub(crate) fn transport_error(
    provider: &'static str,
    what: &str,
    e: HttpError,
) -> CredentialsError {
    let message = format!("cannot reach {what}: {e}");
    match e.kind() {
        HttpErrorKind::Timeout => CredentialsError::timed_out(provider, message),
        _ => CredentialsError::provider_error(provider, message),
    }
    .with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_selection() {
        let none = Env::from_pairs(Vec::<(String, String)>::new());
        assert_eq!(
            resolve_endpoint(None, None, None, &none),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            resolve_endpoint(None, Some("cn-beijing"), None, &none),
            "https://sts.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            resolve_endpoint(None, Some("cn-beijing"), Some(true), &none),
            "https://sts-vpc.cn-beijing.aliyuncs.com"
        );
        let env = Env::from_pairs([
            ("ALIBABA_CLOUD_STS_REGION", "cn-shanghai"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "TRUE"),
        ]);
        assert_eq!(
            resolve_endpoint(None, None, None, &env),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            resolve_endpoint(None, None, Some(false), &env),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        let vpc_only = Env::from_pairs([("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true")]);
        assert_eq!(
            resolve_endpoint(None, None, None, &vpc_only),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            resolve_endpoint(Some("sts.example.com"), None, None, &env),
            "https://sts.example.com"
        );
        assert_eq!(
            resolve_endpoint(Some("http://127.0.0.1:9/"), None, None, &env),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn timestamps_and_expirations() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_704_067_200);
        assert_eq!(timestamp(t), "2024-01-01T00:00:00Z");
        assert_eq!(parse_expiration("2024-01-01T00:00:00Z"), Some(t));
        assert_eq!(parse_expiration("2024-01-01T08:00:00+08:00"), Some(t));
        assert!(parse_expiration("yesterday").is_none());
        assert_eq!(nonce().len(), 32);
        assert_ne!(nonce(), nonce());
    }
}
