//! Building a client: from environment variables, from `oss://` addresses, and the settings
//! that are refused before any I/O.

use std::time::Duration;

use http::Method;
use oss_client::auth::{Env, ProviderConfig};
use oss_client::types::OssUri;
use oss_client::{Client, ClientBuilder, ErrorKind};

use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, emulator};

/// A builder from `vars` alone: no process variables, an empty home directory, no ECS.
fn from_vars(vars: &[(&str, &str)], home: &std::path::Path) -> ClientBuilder {
    let mut pairs: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    pairs.push(("ALIBABA_CLOUD_ECS_METADATA_DISABLED".into(), "true".into()));
    ClientBuilder::from_env_config(ProviderConfig {
        env: Env::from_pairs(pairs),
        home_dir: Some(home.to_path_buf()),
        ..ProviderConfig::default()
    })
}

async fn round_trip(client: &Client, bucket: &str) {
    client.put_bucket().bucket(bucket).send().await.unwrap();
    client
        .put_object()
        .bucket(bucket)
        .key("env.txt")
        .body("from the environment")
        .send()
        .await
        .unwrap();
    let body = client
        .get_object()
        .bucket(bucket)
        .key("env.txt")
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap();
    assert_eq!(&body[..], b"from the environment");
}

/// The variables of the OSS SDKs' AccessKey, and of the credentials libraries' (default chain).
const OSS_KEYS: (&str, &str) = ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET");
const CHAIN_KEYS: (&str, &str) = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
);

/// A client from `vars`, `OSS_ENDPOINT` = the emulator and the test AccessKey in `keys`.
fn env_client(
    emu: &oss_emulator::EmulatorHandle,
    home: &std::path::Path,
    vars: &[(&str, &str)],
    (id_variable, secret_variable): (&str, &str),
) -> Client {
    let mut all = vars.to_vec();
    all.extend([
        ("OSS_ENDPOINT", emu.endpoint()),
        (id_variable, ACCESS_KEY_ID),
        (secret_variable, ACCESS_KEY_SECRET),
    ]);
    from_vars(&all, home).build().unwrap()
}

#[tokio::test]
async fn from_env_reads_the_oss_variables() {
    let emu = emulator().await;
    let home = tempfile::tempdir().unwrap();
    let client = env_client(&emu, home.path(), &[("OSS_REGION", emu.region())], OSS_KEYS);
    round_trip(&client, "from-env-oss").await;
}

#[tokio::test]
async fn from_env_falls_back_to_the_default_chain_and_the_cli_region_variable() {
    let emu = emulator().await;
    let home = tempfile::tempdir().unwrap();
    let region = [("ALIBABA_CLOUD_REGION_ID", emu.region())];
    let client = env_client(&emu, home.path(), &region, CHAIN_KEYS);
    round_trip(&client, "from-env-chain").await;

    // OSS_REGION wins over ALIBABA_CLOUD_REGION_ID: the emulator refuses the other scope.
    let regions = [("OSS_REGION", "cn-beijing"), region[0]];
    let client = env_client(&emu, home.path(), &regions, OSS_KEYS);
    let e = client.get_bucket_info("from-env-chain").await.unwrap_err();
    assert_eq!(e.code(), Some("AccessDenied"), "{e}");
    assert!(e.to_string().contains("cn-beijing"), "{e}");
}

#[tokio::test]
async fn from_env_without_a_region_or_credentials_says_which_variables() {
    let home = tempfile::tempdir().unwrap();
    let e = from_vars(&[], home.path()).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().contains("OSS_REGION"), "{e}");

    // Nothing configured anywhere: the first request fails with the chain's attempts.
    let client = from_vars(
        &[
            ("OSS_REGION", "cn-hangzhou"),
            ("OSS_ENDPOINT", "http://127.0.0.1:9"),
        ],
        home.path(),
    )
    .build()
    .unwrap();
    let e = client.list_buckets().send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Credentials, "{e}");
}

#[tokio::test]
async fn oss_uris_address_objects() {
    let emu = emulator().await;
    let client = crate::support::client(&emu, oss_client::SignatureVersion::V4);
    let uri: OssUri = "oss://uri-bucket/reports/2026/a b+c.txt".parse().unwrap();
    client
        .put_bucket()
        .bucket(uri.bucket())
        .send()
        .await
        .unwrap();
    let (bucket, key) = uri.clone().into_parts();
    let key = key.unwrap();
    client
        .put_object()
        .bucket(&bucket)
        .key(&key)
        .body("via oss://")
        .send()
        .await
        .unwrap();
    let listed = client
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.contents[0].key, "reports/2026/a b+c.txt");
    assert_eq!(uri.to_string(), "oss://uri-bucket/reports/2026/a b+c.txt");
}

#[tokio::test]
async fn contradictory_settings_are_refused_before_any_io() {
    let base = || {
        Client::builder()
            .region("cn-hangzhou")
            .credentials_provider(oss_client::auth::Credentials::from_keys("id", "secret"))
    };
    let endpoint_cases = [
        base()
            .use_internal_endpoint(true)
            .use_accelerate_endpoint(true),
        base()
            .use_dual_stack_endpoint(true)
            .use_internal_endpoint(true),
        base()
            .endpoint("oss-cn-beijing.aliyuncs.com")
            .use_internal_endpoint(true),
        base()
            .endpoint("https://static.example.com")
            .disable_ssl(true),
        base().use_cname(true),
        base()
            .endpoint("static.example.com")
            .use_cname(true)
            .addressing_style(oss_client::AddressingStyle::VirtualHosted),
    ];
    for builder in endpoint_cases {
        let e = builder.build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidEndpoint, "{e}");
    }
    let e = base().anonymous().build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");

    // An anonymous client has nothing to presign with.
    let anonymous = Client::builder()
        .region("cn-hangzhou")
        .endpoint("http://127.0.0.1:9")
        .anonymous()
        .build()
        .unwrap();
    let e = anonymous
        .presign(Method::GET)
        .bucket("bucket")
        .key("key")
        .expires_in(Duration::from_secs(60))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Credentials, "{e}");
}
