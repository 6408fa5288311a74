//! GetBucketPolicyStatus (`GET /bucket?policyStatus`): `<PolicyStatus><IsPublic>` is
//! `true` when the stored bucket policy has an `Allow` statement for principal `*` without
//! a `Condition` (such a statement lets anonymous users in), `false` otherwise, also when
//! no policy is set.

use http::StatusCode;

use super::{Ctx, Resp, xml_response};
use crate::config_family::ConfigFamily;
use crate::error::OssError;
use crate::xml::XmlWriter;

/// Whether the policy text grants anonymous access.
fn is_public(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let statements = doc.get("Statement").and_then(|s| s.as_array());
    statements.into_iter().flatten().any(|s| {
        let everyone = match s.get("Principal") {
            Some(serde_json::Value::String(p)) => p == "*",
            Some(serde_json::Value::Array(ps)) => ps.iter().any(|p| p.as_str() == Some("*")),
            _ => false,
        };
        s.get("Effect").and_then(|e| e.as_str()) == Some("Allow")
            && everyone
            && s.get("Condition").is_none()
    })
}

/// GetBucketPolicyStatus.
pub(crate) fn get_bucket_policy_status(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let public = bucket
        .document(ConfigFamily::Policy.name())
        .is_some_and(|p| is_public(&p));
    let mut w = XmlWriter::new();
    w.open("PolicyStatus")
        .elem("IsPublic", if public { "true" } else { "false" })
        .close("PolicyStatus");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_only_for_an_unconditional_allow_to_everyone() {
        let allow = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:b/*"]}]}"#;
        assert!(is_public(allow));
        let conditional = allow.replace(
            r#""Resource""#,
            r#""Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8"]}},"Resource""#,
        );
        assert!(!is_public(&conditional));
        assert!(!is_public(&allow.replace("Allow", "Deny")));
        assert!(!is_public(&allow.replace(r#"["*"]"#, r#"["1234"]"#)));
    }
}
