//! DoMetaQuery's query language, the documented subset the emulator answers: a JSON
//! condition `{"Field": F, "Operation": OP, "Value": V}` with `F` one of `Filename`
//! (text), `Size` (bytes, a decimal integer) and `FileModifiedTime` (RFC 3339) and `OP`
//! one of `eq`, `gt`, `gte`, `lt`, `lte` (and `prefix` on `Filename`), or
//! `{"Operation": "and"|"or"|"not", "SubQueries": [...]}` (`not`: none of them matches).
//! Sorting by the same three fields, `asc` or `desc` (default `desc`). OSS's other fields,
//! `match` and aggregations answer 501 `NotImplemented`; a condition that is not one of
//! these shapes answers 400 `InvalidArgument`.

use std::cmp::Ordering;
use std::time::SystemTime;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::{ErrorCode, OssError};
use crate::store::Object;

/// A field the emulator can search and sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The object key.
    Filename,
    /// The size in bytes.
    Size,
    /// The last-modified time.
    FileModifiedTime,
}

/// OSS's other searchable fields: known, but not searched by the emulator (501).
const OTHER_FIELDS: &[&str] = &[
    "ContentType",
    "ETag",
    "OSSObjectType",
    "OSSStorageClass",
    "ObjectACL",
    "OSSCRC64",
    "OSSTagging",
    "OSSTaggingCount",
    "OSSUserMeta",
    "ServerSideEncryption",
    "MediaType",
    "ContentEncoding",
    "ContentLanguage",
    "CacheControl",
    "ContentDisposition",
    "OSSExpiration",
];

impl Field {
    /// The field `name` names: 501 for a field OSS has that the emulator does not search,
    /// 400 `InvalidArgument` for any other.
    pub(crate) fn parse(name: &str, argument: &str) -> Result<Self, OssError> {
        match name {
            "Filename" => Ok(Self::Filename),
            "Size" => Ok(Self::Size),
            "FileModifiedTime" => Ok(Self::FileModifiedTime),
            other if OTHER_FIELDS.contains(&other) => Err(not_implemented(format!(
                "The emulator searches and sorts by Filename, Size and FileModifiedTime \
                 only, not {other}."
            ))),
            other => Err(invalid(argument, other)),
        }
    }

    /// How two objects compare on this field.
    pub(crate) fn compare(self, a: &Object, b: &Object) -> Ordering {
        match self {
            Self::Filename => a.key.cmp(&b.key),
            Self::Size => a.data.len().cmp(&b.data.len()),
            Self::FileModifiedTime => a.last_modified.cmp(&b.last_modified),
        }
    }
}

/// A comparison operator (`eq`, `gt`, `gte`, `lt`, `lte`, `prefix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compare {
    /// `eq`.
    Eq,
    /// `gt`.
    Gt,
    /// `gte`.
    Gte,
    /// `lt`.
    Lt,
    /// `lte`.
    Lte,
    /// `prefix` (Filename only).
    Prefix,
}

/// A value a field is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Operand {
    /// A Filename value.
    Text(String),
    /// A Size value, bytes.
    Bytes(u64),
    /// A FileModifiedTime value.
    Time(SystemTime),
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Condition {
    /// A field compared with a value.
    Compare(Field, Compare, Operand),
    /// Every sub-condition holds.
    And(Vec<Condition>),
    /// At least one holds.
    Or(Vec<Condition>),
    /// None holds.
    Not(Vec<Condition>),
}

fn invalid(name: &str, value: &str) -> OssError {
    OssError::invalid_argument("The meta query is not valid.", name, value)
}

fn not_implemented(message: String) -> OssError {
    OssError::new(ErrorCode::NotImplemented, message)
}

/// RFC 3339 text as a time, else 400.
fn parse_time(text: &str) -> Result<SystemTime, OssError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map(SystemTime::from)
        .map_err(|_| invalid("Value", text))
}

/// `t` as RFC 3339 in UTC (`2025-01-02T03:04:05Z`, fractions when there are any).
pub(crate) fn rfc3339(t: SystemTime) -> String {
    OffsetDateTime::from(t)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

impl Condition {
    /// Parses the `Query` element's JSON text.
    pub(crate) fn parse(text: &str) -> Result<Self, OssError> {
        let json: Value = serde_json::from_str(text).map_err(|_| invalid("Query", text))?;
        Self::from_json(&json, 0)
    }

    fn from_json(json: &Value, depth: usize) -> Result<Self, OssError> {
        if depth > 8 {
            return Err(invalid("Query", "nested too deep"));
        }
        let text = |name: &str| json.get(name).and_then(Value::as_str);
        let operation = text("Operation").ok_or_else(|| invalid("Operation", ""))?;
        let subs = || -> Result<Vec<Self>, OssError> {
            let list = json
                .get("SubQueries")
                .and_then(Value::as_array)
                .filter(|l| !l.is_empty())
                .ok_or_else(|| invalid("SubQueries", operation))?;
            list.iter().map(|q| Self::from_json(q, depth + 1)).collect()
        };
        let compare = match operation {
            "and" => return Ok(Self::And(subs()?)),
            "or" => return Ok(Self::Or(subs()?)),
            "not" => return Ok(Self::Not(subs()?)),
            "match" => {
                return Err(not_implemented(
                    "The emulator does not implement the match (fuzzy) operation.".to_owned(),
                ));
            }
            "eq" => Compare::Eq,
            "gt" => Compare::Gt,
            "gte" => Compare::Gte,
            "lt" => Compare::Lt,
            "lte" => Compare::Lte,
            "prefix" => Compare::Prefix,
            other => return Err(invalid("Operation", other)),
        };
        let field = Field::parse(text("Field").unwrap_or(""), "Field")?;
        let value = match json.get("Value") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(invalid("Value", "")),
        };
        let operand = match field {
            Field::Filename => Operand::Text(value),
            _ if compare == Compare::Prefix => return Err(invalid("Operation", "prefix")),
            Field::Size => Operand::Bytes(value.parse().map_err(|_| invalid("Value", &value))?),
            Field::FileModifiedTime => Operand::Time(parse_time(&value)?),
        };
        Ok(Self::Compare(field, compare, operand))
    }

    /// Whether `object` satisfies the condition.
    pub(crate) fn matches(&self, object: &Object) -> bool {
        match self {
            Self::And(subs) => subs.iter().all(|c| c.matches(object)),
            Self::Or(subs) => subs.iter().any(|c| c.matches(object)),
            Self::Not(subs) => !subs.iter().any(|c| c.matches(object)),
            Self::Compare(_, Compare::Prefix, Operand::Text(prefix)) => {
                object.key.starts_with(prefix.as_str())
            }
            Self::Compare(field, compare, operand) => {
                let ordering = match (field, operand) {
                    (Field::Filename, Operand::Text(t)) => object.key.as_str().cmp(t.as_str()),
                    (Field::Size, Operand::Bytes(n)) => object.data.len().cmp(n),
                    (Field::FileModifiedTime, Operand::Time(t)) => object.last_modified.cmp(t),
                    _ => return false,
                };
                match compare {
                    Compare::Eq => ordering == Ordering::Equal,
                    Compare::Gt => ordering == Ordering::Greater,
                    Compare::Gte => ordering != Ordering::Less,
                    Compare::Lt => ordering == Ordering::Less,
                    Compare::Lte => ordering != Ordering::Greater,
                    Compare::Prefix => false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn object(key: &str, modified_secs: u64) -> Object {
        Object {
            key: key.to_owned(),
            last_modified: UNIX_EPOCH + Duration::from_secs(modified_secs),
            ..Object::default()
        }
    }

    #[test]
    fn compares_prefixes_and_combines() {
        let q = Condition::parse(
            r#"{"Operation":"and","SubQueries":[
                {"Field":"Filename","Value":"logs/","Operation":"prefix"},
                {"Operation":"not","SubQueries":[{"Field":"Filename","Value":"logs/b","Operation":"eq"}]},
                {"Field":"FileModifiedTime","Value":"1970-01-01T00:01:00Z","Operation":"gte"}]}"#,
        )
        .unwrap();
        assert!(q.matches(&object("logs/a", 60)));
        assert!(!q.matches(&object("logs/b", 60)));
        assert!(!q.matches(&object("logs/a", 59)));
        assert!(!q.matches(&object("data/a", 60)));
        let size = Condition::parse(r#"{"Field":"Size","Value":0,"Operation":"lte"}"#).unwrap();
        assert!(size.matches(&object("x", 0)));
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        let code = |q: &str| Condition::parse(q).unwrap_err().code;
        assert_eq!(code("{"), ErrorCode::InvalidArgument);
        assert_eq!(
            code(r#"{"Field":"Size","Value":"big","Operation":"gt"}"#),
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            code(r#"{"Field":"Size","Value":"1","Operation":"prefix"}"#),
            ErrorCode::InvalidArgument
        );
        assert_eq!(code(r#"{"Operation":"and"}"#), ErrorCode::InvalidArgument);
        assert_eq!(
            code(r#"{"Field":"Filename","Value":"a","Operation":"match"}"#),
            ErrorCode::NotImplemented
        );
        assert_eq!(
            code(r#"{"Field":"ContentType","Value":"a","Operation":"eq"}"#),
            ErrorCode::NotImplemented
        );
        assert_eq!(
            code(r#"{"Field":"Nope","Value":"a","Operation":"eq"}"#),
            ErrorCode::InvalidArgument
        );
    }
}
