//! A callback server for the upload-callback tests, started by the test on loopback: it
//! records each POST, verifies OSS's signature with the public key named in
//! `x-oss-pub-key-url` (fetched from the emulator), and answers as told.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::service::service_fn;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey as _;
use rsa::signature::Verifier as _;
use tokio::net::TcpListener;

/// One callback the server received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) path_and_query: String,
    pub(crate) host: String,
    pub(crate) content_type: String,
    pub(crate) body: String,
    /// Whether `authorization` verified with the served public key.
    pub(crate) signature_valid: bool,
}

/// A running callback server.
pub(crate) struct CallbackServer {
    pub(crate) url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl CallbackServer {
    /// Starts a server that answers every callback with `status` and `body`.
    pub(crate) async fn start(status: u16, body: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/callback?tenant=t1",
            listener.local_addr().unwrap()
        );
        let received = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&received);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let seen = Arc::clone(&seen);
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let seen = Arc::clone(&seen);
                        async move {
                            let record = record(req).await;
                            seen.lock().unwrap().push(record);
                            let mut resp = http::Response::new(Full::new(Bytes::from(body)));
                            *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
                            Ok::<_, std::convert::Infallible>(resp)
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        Self { url, received }
    }

    /// The callbacks received so far.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn record(req: http::Request<hyper::body::Incoming>) -> Received {
    let (parts, body) = req.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let key_url = String::from_utf8(b64.decode(header("x-oss-pub-key-url")).unwrap()).unwrap();
    let pem = fetch(&key_url).await;
    let key = rsa::RsaPublicKey::from_public_key_pem(&pem).unwrap();
    let mut signed = percent_encoding::percent_decode_str(parts.uri.path())
        .decode_utf8()
        .unwrap()
        .into_owned();
    if let Some(query) = parts.uri.query() {
        signed.push('?');
        signed.push_str(query);
    }
    signed.push('\n');
    signed.push_str(&body);
    let signature = Signature::try_from(b64.decode(header("authorization")).unwrap().as_slice());
    let signature_valid = signature.is_ok_and(|signature| {
        VerifyingKey::<md5::Md5>::new(key)
            .verify(signed.as_bytes(), &signature)
            .is_ok()
    });
    Received {
        path_and_query: parts.uri.to_string(),
        host: header("host"),
        content_type: header("content-type"),
        body,
        signature_valid,
    }
}

/// GETs `url` (the emulator's public key) over loopback.
async fn fetch(url: &str) -> String {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let response = client.get(url.parse().unwrap()).await.unwrap();
    assert_eq!(response.status(), 200, "public key at {url}");
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}
