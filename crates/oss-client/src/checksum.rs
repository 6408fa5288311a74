//! CRC-64/XZ ("crc64ecma"), the checksum OSS returns in `x-oss-hash-crc64ecma`, computed with
//! the SIMD `crc-fast` crate; CRCs of consecutive pieces combine into the CRC of the whole
//! (multipart uploads, appends).

use crate::header_names;
use crc_fast::CrcAlgorithm::Crc64Xz;

/// The CRC-64/XZ of `data`.
pub(crate) fn crc64(data: &[u8]) -> u64 {
    crc_fast::checksum(Crc64Xz, data)
}

/// The CRC of `a ‖ b` from the CRC of `a`, the CRC of `b` and the length of `b` in bytes.
pub(crate) fn crc64_combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    crc_fast::checksum_combine(Crc64Xz, crc_a, crc_b, len_b)
}

/// A running CRC-64/XZ.
#[derive(Clone)]
pub(crate) struct Crc64(crc_fast::Digest);

impl Crc64 {
    pub(crate) fn new() -> Self {
        Self(crc_fast::Digest::new(Crc64Xz))
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0.finalize()
    }
}

/// Computes the CRC-64 of a request body while it is sent, from its start again on every
/// attempt.
pub(crate) struct CrcObserver(std::sync::Mutex<Crc64>);

impl CrcObserver {
    pub(crate) fn new() -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self(std::sync::Mutex::new(Crc64::new())))
    }

    /// The CRC-64 of the bytes of the last attempt.
    pub(crate) fn finish(&self) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).finish()
    }
}

impl oss_http::body::ChunkObserver for CrcObserver {
    fn restart(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Crc64::new();
    }

    fn chunk(&self, data: &bytes::Bytes) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .update(data);
    }
}

/// The CRC-64 OSS reports in an answer.
fn reported_crc(headers: &http::HeaderMap) -> Option<u64> {
    crate::response::header_parse(headers, &header_names::X_OSS_HASH_CRC64ECMA)
}

/// Sends an upload (PutObject, UploadPart) with the CRC-64 of its body compared with the
/// `x-oss-hash-crc64ecma` OSS answers. A different value means the bytes were damaged on the
/// way: the retry layer sends the request again (a replayable body only, within the client's
/// attempts). Returns the answer and the CRC-64 of the bytes sent.
///
/// # Errors
/// [`crate::ErrorKind::ChecksumMismatch`] when the last answer still differs (`what` names the
/// upload in the message); the errors of [`crate::Client`]'s sending.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
)]
pub(crate) fn send_upload<'a>(
    client: &'a crate::Client,
    mut op: crate::request::OperationRequest,
    what: &'a str,
) -> impl Future<Output = Result<(http::Response<oss_http::ResponseBody>, u64), crate::Error>> + Send + 'a
{
    async move {
        let crc = CrcObserver::new();
        op.body = std::mem::replace(&mut op.body, oss_http::Body::empty()).observe(crc.clone());
        let checked = std::sync::Arc::clone(&crc);
        op.response_check = Some(oss_http::ResponseCheck::new(move |headers| {
            reported_crc(headers).is_none_or(|reported| reported == checked.finish())
        }));
        let response = client.send(op).await?;
        let sent = crc.finish();
        match reported_crc(response.headers()) {
            Some(reported) if reported != sent => Err(crate::Error::new(
                crate::ErrorKind::ChecksumMismatch,
                format!("CRC-64 mismatch for {what}: sent {sent}, OSS stored {reported}"),
            )),
            _ => Ok((response, sent)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values() {
        assert_eq!(crc64(b"123456789"), 11_051_210_869_376_104_954);
        assert_eq!(crc64(b""), 0);
        assert_eq!(crc64(b"hello"), 11_177_612_005_948_864_433);
        let mut running = Crc64::new();
        running.update(b"1234");
        running.update(b"56789");
        assert_eq!(running.finish(), 11_051_210_869_376_104_954);
    }

    #[test]
    fn combine_matches_the_whole() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 31 % 251) as u8).collect();
        for split in [0, 1, 102_400, 299_999, 300_000] {
            let (a, b) = data.split_at(split);
            assert_eq!(
                crc64_combine(crc64(a), crc64(b), b.len() as u64),
                crc64(&data),
                "{split}"
            );
        }
    }
}
