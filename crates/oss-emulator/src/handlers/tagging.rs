//! Put/Get/DeleteObjectTagging (`?tagging`) and the `x-oss-tagging` header of PutObject,
//! CopyObject, AppendObject and InitiateMultipartUpload.

use crate::pace::ReqBody;
use http::StatusCode;

use super::lookup::resolve;
use super::{Ctx, MAX_XML_BODY, Resp, empty, read_body, set_version_id, xml_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::xml::XmlWriter;

/// At most this many tags per object.
pub(crate) const MAX_TAGS: usize = 10;
/// Longest tag key, in characters.
pub(crate) const MAX_KEY_CHARS: usize = 128;
/// Longest tag value, in characters.
pub(crate) const MAX_VALUE_CHARS: usize = 256;

fn invalid_tag(message: &str) -> OssError {
    OssError::new(ErrorCode::InvalidTag, message)
}

/// Checks the tag limits: ≤ 10 tags, unique non-empty keys of ≤ 128 characters, values of
/// ≤ 256 characters; else 400 `InvalidTag`.
pub(crate) fn validate_tags(tags: &[(String, String)]) -> Result<(), OssError> {
    if tags.len() > MAX_TAGS {
        return Err(invalid_tag("Object tags cannot be greater than 10."));
    }
    for (i, (k, v)) in tags.iter().enumerate() {
        if k.is_empty() || k.chars().count() > MAX_KEY_CHARS {
            return Err(invalid_tag("The tag key must be 1 to 128 characters long."));
        }
        if v.chars().count() > MAX_VALUE_CHARS {
            return Err(invalid_tag(
                "The tag value must be at most 256 characters long.",
            ));
        }
        if tags[..i].iter().any(|(other, _)| other == k) {
            return Err(invalid_tag("Tag keys must be unique."));
        }
    }
    Ok(())
}

/// Parses `x-oss-tagging: k=v&k2=v2` (form-encoded keys and values).
pub(crate) fn parse_tagging_header(value: &str) -> Result<Vec<(String, String)>, OssError> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| invalid_tag("The x-oss-tagging header is not valid UTF-8."))
    };
    let mut tags = Vec::new();
    for pair in value.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        tags.push((decode(k)?, decode(v)?));
    }
    validate_tags(&tags)?;
    Ok(tags)
}

/// PutObjectTagging: `Tagging{TagSet{Tag{Key,Value}}}` replaces the object's tags.
pub(crate) async fn put_object_tagging(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let doc = xml_body::parse(&body, "Tagging")?;
    let mut tags = Vec::new();
    if let Some(set) = doc.child("TagSet") {
        for tag in set.children("Tag") {
            let k = tag.child_text("Key").ok_or_else(xml_body::malformed)?;
            let v = tag.child_text("Value").unwrap_or("");
            tags.push((k.to_owned(), v.to_owned()));
        }
    }
    validate_tags(&tags)?;
    let object = resolve(ctx, &bucket, key)?;
    bucket.update_attrs(&object, |a| a.tags = tags)?;
    let mut resp = empty(StatusCode::OK);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// GetObjectTagging: the tags (an empty `TagSet` when there are none).
pub(crate) fn get_object_tagging(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = resolve(ctx, &bucket, key)?;
    let tags = object.attrs().tags.clone();
    let mut w = XmlWriter::new();
    w.open("Tagging").open("TagSet");
    for (k, v) in &tags {
        w.open("Tag").elem("Key", k).elem("Value", v).close("Tag");
    }
    w.close("TagSet").close("Tagging");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// DeleteObjectTagging: 204.
pub(crate) fn delete_object_tagging(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = resolve(ctx, &bucket, key)?;
    bucket.update_attrs(&object, |a| a.tags.clear())?;
    let mut resp = empty(StatusCode::NO_CONTENT);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagging_header_and_limits() {
        let tags = parse_tagging_header("a=1&b%20c=x+y&empty=").unwrap();
        assert_eq!(
            tags,
            [
                ("a".to_owned(), "1".to_owned()),
                ("b c".to_owned(), "x y".to_owned()),
                ("empty".to_owned(), String::new())
            ]
        );
        let many: String = (0..11).map(|i| format!("k{i}=v&")).collect();
        assert_eq!(
            parse_tagging_header(&many).unwrap_err().code,
            ErrorCode::InvalidTag
        );
        let long = format!("{}=v", "k".repeat(129));
        assert!(parse_tagging_header(&long).is_err());
        let long = format!("k={}", "v".repeat(257));
        assert!(parse_tagging_header(&long).is_err());
        assert!(parse_tagging_header(&format!("{}={}", "k".repeat(128), "v".repeat(256))).is_ok());
        assert!(parse_tagging_header("a=1&a=2").is_err());
    }
}
