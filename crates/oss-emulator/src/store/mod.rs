//! In-memory storage: buckets, their objects (with versions and delete markers) and their
//! multipart uploads, byte-ordered by key.
//!
//! Locks are `std::sync` locks held only for map look-ups and inserts, never across an
//! `.await`. Object data is `bytes::Bytes`, so reads hand out cheap clones of the stored body;
//! uploaded parts are kept as received until CompleteMultipartUpload assembles them.
//!
//! With a data directory ([`Store::open`]) every change is also written through to disk
//! ([`disk`]) before it becomes visible in memory and before it is acknowledged; memory
//! stays the index (and cache) that requests read. Large bodies are staged (written and
//! fsynced) before the bucket lock is taken; the lock covers only the renames that commit.
//!
//! Three files, importing one way: [`index`] (buckets, versions, uploads, the write-through)
//! uses [`disk`] (the data directory's format) and [`model`] (the plain data types); `disk`
//! uses `model`.

pub(crate) mod blob;
pub(crate) mod disk;
pub(crate) mod index;
pub(crate) mod model;

pub(crate) use blob::{Blob, Written};
pub(crate) use index::{Bucket, Store, disk_error};
pub(crate) use model::{
    Attrs, Object, ObjectRetention, ObjectType, Part, Restore, Upload, Versioning, Versions,
};
