//! The durable store's files (`--data-dir`): crash-safe writes and the load at start.
//!
//! Layout (no name is ever derived from an object key or a client-supplied string):
//!
//! ```text
//! DIR/tmp/<pid>-<n>.tmp                     staging; emptied at start
//! DIR/account.json                          account-level documents (by name), absent until one is put
//! DIR/buckets/<bucket>/bucket.json          name, creation time, class, ACL, versioning,
//!                                           configuration documents (by family name)
//! DIR/buckets/<bucket>/objects/<seq>.data   the body of one object version (absent if empty)
//! DIR/buckets/<bucket>/objects/<seq>.meta   its JSON metadata, key included: the commit point
//! DIR/buckets/<bucket>/uploads/<id>.upload  a multipart upload (JSON)
//! DIR/buckets/<bucket>/uploads/<id>.<n>.part  part n: one JSON line naming its data file
//! DIR/buckets/<bucket>/uploads/<id>.<n>.<seq>.data  the bytes of part n
//! ```
//!
//! `<bucket>` is a validated bucket name (`[a-z0-9-]`), `<seq>` 16 hex digits from a
//! counter, `<id>` an upload id the emulator generated (32 upper-case hex), `<n>` a part
//! number (5 digits). Bodies are written to `tmp/` as they arrive, fsynced and renamed into
//! place; metadata files are written whole the same way; the directory is fsynced after
//! each rename: a file is either absent or complete. An object version exists once its
//! `.meta` does (its `.data` is renamed first); a part once its `.part` does (likewise); an
//! upload once its `.upload` does. A `.data` file is never changed after its rename; it is
//! removed when its version or part is gone and nothing reads it any more. At start, data
//! files no metadata names, parts without an upload, uploads that a committed object says
//! it completed, superseded versions (same key and version id, lower seq) and bucket
//! directories without `bucket.json` are deleted; the metadata is loaded into memory, the
//! bodies stay on disk. (A `.part` written by an older emulator holds its bytes after the
//! JSON line; it is still read.)

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};

use super::blob::{Blob, BlobWriter, DataFile, Staged, Written};
use super::model::{Attrs, Object, ObjectRetention, ObjectType, Part, Restore, Upload, Versioning};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A data directory.
#[derive(Debug)]
pub(crate) struct Disk {
    root: PathBuf,
    seq: AtomicU64,
    tmp: AtomicU64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Time {
    secs: u64,
    nanos: u32,
}

impl From<SystemTime> for Time {
    fn from(t: SystemTime) -> Self {
        let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
        Self {
            secs: d.as_secs(),
            nanos: d.subsec_nanos(),
        }
    }
}

impl From<Time> for SystemTime {
    fn from(t: Time) -> Self {
        UNIX_EPOCH + Duration::new(t.secs, t.nanos)
    }
}

/// `bucket.json`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct BucketMeta {
    pub(crate) name: String,
    created: Time,
    pub(crate) storage_class: String,
    pub(crate) acl: String,
    versioning: String,
    /// Configuration documents by family name (absent in files written before they existed).
    #[serde(default)]
    pub(crate) documents: BTreeMap<String, String>,
}

impl BucketMeta {
    pub(crate) fn new(
        name: &str,
        created: SystemTime,
        storage_class: &str,
        acl: &str,
        versioning: Versioning,
        documents: &BTreeMap<String, String>,
    ) -> Self {
        Self {
            name: name.to_owned(),
            created: created.into(),
            storage_class: storage_class.to_owned(),
            acl: acl.to_owned(),
            versioning: match versioning {
                Versioning::Off => "Off",
                Versioning::Enabled => "Enabled",
                Versioning::Suspended => "Suspended",
            }
            .to_owned(),
            documents: documents.clone(),
        }
    }

    pub(crate) fn created(&self) -> SystemTime {
        self.created.into()
    }

    pub(crate) fn versioning(&self) -> Versioning {
        match self.versioning.as_str() {
            "Enabled" => Versioning::Enabled,
            "Suspended" => Versioning::Suspended,
            _ => Versioning::Off,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "state")]
enum RestoreMeta {
    None,
    /// `ready` is absent in files written before restores took time: ready at once.
    Ongoing {
        days: u32,
        #[serde(default)]
        ready: Option<Time>,
    },
    Done {
        expiry: Time,
    },
}

/// `<seq>.meta`.
#[derive(Debug, Serialize, Deserialize)]
struct ObjectMeta {
    key: String,
    version_id: Option<String>,
    delete_marker: bool,
    etag: String,
    content_md5: Option<String>,
    crc64: u64,
    size: u64,
    last_modified: Time,
    /// Base64 of the raw header value.
    content_type: String,
    /// (name, base64 of the raw value).
    headers: Vec<(String, String)>,
    object_type: String,
    storage_class: String,
    symlink_target: Option<String>,
    acl: String,
    tags: Vec<(String, String)>,
    restore: RestoreMeta,
    /// When SealAppendObject sealed the object (absent in older files).
    #[serde(default)]
    sealed: Option<Time>,
    /// Object retention: mode and retain-until date (absent in older files).
    #[serde(default)]
    retention: Option<(String, Time)>,
    /// Legal hold `ON` (absent in older files).
    #[serde(default)]
    legal_hold: bool,
    /// The multipart upload this version completed.
    completed_upload: Option<String>,
}

/// `<id>.upload`.
#[derive(Debug, Serialize, Deserialize)]
struct UploadMeta {
    key: String,
    upload_id: String,
    initiated: Time,
    content_type: String,
    headers: Vec<(String, String)>,
    storage_class: String,
    tags: Vec<(String, String)>,
    acl: String,
    forbid_overwrite: bool,
}

/// The first line of `<id>.<n>.part`.
#[derive(Debug, Serialize, Deserialize)]
struct PartMeta {
    number: u32,
    etag: String,
    md5: String,
    crc64: u64,
    size: u64,
    last_modified: Time,
    /// The data file's name (absent: an empty part, or the bytes follow this line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<String>,
}

/// One bucket as found on disk.
#[derive(Debug)]
pub(crate) struct LoadedBucket {
    pub(crate) meta: BucketMeta,
    /// Every key's versions, oldest first, `key` and `seq` set.
    pub(crate) objects: BTreeMap<String, Vec<Object>>,
    pub(crate) uploads: Vec<Upload>,
}

fn encode_headers(headers: &[(HeaderName, HeaderValue)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), B64.encode(v.as_bytes())))
        .collect()
}

fn decode_value(b64: &str) -> io::Result<HeaderValue> {
    let raw = B64.decode(b64).map_err(invalid)?;
    HeaderValue::from_bytes(&raw).map_err(invalid)
}

fn decode_headers(headers: &[(String, String)]) -> io::Result<Vec<(HeaderName, HeaderValue)>> {
    headers
        .iter()
        .map(|(n, v)| {
            Ok((
                HeaderName::from_bytes(n.as_bytes()).map_err(invalid)?,
                decode_value(v)?,
            ))
        })
        .collect()
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

fn object_type(s: &str) -> ObjectType {
    match s {
        "Multipart" => ObjectType::Multipart,
        "Appendable" => ObjectType::Appendable,
        "Symlink" => ObjectType::Symlink,
        _ => ObjectType::Normal,
    }
}

fn is_upload_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

fn is_bucket_dir_name(s: &str) -> bool {
    crate::names::validate_bucket(s).is_ok()
}

/// Fsyncs a directory so a rename or unlink in it is durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

impl Disk {
    fn bucket_dir(&self, bucket: &str) -> io::Result<PathBuf> {
        if !is_bucket_dir_name(bucket) {
            return Err(invalid(format!("not a bucket name: {bucket:?}")));
        }
        Ok(self.root.join("buckets").join(bucket))
    }

    fn objects_dir(&self, bucket: &str) -> io::Result<PathBuf> {
        Ok(self.bucket_dir(bucket)?.join("objects"))
    }

    fn uploads_dir(&self, bucket: &str) -> io::Result<PathBuf> {
        Ok(self.bucket_dir(bucket)?.join("uploads"))
    }

    fn upload_file(&self, bucket: &str, upload_id: &str) -> io::Result<PathBuf> {
        if !is_upload_id(upload_id) {
            return Err(invalid(format!("not an upload id: {upload_id:?}")));
        }
        Ok(self
            .uploads_dir(bucket)?
            .join(format!("{upload_id}.upload")))
    }

    fn part_file(&self, bucket: &str, upload_id: &str, number: u32) -> io::Result<PathBuf> {
        if !is_upload_id(upload_id) {
            return Err(invalid(format!("not an upload id: {upload_id:?}")));
        }
        Ok(self
            .uploads_dir(bucket)?
            .join(format!("{upload_id}.{number:05}.part")))
    }

    /// A fresh sequence number for an object version.
    pub(crate) fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// A new, empty temporary file.
    fn stage_file(&self) -> io::Result<(File, Staged)> {
        let n = self.tmp.fetch_add(1, Ordering::Relaxed);
        let path = self
            .root
            .join("tmp")
            .join(format!("{}-{n}.tmp", std::process::id()));
        let file = File::create(&path)?;
        Ok((file, Staged::new(path)))
    }

    /// Writes `chunks` to a new temporary file and fsyncs it.
    pub(crate) fn stage(&self, chunks: &[&[u8]]) -> io::Result<Staged> {
        let (mut file, staged) = self.stage_file()?;
        for chunk in chunks {
            file.write_all(chunk)?;
        }
        file.sync_all()?;
        Ok(staged)
    }

    /// A writer that receives a body into a new temporary file.
    pub(crate) fn writer(&self) -> io::Result<BlobWriter> {
        let (file, staged) = self.stage_file()?;
        Ok(BlobWriter::staged(file, staged))
    }

    /// A staged copy of a whole committed data file: a hard link (data files never change),
    /// or a copy where links are not possible.
    pub(crate) fn stage_link(&self, source: &Path, len: u64) -> io::Result<Written> {
        let (file, staged) = self.stage_file()?;
        drop(file);
        let dest = staged.path().to_path_buf();
        fs::remove_file(&dest)?;
        if fs::hard_link(source, &dest).is_err() {
            fs::copy(source, &dest)?;
            File::open(&dest)?.sync_all()?;
        }
        Ok(Written::Staged { staged, len })
    }

    /// Commits `data` as the file `dest` and returns it as a blob (an empty body has no
    /// file).
    fn commit_blob(&self, data: Written, dest: PathBuf) -> io::Result<Blob> {
        let staged = match data {
            Written::Memory(bytes) if bytes.is_empty() => return Ok(Blob::Memory(bytes)),
            Written::Memory(bytes) => (self.stage(&[&bytes])?, bytes.len() as u64),
            Written::Staged { len: 0, .. } => return Ok(Blob::default()),
            Written::Staged { staged, len } => (staged, len),
        };
        self.commit(staged.0, &dest)?;
        Ok(Blob::File(DataFile::new(dest, 0, staged.1)))
    }

    /// Renames a staged file to `dest` and makes the rename durable.
    pub(crate) fn commit(&self, mut staged: Staged, dest: &Path) -> io::Result<()> {
        let Some(path) = staged.take_path() else {
            return Ok(());
        };
        if let Err(e) = fs::rename(&path, dest) {
            let _ = fs::remove_file(&path);
            return Err(e);
        }
        match dest.parent() {
            Some(dir) => sync_dir(dir),
            None => Ok(()),
        }
    }

    fn write_atomic(&self, dest: &Path, chunks: &[&[u8]]) -> io::Result<()> {
        let staged = self.stage(chunks)?;
        self.commit(staged, dest)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        remove_if_exists(path)?;
        match path.parent() {
            Some(dir) => sync_dir(dir),
            None => Ok(()),
        }
    }

    // ------------------------------------------------------------------ account

    /// The account-level documents (`account.json`), empty when there is none.
    pub(crate) fn read_account(&self) -> io::Result<BTreeMap<String, String>> {
        match fs::read(self.root.join("account.json")) {
            Ok(json) => serde_json::from_slice(&json).map_err(invalid),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(e),
        }
    }

    /// Rewrites `account.json` with `documents`.
    pub(crate) fn write_account(&self, documents: &BTreeMap<String, String>) -> io::Result<()> {
        let json = serde_json::to_vec(documents).map_err(invalid)?;
        self.write_atomic(&self.root.join("account.json"), &[&json])
    }

    // ------------------------------------------------------------------ buckets

    /// Creates the bucket's directories and commits `bucket.json`.
    pub(crate) fn create_bucket(&self, meta: &BucketMeta) -> io::Result<()> {
        let dir = self.bucket_dir(&meta.name)?;
        if dir.exists() {
            // Leftovers of a bucket whose deletion was interrupted.
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(dir.join("objects"))?;
        fs::create_dir_all(dir.join("uploads"))?;
        self.write_bucket(meta)?;
        sync_dir(&self.root.join("buckets"))
    }

    /// Rewrites `bucket.json` (ACL, versioning or a configuration document changed).
    pub(crate) fn write_bucket(&self, meta: &BucketMeta) -> io::Result<()> {
        let json = serde_json::to_vec(meta).map_err(invalid)?;
        self.write_atomic(&self.bucket_dir(&meta.name)?.join("bucket.json"), &[&json])
    }

    /// Removes `bucket.json` (the commit point), then the directory.
    pub(crate) fn remove_bucket(&self, name: &str) -> io::Result<()> {
        let dir = self.bucket_dir(name)?;
        self.remove(&dir.join("bucket.json"))?;
        fs::remove_dir_all(&dir)?;
        sync_dir(&self.root.join("buckets"))
    }

    // ------------------------------------------------------------------ objects

    /// Commits the body of object version `seq` as `<seq>.data` (step one of a write).
    pub(crate) fn write_object_data(
        &self,
        bucket: &str,
        seq: u64,
        data: Written,
    ) -> io::Result<Blob> {
        let dest = self.objects_dir(bucket)?.join(format!("{seq:016x}.data"));
        self.commit_blob(data, dest)
    }

    /// Commits one object version's metadata as `<seq>.meta` (step two, the commit point).
    pub(crate) fn write_object(
        &self,
        bucket: &str,
        object: &Object,
        completed_upload: Option<&str>,
    ) -> io::Result<()> {
        let attrs = object.attrs().clone();
        self.write_meta(bucket, object, &attrs, completed_upload)
    }

    /// (Re)writes the metadata of a committed version, with `attrs`.
    pub(crate) fn write_meta(
        &self,
        bucket: &str,
        object: &Object,
        attrs: &Attrs,
        completed_upload: Option<&str>,
    ) -> io::Result<()> {
        let meta = ObjectMeta {
            key: object.key.clone(),
            version_id: object.version_id.clone(),
            delete_marker: object.delete_marker,
            etag: object.etag.clone(),
            content_md5: object.content_md5.clone(),
            crc64: object.crc64,
            size: object.data.len(),
            last_modified: object.last_modified.into(),
            content_type: B64.encode(object.content_type.as_bytes()),
            headers: encode_headers(&object.headers),
            object_type: object.object_type.as_str().to_owned(),
            storage_class: object.storage_class.clone(),
            symlink_target: object.symlink_target.clone(),
            acl: attrs.acl.clone(),
            tags: attrs.tags.clone(),
            restore: match attrs.restore {
                Restore::None => RestoreMeta::None,
                Restore::Ongoing { days, ready } => RestoreMeta::Ongoing {
                    days,
                    ready: Some(ready.into()),
                },
                Restore::Done { expiry } => RestoreMeta::Done {
                    expiry: expiry.into(),
                },
            },
            sealed: attrs.sealed.map(Into::into),
            retention: attrs
                .retention
                .as_ref()
                .map(|r| (r.mode.clone(), r.until.into())),
            legal_hold: attrs.legal_hold,
            completed_upload: completed_upload.map(str::to_owned),
        };
        let json = serde_json::to_vec(&meta).map_err(invalid)?;
        let dir = self.objects_dir(bucket)?;
        self.write_atomic(&dir.join(format!("{:016x}.meta", object.seq)), &[&json])
    }

    /// Removes one version's metadata (the commit point); its data file goes when its
    /// [`Blob`] is discarded and no longer read.
    pub(crate) fn remove_object(&self, bucket: &str, seq: u64) -> io::Result<()> {
        let dir = self.objects_dir(bucket)?;
        self.remove(&dir.join(format!("{seq:016x}.meta")))
    }

    // ------------------------------------------------------------------ uploads

    /// Commits a new upload's `.upload` file.
    pub(crate) fn write_upload(&self, bucket: &str, upload: &Upload) -> io::Result<()> {
        let meta = UploadMeta {
            key: upload.key.clone(),
            upload_id: upload.upload_id.clone(),
            initiated: upload.initiated.into(),
            content_type: B64.encode(upload.content_type.as_bytes()),
            headers: encode_headers(&upload.headers),
            storage_class: upload.storage_class.clone(),
            tags: upload.tags.clone(),
            acl: upload.acl.clone(),
            forbid_overwrite: upload.forbid_overwrite,
        };
        let json = serde_json::to_vec(&meta).map_err(invalid)?;
        self.write_atomic(&self.upload_file(bucket, &upload.upload_id)?, &[&json])
    }

    /// Commits part `number`: its data file, then its `.part` metadata (replacing an earlier
    /// part with the number). Returns the committed data.
    pub(crate) fn write_part(
        &self,
        bucket: &str,
        upload_id: &str,
        number: u32,
        part: &Part,
        data: Written,
    ) -> io::Result<Blob> {
        let meta_path = self.part_file(bucket, upload_id, number)?;
        let name = format!("{upload_id}.{number:05}.{:016x}.data", self.next_seq());
        let blob = self.commit_blob(data, self.uploads_dir(bucket)?.join(&name))?;
        let meta = PartMeta {
            number,
            etag: part.etag.clone(),
            md5: crate::hex::upper_hex(&part.md5),
            crc64: part.crc64,
            size: blob.len(),
            last_modified: part.last_modified.into(),
            data: matches!(blob, Blob::File(_)).then_some(name),
        };
        let mut json = serde_json::to_vec(&meta).map_err(invalid)?;
        json.push(b'\n');
        self.write_atomic(&meta_path, &[&json])?;
        Ok(blob)
    }

    /// Removes an upload: `.upload` first (the commit point), then its parts' metadata
    /// (their data files go when their blobs are discarded).
    pub(crate) fn remove_upload(
        &self,
        bucket: &str,
        upload_id: &str,
        parts: impl IntoIterator<Item = u32>,
    ) -> io::Result<()> {
        self.remove(&self.upload_file(bucket, upload_id)?)?;
        for n in parts {
            remove_if_exists(&self.part_file(bucket, upload_id, n)?)?;
        }
        Ok(())
    }

    // ------------------------------------------------------------------ load

    /// Opens (creating if needed) a data directory and loads every bucket in it.
    pub(crate) fn open(root: &Path) -> io::Result<(Arc<Disk>, Vec<LoadedBucket>)> {
        fs::create_dir_all(root.join("buckets"))?;
        let tmp = root.join("tmp");
        if tmp.exists() {
            fs::remove_dir_all(&tmp)?;
        }
        fs::create_dir_all(&tmp)?;
        let mut disk = Disk {
            root: root.to_path_buf(),
            seq: AtomicU64::new(1),
            tmp: AtomicU64::new(0),
        };
        let mut buckets = Vec::new();
        let mut max_seq = 0;
        for entry in fs::read_dir(root.join("buckets"))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if !is_bucket_dir_name(&name) || !entry.file_type()?.is_dir() {
                tracing::warn!(path = %path.display(), "ignoring unexpected entry in the data directory");
                continue;
            }
            let meta = match fs::read(path.join("bucket.json")) {
                Ok(raw) => serde_json::from_slice::<BucketMeta>(&raw).map_err(invalid)?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    // A bucket whose creation or deletion did not complete.
                    fs::remove_dir_all(&path)?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            if meta.name != name {
                return Err(invalid(format!(
                    "{}: bucket.json names bucket {:?}",
                    path.display(),
                    meta.name
                )));
            }
            fs::create_dir_all(path.join("objects"))?;
            fs::create_dir_all(path.join("uploads"))?;
            let (objects, completed, seq) = disk.load_objects(&name)?;
            max_seq = max_seq.max(seq);
            let uploads = disk.load_uploads(&name, &completed)?;
            buckets.push(LoadedBucket {
                meta,
                objects,
                uploads,
            });
        }
        disk.seq = AtomicU64::new(max_seq + 1);
        sync_dir(root)?;
        Ok((Arc::new(disk), buckets))
    }

    #[allow(clippy::type_complexity)]
    fn load_objects(
        &self,
        bucket: &str,
    ) -> io::Result<(BTreeMap<String, Vec<Object>>, HashSet<String>, u64)> {
        let dir = self.objects_dir(bucket)?;
        let mut metas: BTreeMap<u64, ObjectMeta> = BTreeMap::new();
        let mut datas: HashSet<u64> = HashSet::new();
        let mut max_seq = 0;
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((stem, ext)) = name.split_once('.') else {
                continue;
            };
            let Ok(seq) = u64::from_str_radix(stem, 16) else {
                continue;
            };
            if stem.len() != 16 {
                continue;
            }
            max_seq = max_seq.max(seq);
            match ext {
                "meta" => {
                    let raw = fs::read(entry.path())?;
                    let meta = serde_json::from_slice::<ObjectMeta>(&raw)
                        .map_err(|e| invalid(format!("{}: {e}", entry.path().display())))?;
                    metas.insert(seq, meta);
                }
                "data" => {
                    datas.insert(seq);
                }
                _ => {}
            }
        }
        // Data without metadata: a write that never committed.
        for seq in &datas {
            if !metas.contains_key(seq) {
                remove_if_exists(&dir.join(format!("{seq:016x}.data")))?;
            }
        }
        let completed: HashSet<String> = metas
            .values()
            .filter_map(|m| m.completed_upload.clone())
            .collect();
        // Per key, in seq order; a later version with the same version id supersedes.
        let mut by_key: BTreeMap<String, Vec<(u64, ObjectMeta)>> = BTreeMap::new();
        for (seq, meta) in metas {
            by_key
                .entry(meta.key.clone())
                .or_default()
                .push((seq, meta));
        }
        let mut objects = BTreeMap::new();
        for (key, versions) in by_key {
            let mut kept: Vec<Object> = Vec::new();
            for (seq, meta) in versions {
                let vid = meta.version_id.clone().unwrap_or_else(|| "null".to_owned());
                if let Some(i) = kept.iter().position(|o| o.version_id_or_null() == vid) {
                    let old = kept.remove(i);
                    self.remove_object(bucket, old.seq)?;
                }
                let data = if meta.size == 0 {
                    Blob::default()
                } else {
                    data_file(dir.join(format!("{seq:016x}.data")), 0, meta.size)?
                };
                kept.push(object_from(meta, seq, data)?);
            }
            objects.insert(key, kept);
        }
        Ok((objects, completed, max_seq))
    }

    fn load_uploads(&self, bucket: &str, completed: &HashSet<String>) -> io::Result<Vec<Upload>> {
        let dir = self.uploads_dir(bucket)?;
        let mut uploads: BTreeMap<String, Upload> = BTreeMap::new();
        let mut parts: Vec<(String, u32, PathBuf)> = Vec::new();
        let mut data_files: HashSet<String> = HashSet::new();
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let pieces: Vec<&str> = name.split('.').collect();
            if !pieces.first().is_some_and(|id| is_upload_id(id)) {
                continue;
            }
            let id = pieces[0];
            match pieces[1..] {
                ["upload"] => {
                    if completed.contains(id) {
                        remove_if_exists(&entry.path())?;
                        continue;
                    }
                    let raw = fs::read(entry.path())?;
                    let meta = serde_json::from_slice::<UploadMeta>(&raw)
                        .map_err(|e| invalid(format!("{}: {e}", entry.path().display())))?;
                    if meta.upload_id != id {
                        return Err(invalid(format!("{}: wrong upload id", name)));
                    }
                    uploads.insert(id.to_owned(), upload_from(meta)?);
                }
                [n, "part"] => {
                    if let Ok(n) = n.parse::<u32>() {
                        parts.push((id.to_owned(), n, entry.path()));
                    }
                }
                [_, _, "data"] => {
                    data_files.insert(name.clone());
                }
                _ => {}
            }
        }
        for (id, number, path) in parts {
            let Some(upload) = uploads.get(&id) else {
                remove_if_exists(&path)?;
                continue;
            };
            let (meta, header_len) = read_part_meta(&path)?;
            if meta.number != number {
                return Err(invalid(format!("{}: number mismatch", path.display())));
            }
            let data = match &meta.data {
                Some(name) if data_files.remove(name) => data_file(dir.join(name), 0, meta.size)?,
                Some(name) => {
                    return Err(invalid(format!("{}: no data file {name}", path.display())));
                }
                None if meta.size == 0 => Blob::default(),
                None => data_file(path.clone(), header_len, meta.size)?,
            };
            let mut md5 = [0u8; 16];
            let hex = meta.md5.as_bytes();
            if hex.len() != 32 {
                return Err(invalid(format!("{}: bad md5", path.display())));
            }
            for (i, byte) in md5.iter_mut().enumerate() {
                let s = std::str::from_utf8(&hex[2 * i..2 * i + 2]).map_err(invalid)?;
                *byte = u8::from_str_radix(s, 16).map_err(invalid)?;
            }
            upload.parts().insert(
                number,
                Arc::new(Part {
                    data,
                    md5,
                    etag: meta.etag,
                    crc64: meta.crc64,
                    last_modified: meta.last_modified.into(),
                }),
            );
        }
        // Data of parts that never committed, were replaced, or whose upload is gone.
        for name in data_files {
            remove_if_exists(&dir.join(name))?;
        }
        Ok(uploads.into_values().collect())
    }
}

/// The JSON line of a `.part` file and the length of that line with its newline.
fn read_part_meta(path: &Path) -> io::Result<(PartMeta, u64)> {
    let mut line = Vec::new();
    io::BufReader::new(File::open(path)?).read_until(b'\n', &mut line)?;
    if line.last() != Some(&b'\n') {
        return Err(invalid(format!("{}: no header line", path.display())));
    }
    let meta = serde_json::from_slice::<PartMeta>(&line[..line.len() - 1])
        .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
    Ok((meta, line.len() as u64))
}

/// `len` bytes at `offset` of `path`, checked against the file's size.
fn data_file(path: PathBuf, offset: u64, len: u64) -> io::Result<Blob> {
    let size = fs::metadata(&path)?.len();
    if size != offset + len {
        return Err(invalid(format!(
            "{}: {size} bytes, metadata says {}",
            path.display(),
            offset + len
        )));
    }
    Ok(Blob::File(DataFile::new(path, offset, len)))
}

fn object_from(meta: ObjectMeta, seq: u64, data: Blob) -> io::Result<Object> {
    Ok(Object {
        data,
        etag: meta.etag,
        content_md5: meta.content_md5,
        crc64: meta.crc64,
        last_modified: meta.last_modified.into(),
        content_type: decode_value(&meta.content_type)?,
        headers: decode_headers(&meta.headers)?,
        object_type: object_type(&meta.object_type),
        storage_class: meta.storage_class,
        symlink_target: meta.symlink_target,
        version_id: meta.version_id,
        delete_marker: meta.delete_marker,
        attrs: std::sync::Mutex::new(Attrs {
            acl: meta.acl,
            tags: meta.tags,
            restore: match meta.restore {
                RestoreMeta::None => Restore::None,
                RestoreMeta::Ongoing { days, ready } => Restore::Ongoing {
                    days,
                    ready: ready.map_or(UNIX_EPOCH, Into::into),
                },
                RestoreMeta::Done { expiry } => Restore::Done {
                    expiry: expiry.into(),
                },
            },
            sealed: meta.sealed.map(Into::into),
            retention: meta.retention.map(|(mode, until)| ObjectRetention {
                mode,
                until: until.into(),
            }),
            legal_hold: meta.legal_hold,
        }),
        key: meta.key,
        seq,
    })
}

fn upload_from(meta: UploadMeta) -> io::Result<Upload> {
    let mut upload = Upload::new(
        &meta.key,
        meta.initiated.into(),
        decode_value(&meta.content_type)?,
        decode_headers(&meta.headers)?,
        meta.storage_class,
        meta.tags,
        meta.acl,
        meta.forbid_overwrite,
    );
    upload.upload_id = meta.upload_id;
    Ok(upload)
}
