//! [`ObjectOptions`]: everything a write of a new object takes besides its bytes, set once and
//! shared by PutObject, AppendObject, InitiateMultipartUpload and the
//! [`Uploader`](crate::transfer::Uploader).
//!
//! The same value given to the Uploader reaches the one PutObject of a small object, or the
//! InitiateMultipartUpload of a large one, and never an UploadPart or the
//! CompleteMultipartUpload (OSS takes an object's attributes when the upload starts).

use std::path::Path;

use http::HeaderValue;

use super::encryption::ServerSideEncryption;
use super::object_headers::ObjectHeaders;
use crate::error::Error;
use crate::request::OperationRequest;

/// The smallest `x-oss-traffic-limit` OSS accepts: 819200 bit/s (100 KiB/s).
pub const MIN_TRAFFIC_LIMIT: u64 = 819_200;
/// The largest `x-oss-traffic-limit` OSS accepts: 838860800 bit/s (100 MiB/s).
pub const MAX_TRAFFIC_LIMIT: u64 = 838_860_800;

/// The attributes and controls of an object being written; see the [module](self)
/// documentation.
///
/// ```
/// use oss_client::operation::encryption::ServerSideEncryption;
/// use oss_client::operation::object_options::ObjectOptions;
///
/// let options = ObjectOptions::new()
///     .cache_control("max-age=3600")
///     .metadata("owner", "web-team")
///     .tag("project", "site")
///     .acl("public-read")
///     .storage_class("IA")
///     .server_side_encryption(ServerSideEncryption::Aes256);
/// // client.put_object().bucket("b").key("index.html").options(options.clone())…
/// # let _ = options;
/// ```
///
/// **Content-Type**: when none is set, it is guessed from the object key's extension (then
/// from the file name, for a body read from a file) with the `mime_guess` table, as the
/// official SDKs do; a name without a known extension is sent without one, and OSS stores
/// `application/octet-stream`. [`Self::detect_content_type`]`(false)` turns the guess off.
#[derive(Debug, Clone, Default)]
pub struct ObjectOptions {
    pub(crate) headers: ObjectHeaders,
    detect_content_type: Option<bool>,
    forbid_overwrite: Option<bool>,
    traffic_limit: Option<u64>,
    encryption: Option<ServerSideEncryption>,
    request_payer: bool,
}

impl ObjectOptions {
    /// No options: OSS's defaults, Content-Type guessed from the key.
    pub fn new() -> Self {
        Self::default()
    }

    /// `Content-Type` (OSS stores and returns it). Setting one turns the guess off.
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.header("content-type", value)
    }

    /// Whether a missing `Content-Type` is guessed from the object key or file name
    /// (default `true`).
    pub fn detect_content_type(mut self, detect: bool) -> Self {
        self.detect_content_type = Some(detect);
        self
    }

    /// `Cache-Control`, stored and returned on GET.
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.header("cache-control", value)
    }

    /// `Content-Disposition`, stored and returned on GET.
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        self.header("content-disposition", value)
    }

    /// `Content-Encoding`, stored and returned on GET; the bytes are stored as sent.
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.header("content-encoding", value)
    }

    /// `Content-Language`, stored and returned on GET.
    pub fn content_language(self, value: impl Into<String>) -> Self {
        self.header("content-language", value)
    }

    /// `Expires`, stored and returned on GET (an HTTP date; OSS keeps any text).
    pub fn expires(self, value: impl Into<String>) -> Self {
        self.header("expires", value)
    }

    /// `x-oss-storage-class`: `Standard`, `IA`, `Archive`, `ColdArchive`, `DeepColdArchive`
    /// (others: OSS answers 400 `InvalidArgument`).
    pub fn storage_class(self, value: impl Into<String>) -> Self {
        self.header("x-oss-storage-class", value)
    }

    /// `x-oss-object-acl`: `default`, `private`, `public-read`, `public-read-write` (others:
    /// OSS answers 400 `InvalidArgument`).
    pub fn acl(self, value: impl Into<String>) -> Self {
        self.header("x-oss-object-acl", value)
    }

    /// One user metadata entry, sent as `x-oss-meta-<name>` (name lower-cased). The value must
    /// be printable ASCII. A name given twice (case-insensitively) is refused with
    /// [`crate::ErrorKind::DuplicateName`] before any I/O.
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.metadata(name.into(), value.into());
        self
    }

    /// A tag, sent in `x-oss-tagging` (at most 10 tags; keys 1-128, values 0-256 characters; a
    /// key given twice is refused with [`crate::ErrorKind::DuplicateName`]).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.tag(key.into(), value.into());
        self
    }

    /// Server-side encryption of the stored object (`x-oss-server-side-encryption`, with
    /// `-key-id` and `x-oss-server-side-data-encryption` for KMS).
    pub fn server_side_encryption(mut self, encryption: ServerSideEncryption) -> Self {
        self.encryption = Some(encryption);
        self
    }

    /// `x-oss-forbid-overwrite: true`: the write fails with 409 `FileAlreadyExists` when the
    /// key exists.
    pub fn forbid_overwrite(mut self, forbid: bool) -> Self {
        self.forbid_overwrite = Some(forbid);
        self
    }

    /// `x-oss-traffic-limit`: OSS paces this request to `bits_per_second` (819200 to
    /// 838860800, that is 100 KiB/s to 100 MiB/s; other values are refused with
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O). On the Uploader it applies to
    /// each request of the upload.
    pub fn traffic_limit(mut self, bits_per_second: u64) -> Self {
        self.traffic_limit = Some(bits_per_second);
        self
    }

    /// `x-oss-request-payer: requester`: the requester pays for the request and traffic of a
    /// bucket with pay-by-requester enabled (OSS refuses such requests without it).
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.set(name, value.into());
        self
    }

    /// Adds every option set in `other`: its values replace those set here, its metadata and
    /// tags are added (a name given in both is refused when the request is sent).
    pub(crate) fn merge(&mut self, other: ObjectOptions) {
        self.headers.merge(other.headers);
        let keep = |mine: &mut Option<_>, theirs: Option<_>| {
            if theirs.is_some() {
                *mine = theirs;
            }
        };
        keep(&mut self.detect_content_type, other.detect_content_type);
        keep(&mut self.forbid_overwrite, other.forbid_overwrite);
        self.traffic_limit = other.traffic_limit.or(self.traffic_limit);
        self.encryption = other.encryption.or(self.encryption.take());
        self.request_payer |= other.request_payer;
    }

    /// Whether only stored attributes are set (Content-Type, Cache-Control,
    /// Content-Disposition, Content-Encoding, Expires, user metadata): what a copy's
    /// `REPLACE` directive takes.
    pub(crate) fn is_attributes_only(&self) -> bool {
        self.headers.is_attributes_only()
            && self.forbid_overwrite.is_none()
            && self.traffic_limit.is_none()
            && self.encryption.is_none()
            && !self.request_payer
    }

    /// These options with the Content-Type guessed from `key` when none is set and detection
    /// is on (for requests that take [`ObjectHeaders`] only, such as CopyObject).
    pub(crate) fn with_guessed_content_type(mut self, key: &str) -> Self {
        if self.detect_content_type != Some(false) && !self.headers.has("content-type") {
            if let Some(guess) = mime_guess::from_path(key).first_raw() {
                self.headers.set("content-type", guess.to_owned());
            }
        }
        self
    }

    /// Whether `x-oss-forbid-overwrite: true` is sent.
    pub(crate) fn forbids_overwrite(&self) -> bool {
        self.forbid_overwrite == Some(true)
    }

    /// Checks every rule without sending (see [`ObjectHeaders::check`], the traffic limit and
    /// the encryption key id).
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.headers.check()?;
        if let Some(limit) = self.traffic_limit {
            check_traffic_limit(limit)?;
        }
        if let Some(encryption) = &self.encryption {
            encryption.check()?;
        }
        Ok(())
    }

    /// Checks everything and adds the headers to `op`. `file` is the body's file, whose name
    /// is the second source of a guessed Content-Type.
    pub(crate) fn apply(
        &self,
        op: &mut OperationRequest,
        file: Option<&Path>,
    ) -> Result<(), Error> {
        self.check()?;
        self.headers.apply(op)?;
        if self.detect_content_type != Some(false) && !op.headers.contains_key("content-type") {
            let key = op.key.as_deref().unwrap_or_default();
            if let Some(guess) = guess_content_type(key, file) {
                op.headers.insert(http::header::CONTENT_TYPE, guess);
            }
        }
        if self.forbids_overwrite() {
            op.header("x-oss-forbid-overwrite", HeaderValue::from_static("true"));
        }
        self.apply_controls(op);
        if let Some(encryption) = &self.encryption {
            encryption.apply(op)?;
        }
        Ok(())
    }

    /// Adds only the per-request controls (traffic limit, request payer): what the Uploader
    /// sends on every UploadPart and CompleteMultipartUpload besides the Initiate.
    pub(crate) fn apply_controls(&self, op: &mut OperationRequest) {
        if let Some(limit) = self.traffic_limit {
            op.header("x-oss-traffic-limit", HeaderValue::from(limit));
        }
        op.request_payer(self.request_payer);
    }

    /// The per-request controls alone, for the requests of an upload after its first.
    pub(crate) fn controls(&self) -> RequestControls {
        RequestControls {
            traffic_limit: self.traffic_limit,
            request_payer: self.request_payer,
        }
    }
}

/// The controls that apply to each request of a transfer: `x-oss-traffic-limit` and
/// `x-oss-request-payer`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RequestControls {
    pub(crate) traffic_limit: Option<u64>,
    pub(crate) request_payer: bool,
}

impl RequestControls {
    /// Refuses a traffic limit outside what OSS accepts.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.traffic_limit.map_or(Ok(()), check_traffic_limit)
    }

    /// Checks the traffic limit and adds both headers to `op`.
    pub(crate) fn apply(&self, op: &mut OperationRequest) -> Result<(), Error> {
        let mut options = ObjectOptions::new().request_payer(self.request_payer);
        if let Some(limit) = self.traffic_limit {
            check_traffic_limit(limit)?;
            options = options.traffic_limit(limit);
        }
        options.apply_controls(op);
        Ok(())
    }
}

/// Refuses a traffic limit outside what OSS accepts.
pub(crate) fn check_traffic_limit(bits_per_second: u64) -> Result<(), Error> {
    if (MIN_TRAFFIC_LIMIT..=MAX_TRAFFIC_LIMIT).contains(&bits_per_second) {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "x-oss-traffic-limit must be {MIN_TRAFFIC_LIMIT}..={MAX_TRAFFIC_LIMIT} bit/s, not \
             {bits_per_second}"
        )))
    }
}

/// The MIME type of `key`'s extension, else of `file`'s, from the `mime_guess` table.
fn guess_content_type(key: &str, file: Option<&Path>) -> Option<HeaderValue> {
    let guess = mime_guess::from_path(key)
        .first_raw()
        .or_else(|| file.and_then(|f| mime_guess::from_path(f).first_raw()))?;
    HeaderValue::from_str(guess).ok()
}

#[cfg(test)]
mod tests {
    use http::Method;

    use super::*;
    use crate::ErrorKind;

    fn applied(options: &ObjectOptions, key: &str, file: Option<&Path>) -> http::HeaderMap {
        let mut op =
            OperationRequest::object(Method::PUT, Some("bucket".into()), Some(key.into())).unwrap();
        options.apply(&mut op, file).unwrap();
        op.headers
    }

    #[test]
    fn content_type_is_guessed_from_the_key_then_the_file() {
        let none = ObjectOptions::new();
        assert_eq!(
            applied(&none, "site/index.html", None)["content-type"],
            "text/html"
        );
        assert_eq!(
            applied(&none, "a/photo.PNG", None)["content-type"],
            "image/png"
        );
        let file = Path::new("/tmp/data.json");
        assert_eq!(
            applied(&none, "no-extension", Some(file))["content-type"],
            "application/json"
        );
        assert!(!applied(&none, "no-extension", None).contains_key("content-type"));
        let off = ObjectOptions::new().detect_content_type(false);
        assert!(!applied(&off, "index.html", None).contains_key("content-type"));
        let set = ObjectOptions::new().content_type("text/x-custom");
        assert_eq!(
            applied(&set, "index.html", None)["content-type"],
            "text/x-custom"
        );
    }

    #[test]
    fn merge_replaces_values_and_adds_entries() {
        let mut base = ObjectOptions::new()
            .cache_control("no-cache")
            .metadata("a", "1")
            .traffic_limit(MIN_TRAFFIC_LIMIT);
        base.merge(
            ObjectOptions::new()
                .cache_control("max-age=60")
                .metadata("b", "2")
                .forbid_overwrite(true),
        );
        let headers = applied(&base, "k", None);
        assert_eq!(headers["cache-control"], "max-age=60");
        assert_eq!(headers["x-oss-meta-a"], "1");
        assert_eq!(headers["x-oss-meta-b"], "2");
        assert_eq!(headers["x-oss-forbid-overwrite"], "true");
        assert_eq!(headers["x-oss-traffic-limit"], "819200");
    }

    #[test]
    fn traffic_limits_outside_the_range_oss_accepts_are_refused() {
        for limit in [0, MIN_TRAFFIC_LIMIT - 1, MAX_TRAFFIC_LIMIT + 1] {
            let e = ObjectOptions::new()
                .traffic_limit(limit)
                .check()
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{limit}");
        }
        assert!(
            ObjectOptions::new()
                .traffic_limit(MAX_TRAFFIC_LIMIT)
                .check()
                .is_ok()
        );
    }
}
