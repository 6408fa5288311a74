//! A strict local Alibaba Cloud OSS server, for tests.
//!
//! The emulator keeps buckets and objects in memory and speaks the OSS wire protocol closely
//! enough for the official SDKs: it verifies every request's V4 (`OSS4-HMAC-SHA256`) or V1
//! signature (header or presigned query), enforces the 15-minute clock-skew window and STS
//! tokens, applies the bucket and key naming rules, and answers with OSS XML bodies, error
//! codes, `x-oss-ec`/`x-oss-err` headers, ETags and `x-oss-hash-crc64ecma`.
//!
//! Implemented operations: ListBuckets, PutBucket, DeleteBucket, ListObjects (v1),
//! ListObjectsV2, PutObject, GetObject (Range with both OSS range behaviours, conditionals,
//! `response-*` overrides), HeadObject, GetObjectMeta and DeleteObject. Other sub-resources
//! answer 501 `NotImplemented`.
//!
//! Addressing: a `Host` that is an IP address or `localhost` means path style
//! (`/bucket/key`); a `Host` ending in `.localhost` means virtual-hosted style
//! (`bucket.localhost`, the key is the whole path). Paths are percent-decoded, never
//! normalised.
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

mod auth;
mod conditional;
mod error;
mod handlers;
mod keys;
mod list;
mod names;
mod range;
mod request_id;
mod router;
mod server;
mod state;
mod store;
mod time_fmt;
mod xml;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::SystemTime;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::keys::{AccessKey, KeyStore};
use crate::state::State;
use crate::store::Store;

/// The default root AccessKeyId.
pub const DEFAULT_ACCESS_KEY_ID: &str = "emulator-access-key-id";
/// The default root AccessKeySecret.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "emulator-access-key-secret";
/// The default region (the V4 scope region requests must be signed for).
pub const DEFAULT_REGION: &str = "cn-hangzhou";
/// The default largest object body, in bytes (5 GiB, the OSS PutObject limit).
pub const DEFAULT_MAX_OBJECT_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// Namespace for [`Emulator::builder`].
#[derive(Debug, Clone, Copy)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: listen on `127.0.0.1:0` (a free port), root key
    /// [`DEFAULT_ACCESS_KEY_ID`] / [`DEFAULT_ACCESS_KEY_SECRET`], region [`DEFAULT_REGION`],
    /// objects up to [`DEFAULT_MAX_OBJECT_SIZE`] bytes.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            access_key_id: DEFAULT_ACCESS_KEY_ID.to_owned(),
            access_key_secret: DEFAULT_ACCESS_KEY_SECRET.to_owned(),
            temporary: Vec::new(),
            region: DEFAULT_REGION.to_owned(),
            max_object_size: DEFAULT_MAX_OBJECT_SIZE,
        }
    }
}

/// Starts an emulator with the defaults (see [`Emulator::builder`]).
///
/// # Errors
/// When the listening socket cannot be bound.
pub async fn start() -> std::io::Result<EmulatorHandle> {
    Emulator::builder().start().await
}

/// Configures and starts an emulator. `Debug` never shows secrets or tokens.
pub struct EmulatorBuilder {
    listen: SocketAddr,
    access_key_id: String,
    access_key_secret: String,
    temporary: Vec<AccessKey>,
    region: String,
    max_object_size: u64,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("listen", &self.listen)
            .field("access_key_id", &self.access_key_id)
            .field("temporary_keys", &self.temporary)
            .field("region", &self.region)
            .field("max_object_size", &self.max_object_size)
            .finish_non_exhaustive()
    }
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`: a free loopback port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// The root AccessKey (no security token; never expires).
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Self {
        self.access_key_id = access_key_id.into();
        self.access_key_secret = access_key_secret.into();
        self
    }

    /// Also accepts STS-style temporary credentials: requests must carry `security_token`
    /// (`x-oss-security-token` header, or `x-oss-security-token` / `security-token` in a
    /// presigned URL) and are refused with 403 `SecurityTokenExpired` after `expiration`.
    /// May be called several times.
    pub fn temporary_credentials(
        mut self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
        expiration: SystemTime,
    ) -> Self {
        self.temporary.push(AccessKey {
            id: access_key_id.into(),
            secret: access_key_secret.into(),
            security_token: Some(security_token.into()),
            expiration: Some(expiration),
        });
        self
    }

    /// The region V4 requests must be signed for (default `cn-hangzhou`); it also shows in
    /// ListBuckets (`Location` = `oss-<region>`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The largest accepted object body in bytes (default 5 GiB); larger uploads get
    /// 400 `EntityTooLarge`.
    pub fn max_object_size(mut self, bytes: u64) -> Self {
        self.max_object_size = bytes;
        self
    }

    /// Binds the socket and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// When the address cannot be bound.
    pub async fn start(self) -> std::io::Result<EmulatorHandle> {
        let listener = TcpListener::bind(self.listen).await?;
        let local_addr = listener.local_addr()?;
        let mut keys = KeyStore::default();
        keys.insert(AccessKey {
            id: self.access_key_id.clone(),
            secret: self.access_key_secret.clone(),
            security_token: None,
            expiration: None,
        });
        for key in self.temporary {
            keys.insert(key);
        }
        let state = Arc::new(State {
            store: Store::default(),
            keys,
            region: self.region.clone(),
            max_object_size: self.max_object_size,
            owner_id: "1234567890123456".to_owned(),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, state, stopped));
        let host = match local_addr {
            SocketAddr::V4(a) => a.to_string(),
            SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
        };
        Ok(EmulatorHandle {
            endpoint: format!("http://{host}"),
            local_addr,
            region: self.region,
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server too (without waiting).
pub struct EmulatorHandle {
    endpoint: String,
    local_addr: SocketAddr,
    region: String,
    access_key_id: String,
    access_key_secret: String,
    stop: Option<watch::Sender<bool>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT` (path-style addressing; use `http://bucket.localhost:PORT`
    /// for virtual-hosted style).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The region requests must be signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The root AccessKeyId.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The root AccessKeySecret.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// Stops accepting, lets in-flight requests finish (at most 5 s), closes every
    /// connection, and returns when the server task has ended.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
    }
}
