//! Data replication (OSS API reference "PutBucketReplication", "GetBucketReplication",
//! "DeleteBucketReplication", "GetBucketReplicationLocation",
//! "GetBucketReplicationProgress", "PutBucketRTC"): rules are validated, stored one
//! document per rule id (`replication/<id>` in the bucket's documents, durable with a data
//! directory), answered and removed. Only stored: nothing is ever replicated, so a rule's
//! `Status` stays `starting` and a progress answer has no `<Progress>`.
//!
//! PutBucketReplication (`POST ?replication&comp=add`) takes one `Rule` (none: 400
//! `MalformedXML`; more: 400 `InvalidArgument`) with `Destination/Bucket` and `Location`
//! (else `MalformedXML`); 400 `InvalidArgument` for more than 10 prefixes, an `Action`
//! other than ALL/PUT, a `HistoricalObjectReplication` other than enabled/disabled, a
//! `TransferType` other than internal/oss_acc, an RTC status other than enabled/disabled or
//! an `ID` in use; 400 `TooManyReplicationRules` for the 101st rule. A rule without `ID` is
//! given one; the answer's `x-oss-replication-rule-id` names it. Get with no rule, and
//! progress, RTC or delete on a bucket with none, answer 404
//! `NoSuchReplicationConfiguration`; an unknown rule id 404 `NoSuchReplicationRule`.
//! GetBucketReplicationLocation answers the regions the emulator knows.

use http::StatusCode;
use md5::{Digest as _, Md5};

use super::bucket_config::invalid;
use super::xml_body::{self, Element, malformed};
use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, hv, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::request_id::uuid_shaped;
use crate::store::Bucket;
use crate::xml::{DECLARATION, escape_into};

/// Most rules one bucket may have.
const MAX_RULES: usize = 100;
/// Most prefixes one rule may have.
const MAX_PREFIXES: usize = 10;
/// The prefix of the documents holding rules.
const PREFIX: &str = "replication/";
/// The elements a stored rule keeps after `ID`, in OSS's order.
const RULE_ELEMENTS: &[&str] = &[
    "PrefixSet",
    "Action",
    "Destination",
    "Status",
    "HistoricalObjectReplication",
    "SyncRole",
    "SourceSelectionCriteria",
    "EncryptionConfiguration",
    "RTC",
];

/// A request body read, checked against `Content-MD5` and parsed with root `root`.
async fn read_document(ctx: &Ctx<'_>, body: ReqBody, root: &str) -> Result<Element, OssError> {
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    xml_body::parse(&body, root)
}

/// PutBucketReplication.
pub(crate) async fn put(ctx: &Ctx<'_>, bucket_name: &str, body: ReqBody) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let doc = read_document(ctx, body, "ReplicationConfiguration").await?;
    let rules: Vec<_> = doc.children("Rule").collect();
    let rule = match rules[..] {
        [] => return Err(malformed()),
        [rule] => rule,
        _ => {
            return Err(invalid(
                "A request adds one rule.",
                "Rule",
                &rules.len().to_string(),
            ));
        }
    };
    validate(rule)?;
    let id = match rule.child_text("ID").filter(|id| !id.is_empty()) {
        Some(id) => id.to_owned(),
        None => uuid_shaped(ctx.request_id, 0),
    };
    let existing = bucket.documents_under(PREFIX);
    if existing.iter().any(|(existing_id, _)| *existing_id == id) {
        return Err(invalid("The rule ID is in use.", "ID", &id));
    }
    if existing.len() >= MAX_RULES {
        return Err(OssError::new(
            ErrorCode::TooManyReplicationRules,
            "A bucket can have at most 100 replication rules.",
        ));
    }
    bucket.set_document(&format!("{PREFIX}{id}"), Some(stored_rule(rule, &id)))?;
    let mut resp = empty(StatusCode::OK);
    resp.headers_mut()
        .insert("x-oss-replication-rule-id", hv(&id));
    Ok(resp)
}

/// GetBucketReplication.
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let rules = rules(&bucket, bucket_name)?;
    let mut out = String::from(DECLARATION);
    out.push_str("<ReplicationConfiguration>");
    rules.iter().for_each(|(_, rule)| out.push_str(rule));
    out.push_str("</ReplicationConfiguration>");
    Ok(xml_response(StatusCode::OK, out))
}

/// DeleteBucketReplication (`POST ?replication&comp=delete`).
pub(crate) async fn delete(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let doc = read_document(ctx, body, "ReplicationRules").await?;
    let id = doc.child_text("ID").ok_or_else(malformed)?;
    rule(&bucket, bucket_name, id)?;
    bucket.set_document(&format!("{PREFIX}{id}"), None)?;
    Ok(empty(StatusCode::OK))
}

/// PutBucketRtc (`PUT ?rtc`): sets the `RTC` of a rule.
pub(crate) async fn put_rtc(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let doc = read_document(ctx, body, "ReplicationRule").await?;
    let id = doc.child_text("ID").ok_or_else(malformed)?;
    let rtc = doc.child("RTC").ok_or_else(malformed)?;
    enabled_or_disabled(rtc, "Status")?;
    let mut stored = rule(&bucket, bucket_name, id)?;
    stored.children.retain(|c| c.name != "RTC");
    stored.children.push(rtc.clone());
    let mut text = String::new();
    stored.write_into(&mut text);
    bucket.set_document(&format!("{PREFIX}{id}"), Some(text))?;
    Ok(empty(StatusCode::OK))
}

/// GetBucketReplicationProgress: the rule `rule-id` (every rule without it), `starting`.
pub(crate) fn progress(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let rules = match ctx.param("rule-id").filter(|id| !id.is_empty()) {
        Some(id) => vec![rule(&bucket, bucket_name, id)?],
        None => rules(&bucket, bucket_name)?
            .iter()
            .map(|(_, text)| xml_body::parse(text.as_bytes(), "Rule"))
            .collect::<Result<_, _>>()?,
    };
    let mut out = String::from(DECLARATION);
    out.push_str("<ReplicationProgress>");
    for mut rule in rules {
        rule.children.retain(|c| {
            matches!(
                c.name.as_str(),
                "ID" | "PrefixSet"
                    | "Action"
                    | "Destination"
                    | "Status"
                    | "HistoricalObjectReplication"
            )
        });
        rule.write_into(&mut out);
    }
    out.push_str("</ReplicationProgress>");
    Ok(xml_response(StatusCode::OK, out))
}

/// GetBucketReplicationLocation: every region the emulator knows, its own included.
pub(crate) fn location(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    ctx.state.store.bucket(bucket_name)?;
    let mut regions = ctx.state.other_regions.regions();
    regions.insert(ctx.state.region.as_str());
    let mut out = String::from(DECLARATION);
    out.push_str("<ReplicationLocation>");
    for region in regions {
        out.push_str("<Location>oss-");
        escape_into(&mut out, region);
        out.push_str("</Location>");
    }
    out.push_str("</ReplicationLocation>");
    Ok(xml_response(StatusCode::OK, out))
}

/// Every stored rule (name, `<Rule>` text); none → 404 `NoSuchReplicationConfiguration`.
fn rules(bucket: &Bucket, bucket_name: &str) -> Result<Vec<(String, String)>, OssError> {
    let rules = bucket.documents_under(PREFIX);
    if rules.is_empty() {
        return Err(no_configuration(bucket_name));
    }
    Ok(rules)
}

/// The stored rule `id`, parsed; 404 `NoSuchReplicationConfiguration` without any rule,
/// `NoSuchReplicationRule` without this one.
fn rule(bucket: &Bucket, bucket_name: &str, id: &str) -> Result<Element, OssError> {
    match bucket.document(&format!("{PREFIX}{id}")) {
        Some(text) => xml_body::parse(text.as_bytes(), "Rule"),
        None if bucket.documents_under(PREFIX).is_empty() => Err(no_configuration(bucket_name)),
        None => Err(OssError::new(
            ErrorCode::NoSuchReplicationRule,
            "The specified replication rule does not exist.",
        )
        .with("RuleId", id)),
    }
}

fn no_configuration(bucket_name: &str) -> OssError {
    OssError::new(
        ErrorCode::NoSuchReplicationConfiguration,
        "The bucket you specified does not have replication configuration.",
    )
    .with("BucketName", bucket_name)
}

/// The `<Rule>` stored for `rule`: its `ID`, then its elements in OSS's order with the
/// defaults OSS fills in (`Action` ALL, `HistoricalObjectReplication` enabled) and `Status`
/// `starting`.
fn stored_rule(rule: &Element, id: &str) -> String {
    let leaf = Element::leaf;
    let mut children = vec![leaf("ID", id)];
    for name in RULE_ELEMENTS {
        match (*name, rule.child(name)) {
            ("Status", _) => children.push(leaf("Status", "starting")),
            (_, Some(el)) => children.push(el.clone()),
            ("Action", None) => children.push(leaf("Action", "ALL")),
            ("HistoricalObjectReplication", None) => {
                children.push(leaf("HistoricalObjectReplication", "enabled"));
            }
            (_, None) => {}
        }
    }
    let mut text = String::new();
    Element {
        name: "Rule".to_owned(),
        text: String::new(),
        children,
    }
    .write_into(&mut text);
    text
}

/// The child `name` of `el`, which must be `enabled` or `disabled` (else 400
/// `InvalidArgument`; absent: `MalformedXML`).
fn enabled_or_disabled(el: &Element, name: &str) -> Result<(), OssError> {
    match el.child_text(name).ok_or_else(malformed)? {
        "enabled" | "disabled" => Ok(()),
        other => Err(invalid(
            "The value is not enabled or disabled.",
            name,
            other,
        )),
    }
}

fn validate(rule: &Element) -> Result<(), OssError> {
    let destination = rule.child("Destination").ok_or_else(malformed)?;
    for name in ["Bucket", "Location"] {
        if destination.child_text(name).is_none_or(str::is_empty) {
            return Err(malformed());
        }
    }
    if let Some(t) = destination.child_text("TransferType") {
        if !matches!(t, "internal" | "oss_acc") {
            return Err(invalid(
                "The transfer type is not valid.",
                "TransferType",
                t,
            ));
        }
    }
    let prefixes = rule
        .child("PrefixSet")
        .map_or(0, |p| p.children("Prefix").count());
    if prefixes > MAX_PREFIXES {
        return Err(invalid(
            "A rule has at most 10 prefixes.",
            "PrefixSet",
            &prefixes.to_string(),
        ));
    }
    if let Some(action) = rule.child_text("Action") {
        if action
            .split(',')
            .any(|a| !matches!(a.trim(), "ALL" | "PUT"))
        {
            return Err(invalid("The action is not valid.", "Action", action));
        }
    }
    if rule.child("HistoricalObjectReplication").is_some() {
        enabled_or_disabled(rule, "HistoricalObjectReplication")?;
    }
    if let Some(rtc) = rule.child("RTC") {
        enabled_or_disabled(rtc, "Status")?;
    }
    Ok(())
}
