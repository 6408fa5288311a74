//! Every credentials provider through the full client against the emulator's fakes (real
//! HTTP on loopback), with one manual clock shared by the emulator, the providers and the
//! client, so expiry and refresh thresholds are crossed without sleeping.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oss_auth::clock::{ManualClock, SharedClock};
use oss_client::Client;
use oss_client::auth::{
    CredentialsUriProvider, DefaultCredentialsChain, EcsRamRoleProvider, Env, OidcRoleArnProvider,
    ProvideCredentials, ProviderConfig, RamRoleArnProvider, StaticCredentialsProvider,
};
use oss_emulator::{Emulator, EmulatorBuilder, EmulatorHandle, FakeFailure, FakeService};

fn clock() -> ManualClock {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    ManualClock::new(UNIX_EPOCH + Duration::from_secs(now))
}

async fn start(
    clock: &ManualClock,
    configure: impl FnOnce(EmulatorBuilder) -> EmulatorBuilder,
) -> EmulatorHandle {
    let builder = Emulator::builder().clock(Arc::new(clock.clone()) as SharedClock);
    configure(builder).start().await.unwrap()
}

fn client(
    emu: &EmulatorHandle,
    clock: &ManualClock,
    provider: impl ProvideCredentials + 'static,
) -> Client {
    Client::builder()
        .endpoint(emu.endpoint())
        .region(emu.region())
        .credentials_provider(provider)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap()
}

async fn bucket(emu: &EmulatorHandle, clock: &ManualClock, name: &str) {
    let root =
        StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap();
    client(emu, clock, root)
        .put_bucket()
        .bucket(name)
        .send()
        .await
        .unwrap();
}

async fn put_get(client: &Client, bucket: &str, key: &str) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(key.to_owned())
        .send()
        .await
        .unwrap();
    let got = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    assert_eq!(got.body.collect().await.unwrap(), key.as_bytes());
}

fn ram_role(emu: &EmulatorHandle, clock: &ManualClock, duration_secs: u64) -> RamRoleArnProvider {
    RamRoleArnProvider::builder()
        .source(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .role_arn(emu.role_arn())
        .role_session_name("tests")
        .duration(Duration::from_secs(duration_secs))
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .clock(Arc::new(clock.clone()))
        .env(Env::from_pairs(Vec::<(String, String)>::new()))
        .build()
        .unwrap()
}

fn sts_calls(emu: &EmulatorHandle) -> usize {
    emu.fakes().requests(FakeService::Sts)
}

/// Waits (real time, bounded) for a background refresh to have happened.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn head_concurrently(client: &Client, bucket: &'static str, key: &'static str, n: usize) {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.head_object().bucket(bucket).key(key).send().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_requests_at_expiry_cause_one_sts_call() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "thousand").await;
    let client = client(&emu, &clock, ram_role(&emu, &clock, 3600));
    put_get(&client, "thousand", "first").await;
    assert_eq!(sts_calls(&emu), 1);
    // Inside the hard margin (exp - 30 s), before expiry: every request waits for the refresh.
    clock.advance(Duration::from_secs(3600 - 30 + 1));
    head_concurrently(&client, "thousand", "first", 1000).await;
    assert_eq!(
        sts_calls(&emu),
        2,
        "one AssumeRole for 1000 concurrent requests"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_requests_in_the_soft_window_cause_one_background_sts_call() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "soft").await;
    let client = client(&emu, &clock, ram_role(&emu, &clock, 3600));
    put_get(&client, "soft", "first").await;
    // Past the soft point (exp - 30 min), far from the hard one: requests keep signing with
    // the cached credentials while one AssumeRole runs in the background.
    clock.advance(Duration::from_secs(2400));
    head_concurrently(&client, "soft", "first", 1000).await;
    eventually("the background AssumeRole", || sts_calls(&emu) == 2).await;
    head_concurrently(&client, "soft", "first", 100).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(sts_calls(&emu), 2, "one AssumeRole for 1100 requests");
    emu.shutdown().await;
}

#[tokio::test]
async fn nine_hundred_second_roles_do_not_call_sts_per_request() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "short-role").await;
    let client = client(&emu, &clock, ram_role(&emu, &clock, 900));
    for i in 0..20 {
        clock.advance(Duration::from_secs(20));
        put_get(&client, "short-role", &format!("k{i}")).await;
    }
    // 400 s of a 900 s session, before the soft point (exp - 450 s).
    assert_eq!(sts_calls(&emu), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_failed_refresh_keeps_serving_valid_credentials() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "failing-sts").await;
    let client = client(&emu, &clock, ram_role(&emu, &clock, 3600));
    put_get(&client, "failing-sts", "before").await;
    emu.fakes().fail_next(
        FakeService::Sts,
        1,
        FakeFailure::Status {
            status: 500,
            code: "InternalError".into(),
        },
    );
    clock.advance(Duration::from_secs(2800));
    put_get(&client, "failing-sts", "during-outage").await;
    eventually("one failed background refresh", || sts_calls(&emu) == 2).await;
    put_get(&client, "failing-sts", "during-backoff").await;
    assert_eq!(sts_calls(&emu), 2, "no attempt during the backoff");
    clock.advance(Duration::from_secs(120));
    put_get(&client, "failing-sts", "after").await;
    eventually("refreshed after the backoff", || sts_calls(&emu) == 3).await;
    emu.shutdown().await;
}

#[tokio::test]
async fn refused_credentials_are_refreshed_once_and_the_request_retried() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "early-expiry").await;
    let client = client(&emu, &clock, ram_role(&emu, &clock, 3600));
    put_get(&client, "early-expiry", "one").await;
    // The service revokes every token early (bugs.md B20 variant): SecurityTokenExpired.
    emu.fakes().expire_temporary_credentials();
    put_get(&client, "early-expiry", "two").await;
    assert_eq!(sts_calls(&emu), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn refused_credentials_are_refreshed_even_with_retries_disabled() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "no-retries").await;
    let client = Client::builder()
        .endpoint(emu.endpoint())
        .region(emu.region())
        .credentials_provider(ram_role(&emu, &clock, 3600))
        .clock(Arc::new(clock.clone()))
        .retry(oss_client::RetryConfig::disabled())
        .build()
        .unwrap();
    put_get(&client, "no-retries", "one").await;
    emu.fakes().expire_temporary_credentials();
    put_get(&client, "no-retries", "two").await;
    assert_eq!(sts_calls(&emu), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn chained_roles() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "chained").await;
    let second = RamRoleArnProvider::builder()
        .source(ram_role(&emu, &clock, 3600))
        .role_arn(emu.role_arn())
        .role_session_name("second")
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    put_get(&client(&emu, &clock, second), "chained", "via-two-roles").await;
    assert_eq!(sts_calls(&emu), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn oidc_token_file_is_read_again_on_refresh() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "oidc").await;
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "token-one\n").unwrap();
    let provider = OidcRoleArnProvider::builder()
        .role_arn(emu.role_arn())
        .oidc_provider_arn(emu.oidc_provider_arn())
        .oidc_token_file(&token)
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    let client = client(&emu, &clock, provider);
    put_get(&client, "oidc", "one").await;
    assert_eq!(emu.fakes().last_oidc_token().as_deref(), Some("token-one"));
    std::fs::write(&token, "token-two").unwrap();
    clock.advance(Duration::from_secs(2701));
    put_get(&client, "oidc", "two").await;
    eventually("the background refresh reads the new token", || {
        emu.fakes().last_oidc_token().as_deref() == Some("token-two")
    })
    .await;
    put_get(&client, "oidc", "three").await;
    emu.shutdown().await;
}

#[tokio::test]
async fn ecs_ram_role_in_hardened_and_normal_mode() {
    for hardened in [true, false] {
        let clock = clock();
        let emu = start(&clock, |b| b.metadata().metadata_hardened(hardened)).await;
        bucket(&emu, &clock, "ecs").await;
        let provider = EcsRamRoleProvider::builder()
            .endpoint(emu.metadata_endpoint().unwrap())
            .disable_imds_v1(hardened)
            .clock(Arc::new(clock.clone()))
            .env(Env::from_pairs(Vec::<(String, String)>::new()))
            .build()
            .unwrap();
        let client = client(&emu, &clock, provider);
        put_get(&client, "ecs", "instance-role").await;
        // Token PUT, role discovery, credentials: 3 requests; the token and role are reused.
        assert_eq!(emu.fakes().requests(FakeService::Metadata), 3);
        // Past the soft point of a 6 h credential (exp - 30 min).
        clock.advance(Duration::from_secs(5 * 3600 + 50 * 60));
        put_get(&client, "ecs", "during-refresh").await;
        eventually("only the credentials again", || {
            emu.fakes().requests(FakeService::Metadata) == 4
        })
        .await;
        put_get(&client, "ecs", "after-refresh").await;
        assert_eq!(emu.fakes().requests(FakeService::Metadata), 4);
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn credentials_uri_in_both_shapes_and_through_the_default_chain() {
    for shape in [
        oss_emulator::UriShape::Code,
        oss_emulator::UriShape::StatusCode,
    ] {
        let clock = clock();
        let emu = start(&clock, |b| b.credentials_uri().credentials_uri_shape(shape)).await;
        bucket(&emu, &clock, "uri").await;
        let provider = CredentialsUriProvider::builder()
            .uri(emu.credentials_uri().unwrap())
            .clock(Arc::new(clock.clone()))
            .build()
            .unwrap();
        put_get(&client(&emu, &clock, provider), "uri", "from-uri").await;

        let home = tempfile::tempdir().unwrap();
        let config = ProviderConfig {
            env: Env::from_pairs([
                (
                    "ALIBABA_CLOUD_CREDENTIALS_URI",
                    emu.credentials_uri().unwrap(),
                ),
                ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            ]),
            home_dir: Some(home.path().to_path_buf()),
            clock: Some(Arc::new(clock.clone())),
            ..ProviderConfig::default()
        };
        let chain = Arc::new(DefaultCredentialsChain::with_config(config));
        put_get(
            &client(&emu, &clock, SharedChain(Arc::clone(&chain))),
            "uri",
            "from-chain",
        )
        .await;
        assert_eq!(chain.chosen_provider(), Some("CredentialsUri"));
        emu.shutdown().await;
    }
}

/// Lets the test keep a handle on the chain it gives the client.
#[derive(Debug)]
struct SharedChain(Arc<DefaultCredentialsChain>);

impl ProvideCredentials for SharedChain {
    fn provide_credentials(
        &self,
    ) -> impl std::future::Future<
        Output = Result<oss_client::auth::Credentials, oss_client::auth::CredentialsError>,
    > + Send {
        self.0.provide_credentials()
    }

    fn invalidate(&self, failed: &oss_client::auth::Credentials) {
        self.0.invalidate(failed);
    }
}

#[tokio::test]
async fn sts_credentials_expire_on_the_oss_api() {
    let clock = clock();
    let emu = start(&clock, |b| b.sts()).await;
    bucket(&emu, &clock, "expiry").await;
    let provider = ram_role(&emu, &clock, 900);
    let credentials = provider.provide_credentials().await.unwrap();
    let fixed = StaticCredentialsProvider::with_security_token(
        credentials.access_key_id(),
        credentials.expose_access_key_secret(),
        credentials.expose_security_token().unwrap(),
    )
    .unwrap();
    let client = client(&emu, &clock, fixed);
    put_get(&client, "expiry", "while-valid").await;
    clock.advance(Duration::from_secs(901));
    let err = client
        .put_object()
        .bucket("expiry")
        .key("late")
        .body("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("SecurityTokenExpired"));
    emu.shutdown().await;
}
