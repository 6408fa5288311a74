//! Object keys from `object_store` paths and back, under the store's optional key prefix
//! (`oss://bucket/prefix`). A path's encoded form is the key: `Path::from_iter(["a", "b/c"])`
//! is the key `a/b%2Fc`, exactly as object_store's S3 backend stores it.

use crate::object_store::path::Path;

/// The key prefix every object of a store lives under: empty, or ending in `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyPrefix(String);

impl KeyPrefix {
    /// The prefix of `prefix` (slashes around it ignored; empty for none).
    pub(crate) fn new(prefix: &str) -> Self {
        let trimmed = prefix.trim_matches('/');
        if trimmed.is_empty() {
            Self(String::new())
        } else {
            Self(format!("{trimmed}/"))
        }
    }

    /// The prefix as text: empty, or ending in `/`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The object key of `location`.
    pub(crate) fn key(&self, location: &Path) -> String {
        format!("{}{}", self.0, location.as_ref())
    }

    /// The listing prefix of the objects under the directory `prefix` (ends in `/` unless it
    /// is the whole store).
    pub(crate) fn directory(&self, prefix: Option<&Path>) -> String {
        match prefix.map(|p| p.as_ref()).filter(|p| !p.is_empty()) {
            Some(p) => format!("{}{p}/", self.0),
            None => self.0.clone(),
        }
    }

    /// `raw` under the store's prefix, with no delimiter added (`PaginatedListStore`).
    pub(crate) fn raw(&self, raw: &str) -> String {
        format!("{}{raw}", self.0)
    }

    /// The path of a listed key or common prefix (a common prefix's trailing `/` removed).
    ///
    /// # Errors
    /// `InvalidPath` for a key that is no valid `object_store` path (e.g. `a//b`, written by
    /// another client); a key outside the prefix cannot be listed.
    pub(crate) fn path(&self, key: &str) -> crate::object_store::Result<Path> {
        let relative = key.strip_prefix(self.0.as_str()).unwrap_or(key);
        let relative = relative.strip_suffix('/').unwrap_or(relative);
        Ok(Path::parse(relative)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_paths_round_trip_under_a_prefix() {
        let prefix = KeyPrefix::new("/tables/events/");
        assert_eq!(prefix.as_str(), "tables/events/");
        let path = Path::from_iter(["a", "b/c", "x.parquet"]);
        assert_eq!(prefix.key(&path), "tables/events/a/b%2Fc/x.parquet");
        assert_eq!(
            prefix.path("tables/events/a/b%2Fc/x.parquet").unwrap(),
            path
        );
        assert_eq!(prefix.directory(Some(&Path::from("a"))), "tables/events/a/");
        assert_eq!(prefix.directory(None), "tables/events/");
        assert_eq!(prefix.raw("fo"), "tables/events/fo");
        assert_eq!(prefix.path("tables/events/a/").unwrap(), Path::from("a"));
    }

    #[test]
    fn no_prefix_is_the_bucket_root() {
        let prefix = KeyPrefix::new("");
        assert_eq!(prefix.key(&Path::from("x")), "x");
        assert_eq!(prefix.directory(Some(&Path::from("/"))), "");
        assert!(prefix.path("a//b").is_err());
    }
}
