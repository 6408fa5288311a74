//! The store's data model: object versions and their attributes, multipart uploads and
//! their parts, a bucket's settings, and the ids the store hands out. Plain data: no locks
//! beyond the per-item ones, no disk.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderName, HeaderValue};

use super::blob::Blob;

/// `x-oss-object-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectType {
    /// PutObject, CopyObject.
    Normal,
    /// CompleteMultipartUpload.
    Multipart,
    /// AppendObject.
    Appendable,
    /// PutSymlink.
    Symlink,
}

impl ObjectType {
    /// The header and XML text.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "Normal",
            Self::Multipart => "Multipart",
            Self::Appendable => "Appendable",
            Self::Symlink => "Symlink",
        }
    }
}

/// Where an archive object's restore stands (see the crate README for the timing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Restore {
    /// Never restored (or not an archive object).
    #[default]
    None,
    /// RestoreObject was accepted for `days`; the copy is readable from `ready` on (on the
    /// emulator's clock), for `days` from then.
    Ongoing {
        /// How long the restored copy stays readable.
        days: u32,
        /// When the restore completes.
        ready: SystemTime,
    },
    /// Readable until `expiry`.
    Done {
        /// When the restored copy expires.
        expiry: SystemTime,
    },
}

/// The attributes of one object version that change after it was written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attrs {
    /// `default`, `private`, `public-read` or `public-read-write`.
    pub(crate) acl: String,
    /// Object tags in the order given.
    pub(crate) tags: Vec<(String, String)>,
    /// Restore state (archive storage classes only).
    pub(crate) restore: Restore,
    /// When SealAppendObject first sealed the object (Appendable objects only).
    pub(crate) sealed: Option<SystemTime>,
    /// PutObjectRetention (or the bucket's default retention): mode and retain-until date.
    pub(crate) retention: Option<ObjectRetention>,
    /// PutObjectLegalHold `ON`.
    pub(crate) legal_hold: bool,
}

/// An object version's retention (object-level WORM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectRetention {
    /// `GOVERNANCE` or `COMPLIANCE`.
    pub(crate) mode: String,
    /// Until when the version can be neither deleted nor overwritten (whole seconds, UTC).
    pub(crate) until: SystemTime,
}

/// One stored object version (or delete marker).
#[derive(Debug)]
pub(crate) struct Object {
    /// The body, exactly as uploaded (empty for symlinks and delete markers).
    pub(crate) data: Blob,
    /// Quoted ETag: upper-case hex MD5 (Normal, Symlink), `<hex>-<n>` (Multipart) or opaque
    /// (Appendable).
    pub(crate) etag: String,
    /// Base64 MD5 of the body, for Normal objects only.
    pub(crate) content_md5: Option<String>,
    /// CRC-64/XZ of the body.
    pub(crate) crc64: u64,
    /// Write time, whole seconds (OSS shows `.000Z` in XML; oss2 insists on it).
    pub(crate) last_modified: SystemTime,
    /// Stored `Content-Type` (default `application/octet-stream`).
    pub(crate) content_type: HeaderValue,
    /// Stored `Cache-Control`, `Content-Disposition`, `Content-Encoding`, `Expires` and
    /// `x-oss-meta-*` headers (lower-case names, values byte for byte as received).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Normal, Multipart, Appendable or Symlink.
    pub(crate) object_type: ObjectType,
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`.
    pub(crate) storage_class: String,
    /// The target key of a symlink.
    pub(crate) symlink_target: Option<String>,
    /// Set by the store: `None` in a never-versioned bucket, `null` while suspended.
    pub(crate) version_id: Option<String>,
    /// A delete marker (no data).
    pub(crate) delete_marker: bool,
    /// ACL, tags, restore state.
    pub(crate) attrs: Mutex<Attrs>,
    /// The key (set by the store).
    pub(crate) key: String,
    /// The durable store's file number (set by the store; 0 in memory).
    pub(crate) seq: u64,
}

impl Default for Object {
    fn default() -> Self {
        Self {
            data: Blob::default(),
            etag: String::new(),
            content_md5: None,
            crc64: 0,
            last_modified: UNIX_EPOCH,
            content_type: HeaderValue::from_static("application/octet-stream"),
            headers: Vec::new(),
            object_type: ObjectType::Normal,
            storage_class: "Standard".to_owned(),
            symlink_target: None,
            version_id: None,
            delete_marker: false,
            attrs: Mutex::new(Attrs {
                acl: "default".to_owned(),
                ..Attrs::default()
            }),
            key: String::new(),
            seq: 0,
        }
    }
}

impl Object {
    /// The mutable attributes. Do not hold the guard across an `.await`.
    pub(crate) fn attrs(&self) -> MutexGuard<'_, Attrs> {
        self.attrs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The version id, `null` for objects written before versioning was enabled.
    pub(crate) fn version_id_or_null(&self) -> &str {
        self.version_id.as_deref().unwrap_or("null")
    }

    /// Whether the storage class needs a restore before the data can be read.
    pub(crate) fn is_archive(&self) -> bool {
        matches!(
            self.storage_class.as_str(),
            "Archive" | "ColdArchive" | "DeepColdArchive"
        )
    }
}

/// A bucket's versioning state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Versioning {
    /// Never enabled: no version ids.
    #[default]
    Off,
    /// New writes get a fresh version id; deletes add delete markers.
    Enabled,
    /// New writes get version id `null`, replacing the previous `null` version.
    Suspended,
}

/// Changeable bucket settings.
#[derive(Debug, Clone)]
pub(crate) struct BucketConfig {
    /// `private`, `public-read` or `public-read-write`.
    pub(crate) acl: String,
    /// The versioning state.
    pub(crate) versioning: Versioning,
    /// The configuration documents put on the bucket, by family name (`cors`, `lifecycle`,
    /// …), each exactly as the request body carried it (validated UTF-8).
    pub(crate) documents: BTreeMap<String, String>,
}

/// One uploaded part.
#[derive(Debug)]
pub(crate) struct Part {
    /// The part body as received.
    pub(crate) data: Blob,
    /// Binary MD5 of the part.
    pub(crate) md5: [u8; 16],
    /// Quoted upper-case hex MD5.
    pub(crate) etag: String,
    /// CRC-64/XZ of the part.
    pub(crate) crc64: u64,
    /// Upload time, whole seconds.
    pub(crate) last_modified: SystemTime,
}

/// One multipart upload in progress.
#[derive(Debug)]
pub(crate) struct Upload {
    /// The object key.
    pub(crate) key: String,
    /// The upload id (32 upper-case hex characters).
    pub(crate) upload_id: String,
    /// When it was initiated (whole seconds).
    pub(crate) initiated: SystemTime,
    /// Content headers and metadata given at Initiate.
    pub(crate) content_type: HeaderValue,
    /// Stored headers (see [`Object::headers`]).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Storage class of the object to be.
    pub(crate) storage_class: String,
    /// Tags of the object to be.
    pub(crate) tags: Vec<(String, String)>,
    /// ACL of the object to be.
    pub(crate) acl: String,
    /// `x-oss-forbid-overwrite` given at Initiate.
    pub(crate) forbid_overwrite: bool,
    parts: Mutex<BTreeMap<u32, Arc<Part>>>,
}

impl Upload {
    /// A new upload with no parts.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        key: &str,
        initiated: SystemTime,
        content_type: HeaderValue,
        headers: Vec<(HeaderName, HeaderValue)>,
        storage_class: String,
        tags: Vec<(String, String)>,
        acl: String,
        forbid_overwrite: bool,
    ) -> Self {
        Self {
            key: key.to_owned(),
            upload_id: new_id(),
            initiated,
            content_type,
            headers,
            storage_class,
            tags,
            acl,
            forbid_overwrite,
            parts: Mutex::default(),
        }
    }

    /// The parts uploaded so far. Do not hold the guard across an `.await`.
    pub(crate) fn parts(&self) -> MutexGuard<'_, BTreeMap<u32, Arc<Part>>> {
        self.parts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh, unique id: 32 upper-case hex characters (time in ns, then a counter).
pub(crate) fn new_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{nanos:016X}{n:016X}")
}

/// A fresh version id, as opaque as OSS's (base64 of binary data): `CAEQ+///` then standard
/// base64 of 16 bytes (time in ns, a counter), ending in `==`. It always contains `+`, `/`
/// and `=`, so a client that puts it into a query without percent-encoding it fails here
/// (a raw `+` is read as a space) rather than against OSS. Never `null`.
pub(crate) fn new_version_id() -> String {
    use base64::Engine as _;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut bytes = vec![0xfb, 0xff, 0xff];
    bytes.extend_from_slice(&nanos.to_be_bytes());
    bytes.extend_from_slice(&n.to_be_bytes());
    format!(
        "CAEQ{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// What a delete did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DeleteOutcome {
    /// `x-oss-version-id`: the version removed, or the delete marker created.
    pub(crate) version_id: Option<String>,
    /// `x-oss-delete-marker: true`: a delete marker was created or removed.
    pub(crate) delete_marker: bool,
}

/// Versions of one key, oldest first (the last one is the latest).
pub(crate) type Versions = Vec<Arc<Object>>;
