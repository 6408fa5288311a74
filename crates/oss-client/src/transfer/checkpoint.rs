//! Checkpoint files of resumable transfers: JSON, written atomically (temporary file, then
//! rename) after every part, removed when the transfer completes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// A finished part of an upload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct UploadedPart {
    pub(crate) number: u32,
    pub(crate) etag: String,
    pub(crate) crc64: Option<u64>,
    pub(crate) size: u64,
}

/// The state of a resumable upload (`<checkpoint dir>/<name>.ucp`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UploadCheckpoint {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) upload_id: String,
    /// The source file, its size and modification time (seconds), to detect a changed file.
    pub(crate) file: PathBuf,
    pub(crate) file_size: u64,
    pub(crate) file_modified: u64,
    pub(crate) part_size: u64,
    pub(crate) parts: Vec<UploadedPart>,
}

/// A finished part of a download.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct DownloadedPart {
    pub(crate) number: u32,
    pub(crate) crc64: u64,
}

/// The state of a resumable download (`<destination>.dcp`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DownloadCheckpoint {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) etag: String,
    /// The object offset of the file's first byte (0 unless a range is downloaded).
    #[serde(default)]
    pub(crate) first: u64,
    pub(crate) size: u64,
    pub(crate) part_size: u64,
    pub(crate) parts: Vec<DownloadedPart>,
}

/// Reads a checkpoint; a missing or unreadable file is no checkpoint.
pub(crate) async fn load<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    let bytes = tokio::fs::read(path).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes a checkpoint atomically.
pub(crate) async fn save<T: Serialize>(path: &Path, state: &T) -> Result<(), Error> {
    let io = |e: std::io::Error| {
        Error::new(
            ErrorKind::Transport,
            format!("cannot write the checkpoint {}", path.display()),
        )
        .with_source(e)
    };
    let bytes = serde_json::to_vec_pretty(state).map_err(|e| {
        Error::new(ErrorKind::Transport, "cannot encode the checkpoint").with_source(e)
    })?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    tokio::fs::write(&temporary, bytes).await.map_err(io)?;
    tokio::fs::rename(&temporary, path).await.map_err(io)
}

/// Removes a checkpoint (missing is fine).
pub(crate) async fn remove(path: &Path) {
    let _ = tokio::fs::remove_file(path).await;
}

/// A file name for an upload checkpoint of (bucket, key): the hex MD5 of both, so any key
/// maps to a safe name.
pub(crate) fn upload_file_name(bucket: &str, key: &str) -> String {
    use md5::Digest as _;
    let digest = md5::Md5::digest(format!("{bucket}\n{key}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.ucp")
}
