//! [`FakeConfig`], the fixed settings of the credential fakes, and [`UriShape`].

use std::fmt;
use std::time::Duration;

/// The body shape of the credentials-URI fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UriShape {
    /// `{"Code":"Success","AccessKeyId",…}` (the Alibaba Cloud credentials libraries).
    #[default]
    Code,
    /// `{"StatusCode":"200","AccessKeyId",…}` (the older OSS "auth server" shape).
    StatusCode,
}

/// Fixed configuration of the fakes: the builder's settings for them, in one place.
#[derive(Clone)]
pub(crate) struct FakeConfig {
    pub(crate) role_arn: String,
    pub(crate) oidc_provider_arn: String,
    pub(crate) ecs_role_name: String,
    pub(crate) lifetime: Option<Duration>,
    pub(crate) metadata_hardened: bool,
    pub(crate) uri_shape: UriShape,
    pub(crate) kms_secret_name: String,
    pub(crate) kms_key_id: String,
    /// The ClientKey's RSA public key: DER as given to the builder (SubjectPublicKeyInfo or
    /// PKCS#1), PKCS#1 `RSAPublicKey` DER once the emulator has started.
    pub(crate) kms_public_key: Vec<u8>,
}

impl fmt::Debug for FakeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeConfig")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("ecs_role_name", &self.ecs_role_name)
            .field("lifetime", &self.lifetime)
            .field("metadata_hardened", &self.metadata_hardened)
            .field("uri_shape", &self.uri_shape)
            .field("kms_secret_name", &self.kms_secret_name)
            .field("kms_key_id", &self.kms_key_id)
            .finish_non_exhaustive()
    }
}
