//! The configuration (`?accessPointConfigForObjectProcess`) and policy
//! (`?accessPointPolicyForObjectProcess`, JSON) of an Object FC access point. OSS API
//! reference "PutAccessPointConfigForObjectProcess", "GetAccessPointConfigForObjectProcess",
//! "PutAccessPointPolicyForObjectProcess", "GetAccessPointPolicyForObjectProcess",
//! "DeleteAccessPointPolicyForObjectProcess".

use http::{HeaderValue, Method};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::EmptyOutput;
use crate::operation::bucket_policy::check_policy;
use crate::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use crate::operation::object_process_model::{ObjectProcessConfiguration, fc_access_point_request};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// The configuration sub-resource.
const CONFIG: &str = "accessPointConfigForObjectProcess";
/// The policy sub-resource.
const POLICY: &str = "accessPointPolicyForObjectProcess";

/// An FC access point's configuration: the body of PutAccessPointConfigForObjectProcess
/// (`<PutAccessPointConfigForObjectProcessConfiguration>`) and what
/// GetAccessPointConfigForObjectProcess answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AccessPointConfigForObjectProcess {
    /// Whether anonymous users may use the FC access point: `on` or `off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_anonymous_access_for_object_process: Option<String>,
    /// Whether public access through it is blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_access_block_configuration: Option<PublicAccessBlockConfiguration>,
    /// What Function Compute does with which operations (required on put).
    #[serde(default)]
    pub object_process_configuration: ObjectProcessConfiguration,
}

impl AccessPointConfigForObjectProcess {
    /// A configuration with this processing and nothing else.
    pub fn new(object_process_configuration: ObjectProcessConfiguration) -> Self {
        Self {
            allow_anonymous_access_for_object_process: None,
            public_access_block_configuration: None,
            object_process_configuration,
        }
    }
}

/// PutAccessPointConfigForObjectProcess input.
#[derive(Debug, Clone, Default)]
pub struct PutAccessPointConfigForObjectProcess {
    bucket: Option<String>,
    access_point_for_object_process_name: Option<String>,
    configuration: Option<AccessPointConfigForObjectProcess>,
}

impl PutAccessPointConfigForObjectProcess {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The FC access point's name (required).
        access_point_for_object_process_name: String;
        /// The configuration, which replaces the one in place (required).
        configuration: AccessPointConfigForObjectProcess;
    }
}

impl Operation for PutAccessPointConfigForObjectProcess {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = fc_access_point_request(
            Method::PUT,
            self.bucket,
            self.access_point_for_object_process_name,
            CONFIG,
        )?;
        let configuration = self.configuration.ok_or_else(|| {
            Error::invalid_argument(
                "the PutAccessPointConfigForObjectProcessConfiguration document is required",
            )
        })?;
        configuration.object_process_configuration.validate()?;
        op.xml_body(to_xml(
            "PutAccessPointConfigForObjectProcessConfiguration",
            &configuration,
        )?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// GetAccessPointConfigForObjectProcess, GetAccessPointPolicyForObjectProcess and
/// DeleteAccessPointPolicyForObjectProcess input.
#[derive(Debug, Clone, Default)]
pub struct FcAccessPointInput {
    bucket: Option<String>,
    access_point_for_object_process_name: Option<String>,
}

impl FcAccessPointInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The FC access point's name (required).
        access_point_for_object_process_name: String;
    }

    fn request(self, method: Method, subresource: &'static str) -> Result<OperationRequest, Error> {
        fc_access_point_request(
            method,
            self.bucket,
            self.access_point_for_object_process_name,
            subresource,
        )
    }
}

/// GetAccessPointConfigForObjectProcess input.
pub type GetAccessPointConfigForObjectProcess = FcAccessPointInput;
/// GetAccessPointPolicyForObjectProcess input.
pub type GetAccessPointPolicyForObjectProcess = FcAccessPointInput;
/// DeleteAccessPointPolicyForObjectProcess input.
pub type DeleteAccessPointPolicyForObjectProcess = FcAccessPointInput;

/// What GetAccessPointConfigForObjectProcess answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetAccessPointConfigForObjectProcessOutput {
    /// The configuration (`<GetAccessPointConfigForObjectProcessResult>`).
    pub configuration: AccessPointConfigForObjectProcess,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// PutAccessPointPolicyForObjectProcess input.
#[derive(Debug, Clone, Default)]
pub struct PutAccessPointPolicyForObjectProcess {
    bucket: Option<String>,
    access_point_for_object_process_name: Option<String>,
    policy: Option<String>,
}

impl PutAccessPointPolicyForObjectProcess {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The FC access point's name (required).
        access_point_for_object_process_name: String;
        /// The policy, JSON text (required; at most 16 KiB). Its resources name
        /// `acs:oss:<region>:<account>:accesspointforobjectprocess/<name>[/object/*]`.
        policy: String;
    }
}

impl Operation for PutAccessPointPolicyForObjectProcess {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = fc_access_point_request(
            Method::PUT,
            self.bucket,
            self.access_point_for_object_process_name,
            POLICY,
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

/// What GetAccessPointPolicyForObjectProcess answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetAccessPointPolicyForObjectProcessOutput {
    /// The policy, JSON text as OSS returned it.
    pub policy: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// The read of the configuration.
struct ReadConfig(FcAccessPointInput);
/// The read of the policy.
struct ReadPolicy(FcAccessPointInput);
/// The removal of the policy.
struct RemovePolicy(FcAccessPointInput);

impl Operation for ReadConfig {
    type Output = GetAccessPointConfigForObjectProcessOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        self.0.request(Method::GET, CONFIG)
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        Ok(GetAccessPointConfigForObjectProcessOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for ReadPolicy {
    type Output = GetAccessPointPolicyForObjectProcessOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        self.0.request(Method::GET, POLICY)
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        let policy = String::from_utf8(answer.body.to_vec())
            .map_err(|_| Error::invalid_response("the FC access point policy is not UTF-8"))?;
        Ok(GetAccessPointPolicyForObjectProcessOutput {
            policy,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for RemovePolicy {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        self.0.request(Method::DELETE, POLICY)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Client {
    /// PutAccessPointConfigForObjectProcess (`PUT /bucket?accessPointConfigForObjectProcess`,
    /// XML body with `Content-MD5`): replaces the FC access point's configuration.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without bucket, a valid name, the document or a
    /// transformation with a function; `NoSuchBucket`; 404
    /// `NoSuchAccessPointForObjectProcess`; `MalformedXML`.
    pub async fn put_access_point_config_for_object_process(
        &self,
        input: PutAccessPointConfigForObjectProcess,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetAccessPointConfigForObjectProcess (`GET /bucket?accessPointConfigForObjectProcess`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`; 404 `NoSuchAccessPointForObjectProcess`.
    pub async fn get_access_point_config_for_object_process(
        &self,
        input: GetAccessPointConfigForObjectProcess,
    ) -> Result<GetAccessPointConfigForObjectProcessOutput, Error> {
        self.execute(ReadConfig(input)).await
    }

    /// PutAccessPointPolicyForObjectProcess (`PUT /bucket?accessPointPolicyForObjectProcess`,
    /// JSON body).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a policy, for text that is no JSON
    /// object, or over 16 KiB; `NoSuchBucket`; 404 `NoSuchAccessPointForObjectProcess`;
    /// `InvalidPolicyDocument`.
    pub async fn put_access_point_policy_for_object_process(
        &self,
        input: PutAccessPointPolicyForObjectProcess,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetAccessPointPolicyForObjectProcess (`GET /bucket?accessPointPolicyForObjectProcess`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`; 404 `NoSuchAccessPointForObjectProcess`; 404
    /// `NoSuchAccessPointPolicyForObjectProcess` when no policy is set.
    pub async fn get_access_point_policy_for_object_process(
        &self,
        input: GetAccessPointPolicyForObjectProcess,
    ) -> Result<GetAccessPointPolicyForObjectProcessOutput, Error> {
        self.execute(ReadPolicy(input)).await
    }

    /// DeleteAccessPointPolicyForObjectProcess
    /// (`DELETE /bucket?accessPointPolicyForObjectProcess`), 204.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`; 404 `NoSuchAccessPointForObjectProcess`.
    pub async fn delete_access_point_policy_for_object_process(
        &self,
        input: DeleteAccessPointPolicyForObjectProcess,
    ) -> Result<EmptyOutput, Error> {
        self.execute(RemovePolicy(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::object_process_model::tests::sample_processing;
    use crate::operation::test_support::{answer, body_text};

    const POLICY_TEXT: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["237216263658410"],"Resource":["acs:oss:cn-qingdao:111933544165:accesspointforobjectprocess/fc-ap-01/object/*"]}]}"#;

    #[test]
    fn put_config_sends_the_documented_document() {
        let mut configuration = AccessPointConfigForObjectProcess::new(sample_processing());
        configuration.public_access_block_configuration =
            Some(PublicAccessBlockConfiguration::new(true));
        let op = PutAccessPointConfigForObjectProcess::default()
            .bucket("examplebucket")
            .access_point_for_object_process_name("fc-ap-01")
            .configuration(configuration.clone())
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), CONFIG);
        assert_eq!(
            op.headers["x-oss-access-point-for-object-process-name"],
            "fc-ap-01"
        );
        let xml = "<PutAccessPointConfigForObjectProcessConfiguration><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration><ObjectProcessConfiguration><TransformationConfigurations><TransformationConfiguration><Actions><Action>GetObject</Action></Actions><ContentTransformation><FunctionCompute><FunctionArn>acs:fc:cn-qingdao:111933544165:services/test-oss-fc.LATEST/functions/fc-01</FunctionArn><FunctionAssumeRoleArn>acs:ram::111933544165:role/aliyunfcdefaultrole</FunctionAssumeRoleArn></FunctionCompute></ContentTransformation></TransformationConfiguration></TransformationConfigurations><AllowedFeatures><AllowedFeature>GetObject-Range</AllowedFeature></AllowedFeatures></ObjectProcessConfiguration></PutAccessPointConfigForObjectProcessConfiguration>";
        assert_eq!(
            body_text(&op),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{xml}")
        );
        let read = ReadConfig::output(answer(xml)).unwrap();
        assert_eq!(read.configuration, configuration);
    }

    #[test]
    fn put_config_refuses_a_configuration_without_function() {
        let input = PutAccessPointConfigForObjectProcess::default()
            .bucket("examplebucket")
            .access_point_for_object_process_name("fc-ap-01")
            .configuration(AccessPointConfigForObjectProcess::default());
        assert!(input.request().is_err());
    }

    #[test]
    fn policy_is_sent_and_read_as_given() {
        let op = PutAccessPointPolicyForObjectProcess::default()
            .bucket("examplebucket")
            .access_point_for_object_process_name("fc-ap-01")
            .policy(POLICY_TEXT)
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), POLICY);
        assert_eq!(body_text(&op), POLICY_TEXT);
        let refused = PutAccessPointPolicyForObjectProcess::default()
            .bucket("examplebucket")
            .access_point_for_object_process_name("fc-ap-01")
            .policy("[1]");
        assert!(refused.request().is_err());
        assert_eq!(
            ReadPolicy::output(answer(POLICY_TEXT)).unwrap().policy,
            POLICY_TEXT
        );
        let delete = RemovePolicy(
            FcAccessPointInput::default()
                .bucket("examplebucket")
                .access_point_for_object_process_name("fc-ap-01"),
        )
        .request()
        .unwrap();
        assert_eq!(delete.method, Method::DELETE);
        assert_eq!(delete.query.to_query_string(), POLICY);
    }
}
