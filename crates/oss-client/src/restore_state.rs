//! The restore state of an archived object, from the `x-oss-restore` header of HeadObject and
//! GetObject (OSS API reference "HeadObject", "RestoreObject").

use std::time::SystemTime;

/// Where the restore of an Archive, Cold Archive or Deep Cold Archive object stands. OSS sends
/// no `x-oss-restore` for an object never restored (or whose restored copy expired or was
/// cleaned): the output field is then `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RestoreState {
    /// `ongoing-request="true"`: RestoreObject was accepted and the copy is not readable yet.
    InProgress,
    /// `ongoing-request="false", expiry-date="…"`: readable until `expiry` (UTC).
    Restored {
        /// When the restored copy expires and the object is frozen again.
        expiry: SystemTime,
    },
    /// A value of another form, kept as sent.
    Other(String),
}

impl RestoreState {
    /// Reads an `x-oss-restore` value.
    pub(crate) fn parse(value: &str) -> Self {
        let expiry = quoted(value, "expiry-date").and_then(|t| httpdate::parse_http_date(t).ok());
        match (quoted(value, "ongoing-request"), expiry) {
            (Some("true"), _) => Self::InProgress,
            (Some("false"), Some(expiry)) => Self::Restored { expiry },
            _ => Self::Other(value.to_owned()),
        }
    }

    /// Whether the object can be read now (its restore finished and, by `now`, has not
    /// expired).
    pub fn is_readable_at(&self, now: SystemTime) -> bool {
        matches!(self, Self::Restored { expiry } if *expiry > now)
    }
}

/// The quoted value of `name="…"` in `value` (the date itself holds a comma, so the value is
/// not split on commas).
fn quoted<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    let start = value.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = &value[start..];
    rest.find('"').map(|end| &rest[..end])
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn reads_the_forms_oss_sends() {
        assert_eq!(
            RestoreState::parse("ongoing-request=\"true\""),
            RestoreState::InProgress
        );
        let expiry = UNIX_EPOCH + Duration::from_secs(1_492_330_353);
        let done = RestoreState::parse(
            "ongoing-request=\"false\", expiry-date=\"Sun, 16 Apr 2017 08:12:33 GMT\"",
        );
        assert_eq!(done, RestoreState::Restored { expiry });
        assert!(done.is_readable_at(expiry - Duration::from_secs(1)));
        assert!(!done.is_readable_at(expiry));
        assert_eq!(
            RestoreState::parse("ongoing-request=\"false\""),
            RestoreState::Other("ongoing-request=\"false\"".to_owned())
        );
        assert_eq!(
            RestoreState::parse("garbage"),
            RestoreState::Other("garbage".to_owned())
        );
    }
}
