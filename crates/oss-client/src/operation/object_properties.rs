//! What GetObject and HeadObject share: the object's response headers and the conditional
//! request headers.

use std::time::SystemTime;

use http::HeaderMap;

use super::encryption::ServerSideEncryptionInfo;
use super::expiration::ObjectExpiration;
use crate::error::Error;
use crate::request::OperationRequest;
use crate::restore_state::RestoreState;
use crate::types::RawResponse;
use crate::validate;

/// An object's properties, read from GetObject or HeadObject response headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObjectProperties {
    /// `Content-Length`: bytes in this response's body (for HEAD, the object size).
    pub content_length: u64,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `ETag`, quoted as returned.
    pub etag: String,
    /// `Last-Modified` (UTC).
    pub last_modified: Option<SystemTime>,
    /// `x-oss-hash-crc64ecma`: CRC-64/XZ of the whole object.
    pub crc64: Option<u64>,
    /// `x-oss-object-type`: `Normal`, `Multipart`, `Appendable`, `Symlink`.
    pub object_type: Option<String>,
    /// `x-oss-storage-class`.
    pub storage_class: Option<String>,
    /// `Content-Encoding` as stored (bytes are never decoded by the client).
    pub content_encoding: Option<String>,
    /// `Cache-Control`.
    pub cache_control: Option<String>,
    /// `Content-Disposition`.
    pub content_disposition: Option<String>,
    /// `Content-Language`.
    pub content_language: Option<String>,
    /// `Expires`, as stored (OSS keeps any text).
    pub expires: Option<String>,
    /// `x-oss-tagging-count`: how many tags the object has (0 when OSS sends none).
    pub tagging_count: u32,
    /// `x-oss-version-id`, in versioned buckets.
    pub version_id: Option<String>,
    /// `x-oss-restore`: where the restore of an archived object stands (`None` when OSS sent
    /// none: never restored, or the restored copy expired).
    pub restore: Option<RestoreState>,
    /// `x-oss-sealed-time`: when an Appendable object was sealed (SealAppendObject), UTC.
    pub sealed_time: Option<SystemTime>,
    /// User metadata (`x-oss-meta-*`), names lower-case without the prefix.
    pub metadata: Vec<(String, String)>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The object's server-side encryption (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// `x-oss-expiration`: when a lifecycle rule will delete the object.
    pub expiration: Option<ObjectExpiration>,
    /// The answer's status and headers as received.
    pub raw: RawResponse,
}

impl ObjectProperties {
    /// Reads the properties from an answer and keeps its status and headers as
    /// [`Self::raw`].
    pub(crate) fn from_response(status: http::StatusCode, headers: HeaderMap) -> Self {
        let mut p = Self::from_headers(&headers);
        p.raw = RawResponse { status, headers };
        p
    }

    /// Reads the properties in one pass over the headers (the first value of a repeated
    /// header counts; values that are not visible ASCII are ignored, except in metadata);
    /// [`Self::raw`] stays empty.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let mut p = Self {
            content_length: 0,
            content_type: None,
            etag: String::new(),
            last_modified: None,
            crc64: None,
            object_type: None,
            storage_class: None,
            content_encoding: None,
            cache_control: None,
            content_disposition: None,
            content_language: None,
            expires: None,
            tagging_count: 0,
            version_id: None,
            restore: None,
            sealed_time: None,
            metadata: Vec::new(),
            request_id: String::new(),
            server_side_encryption: None,
            expiration: None,
            raw: RawResponse::default(),
        };
        let mut content_length = None;
        for (name, value) in headers {
            let name = name.as_str();
            if let Some(short) = name.strip_prefix("x-oss-meta-") {
                p.metadata.push((
                    short.to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                ));
                continue;
            }
            // Only the values of headers read here are checked for visible ASCII.
            let text = || value.to_str().ok();
            let first = |field: &mut Option<String>| {
                if field.is_none() {
                    *field = text().map(str::to_owned);
                }
            };
            match name {
                "content-length" if content_length.is_none() => {
                    content_length = text().map(|t| t.trim_ascii().parse().unwrap_or(0));
                }
                "etag" if p.etag.is_empty() => p.etag = text().unwrap_or_default().to_owned(),
                "x-oss-request-id" if p.request_id.is_empty() => {
                    p.request_id = text().unwrap_or_default().to_owned();
                }
                "last-modified" if p.last_modified.is_none() => {
                    p.last_modified = text().and_then(|t| httpdate::parse_http_date(t).ok());
                }
                "x-oss-hash-crc64ecma" if p.crc64.is_none() => {
                    p.crc64 = text().and_then(|t| t.trim_ascii().parse().ok());
                }
                "content-type" => first(&mut p.content_type),
                "x-oss-object-type" => first(&mut p.object_type),
                "x-oss-storage-class" => first(&mut p.storage_class),
                "content-encoding" => first(&mut p.content_encoding),
                "cache-control" => first(&mut p.cache_control),
                "content-disposition" => first(&mut p.content_disposition),
                "content-language" => first(&mut p.content_language),
                "expires" => first(&mut p.expires),
                "x-oss-tagging-count" => {
                    p.tagging_count = text().and_then(|t| t.trim().parse().ok()).unwrap_or(0);
                }
                "x-oss-version-id" => first(&mut p.version_id),
                "x-oss-server-side-encryption" if p.server_side_encryption.is_none() => {
                    p.server_side_encryption = ServerSideEncryptionInfo::from_headers(headers);
                }
                "x-oss-expiration" if p.expiration.is_none() => {
                    p.expiration = text().map(ObjectExpiration::parse);
                }
                "x-oss-restore" if p.restore.is_none() => {
                    p.restore = text().map(RestoreState::parse);
                }
                "x-oss-sealed-time" if p.sealed_time.is_none() => {
                    p.sealed_time = text().and_then(|t| httpdate::parse_http_date(t).ok());
                }
                _ => {}
            }
        }
        p.content_length = content_length.unwrap_or(0);
        p
    }

    /// The value of one user metadata entry (name compared case-insensitively).
    pub fn metadata_value(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The HTTP conditional headers of GetObject and HeadObject.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions {
    pub(crate) if_match: Option<String>,
    pub(crate) if_none_match: Option<String>,
    pub(crate) if_modified_since: Option<SystemTime>,
    pub(crate) if_unmodified_since: Option<SystemTime>,
}

impl Conditions {
    pub(crate) fn apply(&self, op: &mut OperationRequest) -> Result<(), Error> {
        if let Some(v) = &self.if_match {
            op.header("if-match", validate::header_value("If-Match", v)?);
        }
        if let Some(v) = &self.if_none_match {
            op.header("if-none-match", validate::header_value("If-None-Match", v)?);
        }
        if let Some(t) = self.if_modified_since {
            let v = httpdate::fmt_http_date(t);
            op.header(
                "if-modified-since",
                validate::header_value("If-Modified-Since", &v)?,
            );
        }
        if let Some(t) = self.if_unmodified_since {
            let v = httpdate::fmt_http_date(t);
            op.header(
                "if-unmodified-since",
                validate::header_value("If-Unmodified-Since", &v)?,
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue};

    use super::ObjectProperties;

    #[test]
    fn reads_the_first_visible_value_of_each_header() {
        let mut headers = HeaderMap::new();
        let mut add = |name: &'static str, value: &[u8]| {
            headers.append(name, HeaderValue::from_bytes(value).unwrap());
        };
        add("content-length", b"4096");
        add("etag", b"\"caf\xc3\xa9\""); // not visible ASCII: skipped
        add("etag", b"\"5B3C1A2E053D763E1B002CC607C5A0FE\"");
        add("content-type", b"text/plain");
        add("content-type", b"image/png");
        add("last-modified", b"Fri, 24 Feb 2012 06:07:48 GMT");
        add("x-oss-hash-crc64ecma", b" 11051210869376104954 ");
        add("x-oss-request-id", b"5C3D9778CC1C2AEDF85BC4C3");
        add("x-oss-meta-owner", b"caf\xc3\xa9");
        add("server", b"AliyunOSS");
        add("expires", b"Thu, 01 Jan 2099 00:00:00 GMT");
        add("x-oss-tagging-count", b"2");
        add("x-oss-server-side-encryption", b"KMS");
        add("x-oss-server-side-encryption-key-id", b"cmk-1");
        add(
            "x-oss-expiration",
            b"expiry-date=\"Fri, 24 Feb 2012 06:07:48 GMT\", rule-id=\"r\"",
        );
        let p = ObjectProperties::from_headers(&headers);
        assert_eq!(p.content_length, 4096);
        assert_eq!(p.etag, "\"5B3C1A2E053D763E1B002CC607C5A0FE\"");
        assert_eq!(p.content_type.as_deref(), Some("text/plain"));
        assert_eq!(
            p.last_modified,
            Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_330_063_668))
        );
        assert_eq!(p.crc64, Some(11_051_210_869_376_104_954));
        assert_eq!(p.request_id, "5C3D9778CC1C2AEDF85BC4C3");
        assert_eq!(p.metadata, vec![("owner".to_owned(), "café".to_owned())]);
        assert_eq!(p.object_type, None);
        assert_eq!(p.expires.as_deref(), Some("Thu, 01 Jan 2099 00:00:00 GMT"));
        assert_eq!(p.tagging_count, 2);
        let sse = p.server_side_encryption.unwrap();
        assert_eq!(
            (sse.algorithm.as_str(), sse.key_id.as_deref()),
            ("KMS", Some("cmk-1"))
        );
        assert_eq!(p.expiration.unwrap().rule_id.as_deref(), Some("r"));
    }
}
