//! Overwrite protection (`?overwriteConfig`), OSS API reference "PutBucketOverwriteConfig",
//! "GetBucketOverwriteConfig", "DeleteBucketOverwriteConfig". While a rule matches a key
//! (its prefix, suffix and principals all hold), writing over an existing object there
//! (PutObject, CopyObject, CompleteMultipartUpload…) fails with 409 `FileAlreadyExists`;
//! rules have no effect in a bucket whose versioning is enabled or suspended.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// The most rules a bucket has.
pub const MAX_OVERWRITE_RULES: usize = 100;
/// The longest prefix or suffix, in characters.
pub const MAX_OVERWRITE_AFFIX_CHARS: usize = 1023;

/// A bucket's overwrite rules (`<OverwriteConfiguration>`); a put replaces them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OverwriteConfiguration {
    /// The rules (at most 100).
    #[serde(rename = "Rule", default)]
    pub rules: Vec<OverwriteRule>,
}

impl OverwriteConfiguration {
    /// A document with these rules.
    pub fn new(rules: Vec<OverwriteRule>) -> Self {
        Self { rules }
    }
}

/// One rule (`<Rule>`): forbids overwriting the keys it matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct OverwriteRule {
    /// The rule's id, unique in the bucket (OSS makes up a UUID when absent).
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `forbid`, the only action.
    pub action: String,
    /// Keys starting with this (literal text, at most 1023 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Keys ending with this (literal text, at most 1023 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Whose writes the rule refuses (as a bucket policy's `Principal`; everyone when
    /// absent or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principals: Option<OverwritePrincipals>,
}

impl OverwriteRule {
    /// A `forbid` rule for keys with this prefix and suffix (either may be empty).
    pub fn forbid(prefix: impl Into<String>, suffix: impl Into<String>) -> Self {
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        Self {
            id: None,
            action: "forbid".to_owned(),
            prefix: some(prefix.into()),
            suffix: some(suffix.into()),
            principals: None,
        }
    }
}

/// The principals of a rule (`<Principals>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OverwritePrincipals {
    /// Account, RAM user or role ids; `*` for everyone.
    #[serde(rename = "Principal", default)]
    pub principals: Vec<String>,
}

impl OverwritePrincipals {
    /// These principals.
    pub fn new(principals: Vec<String>) -> Self {
        Self { principals }
    }
}

impl BucketConfig for OverwriteConfiguration {
    const SUBRESOURCE: &'static str = "overwriteConfig";
    const ROOT: &'static str = "OverwriteConfiguration";

    fn validate(&self) -> Result<(), Error> {
        let refuse = |what: String| Err(Error::invalid_argument(what));
        if self.rules.len() > MAX_OVERWRITE_RULES {
            return refuse(format!(
                "a bucket has at most {MAX_OVERWRITE_RULES} overwrite rules, not {}",
                self.rules.len()
            ));
        }
        let mut ids = std::collections::BTreeSet::new();
        for rule in &self.rules {
            if rule.action != "forbid" {
                return refuse(format!("Action is forbid, not {:?}", rule.action));
            }
            for affix in [&rule.prefix, &rule.suffix].into_iter().flatten() {
                if affix.chars().count() > MAX_OVERWRITE_AFFIX_CHARS {
                    return refuse(format!(
                        "a prefix or suffix has at most {MAX_OVERWRITE_AFFIX_CHARS} characters"
                    ));
                }
            }
            if let Some(id) = &rule.id {
                if !ids.insert(id) {
                    return refuse(format!("the rule id {id:?} is used twice"));
                }
            }
        }
        Ok(())
    }
}

/// PutBucketOverwriteConfig input.
pub type PutBucketOverwriteConfig = PutBucketConfig<OverwriteConfiguration>;
/// GetBucketOverwriteConfig input.
pub type GetBucketOverwriteConfig = GetBucketConfig<OverwriteConfiguration>;
/// DeleteBucketOverwriteConfig input.
pub type DeleteBucketOverwriteConfig = DeleteBucketConfig<OverwriteConfiguration>;

impl Client {
    /// PutBucketOverwriteConfig (`PUT /bucket?overwriteConfig`): replaces the rules.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O for more than 100 rules, an
    /// action other than `forbid`, a prefix or suffix over 1023 characters or an id used
    /// twice; service errors (`MalformedXML`, `InvalidArgument`).
    pub async fn put_bucket_overwrite_config(
        &self,
        input: PutBucketOverwriteConfig,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketOverwriteConfig (`GET /bucket?overwriteConfig`).
    ///
    /// # Errors
    /// Input errors; 404 when the bucket has no rules.
    pub async fn get_bucket_overwrite_config(
        &self,
        input: GetBucketOverwriteConfig,
    ) -> Result<ConfigOutput<OverwriteConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketOverwriteConfig (`DELETE /bucket?overwriteConfig`): removes every rule.
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn delete_bucket_overwrite_config(
        &self,
        input: DeleteBucketOverwriteConfig,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::assert_round_trip;

    #[test]
    fn put_and_get_use_the_documented_xml() {
        let mut rule = OverwriteRule::forbid("logs/", ".txt");
        rule.id = Some("rule-001".into());
        rule.principals = Some(OverwritePrincipals::new(vec!["27737962156157xxxx".into()]));
        assert_round_trip(
            OverwriteConfiguration::new(vec![rule, OverwriteRule::forbid("", ".log")]),
            "<OverwriteConfiguration><Rule><ID>rule-001</ID><Action>forbid</Action>\
             <Prefix>logs/</Prefix><Suffix>.txt</Suffix><Principals>\
             <Principal>27737962156157xxxx</Principal></Principals></Rule>\
             <Rule><Action>forbid</Action><Suffix>.log</Suffix></Rule></OverwriteConfiguration>",
        );
    }

    #[test]
    fn refuses_what_oss_refuses() {
        let mut allow = OverwriteRule::forbid("a", "");
        allow.action = "allow".into();
        assert!(OverwriteConfiguration::new(vec![allow]).validate().is_err());
        let mut a = OverwriteRule::forbid("a", "");
        a.id = Some("x".into());
        assert!(
            OverwriteConfiguration::new(vec![a.clone(), a])
                .validate()
                .is_err()
        );
        let long = OverwriteRule::forbid("p".repeat(1024), "");
        assert!(OverwriteConfiguration::new(vec![long]).validate().is_err());
        let many = vec![OverwriteRule::forbid("a", ""); 101];
        assert!(OverwriteConfiguration::new(many).validate().is_err());
    }
}
