//! One tracing span per request: method, host, path, status and `x-oss-request-id`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::FutureExt as _;
use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;
use tracing::Instrument as _;

use crate::body::Body;
use crate::error::Error;

/// Adds [`TraceService`] around a service.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceLayer;

impl<S> Layer<S> for TraceLayer {
    type Service = TraceService<S>;

    fn layer(&self, inner: S) -> TraceService<S> {
        TraceService { inner }
    }
}

/// Records a `oss_request` span (DEBUG level) with `method`, `host`, `path`, then `status` and
/// `request_id`. The query string (which holds presigned signatures), headers and bodies are
/// never recorded.
#[derive(Debug, Clone)]
pub struct TraceService<S> {
    inner: S,
}

impl<S, B> Service<Request<Body>> for TraceService<S>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Error>,
    S::Future: Send + 'static,
    B: 'static,
{
    type Response = Response<B>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let span = request_span(&request);
        Box::pin(traced(span, self.inner.call(request)))
    }
}

/// The `oss_request` span of a request (see [`TraceService`]).
pub(crate) fn request_span(request: &Request<Body>) -> tracing::Span {
    tracing::debug_span!(
        "oss_request",
        method = %request.method(),
        host = request.uri().host().unwrap_or(""),
        path = request.uri().path(),
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
    )
}

/// Runs `exchange` inside `span`, then records its status and request id. Shared by
/// [`TraceService`] and [`crate::HttpStack`]. The exchange is polled where it lies, not moved
/// into a larger future.
pub(crate) fn traced<B>(
    span: tracing::Span,
    exchange: impl Future<Output = Result<Response<B>, Error>>,
) -> impl Future<Output = Result<Response<B>, Error>> {
    let record = span.clone();
    exchange
        .inspect(move |result| match result {
            Ok(response) => {
                record.record("status", response.status().as_u16());
                if let Some(id) = response
                    .headers()
                    .get("x-oss-request-id")
                    .and_then(|v| v.to_str().ok())
                {
                    record.record("request_id", id);
                }
                tracing::debug!("response received");
            }
            Err(e) => tracing::debug!(error = %e, "request failed"),
        })
        .instrument(span)
}
