//! The response header names the client reads, parsed once at compile time instead of on
//! every lookup (a `&str` lookup parses the name each time).

use http::HeaderName;

pub(crate) use http::header::{CONTENT_LENGTH, CONTENT_RANGE, ETAG, LAST_MODIFIED};

/// `x-oss-request-id`: the id OSS gives every request.
pub(crate) const X_OSS_REQUEST_ID: HeaderName = HeaderName::from_static("x-oss-request-id");
/// `x-oss-hash-crc64ecma`: CRC-64/XZ (ECMA-182) of the stored object, as decimal.
pub(crate) const X_OSS_HASH_CRC64ECMA: HeaderName = HeaderName::from_static("x-oss-hash-crc64ecma");
/// `x-oss-version-id`: the object version written, read or deleted.
pub(crate) const X_OSS_VERSION_ID: HeaderName = HeaderName::from_static("x-oss-version-id");
/// `x-oss-copy-source-version-id`: the source version CopyObject read.
pub(crate) const X_OSS_COPY_SOURCE_VERSION_ID: HeaderName =
    HeaderName::from_static("x-oss-copy-source-version-id");
/// `x-oss-delete-marker`: `true` when a delete made or removed a delete marker.
pub(crate) const X_OSS_DELETE_MARKER: HeaderName = HeaderName::from_static("x-oss-delete-marker");
/// `x-oss-next-append-position`: where the next AppendObject starts, in bytes.
pub(crate) const X_OSS_NEXT_APPEND_POSITION: HeaderName =
    HeaderName::from_static("x-oss-next-append-position");
/// `x-oss-symlink-target`: the key a symlink points to (URL-encoded).
pub(crate) const X_OSS_SYMLINK_TARGET: HeaderName = HeaderName::from_static("x-oss-symlink-target");
/// `x-oss-sealed-time`: when an Appendable object was sealed (HTTP date).
pub(crate) const X_OSS_SEALED_TIME: HeaderName = HeaderName::from_static("x-oss-sealed-time");
