//! The request journal: one entry per OSS API request (operation, method, path, status,
//! request id), kept for tests that check what a client sent. Never a header, a query string,
//! a body, a secret or a signature.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;

/// How many entries the journal keeps; older ones are dropped first.
pub const JOURNAL_CAPACITY: usize = 10_000;

/// One OSS API request as the emulator saw it (JSON in the control API's `GET /journal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct JournalEntry {
    /// Position since start (or since the last reset), counted from 1.
    pub seq: u64,
    /// The OSS API operation the request was routed to (`PutObject`, `ListObjectsV2`, …, as
    /// in the OSS API reference), or `None` when it was refused before routing (a malformed
    /// bucket name or key, an unimplemented sub-resource: 501, a wrong verb: 405).
    pub operation: Option<String>,
    /// The HTTP method (`GET`, `PUT`, …).
    pub method: String,
    /// The request path as received, still percent-encoded, without the query string (which
    /// can hold a presigned URL's signature).
    pub path: String,
    /// The HTTP status answered, or `None` when no answer was sent (an injected `reset`,
    /// `rst`, `stall` or `commit-reset` fault, or a client that went away).
    pub status: Option<u16>,
    /// The `x-oss-request-id` the emulator gave the request (also when no answer was sent).
    pub request_id: String,
}

/// The bounded journal (see [`JOURNAL_CAPACITY`]).
#[derive(Debug, Default)]
pub(crate) struct Journal {
    inner: Mutex<Recent>,
}

#[derive(Debug, Default)]
struct Recent {
    next_seq: u64,
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    /// Every kept entry, oldest first.
    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.lock().entries.iter().cloned().collect()
    }

    /// Forgets every entry; numbering starts over at 1.
    pub(crate) fn clear(&self) {
        *self.lock() = Recent::default();
    }

    /// Starts the entry of one request; it is added when the returned guard is dropped, with
    /// the status set by [`Pending::answered`] (or none).
    pub(crate) fn begin(
        self: &Arc<Self>,
        operation: Option<String>,
        method: &http::Method,
        path: &str,
        request_id: &str,
    ) -> Pending {
        Pending {
            journal: Arc::clone(self),
            entry: Some(JournalEntry {
                seq: 0,
                operation,
                method: method.as_str().to_owned(),
                path: path.to_owned(),
                status: None,
                request_id: request_id.to_owned(),
            }),
        }
    }

    fn push(&self, mut entry: JournalEntry) {
        let mut recent = self.lock();
        recent.next_seq += 1;
        entry.seq = recent.next_seq;
        if recent.entries.len() == JOURNAL_CAPACITY {
            recent.entries.pop_front();
        }
        recent.entries.push_back(entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The entry of a request in progress; recorded when dropped.
#[derive(Debug)]
pub(crate) struct Pending {
    journal: Arc<Journal>,
    entry: Option<JournalEntry>,
}

impl Pending {
    /// The request is answered with `status`.
    pub(crate) fn answered(&mut self, status: http::StatusCode) {
        if let Some(entry) = &mut self.entry {
            entry.status = Some(status.as_u16());
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.take() {
            self.journal.push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_numbered_and_bounded() {
        let journal = Arc::new(Journal::default());
        for i in 0..JOURNAL_CAPACITY + 2 {
            let mut pending =
                journal.begin(Some("GetObject".into()), &http::Method::GET, "/b/k", "id");
            if i % 2 == 0 {
                pending.answered(http::StatusCode::OK);
            }
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), JOURNAL_CAPACITY);
        assert_eq!(entries[0].seq, 3);
        assert_eq!(entries[0].status, Some(200));
        assert_eq!(entries[1].status, None);
        assert_eq!(
            entries.last().map(|e| e.seq),
            Some(JOURNAL_CAPACITY as u64 + 2)
        );
        journal.clear();
        assert!(journal.entries().is_empty());
        drop(journal.begin(None, &http::Method::PUT, "/x", "id2"));
        assert_eq!(journal.entries()[0].seq, 1);
    }
}
