//! What GetObject and HeadObject share: the object's response headers and the conditional
//! request headers.

use std::time::SystemTime;

use http::HeaderMap;

use crate::error::Error;
use crate::request::OperationRequest;
use crate::response::{header, header_parse, header_string, header_time, metadata};
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
    /// `x-oss-version-id`, in versioned buckets.
    pub version_id: Option<String>,
    /// User metadata (`x-oss-meta-*`), names lower-case without the prefix.
    pub metadata: Vec<(String, String)>,
    /// `x-oss-request-id`.
    pub request_id: String,
}

impl ObjectProperties {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let opt = |name: &str| header(headers, name).map(str::to_owned);
        Self {
            content_length: header_parse(headers, "content-length").unwrap_or(0),
            content_type: opt("content-type"),
            etag: header_string(headers, "etag"),
            last_modified: header_time(headers, "last-modified"),
            crc64: header_parse(headers, "x-oss-hash-crc64ecma"),
            object_type: opt("x-oss-object-type"),
            storage_class: opt("x-oss-storage-class"),
            content_encoding: opt("content-encoding"),
            cache_control: opt("cache-control"),
            content_disposition: opt("content-disposition"),
            version_id: opt("x-oss-version-id"),
            metadata: metadata(headers),
            request_id: header_string(headers, "x-oss-request-id"),
        }
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
