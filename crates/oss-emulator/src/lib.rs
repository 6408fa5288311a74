//! A strict local Alibaba Cloud OSS server, for tests.
//!
//! The emulator keeps buckets and objects in memory (or durably in a directory) and speaks the OSS wire protocol closely
//! enough for the official SDKs: it verifies every request's V4 (`OSS4-HMAC-SHA256`) or V1
//! signature (header or presigned query), enforces the 15-minute clock-skew window and STS
//! tokens, applies the bucket and key naming rules, and answers with OSS XML bodies, error
//! codes, `x-oss-ec`/`x-oss-err` headers, ETags and `x-oss-hash-crc64ecma`.
//!
//! Operations served (the router's whole list; see `operation.rs`):
//!
//! * service: ListBuckets, DescribeRegions;
//! * bucket: PutBucket, DeleteBucket, ListObjects (v1), ListObjectsV2, GetBucketInfo,
//!   GetBucketLocation, GetBucketStat, PutBucketAcl, GetBucketAcl, PutBucketVersioning,
//!   GetBucketVersioning, ListObjectVersions, ListMultipartUploads, DeleteMultipleObjects,
//!   GetBucketPolicyStatus (from the stored policy);
//! * the metadata index: OpenMetaQuery, GetMetaQueryStatus, CloseMetaQuery and DoMetaQuery
//!   (the query subset of the crate README, over the bucket's current objects);
//! * bucket configuration documents (PutBucketConfig, GetBucketConfig, DeleteBucketConfig:
//!   one generic mechanism, `handlers/bucket_config/`, one file per family): CORS, lifecycle,
//!   policy, website, referer, logging, default encryption, bucket tags, requester pays,
//!   transfer acceleration, public access block, access monitor, archive direct read,
//!   HTTPS config, resource group, real-time log fields and overwrite config, validated,
//!   stored (durably with a data directory) and returned
//!   as put; a get before any put (or after a delete) answers the family's `NoSuch…` code
//!   or OSS's default document; referer rules, pay-by-requester, website index and error
//!   documents and lifecycle expiration take effect (crate README);
//! * inventories and replication (`handlers/bucket_inventory.rs`,
//!   `handlers/bucket_replication.rs`), validated, stored per id and returned, never run:
//!   PutBucketInventory, GetBucketInventory, ListBucketInventory, DeleteBucketInventory,
//!   PutBucketReplication, GetBucketReplication, DeleteBucketReplication,
//!   GetBucketReplicationLocation, GetBucketReplicationProgress, PutBucketRtc;
//! * object: PutObject, CopyObject, GetObject (Range with both OSS range behaviours,
//!   conditionals, `response-*` overrides), HeadObject, GetObjectMeta, DeleteObject,
//!   AppendObject, SealAppendObject, PutObjectAcl, GetObjectAcl, PutObjectTagging,
//!   GetObjectTagging, DeleteObjectTagging, PutSymlink, GetSymlink, RestoreObject (taking its
//!   time on the emulator's clock), CleanRestoredObject, OptionObject (CORS preflight,
//!   answered from the bucket's CORS rules, which also add CORS headers to answers),
//!   SelectObject and CreateSelectObjectMeta (CSV and JSON, the SQL subset of the crate
//!   README);
//! * WORM (`handlers/worm.rs` decides what they protect): InitiateBucketWorm,
//!   AbortBucketWorm, CompleteBucketWorm, ExtendBucketWorm, GetBucketWorm (OSS's
//!   `InProgress` → `Locked` states, lapsing after 24 hours on the emulator's clock),
//!   PutBucketObjectWormConfiguration, GetBucketObjectWormConfiguration, PutObjectRetention,
//!   GetObjectRetention, PutObjectLegalHold, GetObjectLegalHold; a protected version cannot
//!   be deleted or overwritten (409 `FileImmutable`) until its retention passes;
//! * multipart: InitiateMultipartUpload, UploadPart, UploadPartCopy,
//!   CompleteMultipartUpload, AbortMultipartUpload, ListParts;
//! * upload callbacks (`x-oss-callback`, `x-oss-callback-var`) on PutObject and
//!   CompleteMultipartUpload: the emulator POSTs to loopback callback URLs, signed as OSS
//!   signs, and relays the answer (200, or 203 `CallbackFailed`);
//! * image processing: GetObject with `x-oss-process` and ProcessObject (`sys/saveas`), a
//!   documented subset (`info`, `resize`, `crop`, `rotate`, `format`; PNG and JPEG);
//! * browser form uploads: PostObject (V4 policy and signature, conditions, expiry);
//! * access points (`handlers/access_point.rs`, stored in their bucket): CreateAccessPoint,
//!   GetAccessPoint, DeleteAccessPoint, ListAccessPoints (of a bucket or the account),
//!   PutAccessPointPolicy, GetAccessPointPolicy, DeleteAccessPointPolicy,
//!   PutAccessPointPublicAccessBlock, GetAccessPointPublicAccessBlock,
//!   DeleteAccessPointPublicAccessBlock; the account's public access block:
//!   PutPublicAccessBlock, GetPublicAccessBlock, DeletePublicAccessBlock (it refuses
//!   unsigned requests to every bucket while it blocks).
//! * custom domains: CreateCnameToken, GetCnameToken, PutCname (a bound domain then
//!   addresses its bucket), ListCname, DeleteCname; image styles: PutStyle, GetStyle,
//!   ListStyle, DeleteStyle (`x-oss-process=style/<name>` applies one); redundancy changes:
//!   CreateBucketDataRedundancyTransition, GetBucketDataRedundancyTransition,
//!   DeleteBucketDataRedundancyTransition, ListBucketDataRedundancyTransition,
//!   ListUserDataRedundancyTransition (tasks advance on the emulator's clock); ListCloudBoxes
//!   (always empty).
//! * Object FC access points (`handlers/fc_access_point/`): CreateAccessPointForObjectProcess,
//!   GetAccessPointForObjectProcess, DeleteAccessPointForObjectProcess,
//!   ListAccessPointsForObjectProcess, PutAccessPointConfigForObjectProcess,
//!   GetAccessPointConfigForObjectProcess, PutAccessPointPolicyForObjectProcess,
//!   GetAccessPointPolicyForObjectProcess, DeleteAccessPointPolicyForObjectProcess, validated
//!   and stored with their bucket (no Function Compute runs: they change no other answer);
//!   WriteGetObjectResponse checks its headers, then answers 501.
//!
//! Every other sub-resource OSS defines ([`UNIMPLEMENTED_SUB_RESOURCES`]), an implemented
//! one on an operation that does not take it, unknown valueless or `x-oss-*` query
//! parameters and storage-affecting headers it lacks ([`UNIMPLEMENTED_HEADERS`], e.g. WORM
//! retention; the server-side encryption headers of [`ENCRYPTION_HEADERS`] on any request but
//! PutObject, AppendObject, CopyObject and InitiateMultipartUpload) answer 501
//! `NotImplemented`: a request is never run as another operation.
//!
//! Addressing: a `Host` that is an IP address or `localhost` means path style
//! (`/bucket/key`); a `Host` ending in `.localhost` means virtual-hosted style
//! (`bucket.localhost`, the key is the whole path); a `Host` bound with
//! [`EmulatorBuilder::cname`] or PutCname is a custom domain for its bucket. Paths are percent-decoded,
//! never normalised. Unsigned requests are allowed what the bucket and object ACLs grant
//! (`public-read`, `public-read-write`), and refused with 403 `AccessDenied` otherwise.
//!
//! Credential fakes (opt-in, each on its own loopback listener, sharing the key store and the
//! injectable [`clock`](EmulatorBuilder::clock)): STS `AssumeRole`/`AssumeRoleWithOIDC`
//! ([`EmulatorBuilder::sts`]), ECS instance metadata ([`EmulatorBuilder::metadata`]), a
//! credentials URI ([`EmulatorBuilder::credentials_uri`]) and KMS `GetSecretValue`
//! ([`EmulatorBuilder::kms`]). Every credential they issue works against the OSS API until it
//! expires; [`FakeControl`] injects failures, expires credentials early and rotates the KMS
//! secret. [`EmulatorBuilder::tls`] serves HTTPS on every listener.
//!
//! Faults ([`EmulatorBuilder::faults`], [`EmulatorHandle::set_faults`], grammar in
//! [`FaultSpec`] and the README): 500/503, connection closes (FIN) or TCP resets (RST)
//! before the answer or mid-body, stalled and slow transfers, writes applied whose answer is
//! lost (`commit-reset`, `commit-503`), latency, per-request or global clock skew
//! ([`EmulatorHandle::set_clock_skew`]) and token expiry, with deterministic
//! `nth`/`every`/`first`/seeded-probability triggers. Connections have an idle keep-alive
//! timer and a header-read timer ([`EmulatorBuilder::idle_connection_timeout`],
//! [`EmulatorBuilder::header_read_timeout`]), request heads are capped at 64 KiB (431), open
//! connections per listener at [`EmulatorBuilder::max_connections`], and `Expect` is
//! handled as OSS's front end does (`100-continue` honoured, anything else 417). Request
//! bodies can be recorded per attempt ([`EmulatorBuilder::record_bodies`]).
//! [`EmulatorBuilder::data_dir`] makes the store durable and crash-safe.
//!
//! Control over HTTP ([`EmulatorBuilder::control_listen`], `--control-listen`): a JSON API on
//! its own listener mirrors the handle (faults, clock skew, temporary credentials, buckets,
//! aborting a multipart upload, [`EmulatorHandle::reset`], counters and the request
//! [`EmulatorHandle::journal`]) for test suites in any language; routes in
//! `docs/emulator-control.md`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = oss_emulator::Emulator::builder()
//!     .credentials("my-id", "my-secret")
//!     .region("cn-hangzhou")
//!     .start()
//!     .await?;
//! println!("OSS endpoint: {}", emulator.endpoint());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! [`EmulatorBuilder`] (`builder.rs`) starts the listeners and returns an [`EmulatorHandle`]
//! (`handle.rs`). Inside, imports run one way, each layer using only the ones below it
//! (`tests/layers.rs` checks it):
//!
//! 1. `server`: listeners, connections and their timers, the per-request pipeline
//!    (address → authenticate → route → faults → handle → answer body); `control_api`: the
//!    HTTP control API's routes;
//! 2. `handlers` (one file per feature area; `handlers/dispatch.rs` maps an operation to its
//!    handler), `public_access` (what an unsigned request may do), `fakes` (the credential
//!    services) and `admin` (out-of-band changes: create a bucket, abort an upload, reset);
//! 3. `state` (what one emulator shares between its connections) and `list` (listings over
//!    the store);
//! 4. `store`: the in-memory index (`store/index.rs`), the data model (`store/model.rs`)
//!    and the data directory's format (`store/disk.rs`);
//! 5. shared helpers: the request vocabulary (`operation`, `router`, `auth`, `keys`,
//!    `faults`, `other_regions`, `journal`,
//!    `config_family`), HTTP (`http_util`, `body`, `pace`, `tls`) and
//!    formats (`error`, `xml`, `names`, `conditional`, `range`, `time_fmt`, `hex`,
//!    `request_id`), and the feature engines the handlers call (`callback`: the signed
//!    upload-callback POST; `image_process`: the image-processing subset; `post_policy`:
//!    PostObject's policy check).

mod admin;
mod auth;
mod body;
mod builder;
mod callback;
mod conditional;
mod config_family;
mod control_api;
mod error;
mod fakes;
mod faults;
mod handle;
mod handlers;
mod hex;
mod http_util;
mod image_process;
mod journal;
mod keys;
mod list;
mod names;
mod operation;
mod other_regions;
mod pace;
mod post_policy;
mod public_access;
mod range;
mod request_id;
mod router;
mod select;
mod server;
mod state;
mod store;
mod time_fmt;
mod tls;
mod xml;

pub use crate::admin::ControlError;
pub use crate::builder::{
    CREDENTIALS_URI_PATH, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ECS_ROLE_NAME,
    DEFAULT_KMS_CLIENT_KEY_ID, DEFAULT_KMS_SECRET_NAME, DEFAULT_MAX_OBJECT_SIZE,
    DEFAULT_OIDC_PROVIDER_ARN, DEFAULT_REGION, DEFAULT_ROLE_ARN, Emulator, EmulatorBuilder, start,
};
pub use crate::fakes::config::UriShape;
pub use crate::fakes::control::FakeControl;
pub use crate::fakes::shared::{FakeFailure, FakeService};
pub use crate::faults::{DEFAULT_FAULT_SEED, FaultSpec, FaultSpecError};
pub use crate::handle::EmulatorHandle;
pub use crate::journal::{JOURNAL_CAPACITY, JournalEntry};
pub use crate::router::{
    ENCRYPTION_HEADERS, IMPLEMENTED_SUB_RESOURCES, UNIMPLEMENTED_HEADERS,
    UNIMPLEMENTED_SUB_RESOURCES,
};
pub use crate::server::{
    DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_CONNECTION_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
};
