//! Object-level WORM: the bucket's configuration (`?objectWorm`) and each object version's
//! retention (`?retention`) and legal hold (`?legalHold`), OSS API reference
//! "PutBucketObjectWormConfiguration", "GetBucketObjectWormConfiguration",
//! "PutObjectRetention", "GetObjectRetention", "PutObjectLegalHold", "GetObjectLegalHold".
//!
//! Object-level WORM needs versioning enabled and cannot be turned off once on. While a
//! version's retain-until date lies ahead, or its legal hold is `ON`, OSS refuses to delete
//! or overwrite it (409 `FileImmutable`).

use http::{HeaderValue, Method};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::xml_model::{from_xml, to_xml};

/// The retention modes: `GOVERNANCE` (loosened with `x-oss-bypass-governance-retention`) and
/// `COMPLIANCE` (only ever lengthened).
pub const RETENTION_MODES: [&str; 2] = ["GOVERNANCE", "COMPLIANCE"];
/// The longest default retention in days (100 years).
pub const MAX_DEFAULT_RETENTION_DAYS: u32 = 36_500;
/// The longest default retention in years.
pub const MAX_DEFAULT_RETENTION_YEARS: u32 = 100;

/// The default retention of new objects (`<DefaultRetention>`): a mode and exactly one of
/// `days` and `years`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct DefaultRetention {
    /// `GOVERNANCE` or `COMPLIANCE`.
    pub mode: String,
    /// Days each new object is kept (1 to 36500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Years each new object is kept (1 to 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<u32>,
}

impl DefaultRetention {
    /// A retention of `days` days in `mode`.
    pub fn days(mode: impl Into<String>, days: u32) -> Self {
        Self {
            mode: mode.into(),
            days: Some(days),
            years: None,
        }
    }

    /// A retention of `years` years in `mode`.
    pub fn years(mode: impl Into<String>, years: u32) -> Self {
        Self {
            mode: mode.into(),
            days: None,
            years: Some(years),
        }
    }
}

/// The rule of an object-level WORM configuration (`<Rule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObjectWormRule {
    /// The retention new objects get.
    #[serde(rename = "DefaultRetention")]
    pub default_retention: DefaultRetention,
}

/// A bucket's object-level WORM configuration (`<ObjectWormConfiguration>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObjectWormConfiguration {
    /// Always `Enabled`.
    #[serde(rename = "ObjectWormEnabled")]
    pub object_worm_enabled: String,
    /// The default retention of new objects, if any.
    #[serde(rename = "Rule", default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ObjectWormRule>,
}

impl Default for ObjectWormConfiguration {
    fn default() -> Self {
        Self {
            object_worm_enabled: "Enabled".to_owned(),
            rule: None,
        }
    }
}

impl ObjectWormConfiguration {
    /// Enabled, with `default_retention` for new objects.
    pub fn with_default_retention(default_retention: DefaultRetention) -> Self {
        Self {
            rule: Some(ObjectWormRule { default_retention }),
            ..Self::default()
        }
    }
}

/// `mode` is one of [`RETENTION_MODES`].
fn check_mode(mode: &str) -> Result<(), Error> {
    if RETENTION_MODES.contains(&mode) {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "the retention mode is GOVERNANCE or COMPLIANCE, not {mode:?}"
        )))
    }
}

/// `value`, when set, is in `1..=most`.
fn check_count(value: Option<u32>, name: &str, most: u32) -> Result<(), Error> {
    match value {
        Some(n) if !(1..=most).contains(&n) => Err(Error::invalid_argument(format!(
            "{name} is 1 to {most}, not {n}"
        ))),
        _ => Ok(()),
    }
}

impl BucketConfig for ObjectWormConfiguration {
    const SUBRESOURCE: &'static str = "objectWorm";
    const ROOT: &'static str = "ObjectWormConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if self.object_worm_enabled != "Enabled" {
            return Err(Error::invalid_argument(format!(
                "ObjectWormEnabled is Enabled, not {:?}",
                self.object_worm_enabled
            )));
        }
        let Some(rule) = &self.rule else {
            return Ok(());
        };
        let retention = &rule.default_retention;
        check_mode(&retention.mode)?;
        if retention.days.is_some() == retention.years.is_some() {
            return Err(Error::invalid_argument(
                "a default retention has exactly one of days and years",
            ));
        }
        check_count(retention.days, "days", MAX_DEFAULT_RETENTION_DAYS)?;
        check_count(retention.years, "years", MAX_DEFAULT_RETENTION_YEARS)
    }
}

/// PutBucketObjectWormConfiguration input.
pub type PutBucketObjectWormConfiguration = PutBucketConfig<ObjectWormConfiguration>;
/// GetBucketObjectWormConfiguration input.
pub type GetBucketObjectWormConfiguration = GetBucketConfig<ObjectWormConfiguration>;

/// An object version's retention (`<Retention>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ObjectRetention {
    /// `GOVERNANCE` or `COMPLIANCE`.
    pub mode: String,
    /// Until when the version is kept: ISO 8601 in UTC (`2030-01-01T00:00:00.000Z`).
    pub retain_until_date: String,
}

impl ObjectRetention {
    /// A retention in `mode` until `retain_until_date` (ISO 8601, UTC).
    pub fn new(mode: impl Into<String>, retain_until_date: impl Into<String>) -> Self {
        Self {
            mode: mode.into(),
            retain_until_date: retain_until_date.into(),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        check_mode(&self.mode)?;
        let rfc3339 = &time::format_description::well_known::Rfc3339;
        time::OffsetDateTime::parse(&self.retain_until_date, rfc3339).map_err(|_| {
            Error::invalid_argument(format!(
                "RetainUntilDate is an ISO 8601 date, not {:?}",
                self.retain_until_date
            ))
        })?;
        Ok(())
    }
}

/// An object version's legal hold (`<LegalHold>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LegalHold {
    /// `ON` or `OFF`.
    #[serde(rename = "Status")]
    pub status: String,
}

impl LegalHold {
    /// A legal hold `ON` (`true`) or `OFF`.
    pub fn new(on: bool) -> Self {
        Self {
            status: if on { "ON" } else { "OFF" }.to_owned(),
        }
    }
}

/// PutObjectRetention input.
#[derive(Debug, Clone, Default)]
pub struct PutObjectRetention {
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
    bypass_governance_retention: Option<bool>,
    retention: Option<ObjectRetention>,
}

impl PutObjectRetention {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// The version (default: the latest).
        version_id: String;
        /// `x-oss-bypass-governance-retention`: allows shortening or changing a
        /// `GOVERNANCE` retention.
        bypass_governance_retention: bool;
        /// The retention (required).
        retention: ObjectRetention;
    }
}

/// PutObjectLegalHold input.
#[derive(Debug, Clone, Default)]
pub struct PutObjectLegalHold {
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
    legal_hold: Option<LegalHold>,
}

impl PutObjectLegalHold {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// The version (default: the latest).
        version_id: String;
        /// The legal hold (required).
        legal_hold: LegalHold;
    }
}

/// GetObjectRetention and GetObjectLegalHold input.
#[derive(Debug, Clone, Default)]
pub struct ObjectWormInput {
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
}

impl ObjectWormInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// The version (default: the latest).
        version_id: String;
    }
}

/// GetObjectRetention input.
pub type GetObjectRetention = ObjectWormInput;
/// GetObjectLegalHold input.
pub type GetObjectLegalHold = ObjectWormInput;

/// `METHOD /bucket/key?<sub_resource>[&versionId=…]`.
fn object_request(
    method: Method,
    input: ObjectWormInput,
    sub_resource: &'static str,
) -> Result<OperationRequest, Error> {
    let mut op = OperationRequest::object(method, input.bucket, input.key)?;
    op.query.push_flag(sub_resource);
    if let Some(version_id) = input.version_id {
        op.query.push("versionId", version_id);
    }
    Ok(op)
}

impl Operation for PutObjectRetention {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let retention = self
            .retention
            .ok_or_else(|| Error::invalid_argument("the Retention document is required"))?;
        retention.validate()?;
        let target = ObjectWormInput {
            bucket: self.bucket,
            key: self.key,
            version_id: self.version_id,
        };
        let mut op = object_request(Method::PUT, target, "retention")?;
        if let Some(bypass) = self.bypass_governance_retention {
            let value = HeaderValue::from_static(if bypass { "true" } else { "false" });
            op.header("x-oss-bypass-governance-retention", value);
        }
        op.xml_body(to_xml("Retention", &retention)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Operation for PutObjectLegalHold {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let legal_hold = self
            .legal_hold
            .ok_or_else(|| Error::invalid_argument("the LegalHold document is required"))?;
        if !matches!(legal_hold.status.as_str(), "ON" | "OFF") {
            return Err(Error::invalid_argument(format!(
                "the legal hold is ON or OFF, not {:?}",
                legal_hold.status
            )));
        }
        let target = ObjectWormInput {
            bucket: self.bucket,
            key: self.key,
            version_id: self.version_id,
        };
        let mut op = object_request(Method::PUT, target, "legalHold")?;
        op.xml_body(to_xml("LegalHold", &legal_hold)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// GetObjectRetention (`Retention`) and GetObjectLegalHold (`LegalHold`).
struct Read<D> {
    input: ObjectWormInput,
    sub_resource: &'static str,
    document: std::marker::PhantomData<fn() -> D>,
}

impl<D: DeserializeOwned> Operation for Read<D> {
    type Output = ConfigOutput<D>;

    fn request(self) -> Result<OperationRequest, Error> {
        object_request(Method::GET, self.input, self.sub_resource)
    }

    fn output(answer: Answer) -> Result<ConfigOutput<D>, Error> {
        Ok(ConfigOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl<D> Read<D> {
    fn new(input: ObjectWormInput, sub_resource: &'static str) -> Self {
        Self {
            input,
            sub_resource,
            document: std::marker::PhantomData,
        }
    }
}

impl Client {
    /// PutBucketObjectWormConfiguration (`PUT /bucket?objectWorm`): enables object-level WORM
    /// (for good), with an optional default retention for new objects.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for a mode other than GOVERNANCE/COMPLIANCE, or
    /// not exactly one of days (1..=36500) and years (1..=100); service errors (versioning
    /// not enabled, a bucket retention policy…).
    pub async fn put_bucket_object_worm_configuration(
        &self,
        input: PutBucketObjectWormConfiguration,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketObjectWormConfiguration (`GET /bucket?objectWorm`).
    ///
    /// # Errors
    /// Input errors; service errors (404 while object-level WORM is off, `NoSuchBucket`).
    pub async fn get_bucket_object_worm_configuration(
        &self,
        input: GetBucketObjectWormConfiguration,
    ) -> Result<ConfigOutput<ObjectWormConfiguration>, Error> {
        self.execute(input).await
    }

    /// PutObjectRetention (`PUT /bucket/key?retention`): the retention of the latest
    /// version or of `version_id`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a retention, for an unknown mode or a
    /// date that is not ISO 8601; service errors (`AccessDenied` when shortening a
    /// COMPLIANCE retention or a GOVERNANCE one without bypass, `NoSuchKey`…).
    pub async fn put_object_retention(
        &self,
        input: PutObjectRetention,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetObjectRetention (`GET /bucket/key?retention`).
    ///
    /// # Errors
    /// Input errors; service errors (404 for a version without retention, `NoSuchKey`…).
    pub async fn get_object_retention(
        &self,
        input: GetObjectRetention,
    ) -> Result<ConfigOutput<ObjectRetention>, Error> {
        self.execute(Read::new(input, "retention")).await
    }

    /// PutObjectLegalHold (`PUT /bucket/key?legalHold`): `ON` or `OFF` for the latest
    /// version or for `version_id`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a legal hold or for a status other than
    /// ON/OFF; service errors (`NoSuchKey`…).
    pub async fn put_object_legal_hold(
        &self,
        input: PutObjectLegalHold,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetObjectLegalHold (`GET /bucket/key?legalHold`).
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchKey`…).
    pub async fn get_object_legal_hold(
        &self,
        input: GetObjectLegalHold,
    ) -> Result<ConfigOutput<LegalHold>, Error> {
        self.execute(Read::new(input, "legalHold")).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, assert_round_trip, body_text};

    #[test]
    fn the_configuration_uses_the_documented_xml() {
        assert_round_trip(
            ObjectWormConfiguration::with_default_retention(DefaultRetention::days(
                "COMPLIANCE",
                1,
            )),
            "<ObjectWormConfiguration><ObjectWormEnabled>Enabled</ObjectWormEnabled><Rule>\
             <DefaultRetention><Mode>COMPLIANCE</Mode><Days>1</Days></DefaultRetention>\
             </Rule></ObjectWormConfiguration>",
        );
        assert_round_trip(
            ObjectWormConfiguration::default(),
            "<ObjectWormConfiguration><ObjectWormEnabled>Enabled</ObjectWormEnabled>\
             </ObjectWormConfiguration>",
        );
    }

    #[test]
    fn refuses_configurations_oss_refuses() {
        let put = |c: ObjectWormConfiguration| {
            PutBucketObjectWormConfiguration::default()
                .bucket("examplebucket")
                .configuration(c)
                .request()
        };
        let both = DefaultRetention {
            mode: "GOVERNANCE".to_owned(),
            days: Some(1),
            years: Some(1),
        };
        for bad in [
            both,
            DefaultRetention::days("LOOSE", 1),
            DefaultRetention::days("GOVERNANCE", 36_501),
            DefaultRetention::years("GOVERNANCE", 0),
        ] {
            let c = ObjectWormConfiguration::with_default_retention(bad.clone());
            assert!(put(c).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn retention_and_legal_hold_have_the_documented_shapes() {
        let op = PutObjectRetention::default()
            .bucket("examplebucket")
            .key("a b.txt")
            .version_id("CAEQ+/==")
            .bypass_governance_retention(true)
            .retention(ObjectRetention::new(
                "GOVERNANCE",
                "2030-01-02T03:04:05.000Z",
            ))
            .request()
            .unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(
            op.query.to_query_string(),
            "retention&versionId=CAEQ%2B%2F%3D%3D"
        );
        assert_eq!(op.headers["x-oss-bypass-governance-retention"], "true");
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Retention><Mode>GOVERNANCE</Mode>\
             <RetainUntilDate>2030-01-02T03:04:05.000Z</RetainUntilDate></Retention>"
        );
        let op = PutObjectLegalHold::default()
            .bucket("examplebucket")
            .key("k")
            .legal_hold(LegalHold::new(true))
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "legalHold");
        assert!(body_text(&op).ends_with("<LegalHold><Status>ON</Status></LegalHold>"));
        let read = Read::<ObjectRetention>::new(
            GetObjectRetention::default()
                .bucket("examplebucket")
                .key("k"),
            "retention",
        );
        let op = read.request().unwrap();
        assert_eq!(
            (op.method, op.query.to_query_string()),
            (Method::GET, "retention".to_owned())
        );
    }

    #[test]
    fn reads_the_documented_answers() {
        let read = Read::<ObjectRetention>::output(answer(
            "<Retention><Mode>COMPLIANCE</Mode>\
             <RetainUntilDate>2025-11-10T16:00:00.000Z</RetainUntilDate></Retention>",
        ))
        .unwrap();
        assert_eq!(
            read.configuration,
            ObjectRetention::new("COMPLIANCE", "2025-11-10T16:00:00.000Z")
        );
        let read = Read::<LegalHold>::output(answer("<LegalHold><Status>OFF</Status></LegalHold>"))
            .unwrap();
        assert_eq!(read.configuration, LegalHold::new(false));
    }

    #[test]
    fn refuses_retentions_and_holds_oss_refuses() {
        let retention = |r: ObjectRetention| {
            PutObjectRetention::default()
                .bucket("examplebucket")
                .key("k")
                .retention(r)
                .request()
        };
        assert!(retention(ObjectRetention::new("GOVERNANCE", "tomorrow")).is_err());
        assert!(retention(ObjectRetention::new("SOFT", "2030-01-01T00:00:00Z")).is_err());
        let missing = PutObjectRetention::default()
            .bucket("examplebucket")
            .key("k");
        assert!(missing.request().is_err());
        let hold = PutObjectLegalHold::default()
            .bucket("examplebucket")
            .key("k")
            .legal_hold(LegalHold {
                status: "MAYBE".to_owned(),
            });
        assert!(hold.request().is_err());
    }
}
