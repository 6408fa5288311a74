//! Data types shared by operations.

use std::fmt;
use std::time::SystemTime;

use crate::error::Error;
pub use crate::restore_state::RestoreState;

pub use crate::oss_uri::OssUri;

/// A byte range of an object, sent as `Range: bytes=…` with `x-oss-range-behavior: standard`.
/// There is deliberately no way to ask for several ranges at once (OSS refuses multi-range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteRange {
    /// Bytes `first..=last` (inclusive, zero-based). A `last` past the end is clamped by OSS.
    Inclusive {
        /// The first byte.
        first: u64,
        /// The last byte.
        last: u64,
    },
    /// Bytes from `first` to the end.
    From {
        /// The first byte.
        first: u64,
    },
    /// The last `length` bytes.
    Suffix {
        /// How many bytes from the end.
        length: u64,
    },
}

impl ByteRange {
    /// Bytes `first..=last`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] when `last < first`.
    pub fn inclusive(first: u64, last: u64) -> Result<Self, Error> {
        if last < first {
            return Err(Error::invalid_argument(format!(
                "invalid range {first}-{last}: the last byte is before the first"
            )));
        }
        Ok(Self::Inclusive { first, last })
    }

    /// Bytes from `first` to the end.
    pub fn from(first: u64) -> Self {
        Self::From { first }
    }

    /// The last `length` bytes.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] when `length` is 0.
    pub fn suffix(length: u64) -> Result<Self, Error> {
        if length == 0 {
            return Err(Error::invalid_argument(
                "a suffix range needs at least one byte",
            ));
        }
        Ok(Self::Suffix { length })
    }

    /// Whether the range starts at byte 0 (so a 0-byte object reads as empty).
    pub(crate) fn starts_at_zero(&self) -> bool {
        matches!(
            self,
            Self::Inclusive { first: 0, .. } | Self::From { first: 0 }
        )
    }

    /// Checks a `Content-Range` answer (`first`, `last`, `total`) against this request.
    pub(crate) fn matches(&self, first: u64, last: u64, total: u64) -> bool {
        if total == 0 || last < first || last >= total {
            return false;
        }
        match *self {
            Self::Inclusive { first: f, last: l } => first == f && last == l.min(total - 1),
            Self::From { first: f } => first == f && last == total - 1,
            Self::Suffix { length } => last == total - 1 && last - first + 1 == length.min(total),
        }
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Inclusive { first, last } => write!(f, "bytes={first}-{last}"),
            Self::From { first } => write!(f, "bytes={first}-"),
            Self::Suffix { length } => write!(f, "bytes=-{length}"),
        }
    }
}

/// The owner of a bucket or object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Owner {
    /// The account id.
    pub id: String,
    /// The display name.
    pub display_name: String,
}

/// One object in a listing.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObjectSummary {
    /// The object key (decoded).
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// The ETag, quoted as OSS returns it (`"5EB63BBBE01EEED093CB22BB8F5ACDC3"`).
    pub etag: String,
    /// Last modification time (UTC), when present and parseable.
    pub last_modified: Option<SystemTime>,
    /// `Normal`, `Multipart`, `Appendable` or `Symlink`.
    pub object_type: String,
    /// `Standard`, `IA`, `Archive`, `ColdArchive`, `DeepColdArchive`.
    pub storage_class: String,
    /// The owner, only when the listing asked for it (`fetch-owner`).
    pub owner: Option<Owner>,
}

/// One bucket in ListBuckets.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BucketSummary {
    /// The bucket name.
    pub name: String,
    /// The region id (`cn-hangzhou`).
    pub region: String,
    /// The location (`oss-cn-hangzhou`).
    pub location: String,
    /// Creation time (UTC).
    pub creation_date: Option<SystemTime>,
    /// The bucket's storage class.
    pub storage_class: String,
    /// The public endpoint.
    pub extranet_endpoint: String,
    /// The internal endpoint.
    pub intranet_endpoint: String,
}

/// An answer's HTTP status and headers as received, beside an output's typed fields: for
/// headers the SDK does not type (`x-oss-server-time`, headers OSS adds later…).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status (2xx).
    pub status: http::StatusCode,
    /// Every response header, in the order received.
    pub headers: http::HeaderMap,
}

impl RawResponse {
    /// The status and headers of a received answer.
    pub(crate) fn new(status: http::StatusCode, headers: http::HeaderMap) -> Self {
        Self { status, headers }
    }

    /// `x-oss-request-id`, or empty when the answer has none.
    pub(crate) fn request_id(&self) -> String {
        self.header("x-oss-request-id")
            .unwrap_or_default()
            .to_owned()
    }

    /// A header's value as text (`None` when absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// An object key, optionally with one version of the object (versioned buckets): what the
/// object-level operations without a builder take (tagging, ACL, symlink, existence), so
/// `"photo.jpg"` addresses the latest version and
/// `ObjectKey::new("photo.jpg").version_id("CAEQ…")` one version, sent as the `versionId`
/// query parameter. [`ObjectKey::request_payer`] sends `x-oss-request-payer: requester` for
/// a bucket with pay-by-requester enabled.
///
/// PutSymlink, SealAppendObject and AbortMultipartUpload address no version: given a key
/// with a version id they refuse it with [`crate::ErrorKind::InvalidArgument`] before I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey {
    key: String,
    version_id: Option<String>,
    request_payer: bool,
}

impl ObjectKey {
    /// The latest version of `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            version_id: None,
            request_payer: false,
        }
    }

    /// One version of the object (`versionId`, as OSS returned it in `x-oss-version-id`).
    pub fn version_id(mut self, version_id: impl Into<String>) -> Self {
        self.version_id = Some(version_id.into());
        self
    }

    /// `x-oss-request-payer: requester` on the request: the requester pays for the request
    /// and traffic of a bucket with pay-by-requester enabled (OSS API reference "Pay-by-
    /// requester"); without it such a bucket refuses other accounts with 403 `AccessDenied`.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The version, when one was chosen.
    pub fn version(&self) -> Option<&str> {
        self.version_id.as_deref()
    }

    /// A request on this object (key and version) in `bucket`, both validated.
    pub(crate) fn request(
        self,
        method: http::Method,
        bucket: &str,
    ) -> Result<crate::request::OperationRequest, Error> {
        let mut op = crate::request::OperationRequest::object(
            method,
            Some(bucket.to_owned()),
            Some(self.key),
        )?;
        if let Some(version) = self.version_id {
            op.query.push("versionId", version);
        }
        op.request_payer(self.request_payer);
        Ok(op)
    }

    /// The request for an operation that addresses no version (`operation` names it in the
    /// error): a version id is refused with [`crate::ErrorKind::InvalidArgument`].
    pub(crate) fn unversioned_request(
        self,
        method: http::Method,
        bucket: &str,
        operation: &str,
    ) -> Result<crate::request::OperationRequest, Error> {
        if self.version_id.is_some() {
            return Err(Error::invalid_argument(format!(
                "{operation} takes no version id (it acts on the latest version)"
            )));
        }
        self.request(method, bucket)
    }
}

impl From<&str> for ObjectKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for ObjectKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl From<&String> for ObjectKey {
    fn from(key: &String) -> Self {
        Self::new(key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_checks() {
        let r = ByteRange::inclusive(100, 199).unwrap();
        assert!(r.matches(100, 199, 1000));
        assert!(!r.matches(0, 999, 1000));
        let r = ByteRange::inclusive(500, 2000).unwrap();
        assert!(r.matches(500, 999, 1000));
        assert!(ByteRange::suffix(500).unwrap().matches(500, 999, 1000));
        assert!(ByteRange::suffix(5000).unwrap().matches(0, 999, 1000));
        assert!(ByteRange::from(0).matches(0, 999, 1000));
        assert!(ByteRange::inclusive(5, 4).is_err());
        assert_eq!(ByteRange::suffix(3).unwrap().to_string(), "bytes=-3");
    }
}
