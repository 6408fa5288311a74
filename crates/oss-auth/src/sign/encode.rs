//! Percent-encoding shared by the canonical request and the wire URL, so the two never differ.

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Which bytes are copied as they are: RFC 3986 "unreserved" bytes (`A-Z a-z 0-9 - _ . ~`),
/// and `/` too when `keep_slash`. One table lookup per byte.
const fn copied_bytes(keep_slash: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/');
        b += 1;
    }
    table
}

const COPIED_IN_PATHS: [bool; 256] = copied_bytes(true);
const COPIED_IN_QUERIES: [bool; 256] = copied_bytes(false);

/// Appends `input` to `out`, percent-encoding every byte that is not unreserved with upper-case
/// hex (`%2B`, `%20`, `%E4`…). With `keep_slash`, `/` is copied as is (paths); without it, `/` is
/// `%2F` (query names and values).
pub fn uri_encode_into(out: &mut String, input: &str, keep_slash: bool) {
    encode_pieces(input, keep_slash, |piece| match piece {
        Piece::Copied(run) => out.push_str(run),
        Piece::Escaped(byte) => {
            out.extend(escape(byte).map(char::from));
        }
    });
}

/// [`uri_encode_into`] appending to bytes.
pub(crate) fn uri_encode_bytes(out: &mut Vec<u8>, input: &str, keep_slash: bool) {
    encode_pieces(input, keep_slash, |piece| match piece {
        Piece::Copied(run) => out.extend_from_slice(run.as_bytes()),
        Piece::Escaped(byte) => out.extend_from_slice(&escape(byte)),
    });
}

/// A part of the encoded text: a run of bytes copied as they are, or one byte to escape.
enum Piece<'a> {
    Copied(&'a str),
    Escaped(u8),
}

/// `%XX` with upper-case hex.
fn escape(byte: u8) -> [u8; 3] {
    [
        b'%',
        UPPER_HEX[usize::from(byte >> 4)],
        UPPER_HEX[usize::from(byte & 0x0f)],
    ]
}

/// Hands the encoding of `input` to `push` piece by piece.
fn encode_pieces<'a>(input: &'a str, keep_slash: bool, mut push: impl FnMut(Piece<'a>)) {
    let copied = if keep_slash {
        &COPIED_IN_PATHS
    } else {
        &COPIED_IN_QUERIES
    };
    let bytes = input.as_bytes();
    let mut run_start = 0;
    while let Some(offset) = bytes[run_start..]
        .iter()
        .position(|&b| !copied[usize::from(b)])
    {
        // A non-empty run of copied bytes holds only ASCII, so both of its ends are character
        // boundaries (an empty one may sit inside an escaped character).
        let i = run_start + offset;
        if offset > 0 {
            push(Piece::Copied(&input[run_start..i]));
        }
        push(Piece::Escaped(bytes[i]));
        run_start = i + 1;
    }
    if run_start < input.len() {
        push(Piece::Copied(&input[run_start..]));
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
    fn agrees_with_the_percent_encoding_crate_on_every_pair_of_characters() {
        const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        let chars: Vec<char> = (0u32..0x100)
            .filter_map(char::from_u32)
            .chain(['中', '€', '😀', '\u{7ff}', '\u{800}'])
            .collect();
        for &a in &chars {
            for &b in &chars {
                let input = format!("{a}x{b}{b}");
                for keep_slash in [true, false] {
                    let expected: String = if keep_slash {
                        input
                            .split('/')
                            .map(|part| {
                                percent_encoding::utf8_percent_encode(part, UNRESERVED).to_string()
                            })
                            .collect::<Vec<_>>()
                            .join("/")
                    } else {
                        percent_encoding::utf8_percent_encode(&input, UNRESERVED).to_string()
                    };
                    assert_eq!(uri_encode(&input, keep_slash), expected, "{input:?}");
                    let mut bytes = Vec::new();
                    uri_encode_bytes(&mut bytes, &input, keep_slash);
                    assert_eq!(bytes, expected.as_bytes(), "{input:?}");
                }
            }
        }
    }

    #[test]
    fn decodes_plus_only_when_asked() {
        assert_eq!(percent_decode("a+b%20c", false), "a+b c");
        assert_eq!(percent_decode("a+b%2Bc", true), "a b+c");
    }
}
