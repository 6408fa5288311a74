//! Access points and the account's public access block against the emulator: each operation
//! succeeds with real values and is refused with OSS's error code; access points survive a
//! restart with a data directory; the account's block refuses anonymous reads that a public
//! ACL grants. The Python SDK reads what we wrote and the other way round
//! (tests/python/cross_access_points.py).

use futures_util::TryStreamExt as _;
use oss_client::operation::access_point::{
    CreateAccessPoint, CreateAccessPointConfiguration, DeleteAccessPoint, GetAccessPoint,
};
use oss_client::operation::access_point_list::ListAccessPoints;
use oss_client::operation::access_point_policy::{
    DeleteAccessPointPolicy, GetAccessPointPolicy, PutAccessPointPolicy,
};
use oss_client::operation::access_point_public_access_block::{
    DeleteAccessPointPublicAccessBlock, GetAccessPointPublicAccessBlock,
    PutAccessPointPublicAccessBlock,
};
use oss_client::operation::acl::Acl;
use oss_client::operation::bucket_public_access_block::{
    PublicAccessBlockConfiguration, PutBucketPublicAccessBlock,
};
use oss_client::operation::public_access_block::{
    DeletePublicAccessBlock, GetPublicAccessBlock, PutPublicAccessBlock,
};
use oss_client::{Client, ErrorKind, SignatureVersion};

use crate::python_support::{PythonRun, interpreter};
use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, bucket, client, emulator, put};

const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["1234567890"],"Resource":["acs:oss:cn-hangzhou:1234567890:accesspoint/ap-rust/object/*"]}]}"#;

fn code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

fn status(error: &oss_client::Error) -> u16 {
    error.as_service_error().map_or(0, |s| s.status().as_u16())
}

async fn create(client: &Client, bucket: &str, ap: CreateAccessPointConfiguration) {
    client
        .create_access_point(
            CreateAccessPoint::default()
                .bucket(bucket)
                .configuration(ap),
        )
        .await
        .unwrap();
}

/// An emulator, our client and bucket `name` holding the internet access point `ap`.
async fn with_access_point(name: &str, ap: &str) -> (oss_emulator::EmulatorHandle, Client, String) {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, name).await;
    create(&client, &b, CreateAccessPointConfiguration::internet(ap)).await;
    (emu, client, b)
}

fn named(bucket: &str, name: &str) -> GetAccessPoint {
    GetAccessPoint::default()
        .bucket(bucket)
        .access_point_name(name)
}

#[tokio::test]
async fn access_points_are_created_read_listed_and_deleted() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "ap-home").await;
    let created = client
        .create_access_point(CreateAccessPoint::default().bucket(&b).configuration(
            CreateAccessPointConfiguration::vpc("ap-01", "vpc-t4nlw426y"),
        ))
        .await
        .unwrap();
    assert!(
        created.access_point_arn.starts_with("acs:oss:cn-hangzhou:"),
        "{}",
        created.access_point_arn
    );
    assert!(created.access_point_arn.ends_with(":accesspoint/ap-01"));
    assert!(created.alias.starts_with("ap-01-") && created.alias.ends_with("-ossalias"));

    let got = client.get_access_point(named(&b, "ap-01")).await.unwrap();
    let ap = got.access_point;
    assert_eq!(ap.access_point_name, "ap-01");
    assert_eq!(ap.bucket, b);
    assert_eq!(ap.network_origin, "vpc");
    assert_eq!(ap.vpc_configuration.unwrap().vpc_id, "vpc-t4nlw426y");
    assert_eq!(ap.access_point_arn, created.access_point_arn);
    assert_eq!(ap.alias, created.alias);
    assert_eq!(ap.status, "enable");
    assert!(ap.creation_date.parse::<u64>().unwrap() > 1_600_000_000);
    let endpoints = ap.endpoints.unwrap();
    assert!(
        endpoints
            .public_endpoint
            .starts_with(&format!("ap-01-{}.oss-cn-hangzhou", ap.account_id)),
        "{}",
        endpoints.public_endpoint
    );
    assert!(
        !ap.public_access_block_configuration
            .unwrap()
            .block_public_access
    );

    // Three more, one on another bucket: the account lists four, the bucket three.
    create(
        &client,
        &b,
        CreateAccessPointConfiguration::internet("ap-02"),
    )
    .await;
    create(
        &client,
        &b,
        CreateAccessPointConfiguration::internet("ap-03"),
    )
    .await;
    let other = bucket(&client, "ap-other").await;
    create(
        &client,
        &other,
        CreateAccessPointConfiguration::internet("ap-04"),
    )
    .await;
    let pages: Vec<_> = client
        .list_access_points_paginator(ListAccessPoints::default().max_keys(3u32))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_truncated);
    assert_eq!(pages[0].next_continuation_token.as_deref(), Some("ap-04"));
    let names: Vec<(&str, &str)> = pages
        .iter()
        .flat_map(|p| &p.access_points)
        .map(|a| (a.access_point_name.as_str(), a.bucket.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("ap-01", b.as_str()),
            ("ap-02", &b),
            ("ap-03", &b),
            ("ap-04", &other)
        ]
    );
    let of_bucket = client
        .list_access_points(ListAccessPoints::default().bucket(&b))
        .await
        .unwrap();
    assert_eq!(of_bucket.access_points.len(), 3);
    assert!(!of_bucket.is_truncated);
    assert_eq!(of_bucket.access_points[1].network_origin, "internet");

    let deleted = client
        .delete_access_point(
            DeleteAccessPoint::default()
                .bucket(&b)
                .access_point_name("ap-02"),
        )
        .await
        .unwrap();
    assert_eq!(deleted.raw.status, 200);
    let gone = client
        .get_access_point(named(&b, "ap-02"))
        .await
        .unwrap_err();
    assert_eq!((code(&gone), status(&gone)), ("NoSuchAccessPoint", 404));
}

#[tokio::test]
async fn access_point_refusals_carry_oss_codes() {
    let (_emu, client, b) = with_access_point("ap-refusals", "ap-01").await;
    let other = bucket(&client, "ap-refusals-2").await;
    // The name is the account's: taken on another bucket too.
    let taken = client
        .create_access_point(
            CreateAccessPoint::default()
                .bucket(&other)
                .configuration(CreateAccessPointConfiguration::internet("ap-01")),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (code(&taken), status(&taken)),
        ("AccessPointAlreadyExists", 409)
    );
    let missing = client
        .delete_access_point(
            DeleteAccessPoint::default()
                .bucket(&b)
                .access_point_name("nope"),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&missing), "NoSuchAccessPoint");
    let no_bucket = client
        .list_access_points(ListAccessPoints::default().bucket("no-such-bucket-ap"))
        .await
        .unwrap_err();
    assert_eq!(code(&no_bucket), "NoSuchBucket");
    // What the client refuses before any I/O.
    let bad_name = client
        .create_access_point(
            CreateAccessPoint::default()
                .bucket(&b)
                .configuration(CreateAccessPointConfiguration::internet("AP_01")),
        )
        .await
        .unwrap_err();
    assert_eq!(bad_name.kind(), ErrorKind::InvalidArgument);
    let too_many = ListAccessPoints::default().bucket(&b).max_keys(101u32);
    let e = client.list_access_points(too_many).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn the_emulator_refuses_what_a_lenient_client_would_send() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = bucket(&owner, "ap-raw").await;
    let raw = |body: &'static str| {
        owner
            .invoke(http::Method::PUT)
            .bucket(&b)
            .query("accessPoint", None)
            .body(body)
            .send()
    };
    let bad_name = raw("<CreateAccessPointConfiguration><AccessPointName>x-ossalias</AccessPointName><NetworkOrigin>internet</NetworkOrigin></CreateAccessPointConfiguration>").await.unwrap_err();
    assert_eq!(code(&bad_name), "InvalidArgument");
    let vpc_without_id = raw("<CreateAccessPointConfiguration><AccessPointName>ap-01</AccessPointName><NetworkOrigin>vpc</NetworkOrigin></CreateAccessPointConfiguration>").await.unwrap_err();
    assert_eq!(code(&vpc_without_id), "InvalidArgument");
    let no_origin = raw("<CreateAccessPointConfiguration><AccessPointName>ap-01</AccessPointName></CreateAccessPointConfiguration>").await.unwrap_err();
    assert_eq!(code(&no_origin), "MalformedXML");
}

#[tokio::test]
async fn an_access_point_policy_is_put_read_deleted_and_refused() {
    let (_emu, client, b) = with_access_point("ap-policy", "ap-rust").await;
    let put_policy = |policy: &str| {
        PutAccessPointPolicy::default()
            .bucket(&b)
            .access_point_name("ap-rust")
            .policy(policy)
    };
    client
        .put_access_point_policy(put_policy(POLICY))
        .await
        .unwrap();
    let read = client
        .get_access_point_policy(
            GetAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-rust"),
        )
        .await
        .unwrap();
    assert_eq!(read.policy, POLICY);
    assert_eq!(read.raw.headers["content-type"], "application/json");
    client
        .delete_access_point_policy(
            DeleteAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-rust"),
        )
        .await
        .unwrap();
    let gone = client
        .get_access_point_policy(
            GetAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-rust"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (code(&gone), status(&gone)),
        ("NoSuchAccessPointPolicy", 404)
    );
    // A JSON object the emulator refuses as OSS does, and an access point that is not there.
    let refused = client
        .put_access_point_policy(put_policy(r#"{"Version":"2","Statement":[]}"#))
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidPolicyDocument");
    let elsewhere = client
        .put_access_point_policy(
            PutAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-none")
                .policy(POLICY),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&elsewhere), "NoSuchAccessPoint");
}

#[tokio::test]
async fn an_access_point_public_access_block_is_put_read_and_deleted() {
    let (_emu, client, b) = with_access_point("ap-block", "ap-01").await;
    client
        .put_access_point_public_access_block(
            PutAccessPointPublicAccessBlock::default()
                .bucket(&b)
                .access_point_name("ap-01")
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap();
    let get = || {
        GetAccessPointPublicAccessBlock::default()
            .bucket(&b)
            .access_point_name("ap-01")
    };
    let read = client
        .get_access_point_public_access_block(get())
        .await
        .unwrap();
    assert!(read.configuration.block_public_access);
    let ap = client.get_access_point(named(&b, "ap-01")).await.unwrap();
    assert!(
        ap.access_point
            .public_access_block_configuration
            .unwrap()
            .block_public_access
    );
    let deleted = client
        .delete_access_point_public_access_block(
            DeleteAccessPointPublicAccessBlock::default()
                .bucket(&b)
                .access_point_name("ap-01"),
        )
        .await
        .unwrap();
    assert_eq!(deleted.raw.status, 204);
    let read = client
        .get_access_point_public_access_block(get())
        .await
        .unwrap();
    assert!(!read.configuration.block_public_access);
    let refused = client
        .get_access_point_public_access_block(
            GetAccessPointPublicAccessBlock::default()
                .bucket(&b)
                .access_point_name("ap-none"),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "NoSuchAccessPoint");
}

fn anonymous(emu: &oss_emulator::EmulatorHandle) -> Client {
    Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .anonymous()
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_account_public_access_block_refuses_anonymous_reads_of_public_buckets() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = bucket(&owner, "account-block").await;
    owner.put_bucket_acl(&b, Acl::PublicRead).await.unwrap();
    put(&owner, &b, "index.html", "<h1>public</h1>").await;
    let anon = anonymous(&emu);
    let read = || anon.get_object().bucket(&b).key("index.html").send();
    read().await.unwrap();

    let before = owner
        .get_public_access_block(GetPublicAccessBlock::default())
        .await
        .unwrap();
    assert!(!before.configuration.block_public_access);
    owner
        .put_public_access_block(
            PutPublicAccessBlock::default()
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap();
    let after = owner
        .get_public_access_block(GetPublicAccessBlock::default())
        .await
        .unwrap();
    assert!(after.configuration.block_public_access);
    let denied = read().await.unwrap_err();
    assert_eq!((code(&denied), status(&denied)), ("AccessDenied", 403));
    // The bucket's own block set to false does not lift the account's.
    owner
        .put_bucket_public_access_block(
            PutBucketPublicAccessBlock::default()
                .bucket(&b)
                .configuration(PublicAccessBlockConfiguration::new(false)),
        )
        .await
        .unwrap();
    assert_eq!(code(&read().await.unwrap_err()), "AccessDenied");

    owner
        .delete_public_access_block(DeletePublicAccessBlock::default())
        .await
        .unwrap();
    read().await.unwrap();
    // The emulator refuses a document that is not true/false; anonymous users may not change it.
    let malformed = owner
        .invoke(http::Method::PUT)
        .query("publicAccessBlock", None)
        .body("<PublicAccessBlockConfiguration><BlockPublicAccess>yes</BlockPublicAccess></PublicAccessBlockConfiguration>")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&malformed), "MalformedXML");
    let by_anonymous = anon
        .put_public_access_block(
            PutPublicAccessBlock::default()
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&by_anonymous), "AccessDenied");
    // A reset forgets the account's block.
    owner
        .put_public_access_block(
            PutPublicAccessBlock::default()
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap();
    emu.reset().unwrap();
    let reset = owner
        .get_public_access_block(GetPublicAccessBlock::default())
        .await
        .unwrap();
    assert!(!reset.configuration.block_public_access);
}

#[tokio::test]
async fn access_points_and_the_account_block_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        oss_emulator::Emulator::builder()
            .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
            .region("cn-hangzhou")
            .data_dir(dir.path())
            .start()
    };
    let emu = start().await.unwrap();
    let owner = client(&emu, SignatureVersion::V4);
    let b = bucket(&owner, "ap-durable").await;
    create(
        &owner,
        &b,
        CreateAccessPointConfiguration::vpc("ap-01", "vpc-1"),
    )
    .await;
    owner
        .put_access_point_policy(
            PutAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-01")
                .policy(POLICY),
        )
        .await
        .unwrap();
    owner
        .put_public_access_block(
            PutPublicAccessBlock::default()
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = start().await.unwrap();
    let owner = client(&emu, SignatureVersion::V4);
    let ap = owner.get_access_point(named(&b, "ap-01")).await.unwrap();
    assert_eq!(ap.access_point.vpc_configuration.unwrap().vpc_id, "vpc-1");
    let policy = owner
        .get_access_point_policy(
            GetAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-01"),
        )
        .await
        .unwrap();
    assert_eq!(policy.policy, POLICY);
    let block = owner
        .get_public_access_block(GetPublicAccessBlock::default())
        .await
        .unwrap();
    assert!(block.configuration.block_public_access);
}

/// What tests/python/cross_access_points.py writes (`--phase write`), read by our client.
async fn read_python_access_points(client: &Client, b: &str) {
    let ap = client
        .get_access_point(named(b, "ap-python"))
        .await
        .unwrap();
    assert_eq!(ap.access_point.network_origin, "vpc");
    assert_eq!(
        ap.access_point.vpc_configuration.unwrap().vpc_id,
        "vpc-python"
    );
    let policy = client
        .get_access_point_policy(
            GetAccessPointPolicy::default()
                .bucket(b)
                .access_point_name("ap-python"),
        )
        .await
        .unwrap();
    let policy: serde_json::Value = serde_json::from_str(&policy.policy).unwrap();
    assert_eq!(policy["Statement"][0]["Action"][0], "oss:PutObject");
    let block = client
        .get_access_point_public_access_block(
            GetAccessPointPublicAccessBlock::default()
                .bucket(b)
                .access_point_name("ap-python"),
        )
        .await
        .unwrap();
    assert!(block.configuration.block_public_access);
    let account = client
        .get_public_access_block(GetPublicAccessBlock::default())
        .await
        .unwrap();
    assert!(!account.configuration.block_public_access);
}

#[tokio::test]
async fn the_official_python_sdk_reads_our_access_points_and_the_other_way_round() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "cross-access-points").await;
    create(
        &client,
        &b,
        CreateAccessPointConfiguration::internet("ap-rust"),
    )
    .await;
    client
        .put_access_point_policy(
            PutAccessPointPolicy::default()
                .bucket(&b)
                .access_point_name("ap-rust")
                .policy(POLICY),
        )
        .await
        .unwrap();
    client
        .put_access_point_public_access_block(
            PutAccessPointPublicAccessBlock::default()
                .bucket(&b)
                .access_point_name("ap-rust")
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap();
    client
        .put_public_access_block(
            PutPublicAccessBlock::default()
                .configuration(PublicAccessBlockConfiguration::new(true)),
        )
        .await
        .unwrap();
    let python = PythonRun {
        interpreter,
        script: "cross_access_points.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: b.clone(),
    };
    python.run("read", 13).await;
    python.run("write", 4).await;
    read_python_access_points(&client, &b).await;
}
