//! Static website hosting as the bucket's `WebsiteConfiguration` (PutBucketWebsite,
//! `bucket_config/website.rs`) decides it, for unsigned reads (GET and HEAD), the access
//! ACLs already allowed:
//!
//! * the bucket root (`GET /`, no query parameter: otherwise a ListObjects) answers the
//!   index document (`IndexDocument/Suffix`, `index.html` say);
//! * a key ending in `/` answers `<key><Suffix>` when `SupportSubDir` is `true`, else the
//!   root's index document;
//! * a key (or index document) that does not exist answers the error document
//!   (`ErrorDocument/Key`) with `ErrorDocument/HttpStatus` (default 404); without an error
//!   document, or when it does not exist either, OSS's usual 404 `NoSuchKey`.
//!
//! Before the object is read, the routing rules' simple cases (`website_routing.rs`) may
//! redirect the request or serve another key. Signed requests never see any of this.

use http::StatusCode;

use super::website_routing::{self, Route};
use super::xml_body::{self, Element};
use super::{Ctx, Resp, object};
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::operation::Operation;

/// The website's answer to an unsigned `op` on `key` (`None`: the bucket root), or `None`
/// when the bucket is no website or `op` is not a read it covers.
pub(crate) fn answer(
    ctx: &Ctx<'_>,
    op: Operation,
    bucket: &str,
    key: Option<&str>,
) -> Option<Result<Resp, OssError>> {
    let head = match op {
        Operation::GetObject if ctx.param("x-oss-process").is_none() => false,
        Operation::HeadObject => true,
        Operation::ListObjects if ctx.query.is_empty() => false,
        _ => return None,
    };
    let stored = ctx.state.store.bucket(bucket).ok()?;
    let document = stored.document(ConfigFamily::Website.name())?;
    let site = xml_body::parse(document.as_bytes(), "WebsiteConfiguration").ok()?;
    let mut target = match key {
        None => index(&site, "")?,
        Some(key) if key.ends_with('/') => {
            let sub_dir = site
                .child("IndexDocument")
                .and_then(|i| i.child_text("SupportSubDir"))
                .is_some_and(|s| s.trim() == "true");
            index(&site, if sub_dir { key } else { "" })?
        }
        Some(key) => key.to_owned(),
    };
    let exists = stored.latest(&target).is_some_and(|o| !o.delete_marker);
    match website_routing::route(ctx, &site, &target, exists) {
        Some(Route::Internal(key)) => target = key,
        Some(Route::Redirect(status, location)) => {
            return Some(Ok(website_routing::redirect(status, &location)));
        }
        None => {}
    }
    match object::get_object(ctx, bucket, &target, head) {
        Err(e) if e.code == ErrorCode::NoSuchKey => {
            Some(error_document(ctx, &site, bucket, head).unwrap_or(Err(e)))
        }
        answer => Some(answer),
    }
}

/// `dir` followed by the index document's suffix.
fn index(site: &Element, dir: &str) -> Option<String> {
    let suffix = site.child("IndexDocument")?.child_text("Suffix")?.trim();
    Some(format!("{dir}{suffix}"))
}

/// The error document with its status, when configured and stored.
fn error_document(
    ctx: &Ctx<'_>,
    site: &Element,
    bucket: &str,
    head: bool,
) -> Option<Result<Resp, OssError>> {
    let error = site.child("ErrorDocument")?;
    let key = error.child_text("Key")?.trim();
    let status = error
        .child_text("HttpStatus")
        .and_then(|s| s.trim().parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::NOT_FOUND);
    let mut resp = object::get_object(ctx, bucket, key, head).ok()?;
    *resp.status_mut() = status;
    Some(Ok(resp))
}
