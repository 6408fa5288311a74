//! Transfer managers for batch jobs: [`Uploader`], [`Downloader`] and [`Copier`].
//!
//! * Objects below a threshold move in one request; larger ones in parts, several at a time
//!   (defaults as the official SDKs: 6 MiB parts, 3 in parallel; copies 64 MiB parts above
//!   200 MiB). The part size grows by itself to stay within 10000 parts.
//! * Memory stays bounded by part size × concurrency whatever the object size: file parts are
//!   streamed from disk, and only a reader of unknown length is buffered, one part per slot.
//! * Every part's CRC-64 is checked, and the whole object's CRC-64 (combined from the parts) is
//!   compared with OSS's after Complete and after a download.
//! * Uploads and downloads can resume from a checkpoint file after a crash; a checkpoint whose
//!   upload no longer exists on the server is discarded and the transfer starts over cleanly.
//! * Progress (bytes done and total, per object) goes to a callback; an optional bandwidth
//!   limit paces parts.
//! * Each takes the operation's own options, set once per manager or per clone for one
//!   object: [`ObjectOptions`](crate::operation::object_options::ObjectOptions) for the
//!   Uploader, [`DownloadOptions`] and [`CopyOptions`] (see `docs/object-options.md`).

mod batched_writer;
mod checkpoint;
mod copier;
mod copy_options;
mod download_options;
mod downloader;
mod progress;
mod rate_limit;
mod uploader;

pub use copier::{Copier, CopyOutput, DEFAULT_COPY_PART_SIZE, DEFAULT_COPY_THRESHOLD};
pub use copy_options::CopyOptions;
pub use download_options::DownloadOptions;
pub use downloader::{
    DOWNLOAD_CHECKPOINT_SUFFIX, DOWNLOAD_TEMPORARY_SUFFIX, DownloadOutput, Downloader,
};
pub use progress::{Progress, ProgressFn};
pub use rate_limit::RateLimit;
pub use uploader::{UploadOutput, Uploader};

/// The default part size (6 MiB).
pub const DEFAULT_PART_SIZE: u64 = 6 * 1024 * 1024;
/// The default number of parts in flight per object.
pub const DEFAULT_CONCURRENCY: usize = 3;

/// The part size to use for `size` bytes: `preferred`, grown to stay within 10000 parts, and
/// at least the 100 KiB minimum.
pub(crate) fn part_size_for(size: u64, preferred: u64) -> u64 {
    use crate::operation::multipart::{MAX_PART_NUMBER, MIN_PART_SIZE};
    let needed = size.div_ceil(u64::from(MAX_PART_NUMBER));
    preferred.max(needed).max(MIN_PART_SIZE)
}

/// The (part number, offset, length) of every part of `size` bytes.
pub(crate) fn parts_of(size: u64, part_size: u64) -> Vec<(u32, u64, u64)> {
    let mut parts = Vec::new();
    let mut offset = 0;
    let mut number = 1u32;
    while offset < size {
        let length = part_size.min(size - offset);
        parts.push((number, offset, length));
        offset += length;
        number += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_sizes_stay_within_ten_thousand_parts() {
        assert_eq!(part_size_for(1, DEFAULT_PART_SIZE), DEFAULT_PART_SIZE);
        let huge = 100 * 1024 * 1024 * 1024u64; // 100 GiB
        let size = part_size_for(huge, DEFAULT_PART_SIZE);
        assert!(parts_of(huge, size).len() <= 10_000);
        assert_eq!(part_size_for(10, 1), 100 * 1024);
        assert_eq!(parts_of(0, 10), vec![]);
        assert_eq!(parts_of(25, 10), vec![(1, 0, 10), (2, 10, 10), (3, 20, 5)]);
        assert_eq!(parts_of(20, 10), vec![(1, 0, 10), (2, 10, 10)]);
    }
}
