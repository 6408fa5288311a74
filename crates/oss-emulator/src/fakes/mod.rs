//! Local fakes of the Alibaba Cloud credential services, each a real HTTP server on its own
//! loopback listener, sharing the emulator's key store and clock:
//!
//! * [`sts`]: STS `AssumeRole` (POP HMAC-SHA1 signature) and `AssumeRoleWithOIDC`;
//! * [`metadata`]: the ECS instance-metadata RAM-role endpoints (normal and hardened mode);
//! * [`credentials_uri`]: a credentials URI;
//! * [`kms`]: KMS `GetSecretValue` with a ClientKey (POP SHA256withRSA signature).
//!
//! Every credential they issue is registered in the key store ([`issue`]), so the OSS API
//! accepts it (with its security token) until it expires. [`config`] holds their fixed
//! settings ([`FakeConfig`](config::FakeConfig)), [`shared`] the state they share, and
//! [`control`] the test-facing [`FakeControl`](control::FakeControl); imports run
//! `control` -> `issue` -> `shared` -> `config`, never back.

pub(crate) mod config;
pub(crate) mod control;
pub(crate) mod credentials_uri;
pub(crate) mod issue;
pub(crate) mod kms;
pub(crate) mod metadata;
pub(crate) mod shared;
pub(crate) mod sts;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HOST, HeaderValue};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;

use crate::http_util::{Body, Resp};
use crate::http_util::{ConnectionDropped, Handler};
use shared::{FakeFailure, FakeService, FakeShared};

/// The largest request body a fake reads.
const MAX_BODY: usize = 1 << 20;
/// Allowed distance of `Timestamp` from now, and how long a `SignatureNonce` is remembered.
pub(crate) const POP_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A request as a fake sees it: the whole body read.
#[derive(Debug)]
pub(crate) struct FakeRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl FakeRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn host(&self) -> String {
        self.header(HOST.as_str()).unwrap_or("localhost").to_owned()
    }

    /// Query and (for a form body) body parameters, form-decoded, query first.
    pub(crate) fn params(&self) -> Vec<(String, String)> {
        let mut params = form_decode(self.query.as_deref().unwrap_or(""));
        let is_form = self
            .header(CONTENT_TYPE.as_str())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            params.extend(form_decode(&String::from_utf8_lossy(&self.body)));
        }
        params
    }
}

/// Decodes `a=b&c=d` with `application/x-www-form-urlencoded` rules (`+` is a space).
pub(crate) fn form_decode(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// The first value of `name`.
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Checks the envelope every RPC-style call shares (path `/`, GET or POST, `Version`) and
/// returns the request's parameters and its `Action`.
pub(crate) fn rpc_action(
    req: &FakeRequest,
    version: &str,
) -> Result<(Vec<(String, String)>, String), PopError> {
    if req.path != "/" {
        return Err(PopError::new(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        ));
    }
    if req.method != http::Method::GET && req.method != http::Method::POST {
        return Err(PopError::new(
            405,
            "UnsupportedHTTPMethod",
            "This http method is not supported.",
        ));
    }
    let params = req.params();
    let action = param(&params, "Action")
        .ok_or_else(|| PopError::missing("Action"))?
        .to_owned();
    let given = param(&params, "Version").ok_or_else(|| PopError::missing("Version"))?;
    if given != version {
        return Err(PopError::new(
            400,
            "InvalidVersion",
            format!("Specified parameter Version is not valid: {given}."),
        ));
    }
    Ok((params, action))
}

/// An error answer of an RPC-style service: HTTP `status`, JSON
/// `{"RequestId","HostId","Code","Message","Recommend"}`.
#[derive(Debug, Clone)]
pub(crate) struct PopError {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl PopError {
    pub(crate) fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    pub(crate) fn missing(name: &str) -> Self {
        Self::new(
            400,
            format!("Missing{name}"),
            format!("{name} is mandatory for this action."),
        )
    }

    pub(crate) fn into_response(self, host: &str) -> Resp {
        let request_id = request_id();
        let body = serde_json::json!({
            "RequestId": request_id,
            "HostId": host,
            "Code": self.code,
            "Message": self.message,
            "Recommend": format!(
                "https://api.aliyun.com/troubleshoot?q={}&product=emulator&requestId={request_id}",
                self.code
            ),
        });
        json(
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &body,
        )
    }
}

/// A UUID-shaped request id (upper-case hex, as the RPC gateways write).
pub(crate) fn request_id() -> String {
    let hex: String = issue::random_bytes(16)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    crate::request_id::uuid_layout(&hex)
}

/// A JSON response.
pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Resp {
    let mut resp = Response::new(Body::from(value.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    resp
}

/// A plain-text response.
pub(crate) fn text(status: StatusCode, body: impl Into<String>) -> Resp {
    let mut resp = Response::new(Body::from(Bytes::from(body.into())));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    resp
}

/// Checks `Timestamp` (`yyyy-MM-ddTHH:mm:ssZ`, within 15 minutes of now).
pub(crate) fn check_timestamp(
    params: &[(String, String)],
    now: SystemTime,
) -> Result<(), PopError> {
    let raw = param(params, "Timestamp").ok_or_else(|| PopError::missing("Timestamp"))?;
    let parsed = time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
        PopError::new(
            400,
            "InvalidTimeStamp.Format",
            format!("Specified time stamp or date value is not well formatted: {raw}."),
        )
    })?;
    let at = SystemTime::from(parsed);
    let diff = now.duration_since(at).unwrap_or_else(|e| e.duration());
    if diff > POP_WINDOW {
        return Err(PopError::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired. Timestamp {raw}, server time {}.",
                issue::iso8601_seconds(now)
            ),
        ));
    }
    Ok(())
}

/// Checks and records `SignatureNonce`.
pub(crate) fn check_nonce(
    shared: &FakeShared,
    params: &[(String, String)],
    now: SystemTime,
) -> Result<(), PopError> {
    let nonce = param(params, "SignatureNonce")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| PopError::missing("SignatureNonce"))?;
    if shared.use_nonce(nonce, now, POP_WINDOW) {
        Ok(())
    } else {
        Err(PopError::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ))
    }
}

/// The parameters that take part in a POP signature: all but `Signature`.
pub(crate) fn signed_params(params: &[(String, String)]) -> Vec<(String, String)> {
    params
        .iter()
        .filter(|(n, _)| n != "Signature")
        .cloned()
        .collect()
}

/// What each fake implements: one request in, one response out (never blocking).
pub(crate) type FakeFn = fn(&FakeShared, &FakeRequest) -> Resp;

/// Wraps a fake into a listener [`Handler`]: counts the request, reads the body, applies a
/// pending [`FakeFailure`], else calls `fake`.
pub(crate) fn handler(shared: Arc<FakeShared>, service: FakeService, fake: FakeFn) -> Handler {
    Arc::new(move |req: Request<Incoming>| {
        let shared = Arc::clone(&shared);
        Box::pin(async move {
            let failure = shared.begin_request(service);
            let (parts, body) = req.into_parts();
            let body = match Limited::new(body, MAX_BODY).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return Err(ConnectionDropped),
            };
            let request = FakeRequest {
                method: parts.method,
                path: parts.uri.path().to_owned(),
                query: parts.uri.query().map(str::to_owned),
                headers: parts.headers,
                body,
            };
            tracing::debug!(?service, method = %request.method, path = %request.path, "fake request");
            match failure {
                None => Ok(fake(&shared, &request)),
                Some(FakeFailure::Status { status, code }) => Ok(PopError::new(
                    status,
                    code,
                    "Failure injected by the emulator (FakeControl::fail_next).",
                )
                .into_response(&request.host())),
                Some(FakeFailure::Reset) => Err(ConnectionDropped),
                Some(FakeFailure::Hang) => {
                    let mut stop = shared.stop.clone();
                    while !*stop.borrow_and_update() {
                        if stop.changed().await.is_err() {
                            break;
                        }
                    }
                    Err(ConnectionDropped)
                }
            }
        })
    })
}
