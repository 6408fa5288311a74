//! Multipart upload (OSS API reference "Multipart upload"): Initiate, UploadPart,
//! UploadPartCopy, Complete, Abort, ListMultipartUploads and ListParts.
//!
//! Parts are numbered 1..=10000; every part but the last must be at least 100 KiB. Each part's
//! CRC-64 is checked against OSS's answer, and Complete checks the combined CRC-64 of the whole
//! object when every part's CRC and size are known.

pub mod abort;
pub mod complete;
pub mod initiate;
pub mod list_parts;
pub mod list_uploads;
pub mod upload_part;
pub mod upload_part_copy;

/// The highest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;
/// The smallest size of a part other than the last, in bytes (100 KiB).
pub const MIN_PART_SIZE: u64 = 100 * 1024;

use crate::error::Error;

pub(crate) fn check_part_number(part_number: u32) -> Result<(), Error> {
    if (1..=MAX_PART_NUMBER).contains(&part_number) {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "part numbers are 1 to {MAX_PART_NUMBER}, not {part_number}"
        )))
    }
}
