//! The HTTP/1.1 server: accept loop, one task per connection (keep-alive), graceful
//! shutdown, and the per-request pipeline (address → authenticate → route → handle).

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HOST, HeaderValue};
use http::{Method, Request, Response};
use http_body::{Body as _, Frame};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use oss_auth::sign::QueryParams;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::auth::{AuthRequest, authenticate};
use crate::error::{ErrorCode, OssError};
use crate::faults::Abort;
use crate::handlers::{Ctx, Resp, dispatch, read_body};
use crate::router::{Operation, Target, resolve_target, route};
use crate::state::{State, shift};
use crate::time_fmt::http_date;

/// How long shutdown waits for in-flight requests before closing connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Largest request head (request line and headers) in bytes; larger → 431 and the
/// connection is closed (hyper's `max_header_size`).
pub(crate) const MAX_HEADER_BYTES: usize = 64 * 1024;
/// How long a client may take to complete the TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The response future of a [`Handler`]; `Err` closes the connection without an answer.
pub(crate) type HandlerFuture =
    Pin<Box<dyn Future<Output = Result<Resp, ConnectionDropped>> + Send>>;

/// What a listener does with each request.
pub(crate) type Handler = Arc<dyn Fn(Request<Incoming>) -> HandlerFuture + Send + Sync>;

/// A handler's way of saying "close the connection without answering".
#[derive(Debug)]
pub(crate) struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for ConnectionDropped {}

/// The OSS API as a [`Handler`].
pub(crate) fn oss_handler(state: Arc<State>) -> Handler {
    Arc::new(move |req| {
        state
            .requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let state = Arc::clone(&state);
        Box::pin(async move { handle(&state, req).await })
    })
}

/// Accepts connections (TLS first when `tls` is set) until `shutdown` changes or its sender
/// is dropped, then lets open connections finish their current request and returns.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    handler: Handler,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let handler = Arc::clone(&handler);
                let stop = shutdown.clone();
                let tls = tls.clone();
                connections.spawn(async move {
                    match tls {
                        None => serve_connection(TokioIo::new(stream), peer, handler, stop).await,
                        Some(acceptor) => {
                            let handshake =
                                tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                            match handshake.await {
                                Ok(Ok(tls_stream)) => {
                                    serve_connection(TokioIo::new(tls_stream), peer, handler, stop)
                                        .await;
                                }
                                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                            }
                        }
                    }
                });
                while connections.try_join_next().is_some() {}
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drain).await.is_err() {
        connections.shutdown().await;
    }
}

async fn serve_connection<I>(
    io: TokioIo<I>,
    peer: SocketAddr,
    handler: Handler,
    mut stop: watch::Receiver<bool>,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| {
        let answer = handler(req);
        async move { answer.await.map(ServerBody::from_response) }
    });
    let conn = http1::Builder::new()
        .keep_alive(true)
        .max_header_size(MAX_HEADER_BYTES)
        .serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        }
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Handles one request; every response gets `x-oss-request-id` and `Server`
/// (hyper adds `Date` unless the clock is skewed, and `Content-Length` for sized bodies).
///
/// Faults are decided first (see `faults.rs`): `reset` drops the connection before anything
/// is read or applied, `500`/`503` read and discard the body (recording it when recording is
/// on) and answer the error without applying the request; `skew`/`expire-token` change what
/// authentication sees; `latency`, `reset-body` and `short-body` act on the answer of a
/// request that was applied.
pub(crate) async fn handle(
    state: &State,
    req: Request<Incoming>,
) -> Result<Resp, ConnectionDropped> {
    let request_id = crate::request_id::next();
    let is_head = req.method() == Method::HEAD;
    let host_id = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_owned();
    let (parts, body) = req.into_parts();
    let query = QueryParams::parse(parts.uri.query().unwrap_or(""));
    let host = parts.headers.get(HOST).and_then(|h| h.to_str().ok());
    let target = resolve_target(host, parts.uri.path());
    let routed = target.as_ref().ok().map(|t| {
        route(
            &parts.method,
            t,
            &query,
            parts.headers.contains_key("x-oss-copy-source"),
        )
    });
    let op = routed.as_ref().and_then(|r| r.as_ref().ok().copied());
    let injected = state.faults.decide(op);
    if injected.abort == Some(Abort::Reset) {
        tracing::debug!(?op, "injected fault: reset");
        return Err(ConnectionDropped);
    }
    let skew = state.skew().saturating_add(injected.skew);
    let now = shift(state.clock.now(), skew);
    let result = match injected.abort {
        Some(abort @ (Abort::Status500 | Abort::Status503)) => {
            tracing::debug!(?op, ?abort, "injected fault: error status");
            if let Ok(data) = read_body(body, &parts.headers, state.max_object_size).await {
                if let (
                    Ok(t),
                    Some(Operation::PutObject | Operation::AppendObject | Operation::UploadPart),
                ) = (&target, op)
                {
                    state.record(
                        t.bucket.as_deref().unwrap_or(""),
                        t.key.as_deref().unwrap_or(""),
                        &data,
                    );
                }
            }
            Err(if abort == Abort::Status500 {
                OssError::new(
                    ErrorCode::InternalError,
                    "We encountered an internal error. Please try again.",
                )
            } else {
                OssError::new(
                    ErrorCode::ServiceUnavailable,
                    "The service is temporarily unavailable. Please try again.",
                )
            })
        }
        _ => {
            let req = Incoming3 {
                parts: &parts,
                query: &query,
                target,
                routed,
            };
            process(state, now, req, body, injected.expire_token).await
        }
    };
    let mut resp = match result {
        Ok(resp) => resp,
        Err(e) => {
            tracing::info!(code = e.code.as_str(), method = %parts.method, "request refused");
            e.into_response(&request_id, &host_id, is_head)
        }
    };
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert("x-oss-request-id", v);
    }
    headers.insert(http::header::SERVER, HeaderValue::from_static("AliyunOSS"));
    if skew != 0 {
        headers.insert(http::header::DATE, crate::handlers::hv(&http_date(now)));
    }
    if !injected.latency.is_zero() {
        tokio::time::sleep(injected.latency).await;
    }
    if injected.abort == Some(Abort::CorruptBody) {
        tracing::debug!(?op, "injected fault: corrupt body");
        resp.extensions_mut().insert(Corrupt);
    }
    if let Some(abort @ (Abort::ResetBody | Abort::ShortBody)) = injected.abort {
        tracing::debug!(?op, ?abort, "injected fault: truncated answer");
        resp.extensions_mut().insert(Cut {
            abort: abort == Abort::ResetBody,
        });
    }
    Ok(resp)
}

/// A request split up, with its addressing and routing already worked out.
struct Incoming3<'a> {
    parts: &'a http::request::Parts,
    query: &'a QueryParams,
    target: Result<Target, OssError>,
    /// `None` when `target` is an error.
    routed: Option<Result<Operation, OssError>>,
}

/// Whether the request carries an STS security token (header or presigned query).
fn carries_token(parts: &http::request::Parts, query: &QueryParams) -> bool {
    parts.headers.contains_key("x-oss-security-token")
        || query.contains("x-oss-security-token")
        || query.contains("security-token")
}

async fn process(
    state: &State,
    now: SystemTime,
    req: Incoming3<'_>,
    body: Incoming,
    expire_token: bool,
) -> Result<Resp, OssError> {
    let Incoming3 {
        parts,
        query,
        target,
        routed,
    } = req;
    let target = target?;
    let auth_req = AuthRequest {
        method: parts.method.as_str(),
        bucket: target.bucket.as_deref(),
        key: target.key.as_deref(),
        query,
        headers: &parts.headers,
    };
    let kind = {
        let keys = state.keys.read().unwrap_or_else(|e| e.into_inner());
        authenticate(&keys, &state.region, &auth_req, now)?
    };
    if expire_token && carries_token(parts, query) {
        return Err(OssError::new(
            ErrorCode::SecurityTokenExpired,
            "The security token you provided has expired.",
        ));
    }
    let op = routed.unwrap_or_else(|| {
        route(
            &parts.method,
            &target,
            query,
            parts.headers.contains_key("x-oss-copy-source"),
        )
    });
    // Before an operation the emulator lacks can answer 501: OSS answers these for any.
    let location = matches!(op, Ok(Operation::GetBucketLocation));
    if let Some(answer) = state
        .other_regions
        .answer(target.bucket.as_deref(), location)
    {
        return answer;
    }
    let op = op?;
    tracing::debug!(?op, ?kind, "request");
    let ctx = Ctx {
        state,
        now,
        headers: &parts.headers,
        query,
    };
    dispatch(&ctx, op, &target, body).await
}

/// Response extension: send the headers and half the body, then close the connection
/// (`abort`: by failing the body stream; else by ending it short of its Content-Length).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cut {
    abort: bool,
}

/// Response extension: flip one byte in the middle of the body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Corrupt;

/// The response body every listener sends: the handler's body, or a truncated one.
#[derive(Debug)]
pub(crate) enum ServerBody {
    /// The whole body.
    Full(Full<Bytes>),
    /// Part of the body, then (after [`CUT_FLUSH_DELAY`], so hyper flushes what was
    /// sent) the end of the connection.
    Cut {
        data: Option<Bytes>,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
        abort: bool,
    },
}

/// How long a cut answer waits after its partial body before failing the connection: hyper
/// flushes buffered bytes while the body is pending, but drops them on a body error.
const CUT_FLUSH_DELAY: Duration = Duration::from_millis(20);

impl ServerBody {
    fn from_response(resp: Resp) -> Response<ServerBody> {
        let (mut parts, mut body) = resp.into_parts();
        if parts.extensions.remove::<Corrupt>().is_some() {
            let mut data = body.into_data_now().unwrap_or_default().to_vec();
            let middle = data.len() / 2;
            if let Some(byte) = data.get_mut(middle) {
                *byte ^= 0x01;
            } else if let Some(crc) = parts
                .headers
                .get("x-oss-hash-crc64ecma")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
            {
                // An answer without a body (a write): report the CRC-64 of damaged bytes.
                parts
                    .headers
                    .insert("x-oss-hash-crc64ecma", HeaderValue::from(crc ^ 1));
            }
            body = Full::new(Bytes::from(data));
        }
        match parts.extensions.remove::<Cut>() {
            None => Response::from_parts(parts, ServerBody::Full(body)),
            Some(cut) => {
                // A Full body yields its bytes in one frame, at once.
                let data = body.into_data_now().unwrap_or_default();
                let advertised = data.len().max(1);
                parts
                    .headers
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(advertised));
                let data = data.slice(..data.len() / 2);
                Response::from_parts(
                    parts,
                    ServerBody::Cut {
                        data: Some(data),
                        pause: None,
                        abort: cut.abort,
                    },
                )
            }
        }
    }
}

trait IntoDataNow {
    fn into_data_now(self) -> Option<Bytes>;
}

impl IntoDataNow for Full<Bytes> {
    fn into_data_now(self) -> Option<Bytes> {
        let mut body = self;
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        match Pin::new(&mut body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => frame.into_data().ok(),
            _ => None,
        }
    }
}

impl http_body::Body for ServerBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            ServerBody::Full(full) => Pin::new(full)
                .poll_frame(cx)
                .map_err(|never| match never {}),
            ServerBody::Cut { data, pause, abort } => {
                if let Some(d) = data.take() {
                    *pause = Some(Box::pin(tokio::time::sleep(CUT_FLUSH_DELAY)));
                    return Poll::Ready(Some(Ok(Frame::data(d))));
                }
                if let Some(p) = pause {
                    if p.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    *pause = None;
                }
                if std::mem::take(abort) {
                    return Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "injected fault: reset-body",
                    ))));
                }
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ServerBody::Full(full) => full.is_end_stream(),
            ServerBody::Cut { .. } => false,
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            ServerBody::Full(full) => full.size_hint(),
            ServerBody::Cut { .. } => http_body::SizeHint::default(),
        }
    }
}
