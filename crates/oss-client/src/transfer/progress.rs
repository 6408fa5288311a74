//! Progress reporting.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A progress callback: `(bytes done, bytes total)` of one object, called after each part
/// (or each chunk of a single-request transfer) completes. Totals are `None` for a reader of
/// unknown length.
pub type ProgressFn = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

/// Counts the bytes of one transfer and reports them.
#[derive(Clone)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: Option<u64>,
    callback: Option<ProgressFn>,
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done())
            .field("total", &self.total)
            .finish()
    }
}

impl Progress {
    pub(crate) fn new(total: Option<u64>, callback: Option<ProgressFn>) -> Self {
        Self {
            done: Arc::new(AtomicU64::new(0)),
            total,
            callback,
        }
    }

    /// Bytes done so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    pub(crate) fn add(&self, bytes: u64) {
        let done = self.done.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if let Some(callback) = &self.callback {
            callback(done, self.total);
        }
    }
}
