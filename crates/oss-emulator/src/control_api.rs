//! The HTTP control API: JSON over HTTP on its own listener
//! ([`crate::EmulatorBuilder::control_listen`], `--control-listen`), so that a test suite in
//! any language can steer a running emulator as a Rust test steers it through
//! [`crate::EmulatorHandle`]. The routes are documented in `docs/emulator-control.md`.
//!
//! No authentication: the listener is for tests on loopback. Bodies are JSON objects; errors
//! are `{"code": …, "message": …}` with the status OSS gives the same error.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::admin::{self, ControlError};
use crate::fakes::control::FakeControl;
use crate::fakes::{self, issue};
use crate::faults::FaultSpec;
use crate::http_util::{ConnectionDropped, Handler, Resp, empty};
use crate::state::State;

/// The largest request body the control API reads.
const MAX_BODY: usize = 64 * 1024;

/// Every route, for telling 404 (unknown path) from 405 (known path, other method).
const ROUTES: &[(&str, &[Method])] = &[
    ("/counters", &[Method::GET]),
    ("/faults", &[Method::PUT, Method::DELETE]),
    ("/clock-skew", &[Method::GET, Method::PUT]),
    ("/temporary-credentials", &[Method::POST]),
    ("/temporary-credentials/expire", &[Method::POST]),
    ("/buckets", &[Method::POST]),
    ("/multipart-uploads/abort", &[Method::POST]),
    ("/reset", &[Method::POST]),
    ("/journal", &[Method::GET, Method::DELETE]),
];

/// The control API's request handler.
pub(crate) fn handler(state: Arc<State>, fakes: FakeControl) -> Handler {
    Arc::new(move |req: http::Request<Incoming>| {
        let state = Arc::clone(&state);
        let fakes = fakes.clone();
        Box::pin(async move {
            let (parts, body) = req.into_parts();
            let body = match Limited::new(body, MAX_BODY).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return Err(ConnectionDropped),
            };
            tracing::debug!(method = %parts.method, path = parts.uri.path(), "control request");
            let resp = serve(&state, &fakes, &parts.method, parts.uri.path(), &body)
                .unwrap_or_else(|e| error_response(&e));
            Ok(resp)
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsBody {
    spec: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkewBody {
    seconds: i64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CredentialsBody {
    duration_seconds: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BucketBody {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbortBody {
    bucket: String,
    key: String,
    upload_id: String,
}

fn serve(
    state: &State,
    fakes: &FakeControl,
    method: &Method,
    path: &str,
    body: &Bytes,
) -> Result<Resp, ControlError> {
    let Some((route, methods)) = ROUTES.iter().find(|(route, _)| *route == path) else {
        return Err(ControlError::new(
            404,
            "NotFound",
            format!("No control route {path}."),
        ));
    };
    if !methods.contains(method) {
        return Err(ControlError::new(
            405,
            "MethodNotAllowed",
            format!("{route} takes {methods:?}."),
        ));
    }
    match (*route, method.as_str()) {
        ("/counters", _) => Ok(json(
            StatusCode::OK,
            &serde_json::json!({
                "requests_received": state.requests.load(Ordering::Relaxed),
                "injected_faults": state.faults.injected(),
            }),
        )),
        ("/faults", "PUT") => {
            let FaultsBody { spec } = parse(body)?;
            let spec = FaultSpec::parse(&spec)
                .map_err(|e| ControlError::new(400, "InvalidFaultSpec", e.to_string()))?;
            state.faults.set(spec);
            Ok(no_content())
        }
        ("/faults", _) => {
            state.faults.set(FaultSpec::default());
            Ok(no_content())
        }
        ("/clock-skew", "PUT") => {
            let SkewBody { seconds } = parse(body)?;
            state.skew.store(seconds, Ordering::Relaxed);
            Ok(no_content())
        }
        ("/clock-skew", _) => Ok(json(
            StatusCode::OK,
            &serde_json::json!({ "seconds": state.skew() }),
        )),
        ("/temporary-credentials", _) => {
            let request: CredentialsBody = if body.is_empty() {
                CredentialsBody::default()
            } else {
                parse(body)?
            };
            let lifetime = request.duration_seconds.map_or(
                fakes::credentials_uri::DEFAULT_LIFETIME,
                Duration::from_secs,
            );
            let issued = issue::temporary(&fakes.shared, lifetime);
            Ok(json(
                StatusCode::OK,
                &serde_json::json!({
                    "AccessKeyId": issued.access_key_id,
                    "AccessKeySecret": issued.access_key_secret,
                    "SecurityToken": issued.security_token,
                    "Expiration": issue::iso8601_seconds(issued.expiration),
                }),
            ))
        }
        ("/temporary-credentials/expire", _) => {
            fakes.expire_temporary_credentials();
            Ok(no_content())
        }
        ("/buckets", _) => {
            let BucketBody { name } = parse(body)?;
            admin::create_bucket(state, &name)?;
            Ok(json(
                StatusCode::CREATED,
                &serde_json::json!({ "name": name }),
            ))
        }
        ("/multipart-uploads/abort", _) => {
            let AbortBody {
                bucket,
                key,
                upload_id,
            } = parse(body)?;
            admin::abort_multipart_upload(state, &bucket, &key, &upload_id)?;
            Ok(no_content())
        }
        ("/reset", _) => {
            admin::reset(state)?;
            Ok(no_content())
        }
        ("/journal", "GET") => Ok(json(
            StatusCode::OK,
            &serde_json::json!({ "requests": state.journal.entries() }),
        )),
        _ => {
            state.journal.clear();
            Ok(no_content())
        }
    }
}

/// The JSON body as `T`, or 400 `InvalidArgument`.
fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ControlError> {
    serde_json::from_slice(body)
        .map_err(|e| ControlError::new(400, "InvalidArgument", format!("Bad JSON body: {e}.")))
}

fn json(status: StatusCode, value: &serde_json::Value) -> Resp {
    fakes::json(status, value)
}

fn no_content() -> Resp {
    empty(StatusCode::NO_CONTENT)
}

fn error_response(e: &ControlError) -> Resp {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(
        status,
        &serde_json::json!({ "code": e.code(), "message": e.message() }),
    )
}
