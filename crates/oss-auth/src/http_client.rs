//! The small HTTP client credential providers use to reach STS, instance metadata, a
//! credentials URI or KMS; a seam ([`HttpSend`]) so tests and users can replace it.
//!
//! It follows the SDK's [proxy rules](crate::proxy): by default `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY` (each provider reads them from its own [`Env`](crate::Env)), with
//! the ECS metadata address always reached directly.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::proxy::{Proxies, ProxyConfig, ProxyConnector};

/// Which certificate authorities TLS connections trust.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum RootCertificates {
    /// The Mozilla root program, compiled in (`webpki-roots`): works the same everywhere.
    #[default]
    WebPki,
    /// The operating system's certificate store.
    Native,
    /// Exactly these DER-encoded certificates (e.g. a test CA).
    Custom(Vec<Vec<u8>>),
}

/// Builds the HTTPS-or-HTTP connector every client of this SDK uses: hyper-rustls with the
/// `ring` provider passed explicitly (no process-wide provider is installed), TCP_NODELAY and a
/// connect timeout (to the target, or to the proxy), over a [`ProxyConnector`] that routes each
/// target by `proxies`. Requests to `http://` targets through a proxy must also carry
/// [`Proxies::http_authorization`].
///
/// # Errors
/// An I/O error when the native store cannot be read or a custom certificate is invalid.
pub fn https_connector(
    roots: &RootCertificates,
    connect_timeout: Duration,
    proxies: &Proxies,
) -> std::io::Result<HttpsConnector<ProxyConnector>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = match roots {
        RootCertificates::WebPki => HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(std::io::Error::other)?,
        RootCertificates::Native => {
            HttpsConnectorBuilder::new().with_provider_and_native_roots(provider)?
        }
        RootCertificates::Custom(certs) => {
            let mut store = rustls::RootCertStore::empty();
            for der in certs {
                store
                    .add(rustls::pki_types::CertificateDer::from(der.clone()))
                    .map_err(std::io::Error::other)?;
            }
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(std::io::Error::other)?
                .with_root_certificates(store)
                .with_no_client_auth();
            HttpsConnectorBuilder::new().with_tls_config(config)
        }
    };
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(connect_timeout));
    Ok(builder
        .https_or_http()
        .enable_http1()
        .wrap_connector(ProxyConnector::new(http, proxies.clone())))
}

/// Why an HTTP exchange failed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpErrorKind {
    /// The connection could not be made (refused, unreachable, connect timeout, TLS).
    Connect,
    /// No complete response within the read timeout.
    Timeout,
    /// Anything else (connection reset, a body too large).
    Other,
}

/// A failed HTTP exchange.
#[derive(Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    message: String,
}

impl HttpError {
    /// A new error.
    pub fn new(kind: HttpErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HttpError {}

/// A boxed future of an HTTP exchange.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, HttpError>> + Send + 'a>>;

/// Sends one request and reads the whole response (credential endpoints answer small JSON).
pub trait HttpSend: Send + Sync + fmt::Debug {
    /// Sends `request`; the whole exchange must finish within `timeout`.
    fn send(&self, request: http::Request<Bytes>, timeout: Duration) -> HttpFuture<'_>;
}

/// A shared [`HttpSend`].
pub type SharedHttpClient = Arc<dyn HttpSend>;

/// The largest response body read from a credentials endpoint (1 MiB).
const MAX_BODY: usize = 1 << 20;

/// The default [`HttpSend`]: hyper-util's client over [`https_connector`].
#[derive(Clone)]
pub struct DefaultHttpClient {
    client: Client<HttpsConnector<ProxyConnector>, Full<Bytes>>,
    proxies: Proxies,
}

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultHttpClient")
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

impl DefaultHttpClient {
    /// A client with this connect timeout and root certificates, and the proxies of the
    /// process environment.
    ///
    /// # Errors
    /// As [`https_connector`], and [`std::io::ErrorKind::InvalidInput`] for a malformed proxy
    /// variable.
    pub fn new(roots: &RootCertificates, connect_timeout: Duration) -> std::io::Result<Self> {
        Self::with_proxy(roots, connect_timeout, &ProxyConfig::from_env())
    }

    /// A client with this connect timeout, root certificates and proxy settings.
    ///
    /// # Errors
    /// As [`https_connector`], and [`std::io::ErrorKind::InvalidInput`] for a malformed or
    /// unsupported proxy.
    pub fn with_proxy(
        roots: &RootCertificates,
        connect_timeout: Duration,
        proxy: &ProxyConfig,
    ) -> std::io::Result<Self> {
        let proxies = proxy
            .resolve()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let connector = https_connector(roots, connect_timeout, &proxies)?;
        Ok(Self {
            client: Client::builder(TokioExecutor::new()).build(connector),
            proxies,
        })
    }

    /// A shared client with the Mozilla roots, this connect timeout and the proxies of the
    /// process environment.
    pub fn shared(connect_timeout: Duration) -> SharedHttpClient {
        Self::shared_with_proxy(connect_timeout, &ProxyConfig::from_env())
    }

    /// A shared client with the Mozilla roots, this connect timeout and proxy settings. A
    /// configuration error (TLS, a malformed proxy) surfaces on each request.
    pub fn shared_with_proxy(connect_timeout: Duration, proxy: &ProxyConfig) -> SharedHttpClient {
        match Self::with_proxy(&RootCertificates::WebPki, connect_timeout, proxy) {
            Ok(client) => Arc::new(client),
            Err(e) => Arc::new(FailingHttpClient(e.to_string())),
        }
    }
}

impl HttpSend for DefaultHttpClient {
    fn send(&self, request: http::Request<Bytes>, timeout: Duration) -> HttpFuture<'_> {
        let (mut parts, body) = request.into_parts();
        if let Some(auth) = self.proxies.http_authorization(&parts.uri) {
            parts
                .headers
                .insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let request = http::Request::from_parts(parts, Full::new(body));
        let exchange = async move {
            let response = self.client.request(request).await.map_err(|e| {
                let kind = if e.is_connect() {
                    HttpErrorKind::Connect
                } else {
                    HttpErrorKind::Other
                };
                HttpError::new(kind, format!("request failed: {e}"))
            })?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|e| {
                    HttpError::new(
                        HttpErrorKind::Other,
                        format!("reading the response failed: {e}"),
                    )
                })?
                .to_bytes();
            Ok(http::Response::from_parts(parts, body))
        };
        Box::pin(async move {
            tokio::time::timeout(timeout, exchange)
                .await
                .unwrap_or_else(|_| {
                    Err(HttpError::new(
                        HttpErrorKind::Timeout,
                        format!("no complete response within {} ms", timeout.as_millis()),
                    ))
                })
        })
    }
}

/// Stands in when TLS or the proxy could not be configured, so the failure surfaces on use.
#[derive(Debug)]
struct FailingHttpClient(String);

impl HttpSend for FailingHttpClient {
    fn send(&self, _request: http::Request<Bytes>, _timeout: Duration) -> HttpFuture<'_> {
        let message = format!("cannot configure the HTTP client: {}", self.0);
        Box::pin(async move { Err(HttpError::new(HttpErrorKind::Connect, message)) })
    }
}
