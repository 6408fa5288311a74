//! A tiny HTTP/1.1 server on loopback that answers every request with the same canned
//! response: used to measure a client's request and response handling (e.g. parsing a
//! 1000-entry ListObjectsV2 result) without any server-side work.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The response the server gives to every request.
#[derive(Debug, Clone)]
pub struct Canned {
    /// Status code.
    pub status: StatusCode,
    /// Headers (`Content-Length` is added by hyper).
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
}

/// Serves `canned` on 127.0.0.1 (an ephemeral port) until the returned task is aborted.
///
/// # Errors
/// When the listener cannot be bound.
pub async fn serve(canned: Canned) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let canned = Arc::new(canned);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let canned = Arc::clone(&canned);
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<Incoming>| {
                    let canned = Arc::clone(&canned);
                    async move {
                        // Drain the request body so the connection stays reusable.
                        let _ = http_body_util::BodyExt::collect(req.into_body()).await;
                        let mut response = Response::new(Full::new(canned.body.clone()));
                        *response.status_mut() = canned.status;
                        *response.headers_mut() = canned.headers.clone();
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok((addr, task))
}
