//! The aliyun CLI configuration file (`config.json`) read into profiles, with errors that name
//! the file, the profile and the field in our own words (never the JSON parser's).

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use serde_json::error::Category;

/// The parts of `config.json` the credentials providers read.
#[derive(Debug, Deserialize, Default)]
pub(super) struct CliConfig {
    /// The profile the CLI uses when none is named.
    pub(super) current: Option<String>,
    pub(super) profiles: Vec<CliProfile>,
}

/// One profile; absent fields are empty (as the CLI writes them).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(default)]
pub(super) struct CliProfile {
    pub(super) name: String,
    pub(super) mode: String,
    pub(super) access_key_id: String,
    pub(super) access_key_secret: String,
    pub(super) sts_token: String,
    pub(super) ram_role_name: String,
    pub(super) ram_role_arn: String,
    pub(super) ram_session_name: String,
    pub(super) role_session_name: String,
    pub(super) expired_seconds: u64,
    pub(super) sts_region: String,
    pub(super) enable_vpc: bool,
    pub(super) policy: String,
    pub(super) external_id: String,
    pub(super) source_profile: String,
    pub(super) oidc_provider_arn: String,
    pub(super) oidc_token_file: String,
    pub(super) credentials_uri: String,
    /// The region the profile's user works in (`region_id`, e.g. `cn-hangzhou`).
    pub(super) region_id: String,
}

impl CliConfig {
    /// The names of the profiles, for messages.
    pub(super) fn profile_names(&self) -> String {
        let names: Vec<String> = self
            .profiles
            .iter()
            .map(|p| format!("{:?}", p.name))
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    }
}

/// Reads `text`, the contents of `path`.
///
/// # Errors
/// A message naming `path` and what is wrong: not JSON (with line and column), a top level
/// that is not an object, `current` or `profiles` of the wrong type, or the profile and field
/// whose value has the wrong type.
pub(super) fn parse(path: &Path, text: &[u8]) -> Result<CliConfig, String> {
    let file = path.display();
    let root: Value = serde_json::from_slice(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        match e.classify() {
            Category::Eof => format!("{file} is not valid JSON: it ends early (line {line})"),
            _ => format!("{file} is not valid JSON at line {line}, column {column}"),
        }
    })?;
    let Value::Object(mut root) = root else {
        return Err(format!(
            "{file} must hold a JSON object with a \"profiles\" list, not {}",
            kind(&root)
        ));
    };
    let current = match root.remove("current") {
        None | Some(Value::Null) => None,
        Some(Value::String(current)) => Some(current),
        Some(other) => {
            return Err(format!(
                "{file}: \"current\" must be a profile name (a string), not {}",
                kind(&other)
            ));
        }
    };
    let profiles = match root.remove("profiles") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(profiles)) => profiles,
        Some(other) => {
            return Err(format!(
                "{file}: \"profiles\" must be a list, not {}",
                kind(&other)
            ));
        }
    };
    let profiles = profiles
        .into_iter()
        .enumerate()
        .map(|(index, value)| profile(index, value).map_err(|why| format!("{file}: {why}")))
        .collect::<Result<_, _>>()?;
    Ok(CliConfig { current, profiles })
}

/// One entry of `profiles`; on error, which profile and field is wrong.
fn profile(index: usize, value: Value) -> Result<CliProfile, String> {
    let Value::Object(fields) = &value else {
        return Err(format!(
            "profiles[{index}] must be an object, not {}",
            kind(&value)
        ));
    };
    let label = match fields.get("name").and_then(Value::as_str) {
        Some(name) => format!("profile {name:?}"),
        None => format!("profiles[{index}]"),
    };
    // Each field alone: the one that does not fit the profile's shape is the one to name.
    for (field, field_value) in fields {
        let alone = Value::Object([(field.clone(), field_value.clone())].into_iter().collect());
        if serde_json::from_value::<CliProfile>(alone).is_err() {
            return Err(format!(
                "{label}: field {field:?} cannot be {}",
                kind(field_value)
            ));
        }
    }
    serde_json::from_value(value).map_err(|_| format!("{label} is not a valid profile"))
}

/// What a JSON value is, in words.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_u64() => "a number",
        Value::Number(_) => "a negative or fractional number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(Path::new("/home/u/.aliyun/config.json"), text.as_bytes()).unwrap_err()
    }

    #[test]
    fn reads_profiles() {
        let text = r#"{"current": "dev", "profiles": [{"name": "dev", "mode": "AK",
            "access_key_id": "id", "expired_seconds": 900, "enable_vpc": true, "extra": 1}]}"#;
        let config = parse(Path::new("c.json"), text.as_bytes()).unwrap();
        assert_eq!(config.current.as_deref(), Some("dev"));
        assert_eq!(config.profiles[0].expired_seconds, 900);
        assert_eq!(config.profile_names(), "\"dev\"");
    }

    #[test]
    fn errors_name_the_file_profile_and_field() {
        assert_eq!(
            error("{\"profiles\": [\n  {\"name\": \"dev\",}\n]}"),
            "/home/u/.aliyun/config.json is not valid JSON at line 2, column 18"
        );
        assert_eq!(
            error("{\"profiles\": ["),
            "/home/u/.aliyun/config.json is not valid JSON: it ends early (line 1)"
        );
        assert_eq!(
            error("[]"),
            "/home/u/.aliyun/config.json must hold a JSON object with a \"profiles\" list, not a list"
        );
        assert_eq!(
            error(r#"{"current": 3}"#),
            "/home/u/.aliyun/config.json: \"current\" must be a profile name (a string), not a number"
        );
        assert_eq!(
            error(r#"{"profiles": {"name": "dev"}}"#),
            "/home/u/.aliyun/config.json: \"profiles\" must be a list, not an object"
        );
        assert_eq!(
            error(r#"{"profiles": [{"name": "dev", "expired_seconds": "900"}]}"#),
            "/home/u/.aliyun/config.json: profile \"dev\": field \"expired_seconds\" cannot be a string"
        );
        assert_eq!(
            error(r#"{"profiles": [{"mode": "AK", "access_key_id": 12}]}"#),
            "/home/u/.aliyun/config.json: profiles[0]: field \"access_key_id\" cannot be a number"
        );
        assert_eq!(
            error(r#"{"profiles": ["dev"]}"#),
            "/home/u/.aliyun/config.json: profiles[0] must be an object, not a string"
        );
    }
}
