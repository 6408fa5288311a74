//! The headers, user metadata and tags of an object being written, as the write builders
//! (PutObject, AppendObject, CopyObject, InitiateMultipartUpload, the Uploader) collect them,
//! and the one rule for a name given twice.
//!
//! **A name given twice is refused** with [`ErrorKind::DuplicateName`] before any I/O: a user
//! metadata name (compared case-insensitively, as OSS stores names lower-cased, so `Tag` and
//! `tag` are one name), a header name given as text (`invoke().header`, `presign().header`;
//! case-insensitive, and also against the headers the typed setters set), or a tag key (case
//! matters for tags, so `Team` and `team` are two keys). Nothing is joined or dropped in
//! silence: to send several values under one name, join them yourself. The typed setters
//! (`content_type`, `cache_control`…) set one field each; calling one again replaces its value,
//! like any builder setter.

use http::{HeaderName, HeaderValue};

use super::object_tagging::{tagging_header, validate_tags};
use crate::error::{Error, ErrorKind};
use crate::request::OperationRequest;
use crate::validate;

/// Headers, user metadata and tags of an object being written.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectHeaders {
    /// Set by typed setters: one value per name, the last one set.
    headers: Vec<(&'static str, String)>,
    /// `x-oss-meta-<name>` entries, names as given.
    metadata: Vec<(String, String)>,
    /// Tags for `x-oss-tagging`.
    tags: Vec<(String, String)>,
    /// Values copied as an OSS answer gave them (the Copier's source attributes).
    raw: Vec<(HeaderName, HeaderValue)>,
}

impl ObjectHeaders {
    /// Sets a header of a typed setter, replacing an earlier value.
    pub(crate) fn set(&mut self, name: &'static str, value: String) {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
    }

    /// Adds a user metadata entry (checked when applied).
    pub(crate) fn metadata(&mut self, name: String, value: String) {
        self.metadata.push((name, value));
    }

    /// Adds a tag (checked when applied).
    pub(crate) fn tag(&mut self, key: String, value: String) {
        self.tags.push((key, value));
    }

    /// Forgets the tags given so far.
    pub(crate) fn clear_tags(&mut self) {
        self.tags.clear();
    }

    /// Adds a header value exactly as an OSS answer gave it.
    pub(crate) fn raw(&mut self, name: HeaderName, value: HeaderValue) {
        self.raw.push((name, value));
    }

    /// Adds everything in `other`: its typed values replace these, its metadata, tags and
    /// raw values are added (names given twice are refused by [`Self::check`]).
    pub(crate) fn merge(&mut self, other: ObjectHeaders) {
        for (name, value) in other.headers {
            self.set(name, value);
        }
        self.metadata.extend(other.metadata);
        self.tags.extend(other.tags);
        self.raw.extend(other.raw);
    }

    /// Whether a typed setter set `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| *n == name)
    }

    /// Whether only stored attributes are set: no tags, and no typed header besides
    /// Content-Type, Cache-Control, Content-Disposition, Content-Encoding and Expires.
    pub(crate) fn is_attributes_only(&self) -> bool {
        const STORED: [&str; 5] = [
            "content-type",
            "cache-control",
            "content-disposition",
            "content-encoding",
            "expires",
        ];
        self.tags.is_empty() && self.headers.iter().all(|(n, _)| STORED.contains(n))
    }

    /// Checks every rule without sending: header values, metadata names and values, tag
    /// rules, and no name given twice.
    pub(crate) fn check(&self) -> Result<(), Error> {
        for (name, value) in &self.headers {
            validate::header_value(name, value)?;
        }
        for (name, value) in &self.metadata {
            validate::metadata(name, value)?;
        }
        unique(
            "user metadata name",
            self.metadata.iter().map(|(n, _)| n.as_str()),
            true,
        )?;
        if !self.tags.is_empty() {
            validate_tags(&self.tags)?;
            unique_tag_keys(&self.tags)?;
        }
        Ok(())
    }

    /// Checks everything ([`Self::check`]) and adds the headers to `op`.
    pub(crate) fn apply(&self, op: &mut OperationRequest) -> Result<(), Error> {
        self.check()?;
        for (name, value) in &self.headers {
            op.header(name, validate::header_value(name, value)?);
        }
        for (name, value) in &self.metadata {
            let (name, value) = validate::metadata(name, value)?;
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
                Error::new(ErrorKind::InvalidMetadata, "invalid metadata name").with_source(e)
            })?;
            op.headers.insert(name, value);
        }
        for (name, value) in &self.raw {
            op.headers.insert(name.clone(), value.clone());
        }
        if !self.tags.is_empty() {
            op.dynamic_header("x-oss-tagging", &tagging_header(&self.tags))?;
        }
        Ok(())
    }
}

/// Refuses a name given twice among `names` ([`ErrorKind::DuplicateName`]), compared
/// case-insensitively when `ignore_case`. `what` names the kind of name in the message.
pub(crate) fn unique<'a>(
    what: &str,
    names: impl IntoIterator<Item = &'a str>,
    ignore_case: bool,
) -> Result<(), Error> {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        let earlier = seen.iter().find(|s| {
            if ignore_case {
                s.eq_ignore_ascii_case(name)
            } else {
                **s == name
            }
        });
        if let Some(earlier) = earlier {
            let case = if ignore_case && *earlier != name {
                format!(" ({earlier:?} and {name:?} are one name: names are case-insensitive)")
            } else {
                String::new()
            };
            return Err(Error::new(
                ErrorKind::DuplicateName,
                format!(
                    "{what} {name:?} is given twice{case}; give it once (join several values \
                     yourself if you mean to send them all)"
                ),
            ));
        }
        seen.push(name);
    }
    Ok(())
}

/// Refuses a tag key given twice (tag keys are case-sensitive).
pub(crate) fn unique_tag_keys(tags: &[(String, String)]) -> Result<(), Error> {
    unique("tag key", tags.iter().map(|(k, _)| k.as_str()), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_given_twice_are_refused() {
        assert!(unique("x", ["a", "b", "A-"], true).is_ok());
        let e = unique("user metadata name", ["Tag", "other", "tag"], true).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DuplicateName);
        assert!(e.is_input_error());
        assert!(
            e.to_string().contains("\"Tag\" and \"tag\" are one name"),
            "{e}"
        );
        assert!(unique("tag key", ["Team", "team"], false).is_ok());
        assert_eq!(
            unique("tag key", ["team", "team"], false)
                .unwrap_err()
                .kind(),
            ErrorKind::DuplicateName
        );
    }

    #[test]
    fn typed_setters_replace_and_entries_are_checked() {
        let mut headers = ObjectHeaders::default();
        headers.set("content-type", "a/b".into());
        headers.set("content-type", "c/d".into());
        headers.metadata("Owner".into(), "bob".into());
        assert!(headers.check().is_ok());
        headers.metadata("owner".into(), "alice".into());
        assert_eq!(
            headers.check().unwrap_err().kind(),
            ErrorKind::DuplicateName
        );
        let mut tags = ObjectHeaders::default();
        tags.tag("k".into(), "1".into());
        tags.tag("k".into(), "2".into());
        assert_eq!(tags.check().unwrap_err().kind(), ErrorKind::DuplicateName);
    }
}
