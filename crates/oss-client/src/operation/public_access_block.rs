//! Block public access of the whole account (`/?publicAccessBlock`), OSS API reference
//! "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock". The document
//! is the bucket's [`PublicAccessBlockConfiguration`]; while it blocks, public ACLs and
//! bucket policies grant anonymous users nothing in any bucket of the account.

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{ConfigOutput, EmptyOutput};
use crate::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::xml_model::{from_xml, to_xml};

/// A request on the service with `?publicAccessBlock`.
fn request(method: Method) -> OperationRequest {
    let mut op = OperationRequest::new(method, None, None);
    op.query.push_flag("publicAccessBlock");
    op
}

/// PutPublicAccessBlock input.
#[derive(Debug, Clone, Default)]
pub struct PutPublicAccessBlock {
    configuration: Option<PublicAccessBlockConfiguration>,
}

impl PutPublicAccessBlock {
    setters! {
        /// The document (required).
        configuration: PublicAccessBlockConfiguration;
    }
}

/// GetPublicAccessBlock input (nothing to set).
#[derive(Debug, Clone, Default)]
pub struct GetPublicAccessBlock {}

/// DeletePublicAccessBlock input (nothing to set).
#[derive(Debug, Clone, Default)]
pub struct DeletePublicAccessBlock {}

impl Operation for PutPublicAccessBlock {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let configuration = self.configuration.ok_or_else(|| {
            Error::invalid_argument("the PublicAccessBlockConfiguration is required")
        })?;
        let mut op = request(Method::PUT);
        op.xml_body(to_xml("PublicAccessBlockConfiguration", &configuration)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Operation for GetPublicAccessBlock {
    type Output = ConfigOutput<PublicAccessBlockConfiguration>;

    fn request(self) -> Result<OperationRequest, Error> {
        Ok(request(Method::GET))
    }

    fn output(answer: Answer) -> Result<Self::Output, Error> {
        Ok(ConfigOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for DeletePublicAccessBlock {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        Ok(request(Method::DELETE))
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Client {
    /// PutPublicAccessBlock (`PUT /?publicAccessBlock`): the account's setting.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without a document; service
    /// errors.
    pub async fn put_public_access_block(
        &self,
        input: PutPublicAccessBlock,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetPublicAccessBlock (`GET /?publicAccessBlock`): the account's setting.
    ///
    /// # Errors
    /// Service errors.
    pub async fn get_public_access_block(
        &self,
        input: GetPublicAccessBlock,
    ) -> Result<ConfigOutput<PublicAccessBlockConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeletePublicAccessBlock (`DELETE /?publicAccessBlock`): removes the account's setting.
    ///
    /// # Errors
    /// Service errors.
    pub async fn delete_public_access_block(
        &self,
        input: DeletePublicAccessBlock,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn uses_the_service_and_the_documented_xml() {
        let op = PutPublicAccessBlock::default()
            .configuration(PublicAccessBlockConfiguration::new(true))
            .request()
            .unwrap();
        assert_eq!(
            (op.bucket.as_deref(), op.method.clone()),
            (None, Method::PUT)
        );
        assert_eq!(op.query.to_query_string(), "publicAccessBlock");
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>"
        );
        let read = GetPublicAccessBlock::output(answer(
            "<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>",
        ))
        .unwrap();
        assert!(!read.configuration.block_public_access);
        assert!(PutPublicAccessBlock::default().request().is_err());
    }
}
