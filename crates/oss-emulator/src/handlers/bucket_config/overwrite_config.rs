//! PutBucketOverwriteConfig validation and effect: `OverwriteConfiguration` with at most 100
//! `Rule`s, each with `Action` `forbid` (else 400 `MalformedXML`), a `Prefix` and a `Suffix`
//! of at most 1023 characters and an `ID` unique in the document (else 400
//! `InvalidArgument`). A rule put without `ID` is stored with a UUID-shaped one, as OSS
//! makes up. A get before any put, or after a delete, answers 404
//! `NoSuchOverwriteConfiguration`.
//!
//! The effect ([`forbids`]): a write over an existing object whose key a rule matches (its
//! prefix and suffix, taken literally, and its principals: none, `*` or the owner's account,
//! since every signed request is the owner's) is refused with 409 `FileAlreadyExists`, as
//! `x-oss-forbid-overwrite: true` would; rules have no effect while versioning is enabled
//! or suspended.

use std::collections::BTreeSet;

use http::StatusCode;
use md5::{Digest as _, Md5};

use super::{Absent, Family, invalid};
use crate::error::{ErrorCode, OssError};
use crate::handlers::xml_body::{self, Element, malformed};
use crate::handlers::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body};
use crate::pace::ReqBody;
use crate::request_id::uuid_shaped;
use crate::store::Bucket;
use crate::xml::DECLARATION;

/// Most rules one bucket may have.
const MAX_RULES: usize = 100;
/// Longest prefix or suffix, in characters.
const MAX_AFFIX_CHARS: usize = 1023;
/// The root element.
const ROOT: &str = "OverwriteConfiguration";
/// The document's name in the store (the family's sub-resource).
const DOCUMENT: &str = "overwriteConfig";

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchOverwriteConfiguration,
        "The bucket you specified does not have an overwrite configuration.",
    ),
    json: false,
};

/// PutBucketOverwriteConfig: the family's validation, then the document stored with an `ID`
/// given to every rule put without one.
pub(crate) async fn put(ctx: &Ctx<'_>, bucket_name: &str, body: ReqBody) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    validate(ctx, &body)?;
    let mut doc = xml_body::parse(&body, ROOT)?;
    let rules = doc.children.iter_mut().filter(|c| c.name == "Rule");
    for (n, rule) in rules.enumerate() {
        if rule.child_text("ID").is_none_or(str::is_empty) {
            rule.children.retain(|c| c.name != "ID");
            let id = uuid_shaped(ctx.request_id, n);
            rule.children.insert(0, Element::leaf("ID", &id));
        }
    }
    let mut text = String::from(DECLARATION);
    doc.write_into(&mut text);
    bucket.set_document(DOCUMENT, Some(text))?;
    Ok(empty(StatusCode::OK))
}

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, ROOT)?;
    let rules: Vec<_> = doc.children("Rule").collect();
    if rules.len() > MAX_RULES {
        return Err(invalid(
            "A bucket can have at most 100 overwrite rules.",
            "Rule",
            &rules.len().to_string(),
        ));
    }
    let mut ids = BTreeSet::new();
    for rule in rules {
        if rule.child_text("Action") != Some("forbid") {
            return Err(malformed());
        }
        for name in ["Prefix", "Suffix"] {
            let affix = rule.child_text(name).unwrap_or("");
            if affix.chars().count() > MAX_AFFIX_CHARS {
                return Err(invalid("The value is longer than 1023.", name, affix));
            }
        }
        if let Some(id) = rule.child_text("ID").filter(|id| !id.is_empty()) {
            if !ids.insert(id) {
                return Err(invalid("The rule ID is repeated.", "ID", id));
            }
        }
    }
    Ok(())
}

/// Whether `bucket`'s overwrite rules forbid writing over an existing `key` for the account
/// `owner_id` (the store applies it only when the key exists and versioning is off).
pub(crate) fn forbids(bucket: &Bucket, key: &str, owner_id: &str) -> bool {
    let Some(document) = bucket.document(DOCUMENT) else {
        return false;
    };
    let Ok(doc) = xml_body::parse(document.as_bytes(), ROOT) else {
        return false;
    };
    doc.children("Rule")
        .any(|rule| rule_matches(rule, key, owner_id))
}

fn rule_matches(rule: &Element, key: &str, owner_id: &str) -> bool {
    let prefix = rule.child_text("Prefix").unwrap_or("");
    let suffix = rule.child_text("Suffix").unwrap_or("");
    let principals: Vec<&str> = rule
        .child("Principals")
        .map(|p| p.children("Principal").map(|p| p.text.trim()).collect())
        .unwrap_or_default();
    key.starts_with(prefix)
        && key.ends_with(suffix)
        && (principals.is_empty() || principals.iter().any(|p| *p == "*" || *p == owner_id))
}
