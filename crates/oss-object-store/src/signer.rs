//! `Signer`: presigned URLs (OSS V4 query signing by default; OSS API reference "Signature V4
//! in URLs").

use std::time::Duration;

use crate::object_store::path::Path;
use crate::object_store::signer::Signer;
use async_trait::async_trait;
use http::Method;
use url::Url;

use crate::error;
use crate::store::OssObjectStore;

#[async_trait]
impl Signer for OssObjectStore {
    /// A URL that performs `method` on `path` without further credentials until `expires_in`
    /// has passed (OSS allows 1 second to 7 days for V4).
    ///
    /// # Errors
    /// `Unauthenticated` when credentials cannot be fetched; `Generic` for an expiry OSS does
    /// not allow.
    async fn signed_url(
        &self,
        method: Method,
        path: &Path,
        expires_in: Duration,
    ) -> crate::object_store::Result<Url> {
        let presigned = self
            .client()
            .presign(method)
            .bucket(self.bucket())
            .key(self.prefix().key(path))
            .expires_in(expires_in)
            .send()
            .await
            .map_err(|e| error::from_oss(e, path.as_ref()))?;
        Url::parse(&presigned.url)
            .map_err(|e| error::generic(format!("OSS presigned an unparseable URL: {e}")))
    }
}
