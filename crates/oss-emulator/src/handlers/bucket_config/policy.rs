//! PutBucketPolicy validation: a JSON object with a `Version` ("1") and a non-empty
//! `Statement` array whose entries each have `Effect` `Allow` or `Deny` and an `Action`;
//! anything else is 400 `InvalidPolicyDocument`. Its statements for principal `*` decide
//! unsigned requests together with the ACLs ([`anonymous_verdict`], used by
//! `public_access.rs`).

use super::{Absent, Family};
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::store::Bucket;

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchBucketPolicy,
        "The bucket policy does not exist.",
    ),
    json: true,
};

fn bad(message: &str) -> OssError {
    OssError::new(ErrorCode::InvalidPolicyDocument, message)
}

pub(crate) fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| bad("The policy is not valid JSON."))?;
    if doc.get("Version").and_then(|v| v.as_str()) != Some("1") {
        return Err(bad("The policy Version must be \"1\"."));
    }
    let statements = doc
        .get("Statement")
        .and_then(|s| s.as_array())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("The policy needs a non-empty Statement array."))?;
    for statement in statements {
        let effect = statement.get("Effect").and_then(|e| e.as_str());
        if !matches!(effect, Some("Allow" | "Deny")) {
            return Err(bad("A statement's Effect must be Allow or Deny."));
        }
        if statement.get("Action").is_none() {
            return Err(bad("A statement needs an Action."));
        }
    }
    Ok(())
}

/// What the bucket policy says about an anonymous request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A statement for principal `*` denies it (this wins).
    Deny,
    /// A statement for principal `*` allows it, none denies it.
    Allow,
    /// No statement for principal `*` covers it (or there is no policy).
    Silent,
}

/// Whether `pattern` (a policy's `*`/`?` glob) matches `value`.
pub(crate) fn glob(pattern: &str, value: &str) -> bool {
    globset::GlobBuilder::new(pattern)
        .literal_separator(false)
        .build()
        .is_ok_and(|g| g.compile_matcher().is_match(value))
}

/// A statement field that is a string or an array of strings.
fn strings(value: Option<&serde_json::Value>) -> Vec<&str> {
    match value {
        Some(serde_json::Value::String(s)) => vec![s.as_str()],
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|i| i.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// The bucket policy's verdict on an anonymous request for `action` (`oss:GetObject`, …)
/// on `resource` (`acs:oss:<region>:<owner>:<bucket>/<key>`): statements whose
/// `Principal` holds `*` and whose `Action` and `Resource` globs match, `Condition`s
/// unsupported (a statement with one is skipped).
pub(crate) fn anonymous_verdict(bucket: &Bucket, action: &str, resource: &str) -> Verdict {
    let Some(doc) = bucket
        .document(ConfigFamily::Policy.name())
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
    else {
        return Verdict::Silent;
    };
    let mut verdict = Verdict::Silent;
    for statement in strings_or_objects(doc.get("Statement")) {
        let covers = strings(statement.get("Principal")).contains(&"*")
            && statement.get("Condition").is_none()
            && strings(statement.get("Action"))
                .iter()
                .any(|a| glob(&a.to_ascii_lowercase(), &action.to_ascii_lowercase()))
            && strings(statement.get("Resource"))
                .iter()
                .any(|r| glob(r, resource));
        match statement.get("Effect").and_then(|e| e.as_str()) {
            Some("Deny") if covers => return Verdict::Deny,
            Some("Allow") if covers => verdict = Verdict::Allow,
            _ => {}
        }
    }
    verdict
}

/// The `Statement` array's entries.
fn strings_or_objects(value: Option<&serde_json::Value>) -> Vec<&serde_json::Value> {
    value
        .and_then(|v| v.as_array())
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}
