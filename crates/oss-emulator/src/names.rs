//! Bucket and object-key naming rules (api.md §3.11).

use crate::error::{ErrorCode, OssError};

/// Maximum key length in bytes.
pub(crate) const MAX_KEY_BYTES: usize = 1023;

/// 3..=63 characters of `[a-z0-9-]`, beginning and ending with a letter or digit; else
/// `InvalidBucketName`.
pub(crate) fn validate_bucket(name: &str) -> Result<(), OssError> {
    let b = name.as_bytes();
    let ok = (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-';
    if ok {
        Ok(())
    } else {
        Err(OssError::new(
            ErrorCode::InvalidBucketName,
            "The specified bucket is not valid.",
        )
        .with("BucketName", name))
    }
}

/// 1..=1023 UTF-8 bytes, not starting with `/` or `\`; else `InvalidObjectName`.
pub(crate) fn validate_key(key: &str) -> Result<(), OssError> {
    if key.is_empty() {
        return Err(OssError::new(
            ErrorCode::InvalidObjectName,
            "The object name must not be empty.",
        ));
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(OssError::new(
            ErrorCode::InvalidObjectName,
            "The Length of Object name must be less than 1024",
        ));
    }
    if key.starts_with('/') || key.starts_with('\\') {
        return Err(OssError::new(
            ErrorCode::InvalidObjectName,
            "The name of an object must not start with '/' or '\\'.",
        )
        .with("Key", key));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_rules() {
        for ok in ["abc", "a-b", "0bucket9", &"a".repeat(63)] {
            assert!(validate_bucket(ok).is_ok(), "{ok}");
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
            assert_eq!(
                validate_bucket(bad).unwrap_err().code,
                ErrorCode::InvalidBucketName,
                "{bad}"
            );
        }
    }

    #[test]
    fn key_rules() {
        for ok in [
            "a",
            "123//456",
            "a/./b",
            " lead",
            "trail ",
            "中文/a b+c.txt",
            &"k".repeat(1023),
        ] {
            assert!(validate_key(ok).is_ok(), "{ok}");
        }
        for bad in ["", "/leading.txt", "\\x", &"k".repeat(1024)] {
            assert_eq!(
                validate_key(bad).unwrap_err().code,
                ErrorCode::InvalidObjectName
            );
        }
        assert_eq!(
            validate_key(&"é".repeat(512)).unwrap_err().message,
            "The Length of Object name must be less than 1024"
        );
    }
}
