//! Bucket retention (WORM, `?worm`), OSS API reference "InitiateBucketWorm",
//! "AbortBucketWorm", "CompleteBucketWorm", "ExtendBucketWorm", "GetBucketWorm". A policy
//! is `InProgress` for 24 hours after initiation, until completed (then `Locked`: objects
//! cannot be deleted or overwritten for the retention period) or aborted.

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{ConfigOutput, EmptyOutput, bucket_request};
use crate::request::{OperationRequest, required};
use crate::response::header_string;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// The longest retention, in days (70 years).
pub const MAX_RETENTION_DAYS: u32 = 25_550;

/// InitiateBucketWorm, ExtendBucketWorm input.
#[derive(Debug, Clone, Default)]
pub struct BucketWormInput {
    bucket: Option<String>,
    worm_id: Option<String>,
    retention_period_in_days: Option<u32>,
}

impl BucketWormInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The policy's id (`x-oss-worm-id` of the initiation; required to complete or extend).
        worm_id: String;
        /// Days objects are kept (1 to 25550; required to initiate or extend).
        retention_period_in_days: u32;
    }
}

/// InitiateBucketWorm input: bucket and retention.
pub type InitiateBucketWorm = BucketWormInput;
/// ExtendBucketWorm input: bucket, WORM id and the longer retention.
pub type ExtendBucketWorm = BucketWormInput;
/// CompleteBucketWorm input: bucket and WORM id.
pub type CompleteBucketWorm = BucketWormInput;
/// AbortBucketWorm and GetBucketWorm input: the bucket.
pub type AbortBucketWorm = BucketWormInput;
/// GetBucketWorm input: the bucket.
pub type GetBucketWorm = BucketWormInput;

/// The answer of InitiateBucketWorm.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InitiateBucketWormOutput {
    /// The new policy's id (`x-oss-worm-id`).
    pub worm_id: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// A bucket's retention policy (`<WormConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct WormConfiguration {
    /// The policy's id.
    pub worm_id: String,
    /// `InProgress` or `Locked`.
    pub state: String,
    /// Days objects are kept.
    pub retention_period_in_days: u32,
    /// When the policy was created (ISO 8601, UTC).
    #[serde(default)]
    pub creation_date: String,
    /// When an `InProgress` policy lapses (ISO 8601, UTC).
    #[serde(default)]
    pub expiration_date: Option<String>,
}

/// The retention document of initiation and extension.
#[derive(Serialize)]
struct Retention {
    #[serde(rename = "RetentionPeriodInDays")]
    days: u32,
}

/// The retention, required and in range.
fn retention(days: Option<u32>) -> Result<Retention, Error> {
    match days {
        Some(days @ 1..=MAX_RETENTION_DAYS) => Ok(Retention { days }),
        Some(days) => Err(Error::invalid_argument(format!(
            "the retention period is 1 to {MAX_RETENTION_DAYS} days, not {days}"
        ))),
        None => Err(Error::invalid_argument(
            "retention_period_in_days is required",
        )),
    }
}

/// The WORM operations answered without a document, each a request shape on one input.
enum Worm {
    Initiate(BucketWormInput),
    Abort(BucketWormInput),
    Complete(BucketWormInput),
    Extend(BucketWormInput),
}

impl Operation for Worm {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        Ok(match self {
            Self::Initiate(input) => {
                let mut op = OperationRequest::bucket(Method::POST, input.bucket)?;
                op.query.push_flag("worm");
                let body = retention(input.retention_period_in_days)?;
                op.xml_body(to_xml("InitiateWormConfiguration", &body)?);
                op.idempotent = false;
                op
            }
            Self::Abort(input) => bucket_request(Method::DELETE, input.bucket, "worm")?,
            Self::Complete(input) => {
                let mut op = OperationRequest::bucket(Method::POST, input.bucket)?;
                op.query.push("wormId", required(input.worm_id, "worm_id")?);
                op
            }
            Self::Extend(input) => {
                let mut op = OperationRequest::bucket(Method::POST, input.bucket)?;
                let worm_id = required(input.worm_id, "worm_id")?;
                op.query.push_flag("wormExtend").push("wormId", worm_id);
                let body = retention(input.retention_period_in_days)?;
                op.xml_body(to_xml("ExtendWormConfiguration", &body)?);
                op
            }
        })
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// InitiateBucketWorm, whose answer carries the new id.
struct Initiate(BucketWormInput);

impl Operation for Initiate {
    type Output = InitiateBucketWormOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        Worm::Initiate(self.0).request()
    }

    fn output(answer: Answer) -> Result<InitiateBucketWormOutput, Error> {
        Ok(InitiateBucketWormOutput {
            worm_id: header_string(
                &answer.headers,
                &http::HeaderName::from_static("x-oss-worm-id"),
            ),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// GetBucketWorm.
struct Read(BucketWormInput);

impl Operation for Read {
    type Output = ConfigOutput<WormConfiguration>;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::GET, self.0.bucket, "worm")
    }

    fn output(answer: Answer) -> Result<ConfigOutput<WormConfiguration>, Error> {
        Ok(ConfigOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Client {
    /// InitiateBucketWorm (`POST /bucket?worm`): a policy `InProgress` for 24 hours.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a retention or outside 1..=25550 days;
    /// service errors (`InvalidWORMConfiguration` while a policy exists or with object-level
    /// WORM on the bucket…).
    pub async fn initiate_bucket_worm(
        &self,
        input: InitiateBucketWorm,
    ) -> Result<InitiateBucketWormOutput, Error> {
        self.execute(Initiate(input)).await
    }

    /// AbortBucketWorm (`DELETE /bucket?worm`): removes an `InProgress` policy.
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchWORMConfiguration`, `WORMConfigurationLocked`).
    pub async fn abort_bucket_worm(&self, input: AbortBucketWorm) -> Result<EmptyOutput, Error> {
        self.execute(Worm::Abort(input)).await
    }

    /// CompleteBucketWorm (`POST /bucket?wormId=…`): locks the policy.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a WORM id; service errors
    /// (`NoSuchWORMConfiguration` without a policy or after it lapsed, `InvalidWORMConfiguration`
    /// for another id).
    pub async fn complete_bucket_worm(
        &self,
        input: CompleteBucketWorm,
    ) -> Result<EmptyOutput, Error> {
        self.execute(Worm::Complete(input)).await
    }

    /// ExtendBucketWorm (`POST /bucket?wormExtend&wormId=…`): a longer retention of a locked
    /// policy.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a WORM id or retention; service errors
    /// (`InvalidWORMConfiguration` for an unlocked policy, another id or a retention that is
    /// not longer).
    pub async fn extend_bucket_worm(&self, input: ExtendBucketWorm) -> Result<EmptyOutput, Error> {
        self.execute(Worm::Extend(input)).await
    }

    /// GetBucketWorm (`GET /bucket?worm`).
    ///
    /// # Errors
    /// Input errors; `NoSuchWORMConfiguration` (404); `NoSuchBucket`.
    pub async fn get_bucket_worm(
        &self,
        input: GetBucketWorm,
    ) -> Result<ConfigOutput<WormConfiguration>, Error> {
        self.execute(Read(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn requests_have_the_documented_shapes() {
        let input = || BucketWormInput::default().bucket("examplebucket");
        let op = Initiate(input().retention_period_in_days(1u32))
            .request()
            .unwrap();
        assert_eq!(
            (op.method.as_str(), op.query.to_query_string().as_str()),
            ("POST", "worm")
        );
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateWormConfiguration>\
             <RetentionPeriodInDays>1</RetentionPeriodInDays></InitiateWormConfiguration>"
        );
        let op = Worm::Complete(input().worm_id("1666E2CFB2B3418****"))
            .request()
            .unwrap();
        assert_eq!(
            op.query.to_query_string(),
            "wormId=1666E2CFB2B3418%2A%2A%2A%2A"
        );
        let op = Worm::Extend(input().worm_id("w1").retention_period_in_days(2u32))
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "wormExtend&wormId=w1");
        assert!(body_text(&op).contains("<ExtendWormConfiguration><RetentionPeriodInDays>2<"));
    }

    #[test]
    fn refuses_missing_ids_and_retentions_out_of_range() {
        let input = || BucketWormInput::default().bucket("examplebucket");
        assert!(Initiate(input()).request().is_err());
        assert!(
            Initiate(input().retention_period_in_days(0u32))
                .request()
                .is_err()
        );
        assert!(
            Initiate(input().retention_period_in_days(25_551u32))
                .request()
                .is_err()
        );
        assert!(Worm::Complete(input()).request().is_err());
    }

    #[test]
    fn reads_the_documented_answer() {
        let xml = "<WormConfiguration><WormId>1666E2CFB2B3418****</WormId>\
                   <State>Locked</State><RetentionPeriodInDays>1</RetentionPeriodInDays>\
                   <CreationDate>2020-10-15T15:50:32</CreationDate>\
                   <ExpirationDate>2020-10-16T15:50:32</ExpirationDate></WormConfiguration>";
        let read = Read::output(answer(xml)).unwrap();
        let (worm, request_id) = (read.configuration, read.request_id);
        assert_eq!(worm.worm_id, "1666E2CFB2B3418****");
        assert_eq!(worm.state, "Locked");
        assert_eq!(worm.retention_period_in_days, 1);
        assert_eq!(worm.expiration_date.as_deref(), Some("2020-10-16T15:50:32"));
        assert_eq!(request_id, "534B371674E88A4D8906008B");
    }
}
