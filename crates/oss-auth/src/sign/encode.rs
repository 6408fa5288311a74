//! Percent-encoding shared by the canonical request and the wire URL, so the two never differ.

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 "unreserved" bytes: `A-Z a-z 0-9 - _ . ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `input` to `out`, percent-encoding every byte that is not unreserved with upper-case
/// hex (`%2B`, `%20`, `%E4`…). With `keep_slash`, `/` is copied as is (paths); without it, `/` is
/// `%2F` (query names and values).
pub fn uri_encode_into(out: &mut String, input: &str, keep_slash: bool) {
    for &b in input.as_bytes() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(UPPER_HEX[usize::from(b >> 4)] as char);
            out.push(UPPER_HEX[usize::from(b & 0x0f)] as char);
        }
    }
}

/// Percent-encodes `input` as [`uri_encode_into`] does.
pub fn uri_encode(input: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 2);
    uri_encode_into(&mut out, input, keep_slash);
    out
}

/// Decodes `%XX` escapes (and, when `plus_as_space`, `+` as a space); invalid UTF-8 becomes
/// U+FFFD. Used to read query strings and paths as a server sees them.
pub fn percent_decode(input: &str, plus_as_space: bool) -> String {
    if plus_as_space && input.contains('+') {
        let replaced = input.replace('+', " ");
        return percent_encoding::percent_decode_str(&replaced)
            .decode_utf8_lossy()
            .into_owned();
    }
    percent_encoding::percent_decode_str(input)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_unicode() {
        assert_eq!(uri_encode("a b+c%/~*", true), "a%20b%2Bc%25/~%2A");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        assert_eq!(uri_encode("中", true), "%E4%B8%AD");
    }

    #[test]
    fn decodes_plus_only_when_asked() {
        assert_eq!(percent_decode("a+b%20c", false), "a+b c");
        assert_eq!(percent_decode("a+b%2Bc", true), "a b+c");
    }
}
