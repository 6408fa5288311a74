//! The assembled middleware stack: trace → retry → per-attempt timeout → sign → transport.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::body::Body;
use crate::error::{Error, ErrorKind};
use crate::response_body::ResponseBody;
use crate::retry::{RetryConfig, RetryLayer, RetryService};
use crate::sign::{SignLayer, SignService, SigningConfig};
use crate::trace::{TraceLayer, TraceService};
use crate::transport::HttpClient;

/// Settings of the stack besides signing.
#[derive(Debug, Clone)]
pub struct StackConfig {
    /// Time allowed for one attempt, from sending the request until the response headers have
    /// arrived (default 60 s). Reading the response body is not included.
    pub attempt_timeout: Duration,
    /// Retries.
    pub retry: RetryConfig,
}

impl Default for StackConfig {
    fn default() -> Self {
        Self {
            attempt_timeout: Duration::from_secs(60),
            retry: RetryConfig::default(),
        }
    }
}

/// The per-attempt timeout service.
#[derive(Debug, Clone)]
pub struct TimeoutService<S> {
    inner: S,
    timeout: Duration,
}

impl<S, R> Service<Request<Body>> for TimeoutService<S>
where
    S: Service<Request<Body>, Response = R, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = R;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<R, Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let timeout = self.timeout;
        let fut = self.inner.call(request);
        Box::pin(async move {
            match tokio::time::timeout(timeout, fut).await {
                Ok(result) => result,
                Err(_) => Err(Error::new(
                    ErrorKind::Timeout,
                    format!("no response within {} ms", timeout.as_millis()),
                )),
            }
        })
    }
}

type Inner = TraceService<RetryService<TimeoutService<SignService<HttpClient>>>>;

/// The complete stack as one cloneable, `Send + Sync` tower service.
#[derive(Debug, Clone)]
pub struct HttpStack {
    service: Inner,
    signing: Arc<SigningConfig>,
}

impl HttpStack {
    /// Assembles trace → retry → timeout → sign → `transport`.
    pub fn new(transport: HttpClient, signing: Arc<SigningConfig>, config: &StackConfig) -> Self {
        let signed = SignLayer::new(Arc::clone(&signing)).layer(transport);
        let timed = TimeoutService {
            inner: signed,
            timeout: config.attempt_timeout,
        };
        let retried = RetryLayer::new(config.retry.clone(), Arc::clone(&signing)).layer(timed);
        Self {
            service: TraceLayer.layer(retried),
            signing,
        }
    }

    /// The signing configuration (for presigning with the same credentials and clock).
    pub fn signing(&self) -> &Arc<SigningConfig> {
        &self.signing
    }

    /// Sends one request through the stack.
    ///
    /// # Errors
    /// See [`ErrorKind`].
    pub async fn send(&self, request: Request<Body>) -> Result<Response<ResponseBody>, Error> {
        let mut service = self.service.clone();
        std::future::poll_fn(|cx| service.poll_ready(cx)).await?;
        service.call(request).await
    }
}
