//! Access points (`?accessPoint`), OSS API reference "CreateAccessPoint", "GetAccessPoint",
//! "DeleteAccessPoint" (the listing: [`crate::operation::access_point_list`]). An access
//! point is named by the `x-oss-access-point-name` header on the bucket it serves.

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{EmptyOutput, bucket_request};
use crate::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use crate::request::{OperationRequest, required};
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// The header naming the access point of a request.
pub(crate) const ACCESS_POINT_NAME: &str = "x-oss-access-point-name";

/// A bucket request on `sub_resource` naming access point `name` (required) in the
/// `x-oss-access-point-name` header.
pub(crate) fn access_point_request(
    method: Method,
    bucket: Option<String>,
    sub_resource: &'static str,
    name: Option<String>,
) -> Result<OperationRequest, Error> {
    let mut op = bucket_request(method, bucket, sub_resource)?;
    let name = required(name, "access_point_name")?;
    op.dynamic_header(ACCESS_POINT_NAME, &name)?;
    Ok(op)
}

/// The VPC an access point admits (`<VpcConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccessPointVpcConfiguration {
    /// The VPC id (`vpc-…`).
    #[serde(rename = "VpcId", default)]
    pub vpc_id: String,
}

/// What CreateAccessPoint creates (`<CreateAccessPointConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreateAccessPointConfiguration {
    /// The name: 3 to 19 characters, lower-case letters, digits and `-` (neither first nor
    /// last), not ending in `-ossalias`; unique in the account's region.
    #[serde(rename = "AccessPointName")]
    pub access_point_name: String,
    /// `vpc` (only the VPC of `vpc_configuration`) or `internet` (public and internal
    /// endpoints).
    #[serde(rename = "NetworkOrigin")]
    pub network_origin: String,
    /// The VPC, with `vpc` only.
    #[serde(rename = "VpcConfiguration", skip_serializing_if = "Option::is_none")]
    pub vpc_configuration: Option<AccessPointVpcConfiguration>,
}

impl CreateAccessPointConfiguration {
    /// An access point reachable from the internet.
    pub fn internet(name: impl Into<String>) -> Self {
        Self {
            access_point_name: name.into(),
            network_origin: "internet".to_owned(),
            vpc_configuration: None,
        }
    }

    /// An access point reachable from one VPC.
    pub fn vpc(name: impl Into<String>, vpc_id: impl Into<String>) -> Self {
        Self {
            access_point_name: name.into(),
            network_origin: "vpc".to_owned(),
            vpc_configuration: Some(AccessPointVpcConfiguration {
                vpc_id: vpc_id.into(),
            }),
        }
    }

    /// OSS's rules, checked before any I/O.
    fn validate(&self) -> Result<(), Error> {
        let name = &self.access_point_name;
        let valid = (3..=19).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !name.starts_with('-')
            && !name.ends_with('-')
            && !name.ends_with("-ossalias");
        if !valid {
            return Err(Error::invalid_argument(format!(
                "an access point name has 3 to 19 lower-case letters, digits and inner \
                 hyphens and does not end in -ossalias, not {name:?}"
            )));
        }
        let vpc_id = self.vpc_configuration.as_ref().map(|v| v.vpc_id.as_str());
        match (self.network_origin.as_str(), vpc_id) {
            ("vpc", Some(id)) if !id.is_empty() => Ok(()),
            ("internet", None) => Ok(()),
            ("vpc", _) => Err(Error::invalid_argument(
                "a vpc access point needs a VPC configuration with a VpcId",
            )),
            ("internet", Some(_)) => Err(Error::invalid_argument(
                "an internet access point takes no VPC configuration",
            )),
            (other, _) => Err(Error::invalid_argument(format!(
                "NetworkOrigin is vpc or internet, not {other:?}"
            ))),
        }
    }
}

/// CreateAccessPoint input.
#[derive(Debug, Clone, Default)]
pub struct CreateAccessPoint {
    bucket: Option<String>,
    configuration: Option<CreateAccessPointConfiguration>,
}

impl CreateAccessPoint {
    setters! {
        /// The bucket the access point serves (required).
        bucket: String;
        /// The access point (required).
        configuration: CreateAccessPointConfiguration;
    }
}

/// What CreateAccessPoint answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreateAccessPointOutput {
    /// The ARN (`acs:oss:<region>:<account id>:accesspoint/<name>`).
    pub access_point_arn: String,
    /// The alias (`<name>-<suffix>-ossalias`), usable where a bucket name is.
    pub alias: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

#[derive(Deserialize)]
struct CreateAccessPointResult {
    #[serde(rename = "AccessPointArn", default)]
    access_point_arn: String,
    #[serde(rename = "Alias", default)]
    alias: String,
}

impl Operation for CreateAccessPoint {
    type Output = CreateAccessPointOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = bucket_request(Method::PUT, self.bucket, "accessPoint")?;
        let configuration = self.configuration.ok_or_else(|| {
            Error::invalid_argument("the CreateAccessPointConfiguration is required")
        })?;
        configuration.validate()?;
        op.xml_body(to_xml("CreateAccessPointConfiguration", &configuration)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<CreateAccessPointOutput, Error> {
        let result: CreateAccessPointResult = from_xml(&answer.body)?;
        Ok(CreateAccessPointOutput {
            access_point_arn: result.access_point_arn,
            alias: result.alias,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// GetAccessPoint and DeleteAccessPoint input.
#[derive(Debug, Clone, Default)]
pub struct AccessPointInput {
    pub(crate) bucket: Option<String>,
    pub(crate) access_point_name: Option<String>,
}

impl AccessPointInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The access point (required), sent as `x-oss-access-point-name`.
        access_point_name: String;
    }
}

/// GetAccessPoint input.
pub type GetAccessPoint = AccessPointInput;
/// DeleteAccessPoint input.
pub type DeleteAccessPoint = AccessPointInput;

/// The endpoints of an access point (`<Endpoints>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AccessPointEndpoints {
    /// The public endpoint host.
    #[serde(rename = "PublicEndpoint", default)]
    pub public_endpoint: String,
    /// The internal (VPC) endpoint host.
    #[serde(rename = "InternalEndpoint", default)]
    pub internal_endpoint: String,
}

/// An access point as GetAccessPoint answers it (`<GetAccessPointResult>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AccessPointInfo {
    /// The name.
    #[serde(rename = "AccessPointName", default)]
    pub access_point_name: String,
    /// The bucket it serves.
    #[serde(rename = "Bucket", default)]
    pub bucket: String,
    /// The account id that owns it.
    #[serde(rename = "AccountId", default)]
    pub account_id: String,
    /// `vpc` or `internet`.
    #[serde(rename = "NetworkOrigin", default)]
    pub network_origin: String,
    /// The VPC, for `vpc`.
    #[serde(rename = "VpcConfiguration", default)]
    pub vpc_configuration: Option<AccessPointVpcConfiguration>,
    /// The ARN.
    #[serde(rename = "AccessPointArn", default)]
    pub access_point_arn: String,
    /// When it was created, as OSS writes it (Unix seconds, as text).
    #[serde(rename = "CreationDate", default)]
    pub creation_date: String,
    /// The alias.
    #[serde(rename = "Alias", default)]
    pub alias: String,
    /// `enable`, `disable`, `creating` or `deleting`.
    #[serde(rename = "Status", default)]
    pub status: String,
    /// Its endpoints.
    #[serde(rename = "Endpoints", default)]
    pub endpoints: Option<AccessPointEndpoints>,
    /// Its public access block.
    #[serde(rename = "PublicAccessBlockConfiguration", default)]
    pub public_access_block_configuration: Option<PublicAccessBlockConfiguration>,
}

/// What GetAccessPoint answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetAccessPointOutput {
    /// The access point.
    pub access_point: AccessPointInfo,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// The read of an access point (as opposed to its removal).
struct ReadAccessPoint(AccessPointInput);
/// The removal of an access point.
struct RemoveAccessPoint(AccessPointInput);

impl Operation for ReadAccessPoint {
    type Output = GetAccessPointOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        access_point_request(
            Method::GET,
            self.0.bucket,
            "accessPoint",
            self.0.access_point_name,
        )
    }

    fn output(answer: Answer) -> Result<GetAccessPointOutput, Error> {
        Ok(GetAccessPointOutput {
            access_point: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for RemoveAccessPoint {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        access_point_request(
            Method::DELETE,
            self.0.bucket,
            "accessPoint",
            self.0.access_point_name,
        )
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}
impl Client {
    /// CreateAccessPoint (`PUT /bucket?accessPoint`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without a bucket or
    /// configuration, for a name OSS refuses, or a network origin that does not match the
    /// VPC configuration; service errors (`AccessPointAlreadyExists` 409 when the account
    /// has one by that name, `NoSuchBucket`).
    pub async fn create_access_point(
        &self,
        input: CreateAccessPoint,
    ) -> Result<CreateAccessPointOutput, Error> {
        self.execute(input).await
    }

    /// GetAccessPoint (`GET /bucket?accessPoint`, `x-oss-access-point-name`).
    ///
    /// # Errors
    /// Input errors; `NoSuchAccessPoint` (404); `NoSuchBucket`.
    pub async fn get_access_point(
        &self,
        input: GetAccessPoint,
    ) -> Result<GetAccessPointOutput, Error> {
        self.execute(ReadAccessPoint(input)).await
    }

    /// DeleteAccessPoint (`DELETE /bucket?accessPoint`, `x-oss-access-point-name`).
    ///
    /// # Errors
    /// Input errors; `NoSuchAccessPoint` (404); `NoSuchBucket`.
    pub async fn delete_access_point(
        &self,
        input: DeleteAccessPoint,
    ) -> Result<EmptyOutput, Error> {
        self.execute(RemoveAccessPoint(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn create_sends_the_documented_xml() {
        let op = CreateAccessPoint::default()
            .bucket("examplebucket")
            .configuration(CreateAccessPointConfiguration::vpc(
                "ap-01",
                "vpc-t4nlw426y44rd3iq4",
            ))
            .request()
            .unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(op.query.to_query_string(), "accessPoint");
        assert!(op.headers.contains_key("content-md5"));
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CreateAccessPointConfiguration>\
             <AccessPointName>ap-01</AccessPointName><NetworkOrigin>vpc</NetworkOrigin>\
             <VpcConfiguration><VpcId>vpc-t4nlw426y44rd3iq4</VpcId></VpcConfiguration>\
             </CreateAccessPointConfiguration>"
        );
        let out = CreateAccessPoint::output(answer(
            "<CreateAccessPointResult><AccessPointArn>acs:oss:cn-hangzhou:128364106451xxxx:accesspoint/ap-01</AccessPointArn><Alias>ap-01-45ee7945007a2f0bcb595f63e2215cxxxx-ossalias</Alias></CreateAccessPointResult>",
        ))
        .unwrap();
        assert_eq!(
            out.access_point_arn,
            "acs:oss:cn-hangzhou:128364106451xxxx:accesspoint/ap-01"
        );
        assert_eq!(
            out.alias,
            "ap-01-45ee7945007a2f0bcb595f63e2215cxxxx-ossalias"
        );
    }

    #[test]
    fn refuses_what_oss_refuses() {
        let create = |c: CreateAccessPointConfiguration| {
            CreateAccessPoint::default()
                .bucket("examplebucket")
                .configuration(c)
                .request()
        };
        for name in [
            "ab",
            "-ap",
            "ap-",
            "Ap-01",
            "a12345678901234567890",
            "x-ossalias",
        ] {
            assert!(
                create(CreateAccessPointConfiguration::internet(name)).is_err(),
                "{name}"
            );
        }
        let mut vpc_without_id = CreateAccessPointConfiguration::internet("ap-01");
        vpc_without_id.network_origin = "vpc".to_owned();
        assert!(create(vpc_without_id).is_err());
        assert!(create(CreateAccessPointConfiguration::vpc("ap-01", "")).is_err());
        assert!(
            GetAccessPoint::default()
                .bucket("examplebucket")
                .request_get()
                .is_err()
        );
    }

    impl AccessPointInput {
        fn request_get(self) -> Result<OperationRequest, Error> {
            ReadAccessPoint(self).request()
        }
    }

    #[test]
    fn get_names_the_access_point_in_a_header_and_reads_the_result() {
        let op = GetAccessPoint::default()
            .bucket("examplebucket")
            .access_point_name("ap-01")
            .request_get()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "accessPoint");
        assert_eq!(op.headers[ACCESS_POINT_NAME], "ap-01");
        let out = ReadAccessPoint::output(answer(
            "<GetAccessPointResult><AccessPointName>ap-01</AccessPointName><Bucket>examplebucket</Bucket><AccountId>111933544165xxxx</AccountId><NetworkOrigin>vpc</NetworkOrigin><VpcConfiguration><VpcId>vpc-t4nlw426y44rd3iq4xxxx</VpcId></VpcConfiguration><AccessPointArn>arn:acs:oss:cn-hangzhou:111933544165xxxx:accesspoint/ap-01</AccessPointArn><CreationDate>1626769503</CreationDate><Alias>ap-01-ossalias</Alias><Status>enable</Status><Endpoints><PublicEndpoint>ap-01.oss-cn-hangzhou.oss-accesspoint.aliyuncs.com</PublicEndpoint><InternalEndpoint>ap-01.oss-cn-hangzhou-internal.oss-accesspoint.aliyuncs.com</InternalEndpoint></Endpoints><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration></GetAccessPointResult>",
        ))
        .unwrap();
        let ap = out.access_point;
        assert_eq!(ap.bucket, "examplebucket");
        assert_eq!(ap.creation_date, "1626769503");
        assert_eq!(
            ap.vpc_configuration.unwrap().vpc_id,
            "vpc-t4nlw426y44rd3iq4xxxx"
        );
        assert_eq!(
            ap.endpoints.unwrap().internal_endpoint,
            "ap-01.oss-cn-hangzhou-internal.oss-accesspoint.aliyuncs.com"
        );
        assert!(
            ap.public_access_block_configuration
                .unwrap()
                .block_public_access
        );
    }
}
