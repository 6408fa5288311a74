//! Lifecycle expiration as the bucket's `LifecycleConfiguration` (PutBucketLifecycle,
//! `bucket_config/lifecycle.rs`) decides it, applied lazily: before every request on the
//! bucket, on the emulator's clock (injectable: `EmulatorBuilder::clock`), so a read or a
//! listing never sees what has expired.
//!
//! Each `Enabled` rule covers the keys that start with its `Prefix` (also read from
//! `Filter/Prefix`) and carry every one of its `Tag`s, within its `Filter`: sizes above
//! `ObjectSizeGreaterThan` and below `ObjectSizeLessThan` (bytes), none of its `Not`s (a
//! key prefix, with a tag when given):
//!
//! * `Expiration/Days`: the current version expires once `Days` × 86 400 s have passed since
//!   its last modification; `Expiration/CreatedBeforeDate`: when last modified before that
//!   instant; `Expiration/Date`: once that instant has passed. Expiring is a DeleteObject:
//!   in a versioned bucket it adds a delete marker. An object WORM protects (bucket
//!   retention, object retention, legal hold) does not expire.
//! * `AbortMultipartUpload/Days` and `/CreatedBeforeDate`: incomplete uploads initiated that
//!   long ago, or before that instant, are aborted.
//!
//! Transitions, noncurrent-version actions and `ExpiredObjectDeleteMarker` are stored, not
//! applied.

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::worm::is_protected;
use super::xml_body::{self, Element};
use crate::config_family::ConfigFamily;
use crate::error::OssError;
use crate::state::State;
use crate::store::{Bucket, Object};

const DAY: Duration = Duration::from_secs(86_400);

/// When one action applies.
#[derive(Debug, Clone, Copy)]
enum When {
    /// This long after the last modification (or initiation).
    After(Duration),
    /// To what was last modified (or initiated) before this instant.
    CreatedBefore(SystemTime),
    /// To everything, from this instant on.
    From(SystemTime),
}

impl When {
    fn read(action: &Element) -> Option<Self> {
        let instant = |name| {
            action
                .child_text(name)
                .and_then(|d| OffsetDateTime::parse(d.trim(), &Rfc3339).ok())
                .map(SystemTime::from)
        };
        if let Some(days) = action.child_text("Days") {
            return days
                .trim()
                .parse::<u32>()
                .ok()
                .map(|d| Self::After(DAY * d));
        }
        if let Some(date) = instant("CreatedBeforeDate") {
            return Some(Self::CreatedBefore(date));
        }
        instant("Date").map(Self::From)
    }

    fn due(self, created: SystemTime, now: SystemTime) -> bool {
        match self {
            Self::After(age) => created + age <= now,
            Self::CreatedBefore(date) => created < date,
            Self::From(date) => date <= now,
        }
    }
}

/// One enabled rule, as far as expiration goes.
#[derive(Debug)]
struct Rule {
    prefix: String,
    tags: Vec<(String, String)>,
    /// Sizes strictly between these bounds, in bytes.
    larger_than: Option<u64>,
    smaller_than: Option<u64>,
    /// Excluded: keys with this prefix (and this tag, when given).
    not: Vec<(String, Option<(String, String)>)>,
    expiration: Option<When>,
    abort_uploads: Option<When>,
}

fn tag(el: &Element) -> (String, String) {
    let text = |n| el.child_text(n).unwrap_or("").to_owned();
    (text("Key"), text("Value"))
}

fn size(filter: Option<&Element>, name: &str) -> Option<u64> {
    filter?.child_text(name)?.trim().parse().ok()
}

fn rules(doc: &Element) -> Vec<Rule> {
    doc.children("Rule")
        .filter(|r| r.child_text("Status").map(str::trim) == Some("Enabled"))
        .map(|r| {
            let filter = r.child("Filter");
            Rule {
                prefix: r
                    .child_text("Prefix")
                    .or_else(|| filter.and_then(|f| f.child_text("Prefix")))
                    .unwrap_or("")
                    .to_owned(),
                tags: r.children("Tag").map(tag).collect(),
                larger_than: size(filter, "ObjectSizeGreaterThan"),
                smaller_than: size(filter, "ObjectSizeLessThan"),
                not: filter
                    .map(|f| {
                        f.children("Not")
                            .map(|n| {
                                let prefix = n.child_text("Prefix").unwrap_or("").to_owned();
                                (prefix, n.child("Tag").map(tag))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                expiration: r.child("Expiration").and_then(When::read),
                abort_uploads: r.child("AbortMultipartUpload").and_then(When::read),
            }
        })
        .collect()
}

/// Expires what the bucket's lifecycle rules say is due at `now`.
///
/// # Errors
/// A durable store's write error while deleting.
pub(crate) fn apply(state: &State, bucket_name: &str, now: SystemTime) -> Result<(), OssError> {
    let Ok(bucket) = state.store.bucket(bucket_name) else {
        return Ok(());
    };
    let Some(document) = bucket.document(ConfigFamily::Lifecycle.name()) else {
        return Ok(());
    };
    let Ok(doc) = xml_body::parse(document.as_bytes(), "LifecycleConfiguration") else {
        return Ok(());
    };
    for rule in rules(&doc) {
        if let Some(when) = rule.expiration {
            for key in expired_objects(&bucket, &rule, when, now) {
                bucket.delete(&key, None, now)?;
            }
        }
        if let Some(when) = rule.abort_uploads {
            let due: Vec<(String, String)> = bucket
                .uploads()
                .iter()
                .filter(|((key, _), u)| key.starts_with(&rule.prefix) && when.due(u.initiated, now))
                .map(|(id, _)| id.clone())
                .collect();
            for (key, upload_id) in due {
                bucket.remove_upload(&key, &upload_id)?;
            }
        }
    }
    Ok(())
}

impl Rule {
    /// Whether the rule covers `object` (its current version) at `key`.
    fn covers(&self, key: &str, object: &Object) -> bool {
        let attrs = object.attrs();
        let size = object.data.len();
        let excluded = self.not.iter().any(|(prefix, tag)| {
            key.starts_with(prefix.as_str()) && tag.as_ref().is_none_or(|t| attrs.tags.contains(t))
        });
        self.tags.iter().all(|t| attrs.tags.contains(t))
            && self.larger_than.is_none_or(|min| size > min)
            && self.smaller_than.is_none_or(|max| size < max)
            && !excluded
    }
}

/// The keys whose current version (not a delete marker) `rule` expires at `now`.
fn expired_objects(bucket: &Bucket, rule: &Rule, when: When, now: SystemTime) -> Vec<String> {
    bucket
        .objects()
        .range(rule.prefix.clone()..)
        .take_while(|(key, _)| key.starts_with(&rule.prefix))
        .filter_map(|(key, versions)| {
            let current = versions.last()?;
            (!current.delete_marker
                && rule.covers(key, current)
                && when.due(current.last_modified, now)
                && !is_protected(bucket, current, now))
            .then(|| key.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SystemTime {
        OffsetDateTime::parse(text, &Rfc3339).unwrap().into()
    }

    #[test]
    fn days_dates_and_created_before_dates_fall_due() {
        let doc = xml_body::parse(
            b"<LifecycleConfiguration>\
              <Rule><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration>\
              <AbortMultipartUpload><CreatedBeforeDate>2026-01-01T00:00:00.000Z</CreatedBeforeDate></AbortMultipartUpload></Rule>\
              <Rule><Filter><Prefix>tmp/</Prefix><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><Not><Prefix>tmp/keep/</Prefix></Not></Filter><Status>Enabled</Status><Tag><Key>k</Key><Value>v</Value></Tag>\
              <Expiration><Date>2026-03-01T00:00:00.000Z</Date></Expiration></Rule>\
              <Rule><Prefix>off/</Prefix><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
              </LifecycleConfiguration>",
            "LifecycleConfiguration",
        )
        .unwrap();
        let rules = rules(&doc);
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].prefix, "logs/");
        assert_eq!(rules[1].prefix, "tmp/");
        assert_eq!(rules[1].tags, vec![("k".to_owned(), "v".to_owned())]);
        assert_eq!(rules[1].larger_than, Some(10));
        assert_eq!(rules[1].not, vec![("tmp/keep/".to_owned(), None)]);
        let modified = at("2026-01-10T00:00:00Z");
        let days = rules[0].expiration.unwrap();
        assert!(!days.due(modified, at("2026-01-11T23:59:59Z")));
        assert!(days.due(modified, at("2026-01-12T00:00:00Z")));
        let before = rules[0].abort_uploads.unwrap();
        assert!(before.due(at("2025-12-31T00:00:00Z"), at("2026-01-01T00:00:00Z")));
        assert!(!before.due(at("2026-01-02T00:00:00Z"), at("2027-01-01T00:00:00Z")));
        let date = rules[1].expiration.unwrap();
        assert!(!date.due(modified, at("2026-02-28T00:00:00Z")));
        assert!(date.due(modified, at("2026-03-01T00:00:00Z")));
    }
}
