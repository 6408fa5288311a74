//! The HTTP transport: hyper-util's pooled client over hyper-rustls (ring provider, passed
//! explicitly; no process-wide crypto provider is installed).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oss_auth::http_client::{RootCertificates, https_connector};
use tower_service::Service;

use crate::body::Body;
use crate::error::{Error, ErrorKind, from_client_error};
use crate::response_body::ResponseBody;

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

    /// The trusted roots for `https://` endpoints (default [`RootCertificates::WebPki`];
    /// [`RootCertificates::Custom`] for a private CA, such as an emulator's test certificate).
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
        let https = https_connector(&self.roots, self.connect_timeout)
            .map_err(|e| Error::new(ErrorKind::Connect, "cannot configure TLS").with_source(e))?;
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(https);
        Ok(HttpClient {
            client: Arc::new(client),
        })
    }
}

/// A pooled HTTP/1.1 client for `http://` and `https://` endpoints; a tower `Service`.
/// Cheap to clone: one reference count (clones share the pool). Tower services are cloned for
/// every request, so this keeps hyper's several shared handles from being counted each time.
#[derive(Clone)]
pub struct HttpClient {
    client: Arc<Client<HttpsConnector<HttpConnector>, Body>>,
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

    /// Sends one request as it is.
    pub(crate) fn send(
        &self,
        req: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + 'static {
        let fut = self.client.request(req);
        async move {
            let response = fut.await.map_err(from_client_error)?;
            Ok(response.map(ResponseBody::streaming))
        }
    }
}

impl Service<Request<Body>> for HttpClient {
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ResponseBody>, Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        Box::pin(self.send(req))
    }
}
