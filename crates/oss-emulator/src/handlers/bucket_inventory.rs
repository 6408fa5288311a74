//! Bucket inventories (`?inventory&inventoryId=<id>`, OSS API reference
//! "PutBucketInventory", "GetBucketInventory", "ListBucketInventory",
//! "DeleteBucketInventory"): validated, stored one document per id (`inventory/<id>` in the
//! bucket's documents, durable with a data directory), answered and removed. Only stored:
//! no report is ever written.
//!
//! Put refuses (400 `MalformedXML`) a body that is not an `InventoryConfiguration` with
//! `Id`, `IsEnabled` (true/false), `Destination/OSSBucketDestination` and
//! `Schedule/Frequency`; (400 `InvalidArgument`) an `Id` other than the `inventoryId`, a
//! frequency other than Daily/Weekly, `IncludedObjectVersions` other than All/Current, a
//! format other than CSV, a destination that is not `acs:oss:::<existing bucket>`, an
//! unknown optional field, a non-numeric filter bound, and the 1001st inventory; (409
//! `InventoryAlreadyExist`) an id in use. Get of an unknown id answers 404
//! `NoSuchInventory`; delete answers 204 whether or not the id existed; list answers 100
//! inventories a page in id order, continuing after the id given as `continuation-token`.

use http::StatusCode;
use md5::{Digest as _, Md5};

use super::bucket_config::invalid;
use super::xml_body::{self, Element, malformed};
use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::names::validate_bucket;
use crate::pace::ReqBody;
use crate::xml::{DECLARATION, escape_into};

/// Most inventories one bucket may have.
const MAX_INVENTORIES: usize = 1000;
/// Inventories per ListBucketInventory page.
const PAGE: usize = 100;
/// The prefix of the documents holding inventories.
const PREFIX: &str = "inventory/";
/// The optional fields a report may have.
const FIELDS: &[&str] = &[
    "Size",
    "LastModifiedDate",
    "ETag",
    "StorageClass",
    "IsMultipartUploaded",
    "EncryptionStatus",
    "ObjectAcl",
    "TaggingCount",
    "ObjectType",
    "Crc64",
    "TransitionTime",
];

/// The `inventoryId` parameter, required and non-empty (else 400 `InvalidArgument`).
fn inventory_id<'a>(ctx: &'a Ctx<'_>) -> Result<&'a str, OssError> {
    ctx.param("inventoryId")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| invalid("inventoryId is required.", "inventoryId", ""))
}

/// PutBucketInventory.
pub(crate) async fn put(ctx: &Ctx<'_>, bucket_name: &str, body: ReqBody) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let id = inventory_id(ctx)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let text = std::str::from_utf8(&body).map_err(|_| malformed())?;
    let doc = xml_body::parse(&body, "InventoryConfiguration")?;
    validate(ctx, id, &doc)?;
    let name = format!("{PREFIX}{id}");
    if bucket.document(&name).is_some() {
        return Err(OssError::new(
            ErrorCode::InventoryAlreadyExist,
            "The inventory you specified already exists.",
        )
        .with("InventoryId", id));
    }
    if bucket.documents_under(PREFIX).len() >= MAX_INVENTORIES {
        return Err(invalid(
            "A bucket can have at most 1000 inventories.",
            "inventoryId",
            id,
        ));
    }
    bucket.set_document(&name, Some(without_declaration(text).to_owned()))?;
    Ok(empty(StatusCode::OK))
}

/// GetBucketInventory.
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let id = inventory_id(ctx)?;
    let document = bucket.document(&format!("{PREFIX}{id}")).ok_or_else(|| {
        OssError::new(
            ErrorCode::NoSuchInventory,
            "The inventory you specified does not exist.",
        )
        .with("InventoryId", id)
    })?;
    Ok(xml_response(
        StatusCode::OK,
        format!("{DECLARATION}{document}"),
    ))
}

/// ListBucketInventory.
pub(crate) fn list(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let after = ctx.param("continuation-token").unwrap_or("");
    let all = bucket.documents_under(PREFIX);
    let mut rest = all.iter().filter(|(id, _)| id.as_str() > after).peekable();
    let mut out = String::from(DECLARATION);
    out.push_str("<ListInventoryConfigurationsResult>");
    let mut last = "";
    for (id, document) in rest.by_ref().take(PAGE) {
        out.push_str(document);
        last = id;
    }
    let truncated = rest.peek().is_some();
    out.push_str(if truncated {
        "<IsTruncated>true</IsTruncated><NextContinuationToken>"
    } else {
        "<IsTruncated>false</IsTruncated>"
    });
    if truncated {
        escape_into(&mut out, last);
        out.push_str("</NextContinuationToken>");
    }
    out.push_str("</ListInventoryConfigurationsResult>");
    Ok(xml_response(StatusCode::OK, out))
}

/// DeleteBucketInventory.
pub(crate) fn delete(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let id = inventory_id(ctx)?;
    bucket.set_document(&format!("{PREFIX}{id}"), None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// The document's root element and what follows, without a leading XML declaration.
fn without_declaration(text: &str) -> &str {
    let text = text.trim_start();
    match text.strip_prefix("<?xml").and_then(|t| t.split_once("?>")) {
        Some((_, rest)) => rest.trim_start(),
        None => text,
    }
}

/// The text of `el`'s child `name`, which must be one of `allowed` (else 400
/// `InvalidArgument`) and present (else 400 `MalformedXML`).
fn allowed<'a>(el: &'a Element, name: &str, allowed: &[&str]) -> Result<&'a str, OssError> {
    let value = el.child_text(name).ok_or_else(malformed)?;
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(invalid("The value is not allowed.", name, value))
    }
}

fn validate(ctx: &Ctx<'_>, id: &str, doc: &Element) -> Result<(), OssError> {
    let body_id = doc.child_text("Id").ok_or_else(malformed)?;
    if body_id != id {
        return Err(invalid(
            "The Id in the body is not the inventoryId of the request.",
            "Id",
            body_id,
        ));
    }
    if !matches!(doc.child_text("IsEnabled"), Some("true" | "false")) {
        return Err(malformed());
    }
    let schedule = doc.child("Schedule").ok_or_else(malformed)?;
    allowed(schedule, "Frequency", &["Daily", "Weekly"])?;
    allowed(doc, "IncludedObjectVersions", &["All", "Current"])?;
    let destination = doc
        .child("Destination")
        .and_then(|d| d.child("OSSBucketDestination"))
        .ok_or_else(malformed)?;
    allowed(destination, "Format", &["CSV"])?;
    for name in ["AccountId", "RoleArn"] {
        if destination.child_text(name).is_none_or(str::is_empty) {
            return Err(malformed());
        }
    }
    let target = destination.child_text("Bucket").ok_or_else(malformed)?;
    let target_name = target
        .strip_prefix("acs:oss:::")
        .filter(|name| validate_bucket(name).is_ok())
        .ok_or_else(|| invalid("The destination bucket is not valid.", "Bucket", target))?;
    if ctx.state.store.bucket(target_name).is_err() {
        return Err(invalid(
            "The destination bucket does not exist.",
            "Bucket",
            target,
        ));
    }
    for field in doc
        .children("OptionalFields")
        .flat_map(|f| f.children("Field"))
    {
        if !FIELDS.contains(&field.text.as_str()) {
            return Err(invalid(
                "The optional field is not known.",
                "Field",
                &field.text,
            ));
        }
    }
    if let Some(filter) = doc.child("Filter") {
        for name in [
            "LastModifyBeginTimeStamp",
            "LastModifyEndTimeStamp",
            "LowerSizeBound",
            "UpperSizeBound",
        ] {
            if let Some(value) = filter.child_text(name) {
                value
                    .parse::<u64>()
                    .map_err(|_| invalid("The value is not a number.", name, value))?;
            }
        }
    }
    Ok(())
}
