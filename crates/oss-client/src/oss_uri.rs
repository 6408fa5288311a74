//! `oss://bucket/key` addresses, as ossutil and the official SDKs' samples write them.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::validate;

/// An object (or bucket) address `oss://bucket/key`, parsed into its bucket and object key.
///
/// The key is taken verbatim (no percent-decoding), as ossutil does; `oss://bucket` and
/// `oss://bucket/` name the bucket alone. `Display` writes the address back.
///
/// ```
/// use oss_client::types::OssUri;
///
/// let uri: OssUri = "oss://examplebucket/reports/2026/a b.pdf".parse()?;
/// assert_eq!(uri.bucket(), "examplebucket");
/// assert_eq!(uri.key(), Some("reports/2026/a b.pdf"));
/// assert_eq!(uri.to_string(), "oss://examplebucket/reports/2026/a b.pdf");
/// # Ok::<(), oss_client::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OssUri {
    bucket: String,
    key: Option<String>,
}

impl OssUri {
    /// The bucket name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The object key, `None` for a bucket address.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The bucket name and the object key.
    pub fn into_parts(self) -> (String, Option<String>) {
        (self.bucket, self.key)
    }
}

impl FromStr for OssUri {
    type Err = Error;

    /// # Errors
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) without the `oss://`
    /// scheme; [`ErrorKind::InvalidBucketName`](crate::ErrorKind::InvalidBucketName) and
    /// [`ErrorKind::InvalidObjectKey`](crate::ErrorKind::InvalidObjectKey) for names OSS
    /// refuses (a key starting with `/`, as in `oss://bucket//key`, among them).
    fn from_str(uri: &str) -> Result<Self, Error> {
        let rest = uri.strip_prefix("oss://").ok_or_else(|| {
            Error::invalid_argument(format!("{uri:?} is not an oss://bucket/key address"))
        })?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        validate::bucket_name(bucket)?;
        let key = if key.is_empty() {
            None
        } else {
            validate::object_key(key)?;
            Some(key.to_owned())
        };
        Ok(Self {
            bucket: bucket.to_owned(),
            key,
        })
    }
}

impl fmt::Display for OssUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "oss://{}/{}",
            self.bucket,
            self.key.as_deref().unwrap_or("")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn parses_bucket_and_key() {
        let uri: OssUri = "oss://examplebucket/dir/".parse().unwrap();
        assert_eq!((uri.bucket(), uri.key()), ("examplebucket", Some("dir/")));
        for bucket_only in ["oss://examplebucket", "oss://examplebucket/"] {
            let uri: OssUri = bucket_only.parse().unwrap();
            assert_eq!((uri.bucket(), uri.key()), ("examplebucket", None));
            assert_eq!(uri.to_string(), "oss://examplebucket/");
        }
        let uri: OssUri = "oss://b12/a%20b+c".parse().unwrap();
        assert_eq!(
            uri.into_parts(),
            ("b12".to_owned(), Some("a%20b+c".to_owned()))
        );
    }

    #[test]
    fn refuses_what_oss_refuses() {
        let kind = |s: &str| s.parse::<OssUri>().unwrap_err().kind();
        assert_eq!(kind("s3://bucket/key"), ErrorKind::InvalidArgument);
        assert_eq!(kind("examplebucket/key"), ErrorKind::InvalidArgument);
        assert_eq!(kind("oss://"), ErrorKind::InvalidBucketName);
        assert_eq!(kind("oss://Upper/key"), ErrorKind::InvalidBucketName);
        assert_eq!(kind("oss://bucket//key"), ErrorKind::InvalidObjectKey);
    }
}
