//! Command-line paths: a local path, or `oss://bucket/key` (the key may be empty or a prefix).

use std::fmt;
use std::path::PathBuf;

use crate::error::CliError;

/// The scheme of remote paths.
const SCHEME: &str = "oss://";

/// Where a command reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// A file or directory on this machine.
    Local(PathBuf),
    /// An object, or a key prefix, in a bucket.
    Remote(Remote),
}

/// `oss://bucket/key`: the key is everything after the first `/` after the bucket, unchanged
/// (spaces, Unicode and further slashes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remote {
    pub(crate) bucket: String,
    pub(crate) key: String,
}

impl Location {
    /// Parses a command-line argument: `oss://` starts a remote path, anything else is local.
    pub(crate) fn parse(arg: &str) -> Result<Self, CliError> {
        match arg.strip_prefix(SCHEME) {
            Some(rest) => Remote::parse_rest(rest).map(Location::Remote),
            None if arg.is_empty() => Err(CliError::usage("an empty path")),
            None => Ok(Location::Local(PathBuf::from(arg))),
        }
    }
}

impl Remote {
    /// Parses an argument that must be remote.
    pub(crate) fn parse(arg: &str) -> Result<Self, CliError> {
        match Location::parse(arg)? {
            Location::Remote(remote) => Ok(remote),
            Location::Local(_) => Err(CliError::usage(format!(
                "{arg}: expected oss://bucket[/key]"
            ))),
        }
    }

    fn parse_rest(rest: &str) -> Result<Self, CliError> {
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(CliError::usage(format!(
                "{SCHEME}{rest}: the bucket name is missing"
            )));
        }
        oss_client::validate_bucket_name(bucket)
            .map_err(|e| CliError::usage(format!("{SCHEME}{rest}: {e}")))?;
        Ok(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }

    /// The key as a prefix of a tree: empty, or ending with `/`.
    pub(crate) fn dir_prefix(&self) -> String {
        dir_prefix(&self.key)
    }

    /// The object `relative` below this location taken as a directory.
    pub(crate) fn child(&self, relative: &str) -> Remote {
        Remote {
            bucket: self.bucket.clone(),
            key: format!("{}{relative}", self.dir_prefix()),
        }
    }
}

/// `key` as a directory prefix: unchanged when empty or ending with `/`, else with `/` added.
pub(crate) fn dir_prefix(key: &str) -> String {
    if key.is_empty() || key.ends_with('/') {
        key.to_owned()
    } else {
        format!("{key}/")
    }
}

impl fmt::Display for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SCHEME}{}/{}", self.bucket, self.key)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Local(path) => write!(f, "{}", path.display()),
            Location::Remote(remote) => remote.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_local_and_remote_paths() {
        assert_eq!(
            Location::parse("oss://bkt/a dir/é.txt").unwrap(),
            Location::Remote(Remote {
                bucket: "bkt".into(),
                key: "a dir/é.txt".into()
            })
        );
        assert_eq!(
            Location::parse("oss://bkt").unwrap(),
            Location::Remote(Remote {
                bucket: "bkt".into(),
                key: String::new()
            })
        );
        assert_eq!(
            Location::parse("./x").unwrap(),
            Location::Local(PathBuf::from("./x"))
        );
        assert!(Location::parse("oss:///key").is_err());
        // A bucket name OSS refuses is a usage error before any request.
        let refused = Location::parse("oss://b/key").unwrap_err();
        assert_eq!(refused.exit_code(), crate::error::EXIT_USAGE);
        assert!(Remote::parse("local").is_err());
    }

    #[test]
    fn children_join_under_a_directory_prefix() {
        let remote = Remote::parse("oss://bkt/photos").unwrap();
        assert_eq!(remote.child("a/b.jpg").key, "photos/a/b.jpg");
        let root = Remote::parse("oss://bkt/").unwrap();
        assert_eq!(root.child("x").key, "x");
        assert_eq!(root.to_string(), "oss://bkt/");
    }
}
