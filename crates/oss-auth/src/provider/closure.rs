//! A provider made from an async closure.

use std::fmt;
use std::future::Future;

use crate::{Credentials, CredentialsError, ProvideCredentials};

/// Wraps an async closure as a provider: `provide_credentials_fn(|| async { … })`.
///
/// The closure runs on every HTTP attempt; cache inside it if fetching is expensive.
pub fn provide_credentials_fn<F, Fut>(f: F) -> ProvideCredentialsFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Credentials, CredentialsError>> + Send,
{
    ProvideCredentialsFn { f }
}

/// The provider returned by [`provide_credentials_fn`].
pub struct ProvideCredentialsFn<F> {
    f: F,
}

impl<F> fmt::Debug for ProvideCredentialsFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProvideCredentialsFn")
    }
}

impl<F, Fut> ProvideCredentials for ProvideCredentialsFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Credentials, CredentialsError>> + Send,
{
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        (self.f)()
    }
}
