//! Reading a range of a file as a stream of 1 MiB chunks, each read by one blocking-pool task
//! straight into the chunk's buffer. Streaming a `tokio::fs::File` instead costs a copy out of
//! tokio's own buffer and a blocking-pool round trip per 256 KiB.

use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::Stream;

/// The most bytes read into one chunk.
const CHUNK_BYTES: u64 = 1024 * 1024;

/// What is left to read: the open file (after the first read) and the bytes still wanted.
struct Remaining {
    path: Arc<PathBuf>,
    offset: u64,
    file: Option<File>,
    length: u64,
}

/// `length` bytes of the file at `path` from `offset`, in chunks of at most 1 MiB. The file is
/// opened when the first chunk is read. A file that ends before the range does is an
/// [`io::ErrorKind::UnexpectedEof`] error.
pub(crate) fn file_chunks(
    path: Arc<PathBuf>,
    offset: u64,
    length: u64,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    let start = Remaining {
        path,
        offset,
        file: None,
        length,
    };
    futures_util::stream::try_unfold(start, |remaining| async move {
        if remaining.length == 0 {
            return Ok(None);
        }
        let (chunk, remaining) = tokio::task::spawn_blocking(move || read_chunk(remaining))
            .await
            .map_err(io::Error::other)??;
        Ok(Some((chunk, remaining)))
    })
}

/// Reads the next chunk, opening the file first if needed.
fn read_chunk(mut remaining: Remaining) -> io::Result<(Bytes, Remaining)> {
    let mut file = match remaining.file.take() {
        Some(file) => file,
        None => {
            let mut file = File::open(remaining.path.as_path())?;
            file.seek(SeekFrom::Start(remaining.offset))?;
            file
        }
    };
    let wanted = remaining.length.min(CHUNK_BYTES);
    let mut chunk = Vec::with_capacity(usize::try_from(wanted).map_err(io::Error::other)?);
    (&mut file).take(wanted).read_to_end(&mut chunk)?;
    if (chunk.len() as u64) < wanted {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "{} ended {} bytes before the range being sent",
                remaining.path.display(),
                remaining.length - chunk.len() as u64
            ),
        ));
    }
    remaining.length -= wanted;
    remaining.file = Some(file);
    Ok((Bytes::from(chunk), remaining))
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt as _;

    use super::*;

    fn file_of(len: usize) -> (tempfile::TempDir, Arc<PathBuf>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        (dir, Arc::new(path), data)
    }

    #[tokio::test]
    async fn reads_the_range_in_chunks_of_at_most_one_mib() {
        let (_dir, path, data) = file_of(3 * 1024 * 1024 + 5);
        let chunks: Vec<Bytes> = file_chunks(path, 3, 2 * 1024 * 1024 + 1)
            .try_collect()
            .await
            .unwrap();
        let sizes: Vec<usize> = chunks.iter().map(Bytes::len).collect();
        assert_eq!(sizes, [1024 * 1024, 1024 * 1024, 1]);
        assert_eq!(chunks.concat(), &data[3..3 + 2 * 1024 * 1024 + 1]);
    }

    #[tokio::test]
    async fn an_empty_range_is_no_chunk_and_opens_nothing() {
        let missing = Arc::new(PathBuf::from("/nonexistent/file"));
        let chunks: Vec<Bytes> = file_chunks(missing, 0, 0).try_collect().await.unwrap();
        assert!(chunks.is_empty());
    }

    #[tokio::test]
    async fn a_short_file_is_an_unexpected_eof() {
        let (_dir, path, _) = file_of(10);
        let err = file_chunks(path, 4, 10)
            .try_collect::<Vec<Bytes>>()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
