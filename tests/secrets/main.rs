//! Secrets never appear in `Debug` output, errors or tracing output at any level.
//!
//! Its own test binary: the TRACE subscriber is installed globally, so output from every task
//! and thread is captured (a thread-local subscriber races with other tests' threads).

#[path = "../emulator/support.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;
use oss_client::SignatureVersion;
use oss_client::auth::StaticCredentialsProvider;

use support::{ACCESS_KEY_SECRET, client, emulator};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_in_debug_errors_or_trace_output() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("the only subscriber of this binary");

    let emu = emulator().await;
    let token = "CAIS+secret/token==";
    let mut shown = String::new();
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let client = client(&emu, version);
        let name = format!(
            "secrets-{}",
            if version == SignatureVersion::V4 {
                "v4"
            } else {
                "v1"
            }
        );
        client.put_bucket().bucket(&name).send().await.unwrap();
        client
            .put_object()
            .bucket(&name)
            .key("k")
            .body("v")
            .send()
            .await
            .unwrap();
        let got = client
            .get_object()
            .bucket(&name)
            .key("k")
            .send()
            .await
            .unwrap();
        shown += &format!("{got:?} {client:?}");
        let err = client
            .get_object()
            .bucket(&name)
            .key("missing")
            .send()
            .await
            .unwrap_err();
        shown += &format!("{err} {err:?}");
        let url = client
            .presign(Method::GET)
            .bucket(&name)
            .key("k")
            .expires_in(Duration::from_secs(60))
            .send()
            .await
            .unwrap();
        shown += &format!("{url:?}");
        assert!(!format!("{url:?}").contains("x-oss-signature"));

        let sts = oss_client::Client::builder()
            .region(emu.region())
            .endpoint(emu.endpoint())
            .signature_version(version)
            .credentials_provider(
                StaticCredentialsProvider::with_security_token(
                    support::ACCESS_KEY_ID,
                    ACCESS_KEY_SECRET,
                    token,
                )
                .unwrap(),
            )
            .build()
            .unwrap();
        let result = sts.get_object().bucket(&name).key("k").send().await;
        shown += &format!("{result:?} {sts:?}");
    }
    emu.shutdown().await;

    // Temporary credentials from STS: the issued secret and token stay out of every output.
    let sts = oss_emulator::Emulator::builder()
        .sts()
        .start()
        .await
        .unwrap();
    let role = oss_client::auth::RamRoleArnProvider::builder()
        .source(
            StaticCredentialsProvider::new(sts.access_key_id(), sts.access_key_secret()).unwrap(),
        )
        .role_arn(sts.role_arn())
        .sts_endpoint(sts.sts_endpoint().unwrap())
        .build()
        .unwrap();
    let issued = oss_client::auth::ProvideCredentials::provide_credentials(&role)
        .await
        .unwrap();
    let issued_secret = issued.expose_access_key_secret().to_owned();
    let issued_token = issued.expose_security_token().unwrap().to_owned();
    shown += &format!("{issued:?} {role:?}");
    let role_client = oss_client::Client::builder()
        .region(sts.region())
        .endpoint(sts.endpoint())
        .credentials_provider(role)
        .build()
        .unwrap();
    let result = role_client.put_bucket().bucket("sts-secrets").send().await;
    shown += &format!("{result:?} {role_client:?}");
    role_client
        .put_object()
        .bucket("sts-secrets")
        .key("k")
        .body("v")
        .send()
        .await
        .unwrap();
    sts.shutdown().await;
    let traced = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(traced.contains("oss_request"), "tracing was captured");
    for output in [&shown, &traced] {
        assert!(!output.contains(&issued_secret), "STS secret leaked");
        assert!(!output.contains(&issued_token), "STS token leaked");
        assert!(!output.contains(ACCESS_KEY_SECRET), "secret leaked");
        assert!(!output.contains(token), "token leaked");
        assert!(!output.contains("Signature="), "signature leaked");
        assert!(
            !output.contains("x-oss-signature="),
            "presigned signature leaked"
        );
    }
}
