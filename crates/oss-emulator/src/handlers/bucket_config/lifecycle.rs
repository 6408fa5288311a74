//! PutBucketLifecycle validation: `LifecycleConfiguration` with 1 to 1000 `Rule`s, each
//! with a unique `ID` (when given), `Status` `Enabled` or `Disabled`, and at least one
//! action (`Expiration`, `Transition`, `AbortMultipartUpload`, `NoncurrentVersionExpiration`,
//! `NoncurrentVersionTransition`); `Days` must be a positive number.

use super::{Absent, Family, invalid, one_of};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, Element, malformed};

const MAX_RULES: usize = 1000;
const ACTIONS: &[&str] = &[
    "Expiration",
    "Transition",
    "AbortMultipartUpload",
    "NoncurrentVersionExpiration",
    "NoncurrentVersionTransition",
];

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchLifecycle,
        "No Row found in Lifecycle Table.",
    ),
    json: false,
};

fn check_days(action: &Element) -> Result<(), OssError> {
    for name in ["Days", "NoncurrentDays"] {
        if let Some(days) = action.child_text(name) {
            match days.trim().parse::<u32>() {
                Ok(d) if d > 0 => {}
                _ => return Err(invalid("Days must be a positive number.", name, days)),
            }
        }
    }
    Ok(())
}

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "LifecycleConfiguration")?;
    let rules: Vec<_> = doc.children("Rule").collect();
    if rules.is_empty() || rules.len() > MAX_RULES {
        return Err(malformed());
    }
    let mut ids = Vec::new();
    for rule in rules {
        one_of(rule, "Status", &["Enabled", "Disabled"])?;
        if let Some(id) = rule.child_text("ID") {
            if ids.contains(&id) {
                return Err(invalid("Rule ids must be unique.", "ID", id));
            }
            ids.push(id);
        }
        let actions: Vec<_> = rule
            .children
            .iter()
            .filter(|c| ACTIONS.contains(&c.name.as_str()))
            .collect();
        if actions.is_empty() {
            return Err(invalid(
                "A rule needs at least one action.",
                "Rule",
                id_or_empty(rule),
            ));
        }
        for action in actions {
            check_days(action)?;
        }
    }
    Ok(())
}

fn id_or_empty(rule: &Element) -> &str {
    rule.child_text("ID").unwrap_or("")
}
