//! PutBucketPolicy validation: a JSON object with a `Version` ("1") and a non-empty
//! `Statement` array whose entries each have `Effect` `Allow` or `Deny` and an `Action`;
//! anything else is 400 `InvalidPolicyDocument`.

use super::{Absent, Family};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;

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

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
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
