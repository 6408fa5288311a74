//! The in-memory index: every bucket, its object versions (byte-ordered by key, delete
//! markers included) and its multipart uploads, written through to the data directory
//! ([`super::disk`]) when there is one.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::time::SystemTime;

use super::blob::{Blob, BlobWriter, Written};
use super::disk::{BucketMeta, Disk};
use super::model::{
    Attrs, BucketConfig, DeleteOutcome, Object, ObjectType, Part, Upload, Versioning, Versions,
    new_version_id,
};
use crate::error::{ErrorCode, OssError};

/// 500 `InternalError` for a failed read or write of the data directory.
pub(crate) fn disk_error(e: io::Error) -> OssError {
    tracing::error!(error = %e, "data directory read or write failed");
    OssError::new(
        ErrorCode::InternalError,
        "We encountered an internal error. Please try again.",
    )
}

/// A received body as the in-memory store keeps it.
fn in_memory(data: Written) -> Result<Blob, OssError> {
    match data {
        Written::Memory(bytes) => Ok(Blob::Memory(bytes)),
        Written::Staged { .. } => Err(disk_error(io::Error::other(
            "a staged file without a data directory",
        ))),
    }
}

/// The versions a new write replaces.
#[derive(Debug)]
enum Replaces {
    /// This one (an appendable object replaced by its appended self).
    Only(Option<Arc<Object>>),
    /// Every version (never-versioned bucket).
    All,
    /// None (versioning enabled).
    Nothing,
    /// The `null` version (versioning suspended).
    Null,
}

impl Replaces {
    fn covers(&self, o: &Arc<Object>) -> bool {
        match self {
            Self::Only(c) => c.as_ref().is_some_and(|c| Arc::ptr_eq(c, o)),
            Self::All => true,
            Self::Nothing => false,
            Self::Null => o.version_id_or_null() == "null",
        }
    }
}

/// One bucket.
#[derive(Debug)]
pub(crate) struct Bucket {
    /// The bucket name.
    pub(crate) name: String,
    /// Creation time, whole seconds.
    pub(crate) created: SystemTime,
    /// `Standard` unless `CreateBucketConfiguration` said otherwise.
    pub(crate) storage_class: String,
    config: RwLock<BucketConfig>,
    objects: RwLock<BTreeMap<String, Versions>>,
    uploads: RwLock<BTreeMap<(String, String), Arc<Upload>>>,
    /// The data directory, in a durable store.
    disk: Option<Arc<Disk>>,
}

fn exists_error(key: &str) -> OssError {
    OssError::new(
        ErrorCode::FileAlreadyExists,
        "The object you specified already exists and can not be overwritten.",
    )
    .with("Key", key)
}

impl Bucket {
    /// A read view of every key's versions, for listings. Do not hold it across an `.await`.
    pub(crate) fn objects(&self) -> RwLockReadGuard<'_, BTreeMap<String, Versions>> {
        self.objects.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The bucket settings (a copy).
    pub(crate) fn config(&self) -> BucketConfig {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Changes the settings (durably first, in a durable store).
    fn update_config(&self, change: impl FnOnce(&mut BucketConfig)) -> Result<(), OssError> {
        let mut config = self.config.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = config.clone();
        change(&mut next);
        if let Some(disk) = &self.disk {
            disk.write_bucket(&BucketMeta::new(
                &self.name,
                self.created,
                &self.storage_class,
                &next.acl,
                next.versioning,
                &next.documents,
            ))
            .map_err(disk_error)?;
        }
        *config = next;
        Ok(())
    }

    /// Changes the bucket ACL.
    pub(crate) fn set_acl(&self, acl: &str) -> Result<(), OssError> {
        self.update_config(|c| c.acl = acl.to_owned())
    }

    /// Enables or suspends versioning (never back to `Off`).
    pub(crate) fn set_versioning(&self, v: Versioning) -> Result<(), OssError> {
        self.update_config(|c| c.versioning = v)
    }

    /// Stores (`Some`) or removes (`None`) the configuration document `family`.
    pub(crate) fn set_document(
        &self,
        family: &str,
        document: Option<String>,
    ) -> Result<(), OssError> {
        self.update_config(|c| match document {
            Some(d) => {
                c.documents.insert(family.to_owned(), d);
            }
            None => {
                c.documents.remove(family);
            }
        })
    }

    /// The configuration document `family`, if one was put.
    pub(crate) fn document(&self, family: &str) -> Option<String> {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .documents
            .get(family)
            .cloned()
    }

    /// The documents whose name starts with `prefix` (name without the prefix, document), by
    /// name: the records of families that hold many (styles, CNAMEs, transition tasks).
    pub(crate) fn documents_under(&self, prefix: &str) -> Vec<(String, String)> {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .documents
            .range(prefix.to_owned()..)
            .take_while(|(name, _)| name.starts_with(prefix))
            .map(|(name, d)| (name[prefix.len()..].to_owned(), d.clone()))
            .collect()
    }

    /// Changes an object version's ACL, tags or restore state through `change`; in a
    /// durable store the version's metadata is rewritten (unless the version is gone).
    pub(crate) fn update_attrs<R>(
        &self,
        object: &Arc<Object>,
        change: impl FnOnce(&mut Attrs) -> R,
    ) -> Result<R, OssError> {
        // The read lock keeps a concurrent delete from removing the version meanwhile.
        let objects = self.objects();
        let mut attrs = object.attrs();
        let mut next = attrs.clone();
        let out = change(&mut next);
        if let Some(disk) = &self.disk {
            let present = objects
                .get(&object.key)
                .is_some_and(|v| v.iter().any(|o| Arc::ptr_eq(o, object)));
            if present {
                disk.write_meta(&self.name, object, &next, None)
                    .map_err(disk_error)?;
            }
        }
        *attrs = next;
        Ok(out)
    }

    /// The latest version of `key`, delete markers included.
    pub(crate) fn latest(&self, key: &str) -> Option<Arc<Object>> {
        self.objects().get(key).and_then(|v| v.last()).cloned()
    }

    /// The current object at `key` (the latest version unless that is a delete marker).
    pub(crate) fn get(&self, key: &str) -> Option<Arc<Object>> {
        self.latest(key).filter(|o| !o.delete_marker)
    }

    /// Version `version_id` of `key`, delete markers included.
    pub(crate) fn version(&self, key: &str, version_id: &str) -> Option<Arc<Object>> {
        self.objects()
            .get(key)?
            .iter()
            .find(|o| o.version_id_or_null() == version_id)
            .cloned()
    }

    /// A writer for a new body: into memory, or (with a data directory) into a staged file.
    pub(crate) fn writer(&self) -> Result<BlobWriter, OssError> {
        match &self.disk {
            Some(disk) => disk.writer().map_err(disk_error),
            None => Ok(BlobWriter::memory()),
        }
    }

    /// A copy of `blob` for a new version: shared bytes in memory, a hard link (or copy) of
    /// a whole data file, or a streamed copy of a part of one.
    pub(crate) fn copy_blob(&self, blob: &Blob) -> Result<Written, OssError> {
        match (&self.disk, blob) {
            (_, Blob::Memory(bytes)) => Ok(Written::Memory(bytes.clone())),
            (Some(disk), Blob::File(file)) if file.is_whole_file() => {
                disk.stage_link(file.path(), blob.len()).map_err(disk_error)
            }
            (_, Blob::File(_)) => {
                let mut out = self.writer()?;
                blob.copy_to(&mut out).map_err(disk_error)?;
                out.finish().map_err(disk_error)
            }
        }
    }

    /// Stores `object` with body `data` at `key`; with `forbid_overwrite` (ignored in
    /// versioned buckets, as on OSS) an existing key gives 409 `FileAlreadyExists` and
    /// nothing is changed.
    pub(crate) fn put(
        &self,
        key: &str,
        object: Object,
        data: Written,
        forbid_overwrite: bool,
    ) -> Result<Arc<Object>, OssError> {
        self.put_inner(key, forbid_overwrite, None, |_| Ok((object, data)))
    }

    /// [`put`](Self::put) of the object a CompleteMultipartUpload assembled: in a durable
    /// store its metadata names the upload, so a crash before the upload's files are removed
    /// cannot bring the upload back.
    pub(crate) fn put_completed(
        &self,
        key: &str,
        object: Object,
        data: Written,
        forbid_overwrite: bool,
        upload_id: &str,
    ) -> Result<Arc<Object>, OssError> {
        self.put_inner(key, forbid_overwrite, Some(upload_id), |_| {
            Ok((object, data))
        })
    }

    /// Like [`put`](Self::put), with the new object computed from the current one under
    /// the write lock (AppendObject). An appendable object replaced by its appended self
    /// keeps its version (OSS makes no new versions for appends).
    pub(crate) fn put_with(
        &self,
        key: &str,
        forbid_overwrite: bool,
        make: impl FnOnce(Option<&Arc<Object>>) -> Result<(Object, Written), OssError>,
    ) -> Result<Arc<Object>, OssError> {
        self.put_inner(key, forbid_overwrite, None, make)
    }

    fn put_inner(
        &self,
        key: &str,
        forbid_overwrite: bool,
        completed_upload: Option<&str>,
        make: impl FnOnce(Option<&Arc<Object>>) -> Result<(Object, Written), OssError>,
    ) -> Result<Arc<Object>, OssError> {
        let versioning = self.config().versioning;
        let mut objects = self.objects.write().unwrap_or_else(PoisonError::into_inner);
        let current = objects
            .get(key)
            .and_then(|v| v.last())
            .filter(|o| !o.delete_marker)
            .cloned();
        if forbid_overwrite && versioning == Versioning::Off && current.is_some() {
            return Err(exists_error(key));
        }
        let (mut object, data) = make(current.as_ref())?;
        let append_in_place = object.object_type == ObjectType::Appendable
            && current
                .as_ref()
                .is_some_and(|c| c.object_type == ObjectType::Appendable);
        // Which existing versions the new one replaces.
        let replaces = if append_in_place {
            object.version_id = current.as_ref().and_then(|c| c.version_id.clone());
            Replaces::Only(current)
        } else {
            match versioning {
                Versioning::Off => Replaces::All,
                Versioning::Enabled => {
                    object.version_id = Some(new_version_id());
                    Replaces::Nothing
                }
                Versioning::Suspended => {
                    object.version_id = Some("null".to_owned());
                    Replaces::Null
                }
            }
        };
        key.clone_into(&mut object.key);
        match &self.disk {
            Some(disk) => {
                object.seq = disk.next_seq();
                object.data = disk
                    .write_object_data(&self.name, object.seq, data)
                    .map_err(disk_error)?;
                disk.write_object(&self.name, &object, completed_upload)
                    .map_err(disk_error)?;
            }
            None => object.data = in_memory(data)?,
        }
        let object = Arc::new(object);
        let versions = objects.entry(key.to_owned()).or_default();
        let mut gone = Vec::new();
        versions.retain(|o| {
            let keep = !replaces.covers(o);
            if !keep {
                gone.push(Arc::clone(o));
            }
            keep
        });
        versions.push(Arc::clone(&object));
        drop(objects);
        self.forget_files(&gone);
        Ok(object)
    }

    /// Removes the files of replaced versions (best effort: a leftover is superseded by the
    /// newer version of the same id at the next start).
    fn forget_files(&self, gone: &[Arc<Object>]) {
        for o in gone {
            if let Err(e) = self.remove_version(o) {
                tracing::warn!(error = ?e, "could not remove a replaced version's files");
            }
        }
    }

    /// Removes a version's metadata (in a durable store) and lets its data file go.
    fn remove_version(&self, o: &Object) -> Result<(), OssError> {
        if let Some(disk) = &self.disk {
            disk.remove_object(&self.name, o.seq).map_err(disk_error)?;
        }
        o.data.discard();
        Ok(())
    }

    /// DeleteObject: without `version_id`, removes the key (never versioned) or adds a delete
    /// marker (versioned; Suspended replaces the `null` version); with it, removes exactly
    /// that version. A missing key or version is no error.
    pub(crate) fn delete(
        &self,
        key: &str,
        version_id: Option<&str>,
        now: SystemTime,
    ) -> Result<DeleteOutcome, OssError> {
        let versioning = self.config().versioning;
        let mut objects = self.objects.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(vid) = version_id {
            let mut outcome = DeleteOutcome {
                version_id: Some(vid.to_owned()),
                delete_marker: false,
            };
            if let Some(versions) = objects.get_mut(key) {
                if let Some(i) = versions.iter().position(|o| o.version_id_or_null() == vid) {
                    self.remove_version(&versions[i])?;
                    outcome.delete_marker = versions[i].delete_marker;
                    versions.remove(i);
                }
                if versions.is_empty() {
                    objects.remove(key);
                }
            }
            return Ok(outcome);
        }
        match versioning {
            Versioning::Off => {
                if let Some(versions) = objects.get(key) {
                    for o in versions {
                        self.remove_version(o)?;
                    }
                }
                objects.remove(key);
                Ok(DeleteOutcome::default())
            }
            Versioning::Enabled | Versioning::Suspended => {
                let vid = if versioning == Versioning::Enabled {
                    new_version_id()
                } else {
                    "null".to_owned()
                };
                let mut marker = Object {
                    last_modified: now,
                    version_id: Some(vid.clone()),
                    delete_marker: true,
                    key: key.to_owned(),
                    ..Object::default()
                };
                if let Some(disk) = &self.disk {
                    marker.seq = disk.next_seq();
                    disk.write_object(&self.name, &marker, None)
                        .map_err(disk_error)?;
                }
                let versions = objects.entry(key.to_owned()).or_default();
                let mut gone = Vec::new();
                if versioning == Versioning::Suspended {
                    versions.retain(|o| {
                        let keep = o.version_id_or_null() != "null";
                        if !keep {
                            gone.push(Arc::clone(o));
                        }
                        keep
                    });
                }
                versions.push(Arc::new(marker));
                drop(objects);
                self.forget_files(&gone);
                Ok(DeleteOutcome {
                    version_id: Some(vid),
                    delete_marker: true,
                })
            }
        }
    }

    /// Registers a new multipart upload (on disk first, in a durable store).
    pub(crate) fn add_upload(&self, upload: Upload) -> Result<Arc<Upload>, OssError> {
        if let Some(disk) = &self.disk {
            disk.write_upload(&self.name, &upload).map_err(disk_error)?;
        }
        let upload = Arc::new(upload);
        self.uploads
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                (upload.key.clone(), upload.upload_id.clone()),
                Arc::clone(&upload),
            );
        Ok(upload)
    }

    /// Stores (or replaces) part `number` of `upload` with body `data` (on disk first, in a
    /// durable store).
    pub(crate) fn put_part(
        &self,
        upload: &Upload,
        number: u32,
        mut part: Part,
        data: Written,
    ) -> Result<Arc<Part>, OssError> {
        let mut parts = upload.parts();
        part.data = match &self.disk {
            Some(disk) => disk
                .write_part(&self.name, &upload.upload_id, number, &part, data)
                .map_err(disk_error)?,
            None => in_memory(data)?,
        };
        let part = Arc::new(part);
        if let Some(old) = parts.insert(number, Arc::clone(&part)) {
            old.data.discard();
        }
        Ok(part)
    }

    /// The upload `upload_id` of `key`, or 404 `NoSuchUpload`.
    pub(crate) fn upload(&self, key: &str, upload_id: &str) -> Result<Arc<Upload>, OssError> {
        self.uploads
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(key.to_owned(), upload_id.to_owned()))
            .cloned()
            .ok_or_else(|| no_such_upload(upload_id))
    }

    /// Removes an upload (Abort, Complete), or 404 `NoSuchUpload`.
    pub(crate) fn remove_upload(
        &self,
        key: &str,
        upload_id: &str,
    ) -> Result<Arc<Upload>, OssError> {
        let mut uploads = self.uploads.write().unwrap_or_else(PoisonError::into_inner);
        let id = (key.to_owned(), upload_id.to_owned());
        let upload = uploads.get(&id).ok_or_else(|| no_such_upload(upload_id))?;
        if let Some(disk) = &self.disk {
            let numbers: Vec<u32> = upload.parts().keys().copied().collect();
            disk.remove_upload(&self.name, upload_id, numbers)
                .map_err(disk_error)?;
        }
        for part in upload.parts().values() {
            part.data.discard();
        }
        uploads.remove(&id).ok_or_else(|| no_such_upload(upload_id))
    }

    /// A read view of the uploads by (key, upload id). Do not hold it across an `.await`.
    pub(crate) fn uploads(&self) -> RwLockReadGuard<'_, BTreeMap<(String, String), Arc<Upload>>> {
        self.uploads.read().unwrap_or_else(PoisonError::into_inner)
    }
}

/// 404 `NoSuchUpload`.
pub(crate) fn no_such_upload(upload_id: &str) -> OssError {
    OssError::new(
        ErrorCode::NoSuchUpload,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
    .with("UploadId", upload_id)
}

/// All buckets.
#[derive(Debug, Default)]
pub(crate) struct Store {
    buckets: RwLock<BTreeMap<String, Arc<Bucket>>>,
    /// Account-level documents by name (the account's public access block).
    account: RwLock<BTreeMap<String, String>>,
    /// The data directory, in a durable store.
    disk: Option<Arc<Disk>>,
}

impl Store {
    /// A durable store on `dir` (created if missing), loaded from what is there.
    pub(crate) fn open(dir: &Path) -> io::Result<Self> {
        let (disk, loaded) = Disk::open(dir)?;
        let mut buckets = BTreeMap::new();
        for b in loaded {
            let objects = b
                .objects
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k, v.into_iter().map(Arc::new).collect()))
                .collect();
            let uploads = b
                .uploads
                .into_iter()
                .map(|u| ((u.key.clone(), u.upload_id.clone()), Arc::new(u)))
                .collect();
            buckets.insert(
                b.meta.name.clone(),
                Arc::new(Bucket {
                    name: b.meta.name.clone(),
                    created: b.meta.created(),
                    storage_class: b.meta.storage_class.clone(),
                    config: RwLock::new(BucketConfig {
                        acl: b.meta.acl.clone(),
                        versioning: b.meta.versioning(),
                        documents: b.meta.documents.clone(),
                    }),
                    objects: RwLock::new(objects),
                    uploads: RwLock::new(uploads),
                    disk: Some(Arc::clone(&disk)),
                }),
            );
        }
        Ok(Self {
            buckets: RwLock::new(buckets),
            account: RwLock::new(disk.read_account()?),
            disk: Some(disk),
        })
    }

    /// Stores (`Some`) or removes (`None`) the account-level document `name` (durably
    /// first, in a durable store).
    pub(crate) fn set_account_document(
        &self,
        name: &str,
        document: Option<String>,
    ) -> Result<(), OssError> {
        self.update_account(|documents| match document {
            Some(d) => documents.insert(name.to_owned(), d),
            None => documents.remove(name),
        })
    }

    /// Removes every account-level document (a reset).
    pub(crate) fn clear_account_documents(&self) -> Result<(), OssError> {
        self.update_account(BTreeMap::clear)
    }

    /// Changes the account-level documents (durably first, in a durable store).
    fn update_account<R>(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, String>) -> R,
    ) -> Result<(), OssError> {
        let mut account = self.account.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = account.clone();
        change(&mut next);
        if let Some(disk) = &self.disk {
            disk.write_account(&next).map_err(disk_error)?;
        }
        *account = next;
        Ok(())
    }

    /// The account-level document `name`, if one was put.
    pub(crate) fn account_document(&self, name: &str) -> Option<String> {
        self.account
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned()
    }

    /// Creates a bucket; 409 `BucketAlreadyExists` if the name is taken.
    pub(crate) fn create_bucket(
        &self,
        name: &str,
        storage_class: String,
        acl: &str,
        now: SystemTime,
    ) -> Result<(), OssError> {
        let mut buckets = self.buckets.write().unwrap_or_else(PoisonError::into_inner);
        if buckets.contains_key(name) {
            return Err(OssError::new(ErrorCode::BucketAlreadyExists, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.").with("BucketName", name));
        }
        if let Some(disk) = &self.disk {
            disk.create_bucket(&BucketMeta::new(
                name,
                now,
                &storage_class,
                acl,
                Versioning::Off,
                &BTreeMap::new(),
            ))
            .map_err(disk_error)?;
        }
        buckets.insert(
            name.to_owned(),
            Arc::new(Bucket {
                name: name.to_owned(),
                created: now,
                storage_class,
                config: RwLock::new(BucketConfig {
                    acl: acl.to_owned(),
                    versioning: Versioning::Off,
                    documents: BTreeMap::new(),
                }),
                objects: RwLock::default(),
                uploads: RwLock::default(),
                disk: self.disk.clone(),
            }),
        );
        Ok(())
    }

    /// Deletes an empty bucket: 404 `NoSuchBucket`, 409 `BucketNotEmpty` (objects, versions,
    /// delete markers or unfinished multipart uploads).
    pub(crate) fn delete_bucket(&self, name: &str) -> Result<(), OssError> {
        let mut buckets = self.buckets.write().unwrap_or_else(PoisonError::into_inner);
        let bucket = buckets
            .get(name)
            .ok_or_else(|| OssError::no_such_bucket(name))?;
        if !bucket.objects().is_empty() || !bucket.uploads().is_empty() {
            return Err(OssError::new(
                ErrorCode::BucketNotEmpty,
                "The bucket you tried to delete is not empty.",
            )
            .with("BucketName", name));
        }
        if let Some(disk) = &self.disk {
            disk.remove_bucket(name).map_err(disk_error)?;
        }
        buckets.remove(name);
        Ok(())
    }

    /// The bucket `name`, or 404 `NoSuchBucket`.
    pub(crate) fn bucket(&self, name: &str) -> Result<Arc<Bucket>, OssError> {
        self.buckets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned()
            .ok_or_else(|| OssError::no_such_bucket(name))
    }

    /// The name of the bucket that holds the document `name`, if one does.
    pub(crate) fn bucket_holding(&self, name: &str) -> Option<String> {
        self.buckets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .find(|b| b.document(name).is_some())
            .map(|b| b.name.clone())
    }

    /// Every bucket, by name.
    pub(crate) fn buckets(&self) -> Vec<Arc<Bucket>> {
        self.buckets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use bytes::Bytes;
    use http::HeaderValue;

    use super::*;

    fn store_with_bucket() -> (Store, Arc<Bucket>) {
        let s = Store::default();
        s.create_bucket("b", "Standard".into(), "private", UNIX_EPOCH)
            .unwrap();
        let b = s.bucket("b").unwrap();
        (s, b)
    }

    fn body(data: &'static [u8]) -> Written {
        Written::Memory(Bytes::from_static(data))
    }

    #[test]
    fn unversioned_put_replaces_and_delete_removes() {
        let (_s, b) = store_with_bucket();
        b.put("k", Object::default(), body(b"1"), false).unwrap();
        b.put("k", Object::default(), body(b"2"), false).unwrap();
        assert_eq!(b.objects()["k"].len(), 1);
        assert!(b.get("k").unwrap().version_id.is_none());
        assert_eq!(
            b.put("k", Object::default(), body(b"3"), true)
                .unwrap_err()
                .code,
            ErrorCode::FileAlreadyExists
        );
        assert_eq!(
            b.delete("k", None, UNIX_EPOCH).unwrap(),
            DeleteOutcome::default()
        );
        assert!(b.objects().is_empty());
    }

    #[test]
    fn versioned_delete_markers_and_suspended_null() {
        let (_s, b) = store_with_bucket();
        b.set_versioning(Versioning::Enabled).unwrap();
        let v1 = b.put("k", Object::default(), body(b"1"), true).unwrap();
        let v2 = b.put("k", Object::default(), body(b"2"), true).unwrap();
        assert_ne!(v1.version_id, v2.version_id);
        let d = b.delete("k", None, UNIX_EPOCH).unwrap();
        assert!(d.delete_marker);
        assert!(b.get("k").is_none());
        assert!(b.latest("k").unwrap().delete_marker);
        // Removing the marker brings v2 back.
        let d2 = b.delete("k", d.version_id.as_deref(), UNIX_EPOCH).unwrap();
        assert!(d2.delete_marker);
        assert_eq!(b.get("k").unwrap().data.to_bytes().unwrap(), "2");
        b.set_versioning(Versioning::Suspended).unwrap();
        b.put("k", Object::default(), body(b"3"), false).unwrap();
        b.put("k", Object::default(), body(b"4"), false).unwrap();
        let versions: Vec<_> = b.objects()["k"]
            .iter()
            .map(|o| o.version_id.clone().unwrap())
            .collect();
        assert_eq!(versions.len(), 3);
        assert_eq!(versions[2], "null");
        assert_eq!(
            b.version("k", v1.version_id.as_deref().unwrap())
                .unwrap()
                .data
                .to_bytes()
                .unwrap(),
            "1"
        );
    }

    #[test]
    fn uploads_block_bucket_deletion() {
        let (s, b) = store_with_bucket();
        let u = b
            .add_upload(Upload::new(
                "k",
                UNIX_EPOCH,
                HeaderValue::from_static("a/b"),
                Vec::new(),
                "Standard".into(),
                Vec::new(),
                "default".into(),
                false,
            ))
            .unwrap();
        assert_eq!(u.upload_id.len(), 32);
        assert_eq!(
            s.delete_bucket("b").unwrap_err().code,
            ErrorCode::BucketNotEmpty
        );
        b.remove_upload("k", &u.upload_id).unwrap();
        assert_eq!(
            b.upload("k", &u.upload_id).unwrap_err().code,
            ErrorCode::NoSuchUpload
        );
        s.delete_bucket("b").unwrap();
    }
}
