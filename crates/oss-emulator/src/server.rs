//! The HTTP/1.1 server: accept loop, one task per connection (keep-alive), graceful
//! shutdown, and the per-request pipeline (address → authenticate → route → handle).

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HOST, HeaderValue};
use http::{Method, Request};
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
use crate::error::OssError;
use crate::handlers::{Ctx, Resp, dispatch};
use crate::router::{resolve_target, route};
use crate::state::State;

/// How long shutdown waits for in-flight requests before closing connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
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
        let state = Arc::clone(&state);
        Box::pin(async move { Ok(handle(&state, req).await) })
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
    let service = service_fn(move |req| handler(req));
    let conn = http1::Builder::new()
        .keep_alive(true)
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
/// (hyper adds `Date`, and `Content-Length` for sized bodies).
pub(crate) async fn handle(state: &State, req: Request<Incoming>) -> Resp {
    let request_id = crate::request_id::next();
    let is_head = req.method() == Method::HEAD;
    let host_id = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_owned();
    let method = req.method().clone();
    let mut resp = match process(state, req).await {
        Ok(resp) => resp,
        Err(e) => {
            tracing::info!(code = e.code.as_str(), %method, "request refused");
            e.into_response(&request_id, &host_id, is_head)
        }
    };
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert("x-oss-request-id", v);
    }
    headers.insert(http::header::SERVER, HeaderValue::from_static("AliyunOSS"));
    resp
}

async fn process(state: &State, req: Request<Incoming>) -> Result<Resp, OssError> {
    let now = state.clock.now();
    let (parts, body) = req.into_parts();
    let query = QueryParams::parse(parts.uri.query().unwrap_or(""));
    let host = parts.headers.get(HOST).and_then(|h| h.to_str().ok());
    let target = resolve_target(host, parts.uri.path())?;
    let auth_req = AuthRequest {
        method: parts.method.as_str(),
        bucket: target.bucket.as_deref(),
        key: target.key.as_deref(),
        query: &query,
        headers: &parts.headers,
    };
    let kind = {
        let keys = state.keys.read().unwrap_or_else(|e| e.into_inner());
        authenticate(&keys, &state.region, &auth_req, now)?
    };
    let op = route(
        &parts.method,
        &target,
        &query,
        parts.headers.contains_key("x-oss-copy-source"),
    )?;
    tracing::debug!(?op, ?kind, "request");
    let ctx = Ctx {
        state,
        now,
        headers: &parts.headers,
        query: &query,
    };
    dispatch(&ctx, op, &target, body).await
}
