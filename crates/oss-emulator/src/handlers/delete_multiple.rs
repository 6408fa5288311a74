//! DeleteMultipleObjects (`POST /?delete`).

use crate::pace::ReqBody;
use http::StatusCode;
use md5::{Digest as _, Md5};

use super::worm;
use super::{Ctx, Resp, check_content_md5, read_body, url_encoding, xml_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::list::url_encode;
use crate::names::validate_key;
use crate::time_fmt::whole_seconds;
use crate::xml::XmlWriter;

/// At most this many objects per request.
pub(crate) const MAX_OBJECTS: usize = 1000;
/// Largest accepted request body.
const MAX_BODY: u64 = 2 * 1024 * 1024;

/// DeleteMultipleObjects: Content-MD5 is required (absent → 411 `MissingArgument`, wrong →
/// 400 `InvalidDigest`); at most 1000 objects (else 400 `MalformedXML`); missing keys count
/// as deleted; `<Quiet>true</Quiet>` lists nothing (every key is deletable here);
/// `encoding-type=url` encodes the Keys of the answer. In a versioned bucket a delete without
/// a VersionId adds a delete marker.
pub(crate) async fn delete_multiple_objects(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = url_encoding(ctx)?;
    if !ctx.headers.contains_key("content-md5") {
        return Err(OssError::new(
            ErrorCode::MissingArgument,
            "Missing Some Required Arguments: the Content-MD5 header is required.",
        )
        .with("ArgumentName", "Content-MD5"));
    }
    let body = read_body(body, ctx.headers, MAX_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let doc = xml_body::parse(&body, "Delete")?;
    let quiet = match doc.child_text("Quiet").map(str::trim) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(xml_body::malformed()),
    };
    let mut targets = Vec::new();
    for o in doc.children("Object") {
        let key = o.child_text("Key").ok_or_else(xml_body::malformed)?;
        validate_key(key)?;
        let version = o.child_text("VersionId").filter(|v| !v.is_empty());
        targets.push((key.to_owned(), version.map(str::to_owned)));
    }
    if targets.is_empty() || targets.len() > MAX_OBJECTS {
        return Err(
            xml_body::malformed().with("Reason", "A Delete request names 1 to 1000 objects.")
        );
    }
    for (key, version) in &targets {
        worm::check_delete(ctx, &bucket, key, version.as_deref())?;
    }
    let now = whole_seconds(ctx.now);
    let mut w = XmlWriter::new();
    w.open("DeleteResult");
    if url {
        w.elem("EncodingType", "url");
    }
    for (key, version) in &targets {
        let outcome = bucket.delete(key, version.as_deref(), now)?;
        if quiet {
            continue;
        }
        w.open("Deleted")
            .elem("Key", &if url { url_encode(key) } else { key.clone() });
        if let Some(v) = version {
            w.elem("VersionId", v);
            if outcome.delete_marker {
                w.elem("DeleteMarker", "true")
                    .elem("DeleteMarkerVersionId", v);
            }
        } else if outcome.delete_marker {
            w.elem("DeleteMarker", "true").elem(
                "DeleteMarkerVersionId",
                outcome.version_id.as_deref().unwrap_or(""),
            );
        }
        w.close("Deleted");
    }
    w.close("DeleteResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
