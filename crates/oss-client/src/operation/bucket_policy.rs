//! Bucket policies (`?policy`, a JSON document), OSS API reference "PutBucketPolicy",
//! "GetBucketPolicy", "DeleteBucketPolicy", "GetBucketPolicyStatus".

use http::{HeaderValue, Method};
use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{EmptyOutput, bucket_request};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::from_xml;

/// PutBucketPolicy input: the policy is sent as given (a JSON object, at most 16 KiB).
#[derive(Debug, Clone, Default)]
pub struct PutBucketPolicy {
    bucket: Option<String>,
    policy: Option<String>,
}

impl PutBucketPolicy {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The policy document, JSON text (required).
        policy: String;
    }
}

/// The most bytes a bucket policy may have.
pub const MAX_POLICY_BYTES: usize = 16 * 1024;

impl Operation for PutBucketPolicy {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = bucket_request(Method::PUT, self.bucket, "policy")?;
        let policy = crate::request::required(self.policy, "policy")?;
        check_policy(&policy)?;
        op.header("content-type", HeaderValue::from_static("application/json"));
        op.body = oss_http::Body::from(policy);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// Refuses a policy (bucket or access point) OSS would refuse: over [`MAX_POLICY_BYTES`], or
/// text that is no JSON object.
pub(crate) fn check_policy(policy: &str) -> Result<(), Error> {
    if policy.len() > MAX_POLICY_BYTES {
        return Err(Error::invalid_argument(format!(
            "a policy has at most {MAX_POLICY_BYTES} bytes, not {}",
            policy.len()
        )));
    }
    let parsed: serde_json::Value = serde_json::from_str(policy)
        .map_err(|e| Error::invalid_argument("the policy is not JSON").with_source(e))?;
    if !parsed.is_object() {
        return Err(Error::invalid_argument("the policy is a JSON object"));
    }
    Ok(())
}

/// GetBucketPolicy, DeleteBucketPolicy and GetBucketPolicyStatus input.
#[derive(Debug, Clone, Default)]
pub struct BucketPolicyInput {
    bucket: Option<String>,
}

impl BucketPolicyInput {
    setters! {
        /// The bucket (required).
        bucket: String;
    }
}

/// GetBucketPolicy input.
pub type GetBucketPolicy = BucketPolicyInput;
/// DeleteBucketPolicy input.
pub type DeleteBucketPolicy = BucketPolicyInput;
/// GetBucketPolicyStatus input.
pub type GetBucketPolicyStatus = BucketPolicyInput;

/// A bucket's policy as OSS returned it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetBucketPolicyOutput {
    /// The policy document, JSON text.
    pub policy: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl GetBucketPolicyOutput {
    /// The policy text of a 2xx answer (bucket or access point policy).
    pub(crate) fn from_answer(answer: Answer) -> Result<Self, Error> {
        let policy = String::from_utf8(answer.body.to_vec())
            .map_err(|_| Error::invalid_response("the policy is not UTF-8"))?;
        Ok(Self {
            policy,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// Whether a bucket's policy grants public access (`<PolicyStatus>`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetBucketPolicyStatusOutput {
    /// Whether the policy lets anonymous users in.
    pub is_public: bool,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// The `<PolicyStatus>` document.
#[derive(Deserialize)]
struct PolicyStatus {
    #[serde(rename = "IsPublic")]
    is_public: bool,
}

/// The read of the policy (as opposed to its status or removal).
struct ReadPolicy(BucketPolicyInput);
/// The removal of the policy.
struct RemovePolicy(BucketPolicyInput);
/// The read of the policy status.
struct ReadPolicyStatus(BucketPolicyInput);

impl Operation for ReadPolicy {
    type Output = GetBucketPolicyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::GET, self.0.bucket, "policy")
    }

    fn output(answer: Answer) -> Result<GetBucketPolicyOutput, Error> {
        GetBucketPolicyOutput::from_answer(answer)
    }
}

impl Operation for RemovePolicy {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::DELETE, self.0.bucket, "policy")
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Operation for ReadPolicyStatus {
    type Output = GetBucketPolicyStatusOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::GET, self.0.bucket, "policyStatus")
    }

    fn output(answer: Answer) -> Result<GetBucketPolicyStatusOutput, Error> {
        let status: PolicyStatus = from_xml(&answer.body)?;
        Ok(GetBucketPolicyStatusOutput {
            is_public: status.is_public,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Client {
    /// PutBucketPolicy (`PUT /bucket?policy`, JSON body).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a policy, for text that is no JSON
    /// object, or over 16 KiB; service errors (`InvalidPolicyDocument`).
    pub async fn put_bucket_policy(&self, input: PutBucketPolicy) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketPolicy (`GET /bucket?policy`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucketPolicy` (404) when none is set; `NoSuchBucket`.
    pub async fn get_bucket_policy(
        &self,
        input: GetBucketPolicy,
    ) -> Result<GetBucketPolicyOutput, Error> {
        self.execute(ReadPolicy(input)).await
    }

    /// DeleteBucketPolicy (`DELETE /bucket?policy`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_policy(
        &self,
        input: DeleteBucketPolicy,
    ) -> Result<EmptyOutput, Error> {
        self.execute(RemovePolicy(input)).await
    }

    /// GetBucketPolicyStatus (`GET /bucket?policyStatus`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_policy_status(
        &self,
        input: GetBucketPolicyStatus,
    ) -> Result<GetBucketPolicyStatusOutput, Error> {
        self.execute(ReadPolicyStatus(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:examplebucket/*"]}]}"#;

    #[test]
    fn put_sends_the_policy_as_given() {
        let op = PutBucketPolicy::default()
            .bucket("examplebucket")
            .policy(POLICY)
            .request()
            .unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(op.query.to_query_string(), "policy");
        assert_eq!(body_text(&op), POLICY);
    }

    #[test]
    fn refuses_text_that_is_no_json_object() {
        for policy in ["{not json", "[1]"] {
            let input = PutBucketPolicy::default()
                .bucket("examplebucket")
                .policy(policy);
            assert!(input.request().is_err(), "{policy}");
        }
        assert!(PutBucketPolicy::default().bucket("b1b").request().is_err());
    }

    #[test]
    fn reads_the_policy_and_its_status() {
        let policy = ReadPolicy::output(answer(POLICY)).unwrap();
        assert_eq!(policy.policy, POLICY);
        let status = ReadPolicyStatus::output(answer(
            "<PolicyStatus><IsPublic>true</IsPublic></PolicyStatus>",
        ))
        .unwrap();
        assert!(status.is_public);
        let op = ReadPolicyStatus(GetBucketPolicyStatus::default().bucket("examplebucket"))
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "policyStatus");
    }
}
