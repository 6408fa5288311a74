//! CRC-64/XZ ("crc64ecma"), the checksum OSS returns in `x-oss-hash-crc64ecma`.

/// The CRC-64/XZ of `data`.
#[cfg(test)]
pub(crate) fn crc64(data: &[u8]) -> u64 {
    let mut digest = crc64fast::Digest::new();
    digest.write(data);
    digest.sum64()
}

/// A running CRC-64/XZ.
#[derive(Clone)]
pub(crate) struct Crc64(crc64fast::Digest);

impl Crc64 {
    pub(crate) fn new() -> Self {
        Self(crc64fast::Digest::new())
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.write(data);
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0.sum64()
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
}
