//! [`FramedOutput`]: SelectObject's output records as OSS frames them. Record bytes gather
//! into data frames of up to [`FRAME_BYTES`]; while the scan goes on without a frame going
//! out, every [`CONTINUOUS_BYTES`] of the object scanned send either the records gathered so
//! far (a data frame) or, when there are none, a continuous frame, so that a client sees
//! progress on a large scan with few matches (OSS sends continuous frames for the same
//! reason: an answer that stays silent looks like a dead connection). A raw answer
//! (`OutputRawData`) is the record bytes alone.

use super::frames::FrameWriter;

/// Output bytes gathered before a data frame is written.
pub(crate) const FRAME_BYTES: usize = 4096;

/// Bytes of the object scanned without a frame after which one is sent.
pub(crate) const CONTINUOUS_BYTES: u64 = 64 * 1024;

/// The answer being built.
#[derive(Debug)]
pub(crate) struct FramedOutput {
    frames: FrameWriter,
    raw: bool,
    /// Record bytes not yet in a frame.
    pending: Vec<u8>,
    /// The end offset of the last record read.
    scanned: u64,
    /// The offset the last frame carried.
    last_frame: u64,
}

impl FramedOutput {
    /// An empty answer: framed (with payload CRC-32s when `crc`) unless `raw`.
    pub(crate) fn new(crc: bool, raw: bool) -> Self {
        Self {
            frames: FrameWriter::new(crc),
            raw,
            pending: Vec::new(),
            scanned: 0,
            last_frame: 0,
        }
    }

    /// A record was read, ending at `end` in the object: sends a frame when
    /// [`CONTINUOUS_BYTES`] were scanned since the last one.
    pub(crate) fn scanned(&mut self, end: u64) {
        self.scanned = end;
        if self.raw || end - self.last_frame < CONTINUOUS_BYTES {
            return;
        }
        if self.pending.is_empty() {
            self.frames.continuous(end);
            self.last_frame = end;
        } else {
            self.flush();
        }
    }

    /// Where output records are written.
    pub(crate) fn records(&mut self) -> &mut Vec<u8> {
        &mut self.pending
    }

    /// Output was written: sends a data frame once [`FRAME_BYTES`] are gathered.
    pub(crate) fn written(&mut self) {
        if !self.raw && self.pending.len() >= FRAME_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.frames
            .data(self.scanned, &std::mem::take(&mut self.pending));
        self.last_frame = self.scanned;
    }

    /// The answer's body: the remaining records and the end frame (`total` bytes scanned,
    /// status 200), or the raw record bytes.
    pub(crate) fn finish(mut self, total: u64) -> Vec<u8> {
        if self.raw {
            return self.pending;
        }
        if !self.pending.is_empty() {
            self.flush();
        }
        self.frames.end(total, total, 200, "");
        self.frames.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (type, offset) of each frame of `body`.
    fn frames(body: &[u8]) -> Vec<(u8, u64)> {
        let mut out = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let length = u32::from_be_bytes(rest[4..8].try_into().unwrap()) as usize;
            let offset = u64::from_be_bytes(rest[12..20].try_into().unwrap());
            out.push((rest[3], offset));
            rest = &rest[12 + length + 4..];
        }
        out
    }

    #[test]
    fn a_long_scan_without_output_sends_continuous_frames() {
        let mut output = FramedOutput::new(false, false);
        // 1 KiB records; one match at 200 KiB.
        for i in 1..=256u64 {
            output.scanned(i * 1024);
            if i == 200 {
                output.records().extend_from_slice(b"match\n");
                output.written();
            }
        }
        let body = output.finish(256 * 1024);
        assert_eq!(
            frames(&body),
            [
                (4, 64 * 1024),
                (4, 128 * 1024),
                (4, 192 * 1024),
                // The match waits for the next 64 KiB: it goes out as a data frame.
                (1, 256 * 1024),
                (5, 256 * 1024),
            ]
        );
    }

    #[test]
    fn output_that_flows_needs_no_continuous_frame() {
        let mut output = FramedOutput::new(false, false);
        for i in 1..=100u64 {
            output.scanned(i * 1024);
            output.records().extend_from_slice(&[b'x'; 1023]);
            output.records().push(b'\n');
            output.written();
        }
        let kinds: Vec<u8> = frames(&output.finish(100 * 1024))
            .iter()
            .map(|f| f.0)
            .collect();
        assert!(!kinds.contains(&4), "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == 1).count(), 25);
    }

    #[test]
    fn a_raw_answer_is_the_records_alone() {
        let mut output = FramedOutput::new(false, true);
        output.scanned(1 << 20);
        output.records().extend_from_slice(b"a\n");
        output.written();
        assert_eq!(output.finish(1 << 20), b"a\n");
    }
}
