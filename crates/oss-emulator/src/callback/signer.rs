//! The callback POST: signed as OSS signs it, sent to the first URL that answers.
//!
//! `authorization` is the base64 RSA (PKCS #1 v1.5) signature with MD5 of
//! `<URL-decoded path><?query, when there is one>\n<body>`, and `x-oss-pub-key-url` the
//! base64 URL of the PEM public key that verifies it.

use std::sync::OnceLock;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _, LineEnding};
use rsa::signature::{SignatureEncoding as _, Signer as _};

use super::spec::CallbackSpec;

/// Where the emulator serves its callback public key (path-style: `-` is no bucket name).
pub(crate) const PUBLIC_KEY_PATH: &str = "/-/oss-emulator/callback-public-key.pem";

/// How long OSS waits for the callback server.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest callback answer OSS relays (3 MB).
const MAX_ANSWER: usize = 3 * 1024 * 1024;

/// The emulator's callback signing key: a 1024-bit test key, committed (it protects
/// nothing; the tests verify with its public half).
fn private_key() -> &'static rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        rsa::RsaPrivateKey::from_pkcs8_pem(include_str!("emulator-callback-key.pem"))
            .expect("the committed callback key is PKCS #8 PEM")
    })
}

/// The PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo) of the signing key.
pub(crate) fn public_key_pem() -> String {
    private_key()
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("an RSA public key encodes as PEM")
}

/// The `authorization` value for a POST of `body` to `uri`.
fn sign(uri: &http::Uri, body: &str) -> String {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    let mut text = path.into_owned();
    if let Some(query) = uri.query() {
        text.push('?');
        text.push_str(query);
    }
    text.push('\n');
    text.push_str(body);
    let signer = SigningKey::<md5::Md5>::new(private_key().clone());
    let signature = signer.sign(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(signature.to_bytes())
}

/// POSTs the rendered `body` to each URL of `spec` in turn; the first 200 answer whose body
/// is JSON is the result. Otherwise the message OSS puts in its `CallbackFailed` answer.
/// `key_url` is the URL of the public key (sent base64 in `x-oss-pub-key-url`).
pub(crate) async fn call(
    spec: &CallbackSpec,
    body: String,
    key_url: &str,
) -> Result<Bytes, String> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut failure = String::from("Error status : no callback URL.");
    for uri in &spec.urls {
        let host = match &spec.host {
            Some(host) => host.clone(),
            None => uri.authority().map(|a| a.to_string()).unwrap_or_default(),
        };
        let request = http::Request::post(uri.clone())
            .header(http::header::HOST, host)
            .header(http::header::CONTENT_TYPE, spec.body_type)
            .header("authorization", sign(uri, &body))
            .header(
                "x-oss-pub-key-url",
                base64::engine::general_purpose::STANDARD.encode(key_url),
            )
            .body(Full::new(Bytes::from(body.clone())));
        let Ok(request) = request else {
            failure = "Error status : invalid callback request.".to_owned();
            continue;
        };
        let answer = tokio::time::timeout(CALLBACK_TIMEOUT, async {
            let response = client.request(request).await.map_err(|e| e.to_string())?;
            let status = response.status();
            let bytes = Limited::new(response.into_body(), MAX_ANSWER)
                .collect()
                .await
                .map_err(|e| e.to_string())?
                .to_bytes();
            Ok::<_, String>((status, bytes))
        })
        .await;
        match answer {
            Ok(Ok((status, bytes))) if status == http::StatusCode::OK => {
                if serde_json::from_slice::<serde_json::Value>(&bytes).is_ok() {
                    return Ok(bytes);
                }
                failure = "Response body is not valid json format.".to_owned();
            }
            Ok(Ok((status, _))) => failure = format!("Error status : {}.", status.as_u16()),
            Ok(Err(e)) => failure = format!("Error status : -1. {e}"),
            Err(_) => {
                failure =
                    "Error status : -1. The callback server did not answer in 5 seconds.".to_owned()
            }
        }
    }
    Err(failure)
}
