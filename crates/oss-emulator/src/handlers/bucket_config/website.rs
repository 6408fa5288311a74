//! PutBucketWebsite validation: `WebsiteConfiguration` with an `IndexDocument` (a
//! non-empty `Suffix` without `/`), an `ErrorDocument` (a non-empty `Key`) or
//! `RoutingRules`, at least one of them.

use super::{Absent, Family, invalid};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchWebsiteConfiguration,
        "The specified bucket does not have a website configuration.",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "WebsiteConfiguration")?;
    let index = doc.child("IndexDocument");
    let error = doc.child("ErrorDocument");
    if index.is_none() && error.is_none() && doc.child("RoutingRules").is_none() {
        return Err(malformed());
    }
    if let Some(index) = index {
        let suffix = index.child_text("Suffix").unwrap_or("");
        if suffix.is_empty() || suffix.contains('/') {
            return Err(invalid(
                "The index document suffix must be non-empty and without '/'.",
                "Suffix",
                suffix,
            ));
        }
    }
    if let Some(error) = error {
        if error.child_text("Key").unwrap_or("").is_empty() {
            return Err(malformed());
        }
    }
    Ok(())
}
