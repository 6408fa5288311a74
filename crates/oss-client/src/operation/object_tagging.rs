//! Object tags (`?tagging`, OSS API reference "PutObjectTagging", "GetObjectTagging",
//! "DeleteObjectTagging") and the `x-oss-tagging` header of uploads.

use http::Method;
use oss_auth::sign::uri_encode_into;

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::EmptyOutput;
use crate::types::{ObjectKey, RawResponse};
use crate::xml;

/// The most tags an object may carry.
pub const MAX_TAGS: usize = 10;

/// The `x-oss-tagging` header value: `k1=v1&k2=v2`, percent-encoded.
pub(crate) fn tagging_header(tags: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in tags.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        uri_encode_into(&mut out, k, false);
        out.push('=');
        uri_encode_into(&mut out, v, false);
    }
    out
}

/// Checks the OSS tag rules: at most 10 tags, keys 1-128 and values 0-256 characters.
pub(crate) fn validate_tags(tags: &[(String, String)]) -> Result<(), Error> {
    if tags.len() > MAX_TAGS {
        return Err(Error::invalid_argument(format!(
            "at most {MAX_TAGS} tags, not {}",
            tags.len()
        )));
    }
    for (k, v) in tags {
        if k.is_empty() || k.chars().count() > 128 || v.chars().count() > 256 {
            return Err(Error::invalid_argument(format!(
                "tag {k:?}: keys need 1 to 128 characters and values at most 256"
            )));
        }
    }
    Ok(())
}

/// The tags of an object.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TaggingOutput {
    /// (key, value) pairs in the order OSS returned them.
    pub tags: Vec<(String, String)>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl Client {
    /// PutObjectTagging (`PUT /bucket/key?tagging`): replaces the tags of the latest version,
    /// or of the one `key` names ([`ObjectKey::version_id`]).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for more than 10 tags or bad lengths,
    /// [`crate::ErrorKind::DuplicateName`] for a key given twice; service errors.
    pub async fn put_object_tagging(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
        tags: &[(String, String)],
    ) -> Result<EmptyOutput, Error> {
        validate_tags(tags)?;
        super::object_headers::unique_tag_keys(tags)?;
        let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging><TagSet>");
        for (k, v) in tags {
            body.push_str(&format!(
                "<Tag><Key>{}</Key><Value>{}</Value></Tag>",
                xml::escape(k),
                xml::escape(v)
            ));
        }
        body.push_str("</TagSet></Tagging>");
        let mut op = key.into().request(Method::PUT, bucket)?;
        op.query.push_flag("tagging");
        op.xml_body(body);
        self.execute_request(Ok(op), |answer| Ok(EmptyOutput::from_answer(&answer)))
            .await
    }

    /// GetObjectTagging (`GET /bucket/key?tagging`), of the latest version or of the one `key`
    /// names.
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchKey`, `NoSuchVersion`…).
    pub async fn get_object_tagging(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
    ) -> Result<TaggingOutput, Error> {
        let mut op = key.into().request(Method::GET, bucket)?;
        op.query.push_flag("tagging");
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            let root = xml::parse(&answer.body)?;
            let tags = root
                .child("TagSet")
                .map(|set| {
                    set.children_named("Tag")
                        .map(|t| (t.text_or_empty("Key"), t.text_or_empty("Value")))
                        .collect()
                })
                .unwrap_or_default();
            Ok(TaggingOutput {
                tags,
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }

    /// DeleteObjectTagging (`DELETE /bucket/key?tagging`), of the latest version or of the one
    /// `key` names; answers the `x-oss-request-id`.
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchKey`, `NoSuchVersion`…).
    pub async fn delete_object_tagging(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
    ) -> Result<EmptyOutput, Error> {
        let mut op = key.into().request(Method::DELETE, bucket)?;
        op.query.push_flag("tagging");
        self.execute_request(Ok(op), |answer| Ok(EmptyOutput::from_answer(&answer)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_rules() {
        let tags = vec![
            ("a b".to_owned(), "x+y".to_owned()),
            ("k".to_owned(), String::new()),
        ];
        assert_eq!(tagging_header(&tags), "a%20b=x%2By&k=");
        assert!(validate_tags(&tags).is_ok());
        let many: Vec<_> = (0..11).map(|i| (i.to_string(), String::new())).collect();
        assert!(validate_tags(&many).is_err());
        assert!(validate_tags(&[(String::new(), "v".to_owned())]).is_err());
    }
}
