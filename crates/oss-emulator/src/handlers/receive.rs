//! Receiving a write's body as it arrives (PutObject, AppendObject, UploadPart): into the
//! bucket's writer (memory, or a staged file in a durable store) with its MD5 and CRC-64,
//! never the whole body in memory when it goes to disk.

use bytes::BytesMut;
use http_body_util::BodyExt as _;
use md5::{Digest as _, Md5};

use super::Ctx;
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::{Bucket, Written, disk_error};

/// The MD5 and CRC-64 of bytes seen in order.
#[derive(Clone, Default)]
pub(crate) struct Digests {
    md5: Md5,
    crc: crc64fast::Digest,
}

impl std::fmt::Debug for Digests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Digests").finish_non_exhaustive()
    }
}

impl Digests {
    pub(crate) fn update(&mut self, chunk: &[u8]) {
        self.md5.update(chunk);
        self.crc.write(chunk);
    }

    /// Binary MD5 and CRC-64/XZ.
    pub(crate) fn finish(self) -> ([u8; 16], u64) {
        (self.md5.finalize().into(), self.crc.sum64())
    }
}

/// A received body.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) data: Written,
    /// Binary MD5.
    pub(crate) md5: [u8; 16],
    /// CRC-64/XZ.
    pub(crate) crc64: u64,
}

/// Reads the whole request body into `bucket`'s writer, refusing more than the largest
/// object size with 400 `EntityTooLarge` (up front when Content-Length says so); a body
/// that breaks off gives 400 `InvalidArgument`. Records it for `bucket_name`/`key` when
/// recording is on (recorded bodies are kept in memory).
pub(crate) async fn receive(
    ctx: &Ctx<'_>,
    bucket: &Bucket,
    key: &str,
    mut body: ReqBody,
) -> Result<Received, OssError> {
    let max = ctx.state.max_object_size;
    let too_large = || {
        OssError::new(
            ErrorCode::EntityTooLarge,
            "Your proposed upload exceeds the maximum allowed size.",
        )
        .with("MaxSizeAllowed", max.to_string())
    };
    let declared = ctx
        .header(http::header::CONTENT_LENGTH.as_str())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max) {
        return Err(too_large());
    }
    let mut writer = bucket.writer()?;
    let mut digests = Digests::default();
    let mut recorded = ctx.state.recorded.is_some().then(BytesMut::new);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            OssError::new(
                ErrorCode::InvalidArgument,
                "The request body could not be read completely.",
            )
        })?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        if writer.len() + chunk.len() as u64 > max {
            return Err(too_large());
        }
        digests.update(&chunk);
        if let Some(recorded) = &mut recorded {
            recorded.extend_from_slice(&chunk);
        }
        writer.write(&chunk).map_err(disk_error)?;
    }
    if let Some(recorded) = recorded {
        ctx.state.record(&bucket.name, key, &recorded.freeze());
    }
    let (md5, crc64) = digests.finish();
    Ok(Received {
        data: writer.finish().map_err(disk_error)?,
        md5,
        crc64,
    })
}

/// A body already in memory (a form's file, a processed image), received as [`receive`]
/// receives a request body: into `bucket`'s writer, with its MD5 and CRC-64, recorded for
/// `key` when recording is on.
pub(crate) fn receive_bytes(
    ctx: &Ctx<'_>,
    bucket: &Bucket,
    key: &str,
    data: &bytes::Bytes,
) -> Result<Received, OssError> {
    ctx.state.record(&bucket.name, key, data);
    let mut writer = bucket.writer()?;
    let mut digests = Digests::default();
    digests.update(data);
    writer.write(data).map_err(disk_error)?;
    let (md5, crc64) = digests.finish();
    Ok(Received {
        data: writer.finish().map_err(disk_error)?,
        md5,
        crc64,
    })
}
