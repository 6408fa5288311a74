//! `oss_auth::provider::kms::KmsSecretProvider` against the emulator's KMS fake, with the
//! committed test ClientKey (PBES2/AES PKCS#12 made by OpenSSL 3): fetch, signature checks,
//! refresh interval, rotation + invalidate (ManualClock, loopback only).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use oss_auth::clock::ManualClock;
use oss_auth::http_client::{
    DefaultHttpClient, HttpFuture, HttpSend, RootCertificates, SharedHttpClient,
};
use oss_auth::provider::kms::KmsSecretProvider;
use oss_auth::sign::{QueryParams, SignableRequest, SignatureVersion, Signer, SigningParams};
use oss_auth::{Credentials, CredentialsErrorKind, Env, ProvideCredentials};
use oss_emulator::{Emulator, EmulatorHandle, FakeService};

const KMS_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kms");
const CLIENT_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/kms/clientKey_KAAP.emulator-client-key.json"
);
const PASSWORD_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/kms/client_key_password.txt"
);

fn http() -> DefaultHttpClient {
    DefaultHttpClient::new(&RootCertificates::WebPki, Duration::from_secs(5)).unwrap()
}

async fn start() -> (EmulatorHandle, ManualClock) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(secs));
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .kms()
        .start()
        .await
        .unwrap();
    (emu, clock)
}

fn provider(
    emu: &EmulatorHandle,
    clock: &ManualClock,
) -> oss_auth::provider::kms::KmsSecretProviderBuilder {
    KmsSecretProvider::builder()
        .client_key_file(CLIENT_KEY)
        .client_key_password_file(PASSWORD_FILE)
        .secret_name(oss_emulator::DEFAULT_KMS_SECRET_NAME)
        .region("cn-hangzhou")
        .endpoint(emu.kms_endpoint().unwrap())
        .clock(Arc::new(clock.clone()))
}

/// PUT bucket + object with `creds`; the status and OSS error code.
async fn oss_put(
    emu: &EmulatorHandle,
    clock: &ManualClock,
    creds: &Credentials,
) -> (StatusCode, String) {
    let client = http();
    let mut last = (StatusCode::OK, String::new());
    for (key, body) in [(None, &b""[..]), (Some("k"), &b"x"[..])] {
        let mut query = QueryParams::new();
        let mut headers = HeaderMap::new();
        let params = SigningParams::new(creds, emu.region(), oss_auth::clock::Clock::now(clock));
        Signer::new(SignatureVersion::V4)
            .sign_headers(
                &mut SignableRequest {
                    method: "PUT",
                    bucket: Some("kms-bucket"),
                    key,
                    query: &mut query,
                    headers: &mut headers,
                },
                &params,
            )
            .unwrap();
        let mut req = Request::builder().method(Method::PUT).uri(format!(
            "{}/kms-bucket/{}",
            emu.endpoint(),
            key.unwrap_or("")
        ));
        for (n, v) in &headers {
            req = req.header(n, v);
        }
        let resp = client
            .send(
                req.header("content-length", body.len())
                    .body(Bytes::from_static(body))
                    .unwrap(),
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        let text = String::from_utf8_lossy(resp.body()).into_owned();
        let code = text
            .split("<Code>")
            .nth(1)
            .and_then(|s| s.split("</Code>").next())
            .unwrap_or("")
            .to_owned();
        if resp.status() != StatusCode::OK && code != "BucketAlreadyExists" {
            return (resp.status(), code);
        }
        last = (resp.status(), code);
    }
    last
}

#[tokio::test]
async fn fetches_the_secret_access_key_and_it_works_on_oss() {
    let (emu, clock) = start().await;
    let p = provider(&emu, &clock).build().unwrap();
    let creds = p.provide_credentials().await.unwrap();
    assert_eq!(
        Some(creds.access_key_id().to_owned()),
        emu.fakes().kms_access_key_id()
    );
    assert!(creds.expose_security_token().is_none());
    assert_eq!(creds.provider_name(), "KmsSecret");
    assert_eq!(
        creds.expiration(),
        Some(oss_auth::clock::Clock::now(&clock) + Duration::from_secs(3600))
    );
    assert_eq!(oss_put(&emu, &clock, &creds).await.0, StatusCode::OK);
    // Cached: no second request.
    p.provide_credentials().await.unwrap();
    assert_eq!(emu.fakes().requests(FakeService::Kms), 1);

    // Password from an environment variable.
    let password = std::fs::read_to_string(PASSWORD_FILE).unwrap();
    let p = provider(&emu, &clock)
        .client_key_password_env("MY_CLIENT_KEY_PASSWORD")
        .env(Env::from_pairs([("MY_CLIENT_KEY_PASSWORD", password)]))
        .build()
        .unwrap();
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        creds.access_key_id()
    );
}

#[tokio::test]
async fn refetches_after_the_refresh_interval() {
    let (emu, clock) = start().await;
    let p = provider(&emu, &clock)
        .refresh_interval(Duration::from_secs(600))
        .build()
        .unwrap();
    let first = p.provide_credentials().await.unwrap();
    emu.fakes().rotate_kms_secret(false);
    clock.advance(Duration::from_secs(300));
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        first.access_key_id()
    );
    clock.advance(Duration::from_secs(301));
    let second = p.provide_credentials().await.unwrap();
    assert_ne!(second.access_key_id(), first.access_key_id());
    assert_eq!(
        Some(second.access_key_id().to_owned()),
        emu.fakes().kms_access_key_id()
    );
}

#[tokio::test]
async fn rotation_with_revocation_then_invalidate_yields_the_new_key() {
    let (emu, clock) = start().await;
    let p = provider(&emu, &clock).build().unwrap();
    let old = p.provide_credentials().await.unwrap();
    emu.fakes().rotate_kms_secret(true);
    // Still cached, and now refused by OSS.
    let cached = p.provide_credentials().await.unwrap();
    assert_eq!(cached.access_key_id(), old.access_key_id());
    assert_eq!(
        oss_put(&emu, &clock, &cached).await,
        (StatusCode::FORBIDDEN, "InvalidAccessKeyId".to_owned())
    );
    p.invalidate(&cached);
    let new = p.provide_credentials().await.unwrap();
    assert_ne!(new.access_key_id(), old.access_key_id());
    assert_eq!(
        Some(new.access_key_id().to_owned()),
        emu.fakes().kms_access_key_id()
    );
    assert_eq!(oss_put(&emu, &clock, &new).await.0, StatusCode::OK);
    assert_eq!(emu.fakes().requests(FakeService::Kms), 2);
    // Invalidating stale credentials again does not drop the new ones.
    p.invalidate(&old);
    p.provide_credentials().await.unwrap();
    assert_eq!(emu.fakes().requests(FakeService::Kms), 2);
}

/// Flips one character of the `Signature` query parameter, then sends for real.
#[derive(Debug)]
struct Tamper(DefaultHttpClient);

impl HttpSend for Tamper {
    fn send(&self, mut request: Request<Bytes>, timeout: Duration) -> HttpFuture<'_> {
        let uri = request.uri().to_string();
        let at = uri.find("Signature=").expect("a signature") + "Signature=".len();
        let mut bytes = uri.into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        *request.uri_mut() = String::from_utf8(bytes).unwrap().parse().unwrap();
        self.0.send(request, timeout)
    }
}

#[tokio::test]
async fn a_tampered_signature_is_refused() {
    let (emu, clock) = start().await;
    let tampering: SharedHttpClient = Arc::new(Tamper(http()));
    let p = provider(&emu, &clock)
        .http_client(tampering)
        .build()
        .unwrap();
    let err = p.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(err.to_string().contains("SignatureDoesNotMatch"), "{err}");
    assert_eq!(emu.fakes().requests(FakeService::Kms), 1);
}

#[tokio::test]
async fn configuration_errors() {
    let (emu, clock) = start().await;
    let err = provider(&emu, &clock)
        .client_key_password("not-the-password-xyz")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(!err.to_string().contains("not-the-password-xyz"), "{err}");
    let err = provider(&emu, &clock)
        .client_key_password_env("UNSET_PASSWORD_VAR")
        .env(Env::from_pairs::<String, String>([]))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let err = KmsSecretProvider::builder()
        .secret_name("s")
        .region("r")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    let err = provider(&emu, &clock)
        .client_key_file(format!("{KMS_DATA}/public_key.der"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    // A secret the fake does not have.
    let p = provider(&emu, &clock).secret_name("other").build().unwrap();
    let err = p.provide_credentials().await.unwrap_err();
    assert!(
        err.to_string().contains("Forbidden.ResourceNotFound"),
        "{err}"
    );
}
