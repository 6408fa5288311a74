//! Query parameters as decoded (name, value) pairs.

use std::fmt;

use super::encode::{percent_decode, uri_encode_into};

/// Query parameter names whose values are credentials or signatures: redacted from `Debug`.
const SENSITIVE: &[&str] = &[
    "x-oss-signature",
    "x-oss-security-token",
    "security-token",
    "Signature",
];

/// Decoded query parameters in order. A flag parameter (`?acl`, `?uploads`) has the value
/// `None`; for signing, `None` and `Some("")` are the same.
///
/// The wire form ([`QueryParams::to_query_string`]) and the canonical form used for signing are
/// both built from these decoded values with one encoder, so they cannot disagree.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct QueryParams(Vec<(String, Option<String>)>);

impl QueryParams {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `name=value`.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.0.push((name.into(), Some(value.into())));
        self
    }

    /// Appends a flag parameter with no value (`?uploads`).
    pub fn push_flag(&mut self, name: impl Into<String>) -> &mut Self {
        self.0.push((name.into(), None));
        self
    }

    /// Appends a parameter whose value may be absent.
    pub fn push_opt(&mut self, name: impl Into<String>, value: Option<String>) -> &mut Self {
        self.0.push((name.into(), value));
        self
    }

    /// Replaces every parameter called `name` with one `name=value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.remove(name);
        self.push(name, value)
    }

    /// Removes every parameter called `name`; returns whether any was present.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|(n, _)| n != name);
        self.0.len() != before
    }

    /// The first parameter called `name`: `Some(None)` for a flag, `None` when absent.
    pub fn get(&self, name: &str) -> Option<Option<&str>> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref())
    }

    /// Whether a parameter called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// The parameters in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_deref()))
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The wire form without the leading `?`: names and values percent-encoded with the same
    /// strict encoder as the signature (space `%20`, `+` `%2B`, `/` `%2F`), flags as bare names.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            uri_encode_into(&mut out, name, false);
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                out.push('=');
                uri_encode_into(&mut out, value, false);
            }
        }
        out
    }

    /// Parses a raw query string as a server does: split on `&`, then on the first `=`, then
    /// percent-decode with `+` read as a space. `a` gives a flag, `a=` an empty value.
    pub fn parse(raw: &str) -> Self {
        let pairs = raw
            .split('&')
            .filter(|part| !part.is_empty())
            .map(|part| match part.split_once('=') {
                Some((n, v)) => (percent_decode(n, true), Some(percent_decode(v, true))),
                None => (percent_decode(part, true), None),
            })
            .collect();
        Self(pairs)
    }
}

impl fmt::Debug for QueryParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(n, v)| {
                let shown = if SENSITIVE.contains(&n.as_str()) {
                    Some("** redacted **")
                } else {
                    v.as_deref()
                };
                (n, shown)
            }))
            .finish()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, Option<V>)> for QueryParams {
    fn from_iter<T: IntoIterator<Item = (N, Option<V>)>>(iter: T) -> Self {
        Self(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.map(Into::into)))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_wire_form() {
        let mut q = QueryParams::new();
        q.push("prefix", "a b+c/").push_flag("acl").push("x", "");
        let wire = q.to_query_string();
        assert_eq!(wire, "prefix=a%20b%2Bc%2F&acl&x");
        let back = QueryParams::parse(&wire);
        assert_eq!(back.get("prefix"), Some(Some("a b+c/")));
        assert_eq!(back.get("acl"), Some(None));
    }

    #[test]
    fn debug_redacts_signatures() {
        let mut q = QueryParams::new();
        q.push("x-oss-signature", "abcdef")
            .push("security-token", "tok");
        let shown = format!("{q:?}");
        assert!(!shown.contains("abcdef") && !shown.contains("tok\""));
    }
}
