//! Transfer acceleration (`?transferAcceleration`), OSS API reference
//! "PutBucketTransferAcceleration", "GetBucketTransferAcceleration".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// Whether transfer acceleration is on (`<TransferAccelerationConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransferAccelerationConfiguration {
    /// Whether the acceleration endpoints serve this bucket.
    #[serde(rename = "Enabled")]
    pub enabled: bool,
}

impl TransferAccelerationConfiguration {
    /// A document with this value.
    pub fn new(enabled: impl Into<bool>) -> Self {
        Self {
            enabled: enabled.into(),
        }
    }
}

impl BucketConfig for TransferAccelerationConfiguration {
    const SUBRESOURCE: &'static str = "transferAcceleration";
    const ROOT: &'static str = "TransferAccelerationConfiguration";
}

/// PutBucketTransferAcceleration input.
pub type PutBucketTransferAcceleration = PutBucketConfig<TransferAccelerationConfiguration>;
/// GetBucketTransferAcceleration input.
pub type GetBucketTransferAcceleration = GetBucketConfig<TransferAccelerationConfiguration>;

impl Client {
    /// PutBucketTransferAcceleration (`PUT /bucket?transferAcceleration`).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_bucket_transfer_acceleration(
        &self,
        input: PutBucketTransferAcceleration,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketTransferAcceleration (`GET /bucket?transferAcceleration`).
    ///
    /// # Errors
    /// Input errors; `NoSuchTransferAccelerationConfiguration` (404) when never set; `NoSuchBucket`.
    pub async fn get_bucket_transfer_acceleration(
        &self,
        input: GetBucketTransferAcceleration,
    ) -> Result<ConfigOutput<TransferAccelerationConfiguration>, Error> {
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
            TransferAccelerationConfiguration::new(true),
            "<TransferAccelerationConfiguration><Enabled>true</Enabled></TransferAccelerationConfiguration>",
        );
    }
}
