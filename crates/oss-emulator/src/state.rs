//! What one emulator instance shares between its connections.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use oss_auth::clock::SharedClock;

use crate::faults::Faults;
use crate::journal::Journal;
use crate::keys::KeyStore;
use crate::other_regions::OtherRegions;
use crate::store::Store;

/// Request bodies received per (bucket, key), in arrival order (opt-in).
pub(crate) type Recorded = Mutex<HashMap<(String, String), Vec<Bytes>>>;

/// Shared server state (behind an `Arc`).
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) store: Store,
    /// Shared with the credential fakes, which add and revoke keys at run time.
    pub(crate) keys: Arc<RwLock<KeyStore>>,
    pub(crate) region: String,
    /// Buckets that live in other regions (B23).
    pub(crate) other_regions: OtherRegions,
    /// Custom domains (lower-case host names) bound to buckets.
    pub(crate) cnames: std::collections::BTreeMap<String, String>,
    pub(crate) max_object_size: u64,
    /// Owner ID and DisplayName in listings.
    pub(crate) owner_id: String,
    /// The emulator's notion of now.
    pub(crate) clock: SharedClock,
    /// Seconds the OSS API's clock runs ahead (+) or behind (−) `clock`.
    pub(crate) skew: AtomicI64,
    /// Injected faults.
    pub(crate) faults: Faults,
    /// OSS API requests received since start.
    pub(crate) requests: AtomicU64,
    /// The latest OSS API requests.
    pub(crate) journal: Arc<Journal>,
    /// Buckets created at start, created again by a reset.
    pub(crate) initial_buckets: Vec<String>,
    /// Bodies of PutObject, AppendObject and UploadPart attempts, when recording is on.
    pub(crate) recorded: Option<Recorded>,
    /// Becomes `true` (or its sender goes away) when the emulator shuts down; stalled
    /// requests and answers wait for it.
    pub(crate) stopped: tokio::sync::watch::Receiver<bool>,
}

/// `t` moved by `secs` seconds (saturating at the epoch).
pub(crate) fn shift(t: SystemTime, secs: i64) -> SystemTime {
    let d = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        t.checked_add(d).unwrap_or(t)
    } else {
        t.checked_sub(d).unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

impl State {
    /// The global clock skew in seconds.
    pub(crate) fn skew(&self) -> i64 {
        self.skew.load(Ordering::Relaxed)
    }

    /// Records one received body (no-op unless recording is on).
    pub(crate) fn record(&self, bucket: &str, key: &str, body: &Bytes) {
        if let Some(rec) = &self.recorded {
            rec.lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry((bucket.to_owned(), key.to_owned()))
                .or_default()
                .push(body.clone());
        }
    }
}
