//! Progress reports and a client-side rate limit for one operation's bytes (PutObject,
//! AppendObject, UploadPart, GetObject), with the transfer managers' [`ProgressFn`] and
//! [`RateLimit`].

use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::transfer::{Progress, ProgressFn, RateLimit};

/// What a single operation was given: a progress callback and a rate limit. Boxed, and
/// absent unless given, so requests without them keep their futures small.
#[derive(Clone, Default)]
pub(crate) struct Pacing(Option<Box<Given>>);

#[derive(Clone, Default)]
struct Given {
    progress: Option<ProgressFn>,
    rate: Option<RateLimit>,
}

impl fmt::Debug for Pacing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = self.0.as_deref();
        f.debug_struct("Pacing")
            .field("progress", &given.is_some_and(|g| g.progress.is_some()))
            .field("rate", &given.and_then(|g| g.rate.as_ref()))
            .finish()
    }
}

impl Pacing {
    /// Reports progress to `callback`.
    pub(crate) fn set_progress(&mut self, callback: ProgressFn) {
        self.0.get_or_insert_default().progress = Some(callback);
    }

    /// Keeps to `limit`.
    pub(crate) fn set_rate(&mut self, limit: RateLimit) {
        self.0.get_or_insert_default().rate = Some(limit);
    }

    /// Before an upload of `len` bytes: waits until the rate limit lets them go, as the
    /// transfer managers do for each part.
    pub(crate) async fn before_upload(&self, len: u64) {
        if let Some(rate) = self.0.as_ref().and_then(|g| g.rate.as_ref()) {
            // Boxed: most requests have no limit, and the sleep would grow every future.
            Box::pin(rate.acquire(len)).await;
        }
    }

    /// After the answer of an upload of `len` bytes: reports them all.
    pub(crate) fn uploaded(&self, len: u64) {
        if let Some(callback) = self.0.as_ref().and_then(|g| g.progress.as_ref()) {
            callback(len, Some(len));
        }
    }

    /// The pacing of a download stream of `total` bytes, when there is any.
    pub(crate) fn reading(self, total: Option<u64>) -> Option<Box<ReadPacing>> {
        let given = self.0?;
        Some(Box::new(ReadPacing {
            progress: given.progress.map(|p| Progress::new(total, Some(p))),
            rate: given.rate,
            sleep: None,
        }))
    }
}

/// Progress and rate limit of a download stream: each chunk is reported when it is handed to
/// the reader, and the next chunk waits for the bytes the rate limit owes.
pub(crate) struct ReadPacing {
    progress: Option<Progress>,
    rate: Option<RateLimit>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl ReadPacing {
    /// Ready when the wait for the previous chunk is over.
    pub(crate) fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(sleep) = self.sleep.as_mut() {
            std::task::ready!(sleep.as_mut().poll(cx));
            self.sleep = None;
        }
        Poll::Ready(())
    }

    /// A chunk of `len` bytes goes to the reader.
    pub(crate) fn received(&mut self, len: u64) {
        if let Some(progress) = &self.progress {
            progress.add(len);
        }
        if let Some(rate) = &self.rate {
            let wait = rate.reserve(len);
            if !wait.is_zero() {
                self.sleep = Some(Box::pin(tokio::time::sleep(wait)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_read_reports_each_chunk_and_waits_for_what_the_limit_owes() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let mut pacing = Pacing::default();
        pacing.set_progress(Arc::new(move |done, total| {
            log.lock().unwrap().push((done, total));
        }));
        pacing.set_rate(RateLimit::new(100));
        let mut reading = pacing.reading(Some(250)).unwrap();
        let ready = |reading: &mut ReadPacing| {
            let mut cx = Context::from_waker(std::task::Waker::noop());
            reading.poll_ready(&mut cx).is_ready()
        };
        reading.received(100); // the bucket's first second
        assert!(ready(&mut reading));
        reading.received(150); // owes 1.5 s
        assert!(!ready(&mut reading));
        tokio::time::advance(Duration::from_millis(1400)).await;
        assert!(!ready(&mut reading));
        tokio::time::advance(Duration::from_millis(100)).await;
        assert!(ready(&mut reading));
        assert_eq!(
            *seen.lock().unwrap(),
            vec![(100, Some(250)), (250, Some(250))]
        );
    }

    #[test]
    fn nothing_to_pace_is_no_pacing() {
        assert!(Pacing::default().reading(Some(1)).is_none());
    }
}
