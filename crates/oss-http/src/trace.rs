//! One tracing span per request: method, host, path, status and `x-oss-request-id`.

use std::future::Future;

use futures_util::FutureExt as _;
use http::{Request, Response};
use tracing::Instrument as _;

use crate::body::Body;
use crate::error::Error;

static X_OSS_REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-oss-request-id");

/// The `oss_request` span of a request (DEBUG level) with `method`, `host`, `path`, then
/// `status` and `request_id`. The query string (which holds presigned signatures), headers and
/// bodies are never recorded.
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

/// Runs `exchange` inside `span`, then records its status and request id. The exchange is polled where it lies, not moved
/// into a larger future.
pub(crate) fn traced<B>(
    span: tracing::Span,
    exchange: impl Future<Output = Result<Response<B>, Error>>,
) -> impl Future<Output = Result<Response<B>, Error>> {
    let record = span.clone();
    exchange
        .inspect(move |result| match result {
            Ok(response) => {
                // Without a subscriber for the span, the header is not even looked up.
                if !record.is_disabled() {
                    record.record("status", response.status().as_u16());
                    if let Some(id) = response
                        .headers()
                        .get(&X_OSS_REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                    {
                        record.record("request_id", id);
                    }
                }
                tracing::debug!("response received");
            }
            Err(e) => tracing::debug!(error = %e, "request failed"),
        })
        .instrument(span)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing_subscriber::layer::{Context, SubscriberExt as _};

    use super::*;

    /// Every field value recorded on any span, as `name=value`.
    #[derive(Clone, Default)]
    struct Recorded(Arc<Mutex<Vec<String>>>);

    impl Visit for Recorded {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let line = format!("{}={value:?}", field.name());
            self.0.lock().unwrap().push(line);
        }
    }

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recorded {
        fn on_record(
            &self,
            _span: &tracing::span::Id,
            values: &tracing::span::Record<'_>,
            _ctx: Context<'_, S>,
        ) {
            values.record(&mut self.clone());
        }
    }

    #[tokio::test]
    async fn the_span_records_status_and_request_id() {
        let recorded = Recorded::default();
        let subscriber = tracing_subscriber::registry().with(recorded.clone());
        let _guard = tracing::subscriber::set_default(subscriber);
        let request = Request::new(Body::empty());
        let response = Response::builder()
            .status(204)
            .header("x-oss-request-id", "5C3D9778CC1C2AEDF85BC4C3")
            .body(())
            .unwrap();
        let span = crate::trace::request_span(&request);
        traced(span, std::future::ready(Ok(response)))
            .await
            .unwrap();
        let recorded = recorded.0.lock().unwrap();
        assert!(recorded.contains(&"status=204".to_owned()), "{recorded:?}");
        assert!(
            recorded.contains(&"request_id=\"5C3D9778CC1C2AEDF85BC4C3\"".to_owned()),
            "{recorded:?}"
        );
    }
}
