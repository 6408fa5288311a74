//! The assembled middleware stack: trace → retry → per-attempt timeout → sign → transport.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::FutureExt as _;
use http::{Request, Response};
use tower_service::Service;

use crate::body::Body;
use crate::error::{Error, ErrorKind};
use crate::response_body::ResponseBody;
use crate::retry::{self, Attempt, RetryConfig};
use crate::sign::{self, SigningConfig};
use crate::target::SigningTarget;
use crate::trace;
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
            tokio::time::timeout(timeout, fut)
                .await
                .unwrap_or_else(|_| Err(timeout_error(timeout)))
        })
    }
}

/// `attempt`, or [`ErrorKind::Timeout`] when it has not finished within `timeout`. The attempt is
/// polled where it lies, not moved into a larger future.
fn with_timeout<T>(
    timeout: Duration,
    attempt: impl Future<Output = Result<T, Error>>,
) -> impl Future<Output = Result<T, Error>> {
    tokio::time::timeout(timeout, attempt)
        .map(move |outcome| outcome.unwrap_or_else(|_| Err(timeout_error(timeout))))
}

fn timeout_error(timeout: Duration) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!("no response within {} ms", timeout.as_millis()),
    )
}

/// The complete stack, cloneable, `Send + Sync`. It runs the same steps as the tower layers
/// composed in that order ([`crate::TraceService`] → [`crate::RetryService`] →
/// [`TimeoutService`] → [`crate::SignService`] → [`HttpClient`]) within one future, with the
/// request's [`SigningTarget`] kept aside rather than copied for every attempt.
#[derive(Debug, Clone)]
pub struct HttpStack {
    transport: HttpClient,
    signing: Arc<SigningConfig>,
    retry: Arc<RetryConfig>,
    attempt_timeout: Duration,
}

impl HttpStack {
    /// Assembles trace → retry → timeout → sign → `transport`.
    pub fn new(transport: HttpClient, signing: Arc<SigningConfig>, config: &StackConfig) -> Self {
        Self {
            transport,
            signing,
            retry: Arc::new(config.retry.clone()),
            attempt_timeout: config.attempt_timeout,
        }
    }

    /// The signing configuration (for presigning with the same credentials and clock).
    pub fn signing(&self) -> &Arc<SigningConfig> {
        &self.signing
    }

    /// Sends one request through the stack. It must carry a [`SigningTarget`] extension, which
    /// is taken off the request here; nothing is sent until the future is first polled.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] without the extension; otherwise see [`ErrorKind`].
    pub fn send(
        &self,
        mut request: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_ {
        let target = request.extensions_mut().remove::<SigningTarget>();
        self.send_for(request, target)
    }

    /// [`Self::send`] with what the signature covers given beside the request, so the request
    /// needs no extension (inserting the first one costs three allocations). With `None`, the
    /// request's own [`SigningTarget`] extension is used, as [`crate::SignService`] does; a
    /// `Some` target wins over an extension. Nothing is sent until the future is first polled.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when `target` is `None` and the request has no extension;
    /// otherwise see [`ErrorKind`].
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
    )]
    pub fn send_for(
        &self,
        request: Request<Body>,
        target: Option<SigningTarget>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_ {
        async move {
            // Created when first polled, as a child of the span the caller awaits in.
            let span = trace::request_span(&request);
            let attempt = StackAttempt {
                target,
                stack: self,
            };
            let exchange = retry::send_with_retries(&self.retry, &self.signing, request, attempt);
            trace::traced(span, exchange).await
        }
    }
}

/// One attempt through the stack: timeout → sign → transport.
struct StackAttempt<'s> {
    stack: &'s HttpStack,
    target: Option<SigningTarget>,
}

impl Attempt for StackAttempt<'_> {
    async fn ready(&mut self) -> Result<(), Error> {
        Ok(()) // the transport is always ready
    }

    fn attempt(
        &mut self,
        request: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_ {
        let stack = self.stack;
        let signed = sign::send_signed(&stack.signing, request, self.target.as_mut(), |request| {
            stack.transport.send(request)
        });
        with_timeout(stack.attempt_timeout, signed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `oss_request` span is created when the request is first polled, so it nests in the
    /// span the caller awaits it in, even when the future was made earlier.
    #[tokio::test]
    async fn the_request_span_nests_in_the_awaiting_span() {
        use std::sync::Mutex;
        use tracing::Instrument as _;
        use tracing_subscriber::layer::{Context, SubscriberExt as _};
        use tracing_subscriber::registry::LookupSpan;

        type Parents = Arc<Mutex<Vec<(String, Option<String>)>>>;
        struct RecordParents(Parents);
        impl<S> tracing_subscriber::Layer<S> for RecordParents
        where
            S: tracing::Subscriber + for<'a> LookupSpan<'a>,
        {
            fn on_new_span(
                &self,
                attrs: &tracing::span::Attributes<'_>,
                id: &tracing::span::Id,
                ctx: Context<'_, S>,
            ) {
                let parent = ctx
                    .span(id)
                    .and_then(|span| span.parent())
                    .map(|parent| parent.name().to_owned());
                let name = attrs.metadata().name().to_owned();
                self.0.lock().unwrap().push((name, parent));
            }
        }

        let parents = Parents::default();
        let subscriber = tracing_subscriber::registry().with(RecordParents(Arc::clone(&parents)));
        let _guard = tracing::subscriber::set_default(subscriber);
        let stack = test_stack();
        let request = stack.send(Request::new(Body::empty()));
        let outcome = request.instrument(tracing::info_span!("outer")).await;
        assert_eq!(outcome.unwrap_err().kind(), ErrorKind::InvalidRequest);
        let parents = parents.lock().unwrap();
        assert!(
            parents.contains(&("oss_request".to_owned(), Some("outer".to_owned()))),
            "{parents:?}"
        );
    }

    fn test_stack() -> HttpStack {
        let provider = oss_auth::SharedCredentialsProvider::new(
            oss_auth::StaticCredentialsProvider::new("id", "secret").unwrap(),
        );
        let signing = Arc::new(SigningConfig::new(
            provider,
            oss_auth::sign::SignatureVersion::V4,
            "cn-hangzhou",
        ));
        let transport = HttpClient::builder().build().unwrap();
        HttpStack::new(transport, signing, &StackConfig::default())
    }

    /// A request's future is moved by value into every caller's future as it is awaited, so
    /// its size is copied again at each level on every request. It was 9 KiB before the
    /// layers' futures were polled in place and the rare 403 path was boxed, 3.7 KiB before
    /// the retry loop, the signing step and `send_for` became `async` blocks, 1.7 KiB since.
    #[tokio::test]
    async fn the_request_future_stays_small() {
        let stack = test_stack();
        let request = stack.send(Request::new(Body::empty()));
        let size = std::mem::size_of_val(&request);
        assert!(size <= 2560, "the request future takes {size} bytes");
    }
}
