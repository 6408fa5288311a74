//! The HTTP/1.1 server: accept loop, one task per connection (keep-alive) with an idle
//! timer and a header-read timer, graceful shutdown, and the per-request pipeline
//! (address → authenticate → route → handle), with the injected faults of `faults.rs`.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HOST, HeaderValue};
use http::{Method, Request, Response};
use http_body::{Body as _, Frame};
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use oss_auth::sign::QueryParams;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;

use crate::auth::{AuthKind, AuthRequest, authenticate};
use crate::error::{ErrorCode, OssError};
use crate::faults::Abort;
use crate::handlers::dispatch::dispatch;
use crate::handlers::requester_pays::{self, Requester};
use crate::handlers::{Ctx, cors, lifecycle_expiry, referer_check, website};
use crate::http_util::{Body, ConnectionDropped, Handler, Resp, empty, read_body};
use crate::operation::Operation;
use crate::pace::{ReqBody, chunk_len, duration_of};
use crate::public_access;
use crate::router::{Target, resolve_target_with_cnames, route};
use crate::state::{State, shift};
use crate::time_fmt::http_date;

/// How long shutdown waits for in-flight requests before closing connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Largest request head (request line and headers) in bytes; larger → 431 and the
/// connection is closed (hyper's `max_header_size`).
pub(crate) const MAX_HEADER_BYTES: usize = 64 * 1024;
/// How long a client may take to complete the TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The default idle keep-alive timeout: a connection with no request in progress and no
/// byte received for this long is closed.
pub const DEFAULT_IDLE_CONNECTION_TIMEOUT: Duration = Duration::from_secs(60);
/// The default header-read timeout: a request head that started arriving must be complete
/// within this long, or the connection is closed (hyper's default).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The default cap on open connections per listener: a connection accepted beyond it is
/// closed at once, without reading from it.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// Connection timers (`None`: off).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnConfig {
    /// See [`DEFAULT_IDLE_CONNECTION_TIMEOUT`].
    pub(crate) idle: Option<Duration>,
    /// See [`DEFAULT_HEADER_READ_TIMEOUT`].
    pub(crate) header_read: Option<Duration>,
    /// See [`DEFAULT_MAX_CONNECTIONS`].
    pub(crate) max_connections: usize,
}

/// Request extension: controls of the connection the request arrived on.
#[derive(Debug, Clone)]
pub(crate) struct ConnCtl {
    rst: Arc<AtomicBool>,
}

impl ConnCtl {
    /// When the connection closes, close it with a TCP reset (`SO_LINGER` 0).
    pub(crate) fn reset_on_close(&self) {
        self.rst.store(true, Ordering::Relaxed);
    }
}

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

/// A connection's transport: plain TCP or TLS over TCP.
trait Socket: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    fn tcp(&self) -> &TcpStream;
}

impl Socket for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Socket for tokio_rustls::server::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

/// What one connection is doing, for its timers.
#[derive(Debug)]
struct Activity {
    state: Mutex<ActivityState>,
    changed: Notify,
}

#[derive(Debug)]
struct ActivityState {
    /// Requests whose answer is not completely sent (or dropped) yet.
    in_flight: usize,
    /// When the last answer finished (or the connection opened).
    idle_since: Instant,
    /// When the first byte of the next request head arrived (no request in flight).
    head_started: Option<Instant>,
}

impl Activity {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(ActivityState {
                in_flight: 0,
                idle_since: Instant::now(),
                head_started: None,
            }),
            changed: Notify::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ActivityState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes arrived: with no request in flight, a request head has started.
    fn bytes_read(&self) {
        let mut s = self.lock();
        if s.in_flight == 0 && s.head_started.is_none() {
            s.head_started = Some(Instant::now());
            drop(s);
            self.changed.notify_one();
        }
    }

    /// A request head was parsed; the guard ends the request when its answer is done.
    fn request_started(self: &Arc<Self>) -> InFlight {
        let mut s = self.lock();
        s.in_flight += 1;
        s.head_started = None;
        drop(s);
        self.changed.notify_one();
        InFlight(Arc::clone(self))
    }

    /// Resolves when a timer says the connection should close (only while no request is in
    /// flight), with the reason.
    async fn expired(&self, config: ConnConfig) -> &'static str {
        loop {
            let (deadline, why) = {
                let s = self.lock();
                if s.in_flight > 0 {
                    (None, "")
                } else if let Some(started) = s.head_started {
                    (
                        config.header_read.map(|d| started + d),
                        "header read timeout",
                    )
                } else {
                    (config.idle.map(|d| s.idle_since + d), "idle timeout")
                }
            };
            match deadline {
                None => self.changed.notified().await,
                Some(deadline) if deadline <= Instant::now() => return why,
                Some(deadline) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(deadline) => {}
                        () = self.changed.notified() => {}
                    }
                }
            }
        }
    }
}

/// One request in progress on a connection (see [`Activity::request_started`]).
#[derive(Debug)]
pub(crate) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
        if s.in_flight == 0 {
            s.idle_since = Instant::now();
        }
        drop(s);
        self.0.changed.notify_one();
    }
}

/// The transport as hyper sees it: reports reads to [`Activity`], and closes with a TCP
/// reset when [`ConnCtl::reset_on_close`] was called.
struct ConnIo<S: Socket> {
    inner: S,
    activity: Arc<Activity>,
    rst: Arc<AtomicBool>,
}

impl<S: Socket> Drop for ConnIo<S> {
    fn drop(&mut self) {
        if self.rst.load(Ordering::Relaxed) {
            if let Err(e) = self.inner.tcp().set_zero_linger() {
                tracing::debug!(error = %e, "SO_LINGER 0 failed");
            }
        }
    }
}

impl<S: Socket> AsyncRead for ConnIo<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            this.activity.bytes_read();
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: Socket> AsyncWrite for ConnIo<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Accepts connections (TLS first when `tls` is set) until `shutdown` changes or its sender
/// is dropped, then lets open connections finish their current request and returns.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    handler: Handler,
    mut shutdown: watch::Receiver<bool>,
    config: ConnConfig,
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
                while connections.try_join_next().is_some() {}
                if connections.len() >= config.max_connections {
                    tracing::warn!(%peer, max = config.max_connections, "too many connections: closing a new one");
                    drop(stream);
                    continue;
                }
                let _ = stream.set_nodelay(true);
                let handler = Arc::clone(&handler);
                let stop = shutdown.clone();
                let tls = tls.clone();
                connections.spawn(async move {
                    match tls {
                        None => serve_connection(stream, peer, handler, stop, config).await,
                        Some(acceptor) => {
                            let handshake =
                                tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                            match handshake.await {
                                Ok(Ok(tls_stream)) => {
                                    serve_connection(tls_stream, peer, handler, stop, config).await;
                                }
                                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                            }
                        }
                    }
                });
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

async fn serve_connection<S: Socket>(
    stream: S,
    peer: SocketAddr,
    handler: Handler,
    mut stop: watch::Receiver<bool>,
    config: ConnConfig,
) {
    let activity = Activity::new();
    let rst = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(ConnIo {
        inner: stream,
        activity: Arc::clone(&activity),
        rst: Arc::clone(&rst),
    });
    let ctl = ConnCtl { rst };
    let tracker = Arc::clone(&activity);
    let service = service_fn(move |mut req: Request<Incoming>| {
        let in_flight = tracker.request_started();
        req.extensions_mut().insert(ctl.clone());
        let answer = handler(req);
        async move {
            answer
                .await
                .map(|resp| ServerBody::from_response(resp, Some(in_flight)))
        }
    });
    let conn = http1::Builder::new()
        .keep_alive(true)
        .max_header_size(MAX_HEADER_BYTES)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let expired = activity.expired(config);
    tokio::pin!(expired);
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
        why = &mut expired => {
            tracing::debug!(%peer, why, "closing the connection");
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn).await;
        }
    }
}

/// Whether the request has a body to read (`Content-Length` > 0, or chunked).
fn has_body(headers: &http::HeaderMap) -> bool {
    headers.contains_key(http::header::TRANSFER_ENCODING)
        || content_length(headers).is_some_and(|n| n > 0)
}

fn content_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Resolves when the emulator shuts down.
async fn shutdown_signal(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// `stall` on a request with a body: reads part of it (see `faults.rs`), then waits for
/// shutdown; returns early when the client goes away while the part is read.
async fn stall_request(
    state: &State,
    mut body: Incoming,
    headers: &http::HeaderMap,
    bytes: Option<u64>,
) {
    let target = match (bytes, content_length(headers)) {
        (Some(n), Some(len)) => n.min(len.saturating_sub(1)),
        (Some(n), None) => n,
        (None, Some(len)) => len / 2,
        (None, None) => 0,
    };
    let mut read = 0u64;
    while read < target {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    read += data.len() as u64;
                }
            }
            _ => return,
        }
    }
    tracing::debug!(read, "injected fault: stalled request body");
    shutdown_signal(state.stopped.clone()).await;
}

/// Handles one request; every response gets `x-oss-request-id` and `Server`
/// (hyper adds `Date` unless the clock is skewed, and `Content-Length` for sized bodies).
///
/// Faults are decided first (see `faults.rs`): `reset`/`rst` drop the connection before
/// anything is read or applied, `stall` on a request with a body reads part of it and never
/// answers, `500`/`503` read and discard the body (recording it when recording is on) and
/// answer the error without applying the request; `slow` paces the request body;
/// `skew`/`expire-token` change what authentication sees; `commit-reset`/`commit-503`
/// replace the answer of an applied request; `latency`, `reset-body`, `rst-body`,
/// `short-body`, `corrupt-body`, `stall` and `slow` act on the answer of an applied request.
pub(crate) async fn handle(
    state: &State,
    req: Request<Incoming>,
) -> Result<Resp, ConnectionDropped> {
    if let Some(refused) = unmet_expectation(req.headers()) {
        return Ok(refused);
    }
    let request_id = crate::request_id::next();
    let is_head = req.method() == Method::HEAD;
    let host_id = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_owned();
    let (parts, body) = req.into_parts();
    if parts.method == Method::GET && parts.uri.path() == crate::callback::PUBLIC_KEY_PATH {
        // Not an OSS operation: the key that verifies the emulator's callback signatures.
        let mut resp = Resp::new(crate::callback::public_key_pem().into());
        resp.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-pem-file"),
        );
        return Ok(resp);
    }
    let query = QueryParams::parse(parts.uri.query().unwrap_or(""));
    let host = parts.headers.get(HOST).and_then(|h| h.to_str().ok());
    let target = resolve_target_with_cnames(host, parts.uri.path(), &state.cnames, |name| {
        crate::handlers::cname::bound_bucket(state, name)
    });
    let routed = target
        .as_ref()
        .ok()
        .map(|t| route(&parts.method, t, &query, &parts.headers));
    let op = routed.as_ref().and_then(|r| r.as_ref().ok().copied());
    let injected = state.faults.decide(op);
    let mut journal = state.journal.begin(
        op.map(|op| format!("{op:?}")),
        &parts.method,
        parts.uri.path(),
        &request_id,
    );
    let ctl = parts.extensions.get::<ConnCtl>().cloned();
    match injected.abort {
        Some(Abort::Reset) => {
            tracing::debug!(?op, "injected fault: reset");
            return Err(ConnectionDropped);
        }
        Some(Abort::Rst) => {
            tracing::debug!(?op, "injected fault: rst");
            if let Some(ctl) = &ctl {
                ctl.reset_on_close();
            }
            return Err(ConnectionDropped);
        }
        Some(Abort::Stall(bytes)) if has_body(&parts.headers) => {
            tracing::debug!(?op, "injected fault: stall (request body)");
            stall_request(state, body, &parts.headers, bytes).await;
            return Err(ConnectionDropped);
        }
        _ => {}
    }
    let body = ReqBody::new(body, injected.slow);
    let read_to_end = body.read_to_end();
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
                request_id: &request_id,
                target,
                routed,
            };
            process(state, now, req, body, injected.expire_token).await
        }
    };
    let result = match injected.abort {
        Some(Abort::CommitReset) => {
            tracing::debug!(?op, "injected fault: commit-reset");
            return Err(ConnectionDropped);
        }
        Some(Abort::Commit503) => {
            tracing::debug!(?op, "injected fault: commit-503");
            Err(OssError::new(
                ErrorCode::ServiceUnavailable,
                "The service is temporarily unavailable. Please try again.",
            ))
        }
        _ => result,
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
    if !read_to_end.load(std::sync::atomic::Ordering::Relaxed) {
        // Answered before the body was read (refused early, say): the unread bytes are still
        // on the connection, so it cannot carry another request.
        headers.insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    }
    if skew != 0 {
        headers.insert(http::header::DATE, crate::http_util::hv(&http_date(now)));
    }
    if !injected.latency.is_zero() {
        tokio::time::sleep(injected.latency).await;
    }
    if injected.abort == Some(Abort::CorruptBody) {
        tracing::debug!(?op, "injected fault: corrupt body");
        resp.extensions_mut().insert(Corrupt);
    }
    let cut = match injected.abort {
        Some(abort @ (Abort::ResetBody | Abort::ShortBody | Abort::RstBody)) => {
            tracing::debug!(?op, ?abort, "injected fault: truncated answer");
            if abort == Abort::RstBody {
                if let Some(ctl) = &ctl {
                    ctl.reset_on_close();
                }
            }
            Some(if abort == Abort::ShortBody {
                Cut::Short
            } else {
                Cut::Fail
            })
        }
        Some(Abort::Stall(bytes)) => {
            if is_head || resp.body().size_hint().exact() == Some(0) {
                tracing::debug!(?op, "injected fault: stall (no answer)");
                shutdown_signal(state.stopped.clone()).await;
                return Err(ConnectionDropped);
            }
            tracing::debug!(?op, "injected fault: stall (answer body)");
            Some(Cut::Stall {
                bytes,
                stop: state.stopped.clone(),
            })
        }
        _ => None,
    };
    if cut.is_some() || injected.slow.is_some() {
        resp.extensions_mut().insert(Shape {
            rate: injected.slow,
            cut,
        });
    }
    journal.answered(resp.status());
    Ok(resp)
}

/// `Expect` as OSS's HTTP front end treats it: `100-continue` is honoured (hyper sends
/// `100 Continue` when a handler first reads the body, so a request refused before that,
/// by authentication say, never has its body sent); any other expectation answers 417
/// Expectation Failed, without a body, and closes the connection.
fn unmet_expectation(headers: &http::HeaderMap) -> Option<Resp> {
    let expect = headers.get(http::header::EXPECT)?;
    if expect.as_bytes().eq_ignore_ascii_case(b"100-continue") {
        return None;
    }
    let mut resp = empty(http::StatusCode::EXPECTATION_FAILED);
    let h = resp.headers_mut();
    h.insert(http::header::SERVER, HeaderValue::from_static("AliyunOSS"));
    h.insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    Some(resp)
}

/// A request split up, with its addressing and routing already worked out.
struct Incoming3<'a> {
    parts: &'a http::request::Parts,
    query: &'a QueryParams,
    request_id: &'a str,
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
    body: ReqBody,
    expire_token: bool,
) -> Result<Resp, OssError> {
    let Incoming3 {
        parts,
        query,
        request_id,
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
    let op = routed.unwrap_or_else(|| route(&parts.method, &target, query, &parts.headers));
    // A form upload carries its signature in the form; its handler checks it.
    let kind = if matches!(op, Ok(Operation::PostObject)) {
        None
    } else {
        let keys = state.keys.read().unwrap_or_else(|e| e.into_inner());
        Some(authenticate(&keys, &state.region, &auth_req, now)?)
    };
    if expire_token && carries_token(parts, query) {
        return Err(OssError::new(
            ErrorCode::SecurityTokenExpired,
            "The security token you provided has expired.",
        ));
    }
    // Before an operation the emulator lacks can answer 501: OSS answers these for any.
    let location = matches!(op, Ok(Operation::GetBucketLocation));
    if let Some(answer) = state
        .other_regions
        .answer(target.bucket.as_deref(), location)
    {
        return answer;
    }
    let op = op?;
    if kind == Some(AuthKind::Anonymous) {
        let version_id = query.get("versionId").flatten().filter(|v| !v.is_empty());
        public_access::check(state, op, &target, version_id)?;
    }
    if let Some(bucket) = target.bucket.as_deref() {
        bucket_settings(state, op, bucket, kind, parts, query)?;
        lifecycle_expiry::apply(state, bucket, now)?;
    }
    tracing::debug!(?op, ?kind, "request");
    let ctx = Ctx {
        state,
        now,
        headers: &parts.headers,
        query,
        request_id,
    };
    let site = match (kind, target.bucket.as_deref()) {
        (Some(AuthKind::Anonymous), Some(bucket)) => {
            website::answer(&ctx, op, bucket, target.key.as_deref())
        }
        _ => None,
    };
    let mut resp = match site {
        Some(answer) => answer?,
        None => dispatch(&ctx, op, &target, body).await?,
    };
    if let Some(bucket) = target
        .bucket
        .as_deref()
        .filter(|_| op != Operation::OptionObject)
    {
        let cors = cors::response_headers(state, bucket, parts.method.as_str(), &parts.headers);
        for (name, value) in cors {
            resp.headers_mut().insert(name, value);
        }
    }
    Ok(resp)
}

/// The bucket settings that decide who may send a request: the referer rules (unsigned and
/// presigned requests, not the preflight) and pay-by-requester.
fn bucket_settings(
    state: &State,
    op: Operation,
    bucket: &str,
    kind: Option<AuthKind>,
    parts: &http::request::Parts,
    query: &QueryParams,
) -> Result<(), OssError> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let unsigned_or_presigned = matches!(
        kind,
        Some(AuthKind::Anonymous | AuthKind::V4Query | AuthKind::V1Query)
    );
    if unsigned_or_presigned && op != Operation::OptionObject {
        referer_check::check(state, bucket, header("referer"))?;
    }
    let requester = match kind {
        Some(AuthKind::Anonymous) => Requester::Anonymous,
        _ if carries_token(parts, query) => Requester::Other,
        _ => Requester::Owner,
    };
    let payer =
        header("x-oss-request-payer").or_else(|| query.get("x-oss-request-payer").flatten());
    let declared = payer.is_some_and(|p| p.eq_ignore_ascii_case("requester"));
    requester_pays::check(state, op, bucket, requester, declared)
}

/// Response extension: how the answer body goes out (see [`ServerBody`]).
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    /// `slow`: bytes per second.
    rate: Option<u64>,
    /// `reset-body`, `rst-body`, `short-body` or `stall`.
    cut: Option<Cut>,
}

/// How an answer is cut short.
#[derive(Debug, Clone)]
enum Cut {
    /// Half the body (Content-Length at least 1), then fail the connection (`reset-body`,
    /// `rst-body`: the connection's reset-on-close decides FIN or RST).
    Fail,
    /// Half the body (Content-Length at least 1), then end the connection (`short-body`).
    Short,
    /// Half the body or `bytes` of it (at most length − 1), then nothing until shutdown.
    Stall {
        bytes: Option<u64>,
        stop: watch::Receiver<bool>,
    },
}

/// Response extension: flip one byte in the middle of the body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Corrupt;

/// How long a cut answer waits after its partial body before failing the connection: hyper
/// flushes buffered bytes while the body is pending, but drops them on a body error.
const CUT_FLUSH_DELAY: Duration = Duration::from_millis(20);

/// What follows the last byte a [`ServerBody`] sends.
enum End {
    /// The body is complete.
    Done,
    /// A body error (after [`CUT_FLUSH_DELAY`]): hyper closes the connection.
    Fail,
    /// The end of the body short of Content-Length (after [`CUT_FLUSH_DELAY`]).
    Short,
    /// Nothing until the future resolves (shutdown), then a body error.
    Stall(Pin<Box<dyn Future<Output = ()> + Send>>),
}

/// The response body every listener sends: the handler's body, possibly paced (`slow`),
/// cut short (`reset-body`, `rst-body`, `short-body`, `stall`) or with one byte flipped
/// (`corrupt-body`). It holds the request's [`InFlight`] guard, so the connection counts as
/// busy until the body is done or dropped.
pub(crate) struct ServerBody {
    source: Body,
    /// Bytes taken from `source`, not yet sent.
    pending: Bytes,
    /// Bytes still to send before `end`.
    remaining: u64,
    /// How many bytes further the byte to flip is (`corrupt-body`).
    flip_in: Option<u64>,
    rate: Option<u64>,
    /// Whether the pause before the next paced chunk has been taken.
    paced: bool,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    flushed: bool,
    end: End,
    _in_flight: Option<InFlight>,
}

impl fmt::Debug for ServerBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerBody")
            .field("remaining", &self.remaining)
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

impl ServerBody {
    fn from_response(resp: Resp, in_flight: Option<InFlight>) -> Response<ServerBody> {
        let (mut parts, source) = resp.into_parts();
        let len = source.len();
        let mut flip_in = None;
        if parts.extensions.remove::<Corrupt>().is_some() {
            if len > 0 {
                flip_in = Some(len / 2);
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
        }
        let shape = parts.extensions.remove::<Shape>();
        let rate = shape.as_ref().and_then(|s| s.rate);
        let (remaining, end) = match shape.and_then(|s| s.cut) {
            None => (len, End::Done),
            Some(cut) => {
                let (advertised, keep, end) = match cut {
                    Cut::Fail => (len.max(1), len / 2, End::Fail),
                    Cut::Short => (len.max(1), len / 2, End::Short),
                    Cut::Stall { bytes, stop } => {
                        let keep = bytes.map_or(len / 2, |n| n.min(len.saturating_sub(1)));
                        (len, keep, End::Stall(Box::pin(shutdown_signal(stop))))
                    }
                };
                parts
                    .headers
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(advertised));
                (keep, end)
            }
        };
        Response::from_parts(
            parts,
            ServerBody {
                source,
                pending: Bytes::new(),
                remaining,
                flip_in,
                rate,
                paced: false,
                pause: None,
                flushed: false,
                end,
                _in_flight: in_flight,
            },
        )
    }

    /// The next `n` pending bytes, with the `corrupt-body` byte flipped if it is among them.
    fn take_pending(&mut self, n: usize) -> Bytes {
        let chunk = self.pending.split_to(n);
        self.remaining -= n as u64;
        match self.flip_in {
            Some(at) if at < n as u64 => {
                self.flip_in = None;
                let mut bytes = chunk.to_vec();
                bytes[at as usize] ^= 0x01;
                Bytes::from(bytes)
            }
            Some(at) => {
                self.flip_in = Some(at - n as u64);
                chunk
            }
            None => chunk,
        }
    }
}

impl http_body::Body for ServerBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        loop {
            if let Some(pause) = &mut this.pause {
                ready!(pause.as_mut().poll(cx));
                this.pause = None;
            }
            if this.pending.is_empty() && this.remaining > 0 {
                match ready!(Pin::new(&mut this.source).poll_frame(cx)) {
                    Some(Ok(frame)) => {
                        if let Ok(mut data) = frame.into_data() {
                            data.truncate(usize::try_from(this.remaining).unwrap_or(usize::MAX));
                            this.pending = data;
                        }
                        continue;
                    }
                    Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                    None => {
                        this.remaining = 0;
                        return Poll::Ready(Some(Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the answer's data ended early",
                        ))));
                    }
                }
            }
            if !this.pending.is_empty() {
                let n = match this.rate {
                    Some(rate) => {
                        let n = chunk_len(rate).min(this.pending.len());
                        if !this.paced {
                            this.paced = true;
                            this.pause = Some(Box::pin(tokio::time::sleep(duration_of(n, rate))));
                            continue;
                        }
                        this.paced = false;
                        n
                    }
                    None => this.pending.len(),
                };
                return Poll::Ready(Some(Ok(Frame::data(this.take_pending(n)))));
            }
            match &mut this.end {
                End::Done => return Poll::Ready(None),
                End::Stall(until) => {
                    ready!(until.as_mut().poll(cx));
                    this.end = End::Done;
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "injected fault: stall ended by shutdown",
                    ))));
                }
                End::Fail | End::Short if !this.flushed => {
                    this.flushed = true;
                    this.pause = Some(Box::pin(tokio::time::sleep(CUT_FLUSH_DELAY)));
                }
                End::Fail => {
                    this.end = End::Done;
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "injected fault: connection cut mid-body",
                    ))));
                }
                End::Short => return Poll::Ready(None),
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && self.remaining == 0 && matches!(self.end, End::Done)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.end {
            End::Done => http_body::SizeHint::with_exact(self.remaining),
            _ => http_body::SizeHint::default(),
        }
    }
}
