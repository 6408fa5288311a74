//! Writing a range of a file from received chunks: the chunks are gathered (not copied) into
//! batches of about 1 MiB, and each batch is written by one blocking-pool task while the next
//! one is gathered. Writing every chunk through `tokio::fs::File` instead costs a copy and a
//! blocking-pool round trip per chunk.

use std::fs::File;
use std::io::{self, Seek as _, SeekFrom, Write as _};
use std::mem;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use tokio::task::JoinHandle;

/// Bytes gathered before they are handed to one write.
const BATCH_BYTES: usize = 1024 * 1024;

/// Writes chunks in order from a starting offset of a file, at most one batch in flight; so it
/// holds at most about two batches (2 MiB) of received bytes. Dropped with a batch in flight
/// (its future cancelled), the batch stops before its next chunk; [`BatchedWriter::abandon`]
/// waits for it instead.
pub(crate) struct BatchedWriter {
    /// The file, positioned where the next batch goes; `None` while a batch is being written.
    file: Option<File>,
    /// The batch being written, which hands the file back when done.
    in_flight: Option<JoinHandle<io::Result<File>>>,
    batch: Vec<Bytes>,
    batch_bytes: usize,
    /// Set when the writer is dropped: a batch still being written stops at its next chunk.
    dropped: Arc<AtomicBool>,
}

impl Drop for BatchedWriter {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::Relaxed);
    }
}

impl BatchedWriter {
    /// A writer into `file` from byte `offset` on.
    ///
    /// # Errors
    /// The seek's I/O error.
    pub(crate) async fn new(file: tokio::fs::File, offset: u64) -> io::Result<Self> {
        let mut file = file.into_std().await;
        let file = tokio::task::spawn_blocking(move || {
            file.seek(SeekFrom::Start(offset))?;
            Ok::<_, io::Error>(file)
        })
        .await
        .map_err(io::Error::other)??;
        Ok(Self {
            file: Some(file),
            in_flight: None,
            batch: Vec::new(),
            batch_bytes: 0,
            dropped: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Appends a chunk; starts writing the batch once it holds 1 MiB (after the previous batch
    /// is written).
    ///
    /// # Errors
    /// The I/O error of an earlier batch.
    pub(crate) async fn write(&mut self, chunk: Bytes) -> io::Result<()> {
        self.batch_bytes += chunk.len();
        self.batch.push(chunk);
        if self.batch_bytes >= BATCH_BYTES {
            self.start_batch().await?;
        }
        Ok(())
    }

    /// Writes what is left and waits until every byte is in the file.
    ///
    /// # Errors
    /// The I/O error of any batch.
    pub(crate) async fn finish(mut self) -> io::Result<()> {
        if !self.batch.is_empty() {
            self.start_batch().await?;
        }
        self.file().await.map(drop)
    }

    /// Drops the chunks not yet handed to a write and waits for the write in flight, so that
    /// no write of this writer lands after it returns (a range fetched again must not be
    /// overwritten by a late batch of the failed attempt).
    pub(crate) async fn abandon(mut self) {
        self.batch.clear();
        let _ = self.file().await;
    }

    /// The file, once the batch in flight is written.
    async fn file(&mut self) -> io::Result<File> {
        if let Some(writing) = self.in_flight.take() {
            return writing.await.map_err(io::Error::other)?;
        }
        self.file
            .take()
            .ok_or_else(|| io::Error::other("an earlier write failed"))
    }

    async fn start_batch(&mut self) -> io::Result<()> {
        let mut file = self.file().await?;
        let batch = mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let dropped = Arc::clone(&self.dropped);
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            for chunk in &batch {
                if dropped.load(Ordering::Relaxed) {
                    return Err(io::Error::other("the writer was dropped"));
                }
                file.write_all(chunk)?;
            }
            Ok(file)
        }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer from `offset` into a new file of `len` dots, with the file's path (and its
    /// directory, removed when dropped).
    async fn writer_into_dots(
        len: usize,
        offset: u64,
    ) -> (tempfile::TempDir, std::path::PathBuf, BatchedWriter) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![b'.'; len]).unwrap();
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .await
            .unwrap();
        let writer = BatchedWriter::new(file, offset).await.unwrap();
        (dir, path, writer)
    }

    #[tokio::test]
    async fn writes_every_chunk_in_order_from_the_offset() {
        let (_dir, path, mut writer) = writer_into_dots(4 * BATCH_BYTES, 10).await;
        let mut expected = Vec::new();
        // Chunks of several sizes, crossing batch boundaries twice.
        for (i, size) in [1, 300_000, BATCH_BYTES, 7, 900_000, 0, 65_536]
            .iter()
            .enumerate()
        {
            let chunk = vec![b'a' + i as u8; *size];
            expected.extend_from_slice(&chunk);
            writer.write(Bytes::from(chunk)).await.unwrap();
        }
        writer.finish().await.unwrap();
        let written = std::fs::read(&path).unwrap();
        assert_eq!(&written[..10], b"..........");
        assert_eq!(&written[10..10 + expected.len()], &expected[..]);
        assert!(written[10 + expected.len()..].iter().all(|&b| b == b'.'));
        assert_eq!(written.len(), 4 * BATCH_BYTES);
    }

    #[tokio::test]
    async fn abandoning_waits_for_the_batch_in_flight_and_drops_the_rest() {
        let (_dir, path, mut writer) = writer_into_dots(2 * BATCH_BYTES, 0).await;
        writer
            .write(Bytes::from(vec![b'a'; BATCH_BYTES]))
            .await
            .unwrap();
        writer.write(Bytes::from_static(b"bbb")).await.unwrap();
        writer.abandon().await;
        let written = std::fs::read(&path).unwrap();
        assert!(written[..BATCH_BYTES].iter().all(|&b| b == b'a'));
        assert!(written[BATCH_BYTES..].iter().all(|&b| b == b'.'));
    }

    #[tokio::test]
    async fn a_write_error_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"").unwrap();
        // Opened read-only: every write fails.
        let file = tokio::fs::File::open(&path).await.unwrap();
        let mut writer = BatchedWriter::new(file, 0).await.unwrap();
        writer.write(Bytes::from_static(b"abc")).await.unwrap();
        assert!(writer.finish().await.is_err());
    }
}
