//! An access point's policy (`?accessPointPolicy`, a JSON document), OSS API reference
//! "PutAccessPointPolicy", "GetAccessPointPolicy", "DeleteAccessPointPolicy".

use http::{HeaderValue, Method};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::access_point::{AccessPointInput, access_point_request};
use crate::operation::bucket_config::EmptyOutput;
use crate::operation::bucket_policy::{GetBucketPolicyOutput, check_policy};
use crate::request::OperationRequest;
use crate::setters::setters;

/// PutAccessPointPolicy input: the policy is sent as given (a JSON object, at most 16 KiB).
#[derive(Debug, Clone, Default)]
pub struct PutAccessPointPolicy {
    bucket: Option<String>,
    access_point_name: Option<String>,
    policy: Option<String>,
}

impl PutAccessPointPolicy {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The access point (required), sent as `x-oss-access-point-name`.
        access_point_name: String;
        /// The policy document, JSON text (required).
        policy: String;
    }
}

/// GetAccessPointPolicy input.
pub type GetAccessPointPolicy = AccessPointInput;
/// DeleteAccessPointPolicy input.
pub type DeleteAccessPointPolicy = AccessPointInput;

/// An access point's policy as OSS returned it (`policy`: the JSON text).
pub type GetAccessPointPolicyOutput = GetBucketPolicyOutput;

impl Operation for PutAccessPointPolicy {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = access_point_request(
            Method::PUT,
            self.bucket,
            "accessPointPolicy",
            self.access_point_name,
        )?;
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

/// The read of the policy.
struct ReadPolicy(AccessPointInput);
/// The removal of the policy.
struct RemovePolicy(AccessPointInput);

impl Operation for ReadPolicy {
    type Output = GetAccessPointPolicyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        access_point_request(
            Method::GET,
            self.0.bucket,
            "accessPointPolicy",
            self.0.access_point_name,
        )
    }

    fn output(answer: Answer) -> Result<GetAccessPointPolicyOutput, Error> {
        GetBucketPolicyOutput::from_answer(answer)
    }
}

impl Operation for RemovePolicy {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        access_point_request(
            Method::DELETE,
            self.0.bucket,
            "accessPointPolicy",
            self.0.access_point_name,
        )
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Client {
    /// PutAccessPointPolicy (`PUT /bucket?accessPointPolicy`, JSON body).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without a bucket, access point
    /// or policy, for text that is no JSON object, or over [`crate::operation::bucket_policy::MAX_POLICY_BYTES`] (16 KiB);
    /// service errors (`InvalidPolicyDocument`, `NoSuchAccessPoint`).
    pub async fn put_access_point_policy(
        &self,
        input: PutAccessPointPolicy,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetAccessPointPolicy (`GET /bucket?accessPointPolicy`).
    ///
    /// # Errors
    /// Input errors; `NoSuchAccessPointPolicy` (404) when none is set; `NoSuchAccessPoint`.
    pub async fn get_access_point_policy(
        &self,
        input: GetAccessPointPolicy,
    ) -> Result<GetAccessPointPolicyOutput, Error> {
        self.execute(ReadPolicy(input)).await
    }

    /// DeleteAccessPointPolicy (`DELETE /bucket?accessPointPolicy`).
    ///
    /// # Errors
    /// Input errors; `NoSuchAccessPoint`.
    pub async fn delete_access_point_policy(
        &self,
        input: DeleteAccessPointPolicy,
    ) -> Result<EmptyOutput, Error> {
        self.execute(RemovePolicy(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::access_point::ACCESS_POINT_NAME;
    use crate::operation::test_support::{answer, body_text};

    const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["20214760404935xxxx"],"Resource":["acs:oss:cn-hangzhou:111933544165xxxx:accesspoint/ap-01/object/*"]}]}"#;

    #[test]
    fn put_sends_the_policy_as_given_to_the_named_access_point() {
        let op = PutAccessPointPolicy::default()
            .bucket("examplebucket")
            .access_point_name("ap-01")
            .policy(POLICY)
            .request()
            .unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(op.query.to_query_string(), "accessPointPolicy");
        assert_eq!(op.headers[ACCESS_POINT_NAME], "ap-01");
        assert_eq!(body_text(&op), POLICY);
        let read = ReadPolicy::output(answer(POLICY)).unwrap();
        assert_eq!(read.policy, POLICY);
    }

    #[test]
    fn refuses_a_missing_name_or_text_that_is_no_json_object() {
        let put = |name: Option<&str>, policy: &str| {
            let mut input = PutAccessPointPolicy::default()
                .bucket("examplebucket")
                .policy(policy);
            if let Some(name) = name {
                input = input.access_point_name(name);
            }
            input.request()
        };
        assert!(put(None, POLICY).is_err());
        assert!(put(Some("ap-01"), "[1]").is_err());
        assert!(put(Some("ap-01"), "{oops").is_err());
    }
}
