//! Copies of a request for sending it again.

use http::Request;

use crate::body::Body;
use crate::target::SigningTarget;

/// A copy of the request to send again, when its body can be replayed (in-memory bodies; a
/// one-shot stream cannot, so a request with one is never retried).
pub(crate) fn replayable_copy(request: &Request<Body>) -> Option<Request<Body>> {
    let mut copy = Request::new(request.body().try_clone()?);
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    if let Some(target) = request.extensions().get::<SigningTarget>() {
        copy.extensions_mut().insert(target.clone());
    }
    if let Some(policy) = request.extensions().get::<crate::retry::RetryOverride>() {
        copy.extensions_mut().insert(*policy);
    }
    Some(copy)
}
