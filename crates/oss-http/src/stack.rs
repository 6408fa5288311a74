//! The request pipeline: trace → retry (with the operation's deadline) → per-attempt time
//! limits → sign → transport, run as one future.

use std::future::Future;
use std::sync::Arc;

use http::{Request, Response};
use tokio::time::Instant;

use crate::body::Body;
use crate::error::Error;
use crate::response_body::ResponseBody;
use crate::retry::{self, Attempt, RetryConfig};
use crate::sign::{self, SigningConfig};
use crate::target::SigningTarget;
use crate::timeouts::{self, SendProgress, Timeouts};
use crate::trace;
use crate::transport::HttpClient;

/// Settings of the stack besides signing.
#[derive(Debug, Clone, Default)]
pub struct StackConfig {
    /// Time limits (idle, first byte, deadline); a request's own [`Timeouts`] extension
    /// replaces them for that request.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryConfig,
}

/// The complete pipeline, cloneable, `Send + Sync`: one span per request, retries with
/// back-off, the time limits of [`Timeouts`], a fresh credentials snapshot and signature per
/// attempt, and the pooled transport, all within one future, with the request's
/// [`SigningTarget`] kept aside rather than copied for every attempt.
#[derive(Debug, Clone)]
pub struct HttpStack {
    transport: HttpClient,
    signing: Arc<SigningConfig>,
    retry: Arc<RetryConfig>,
    timeouts: Timeouts,
}

impl HttpStack {
    /// Assembles the pipeline over `transport`.
    pub fn new(transport: HttpClient, signing: Arc<SigningConfig>, config: &StackConfig) -> Self {
        Self {
            transport,
            signing,
            retry: Arc::new(config.retry.clone()),
            timeouts: config.timeouts,
        }
    }

    /// The signing configuration (for presigning with the same credentials and clock).
    pub fn signing(&self) -> &Arc<SigningConfig> {
        &self.signing
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The client-wide time limits.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The same pipeline (transport, pool, signing, retries) with other time limits.
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Self {
        Self {
            timeouts,
            ..self.clone()
        }
    }

    /// Sends one request through the stack. It must carry a [`SigningTarget`] extension, which
    /// is taken off the request here; nothing is sent until the future is first polled.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) without the extension;
    /// otherwise see [`crate::ErrorKind`].
    pub fn send(
        &self,
        mut request: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_ {
        let mut target = request.extensions_mut().remove::<SigningTarget>();
        async move { self.send_for(request, target.as_mut()).await }
    }

    /// [`Self::send`] with what the signature covers given beside the request, so the request
    /// needs no extension (inserting the first one costs three allocations) and the caller
    /// keeps the target, e.g. to name the bucket and key in an error. With `None`, the
    /// request's own [`SigningTarget`] extension is used; a `Some` target wins over an
    /// extension. A [`Timeouts`] extension replaces the client's limits for this request.
    /// The response body is read under the same idle timeout and deadline. Nothing is sent
    /// until the future is first polled.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) when `target` is `None`
    /// and the request has no extension; [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when
    /// a limit passed; otherwise see [`crate::ErrorKind`]. [`Error::attempts`] says how many
    /// attempts were made.
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
    )]
    pub fn send_for<'a>(
        &'a self,
        request: Request<Body>,
        target: Option<&'a mut SigningTarget>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + 'a {
        async move {
            // Created when first polled, as a child of the span the caller awaits in.
            let span = trace::request_span(&request);
            let timeouts = request
                .extensions()
                .get::<Timeouts>()
                .copied()
                .unwrap_or(self.timeouts);
            let deadline = timeouts
                .deadline
                .map(|total| (Instant::now() + total, total));
            let attempt = StackAttempt {
                target,
                stack: self,
                timeouts,
            };
            let exchange = retry::send_with_retries(
                &self.retry,
                &self.signing,
                request,
                attempt,
                deadline.map(|(at, _)| at),
            );
            let response = trace::traced(span, timeouts::bounded(exchange, deadline)).await?;
            Ok(response.map(|body| body.with_limits(timeouts.idle, deadline)))
        }
    }
}

/// One attempt through the stack: time limits → sign → transport.
struct StackAttempt<'s> {
    stack: &'s HttpStack,
    target: Option<&'s mut SigningTarget>,
    timeouts: Timeouts,
}

impl Attempt for StackAttempt<'_> {
    fn attempt(
        &mut self,
        mut request: Request<Body>,
    ) -> impl Future<Output = Result<Response<ResponseBody>, Error>> + Send + '_ {
        let stack = self.stack;
        // A body is watched chunk by chunk; without one, the first-byte limit runs at once.
        let progress = (request.body().content_length() > 0).then(|| {
            let progress = Arc::new(SendProgress::new());
            request.body_mut().track(Arc::clone(&progress));
            progress
        });
        let signed = sign::send_signed(
            &stack.signing,
            request,
            self.target.as_deref_mut(),
            |request| stack.transport.send(request),
        );
        timeouts::watch(signed, progress, self.timeouts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

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
    /// the retry loop, the signing step and `send_for` became `async` blocks, 1.7 KiB then, and
    /// 2.1 KiB with the time limits' two timers.
    #[tokio::test]
    async fn the_request_future_stays_small() {
        let stack = test_stack();
        let request = stack.send(Request::new(Body::empty()));
        let size = std::mem::size_of_val(&request);
        assert!(size <= 2560, "the request future takes {size} bytes");
    }
}
