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
