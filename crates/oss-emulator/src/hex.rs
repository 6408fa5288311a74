//! Upper-case hexadecimal, as OSS writes ETags and MD5 digests.

/// `"` + upper-case hex + `"`.
pub(crate) fn quoted_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2 + 2);
    out.push('"');
    out.push_str(&upper_hex(bytes));
    out.push('"');
    out
}

/// Upper-case hex.
pub(crate) fn upper_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0x0f)] as char);
    }
    out
}
