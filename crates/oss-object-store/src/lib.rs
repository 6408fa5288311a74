//! Alibaba Cloud OSS as an [`object_store`] backend: [`OssObjectStore`] implements
//! [`ObjectStore`](object_store::ObjectStore), [`MultipartStore`](object_store::multipart::MultipartStore),
//! [`PaginatedListStore`](object_store::list::PaginatedListStore) and (feature `signer`, on by
//! default) [`Signer`](object_store::signer::Signer), so DataFusion, Polars, delta-rs,
//! iceberg-rust and every other `object_store` user read and write OSS with V4 signing, every
//! credentials provider of `oss-auth`, CRC-64 checks and this SDK's retries.
//!
//! Built for **object_store 0.13.2** (feature `object_store_0_13`, the default: the release
//! DataFusion 55 and parquet/arrow 59 build on) or **object_store 0.14.2** (feature
//! `object_store_0_14`, with `default-features = false`); exactly one of the two. The chosen
//! release is re-exported as [`oss_object_store::object_store`](crate::object_store).
//!
//! ```no_run
//! use oss_object_store::object_store::path::Path;
//! use oss_object_store::object_store::{self, ObjectStore, ObjectStoreExt as _, PutPayload};
//! use oss_object_store::OssObjectStoreBuilder;
//!
//! # async fn demo() -> object_store::Result<()> {
//! // OSS_REGION, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET… from the environment.
//! let store = OssObjectStoreBuilder::from_env()
//!     .with_url("oss://examplebucket/warehouse")
//!     .build()?;
//! let path = Path::from("events/2026-12-06.csv");
//! store.put(&path, PutPayload::from("id,name\n1,a\n")).await?;
//! let head = store.get_range(&path, 0..7).await?;
//! assert_eq!(&head[..], b"id,name");
//! # Ok(()) }
//! ```
//!
//! How OSS answers `object_store`'s calls:
//!
//! | `object_store` | OSS |
//! | --- | --- |
//! | `put_opts` | PutObject; `PutMode::Create` with `x-oss-forbid-overwrite: true`; `PutMode::Update` is `NotImplemented` (OSS has no conditional write) |
//! | `put_multipart_opts`, `MultipartStore` | InitiateMultipartUpload, UploadPart (parts in any order), CompleteMultipartUpload (no part: one empty part, an empty object), AbortMultipartUpload |
//! | `get_opts` | GetObject with `Range` (`Bounded`, `Offset`, `Suffix`), `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since`, `versionId`; HeadObject for `head` |
//! | `get_ranges` | ranges within 1 MiB merged into one GetObject each |
//! | `list`, `list_with_offset`, `list_with_delimiter`, `list_paginated` | ListObjectsV2 (`start-after` for offsets, delimiter `/`) |
//! | `delete_stream` | DeleteMultipleObjects, 1000 keys per request |
//! | `copy_opts`, `rename_opts` | CopyObject (`CopyMode::Create` with `x-oss-forbid-overwrite`), then DeleteObject for a rename |
//! | `signed_url` | a presigned URL (V4 query signature) |
//!
//! Attributes (content type, cache control, disposition, encoding, language, storage class,
//! user metadata) and tags are stored as OSS headers and returned exactly; an attribute OSS
//! has no header for is refused before any request. Errors map to `object_store`'s kinds by
//! OSS error code: `NotFound`, `AlreadyExists`, `Precondition`, `NotModified`,
//! `NotImplemented`, `PermissionDenied`, `Unauthenticated`; the rest is `Generic` with the
//! `oss_client::Error` (code, request id) as its source.

#[cfg(all(feature = "object_store_0_13", feature = "object_store_0_14"))]
compile_error!("enable one of the features `object_store_0_13` and `object_store_0_14`, not both");
#[cfg(not(any(feature = "object_store_0_13", feature = "object_store_0_14")))]
compile_error!("enable one of the features `object_store_0_13` (default) and `object_store_0_14`");

/// The `object_store` release this build implements: 0.13.2 with feature `object_store_0_13`,
/// 0.14.2 with feature `object_store_0_14`. Name traits and types through it (or depend on the
/// same exact release) so that they are the ones [`OssObjectStore`] implements.
#[cfg(feature = "object_store_0_13")]
pub use object_store_013 as object_store;
/// The `object_store` release this build implements: 0.13.2 with feature `object_store_0_13`,
/// 0.14.2 with feature `object_store_0_14`. Name traits and types through it (or depend on the
/// same exact release) so that they are the ones [`OssObjectStore`] implements.
#[cfg(all(feature = "object_store_0_14", not(feature = "object_store_0_13")))]
pub use object_store_014 as object_store;

mod attributes;
mod builder;
mod config;
mod delete;
mod error;
mod get;
mod list;
mod meta;
mod multipart_store;
mod multipart_upload;
mod paths;
mod put;
#[cfg(feature = "signer")]
mod signer;
mod store;
mod upload;

pub use builder::OssObjectStoreBuilder;
pub use config::OssConfigKey;
pub use store::OssObjectStore;
