//! The signing middleware: a fresh credentials snapshot and a fresh signature on every attempt.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::HOST;
use http::{HeaderMap, HeaderValue, Request, Response};
use oss_auth::clock::{Clock, SystemClock};
use oss_auth::sign::{
    QueryParams, SignableRequest, SignatureVersion, Signer, SigningOutput, SigningParams,
};
use oss_auth::{Credentials, ProvideCredentials, SharedCredentialsProvider};

use crate::body::Body;
use crate::error::{Error, ErrorKind};
use crate::response_body::ResponseBody;
use crate::skew::ClockSkew;
use crate::target::SigningTarget;

/// Everything signing needs besides the request: the credentials provider, the signature
/// version (with its signing-key cache), region, product, additional headers and clock.
/// Shared (`Arc`) by the middleware and by presigning.
pub struct SigningConfig {
    /// `None`: an anonymous client, whose requests go out unsigned.
    provider: Option<SharedCredentialsProvider>,
    signer: Signer,
    region: String,
    product: String,
    additional_headers: Vec<String>,
    clock: Arc<dyn Clock>,
    skew: ClockSkew,
}

impl fmt::Debug for SigningConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningConfig")
            .field("provider", &self.provider)
            .field("version", &self.signer.version())
            .field("region", &self.region)
            .field("product", &self.product)
            .field("additional_headers", &self.additional_headers)
            .finish_non_exhaustive()
    }
}

impl SigningConfig {
    /// A configuration for product `oss` with the system clock and no additional headers.
    pub fn new(
        provider: SharedCredentialsProvider,
        version: SignatureVersion,
        region: impl Into<String>,
    ) -> Self {
        Self::with_provider(Some(provider), version, region.into())
    }

    fn with_provider(
        provider: Option<SharedCredentialsProvider>,
        version: SignatureVersion,
        region: String,
    ) -> Self {
        Self {
            provider,
            signer: Signer::new(version),
            region,
            product: oss_auth::sign::PRODUCT_OSS.to_owned(),
            additional_headers: Vec::new(),
            clock: Arc::new(SystemClock),
            skew: ClockSkew::default(),
        }
    }

    /// A configuration whose requests go out unsigned (anonymous access to public-read or
    /// public-read-write buckets and objects); [`credentials`](Self::credentials) and
    /// presigning fail with [`ErrorKind::Credentials`].
    pub fn anonymous(version: SignatureVersion, region: impl Into<String>) -> Self {
        Self::with_provider(None, version, region.into())
    }

    /// Whether requests go out unsigned ([`SigningConfig::anonymous`]).
    pub fn is_anonymous(&self) -> bool {
        self.provider.is_none()
    }

    /// Sets the V4 product (`oss`, or `oss-cloudbox` with a CloudBox id as the region).
    pub fn with_product(mut self, product: impl Into<String>) -> Self {
        self.product = product.into();
        self
    }

    /// Sets extra header names to sign with V4 (e.g. `host`).
    pub fn with_additional_headers(mut self, names: Vec<String>) -> Self {
        self.additional_headers = names;
        self
    }

    /// Replaces the clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The signature version.
    pub fn version(&self) -> SignatureVersion {
        self.signer.version()
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The current time: the configured clock corrected by the learned clock skew. Used for
    /// signing and for expiry decisions.
    pub fn now(&self) -> SystemTime {
        self.skew.apply(self.clock.now())
    }

    /// The configured clock without skew correction.
    pub fn raw_now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Learns the clock offset from a server time observed at local time `local`; returns
    /// whether it was plausible enough to take.
    pub fn learn_skew(&self, server_time: SystemTime, local: SystemTime) -> bool {
        self.skew.learn(server_time, local)
    }

    /// The learned offset in milliseconds (server minus local).
    pub fn skew_offset_ms(&self) -> i64 {
        self.skew.offset_ms()
    }

    /// Tells the provider that OSS refused `credentials`, so its cache drops them.
    pub fn invalidate(&self, credentials: &Credentials) {
        if let Some(provider) = &self.provider {
            provider.invalidate(credentials);
        }
    }

    /// One credentials snapshot from the provider.
    ///
    /// # Errors
    /// [`ErrorKind::Credentials`] with the provider's error as the source, or for an
    /// anonymous configuration.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        match &self.provider {
            Some(provider) => Ok(provider.provide_credentials().await?),
            None => Err(Error::new(
                ErrorKind::Credentials,
                "an anonymous client has no credentials to sign with",
            )),
        }
    }

    fn params<'a>(
        &'a self,
        credentials: &'a Credentials,
        time: SystemTime,
        sub_resources: &'a [String],
    ) -> SigningParams<'a> {
        SigningParams {
            credentials,
            region: &self.region,
            product: &self.product,
            time,
            additional_headers: &self.additional_headers,
            sub_resources,
        }
    }

    /// Signs `request` in its headers at the clock's current time.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] without a [`SigningTarget`] extension;
    /// [`ErrorKind::Signing`] from the signer.
    pub fn sign_request(
        &self,
        request: &mut Request<Body>,
        credentials: &Credentials,
    ) -> Result<(), Error> {
        self.set_host_if_signed(request);
        // Taken apart, so the signer can read the target extension while it writes the headers.
        let taken = std::mem::replace(request, Request::new(Body::empty()));
        let (mut parts, body) = taken.into_parts();
        let signed = match parts.extensions.get_mut::<SigningTarget>() {
            Some(target) => {
                self.sign_target(&parts.method, &mut parts.headers, target, credentials)
            }
            None => Err(Error::new(
                ErrorKind::InvalidRequest,
                "the request has no SigningTarget extension",
            )),
        };
        *request = Request::from_parts(parts, body);
        signed
    }

    /// [`SigningConfig::sign_request`] with the target given rather than read from the request.
    pub(crate) fn sign_request_for(
        &self,
        request: &mut Request<Body>,
        target: &mut SigningTarget,
        credentials: &Credentials,
    ) -> Result<(), Error> {
        self.set_host_if_signed(request);
        let method = request.method().clone();
        self.sign_target(&method, request.headers_mut(), target, credentials)
    }

    /// Adds `Host` when it is one of the additional signed headers.
    fn set_host_if_signed(&self, request: &mut Request<Body>) {
        if self
            .additional_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("host"))
        {
            set_host_header(request);
        }
    }

    fn sign_target(
        &self,
        method: &http::Method,
        headers: &mut HeaderMap,
        target: &mut SigningTarget,
        credentials: &Credentials,
    ) -> Result<(), Error> {
        let flags = sub_resource_flags(&target.query);
        let mut signable = SignableRequest {
            method: method.as_str(),
            bucket: target.bucket.as_deref(),
            key: target.key.as_deref(),
            query: &mut target.query,
            headers,
        };
        self.signer
            .sign_headers(&mut signable, &self.params(credentials, self.now(), &flags))?;
        Ok(())
    }

    /// Presigns: adds the signature parameters to `target.query` for a URL valid for `expires`
    /// from `time`.
    ///
    /// # Errors
    /// [`ErrorKind::Signing`]: expiry out of range (V4: 1..=604800 s) or unusable values.
    pub fn presign(
        &self,
        method: &str,
        target: &mut SigningTarget,
        headers: &mut HeaderMap,
        credentials: &Credentials,
        time: SystemTime,
        expires: Duration,
    ) -> Result<SigningOutput, Error> {
        let flags = sub_resource_flags(&target.query);
        let mut signable = SignableRequest {
            method,
            bucket: target.bucket.as_deref(),
            key: target.key.as_deref(),
            query: &mut target.query,
            headers,
        };
        Ok(self.signer.presign(
            &mut signable,
            &self.params(credentials, time, &flags),
            expires,
        )?)
    }
}

/// The operation's sub-resources, which a V1 signature covers as the official SDKs declare
/// them per operation (V4 signs every parameter anyway): every parameter sent without a
/// value (`?cors`, `?inventory`, `?worm`…), and [`VALUED_SUB_RESOURCES`].
fn sub_resource_flags(query: &QueryParams) -> Vec<String> {
    query
        .iter()
        .filter(|(name, value)| value.is_none() || VALUED_SUB_RESOURCES.contains(name))
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// Sub-resources sent with a value that the Go v2 SDK declares for V1 (`comp` of MetaQuery,
/// CNAME and replication operations, `wormId` of the WORM operations).
const VALUED_SUB_RESOURCES: &[&str] = &["comp", "wormId"];

fn set_host_header(request: &mut Request<Body>) {
    if request.headers().contains_key(HOST) {
        return;
    }
    let Some(authority) = request.uri().authority() else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(authority.as_str()) {
        request.headers_mut().insert(HOST, value);
    }
}

/// One signed attempt of [`crate::HttpStack`]: a credentials
/// snapshot, the signature (for `target`, or the request's [`SigningTarget`] extension when
/// `None`), then `send`. A 403 answer carries the credentials it was signed with, for the retry
/// layer. An anonymous configuration sends the request unsigned.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
)]
pub(crate) fn send_signed<'a, F>(
    config: &'a SigningConfig,
    mut request: Request<Body>,
    target: Option<&'a mut SigningTarget>,
    send: impl FnOnce(Request<Body>) -> F + 'a,
) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + 'a
where
    F: Future<Output = Result<Response<ResponseBody>, Error>> + 'a,
{
    async move {
        if config.is_anonymous() {
            return send(request).await;
        }
        let credentials = config.credentials().await?;
        match target {
            Some(target) => config.sign_request_for(&mut request, target, &credentials)?,
            None => config.sign_request(&mut request, &credentials)?,
        }
        let mut response = send(request).await?;
        if response.status() == http::StatusCode::FORBIDDEN {
            response.extensions_mut().insert(SignedWith(credentials));
        }
        Ok(response)
    }
}

/// The credentials a refused (403) request was signed with, as a response extension, so that
/// the retry layer can drop exactly those from the provider's cache. Crate-private: nothing
/// outside this crate can read it.
#[derive(Clone)]
pub(crate) struct SignedWith(pub(crate) Credentials);

/// OSS codes meaning "these credentials are no longer good".
pub(crate) fn is_credentials_code(code: &str) -> bool {
    code == "InvalidAccessKeyId"
        || code == "SecurityTokenExpired"
        || code.starts_with("InvalidSecurityToken")
}

#[cfg(test)]
mod tests {
    use oss_auth::StaticCredentialsProvider;
    use oss_auth::sign::v1;

    use super::*;

    #[test]
    fn v1_signatures_cover_the_operations_sub_resource() {
        // The official SDKs declare each operation's sub-resource (`?cors`, `?inventory`…)
        // for V1 and OSS checks it: a signature without it is refused.
        let provider = StaticCredentialsProvider::new("LTAI5tExample", "example-secret").unwrap();
        let config = SigningConfig::new(
            SharedCredentialsProvider::new(provider),
            SignatureVersion::V1,
            "cn-hangzhou",
        );
        let credentials = Credentials::from_keys("LTAI5tExample", "example-secret");
        let mut target = SigningTarget {
            bucket: Some("examplebucket".to_owned()),
            key: None,
            query: QueryParams::new(),
        };
        target
            .query
            .push_flag("inventory")
            .push("inventoryId", "report1");
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        config
            .presign(
                "GET",
                &mut target,
                &mut HeaderMap::new(),
                &credentials,
                time,
                Duration::from_secs(60),
            )
            .unwrap();
        let expected = v1::signature(
            "example-secret",
            "GET\n\n\n1700000060\n/examplebucket/?inventory",
        );
        assert_eq!(target.query.get("Signature"), Some(Some(expected.as_str())));
    }

    #[test]
    fn recognises_credential_error_codes() {
        for code in [
            "InvalidAccessKeyId",
            "SecurityTokenExpired",
            "InvalidSecurityToken.Expired",
            "InvalidSecurityToken",
        ] {
            assert!(is_credentials_code(code), "{code}");
        }
        for code in [
            "SignatureDoesNotMatch",
            "AccessDenied",
            "RequestTimeTooSkewed",
        ] {
            assert!(!is_credentials_code(code), "{code}");
        }
    }
}
