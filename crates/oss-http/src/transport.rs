//! The HTTP transport: hyper-util's pooled client over hyper-rustls (ring provider, passed
//! explicitly; no process-wide crypto provider is installed), through an HTTP proxy when the
//! [proxy rules](oss_auth::proxy) say so (by default `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`
//! and `NO_PROXY` from the environment).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oss_auth::http_client::{RootCertificates, https_connector};
use oss_auth::proxy::{Proxies, ProxyConfig, ProxyConnector};
use tower_service::Service;

use crate::body::Body;
use crate::connection_limit::LimitedConnector;
use crate::error::{Error, ErrorKind, from_client_error};
use crate::response_body::ResponseBody;

/// Builds an [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpClientBuilder {
    connect_timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    max_connections_per_host: Option<usize>,
    roots: RootCertificates,
    proxy: Proxy,
}

/// The proxy settings of a builder: still to be read, or already resolved.
#[derive(Debug, Clone)]
enum Proxy {
    Config(ProxyConfig),
    Resolved(Proxies),
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            pool_idle_timeout: Duration::from_secs(50),
            pool_max_idle_per_host: 256,
            max_connections_per_host: None,
            roots: RootCertificates::WebPki,
            proxy: Proxy::Config(ProxyConfig::from_env()),
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

    /// The most connections open to one host (`host:port`) at once, idle or in use (default
    /// unlimited). A request that finds none idle and none free waits until one of that host's
    /// connections returns to the pool or closes. `0` fails [`build`](Self::build): no
    /// request could ever be sent.
    pub fn max_connections_per_host(mut self, max: usize) -> Self {
        self.max_connections_per_host = Some(max);
        self
    }

    /// The trusted roots for `https://` endpoints (default [`RootCertificates::WebPki`];
    /// [`RootCertificates::Custom`] for a private CA, such as an emulator's test certificate).
    pub fn root_certificates(mut self, roots: RootCertificates) -> Self {
        self.roots = roots;
        self
    }

    /// Where the proxy settings come from (default [`ProxyConfig::from_env`], read by
    /// [`build`](Self::build)); [`ProxyConfig::disabled`] connects directly.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Proxy::Config(proxy);
        self
    }

    /// Proxy rules already read and checked ([`ProxyConfig::resolve`]).
    pub fn proxies(mut self, proxies: Proxies) -> Self {
        self.proxy = Proxy::Resolved(proxies);
        self
    }

    /// Builds the client. `http://` and `https://` endpoints are both accepted.
    ///
    /// # Errors
    /// [`ErrorKind::Connect`] when the native certificate store cannot be read, TLS cannot
    /// be configured, or a proxy setting is malformed or unsupported;
    /// [`ErrorKind::InvalidRequest`] for a `max_connections_per_host` of 0.
    pub fn build(self) -> Result<HttpClient, Error> {
        if self.max_connections_per_host == Some(0) {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "max_connections_per_host must be at least 1",
            ));
        }
        let proxies = match self.proxy {
            Proxy::Resolved(proxies) => proxies,
            Proxy::Config(config) => config.resolve().map_err(|e| {
                Error::new(ErrorKind::Connect, format!("invalid proxy setting: {e}")).with_source(e)
            })?,
        };
        let https = https_connector(&self.roots, self.connect_timeout, &proxies)
            .map_err(|e| Error::new(ErrorKind::Connect, "cannot configure TLS").with_source(e))?;
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(LimitedConnector::new(https, self.max_connections_per_host));
        Ok(HttpClient {
            inner: Arc::new(Inner { client, proxies }),
        })
    }
}

/// A pooled HTTP/1.1 client for `http://` and `https://` endpoints; a tower `Service`.
/// Cheap to clone: one reference count (clones share the pool). Tower services are cloned for
/// every request, so this keeps hyper's several shared handles from being counted each time.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client<LimitedConnector<HttpsConnector<ProxyConnector>>, Body>,
    proxies: Proxies,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.proxies.is_none() {
            return f.write_str("HttpClient");
        }
        f.debug_struct("HttpClient")
            .field("proxies", &self.inner.proxies)
            .finish()
    }
}

impl HttpClient {
    /// A builder with the defaults.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    /// The proxy rules this client follows.
    pub fn proxies(&self) -> &Proxies {
        &self.inner.proxies
    }

    /// Sends one request as it is (plus `Proxy-Authorization` when it goes to an `http://`
    /// target through a proxy with credentials: added here, after signing and tracing).
    pub(crate) fn send(
        &self,
        mut req: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + 'static {
        if let Some(auth) = self.inner.proxies.http_authorization(req.uri()) {
            req.headers_mut()
                .insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let fut = self.inner.client.request(req);
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
