//! Requester pays (`?requestPayment`), OSS API reference "PutBucketRequestPayment",
//! "GetBucketRequestPayment".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// Who pays for the bucket's requests (`<RequestPaymentConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestPaymentConfiguration {
    /// Who pays for requests and traffic: `BucketOwner` or `Requester`.
    #[serde(rename = "Payer")]
    pub payer: String,
}

impl RequestPaymentConfiguration {
    /// A document with this value.
    pub fn new(payer: impl Into<String>) -> Self {
        Self {
            payer: payer.into(),
        }
    }
}

impl BucketConfig for RequestPaymentConfiguration {
    const SUBRESOURCE: &'static str = "requestPayment";
    const ROOT: &'static str = "RequestPaymentConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if matches!(self.payer.as_str(), "BucketOwner" | "Requester") {
            Ok(())
        } else {
            Err(Error::invalid_argument(format!(
                "Payer is BucketOwner or Requester, not {:?}",
                self.payer
            )))
        }
    }
}

/// PutBucketRequestPayment input.
pub type PutBucketRequestPayment = PutBucketConfig<RequestPaymentConfiguration>;
/// GetBucketRequestPayment input.
pub type GetBucketRequestPayment = GetBucketConfig<RequestPaymentConfiguration>;

impl Client {
    /// PutBucketRequestPayment (`PUT /bucket?requestPayment`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for a value OSS refuses; service errors.
    pub async fn put_bucket_request_payment(
        &self,
        input: PutBucketRequestPayment,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketRequestPayment (`GET /bucket?requestPayment`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_request_payment(
        &self,
        input: GetBucketRequestPayment,
    ) -> Result<ConfigOutput<RequestPaymentConfiguration>, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::assert_round_trip;

    #[test]
    fn put_and_get_use_the_documented_xml() {
        assert_round_trip(
            RequestPaymentConfiguration::new("Requester".to_owned()),
            "<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>",
        );
    }

    #[test]
    fn refuses_a_value_oss_refuses() {
        let input = PutBucketRequestPayment::default()
            .bucket("examplebucket")
            .configuration(RequestPaymentConfiguration::new("Nobody"));
        assert!(crate::execute::Operation::request(input).is_err());
    }
}
