//! Shared pieces of the oss-bench micro-benchmarks and throughput harness: payloads, process
//! CPU and memory accounting, a canned-response HTTP server and a "null OSS" server on
//! loopback.
//!
//! Nothing here is part of the SDK; see `docs/benchmarks.md` for how to run the benchmarks.

pub mod canned;
pub mod null_oss;
pub mod usage;

/// A deterministic, incompressible-looking payload of `len` bytes (the same for every client
/// and every server of a run, so a server can answer GETs without storing anything).
pub fn payload(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < len {
        // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let v = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let take = (len - out.len()).min(8);
        out.extend_from_slice(&v.to_le_bytes()[..take]);
    }
    out
}

/// CRC-64/XZ (OSS's `x-oss-hash-crc64ecma`) of `data`, with the crate the client uses.
pub fn crc64(data: &[u8]) -> u64 {
    let mut digest = crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc64Xz);
    digest.update(data);
    digest.finalize()
}

/// A ListObjectsV2 result with `entries` objects, shaped as OSS (and the emulator) write it.
pub fn list_objects_v2_xml(bucket: &str, entries: usize) -> String {
    use std::fmt::Write as _;
    let mut xml = String::with_capacity(400 + entries * 420);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult>");
    let _ = write!(
        xml,
        "<Name>{bucket}</Name><Prefix>logs/</Prefix><MaxKeys>{entries}</MaxKeys>\
         <Delimiter></Delimiter><IsTruncated>true</IsTruncated><KeyCount>{entries}</KeyCount>\
         <NextContinuationToken>bG9ncy8yMDI0LzAxLzAxL2FwcC0wMDk5OS5sb2c</NextContinuationToken>"
    );
    for i in 0..entries {
        let _ = write!(
            xml,
            "<Contents><Key>logs/2024/01/01/app-{i:05}.log</Key>\
             <LastModified>2024-01-01T12:{:02}:{:02}.000Z</LastModified>\
             <ETag>\"5B3C1A2E7F4D9E8C1B2A3F4E5D6C7B{:02X}\"</ETag>\
             <Type>Normal</Type><Size>{}</Size><StorageClass>Standard</StorageClass>\
             </Contents>",
            (i / 60) % 60,
            i % 60,
            i % 256,
            4096 + i * 17,
        );
    }
    xml.push_str("</ListBucketResult>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_deterministic_and_sized() {
        assert_eq!(payload(13).len(), 13);
        assert_eq!(payload(4096), payload(4096));
        assert_eq!(&payload(4096)[..100], &payload(100)[..]);
    }

    #[test]
    fn crc64_matches_the_xz_check_value() {
        assert_eq!(crc64(b"123456789"), 0x995D_C9BB_DF19_39FA);
    }

    #[test]
    fn list_xml_has_every_entry() {
        let xml = list_objects_v2_xml("b", 1000);
        assert_eq!(xml.matches("<Contents>").count(), 1000);
    }
}
