//! In-memory storage: buckets and their objects, byte-ordered by key.
//!
//! Locks are `std::sync::RwLock`s held only for map look-ups and inserts, never across an
//! `.await`. Object data is `bytes::Bytes`, so reads hand out cheap clones of the stored body.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};

use crate::error::{ErrorCode, OssError};

/// One stored object (always of type `Normal`, storage class `Standard`).
#[derive(Debug)]
pub(crate) struct Object {
    /// The body, exactly as uploaded.
    pub(crate) data: Bytes,
    /// `"` + upper-case hex MD5 + `"`.
    pub(crate) etag: String,
    /// Base64 MD5 of the body.
    pub(crate) content_md5: String,
    /// CRC-64/XZ of the body.
    pub(crate) crc64: u64,
    /// Upload time, whole seconds (OSS shows `.000Z` in XML; oss2 insists on it).
    pub(crate) last_modified: SystemTime,
    /// Stored `Content-Type` (default `application/octet-stream`).
    pub(crate) content_type: HeaderValue,
    /// Stored `Cache-Control`, `Content-Disposition`, `Content-Encoding`, `Expires` and
    /// `x-oss-meta-*` headers (lower-case names, values byte for byte as received).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
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
    objects: RwLock<BTreeMap<String, Arc<Object>>>,
}

impl Bucket {
    /// A read view of the objects, for listings. Do not hold it across an `.await`.
    pub(crate) fn objects(&self) -> RwLockReadGuard<'_, BTreeMap<String, Arc<Object>>> {
        self.objects.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The object at `key`.
    pub(crate) fn get(&self, key: &str) -> Option<Arc<Object>> {
        self.objects().get(key).cloned()
    }

    /// Stores `object` at `key`; with `forbid_overwrite`, an existing key gives 409
    /// `FileAlreadyExists` and nothing is changed.
    pub(crate) fn put(
        &self,
        key: &str,
        object: Object,
        forbid_overwrite: bool,
    ) -> Result<Arc<Object>, OssError> {
        let object = Arc::new(object);
        let mut objects = self.objects.write().unwrap_or_else(PoisonError::into_inner);
        if forbid_overwrite && objects.contains_key(key) {
            return Err(OssError::new(
                ErrorCode::FileAlreadyExists,
                "The object you specified already exists and can not be overwritten.",
            )
            .with("Key", key));
        }
        objects.insert(key.to_owned(), Arc::clone(&object));
        Ok(object)
    }

    /// Removes `key` (no error when it is absent).
    pub(crate) fn delete(&self, key: &str) {
        self.objects
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

/// All buckets.
#[derive(Debug, Default)]
pub(crate) struct Store {
    buckets: RwLock<BTreeMap<String, Arc<Bucket>>>,
}

impl Store {
    /// Creates a bucket; 409 `BucketAlreadyExists` if the name is taken.
    pub(crate) fn create_bucket(
        &self,
        name: &str,
        storage_class: String,
        now: SystemTime,
    ) -> Result<(), OssError> {
        let mut buckets = self.buckets.write().unwrap_or_else(PoisonError::into_inner);
        if buckets.contains_key(name) {
            return Err(OssError::new(ErrorCode::BucketAlreadyExists, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.").with("BucketName", name));
        }
        buckets.insert(
            name.to_owned(),
            Arc::new(Bucket {
                name: name.to_owned(),
                created: now,
                storage_class,
                objects: RwLock::default(),
            }),
        );
        Ok(())
    }

    /// Deletes an empty bucket: 404 `NoSuchBucket`, 409 `BucketNotEmpty`.
    pub(crate) fn delete_bucket(&self, name: &str) -> Result<(), OssError> {
        let mut buckets = self.buckets.write().unwrap_or_else(PoisonError::into_inner);
        let bucket = buckets
            .get(name)
            .ok_or_else(|| OssError::no_such_bucket(name))?;
        if !bucket.objects().is_empty() {
            return Err(OssError::new(
                ErrorCode::BucketNotEmpty,
                "The bucket you tried to delete is not empty.",
            )
            .with("BucketName", name));
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
