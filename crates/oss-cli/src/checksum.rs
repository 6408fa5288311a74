//! CRC-64 (ECMA-182 as OSS computes it, `x-oss-hash-crc64ecma`; crc-fast) and MD5 (md-5) of
//! local files and of object bodies as they stream.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crc_fast::{CrcAlgorithm, Digest as Crc64};
use futures_util::TryStreamExt as _;
use md5::{Digest as _, Md5};
use oss_client::ByteStream;

/// Both checksums of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hashes {
    /// CRC-64/XZ (the value OSS reports, shown in decimal as OSS does).
    pub(crate) crc64: u64,
    /// MD5 digest.
    pub(crate) md5: [u8; 16],
    /// Bytes hashed.
    pub(crate) size: u64,
}

/// Running CRC-64 and MD5.
struct Hasher {
    crc64: Crc64,
    md5: Md5,
    size: u64,
}

impl Hasher {
    fn new() -> Self {
        Self {
            crc64: Crc64::new(CrcAlgorithm::Crc64Xz),
            md5: Md5::new(),
            size: 0,
        }
    }

    fn update(&mut self, data: &[u8]) {
        self.crc64.update(data);
        self.md5.update(data);
        self.size += data.len() as u64;
    }

    fn finish(self) -> Hashes {
        Hashes {
            crc64: self.crc64.finalize(),
            md5: self.md5.finalize().into(),
            size: self.size,
        }
    }
}

/// The checksums of the file at `path`, read in 1 MiB blocks on a blocking thread.
pub(crate) async fn file(path: &Path) -> std::io::Result<Hashes> {
    let path: PathBuf = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = Hasher::new();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                return Ok(hasher.finish());
            }
            hasher.update(&buffer[..read]);
        }
    })
    .await
    .map_err(std::io::Error::other)?
}

/// The checksums of an object body as it streams (the client also checks its CRC-64
/// against OSS's at the end).
pub(crate) async fn stream(mut body: ByteStream) -> Result<Hashes, oss_client::Error> {
    let mut hasher = Hasher::new();
    while let Some(chunk) = body.try_next().await? {
        hasher.update(&chunk);
    }
    Ok(hasher.finish())
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let mut hasher = Hasher::new();
        hasher.update(b"123456789");
        let hashes = hasher.finish();
        // The CRC-64/XZ check value and the MD5 of "123456789".
        assert_eq!(hashes.crc64, 0x995D_C9BB_DF19_39FA);
        assert_eq!(hex(&hashes.md5), "25f9e794323b453885f5181f1b624d0b");
        assert_eq!(hashes.size, 9);
    }
}
