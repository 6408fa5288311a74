//! [`DownloadOptions`]: what the [`Downloader`](super::Downloader) sends on the HeadObject and
//! every ranged GetObject of a download.

use std::time::SystemTime;

use crate::error::Error;
use crate::operation::object_options::RequestControls;
use crate::operation::object_properties::Conditions;
use crate::types::ByteRange;

/// The options of a download: which version and bytes, on which conditions, and the
/// per-request controls.
///
/// ```
/// use oss_client::transfer::DownloadOptions;
/// use oss_client::types::ByteRange;
///
/// let options = DownloadOptions::new()
///     .range(ByteRange::from(1024))
///     .if_match("\"5B3C1A2E053D763E1B002CC607C5A0FE\"")
///     .request_payer(true);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct DownloadOptions {
    pub(crate) version_id: Option<String>,
    pub(crate) range: Option<ByteRange>,
    pub(crate) conditions: Conditions,
    pub(crate) controls: RequestControls,
}

impl DownloadOptions {
    /// No options: the current version, the whole object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Downloads this version of the object (`versionId`, versioned buckets).
    pub fn version_id(mut self, version_id: impl Into<String>) -> Self {
        self.version_id = Some(version_id.into());
        self
    }

    /// Downloads only these bytes of the object into the file (which then holds just them).
    /// A range starting past the object's end fails with
    /// [`crate::ErrorKind::InvalidArgument`] after the HeadObject; an end past it is
    /// clamped. The whole object's CRC-64 cannot check a part of it, so a ranged download is
    /// checked range by range only (each GET's length and `Content-Range`).
    pub fn range(mut self, range: ByteRange) -> Self {
        self.range = Some(range);
        self
    }

    /// `If-Match` on the HeadObject: fail with 412 `PreconditionFailed` unless the ETag
    /// matches. (Every ranged GET is pinned to the ETag the HeadObject returned.)
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.conditions.if_match = Some(etag.into());
        self
    }

    /// `If-None-Match` on the HeadObject: fail with `NotModified` (304) if the ETag matches.
    pub fn if_none_match(mut self, etag: impl Into<String>) -> Self {
        self.conditions.if_none_match = Some(etag.into());
        self
    }

    /// `If-Modified-Since` on the HeadObject: fail with `NotModified` (304) unless the object
    /// changed after `time`.
    pub fn if_modified_since(mut self, time: SystemTime) -> Self {
        self.conditions.if_modified_since = Some(time);
        self
    }

    /// `If-Unmodified-Since` on the HeadObject: fail with 412 `PreconditionFailed` if the
    /// object changed after `time`.
    pub fn if_unmodified_since(mut self, time: SystemTime) -> Self {
        self.conditions.if_unmodified_since = Some(time);
        self
    }

    /// `x-oss-request-payer: requester` on every request of the download.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.controls.request_payer = requester_pays;
        self
    }

    /// `x-oss-traffic-limit` on every ranged GET, in bit/s (819200 to 838860800; other values
    /// are refused with [`crate::ErrorKind::InvalidArgument`] before any I/O).
    pub fn traffic_limit(mut self, bits_per_second: u64) -> Self {
        self.controls.traffic_limit = Some(bits_per_second);
        self
    }

    /// The first byte and the length of the bytes to download from an object of `size`
    /// bytes.
    pub(crate) fn window(&self, size: u64) -> Result<(u64, u64), Error> {
        let (first, last) = match self.range {
            None => return Ok((0, size)),
            Some(ByteRange::Suffix { length }) => (size - length.min(size), size),
            Some(ByteRange::From { first }) => (first, size),
            Some(ByteRange::Inclusive { first, last }) => (first, (last + 1).min(size)),
        };
        if first >= size && !(size == 0 && first == 0) {
            return Err(Error::invalid_argument(format!(
                "the range starts at byte {first}, past the end of the {size}-byte object"
            )));
        }
        Ok((first, last - first))
    }
}

#[cfg(test)]
mod tests {
    use super::DownloadOptions;
    use crate::ErrorKind;
    use crate::types::ByteRange;

    #[test]
    fn windows_of_each_range() {
        let whole = DownloadOptions::new();
        assert_eq!(whole.window(100).unwrap(), (0, 100));
        let range = |r| DownloadOptions::new().range(r);
        assert_eq!(range(ByteRange::from(40)).window(100).unwrap(), (40, 60));
        assert_eq!(
            range(ByteRange::suffix(30).unwrap()).window(100).unwrap(),
            (70, 30)
        );
        assert_eq!(
            range(ByteRange::suffix(300).unwrap()).window(100).unwrap(),
            (0, 100)
        );
        let inclusive = range(ByteRange::inclusive(10, 500).unwrap());
        assert_eq!(inclusive.window(100).unwrap(), (10, 90));
        let past = range(ByteRange::from(100)).window(100).unwrap_err();
        assert_eq!(past.kind(), ErrorKind::InvalidArgument);
    }
}
