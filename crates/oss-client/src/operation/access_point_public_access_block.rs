//! Block public access of one access point (`?publicAccessBlock&x-oss-access-point-name=…`),
//! OSS API reference "PutAccessPointPublicAccessBlock", "GetAccessPointPublicAccessBlock",
//! "DeleteAccessPointPublicAccessBlock". The document is the bucket's
//! [`PublicAccessBlockConfiguration`]; the access point is named by a query parameter here
//! (not the header the other access point operations use).

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::access_point::ACCESS_POINT_NAME;
use crate::operation::bucket_config::{ConfigOutput, EmptyOutput, bucket_request};
use crate::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use crate::request::{OperationRequest, required};
use crate::setters::setters;
use crate::xml_model::{from_xml, to_xml};

/// The request on access point `name` (required) of `bucket`.
fn request(
    method: Method,
    bucket: Option<String>,
    name: Option<String>,
) -> Result<OperationRequest, Error> {
    let mut op = bucket_request(method, bucket, "publicAccessBlock")?;
    op.query
        .push(ACCESS_POINT_NAME, required(name, "access_point_name")?);
    Ok(op)
}

/// PutAccessPointPublicAccessBlock input.
#[derive(Debug, Clone, Default)]
pub struct PutAccessPointPublicAccessBlock {
    bucket: Option<String>,
    access_point_name: Option<String>,
    configuration: Option<PublicAccessBlockConfiguration>,
}

impl PutAccessPointPublicAccessBlock {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The access point (required).
        access_point_name: String;
        /// The document (required).
        configuration: PublicAccessBlockConfiguration;
    }
}

/// GetAccessPointPublicAccessBlock and DeleteAccessPointPublicAccessBlock input.
#[derive(Debug, Clone, Default)]
pub struct AccessPointPublicAccessBlockInput {
    bucket: Option<String>,
    access_point_name: Option<String>,
}

impl AccessPointPublicAccessBlockInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The access point (required).
        access_point_name: String;
    }
}

/// GetAccessPointPublicAccessBlock input.
pub type GetAccessPointPublicAccessBlock = AccessPointPublicAccessBlockInput;
/// DeleteAccessPointPublicAccessBlock input.
pub type DeleteAccessPointPublicAccessBlock = AccessPointPublicAccessBlockInput;

impl Operation for PutAccessPointPublicAccessBlock {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = request(Method::PUT, self.bucket, self.access_point_name)?;
        let configuration = self.configuration.ok_or_else(|| {
            Error::invalid_argument("the PublicAccessBlockConfiguration is required")
        })?;
        op.xml_body(to_xml("PublicAccessBlockConfiguration", &configuration)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// The read of the document.
struct ReadBlock(AccessPointPublicAccessBlockInput);
/// The removal of the document.
struct RemoveBlock(AccessPointPublicAccessBlockInput);

impl Operation for ReadBlock {
    type Output = ConfigOutput<PublicAccessBlockConfiguration>;

    fn request(self) -> Result<OperationRequest, Error> {
        request(Method::GET, self.0.bucket, self.0.access_point_name)
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        Ok(ConfigOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for RemoveBlock {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        request(Method::DELETE, self.0.bucket, self.0.access_point_name)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Client {
    /// PutAccessPointPublicAccessBlock (`PUT /bucket?publicAccessBlock&x-oss-access-point-name=…`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without a bucket, access point or
    /// document; service errors (`NoSuchAccessPoint`).
    pub async fn put_access_point_public_access_block(
        &self,
        input: PutAccessPointPublicAccessBlock,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetAccessPointPublicAccessBlock (`GET /bucket?publicAccessBlock&x-oss-access-point-name=…`).
    ///
    /// # Errors
    /// Input errors; `NoSuchAccessPoint`; `NoSuchBucket`.
    pub async fn get_access_point_public_access_block(
        &self,
        input: GetAccessPointPublicAccessBlock,
    ) -> Result<ConfigOutput<PublicAccessBlockConfiguration>, Error> {
        self.execute(ReadBlock(input)).await
    }

    /// DeleteAccessPointPublicAccessBlock (`DELETE /bucket?publicAccessBlock&x-oss-access-point-name=…`).
    ///
    /// # Errors
    /// Input errors; `NoSuchAccessPoint`; `NoSuchBucket`.
    pub async fn delete_access_point_public_access_block(
        &self,
        input: DeleteAccessPointPublicAccessBlock,
    ) -> Result<EmptyOutput, Error> {
        self.execute(RemoveBlock(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn names_the_access_point_in_the_query() {
        let op = PutAccessPointPublicAccessBlock::default()
            .bucket("examplebucket")
            .access_point_name("ap-01")
            .configuration(PublicAccessBlockConfiguration::new(true))
            .request()
            .unwrap();
        assert_eq!(
            op.query.to_query_string(),
            "publicAccessBlock&x-oss-access-point-name=ap-01"
        );
        assert!(op.headers.contains_key("content-md5"));
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>"
        );
        let read = ReadBlock::output(answer(
            "<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>",
        ))
        .unwrap();
        assert!(read.configuration.block_public_access);
    }

    #[test]
    fn refuses_a_missing_access_point() {
        let input = GetAccessPointPublicAccessBlock::default().bucket("examplebucket");
        assert!(ReadBlock(input).request().is_err());
        let put = PutAccessPointPublicAccessBlock::default()
            .bucket("examplebucket")
            .access_point_name("ap-01");
        assert!(put.request().is_err());
    }
}
