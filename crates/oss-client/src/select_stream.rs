//! [`SelectStream`]: SelectObject's answer as a stream of record bytes, decoding OSS's
//! frames (OSS API reference, "SelectObject", response body).
//!
//! A frame is a version byte and a 3-byte type, a 4-byte payload length, a 4-byte header
//! checksum, the payload and a 4-byte payload checksum (CRC-32 of the payload when
//! `EnablePayloadCrc` was asked for), all big-endian. Data frames (`0x800001`) carry an
//! 8-byte offset and record bytes; continuous frames (`0x800004`) only the offset; the end
//! frame (`0x800005`) the offset, the bytes scanned, a status and `Code.Message` on failure.
//! CreateSelectObjectMeta answers one meta end frame (`0x800006` for CSV, `0x800007` for
//! JSON): offset, bytes scanned, status, splits, rows, columns (CSV only), `Code.Message`.

use bytes::{Buf as _, Bytes, BytesMut};
use http::{HeaderMap, StatusCode};
use http_body_util::BodyExt as _;
use oss_http::{ErrorDocument, ResponseBody};

use crate::error::{Error, ErrorKind, ServiceError};
use crate::xml::escape;

const DATA_FRAME: u32 = 0x80_0001;
const CONTINUOUS_FRAME: u32 = 0x80_0004;
const END_FRAME: u32 = 0x80_0005;
const CSV_META_END_FRAME: u32 = 0x80_0006;
const JSON_META_END_FRAME: u32 = 0x80_0007;
/// Frame header: type (4), payload length (4), header checksum (4).
const HEADER_LEN: usize = 12;
/// A payload larger than this is refused as a broken answer (OSS sends small frames).
const MAX_PAYLOAD: usize = 64 * 1024 * 1024;

/// The end of a SelectObject answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectEnd {
    /// Bytes of the object scanned.
    pub scanned_bytes: u64,
    /// The end frame's status (200 when every record was sent).
    pub status: u16,
    /// CreateSelectObjectMeta: the number of splits.
    pub splits: Option<u32>,
    /// CreateSelectObjectMeta: the number of rows (CSV records or JSON lines).
    pub rows: Option<u64>,
    /// CreateSelectObjectMeta on CSV: the number of columns.
    pub columns: Option<u32>,
}

/// How far a framed SelectObject answer has got, from its data and continuous frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectProgress {
    /// Bytes of the object scanned so far: the offset of the latest data or continuous
    /// frame.
    pub scanned_bytes: u64,
    /// Continuous frames received: OSS sends one while a scan produces no output, so that
    /// a long scan with few matches still shows progress.
    pub continuous_frames: u64,
}

/// SelectObject's records as a stream of byte chunks ([`next`](Self::next)), in the output
/// serialization asked for (CSV lines or JSON records, each ending with the record
/// delimiter). A framed answer ends with its end frame: a failure status there becomes a
/// [`ErrorKind::Service`] error with the frame's code and message; a payload whose CRC-32
/// differs from the frame's checksum (when CRCs were enabled) becomes
/// [`ErrorKind::ChecksumMismatch`]; an answer cut short becomes [`ErrorKind::Transport`].
#[derive(Debug)]
pub struct SelectStream {
    body: ResponseBody,
    headers: HeaderMap,
    framed: bool,
    crc: bool,
    buffer: BytesMut,
    end: Option<SelectEnd>,
    progress: SelectProgress,
    body_done: bool,
}

impl SelectStream {
    pub(crate) fn new(body: ResponseBody, headers: HeaderMap, framed: bool, crc: bool) -> Self {
        Self {
            body,
            headers,
            framed,
            crc,
            buffer: BytesMut::new(),
            end: None,
            progress: SelectProgress::default(),
            body_done: false,
        }
    }

    /// The end frame's figures, once [`next`](Self::next) returned `None` (a raw answer has
    /// no end frame: `None`).
    pub fn end(&self) -> Option<SelectEnd> {
        self.end
    }

    /// The progress so far (all zero for a raw answer, which has no frames).
    pub fn progress(&self) -> SelectProgress {
        self.progress
    }

    /// The next chunk of record bytes; `None` at the end.
    ///
    /// # Errors
    /// As the type documents.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        loop {
            if !self.framed {
                return self.read_more().await.transpose();
            }
            if self.end.is_some() {
                return None;
            }
            match self.take_frame() {
                Ok(Some(Some(data))) if !data.is_empty() => return Some(Ok(data)),
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            match self.read_more().await {
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk),
                Ok(None) => {
                    return Some(Err(Error::new(
                        ErrorKind::Transport,
                        "the SelectObject answer ended before its end frame",
                    )));
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Reads every remaining chunk into one buffer.
    ///
    /// # Errors
    /// As [`next`](Self::next).
    pub async fn collect(&mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// The next body chunk, `None` at the body's end.
    async fn read_more(&mut self) -> Result<Option<Bytes>, Error> {
        while !self.body_done {
            match self.body.frame().await {
                None => self.body_done = true,
                Some(Err(e)) => return Err(Error::from(e)),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Ok(Some(data));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Takes one whole frame from the buffer: `Ok(None)` when more bytes are needed,
    /// `Ok(Some(Some(data)))` for a data frame, `Ok(Some(None))` for another frame.
    fn take_frame(&mut self) -> Result<Option<Option<Bytes>>, Error> {
        if self.buffer.len() < HEADER_LEN {
            return Ok(None);
        }
        let kind = u32::from_be_bytes([0, self.buffer[1], self.buffer[2], self.buffer[3]]);
        let length = u32::from_be_bytes([
            self.buffer[4],
            self.buffer[5],
            self.buffer[6],
            self.buffer[7],
        ]) as usize;
        if !(8..=MAX_PAYLOAD).contains(&length) {
            return Err(Error::invalid_response(format!(
                "a SelectObject frame with a payload of {length} bytes"
            )));
        }
        if self.buffer.len() < HEADER_LEN + length + 4 {
            return Ok(None);
        }
        self.buffer.advance(HEADER_LEN);
        let payload = self.buffer.split_to(length).freeze();
        let checksum = self.buffer.get_u32();
        if self.crc && matches!(kind, DATA_FRAME | CONTINUOUS_FRAME) {
            let actual = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, &payload) as u32;
            if actual != checksum {
                return Err(Error::new(
                    ErrorKind::ChecksumMismatch,
                    format!(
                        "SelectObject frame CRC-32 {actual:#010x} differs from {checksum:#010x}"
                    ),
                ));
            }
        }
        if matches!(kind, DATA_FRAME | CONTINUOUS_FRAME) {
            let offset: [u8; 8] = payload[..8].try_into().unwrap_or_default();
            self.progress.scanned_bytes = u64::from_be_bytes(offset);
        }
        match kind {
            DATA_FRAME => Ok(Some(Some(payload.slice(8..)))),
            CONTINUOUS_FRAME => {
                self.progress.continuous_frames += 1;
                Ok(Some(None))
            }
            END_FRAME | CSV_META_END_FRAME | JSON_META_END_FRAME => {
                self.finish(kind, &payload).map(|()| Some(None))
            }
            other => Err(Error::invalid_response(format!(
                "an unknown SelectObject frame type {other:#08x}"
            ))),
        }
    }

    /// Reads an end frame's payload: offset, scanned bytes, status, (meta figures),
    /// `Code.Message`.
    fn finish(&mut self, kind: u32, payload: &[u8]) -> Result<(), Error> {
        let fixed = match kind {
            CSV_META_END_FRAME => 36,
            JSON_META_END_FRAME => 32,
            _ => 20,
        };
        if payload.len() < fixed {
            return Err(Error::invalid_response(
                "a SelectObject end frame too short",
            ));
        }
        let u32_at = |i: usize| {
            u32::from_be_bytes([payload[i], payload[i + 1], payload[i + 2], payload[i + 3]])
        };
        let u64_at = |i: usize| (u64::from(u32_at(i)) << 32) | u64::from(u32_at(i + 4));
        let status = u16::try_from(u32_at(16)).unwrap_or(u16::MAX);
        let meta = kind != END_FRAME;
        self.end = Some(SelectEnd {
            scanned_bytes: u64_at(8),
            status,
            splits: meta.then(|| u32_at(20)),
            rows: meta.then(|| u64_at(24)),
            columns: (kind == CSV_META_END_FRAME).then(|| u32_at(32)),
        });
        if (200..300).contains(&status) {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&payload[fixed..]);
        let (code, message) = text.split_once('.').unwrap_or(("SelectFailed", &text));
        let xml = format!(
            "<Error><Code>{}</Code><Message>{}</Message></Error>",
            escape(code),
            escape(message)
        );
        Err(Error::service(ServiceError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            fallback_code: "SelectFailed",
            document: ErrorDocument::parse(&self.headers, xml.as_bytes()),
            headers: self.headers.clone(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of `kind` with `payload` and its CRC-32.
    fn frame(kind: u32, payload: &[u8]) -> Vec<u8> {
        let mut out = kind.to_be_bytes().to_vec();
        out[0] = 1;
        out.extend_from_slice(&u32::try_from(payload.len()).unwrap().to_be_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(payload);
        let crc = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, payload) as u32;
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    fn end(scanned: u64) -> Vec<u8> {
        let mut payload = scanned.to_be_bytes().to_vec();
        payload.extend_from_slice(&scanned.to_be_bytes());
        payload.extend_from_slice(&200u32.to_be_bytes());
        frame(END_FRAME, &payload)
    }

    fn stream(frames: &[Vec<u8>]) -> SelectStream {
        let body = ResponseBody::buffered(Bytes::from(frames.concat()));
        SelectStream::new(body, HeaderMap::new(), true, true)
    }

    #[tokio::test]
    async fn continuous_frames_count_as_progress() {
        let mut data = 300_000u64.to_be_bytes().to_vec();
        data.extend_from_slice(b"match\n");
        let mut s = stream(&[
            frame(CONTINUOUS_FRAME, &65_536u64.to_be_bytes()),
            frame(CONTINUOUS_FRAME, &131_072u64.to_be_bytes()),
            frame(DATA_FRAME, &data),
            frame(CONTINUOUS_FRAME, &400_000u64.to_be_bytes()),
            end(450_000),
        ]);
        assert_eq!(s.next().await.unwrap().unwrap(), &b"match\n"[..]);
        assert_eq!(
            s.progress(),
            SelectProgress {
                scanned_bytes: 300_000,
                continuous_frames: 2
            }
        );
        assert!(s.next().await.is_none());
        assert_eq!(
            s.progress(),
            SelectProgress {
                scanned_bytes: 400_000,
                continuous_frames: 3
            }
        );
        assert_eq!(s.end().unwrap().scanned_bytes, 450_000);
    }

    #[tokio::test]
    async fn a_continuous_frame_with_a_wrong_crc_is_refused() {
        let mut broken = frame(CONTINUOUS_FRAME, &65_536u64.to_be_bytes());
        let last = broken.len() - 1;
        broken[last] ^= 1;
        let mut s = stream(&[broken, end(65_536)]);
        let error = s.next().await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ChecksumMismatch);
    }
}
