//! The STS fake: `AssumeRole` (signed, POP v1 HMAC-SHA1) and `AssumeRoleWithOIDC`
//! (unsigned), at `/`, GET or POST, parameters in the query and/or a form body.

use std::time::Duration;

use base64::Engine as _;
use http::{Method, StatusCode};
use subtle::ConstantTimeEq as _;

use super::issue::{self, Issued};
use super::shared::FakeShared;
use super::{FakeRequest, PopError, check_nonce, check_timestamp, json, param, signed_params};
use crate::http_util::Resp;

const VERSION: &str = "2015-04-01";
const DEFAULT_DURATION: u64 = 3600;
const MIN_DURATION: u64 = 900;
const MAX_DURATION: u64 = 43_200;

/// Serves one STS request.
pub(crate) fn handle(shared: &FakeShared, req: &FakeRequest) -> Resp {
    let host = req.host();
    match respond(shared, req) {
        Ok(resp) => resp,
        Err(e) => {
            tracing::info!(code = %e.code, "STS request refused");
            e.into_response(&host)
        }
    }
}

fn respond(shared: &FakeShared, req: &FakeRequest) -> Result<Resp, PopError> {
    let (params, action) = super::rpc_action(req, VERSION)?;
    match action.as_str() {
        "AssumeRole" => assume_role(shared, req, &params),
        "AssumeRoleWithOIDC" => assume_role_with_oidc(shared, &params),
        other => Err(PopError::new(
            400,
            "InvalidAction.NotFound",
            format!("Specified api is not found, please check your url and method: {other}."),
        )),
    }
}

/// Checks the POP v1 HMAC-SHA1 signature, the caller's key (and token), time and nonce.
fn authenticate(
    shared: &FakeShared,
    method: &Method,
    params: &[(String, String)],
) -> Result<(), PopError> {
    let now = shared.now();
    let signature_method =
        param(params, "SignatureMethod").ok_or_else(|| PopError::missing("SignatureMethod"))?;
    if signature_method != "HMAC-SHA1" {
        return Err(PopError::new(
            400,
            "InvalidParameter.SignatureMethod",
            format!("Specified signature method is not supported: {signature_method}."),
        ));
    }
    let signature_version =
        param(params, "SignatureVersion").ok_or_else(|| PopError::missing("SignatureVersion"))?;
    if signature_version != "1.0" {
        return Err(PopError::new(
            400,
            "InvalidParameter.SignatureVersion",
            format!("Specified signature version is not supported: {signature_version}."),
        ));
    }
    let access_key_id =
        param(params, "AccessKeyId").ok_or_else(|| PopError::missing("AccessKeyId"))?;
    let provided = param(params, "Signature").ok_or_else(|| PopError::missing("Signature"))?;
    check_timestamp(params, now)?;
    let key = shared
        .keys_read()
        .get(access_key_id)
        .cloned()
        .ok_or_else(|| {
            PopError::new(
                404,
                "InvalidAccessKeyId.NotFound",
                format!("Specified access key is not found: {access_key_id}."),
            )
        })?;
    let string_to_sign = oss_auth::pop::string_to_sign(method.as_str(), &signed_params(params));
    let expected = oss_auth::pop::hmac_sha1_signature(&key.secret, &string_to_sign);
    if !bool::from(expected.as_bytes().ct_eq(provided.as_bytes())) {
        return Err(PopError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        ));
    }
    match (&key.security_token, param(params, "SecurityToken")) {
        (None, None) => {}
        (Some(expected), Some(got)) if bool::from(expected.as_bytes().ct_eq(got.as_bytes())) => {
            if key.expiration.is_some_and(|exp| now > exp) {
                return Err(PopError::new(
                    400,
                    "InvalidSecurityToken.Expired",
                    "Specified SecurityToken is expired.",
                ));
            }
        }
        (Some(_), None) => {
            return Err(PopError::new(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "A temporary AccessKeyId needs its SecurityToken.",
            ));
        }
        _ => {
            return Err(PopError::new(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            ));
        }
    }
    check_nonce(shared, params, now)
}

/// `acs:ram::<digits>:<kind>/<name>`.
fn well_formed_arn(arn: &str, kind: &str) -> bool {
    let Some(rest) = arn.strip_prefix("acs:ram::") else {
        return false;
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return false;
    };
    !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource
            .strip_prefix(kind)
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|name| !name.is_empty())
}

/// `RoleArn`, `RoleSessionName` and `DurationSeconds`, validated.
fn role_params<'a>(
    shared: &FakeShared,
    params: &'a [(String, String)],
) -> Result<(&'a str, &'a str, u64), PopError> {
    let role_arn = param(params, "RoleArn").unwrap_or("");
    if !well_formed_arn(role_arn, "role") {
        return Err(PopError::new(
            400,
            "InvalidParameter.RoleArn",
            format!("The parameter RoleArn is wrongly formed: '{role_arn}'."),
        ));
    }
    if role_arn != shared.config.role_arn {
        return Err(PopError::new(
            404,
            "EntityNotExist.Role",
            format!("The specified Role does not exist: {role_arn}."),
        ));
    }
    let session =
        param(params, "RoleSessionName").ok_or_else(|| PopError::missing("RoleSessionName"))?;
    let session_ok = (2..=64).contains(&session.len())
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".@_-".contains(&b));
    if !session_ok {
        return Err(PopError::new(
            400,
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrongly formed: 2 to 64 characters of [A-Za-z0-9.@_-].",
        ));
    }
    let duration = match param(params, "DurationSeconds") {
        None => DEFAULT_DURATION,
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|d| (MIN_DURATION..=MAX_DURATION).contains(d))
            .ok_or_else(|| {
                PopError::new(
                    400,
                    "InvalidParameter.DurationSeconds",
                    format!("The DurationSeconds must be from 900 to 43200 (the role's MaxSessionDuration): '{raw}'."),
                )
            })?,
    };
    Ok((role_arn, session, duration))
}

fn credentials_json(issued: &Issued) -> serde_json::Value {
    serde_json::json!({
        "AccessKeyId": issued.access_key_id,
        "AccessKeySecret": issued.access_key_secret,
        "SecurityToken": issued.security_token,
        "Expiration": issue::iso8601_seconds(issued.expiration),
    })
}

fn assumed_role_user(role_arn: &str, session: &str) -> serde_json::Value {
    serde_json::json!({
        "Arn": format!("{role_arn}/{session}"),
        "AssumedRoleId": format!("3{}:{session}", issue::random_digits(17)),
    })
}

fn assume_role(
    shared: &FakeShared,
    req: &FakeRequest,
    params: &[(String, String)],
) -> Result<Resp, PopError> {
    authenticate(shared, &req.method, params)?;
    let (role_arn, session, duration) = role_params(shared, params)?;
    let issued = issue::temporary(shared, Duration::from_secs(duration));
    let body = serde_json::json!({
        "RequestId": super::request_id(),
        "AssumedRoleUser": assumed_role_user(role_arn, session),
        "Credentials": credentials_json(&issued),
    });
    Ok(json(StatusCode::OK, &body))
}

/// Subject, issuer and audiences from a JWT's payload, when the token is one.
fn jwt_claims(token: &str) -> Option<(String, String, String)> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    let subject = claims.get("sub").and_then(text).unwrap_or_default();
    let issuer = claims.get("iss").and_then(text).unwrap_or_default();
    let audiences = match claims.get("aud") {
        Some(serde_json::Value::String(a)) => a.clone(),
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    };
    Some((subject, issuer, audiences))
}

fn assume_role_with_oidc(
    shared: &FakeShared,
    params: &[(String, String)],
) -> Result<Resp, PopError> {
    let token = param(params, "OIDCToken")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| PopError::missing("OIDCToken"))?;
    shared.record_oidc_token(token);
    let provider = param(params, "OIDCProviderArn").unwrap_or("");
    if !well_formed_arn(provider, "oidc-provider") {
        return Err(PopError::new(
            400,
            "InvalidParameter.OIDCProviderArn",
            format!("The parameter OIDCProviderArn is wrongly formed: '{provider}'."),
        ));
    }
    if provider != shared.config.oidc_provider_arn {
        return Err(PopError::new(
            404,
            "EntityNotExist.OIDCProvider",
            format!("The specified OIDC provider does not exist: {provider}."),
        ));
    }
    let (role_arn, session, duration) = role_params(shared, params)?;
    let issued = issue::temporary(shared, Duration::from_secs(duration));
    let (subject, issuer, client_ids) = jwt_claims(token).unwrap_or_else(|| {
        (
            "system:serviceaccount:default:emulator".to_owned(),
            "https://oidc.emulator.invalid".to_owned(),
            "sts.aliyuncs.com".to_owned(),
        )
    });
    let body = serde_json::json!({
        "RequestId": super::request_id(),
        "AssumedRoleUser": assumed_role_user(role_arn, session),
        "Credentials": credentials_json(&issued),
        "OIDCTokenInfo": {
            "Subject": subject,
            "Issuer": issuer,
            "ClientIds": client_ids,
            "IssuanceTime": issue::iso8601_seconds(issued.issued_at),
            "ExpirationTime": issue::iso8601_seconds(issued.expiration),
        },
        "SourceIdentity": "",
    });
    Ok(json(StatusCode::OK, &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_jwt() {
        assert!(well_formed_arn("acs:ram::123:role/r", "role"));
        assert!(!well_formed_arn("acs:ram::12a:role/r", "role"));
        assert!(!well_formed_arn("acs:ram::123:role/", "role"));
        assert!(!well_formed_arn("acs:ram::123:oidc-provider/x", "role"));
        assert!(well_formed_arn(
            "acs:ram::123:oidc-provider/x",
            "oidc-provider"
        ));
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"s","iss":"i","aud":["a","b"]}"#);
        assert_eq!(
            jwt_claims(&format!("h.{payload}.sig")),
            Some(("s".into(), "i".into(), "a,b".into()))
        );
        assert_eq!(jwt_claims("opaque"), None);
    }
}
