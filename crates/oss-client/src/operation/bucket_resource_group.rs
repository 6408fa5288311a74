//! The bucket's resource group (`?resourceGroup`), OSS API reference
//! "PutBucketResourceGroup", "GetBucketResourceGroup".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// The resource group a bucket belongs to (`<BucketResourceGroupConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BucketResourceGroupConfiguration {
    /// The resource group id (`rg-…`; empty: the default group).
    #[serde(rename = "ResourceGroupId")]
    pub resource_group_id: String,
}

impl BucketResourceGroupConfiguration {
    /// A document with this value.
    pub fn new(resource_group_id: impl Into<String>) -> Self {
        Self {
            resource_group_id: resource_group_id.into(),
        }
    }
}

impl BucketConfig for BucketResourceGroupConfiguration {
    const SUBRESOURCE: &'static str = "resourceGroup";
    const ROOT: &'static str = "BucketResourceGroupConfiguration";
}

/// PutBucketResourceGroup input.
pub type PutBucketResourceGroup = PutBucketConfig<BucketResourceGroupConfiguration>;
/// GetBucketResourceGroup input.
pub type GetBucketResourceGroup = GetBucketConfig<BucketResourceGroupConfiguration>;

impl Client {
    /// PutBucketResourceGroup (`PUT /bucket?resourceGroup`).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_bucket_resource_group(
        &self,
        input: PutBucketResourceGroup,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketResourceGroup (`GET /bucket?resourceGroup`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_resource_group(
        &self,
        input: GetBucketResourceGroup,
    ) -> Result<ConfigOutput<BucketResourceGroupConfiguration>, Error> {
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
            BucketResourceGroupConfiguration::new("rg-aekz0000".to_owned()),
            "<BucketResourceGroupConfiguration><ResourceGroupId>rg-aekz0000</ResourceGroupId></BucketResourceGroupConfiguration>",
        );
    }
}
