//! OSS's framed SelectObject response (OSS API reference, "SelectObject", response body):
//! each frame is a version byte (1) and a 3-byte type, a 4-byte payload length, a 4-byte
//! header checksum (0), the payload and a 4-byte payload checksum (CRC-32 of the payload
//! when `EnablePayloadCrc` is true, else 0); integers are big-endian. Every payload starts
//! with the 8-byte offset in the object scanned so far. Continuous frames (`0x800004`, the
//! offset alone) tell the client the scan goes on while no record comes out
//! ([`super::framed_output`] decides when).

/// A data frame: offset, then record bytes.
pub(crate) const DATA_FRAME: u32 = 0x80_0001;
/// A continuous frame: the offset alone, sent while the scan produces no output.
pub(crate) const CONTINUOUS_FRAME: u32 = 0x80_0004;
/// The end frame of SelectObject: offset, bytes scanned, status, error message.
pub(crate) const END_FRAME: u32 = 0x80_0005;
/// The end frame of CreateSelectObjectMeta on CSV: offset, bytes scanned, status, splits,
/// rows, columns, error message.
pub(crate) const CSV_META_END_FRAME: u32 = 0x80_0006;
/// The end frame of CreateSelectObjectMeta on JSON lines: as the CSV one without columns.
pub(crate) const JSON_META_END_FRAME: u32 = 0x80_0007;

/// Writes frames into one buffer.
#[derive(Debug)]
pub(crate) struct FrameWriter {
    out: Vec<u8>,
    crc: bool,
}

impl FrameWriter {
    /// A writer; `crc` fills the payload checksums.
    pub(crate) fn new(crc: bool) -> Self {
        Self {
            out: Vec::new(),
            crc,
        }
    }

    fn frame(&mut self, kind: u32, payload: &[u8]) {
        let [_, a, b, c] = kind.to_be_bytes();
        self.out.extend_from_slice(&[1, a, b, c]);
        let length = u32::try_from(payload.len()).unwrap_or(u32::MAX);
        self.out.extend_from_slice(&length.to_be_bytes());
        self.out.extend_from_slice(&0u32.to_be_bytes());
        self.out.extend_from_slice(payload);
        let checksum = if self.crc {
            crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, payload) as u32
        } else {
            0
        };
        self.out.extend_from_slice(&checksum.to_be_bytes());
    }

    /// A data frame with `records` (output bytes), `offset` bytes of the object scanned.
    pub(crate) fn data(&mut self, offset: u64, records: &[u8]) {
        let mut payload = offset.to_be_bytes().to_vec();
        payload.extend_from_slice(records);
        self.frame(DATA_FRAME, &payload);
    }

    /// A continuous frame: `offset` bytes of the object scanned, no record.
    pub(crate) fn continuous(&mut self, offset: u64) {
        self.frame(CONTINUOUS_FRAME, &offset.to_be_bytes());
    }

    /// The end frame: `status` an HTTP-like code (200 when all went well), `message`
    /// `Code.Message` on failure, else empty.
    pub(crate) fn end(&mut self, offset: u64, scanned: u64, status: u32, message: &str) {
        let mut payload = offset.to_be_bytes().to_vec();
        payload.extend_from_slice(&scanned.to_be_bytes());
        payload.extend_from_slice(&status.to_be_bytes());
        payload.extend_from_slice(message.as_bytes());
        self.frame(END_FRAME, &payload);
    }

    /// The meta end frame: `columns` is `Some` for CSV, `None` for JSON lines.
    pub(crate) fn meta_end(&mut self, scanned: u64, splits: u32, rows: u64, columns: Option<u32>) {
        let mut payload = scanned.to_be_bytes().to_vec();
        payload.extend_from_slice(&scanned.to_be_bytes());
        payload.extend_from_slice(&200u32.to_be_bytes());
        payload.extend_from_slice(&splits.to_be_bytes());
        payload.extend_from_slice(&rows.to_be_bytes());
        let kind = match columns {
            Some(c) => {
                payload.extend_from_slice(&c.to_be_bytes());
                CSV_META_END_FRAME
            }
            None => JSON_META_END_FRAME,
        };
        self.frame(kind, &payload);
    }

    /// The frames written.
    pub(crate) fn finish(self) -> Vec<u8> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_frame_has_its_header_payload_and_crc() {
        let mut w = FrameWriter::new(true);
        w.data(5, b"a,b\n");
        let out = w.finish();
        assert_eq!(&out[..4], &[1, 0x80, 0, 1]);
        assert_eq!(&out[4..8], &12u32.to_be_bytes());
        assert_eq!(&out[8..12], &[0; 4]);
        assert_eq!(&out[12..20], &5u64.to_be_bytes());
        assert_eq!(&out[20..24], b"a,b\n");
        let crc = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, &out[12..24]) as u32;
        assert_eq!(&out[24..], &crc.to_be_bytes());
        // CRC-32 (ISO-HDLC, as zlib) of "123456789".
        assert_eq!(
            crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, b"123456789"),
            0xCBF4_3926
        );
    }
}
