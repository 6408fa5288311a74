//! The bucket's metadata index (`?metaQuery`): OpenMetaQuery (`POST ?metaQuery&comp=add`),
//! GetMetaQueryStatus (`GET ?metaQuery`), DoMetaQuery (`POST ?metaQuery&comp=query`) and
//! CloseMetaQuery (`POST ?metaQuery&comp=delete`).
//!
//! The emulator's index is the bucket's live listing, so an opened index is `Running` in
//! its `IncrementalScanning` phase at once and every search sees every write. Its state is
//! stored as the status document (durably with a data directory). Open while open is 409
//! `MetaQueryAlreadyExist`; status, search and close while closed are 404
//! `MetaQueryNotExist`. Searches run the subset of `meta_query_search.rs` over the
//! current objects, sorted, `MaxResults` (0 to 100, 0: 100) per page, `NextToken` the
//! decimal offset of the next page; aggregations, `SimpleQuery`, `MediaTypes` and the
//! `semantic` mode answer 501 `NotImplemented`.

use std::sync::Arc;

use http::StatusCode;
use md5::{Digest as _, Md5};

use super::meta_query_search::{Condition, Field, rfc3339};
use super::xml_body::{self, Element};
use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::{Bucket, Object};
use crate::xml::XmlWriter;

/// The name of the stored status document.
const DOCUMENT: &str = "metaQuery";
/// The most files a page holds.
const MAX_RESULTS: usize = 100;

fn not_exist(bucket: &str) -> OssError {
    OssError::new(
        ErrorCode::MetaQueryNotExist,
        "The metadata index library of the bucket does not exist.",
    )
    .with("BucketName", bucket)
}

fn not_implemented(message: &str) -> OssError {
    OssError::new(ErrorCode::NotImplemented, message)
}

/// The `mode` parameter: `basic` (the default) or `semantic`; else 400.
fn mode<'a>(ctx: &'a Ctx<'_>) -> Result<&'a str, OssError> {
    match ctx.param("mode") {
        None => Ok("basic"),
        Some(m @ ("basic" | "semantic")) => Ok(m),
        Some(other) => Err(OssError::invalid_argument(
            "mode is basic or semantic.",
            "mode",
            other,
        )),
    }
}

/// The stored status document, else 404 `MetaQueryNotExist`.
fn status_document(bucket: &Bucket) -> Result<String, OssError> {
    bucket
        .document(DOCUMENT)
        .ok_or_else(|| not_exist(&bucket.name))
}

/// OpenMetaQuery: stores a `Running` status; 200.
pub(crate) fn open(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let mode = mode(ctx)?;
    if bucket.document(DOCUMENT).is_some() {
        return Err(OssError::new(
            ErrorCode::MetaQueryAlreadyExist,
            "The metadata index library of the bucket already exists.",
        )
        .with("BucketName", bucket_name));
    }
    let now = rfc3339(ctx.now);
    let mut w = XmlWriter::new();
    w.open("MetaQueryStatus")
        .elem("State", "Running")
        .elem("Phase", "IncrementalScanning")
        .elem("CreateTime", &now)
        .elem("UpdateTime", &now)
        .elem("MetaQueryMode", mode)
        .close("MetaQueryStatus");
    bucket.set_document(DOCUMENT, Some(w.finish()))?;
    Ok(empty(StatusCode::OK))
}

/// GetMetaQueryStatus: the stored status.
pub(crate) fn status(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    Ok(xml_response(StatusCode::OK, status_document(&bucket)?))
}

/// CloseMetaQuery: drops the index; 200.
pub(crate) fn close(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    status_document(&bucket)?;
    bucket.set_document(DOCUMENT, None)?;
    Ok(empty(StatusCode::OK))
}

/// What a DoMetaQuery body asks for.
struct Search {
    condition: Condition,
    sort: Option<Field>,
    descending: bool,
    max_results: usize,
    offset: usize,
}

impl Search {
    fn parse(doc: &Element) -> Result<Self, OssError> {
        let bad = |name: &str, value: &str| {
            OssError::invalid_argument("The meta query is not valid.", name, value)
        };
        if doc
            .child("Aggregations")
            .is_some_and(|a| !a.children.is_empty())
        {
            return Err(not_implemented(
                "The emulator does not implement meta query aggregations.",
            ));
        }
        if doc.child("SimpleQuery").is_some() || doc.child("MediaTypes").is_some() {
            return Err(not_implemented(
                "The emulator does not implement semantic (vector) search.",
            ));
        }
        let query = doc.child_text("Query").ok_or_else(|| bad("Query", ""))?;
        let sort = match doc.child_text("Sort").filter(|s| !s.is_empty()) {
            Some(field) => Some(Field::parse(field, "Sort")?),
            None => None,
        };
        let descending = match doc.child_text("Order").unwrap_or("") {
            "" | "desc" => true,
            "asc" => false,
            other => return Err(bad("Order", other)),
        };
        let max_results = match doc.child_text("MaxResults").unwrap_or("") {
            "" => 0,
            text => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= MAX_RESULTS)
                .ok_or_else(|| bad("MaxResults", text))?,
        };
        let offset = match doc.child_text("NextToken").unwrap_or("") {
            "" => 0,
            text => text.parse().map_err(|_| bad("NextToken", text))?,
        };
        Ok(Self {
            condition: Condition::parse(query)?,
            sort,
            descending: descending && sort.is_some(),
            max_results: if max_results == 0 {
                MAX_RESULTS
            } else {
                max_results
            },
            offset,
        })
    }
}

/// DoMetaQuery: one page of the current objects matching the query.
pub(crate) async fn search(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let status = xml_body::parse(status_document(&bucket)?.as_bytes(), "MetaQueryStatus")?;
    if mode(ctx)? == "semantic" || status.child_text("MetaQueryMode") == Some("semantic") {
        return Err(not_implemented(
            "The emulator does not implement semantic (vector) search.",
        ));
    }
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let search = Search::parse(&xml_body::parse(&body, "MetaQuery")?)?;
    let mut found: Vec<Arc<Object>> = bucket
        .objects()
        .values()
        .filter_map(|versions| versions.last())
        .filter(|o| !o.delete_marker && search.condition.matches(o))
        .cloned()
        .collect();
    if let Some(field) = search.sort {
        found.sort_by(|a, b| {
            let order = field.compare(a, b);
            let order = if search.descending {
                order.reverse()
            } else {
                order
            };
            order.then_with(|| a.key.cmp(&b.key))
        });
    }
    let end = search.offset.saturating_add(search.max_results);
    let mut w = XmlWriter::new();
    w.open("MetaQuery");
    if end < found.len() {
        w.elem("NextToken", &end.to_string());
    }
    w.open("Files");
    for object in found.iter().skip(search.offset).take(search.max_results) {
        write_file(&mut w, object);
    }
    w.close("Files").close("MetaQuery");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// One `<File>`.
fn write_file(w: &mut XmlWriter, o: &Object) {
    let attrs = o.attrs().clone();
    w.open("File")
        .elem("Filename", &o.key)
        .elem("Size", &o.data.len().to_string())
        .elem("FileModifiedTime", &rfc3339(o.last_modified))
        .elem("OSSObjectType", o.object_type.as_str())
        .elem("OSSStorageClass", &o.storage_class)
        .elem("ObjectACL", &attrs.acl)
        .elem("ETag", &o.etag)
        .elem("OSSCRC64", &o.crc64.to_string())
        .elem("ContentType", o.content_type.to_str().unwrap_or(""))
        .elem("OSSTaggingCount", &attrs.tags.len().to_string());
    if !attrs.tags.is_empty() {
        w.open("OSSTagging");
        for (key, value) in &attrs.tags {
            w.open("Tagging")
                .elem("Key", key)
                .elem("Value", value)
                .close("Tagging");
        }
        w.close("OSSTagging");
    }
    let user_meta: Vec<(&str, &str)> = o
        .headers
        .iter()
        .filter_map(|(name, value)| {
            let key = name.as_str().strip_prefix("x-oss-meta-")?;
            Some((key, value.to_str().ok()?))
        })
        .collect();
    if !user_meta.is_empty() {
        w.open("OSSUserMeta");
        for (key, value) in user_meta {
            w.open("UserMeta")
                .elem("Key", key)
                .elem("Value", value)
                .close("UserMeta");
        }
        w.close("OSSUserMeta");
    }
    w.close("File");
}
