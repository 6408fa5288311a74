//! Block public access of one bucket (`?publicAccessBlock`), OSS API reference
//! "PutBucketPublicAccessBlock", "GetBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// Whether public access is blocked (`<PublicAccessBlockConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublicAccessBlockConfiguration {
    /// Whether public ACLs and public bucket policies are ignored.
    #[serde(rename = "BlockPublicAccess")]
    pub block_public_access: bool,
}

impl PublicAccessBlockConfiguration {
    /// A document with this value.
    pub fn new(block_public_access: impl Into<bool>) -> Self {
        Self {
            block_public_access: block_public_access.into(),
        }
    }
}

impl BucketConfig for PublicAccessBlockConfiguration {
    const SUBRESOURCE: &'static str = "publicAccessBlock";
    const ROOT: &'static str = "PublicAccessBlockConfiguration";
}

/// PutBucketPublicAccessBlock input.
pub type PutBucketPublicAccessBlock = PutBucketConfig<PublicAccessBlockConfiguration>;
/// GetBucketPublicAccessBlock input.
pub type GetBucketPublicAccessBlock = GetBucketConfig<PublicAccessBlockConfiguration>;
/// DeleteBucketPublicAccessBlock input.
pub type DeleteBucketPublicAccessBlock = DeleteBucketConfig<PublicAccessBlockConfiguration>;

impl Client {
    /// PutBucketPublicAccessBlock (`PUT /bucket?publicAccessBlock`).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_bucket_public_access_block(
        &self,
        input: PutBucketPublicAccessBlock,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketPublicAccessBlock (`GET /bucket?publicAccessBlock`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_public_access_block(
        &self,
        input: GetBucketPublicAccessBlock,
    ) -> Result<ConfigOutput<PublicAccessBlockConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketPublicAccessBlock (`DELETE /bucket?publicAccessBlock`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_public_access_block(
        &self,
        input: DeleteBucketPublicAccessBlock,
    ) -> Result<EmptyOutput, Error> {
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
            PublicAccessBlockConfiguration::new(true),
            "<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>",
        );
    }
}
