//! PostObject's V4 policy check (OSS API reference "PostObject", "Signature version 4 for
//! PostObject"): the signature of the base64 policy, then its expiration and conditions
//! against the posted form.
//!
//! Conditions: `{"field": "value"}` and `["eq", "$field", "value"]` (exact),
//! `["starts-with", "$field", "prefix"]`, `["in", "$field", [values]]`,
//! `["not-in", "$field", [values]]` and `["content-length-range", min, max]`. Field names are
//! compared case-insensitively, `$bucket` is the bucket posted to.

use std::time::SystemTime;

use base64::Engine as _;
use oss_auth::sign::{parse_v4_timestamp, post_policy_signature};
use serde_json::Value;
use subtle::ConstantTimeEq as _;

use crate::error::{ErrorCode, OssError};
use crate::keys::KeyStore;

/// The posted form fields, names lower-cased, in order (the file excluded).
#[derive(Debug, Default)]
pub(crate) struct FormFields(pub(crate) Vec<(String, String)>);

impl FormFields {
    /// The value of `name` (lower-case).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn denied(message: impl Into<String>) -> OssError {
    OssError::new(ErrorCode::AccessDenied, message)
}

fn invalid_policy(message: &str) -> OssError {
    OssError::new(
        ErrorCode::InvalidPolicyDocument,
        format!("Invalid Policy: {message}"),
    )
}

fn missing(field: &str) -> OssError {
    OssError::new(
        ErrorCode::InvalidArgument,
        format!("Bucket POST must contain a field named '{field}'."),
    )
}

/// Checks the signature and the policy of a V4 form posted to `bucket` with a file of `size`
/// bytes, at server time `now`.
///
/// # Errors
/// 400 `InvalidArgument` for a missing field; 501 `NotImplemented` for a V1 form;
/// `InvalidAccessKeyId`, `InvalidSecurityToken`, `SecurityTokenExpired`; 403
/// `SignatureDoesNotMatch`; 400 `InvalidPolicyDocument` for a policy that is not base64 JSON
/// with `expiration` and `conditions`; 403 `AccessDenied` for an expired policy or a failed
/// condition; 400 `EntityTooSmall` / `EntityTooLarge` outside `content-length-range`.
pub(crate) fn verify(
    keys: &KeyStore,
    region: &str,
    now: SystemTime,
    form: &FormFields,
    bucket: &str,
    size: u64,
) -> Result<(), OssError> {
    let policy = form.get("policy").ok_or_else(|| {
        denied("Anonymous access is forbidden: a form upload needs a signed policy.")
    })?;
    if form.get("ossaccesskeyid").is_some() || form.get("signature").is_some() {
        return Err(OssError::new(
            ErrorCode::NotImplemented,
            "The emulator implements V4 form uploads only (x-oss-signature-version).",
        ));
    }
    let version = form
        .get("x-oss-signature-version")
        .ok_or_else(|| missing("x-oss-signature-version"))?;
    if version != "OSS4-HMAC-SHA256" {
        return Err(OssError::new(
            ErrorCode::InvalidArgument,
            "x-oss-signature-version must be OSS4-HMAC-SHA256.",
        ));
    }
    let credential = form
        .get("x-oss-credential")
        .ok_or_else(|| missing("x-oss-credential"))?;
    let date = form
        .get("x-oss-date")
        .ok_or_else(|| missing("x-oss-date"))?;
    let signature = form
        .get("x-oss-signature")
        .ok_or_else(|| missing("x-oss-signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, day, scope_region, "oss", "aliyun_v4_request"] = scope[..] else {
        return Err(OssError::new(
            ErrorCode::InvalidArgument,
            "x-oss-credential must be <AccessKeyId>/<date>/<region>/oss/aliyun_v4_request.",
        ));
    };
    if scope_region != region || parse_v4_timestamp(date).is_none() || !date.starts_with(day) {
        return Err(OssError::new(
            ErrorCode::InvalidArgument,
            format!("x-oss-credential or x-oss-date does not match region {region}."),
        ));
    }
    let key = keys.lookup(access_key_id)?;
    key.check_token(form.get("x-oss-security-token"), now)?;
    let expected = post_policy_signature(&key.secret, day, region, policy);
    if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
        return Err(OssError::new(
            ErrorCode::SignatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided.",
        ));
    }
    check_policy(policy, now, form, bucket, size)
}

/// The policy's expiration and conditions.
fn check_policy(
    policy: &str,
    now: SystemTime,
    form: &FormFields,
    bucket: &str,
    size: u64,
) -> Result<(), OssError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(policy)
        .map_err(|_| invalid_policy("the policy is not base64."))?;
    let Ok(Value::Object(json)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(invalid_policy("Invalid JSON."));
    };
    let expiration = json
        .get("expiration")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid_policy("Policy has no expiration."))?;
    let expiration =
        time::OffsetDateTime::parse(expiration, &time::format_description::well_known::Rfc3339)
            .map_err(|_| invalid_policy("Invalid expiration."))?;
    if now > SystemTime::from(expiration) {
        return Err(denied("Invalid according to Policy: Policy expired."));
    }
    let conditions = json
        .get("conditions")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid_policy("Policy has no conditions."))?;
    for condition in conditions {
        check_condition(condition, form, bucket, size)?;
    }
    Ok(())
}

/// The value a condition names: `bucket` is the bucket posted to, others form fields.
fn field_value<'a>(form: &'a FormFields, bucket: &'a str, name: &str) -> &'a str {
    let name = name.trim_start_matches('$').to_ascii_lowercase();
    if name == "bucket" {
        return bucket;
    }
    form.get(&name).unwrap_or("")
}

fn check_condition(
    condition: &Value,
    form: &FormFields,
    bucket: &str,
    size: u64,
) -> Result<(), OssError> {
    let failed = || {
        denied(format!(
            "Invalid according to Policy: Policy Condition failed: {condition}"
        ))
    };
    let holds = match condition {
        Value::Object(map) if map.len() == 1 => map
            .iter()
            .all(|(name, want)| want.as_str() == Some(field_value(form, bucket, name))),
        Value::Array(items) => match items.as_slice() {
            [Value::String(op), min, max] if op.eq_ignore_ascii_case("content-length-range") => {
                let (Some(min), Some(max)) = (min.as_u64(), max.as_u64()) else {
                    return Err(invalid_policy("Invalid content-length-range."));
                };
                if size < min {
                    return Err(OssError::new(
                        ErrorCode::EntityTooSmall,
                        "Your proposed upload is smaller than the minimum allowed size.",
                    ));
                }
                if size > max {
                    return Err(OssError::new(
                        ErrorCode::EntityTooLarge,
                        "Your proposed upload exceeds the maximum allowed size.",
                    ));
                }
                true
            }
            [Value::String(op), Value::String(name), want] => {
                let got = field_value(form, bucket, name);
                match (op.to_ascii_lowercase().as_str(), want) {
                    ("eq", Value::String(want)) => got == want,
                    ("starts-with", Value::String(prefix)) => got.starts_with(prefix.as_str()),
                    ("in", Value::Array(values)) => values.iter().any(|v| v.as_str() == Some(got)),
                    ("not-in", Value::Array(values)) => {
                        !values.iter().any(|v| v.as_str() == Some(got))
                    }
                    _ => return Err(invalid_policy("Invalid condition.")),
                }
            }
            _ => return Err(invalid_policy("Invalid condition.")),
        },
        _ => return Err(invalid_policy("Invalid condition.")),
    };
    if holds { Ok(()) } else { Err(failed()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> FormFields {
        FormFields(
            fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn policy(conditions: Value, expiration: &str) -> String {
        let json = serde_json::json!({ "expiration": expiration, "conditions": conditions });
        base64::engine::general_purpose::STANDARD.encode(json.to_string())
    }

    const NOW: &str = "2025-01-02T03:04:05Z";

    fn now() -> SystemTime {
        time::OffsetDateTime::parse(NOW, &time::format_description::well_known::Rfc3339)
            .unwrap()
            .into()
    }

    #[test]
    fn conditions_hold_or_name_the_failed_one() {
        let conditions = serde_json::json!([
            {"bucket": "b"},
            ["starts-with", "$key", "user/"],
            ["eq", "$Content-Type", "image/png"],
            ["in", "$success_action_status", ["200", "201"]],
            ["content-length-range", 1, 10],
        ]);
        let p = policy(conditions, "2025-01-02T04:00:00.000Z");
        let good = form(&[
            ("key", "user/a.png"),
            ("content-type", "image/png"),
            ("success_action_status", "201"),
        ]);
        check_policy(&p, now(), &good, "b", 5).unwrap();
        let e = check_policy(&p, now(), &good, "other", 5).unwrap_err();
        assert_eq!(e.code, ErrorCode::AccessDenied);
        assert!(e.message.contains("\"bucket\""), "{}", e.message);
        let bad_key = form(&[("key", "admin/a.png"), ("content-type", "image/png")]);
        let e = check_policy(&p, now(), &bad_key, "b", 5).unwrap_err();
        assert!(e.message.contains("starts-with"), "{}", e.message);
        let code = |size| check_policy(&p, now(), &good, "b", size).unwrap_err().code;
        assert_eq!(code(0), ErrorCode::EntityTooSmall);
        assert_eq!(code(11), ErrorCode::EntityTooLarge);
    }

    #[test]
    fn expired_and_malformed_policies_are_refused() {
        let expired = policy(serde_json::json!([]), "2025-01-02T03:04:04.000Z");
        let e = check_policy(&expired, now(), &form(&[]), "b", 1).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                ErrorCode::AccessDenied,
                "Invalid according to Policy: Policy expired."
            )
        );
        for bad in [
            "not base64!",
            "bm90IGpzb24=",
            &policy(
                serde_json::json!([["gt", "$key", "a"]]),
                "2030-01-01T00:00:00Z",
            ),
        ] {
            let e = check_policy(bad, now(), &form(&[]), "b", 1).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidPolicyDocument, "{bad}");
        }
    }
}
