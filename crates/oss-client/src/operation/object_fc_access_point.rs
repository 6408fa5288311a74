//! Object FC access points (`?accessPointForObjectProcess`): an access point whose GetObject
//! answers are produced by a Function Compute function. OSS API reference
//! "CreateAccessPointForObjectProcess", "GetAccessPointForObjectProcess",
//! "DeleteAccessPointForObjectProcess", "ListAccessPointsForObjectProcess". The documents they
//! share are in [`super::object_process_model`]; their configuration and policy in
//! [`super::object_fc_access_point_config`].

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::EmptyOutput;
use crate::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use crate::operation::object_process_model::{ObjectProcessConfiguration, fc_access_point_request};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// The sub-resource of the access point itself.
const SUBRESOURCE: &str = "accessPointForObjectProcess";

/// The body of CreateAccessPointForObjectProcess
/// (`<CreateAccessPointForObjectProcessConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct CreateAccessPointForObjectProcessConfiguration {
    /// Whether anonymous users may use the access point: `on` or `off` (OSS default `off`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_anonymous_access_for_object_process: Option<String>,
    /// The (ordinary) access point of the bucket that the FC access point is built on
    /// (required).
    pub access_point_name: String,
    /// What Function Compute does with which operations (required).
    pub object_process_configuration: ObjectProcessConfiguration,
}

impl CreateAccessPointForObjectProcessConfiguration {
    /// A document on access point `access_point_name` with this processing.
    pub fn new(
        access_point_name: impl Into<String>,
        object_process_configuration: ObjectProcessConfiguration,
    ) -> Self {
        Self {
            allow_anonymous_access_for_object_process: None,
            access_point_name: access_point_name.into(),
            object_process_configuration,
        }
    }
}

/// CreateAccessPointForObjectProcess input.
#[derive(Debug, Clone, Default)]
pub struct CreateAccessPointForObjectProcess {
    bucket: Option<String>,
    access_point_for_object_process_name: Option<String>,
    configuration: Option<CreateAccessPointForObjectProcessConfiguration>,
}

impl CreateAccessPointForObjectProcess {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The FC access point's name (required): 1 to 63 lower-case letters, digits and
        /// hyphens, no hyphen first or last; unique in the account and region.
        access_point_for_object_process_name: String;
        /// The document (required).
        configuration: CreateAccessPointForObjectProcessConfiguration;
    }
}

/// What CreateAccessPointForObjectProcess answers (`<CreateAccessPointForObjectProcessResult>`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreateAccessPointForObjectProcessOutput {
    /// The ARN (`acs:oss:<region>:<account>:accesspointforobjectprocess/<name>`).
    pub access_point_for_object_process_arn: String,
    /// The alias (`<name>-<hash>-opapalias`), usable where a bucket name is.
    pub access_point_for_object_process_alias: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateResult {
    #[serde(default)]
    access_point_for_object_process_arn: String,
    #[serde(default)]
    access_point_for_object_process_alias: String,
}

impl Operation for CreateAccessPointForObjectProcess {
    type Output = CreateAccessPointForObjectProcessOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = fc_access_point_request(
            Method::PUT,
            self.bucket,
            self.access_point_for_object_process_name,
            SUBRESOURCE,
        )?;
        let configuration = self.configuration.ok_or_else(|| {
            Error::invalid_argument(
                "the CreateAccessPointForObjectProcessConfiguration document is required",
            )
        })?;
        if configuration.access_point_name.is_empty() {
            return Err(Error::invalid_argument("AccessPointName is required"));
        }
        configuration.object_process_configuration.validate()?;
        op.xml_body(to_xml(
            "CreateAccessPointForObjectProcessConfiguration",
            &configuration,
        )?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        let result: CreateResult = from_xml(&answer.body)?;
        Ok(CreateAccessPointForObjectProcessOutput {
            access_point_for_object_process_arn: result.access_point_for_object_process_arn,
            access_point_for_object_process_alias: result.access_point_for_object_process_alias,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// GetAccessPointForObjectProcess and DeleteAccessPointForObjectProcess input.
#[derive(Debug, Clone, Default)]
pub struct AccessPointForObjectProcessInput {
    bucket: Option<String>,
    access_point_for_object_process_name: Option<String>,
}

impl AccessPointForObjectProcessInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The FC access point's name (required).
        access_point_for_object_process_name: String;
    }
}

/// GetAccessPointForObjectProcess input.
pub type GetAccessPointForObjectProcess = AccessPointForObjectProcessInput;
/// DeleteAccessPointForObjectProcess input.
pub type DeleteAccessPointForObjectProcess = AccessPointForObjectProcessInput;

/// Where an FC access point is reached (`<Endpoints>`): host names, no scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AccessPointEndpoints {
    /// From the internet (`<name>-<account>.oss-<region>.oss-object-process.aliyuncs.com`).
    #[serde(default)]
    pub public_endpoint: String,
    /// From the region's internal network.
    #[serde(default)]
    pub internal_endpoint: String,
}

/// One FC access point as GetAccessPointForObjectProcess describes it
/// (`<GetAccessPointForObjectProcessResult>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AccessPointForObjectProcessInfo {
    /// The FC access point's name.
    #[serde(default)]
    pub access_point_name_for_object_process: String,
    /// Its alias (`<name>-<hash>-opapalias`).
    #[serde(default)]
    pub access_point_for_object_process_alias: String,
    /// The access point it is built on.
    #[serde(default)]
    pub access_point_name: String,
    /// The owning account's UID.
    #[serde(default)]
    pub account_id: String,
    /// Its ARN.
    #[serde(default)]
    pub access_point_for_object_process_arn: String,
    /// When it was created: seconds since the Unix epoch (UTC), as OSS writes it.
    #[serde(default)]
    pub creation_date: String,
    /// `enable`, `disable`, `creating` or `deleting`.
    #[serde(default)]
    pub status: String,
    /// Its endpoints.
    #[serde(default)]
    pub endpoints: AccessPointEndpoints,
    /// `on` or `off`, when OSS says.
    #[serde(default)]
    pub allow_anonymous_access_for_object_process: Option<String>,
    /// Its block-public-access setting, when OSS says.
    #[serde(default)]
    pub public_access_block_configuration: Option<PublicAccessBlockConfiguration>,
}

/// What GetAccessPointForObjectProcess answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetAccessPointForObjectProcessOutput {
    /// The FC access point.
    pub access_point: AccessPointForObjectProcessInfo,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// The read of an FC access point (as opposed to its removal).
struct ReadAccessPoint(AccessPointForObjectProcessInput);
/// The removal of an FC access point.
struct RemoveAccessPoint(AccessPointForObjectProcessInput);

impl Operation for ReadAccessPoint {
    type Output = GetAccessPointForObjectProcessOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        fc_access_point_request(
            Method::GET,
            self.0.bucket,
            self.0.access_point_for_object_process_name,
            SUBRESOURCE,
        )
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        Ok(GetAccessPointForObjectProcessOutput {
            access_point: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for RemoveAccessPoint {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        fc_access_point_request(
            Method::DELETE,
            self.0.bucket,
            self.0.access_point_for_object_process_name,
            SUBRESOURCE,
        )
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// ListAccessPointsForObjectProcess input: every FC access point of the account, by name.
#[derive(Debug, Clone, Default)]
pub struct ListAccessPointsForObjectProcess {
    max_keys: Option<u32>,
    continuation_token: Option<String>,
}

impl ListAccessPointsForObjectProcess {
    setters! {
        /// At most this many FC access points per page (1..=1000).
        max_keys: u32;
        /// Where the page starts: the `NextContinuationToken` of the page before.
        continuation_token: String;
    }
}

/// One FC access point of a listing (`<AccessPointForObjectProcess>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AccessPointForObjectProcessSummary {
    /// The FC access point's name.
    #[serde(default)]
    pub access_point_name_for_object_process: String,
    /// Its alias.
    #[serde(default)]
    pub access_point_for_object_process_alias: String,
    /// The access point it is built on.
    #[serde(default)]
    pub access_point_name: String,
    /// `enable`, `disable`, `creating` or `deleting`.
    #[serde(default)]
    pub status: String,
    /// `on` or `off`, when OSS says.
    #[serde(default)]
    pub allow_anonymous_access_for_object_process: Option<String>,
}

/// What ListAccessPointsForObjectProcess answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListAccessPointsForObjectProcessOutput {
    /// The FC access points of this page, in name order.
    pub access_points: Vec<AccessPointForObjectProcessSummary>,
    /// Whether more follow.
    pub is_truncated: bool,
    /// Where the next page starts.
    pub next_continuation_token: Option<String>,
    /// The owning account's UID.
    pub account_id: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListResult {
    #[serde(default)]
    is_truncated: bool,
    next_continuation_token: Option<String>,
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    access_points_for_object_process: AccessPointList,
}

#[derive(Deserialize, Default)]
struct AccessPointList {
    #[serde(rename = "AccessPointForObjectProcess", default)]
    items: Vec<AccessPointForObjectProcessSummary>,
}

impl Operation for ListAccessPointsForObjectProcess {
    type Output = ListAccessPointsForObjectProcessOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::new(Method::GET, None, None);
        op.query.push_flag(SUBRESOURCE);
        op.push_page_size("max-keys", self.max_keys)?;
        op.push_optional([("continuation-token", self.continuation_token)]);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        let result: ListResult = from_xml(&answer.body)?;
        Ok(ListAccessPointsForObjectProcessOutput {
            access_points: result.access_points_for_object_process.items,
            is_truncated: result.is_truncated,
            next_continuation_token: result.next_continuation_token.filter(|t| !t.is_empty()),
            account_id: result.account_id,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// The pages of a ListAccessPointsForObjectProcess.
#[derive(Debug, Clone)]
struct Pages {
    client: Client,
    input: ListAccessPointsForObjectProcess,
}

impl PagedListing for Pages {
    type Page = ListAccessPointsForObjectProcessOutput;
    const OPERATION: &'static str = "ListAccessPointsForObjectProcess";

    fn start(&self) -> Option<Token> {
        self.input.continuation_token.clone().map(|t| (t, None))
    }

    fn continue_from(&mut self, (token, _): Token) {
        self.input.continuation_token = Some(token);
    }

    fn next(page: &Self::Page) -> Next {
        Next::after(
            page.is_truncated,
            "NextContinuationToken",
            page.next_continuation_token.as_deref(),
            None,
        )
    }

    async fn fetch_page(self) -> Result<Self::Page, Error> {
        self.client.execute(self.input).await
    }
}

impl Client {
    /// CreateAccessPointForObjectProcess (`PUT /bucket?accessPointForObjectProcess`, the name
    /// in `x-oss-access-point-for-object-process-name`, XML body with `Content-MD5`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without bucket, a valid name, the document, its
    /// access point name or a transformation with a function; service errors (`NoSuchBucket`,
    /// `MalformedXML`, `InvalidArgument`, 409 when the name is taken).
    pub async fn create_access_point_for_object_process(
        &self,
        input: CreateAccessPointForObjectProcess,
    ) -> Result<CreateAccessPointForObjectProcessOutput, Error> {
        self.execute(input).await
    }

    /// GetAccessPointForObjectProcess (`GET /bucket?accessPointForObjectProcess`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`; 404 `NoSuchAccessPointForObjectProcess`.
    pub async fn get_access_point_for_object_process(
        &self,
        input: GetAccessPointForObjectProcess,
    ) -> Result<GetAccessPointForObjectProcessOutput, Error> {
        self.execute(ReadAccessPoint(input)).await
    }

    /// DeleteAccessPointForObjectProcess (`DELETE /bucket?accessPointForObjectProcess`),
    /// 204; its policy goes with it.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`; 404 `NoSuchAccessPointForObjectProcess`.
    pub async fn delete_access_point_for_object_process(
        &self,
        input: DeleteAccessPointForObjectProcess,
    ) -> Result<EmptyOutput, Error> {
        self.execute(RemoveAccessPoint(input)).await
    }

    /// ListAccessPointsForObjectProcess (`GET /?accessPointForObjectProcess`): one page of
    /// the account's FC access points.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for max-keys outside 1..=1000; service errors.
    pub async fn list_access_points_for_object_process(
        &self,
        input: ListAccessPointsForObjectProcess,
    ) -> Result<ListAccessPointsForObjectProcessOutput, Error> {
        self.execute(input).await
    }

    /// Every page of ListAccessPointsForObjectProcess, each starting at the
    /// `NextContinuationToken` of the one before, until a page is not truncated (the rules
    /// of [`Paginator`]: a token is never guessed, a repeated one stops the stream with
    /// [`crate::ErrorKind::InvalidResponse`]).
    pub fn list_access_points_for_object_process_paginator(
        &self,
        input: ListAccessPointsForObjectProcess,
    ) -> Paginator<ListAccessPointsForObjectProcessOutput> {
        paginate(Pages {
            client: self.clone(),
            input,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::object_process_model::tests::sample_processing;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn create_sends_the_documented_document_and_header() {
        let op = CreateAccessPointForObjectProcess::default()
            .bucket("examplebucket")
            .access_point_for_object_process_name("fc-ap-01")
            .configuration(CreateAccessPointForObjectProcessConfiguration::new(
                "ap-01",
                sample_processing(),
            ))
            .request()
            .unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(op.query.to_query_string(), "accessPointForObjectProcess");
        assert_eq!(
            op.headers["x-oss-access-point-for-object-process-name"],
            "fc-ap-01"
        );
        assert!(op.headers.contains_key("content-md5"));
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CreateAccessPointForObjectProcessConfiguration><AccessPointName>ap-01</AccessPointName><ObjectProcessConfiguration><TransformationConfigurations><TransformationConfiguration><Actions><Action>GetObject</Action></Actions><ContentTransformation><FunctionCompute><FunctionArn>acs:fc:cn-qingdao:111933544165:services/test-oss-fc.LATEST/functions/fc-01</FunctionArn><FunctionAssumeRoleArn>acs:ram::111933544165:role/aliyunfcdefaultrole</FunctionAssumeRoleArn></FunctionCompute></ContentTransformation></TransformationConfiguration></TransformationConfigurations><AllowedFeatures><AllowedFeature>GetObject-Range</AllowedFeature></AllowedFeatures></ObjectProcessConfiguration></CreateAccessPointForObjectProcessConfiguration>"
        );
    }

    #[test]
    fn create_refuses_missing_or_invalid_input() {
        let valid = || {
            CreateAccessPointForObjectProcess::default()
                .bucket("examplebucket")
                .access_point_for_object_process_name("fc-ap-01")
                .configuration(CreateAccessPointForObjectProcessConfiguration::new(
                    "ap-01",
                    sample_processing(),
                ))
        };
        assert!(valid().request().is_ok());
        for name in ["", "-fc", "fc-", "FC-ap", "fc_ap", &"a".repeat(64)] {
            let input = valid().access_point_for_object_process_name(name);
            assert!(input.request().is_err(), "{name:?}");
        }
        let no_ap = valid().configuration(CreateAccessPointForObjectProcessConfiguration::new(
            "",
            sample_processing(),
        ));
        assert!(no_ap.request().is_err());
        let no_function =
            valid().configuration(CreateAccessPointForObjectProcessConfiguration::new(
                "ap-01",
                ObjectProcessConfiguration::default(),
            ));
        assert!(no_function.request().is_err());
    }

    #[test]
    fn reads_the_documented_answers() {
        let created = CreateAccessPointForObjectProcess::output(answer(
            "<CreateAccessPointForObjectProcessResult><AccessPointForObjectProcessArn>acs:oss:cn-qingdao:119335441657143:accesspointforobjectprocess/fc-ap-01</AccessPointForObjectProcessArn><AccessPointForObjectProcessAlias>fc-ap-01-3b00521f653d2b3223680ec39dbbe2-opapalias</AccessPointForObjectProcessAlias></CreateAccessPointForObjectProcessResult>",
        ))
        .unwrap();
        assert_eq!(
            created.access_point_for_object_process_alias,
            "fc-ap-01-3b00521f653d2b3223680ec39dbbe2-opapalias"
        );
        let got = ReadAccessPoint::output(answer(
            "<GetAccessPointForObjectProcessResult><AccessPointNameForObjectProcess>fc-ap-01</AccessPointNameForObjectProcess><AccessPointName>ap-01</AccessPointName><AccountId>1119335441657143</AccountId><CreationDate>1626769503</CreationDate><Status>enable</Status><Endpoints><PublicEndpoint>fc-ap-01-1119335441657143.oss-cn-qingdao.oss-object-process.aliyuncs.com</PublicEndpoint><InternalEndpoint>fc-ap-01-1119335441657143.oss-cn-qingdao-internal.oss-object-process.aliyuncs.com</InternalEndpoint></Endpoints><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration></GetAccessPointForObjectProcessResult>",
        ))
        .unwrap()
        .access_point;
        assert_eq!(got.access_point_name_for_object_process, "fc-ap-01");
        assert_eq!(got.creation_date, "1626769503");
        assert_eq!(got.status, "enable");
        assert_eq!(
            got.endpoints.internal_endpoint,
            "fc-ap-01-1119335441657143.oss-cn-qingdao-internal.oss-object-process.aliyuncs.com"
        );
        assert_eq!(
            got.public_access_block_configuration,
            Some(PublicAccessBlockConfiguration::new(true))
        );
    }

    #[test]
    fn lists_with_the_documented_query_and_answer() {
        let op = ListAccessPointsForObjectProcess::default()
            .max_keys(10u32)
            .continuation_token("token")
            .request()
            .unwrap();
        assert_eq!(op.bucket, None);
        assert_eq!(
            op.query.to_query_string(),
            "accessPointForObjectProcess&max-keys=10&continuation-token=token"
        );
        assert!(
            ListAccessPointsForObjectProcess::default()
                .max_keys(0u32)
                .request()
                .is_err()
        );
        let page = ListAccessPointsForObjectProcess::output(answer(
            "<ListAccessPointsForObjectProcessResult><IsTruncated>true</IsTruncated><NextContinuationToken>abc</NextContinuationToken><AccountId>111933544165</AccountId><AccessPointsForObjectProcess><AccessPointForObjectProcess><AccessPointNameForObjectProcess>fc-ap-01</AccessPointNameForObjectProcess><AccessPointForObjectProcessAlias>fc-ap-01-x-opapalias</AccessPointForObjectProcessAlias><AccessPointName>fc-01</AccessPointName><Status>enable</Status></AccessPointForObjectProcess></AccessPointsForObjectProcess></ListAccessPointsForObjectProcessResult>",
        ))
        .unwrap();
        assert!(page.is_truncated);
        assert_eq!(page.next_continuation_token.as_deref(), Some("abc"));
        assert_eq!(page.access_points.len(), 1);
        assert_eq!(page.access_points[0].access_point_name, "fc-01");
        assert!(matches!(Pages::next(&page), Next::From((t, None)) if t == "abc"));
    }
}
