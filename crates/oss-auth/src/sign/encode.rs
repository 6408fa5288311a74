//! Percent-encoding shared by the canonical request and the wire URL, so the two never differ.

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 "unreserved" bytes (`A-Z a-z 0-9 - _ . ~`), as a table: one lookup per byte.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Appends `input` to `out`, percent-encoding every byte that is not unreserved with upper-case
/// hex (`%2B`, `%20`, `%E4`…). With `keep_slash`, `/` is copied as is (paths); without it, `/` is
/// `%2F` (query names and values).
pub fn uri_encode_into(out: &mut String, input: &str, keep_slash: bool) {
    let mut run_start = 0;
    for (i, &b) in input.as_bytes().iter().enumerate() {
        if UNRESERVED[usize::from(b)] || (keep_slash && b == b'/') {
            continue;
        }
        // Runs of unreserved bytes are copied whole. A non-empty run holds only ASCII, so both
        // of its ends are character boundaries.
        if run_start < i {
            out.push_str(&input[run_start..i]);
        }
        out.push('%');
        out.push(char::from(UPPER_HEX[usize::from(b >> 4)]));
        out.push(char::from(UPPER_HEX[usize::from(b & 0x0f)]));
        run_start = i + 1;
    }
    if run_start < input.len() {
        out.push_str(&input[run_start..]);
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
        assert_eq!(uri_encode("é-x中y/", false), "%C3%A9-x%E4%B8%ADy%2F");
    }

    #[test]
    fn decodes_plus_only_when_asked() {
        assert_eq!(percent_decode("a+b%20c", false), "a+b c");
        assert_eq!(percent_decode("a+b%2Bc", true), "a b+c");
    }
}
