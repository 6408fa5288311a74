//! The bytes of an object version or an uploaded part: in memory (no data directory) or a
//! range of a file in the data directory, never both. A [`BlobWriter`] receives a body as it
//! arrives (into memory, or into a staged file on disk) and a [`Blob`] is read back as a
//! stream of chunks, so a body on disk never sits in memory whole.

use std::fs::File;
use std::io::{self, BufWriter, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::{Bytes, BytesMut};
use futures_util::TryStreamExt as _;
use http_body::Frame;
use http_body_util::StreamBody;
use tokio::io::AsyncReadExt as _;
use tokio_util::io::ReaderStream;

use crate::http_util::Body;

/// How many bytes a file-backed body reads at a time.
const READ_CHUNK: usize = 64 * 1024;

/// The bytes of an object version or a part.
#[derive(Debug, Clone)]
pub(crate) enum Blob {
    /// Held in memory.
    Memory(Bytes),
    /// A committed file of the data directory (files are never changed once committed).
    File(Arc<DataFile>),
}

impl Default for Blob {
    fn default() -> Self {
        Self::Memory(Bytes::new())
    }
}

impl From<Bytes> for Blob {
    fn from(bytes: Bytes) -> Self {
        Self::Memory(bytes)
    }
}

impl Blob {
    /// The length in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Self::Memory(b) => b.len() as u64,
            Self::File(f) => f.len,
        }
    }

    /// Bytes `start..start + len` as a response body. A file is opened now, so the answer
    /// stays readable even if the version is deleted meanwhile.
    ///
    /// # Errors
    /// When the file cannot be opened or positioned.
    pub(crate) fn body(&self, start: u64, len: u64) -> io::Result<Body> {
        match self {
            Self::Memory(b) => {
                let (s, e) = (to_usize(start), to_usize(start + len));
                Ok(Body::Full(b.slice(s..e)))
            }
            Self::File(f) => {
                let file = tokio::fs::File::from_std(f.open_at(start)?);
                let chunks =
                    ReaderStream::with_capacity(file.take(len), READ_CHUNK).map_ok(Frame::data);
                Ok(Body::stream(len, StreamBody::new(chunks)))
            }
        }
    }

    /// Hands bytes `start..start + len` to `f`, in order, a chunk at a time.
    ///
    /// # Errors
    /// When the file cannot be read (or is shorter than recorded), or `f` fails.
    pub(crate) fn read_chunks(
        &self,
        start: u64,
        len: u64,
        mut f: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        match self {
            Self::Memory(b) => f(&b[to_usize(start)..to_usize(start + len)]),
            Self::File(file) => read_file_chunks(file.open_at(start)?, len, f),
        }
    }

    /// Writes every byte to `out`.
    ///
    /// # Errors
    /// As [`read_chunks`](Self::read_chunks).
    pub(crate) fn copy_to(&self, out: &mut BlobWriter) -> io::Result<()> {
        self.read_chunks(0, self.len(), |chunk| out.write(chunk))
    }

    /// The whole blob in memory (small bodies only: symlink targets, tests).
    #[cfg(test)]
    pub(crate) fn to_bytes(&self) -> io::Result<Bytes> {
        match self {
            Self::Memory(b) => Ok(b.clone()),
            Self::File(f) => {
                let mut out = Vec::new();
                f.open_at(0)?.take(f.len).read_to_end(&mut out)?;
                Ok(Bytes::from(out))
            }
        }
    }

    /// Marks the file for removal once nothing reads it any more (the version or part is
    /// gone from the store); no-op in memory.
    pub(crate) fn discard(&self) {
        if let Self::File(f) = self {
            f.discarded.store(true, Ordering::Relaxed);
        }
    }
}

/// Hands `len` bytes of `file` (from where it is positioned) to `f`, a chunk at a time.
fn read_file_chunks(
    file: File,
    len: u64,
    mut f: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = file.take(len);
    let mut buf = vec![0u8; READ_CHUNK];
    let mut read = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        f(&buf[..n])?;
        read += n as u64;
    }
    if read < len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "a data file is shorter than its metadata says",
        ));
    }
    Ok(())
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// `len` bytes at `offset` of a committed file.
#[derive(Debug)]
pub(crate) struct DataFile {
    path: PathBuf,
    offset: u64,
    len: u64,
    /// Remove the file when the last reference goes away.
    discarded: AtomicBool,
}

impl DataFile {
    pub(crate) fn new(path: PathBuf, offset: u64, len: u64) -> Arc<Self> {
        Arc::new(Self {
            path,
            offset,
            len,
            discarded: AtomicBool::new(false),
        })
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Whether the bytes fill the whole file (a hard link can copy it).
    pub(crate) fn is_whole_file(&self) -> bool {
        self.offset == 0
    }

    fn open_at(&self, start: u64) -> io::Result<File> {
        let mut file = File::open(&self.path)?;
        file.seek(SeekFrom::Start(self.offset + start))?;
        Ok(file)
    }
}

impl Drop for DataFile {
    fn drop(&mut self) {
        if self.discarded.load(Ordering::Relaxed) {
            if let Err(e) = std::fs::remove_file(&self.path) {
                if e.kind() != io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, path = %self.path.display(), "could not remove a data file");
                }
            }
        }
    }
}

/// A body being received: into memory, or into a staged file of the data directory.
#[derive(Debug)]
pub(crate) enum BlobWriter {
    /// No data directory.
    Memory(BytesMut),
    /// A staged file, not yet visible.
    Staged {
        file: BufWriter<File>,
        staged: Staged,
        len: u64,
    },
}

impl BlobWriter {
    /// A writer that keeps the bytes in memory.
    pub(crate) fn memory() -> Self {
        Self::Memory(BytesMut::new())
    }

    /// A writer into `file`, which `staged` removes unless committed.
    pub(crate) fn staged(file: File, staged: Staged) -> Self {
        Self::Staged {
            file: BufWriter::with_capacity(READ_CHUNK, file),
            staged,
            len: 0,
        }
    }

    /// Bytes written so far.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Self::Memory(b) => b.len() as u64,
            Self::Staged { len, .. } => *len,
        }
    }

    /// Appends `chunk`.
    ///
    /// # Errors
    /// When the staged file cannot be written.
    pub(crate) fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        match self {
            Self::Memory(b) => b.extend_from_slice(chunk),
            Self::Staged { file, len, .. } => {
                file.write_all(chunk)?;
                *len += chunk.len() as u64;
            }
        }
        Ok(())
    }

    /// The bytes written, in memory or fsynced in the staged file.
    ///
    /// # Errors
    /// When the staged file cannot be flushed or synced.
    pub(crate) fn finish(self) -> io::Result<Written> {
        match self {
            Self::Memory(b) => Ok(Written::Memory(b.freeze())),
            Self::Staged { file, staged, len } => {
                let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.sync_all()?;
                Ok(Written::Staged { staged, len })
            }
        }
    }
}

/// A received body, ready to be committed with the object version or part it belongs to.
#[derive(Debug)]
pub(crate) enum Written {
    /// In memory.
    Memory(Bytes),
    /// A staged, fsynced file of `len` bytes.
    Staged { staged: Staged, len: u64 },
}

impl Written {
    /// The length in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Self::Memory(b) => b.len() as u64,
            Self::Staged { len, .. } => *len,
        }
    }

    /// Writes every byte to `out`.
    ///
    /// # Errors
    /// When the staged file cannot be read or `out` cannot be written.
    pub(crate) fn copy_to(&self, out: &mut BlobWriter) -> io::Result<()> {
        match self {
            Self::Memory(b) => out.write(b),
            Self::Staged { staged, len } => {
                read_file_chunks(File::open(staged.path())?, *len, |chunk| out.write(chunk))
            }
        }
    }
}

impl From<Bytes> for Written {
    fn from(bytes: Bytes) -> Self {
        Self::Memory(bytes)
    }
}

/// A fully written, fsynced temporary file, not yet visible. Removed if dropped uncommitted.
#[derive(Debug)]
pub(crate) struct Staged {
    path: Option<PathBuf>,
}

impl Staged {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self { path: Some(path) }
    }

    /// Where the file is (until committed).
    pub(crate) fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// The path, which the caller now owns (renames or removes it).
    pub(crate) fn take_path(&mut self) -> Option<PathBuf> {
        self.path.take()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}
