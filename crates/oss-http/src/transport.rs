//! The HTTP transport: hyper-util's pooled client over hyper-rustls (ring provider, passed
//! explicitly; no process-wide crypto provider is installed).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use hyper::body::Incoming;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower_service::Service;

use crate::body::Body;
use crate::error::{Error, ErrorKind, from_client_error};

/// Which certificate authorities TLS connections trust.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RootCertificates {
    /// The Mozilla root program, compiled in (`webpki-roots`): works the same everywhere.
    #[default]
    WebPki,
    /// The operating system's certificate store.
    Native,
}

/// Builds an [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpClientBuilder {
    connect_timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    roots: RootCertificates,
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            pool_idle_timeout: Duration::from_secs(50),
            pool_max_idle_per_host: 256,
            roots: RootCertificates::WebPki,
        }
    }
}

impl HttpClientBuilder {
    /// Time allowed to establish a TCP connection (default 5 s, as the Go SDK).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an idle pooled connection is kept (default 50 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The most idle connections kept per host (default 256).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// The trusted roots for `https://` endpoints (default [`RootCertificates::WebPki`]).
    pub fn root_certificates(mut self, roots: RootCertificates) -> Self {
        self.roots = roots;
        self
    }

    /// Builds the client. `http://` and `https://` endpoints are both accepted.
    ///
    /// # Errors
    /// [`ErrorKind::Connect`] when the native certificate store cannot be read or TLS cannot
    /// be configured.
    pub fn build(self) -> Result<HttpClient, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls_error = |e: std::io::Error| {
            Error::new(ErrorKind::Connect, "cannot configure TLS").with_source(e)
        };
        let builder = match self.roots {
            RootCertificates::WebPki => HttpsConnectorBuilder::new()
                .with_provider_and_webpki_roots(provider)
                .map_err(|e| tls_error(std::io::Error::other(e)))?,
            RootCertificates::Native => HttpsConnectorBuilder::new()
                .with_provider_and_native_roots(provider)
                .map_err(tls_error)?,
        };
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        let https = builder.https_or_http().enable_http1().wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(https);
        Ok(HttpClient { client })
    }
}

/// A pooled HTTP/1.1 client for `http://` and `https://` endpoints; a tower `Service`.
/// Cheap to clone (clones share the pool).
#[derive(Clone)]
pub struct HttpClient {
    client: Client<HttpsConnector<HttpConnector>, Body>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpClient")
    }
}

impl HttpClient {
    /// A builder with the defaults.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }
}

impl Service<Request<Body>> for HttpClient {
    type Response = Response<Incoming>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Incoming>, Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let fut = self.client.request(req);
        Box::pin(async move { fut.await.map_err(from_client_error) })
    }
}
