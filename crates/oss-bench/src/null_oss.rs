//! A "null OSS": answers PutObject and GetObject like OSS without checking signatures or
//! storing anything, so a client's own cost can be measured with almost no server-side work
//! (the reference point of the project's performance research).
//!
//! * `PUT` with a body (object or part): the body is drained while its CRC-64 is computed;
//!   200 with `ETag` and `x-oss-hash-crc64ecma` (the client compares it with what it sent).
//! * `GET`: 200 with [`crate::payload`] of the configured size, its `ETag` and CRC-64.
//! * `HEAD`: the same headers without a body.
//! * Anything else (PutBucket…): 200 with an empty body.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, ETAG, LAST_MODIFIED};
use http::{HeaderValue, Method, Request, Response};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

struct Object {
    body: Bytes,
    etag: HeaderValue,
    crc: HeaderValue,
    length: HeaderValue,
}

const REQUEST_ID: &str = "0123456789ABCDEF01234567";
const LAST_MODIFIED_VALUE: &str = "Mon, 01 Jan 2024 00:00:00 GMT";

fn etag_of(crc: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{crc:016X}{crc:016X}\"")).expect("hex is a valid header")
}

async fn handle(req: Request<Incoming>, object: Arc<Object>) -> Response<Full<Bytes>> {
    let method = req.method().clone();
    let mut response = Response::new(Full::new(Bytes::new()));
    let headers = response.headers_mut();
    headers.insert("x-oss-request-id", HeaderValue::from_static(REQUEST_ID));
    headers.insert("server", HeaderValue::from_static("AliyunOSS"));
    if method == Method::PUT {
        let mut digest = crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc64Xz);
        let mut body = req.into_body();
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                digest.update(&data);
            }
        }
        let crc = digest.finalize();
        headers.insert(ETAG, etag_of(crc));
        headers.insert(
            "x-oss-hash-crc64ecma",
            HeaderValue::from_str(&crc.to_string()).expect("digits"),
        );
    } else if method == Method::GET || method == Method::HEAD {
        headers.insert(ETAG, object.etag.clone());
        headers.insert("x-oss-hash-crc64ecma", object.crc.clone());
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
        headers.insert(LAST_MODIFIED, HeaderValue::from_static(LAST_MODIFIED_VALUE));
        headers.insert("x-oss-object-type", HeaderValue::from_static("Normal"));
        headers.insert("x-oss-storage-class", HeaderValue::from_static("Standard"));
        if method == Method::GET {
            *response.body_mut() = Full::new(object.body.clone());
        } else {
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, object.length.clone());
        }
    } else {
        drop(req.into_body().collect().await);
    }
    response
}

/// Serves the null OSS on `addr` until the process ends; GETs return [`crate::payload`] of
/// `object_size` bytes. Returns the bound address through `on_bound` before serving.
///
/// # Errors
/// When the listener cannot be bound.
pub async fn serve(
    addr: SocketAddr,
    object_size: usize,
    on_bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let body = Bytes::from(crate::payload(object_size));
    let crc = crate::crc64(&body);
    let object = Arc::new(Object {
        etag: etag_of(crc),
        crc: HeaderValue::from_str(&crc.to_string()).expect("digits"),
        length: HeaderValue::from(body.len()),
        body,
    });
    let listener = TcpListener::bind(addr).await?;
    on_bound(listener.local_addr()?);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let object = Arc::clone(&object);
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let object = Arc::clone(&object);
                async move { Ok::<_, Infallible>(handle(req, object).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
