//! Bucket lifecycle rules (`?lifecycle`), OSS API reference "PutBucketLifecycle",
//! "GetBucketLifecycle", "DeleteBucketLifecycle". Dates are ISO 8601 UTC midnights as OSS
//! writes them (`2025-01-01T00:00:00.000Z`); days count from an object's last modification
//! (or last access with `is_access_time`).

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};
use crate::operation::bucket_tags::Tag;

/// The most lifecycle rules a bucket may have.
pub const MAX_LIFECYCLE_RULES: usize = 1000;

/// A bucket's lifecycle rules (`<LifecycleConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LifecycleConfiguration {
    /// The rules (1 to 1000).
    #[serde(rename = "Rule", default)]
    pub rules: Vec<LifecycleRule>,
}

impl LifecycleConfiguration {
    /// A configuration of these rules.
    pub fn new(rules: impl IntoIterator<Item = LifecycleRule>) -> Self {
        Self {
            rules: rules.into_iter().collect(),
        }
    }
}

/// One rule (`<Rule>`): which objects (prefix, tags, filter) and what happens to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleRule {
    /// The rule's name (`ID`, at most 255 bytes; OSS generates one when absent).
    #[serde(rename = "ID", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Objects whose key starts with this (empty: the whole bucket).
    #[serde(default)]
    pub prefix: String,
    /// `Enabled` or `Disabled`.
    pub status: String,
    /// Objects carrying all these tags only.
    #[serde(rename = "Tag", default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// Further object conditions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<LifecycleFilter>,
    /// When current versions expire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration: Option<Expiration>,
    /// When current versions change storage class.
    #[serde(rename = "Transition", default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<Transition>,
    /// When unfinished multipart uploads are aborted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abort_multipart_upload: Option<DaysOrDate>,
    /// When previous versions expire (versioned buckets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
    /// When previous versions change storage class (versioned buckets).
    #[serde(
        rename = "NoncurrentVersionTransition",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub noncurrent_version_transitions: Vec<NoncurrentVersionTransition>,
}

impl LifecycleRule {
    /// An enabled rule on keys starting with `prefix`.
    pub fn enabled(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            status: "Enabled".into(),
            ..Self::default()
        }
    }
}

/// A time condition: days after the last modification, or a date (`Days`,
/// `CreatedBeforeDate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct DaysOrDate {
    /// Days after the last modification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Objects last modified before this date (ISO 8601, UTC midnight).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before_date: Option<String>,
}

/// When current versions expire (`<Expiration>`): one of days, date, or delete markers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct Expiration {
    /// Days after the last modification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Objects last modified before this date (ISO 8601, UTC midnight).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before_date: Option<String>,
    /// Removes delete markers left without versions (versioned buckets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_object_delete_marker: Option<bool>,
}

/// A change of storage class (`<Transition>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct Transition {
    /// Days after the last modification (or access).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Objects last modified before this date (ISO 8601, UTC midnight).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before_date: Option<String>,
    /// The new class: `IA`, `Archive`, `ColdArchive`, `DeepColdArchive`.
    pub storage_class: String,
    /// Counts days from the last access instead of the last modification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_access_time: Option<bool>,
    /// With `is_access_time`: back to Standard when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_to_std_when_visit: Option<bool>,
    /// With `is_access_time`: also objects smaller than 64 KiB change class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_small_file: Option<bool>,
}

/// When previous versions expire (`<NoncurrentVersionExpiration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct NoncurrentVersionExpiration {
    /// Days after a version stopped being current.
    pub noncurrent_days: u32,
}

/// A change of storage class of previous versions (`<NoncurrentVersionTransition>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct NoncurrentVersionTransition {
    /// Days after a version stopped being current.
    pub noncurrent_days: u32,
    /// The new class.
    pub storage_class: String,
    /// Counts days from the last access.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_access_time: Option<bool>,
    /// With `is_access_time`: back to Standard when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_to_std_when_visit: Option<bool>,
    /// With `is_access_time`: also objects smaller than 64 KiB change class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_small_file: Option<bool>,
}

/// Object conditions of a rule (`<Filter>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleFilter {
    /// Objects larger than this many bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_size_greater_than: Option<u64>,
    /// Objects smaller than this many bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_size_less_than: Option<u64>,
    /// Objects excluded (`<Not>`: a prefix and an optional tag).
    #[serde(rename = "Not", default, skip_serializing_if = "Vec::is_empty")]
    pub not: Vec<LifecycleNot>,
}

/// Objects a rule leaves alone (`<Not>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleNot {
    /// Keys starting with this.
    #[serde(default)]
    pub prefix: String,
    /// Objects carrying this tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<Tag>,
}

impl BucketConfig for LifecycleConfiguration {
    const SUBRESOURCE: &'static str = "lifecycle";
    const ROOT: &'static str = "LifecycleConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if self.rules.is_empty() || self.rules.len() > MAX_LIFECYCLE_RULES {
            return Err(Error::invalid_argument(format!(
                "a lifecycle configuration needs 1 to {MAX_LIFECYCLE_RULES} rules, not {}",
                self.rules.len()
            )));
        }
        match self
            .rules
            .iter()
            .find(|r| r.status != "Enabled" && r.status != "Disabled")
        {
            Some(rule) => Err(Error::invalid_argument(format!(
                "a lifecycle rule's status is Enabled or Disabled, not {:?}",
                rule.status
            ))),
            None => Ok(()),
        }
    }
}

/// PutBucketLifecycle input.
pub type PutBucketLifecycle = PutBucketConfig<LifecycleConfiguration>;
/// GetBucketLifecycle input.
pub type GetBucketLifecycle = GetBucketConfig<LifecycleConfiguration>;
/// DeleteBucketLifecycle input.
pub type DeleteBucketLifecycle = DeleteBucketConfig<LifecycleConfiguration>;

impl Client {
    /// PutBucketLifecycle (`PUT /bucket?lifecycle`): replaces the bucket's rules.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a bucket, without rules, over 1000 rules,
    /// or for a status other than `Enabled`/`Disabled`; service errors (`InvalidArgument`,
    /// `MalformedXML`).
    pub async fn put_bucket_lifecycle(
        &self,
        input: PutBucketLifecycle,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketLifecycle (`GET /bucket?lifecycle`).
    ///
    /// # Errors
    /// Input errors; `NoSuchLifecycle` (404) when none is set; `NoSuchBucket`.
    pub async fn get_bucket_lifecycle(
        &self,
        input: GetBucketLifecycle,
    ) -> Result<ConfigOutput<LifecycleConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketLifecycle (`DELETE /bucket?lifecycle`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_lifecycle(
        &self,
        input: DeleteBucketLifecycle,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::Operation as _;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn put_writes_the_documented_xml() {
        let mut rule = LifecycleRule::enabled("log/");
        rule.id = Some("rule1".into());
        rule.expiration = Some(Expiration {
            days: Some(90),
            ..Expiration::default()
        });
        rule.transitions = vec![Transition {
            days: Some(30),
            storage_class: "IA".into(),
            ..Transition::default()
        }];
        let op = PutBucketLifecycle::default()
            .bucket("examplebucket")
            .configuration(LifecycleConfiguration::new([rule]))
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "lifecycle");
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LifecycleConfiguration><Rule>\
             <ID>rule1</ID><Prefix>log/</Prefix><Status>Enabled</Status>\
             <Expiration><Days>90</Days></Expiration>\
             <Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>\
             </Rule></LifecycleConfiguration>"
        );
    }

    #[test]
    fn get_reads_the_documented_answer() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<LifecycleConfiguration>
  <Rule>
    <ID>delete after one day</ID>
    <Prefix>logs1/</Prefix>
    <Status>Enabled</Status>
    <Expiration><CreatedBeforeDate>2023-11-11T00:00:00.000Z</CreatedBeforeDate></Expiration>
    <Tag><Key>key1</Key><Value>value1</Value></Tag>
    <AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>
    <NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>
    <Filter><Not><Prefix>logs1/keep</Prefix></Not><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter>
  </Rule>
</LifecycleConfiguration>"#;
        let rules = GetBucketLifecycle::output(answer(xml))
            .unwrap()
            .configuration
            .rules;
        let rule = &rules[0];
        assert_eq!(rule.id.as_deref(), Some("delete after one day"));
        assert_eq!(
            rule.expiration
                .as_ref()
                .unwrap()
                .created_before_date
                .as_deref(),
            Some("2023-11-11T00:00:00.000Z")
        );
        assert_eq!(rule.tags, [Tag::new("key1", "value1")]);
        assert_eq!(rule.abort_multipart_upload.as_ref().unwrap().days, Some(1));
        assert_eq!(
            rule.noncurrent_version_expiration
                .as_ref()
                .unwrap()
                .noncurrent_days,
            5
        );
        let filter = rule.filter.as_ref().unwrap();
        assert_eq!(filter.not[0].prefix, "logs1/keep");
        assert_eq!(filter.object_size_greater_than, Some(500));
    }

    #[test]
    fn refuses_an_unknown_status() {
        let mut rule = LifecycleRule::enabled("");
        rule.status = "On".into();
        let input = PutBucketLifecycle::default()
            .bucket("examplebucket")
            .configuration(LifecycleConfiguration::new([rule]));
        assert!(input.request().is_err());
    }
}
