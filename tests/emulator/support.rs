//! Shared set-up: an emulator per test and clients pointed at it. Included by several test
//! binaries, each using a part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use oss_client::auth::{Credentials, StaticCredentialsProvider, provide_credentials_fn};
use oss_client::operation::get_object::GetObjectOutput;
use oss_client::{Body, Client, Clock, SignatureVersion};
use oss_emulator::EmulatorHandle;

pub(crate) const ACCESS_KEY_ID: &str = "LTAI5tTestAccessKeyId";
pub(crate) const ACCESS_KEY_SECRET: &str = "test-secret-Zx9+/=";

/// Starts an emulator with the test AccessKey.
pub(crate) async fn emulator() -> EmulatorHandle {
    oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .start()
        .await
        .expect("emulator starts")
}

/// Starts an emulator with the test AccessKey that stores in `dir` (durable across restarts).
pub(crate) async fn emulator_in(dir: &std::path::Path) -> EmulatorHandle {
    oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .data_dir(dir)
        .start()
        .await
        .expect("emulator starts")
}

/// A client for `emu` signing with `version` and the right secret.
pub(crate) fn client(emu: &EmulatorHandle, version: SignatureVersion) -> Client {
    client_with_secret(emu, version, ACCESS_KEY_SECRET)
}

/// A client for `emu` that signs with `secret`.
pub(crate) fn client_with_secret(
    emu: &EmulatorHandle,
    version: SignatureVersion,
    secret: &str,
) -> Client {
    Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .signature_version(version)
        .credentials_provider(StaticCredentialsProvider::new(ACCESS_KEY_ID, secret).unwrap())
        .build()
        .unwrap()
}

/// A clock stuck at one instant.
#[derive(Debug)]
pub(crate) struct FixedClock(pub(crate) SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// A client whose clock reads `now`.
pub(crate) fn client_at(emu: &EmulatorHandle, now: SystemTime) -> Client {
    Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .clock(Arc::new(FixedClock(now)))
        .build()
        .unwrap()
}

/// A client pointed at a closed port whose provider counts its calls: any I/O attempt would
/// show as a provider call or a connect error.
pub(crate) fn offline_client() -> (Client, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let provider = provide_credentials_fn(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Credentials::from_keys("id", "secret")))
    });
    let client = Client::builder()
        .region("cn-hangzhou")
        .endpoint("http://127.0.0.1:9")
        .credentials_provider(provider)
        .build()
        .unwrap();
    (client, calls)
}

/// Creates a bucket and returns its name.
pub(crate) async fn bucket(client: &Client, name: &str) -> String {
    client.put_bucket().bucket(name).send().await.unwrap();
    name.to_owned()
}

/// The OSS ETag of `data`: quoted upper-case hex MD5.
pub(crate) fn etag_of(data: &[u8]) -> String {
    use md5::Digest as _;
    let digest = md5::Md5::digest(data);
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    format!("\"{hex}\"")
}

/// PutObject of `body` at `key` in `bucket`, which must succeed.
pub(crate) async fn put(
    client: &Client,
    bucket: impl Into<String>,
    key: impl Into<String>,
    body: impl Into<Body>,
) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(body)
        .send()
        .await
        .unwrap();
}

/// GetObject of `key` in `bucket`, which must succeed; the body is not read yet.
pub(crate) async fn get(
    client: &Client,
    bucket: impl Into<String>,
    key: impl Into<String>,
) -> GetObjectOutput {
    client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap()
}

/// A request as the raw server saw it.
#[derive(Debug, Clone)]
pub(crate) struct RawRequest {
    /// `GET`, `HEAD`…
    pub(crate) method: String,
    /// The request target: path and query, as sent.
    pub(crate) target: String,
}

/// A loopback HTTP/1.1 server that answers every request with the raw bytes `answer` returns
/// for it (status line, headers and body exactly as given; the connection is closed after
/// each answer), for answers no OSS would give: HTML pages, truncated XML, garbage.
pub(crate) struct RawServer {
    pub(crate) endpoint: String,
    requests: Arc<std::sync::Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    pub(crate) async fn start(
        answer: impl Fn(&RawRequest) -> Vec<u8> + Send + Sync + 'static,
    ) -> Self {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let answer = Arc::new(answer);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let seen = Arc::clone(&seen);
                let answer = Arc::clone(&answer);
                tokio::spawn(async move {
                    // The request head, then as many body bytes as Content-Length says.
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let head_end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                    let length: usize = head
                        .lines()
                        .filter_map(|l| l.split_once(':'))
                        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < head_end + length {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let mut words = head.split_whitespace();
                    let request = RawRequest {
                        method: words.next().unwrap_or_default().to_owned(),
                        target: words.next().unwrap_or_default().to_owned(),
                    };
                    let bytes = answer(&request);
                    seen.lock().unwrap().push(request);
                    let _ = socket.write_all(&bytes).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            endpoint,
            requests,
            task,
        }
    }

    /// A client for this server (no retries unless `attempts` > 1).
    pub(crate) fn client(&self, attempts: u32) -> Client {
        Client::builder()
            .region("cn-hangzhou")
            .endpoint(&self.endpoint)
            .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
            .retry(oss_client::RetryConfig {
                max_attempts: attempts,
                base: std::time::Duration::from_millis(1),
                ..oss_client::RetryConfig::default()
            })
            .build()
            .unwrap()
    }

    /// The requests answered so far.
    pub(crate) fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A raw HTTP/1.1 answer: status line, the headers given plus `Content-Length` and
/// `Connection: close`, and `body`.
pub(crate) fn raw_answer(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}
