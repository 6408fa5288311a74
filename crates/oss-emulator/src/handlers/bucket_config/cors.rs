//! PutBucketCors validation: `CORSConfiguration` with 1 to 10 `CORSRule`s, each with at
//! least one `AllowedOrigin` and one `AllowedMethod` (GET, PUT, DELETE, POST, HEAD), an
//! optional numeric `MaxAgeSeconds`, and an optional `ResponseVary` (true or false).

use super::{Absent, Family, invalid};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

/// Most rules one bucket may have.
const MAX_RULES: usize = 10;
const METHODS: &[&str] = &["GET", "PUT", "DELETE", "POST", "HEAD"];

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchCorsConfiguration,
        "The CORS configuration does not exist.",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "CORSConfiguration")?;
    let rules: Vec<_> = doc.children("CORSRule").collect();
    if rules.is_empty() {
        return Err(malformed());
    }
    if rules.len() > MAX_RULES {
        return Err(invalid(
            "A bucket can have at most 10 CORS rules.",
            "CORSRule",
            &rules.len().to_string(),
        ));
    }
    for rule in rules {
        if rule.child("AllowedOrigin").is_none() || rule.child("AllowedMethod").is_none() {
            return Err(malformed());
        }
        for method in rule.children("AllowedMethod") {
            if !METHODS.contains(&method.text.trim()) {
                return Err(invalid(
                    "Unsupported CORS method.",
                    "AllowedMethod",
                    &method.text,
                ));
            }
        }
        if let Some(age) = rule.child_text("MaxAgeSeconds") {
            age.trim()
                .parse::<u32>()
                .map_err(|_| invalid("MaxAgeSeconds must be a number.", "MaxAgeSeconds", age))?;
        }
    }
    if let Some(vary) = doc.child_text("ResponseVary") {
        if vary != "true" && vary != "false" {
            return Err(malformed());
        }
    }
    Ok(())
}
