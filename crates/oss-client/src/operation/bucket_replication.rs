//! Data replication between buckets (`?replication`, `?rtc`, `?replicationLocation`,
//! `?replicationProgress`), OSS API reference "PutBucketReplication",
//! "GetBucketReplication", "DeleteBucketReplication", "GetBucketReplicationLocation",
//! "GetBucketReplicationProgress", "PutBucketRTC". Rules are added one put at a time (each
//! answered with its id), removed by id, and read together.

use http::{HeaderName, Method};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, bucket_request,
};
use crate::request::{OperationRequest, required};
use crate::response::header_string;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// The most prefixes a rule's `PrefixSet` holds.
pub const MAX_REPLICATION_PREFIXES: usize = 10;

/// A bucket's replication rules (`<ReplicationConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplicationConfiguration {
    /// The rules.
    #[serde(rename = "Rule", default)]
    pub rules: Vec<ReplicationRule>,
}

impl ReplicationConfiguration {
    /// A document with these rules.
    pub fn new(rules: Vec<ReplicationRule>) -> Self {
        Self { rules }
    }
}

impl BucketConfig for ReplicationConfiguration {
    const SUBRESOURCE: &'static str = "replication";
    const ROOT: &'static str = "ReplicationConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if self.rules.len() != 1 {
            return Err(Error::invalid_argument(format!(
                "a replication put adds one Rule, not {}",
                self.rules.len()
            )));
        }
        self.rules.iter().try_for_each(ReplicationRule::validate)
    }
}

/// One replication rule (`<Rule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationRule {
    /// The rule's id (OSS makes one up when absent).
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Only keys with one of these prefixes (at most 10; all keys when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_set: Option<ReplicationPrefixSet>,
    /// What is replicated: `ALL` or `PUT` (comma-separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Where objects are replicated to.
    pub destination: ReplicationDestination,
    /// What OSS is doing with the rule (`starting`, `doing`, `closing`); read only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether objects written before the rule are replicated: `enabled` or `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub historical_object_replication: Option<String>,
    /// The RAM role replication runs as (for KMS-encrypted objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_role: Option<String>,
    /// Which encrypted objects are replicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_selection_criteria: Option<ReplicationSourceSelectionCriteria>,
    /// How replicas are encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<ReplicationEncryptionConfiguration>,
    /// Replication time control.
    #[serde(rename = "RTC", default, skip_serializing_if = "Option::is_none")]
    pub rtc: Option<ReplicationTimeControl>,
}

impl ReplicationRule {
    /// A rule replicating to `bucket` in `location` (`oss-cn-beijing`…).
    pub fn new(bucket: impl Into<String>, location: impl Into<String>) -> Self {
        Self {
            destination: ReplicationDestination {
                bucket: bucket.into(),
                location: location.into(),
                transfer_type: None,
            },
            ..Self::default()
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let refuse = |what: String| Err(Error::invalid_argument(what));
        if self.destination.bucket.is_empty() || self.destination.location.is_empty() {
            return refuse("a replication rule names its destination Bucket and Location".into());
        }
        let prefixes = self.prefix_set.as_ref().map_or(0, |p| p.prefixes.len());
        if prefixes > MAX_REPLICATION_PREFIXES {
            return refuse(format!(
                "a replication rule has at most {MAX_REPLICATION_PREFIXES} prefixes, not {prefixes}"
            ));
        }
        if let Some(h) = self
            .historical_object_replication
            .as_deref()
            .filter(|h| !matches!(*h, "enabled" | "disabled"))
        {
            return refuse(format!(
                "HistoricalObjectReplication is enabled or disabled, not {h:?}"
            ));
        }
        if let Some(t) = self
            .destination
            .transfer_type
            .as_deref()
            .filter(|t| !matches!(*t, "internal" | "oss_acc"))
        {
            return refuse(format!("TransferType is internal or oss_acc, not {t:?}"));
        }
        Ok(())
    }
}

/// The prefixes a rule covers (`<PrefixSet>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplicationPrefixSet {
    /// The prefixes.
    #[serde(rename = "Prefix", default)]
    pub prefixes: Vec<String>,
}

impl ReplicationPrefixSet {
    /// A set of these prefixes.
    pub fn new(prefixes: Vec<String>) -> Self {
        Self { prefixes }
    }
}

/// Where a rule replicates to (`<Destination>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationDestination {
    /// The destination bucket.
    pub bucket: String,
    /// Its region (`oss-cn-beijing`…).
    pub location: String,
    /// The link: `internal` (default) or `oss_acc` (transfer acceleration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_type: Option<String>,
}

/// Which encrypted objects are replicated (`<SourceSelectionCriteria>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplicationSourceSelectionCriteria {
    /// Objects encrypted with KMS keys.
    #[serde(rename = "SseKmsEncryptedObjects")]
    pub sse_kms_encrypted_objects: ReplicationStatus,
}

/// An `Enabled`/`Disabled` (or `enabled`/`disabled`) switch (`<Status>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplicationStatus {
    /// The value.
    #[serde(rename = "Status")]
    pub status: String,
}

/// How replicas are encrypted (`<EncryptionConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplicationEncryptionConfiguration {
    /// The KMS key of the destination region.
    #[serde(rename = "ReplicaKmsKeyID")]
    pub replica_kms_key_id: String,
}

/// Replication time control of a rule (`<RTC>`).
pub type ReplicationTimeControl = ReplicationStatus;

/// PutBucketReplication input: bucket and the document with the rule to add.
#[derive(Debug, Clone, Default)]
pub struct PutBucketReplication {
    bucket: Option<String>,
    configuration: Option<ReplicationConfiguration>,
}

impl PutBucketReplication {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The document with the rule to add (required).
        configuration: ReplicationConfiguration;
    }
}

/// The answer of PutBucketReplication.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PutBucketReplicationOutput {
    /// The id of the rule added (`x-oss-replication-rule-id`).
    pub replication_rule_id: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// DeleteBucketReplication, GetBucketReplicationProgress and PutBucketRtc input.
#[derive(Debug, Clone, Default)]
pub struct BucketReplicationRuleInput {
    bucket: Option<String>,
    rule_id: Option<String>,
    rtc_status: Option<String>,
}

impl BucketReplicationRuleInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The rule's id (required).
        rule_id: String;
        /// PutBucketRtc: `enabled` or `disabled` (required there, refused elsewhere).
        rtc_status: String;
    }
}

/// DeleteBucketReplication input: bucket and rule id.
pub type DeleteBucketReplication = BucketReplicationRuleInput;
/// GetBucketReplicationProgress input: bucket and rule id.
pub type GetBucketReplicationProgress = BucketReplicationRuleInput;
/// PutBucketRtc input: bucket, rule id and RTC status.
pub type PutBucketRtc = BucketReplicationRuleInput;
/// GetBucketReplication input: the bucket.
pub type GetBucketReplication = GetBucketConfig<ReplicationConfiguration>;
/// GetBucketReplicationLocation input: the bucket.
pub type GetBucketReplicationLocation = GetBucketConfig<ReplicationLocation>;

/// Where a bucket can replicate to (`<ReplicationLocation>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationLocation {
    /// The regions (`oss-cn-beijing`…).
    #[serde(rename = "Location", default)]
    pub locations: Vec<String>,
    /// The regions reachable only over some links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_transfer_type_constraint: Option<LocationTransferTypeConstraint>,
    /// The regions where replication time control is offered.
    #[serde(rename = "LocationRTCConstraint", default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_rtc_constraint: Option<LocationRtcConstraint>,
}

impl BucketConfig for ReplicationLocation {
    const SUBRESOURCE: &'static str = "replicationLocation";
    const ROOT: &'static str = "ReplicationLocation";
}

/// Regions and the links to them (`<LocationTransferTypeConstraint>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LocationTransferTypeConstraint {
    /// One entry per region.
    #[serde(rename = "LocationTransferType", default)]
    pub location_transfer_types: Vec<LocationTransferType>,
}

/// A region and its links (`<LocationTransferType>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LocationTransferType {
    /// The region.
    pub location: String,
    /// Its links.
    pub transfer_types: TransferTypes,
}

/// Links (`<TransferTypes>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransferTypes {
    /// `internal`, `oss_acc`.
    #[serde(rename = "Type", default)]
    pub types: Vec<String>,
}

/// Regions offering RTC (`<LocationRTCConstraint>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LocationRtcConstraint {
    /// The regions.
    #[serde(rename = "Location", default)]
    pub locations: Vec<String>,
}

/// Replication progress (`<ReplicationProgress>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplicationProgress {
    /// The rule asked about, with its progress.
    #[serde(rename = "Rule", default)]
    pub rules: Vec<ReplicationProgressRule>,
}

/// A rule and how far it got (`<Rule>` of a progress answer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationProgressRule {
    /// The rule's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its prefixes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_set: Option<ReplicationPrefixSet>,
    /// What it replicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Where to.
    pub destination: ReplicationDestination,
    /// `starting`, `doing` or `closing`.
    #[serde(default)]
    pub status: String,
    /// `enabled` or `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub historical_object_replication: Option<String>,
    /// How far it got (only while `doing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<ReplicationProgressInformation>,
}

/// How far a rule got (`<Progress>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationProgressInformation {
    /// The share of the historical objects replicated, `0` to `1` (`0.85`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub historical_object: Option<String>,
    /// Objects written before this time (ISO 8601, UTC) are replicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_object: Option<String>,
}

/// The body of DeleteBucketReplication (`<ReplicationRules>`).
#[derive(Serialize)]
struct RuleIds {
    #[serde(rename = "ID")]
    id: String,
}

/// The body of PutBucketRtc (`<ReplicationRule>`).
#[derive(Serialize)]
struct RtcBody {
    #[serde(rename = "RTC")]
    rtc: ReplicationTimeControl,
    #[serde(rename = "ID")]
    id: String,
}

/// `POST /bucket?replication&comp=<comp>`.
fn comp_request(bucket: Option<String>, comp: &'static str) -> Result<OperationRequest, Error> {
    let mut op = bucket_request(Method::POST, bucket, "replication")?;
    op.query.push("comp", comp);
    Ok(op)
}

/// The replication operations answered without a document.
enum Replication {
    Delete(BucketReplicationRuleInput),
    Rtc(BucketReplicationRuleInput),
}

impl Operation for Replication {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        match self {
            Self::Delete(input) => {
                if input.rtc_status.is_some() {
                    return Err(Error::invalid_argument(
                        "rtc_status belongs to PutBucketRtc, not DeleteBucketReplication",
                    ));
                }
                let id = required(input.rule_id, "rule_id")?;
                let mut op = comp_request(input.bucket, "delete")?;
                op.xml_body(to_xml("ReplicationRules", &RuleIds { id })?);
                Ok(op)
            }
            Self::Rtc(input) => {
                let id = required(input.rule_id, "rule_id")?;
                let status = required(input.rtc_status, "rtc_status")?;
                if !matches!(status.as_str(), "enabled" | "disabled") {
                    return Err(Error::invalid_argument(format!(
                        "the RTC status is enabled or disabled, not {status:?}"
                    )));
                }
                let mut op = bucket_request(Method::PUT, input.bucket, "rtc")?;
                let rtc = ReplicationStatus { status };
                op.xml_body(to_xml("ReplicationRule", &RtcBody { rtc, id })?);
                Ok(op)
            }
        }
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// PutBucketReplication, whose answer carries the rule's id.
struct Add(PutBucketReplication);

impl Operation for Add {
    type Output = PutBucketReplicationOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let configuration = self.0.configuration.ok_or_else(|| {
            Error::invalid_argument("the ReplicationConfiguration document is required")
        })?;
        configuration.validate()?;
        let mut op = comp_request(self.0.bucket, "add")?;
        op.xml_body(to_xml(ReplicationConfiguration::ROOT, &configuration)?);
        op.idempotent = false;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<PutBucketReplicationOutput, Error> {
        Ok(PutBucketReplicationOutput {
            replication_rule_id: header_string(
                &answer.headers,
                &HeaderName::from_static("x-oss-replication-rule-id"),
            ),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// GetBucketReplicationProgress.
struct Progress(BucketReplicationRuleInput);

impl Operation for Progress {
    type Output = ConfigOutput<ReplicationProgress>;

    fn request(self) -> Result<OperationRequest, Error> {
        if self.0.rtc_status.is_some() {
            return Err(Error::invalid_argument(
                "rtc_status belongs to PutBucketRtc, not GetBucketReplicationProgress",
            ));
        }
        let id = required(self.0.rule_id, "rule_id")?;
        let mut op = bucket_request(Method::GET, self.0.bucket, "replicationProgress")?;
        op.query.push("rule-id", id);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ConfigOutput<ReplicationProgress>, Error> {
        Ok(ConfigOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Client {
    /// PutBucketReplication (`POST /bucket?replication&comp=add`): adds a replication rule.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O for a missing bucket or document,
    /// a document with other than one rule, a rule without destination bucket and location, more than
    /// 10 prefixes, or a `HistoricalObjectReplication`/`TransferType` OSS does not define;
    /// service errors (`TooManyReplicationRules`, `InvalidArgument`, `MalformedXML`).
    pub async fn put_bucket_replication(
        &self,
        input: PutBucketReplication,
    ) -> Result<PutBucketReplicationOutput, Error> {
        self.execute(Add(input)).await
    }

    /// GetBucketReplication (`GET /bucket?replication`): every rule.
    ///
    /// # Errors
    /// Input errors; `NoSuchReplicationConfiguration` when the bucket has no rule.
    pub async fn get_bucket_replication(
        &self,
        input: GetBucketReplication,
    ) -> Result<ConfigOutput<ReplicationConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketReplication (`POST /bucket?replication&comp=delete`, body
    /// `<ReplicationRules><ID>…</ID></ReplicationRules>`): removes one rule.
    ///
    /// # Errors
    /// Input errors; `NoSuchReplicationRule`.
    pub async fn delete_bucket_replication(
        &self,
        input: DeleteBucketReplication,
    ) -> Result<EmptyOutput, Error> {
        self.execute(Replication::Delete(input)).await
    }

    /// GetBucketReplicationLocation (`GET /bucket?replicationLocation`): the regions the
    /// bucket can replicate to.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_replication_location(
        &self,
        input: GetBucketReplicationLocation,
    ) -> Result<ConfigOutput<ReplicationLocation>, Error> {
        self.execute(input).await
    }

    /// GetBucketReplicationProgress (`GET /bucket?replicationProgress&rule-id=<id>`).
    ///
    /// # Errors
    /// Input errors; `NoSuchReplicationRule`, `NoSuchReplicationConfiguration`.
    pub async fn get_bucket_replication_progress(
        &self,
        input: GetBucketReplicationProgress,
    ) -> Result<ConfigOutput<ReplicationProgress>, Error> {
        self.execute(Progress(input)).await
    }

    /// PutBucketRtc (`PUT /bucket?rtc`, OSS API reference "PutBucketRTC"): turns replication
    /// time control of a rule on or off.
    ///
    /// # Errors
    /// Input errors (a status other than `enabled`/`disabled`); `NoSuchReplicationRule`.
    pub async fn put_bucket_rtc(&self, input: PutBucketRtc) -> Result<EmptyOutput, Error> {
        self.execute(Replication::Rtc(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    const RULE: &str = "<ReplicationConfiguration><Rule>\
        <PrefixSet><Prefix>source1</Prefix><Prefix>video</Prefix></PrefixSet>\
        <Action>PUT</Action><Destination><Bucket>destbucket</Bucket>\
        <Location>oss-cn-beijing</Location><TransferType>oss_acc</TransferType></Destination>\
        <HistoricalObjectReplication>enabled</HistoricalObjectReplication>\
        <RTC><Status>enabled</Status></RTC></Rule></ReplicationConfiguration>";

    #[test]
    fn put_sends_the_documented_query_and_xml() {
        let configuration: ReplicationConfiguration = from_xml(RULE.as_bytes()).unwrap();
        assert_eq!(configuration.rules[0].destination.bucket, "destbucket");
        let op = Add(PutBucketReplication::default()
            .bucket("examplebucket")
            .configuration(configuration))
        .request()
        .unwrap();
        assert_eq!(op.method, Method::POST);
        assert_eq!(op.query.to_query_string(), "replication&comp=add");
        assert_eq!(
            body_text(&op),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{RULE}")
        );
        let mut a = answer("");
        a.headers
            .insert("x-oss-replication-rule-id", "rule-1".parse().unwrap());
        assert_eq!(Add::output(a).unwrap().replication_rule_id, "rule-1");
    }

    #[test]
    fn delete_and_rtc_send_the_documented_bodies() {
        let input = BucketReplicationRuleInput::default()
            .bucket("examplebucket")
            .rule_id("rule-1");
        let op = Replication::Delete(input.clone()).request().unwrap();
        assert_eq!(op.query.to_query_string(), "replication&comp=delete");
        assert!(body_text(&op).ends_with("<ReplicationRules><ID>rule-1</ID></ReplicationRules>"));
        let op = Replication::Rtc(input.clone().rtc_status("enabled"))
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "rtc");
        assert!(body_text(&op).ends_with(
            "<ReplicationRule><RTC><Status>enabled</Status></RTC><ID>rule-1</ID></ReplicationRule>"
        ));
        let op = Progress(input.clone()).request().unwrap();
        assert_eq!(
            op.query.to_query_string(),
            "replicationProgress&rule-id=rule-1"
        );
        assert!(
            Replication::Rtc(input.clone().rtc_status("on"))
                .request()
                .is_err()
        );
        assert!(
            Replication::Delete(input.rtc_status("enabled"))
                .request()
                .is_err()
        );
    }

    #[test]
    fn refuses_rules_oss_refuses() {
        let put = |rule: ReplicationRule| {
            Add(PutBucketReplication::default()
                .bucket("examplebucket")
                .configuration(ReplicationConfiguration::new(vec![rule])))
            .request()
        };
        assert!(put(ReplicationRule::new("", "oss-cn-beijing")).is_err());
        let mut rule = ReplicationRule::new("dest", "oss-cn-beijing");
        rule.prefix_set = Some(ReplicationPrefixSet::new(vec!["p".into(); 11]));
        assert!(put(rule).is_err());
        let mut rule = ReplicationRule::new("dest", "oss-cn-beijing");
        rule.historical_object_replication = Some("yes".into());
        assert!(put(rule).is_err());
        assert!(put(ReplicationRule::new("dest", "oss-cn-beijing")).is_ok());
        let two =
            ReplicationConfiguration::new(vec![ReplicationRule::new("d", "oss-cn-beijing"); 2]);
        assert!(two.validate().is_err());
    }

    #[test]
    fn location_and_progress_read_the_documented_answers() {
        let location: ReplicationLocation = from_xml(
            b"<ReplicationLocation><Location>oss-cn-beijing</Location>\
              <Location>oss-cn-qingdao</Location><LocationTransferTypeConstraint>\
              <LocationTransferType><Location>oss-cn-hongkong</Location><TransferTypes>\
              <Type>oss_acc</Type></TransferTypes></LocationTransferType>\
              </LocationTransferTypeConstraint><LocationRTCConstraint>\
              <Location>oss-cn-beijing</Location></LocationRTCConstraint></ReplicationLocation>",
        )
        .unwrap();
        assert_eq!(location.locations, ["oss-cn-beijing", "oss-cn-qingdao"]);
        let constraint = location.location_transfer_type_constraint.unwrap();
        assert_eq!(
            constraint.location_transfer_types[0].transfer_types.types,
            ["oss_acc"]
        );
        assert_eq!(
            location.location_rtc_constraint.unwrap().locations,
            ["oss-cn-beijing"]
        );
        let progress: ReplicationProgress = from_xml(
            b"<ReplicationProgress><Rule><ID>r1</ID><Action>PUT</Action><Destination>\
              <Bucket>dest</Bucket><Location>oss-cn-beijing</Location></Destination>\
              <Status>doing</Status><HistoricalObjectReplication>enabled\
              </HistoricalObjectReplication><Progress><HistoricalObject>0.85</HistoricalObject>\
              <NewObject>2015-09-24T15:28:14.000Z</NewObject></Progress></Rule>\
              </ReplicationProgress>",
        )
        .unwrap();
        let rule = &progress.rules[0];
        assert_eq!(rule.status, "doing");
        assert_eq!(
            rule.progress.as_ref().unwrap().historical_object.as_deref(),
            Some("0.85")
        );
    }
}
