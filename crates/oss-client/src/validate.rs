//! Input rules checked before any I/O (OSS "Bucket naming conventions" and "Object naming
//! conventions").

use http::HeaderValue;

use crate::error::{Error, ErrorKind};

/// Checks a bucket name as every operation does before any I/O (OSS "Bucket naming
/// conventions"): 3-63 characters of `a-z 0-9 -`, first and last a letter or digit.
///
/// # Errors
/// [`ErrorKind::InvalidBucketName`] naming the rule.
pub fn bucket_name(name: &str) -> Result<(), Error> {
    let bytes = name.as_bytes();
    let charset_ok = bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    let ends_ok =
        bytes.first().is_some_and(|b| *b != b'-') && bytes.last().is_some_and(|b| *b != b'-');
    if (3..=63).contains(&bytes.len()) && charset_ok && ends_ok {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidBucketName,
        format!(
            "invalid bucket name {name:?}: use 3 to 63 characters of lower-case letters, digits \
             and '-', starting and ending with a letter or digit"
        ),
    ))
}

/// Object keys: 1-1023 UTF-8 bytes, not starting with `/` or `\`.
pub(crate) fn object_key(key: &str) -> Result<(), Error> {
    let reason = if key.is_empty() {
        "it is empty"
    } else if key.len() > 1023 {
        "it is longer than 1023 bytes"
    } else if key.starts_with('/') || key.starts_with('\\') {
        "it starts with '/' or '\\'"
    } else {
        return Ok(());
    };
    let shown: String = key.chars().take(64).collect();
    Err(Error::new(
        ErrorKind::InvalidObjectKey,
        format!("invalid object key {shown:?}: {reason}"),
    ))
}

/// A header value: no control characters (CR, LF, NUL…), ASCII only.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') || !value.is_ascii() {
        return Err(Error::new(
            ErrorKind::InvalidHeaderValue,
            format!("the value of header {name} holds a control or non-ASCII character"),
        ));
    }
    HeaderValue::from_str(value).map_err(|e| {
        Error::new(
            ErrorKind::InvalidHeaderValue,
            format!("invalid value for header {name}"),
        )
        .with_source(e)
    })
}

/// A user metadata entry (`x-oss-meta-<name>: <value>`): the name is a lower-cased HTTP token,
/// the value printable ASCII. Non-ASCII text must be encoded by the caller (for example
/// percent-encoded), so the bytes signed are the bytes sent.
pub(crate) fn metadata(name: &str, value: &str) -> Result<(String, HeaderValue), Error> {
    let lower = name.to_ascii_lowercase();
    let name_ok = !lower.is_empty()
        && lower
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b));
    if !name_ok {
        return Err(Error::new(
            ErrorKind::InvalidMetadata,
            format!("invalid user metadata name {name:?}: use ASCII letters, digits and '-'"),
        ));
    }
    if value
        .bytes()
        .any(|b| !(0x20..0x7f).contains(&b) && b != b'\t')
    {
        return Err(Error::new(
            ErrorKind::InvalidMetadata,
            format!(
                "the value of user metadata {lower:?} holds non-ASCII or control characters; \
                 encode it first (for example percent-encode it)"
            ),
        ));
    }
    let value = HeaderValue::from_str(value).map_err(|e| {
        Error::new(ErrorKind::InvalidMetadata, "invalid metadata value").with_source(e)
    })?;
    Ok((format!("x-oss-meta-{lower}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_rules() {
        for ok in ["abc", "a-b-c", "0bucket9", &"a".repeat(63)] {
            assert!(bucket_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "-abc",
            "abc-",
            "ABC",
            "a_b",
            "a.b",
            &"a".repeat(64),
            "",
        ] {
            let e = bucket_name(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidBucketName, "{bad}");
        }
    }

    #[test]
    fn key_rules() {
        assert!(object_key("a").is_ok());
        assert!(object_key(&"k".repeat(1023)).is_ok());
        assert!(object_key("中".repeat(341).as_str()).is_ok()); // 1023 bytes
        for bad in [
            "",
            "/leading.txt",
            "\\x",
            &"k".repeat(1024),
            &"中".repeat(342),
        ] {
            assert_eq!(
                object_key(bad).unwrap_err().kind(),
                ErrorKind::InvalidObjectKey
            );
        }
    }

    #[test]
    fn header_and_metadata_rules() {
        assert!(header_value("content-type", "text/plain").is_ok());
        assert_eq!(
            header_value("content-type", "a\r\nx-injected: 1")
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidHeaderValue
        );
        let (name, value) = metadata("Owner", "bob").unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("x-oss-meta-owner", "bob")
        );
        let e = metadata("filename", "打包测试.csv").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidMetadata);
        assert!(e.to_string().contains("filename"));
        assert_eq!(
            metadata("a b", "v").unwrap_err().kind(),
            ErrorKind::InvalidMetadata
        );
        assert_eq!(
            metadata("k", "v\n").unwrap_err().kind(),
            ErrorKind::InvalidMetadata
        );
    }
}
