//! CNAME, image styles, redundancy transitions and CloudBoxes against the emulator: each
//! operation once with real values and once refused with OSS's error code, and the effects
//! a test can see (a bound domain addresses its bucket, `style/<name>` processes an image,
//! tasks advance on the emulator's clock, records survive a restart with a data directory),
//! and the official Python SDK reading what we wrote and the other way round
//! (tests/python/cross_cname_styles.py).

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt as _;
use oss_auth::clock::ManualClock;
use oss_client::auth::Credentials;
use oss_client::operation::cloud_box::ListCloudBoxes;
use oss_client::operation::cname::{CertificateConfiguration, CnameDomain, ListCname, PutCname};
use oss_client::operation::data_redundancy_transition::{
    CreateBucketDataRedundancyTransition, DataRedundancyTransitionTask,
    ListBucketDataRedundancyTransition, ListUserDataRedundancyTransition,
};
use oss_client::operation::style::{ListStyle, PutStyle, StyleName};
use oss_client::{Client, SignatureVersion};
use oss_emulator::EmulatorHandle;

use crate::python_support::{PythonRun, interpreter};
use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, bucket, client, emulator, put};

fn service_code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

fn status(error: &oss_client::Error) -> Option<u16> {
    error.as_service_error().map(|s| s.status().as_u16())
}

fn domain(bucket: &str, domain: &str) -> CnameDomain {
    CnameDomain::default().bucket(bucket).domain(domain)
}

/// An emulator on `clock` (storing in `data_dir` when given) and a client on the same clock.
async fn clocked(clock: &ManualClock, data_dir: Option<&Path>) -> (EmulatorHandle, Client) {
    let mut builder = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .clock(Arc::new(clock.clone()));
    if let Some(dir) = data_dir {
        builder = builder.data_dir(dir);
    }
    let emu = builder.start().await.expect("emulator starts");
    let client = Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    (emu, client)
}

/// 2025-06-15T15:13:20Z.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_750_000_400)
}

#[tokio::test]
async fn a_domain_is_verified_bound_serves_its_bucket_and_is_unbound() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = bucket(&owner, "site").await;
    let other = bucket(&owner, "other-site").await;

    let e = owner
        .put_cname(PutCname::default().bucket(&b).domain("localhost"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "NeedVerifyDomainOwnership");
    let e = owner
        .get_cname_token(domain(&b, "localhost"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "CnameTokenNotFound");
    assert_eq!(status(&e), Some(404));

    let created = owner
        .create_cname_token(domain(&b, "localhost"))
        .await
        .unwrap();
    let token = created.configuration;
    assert_eq!(token.bucket, "site");
    assert_eq!(token.cname, "localhost");
    assert_eq!(token.token.len(), 32);
    assert!(token.expire_time.ends_with(" GMT"), "{}", token.expire_time);
    let read = owner
        .get_cname_token(domain(&b, "localhost"))
        .await
        .unwrap();
    assert_eq!(read.configuration, token);

    owner
        .put_cname(PutCname::default().bucket(&b).domain("localhost"))
        .await
        .unwrap();
    let listed = owner
        .list_cname(ListCname::default().bucket(&b))
        .await
        .unwrap()
        .configuration;
    assert_eq!(listed.bucket, "site");
    assert_eq!(listed.cnames.len(), 1);
    assert_eq!(listed.cnames[0].domain, "localhost");
    assert_eq!(listed.cnames[0].status, "Enabled");
    assert_eq!(listed.cnames[0].is_wild_card, Some(false));

    // The bound domain now addresses the bucket.
    let through_domain = Client::builder()
        .region(emu.region())
        .endpoint(format!("localhost:{}", emu.local_addr().port()))
        .disable_ssl(true)
        .use_cname(true)
        .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .build()
        .unwrap();
    through_domain
        .put_object()
        .bucket(&b)
        .key("index.html")
        .body("<h1>bound</h1>")
        .send()
        .await
        .unwrap();
    let head = owner
        .head_object()
        .bucket(&b)
        .key("index.html")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, 14);

    // Another bucket cannot take the domain, nor bind it with a certificate.
    let e = owner
        .create_cname_token(domain(&other, "localhost"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "CnameAlreadyExists");
    assert_eq!(status(&e), Some(409));
    let mut certificate = CertificateConfiguration::default();
    certificate.cert_id = Some("493****-cn-hangzhou".into());
    let e = owner
        .put_cname(
            PutCname::default()
                .bucket(&b)
                .domain("localhost")
                .certificate_configuration(certificate),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "NotImplemented");

    owner.delete_cname(domain(&b, "localhost")).await.unwrap();
    let listed = owner
        .list_cname(ListCname::default().bucket(&b))
        .await
        .unwrap();
    assert!(listed.configuration.cnames.is_empty());
    let e = owner
        .delete_cname(domain(&b, "localhost"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "NoSuchCname");
    let e = owner
        .create_cname_token(domain(&b, "bad_domain!"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidArgument");
}

#[tokio::test]
async fn a_cname_token_lapses_after_72_hours() {
    let clock = ManualClock::new(start());
    let (_emu, client) = clocked(&clock, None).await;
    let b = bucket(&client, "lapsing").await;
    client
        .create_cname_token(domain(&b, "static.example.com"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(72 * 3600));
    let e = client
        .get_cname_token(domain(&b, "static.example.com"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "CnameTokenNotFound");
    let e = client
        .put_cname(PutCname::default().bucket(&b).domain("static.example.com"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "NeedVerifyDomainOwnership");
}

/// A `width` x `height` PNG.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn processed_width(client: &Client, bucket: &str, process: &str) -> Result<u32, String> {
    let answer = client
        .get_object()
        .bucket(bucket)
        .key("photo.png")
        .process(process)
        .send()
        .await
        .map_err(|e| service_code(&e).to_owned())?;
    let data = answer.body.collect().await.unwrap();
    Ok(image::load_from_memory(&data).unwrap().into_rgb8().width())
}

#[tokio::test]
async fn a_style_is_put_applied_listed_and_deleted() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "styles").await;
    put(&client, &b, "photo.png", png(64, 32)).await;
    let style = |name: &str| StyleName::default().bucket(&b).style_name(name);

    client
        .put_style(
            PutStyle::default()
                .bucket(&b)
                .style_name("thumb")
                .category("image")
                .content("image/resize,w_16"),
        )
        .await
        .unwrap();
    client
        .put_style(
            PutStyle::default()
                .bucket(&b)
                .style_name("half")
                .content("image/resize,p_50"),
        )
        .await
        .unwrap();
    let thumb = client
        .get_style(style("thumb"))
        .await
        .unwrap()
        .configuration;
    assert_eq!(thumb.name, "thumb");
    assert_eq!(thumb.content, "image/resize,w_16");
    assert_eq!(thumb.category.as_deref(), Some("image"));
    assert!(thumb.create_time.ends_with(" GMT"), "{}", thumb.create_time);
    let names: Vec<String> = client
        .list_style(ListStyle::default().bucket(&b))
        .await
        .unwrap()
        .configuration
        .styles
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["half", "thumb"]);

    assert_eq!(processed_width(&client, &b, "style/thumb").await, Ok(16));
    assert_eq!(processed_width(&client, &b, "style/half").await, Ok(32));

    let e = client
        .put_style(
            PutStyle::default()
                .bucket(&b)
                .style_name("clip")
                .content("video/snapshot,t_0"),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidArgument");

    let deleted = client.delete_style(style("thumb")).await.unwrap();
    assert_eq!(deleted.raw.status.as_u16(), 204);
    let e = client.get_style(style("thumb")).await.unwrap_err();
    assert_eq!(service_code(&e), "NoSuchStyle");
    assert_eq!(status(&e), Some(404));
    assert_eq!(
        processed_width(&client, &b, "style/thumb").await,
        Err("NoSuchStyle".to_owned())
    );
}

#[tokio::test]
async fn styles_and_domains_survive_a_restart_with_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let (emu, client) = clocked(&clock, Some(dir.path())).await;
    let b = bucket(&client, "durable").await;
    client
        .put_style(
            PutStyle::default()
                .bucket(&b)
                .style_name("thumb")
                .content("image/resize,w_16"),
        )
        .await
        .unwrap();
    client
        .create_cname_token(domain(&b, "static.example.com"))
        .await
        .unwrap();
    client
        .put_cname(PutCname::default().bucket(&b).domain("static.example.com"))
        .await
        .unwrap();
    emu.shutdown().await;

    let (_emu, client) = clocked(&clock, Some(dir.path())).await;
    let style = client
        .get_style(StyleName::default().bucket(&b).style_name("thumb"))
        .await
        .unwrap();
    assert_eq!(style.configuration.content, "image/resize,w_16");
    let listed = client
        .list_cname(ListCname::default().bucket(&b))
        .await
        .unwrap();
    assert_eq!(listed.configuration.cnames[0].domain, "static.example.com");
}

#[tokio::test]
async fn a_redundancy_transition_advances_on_the_emulator_clock() {
    let clock = ManualClock::new(start());
    let (_emu, client) = clocked(&clock, None).await;
    let b = bucket(&client, "zrs").await;
    let create = |target: &str| {
        CreateBucketDataRedundancyTransition::default()
            .bucket(&b)
            .target_redundancy_type(target)
    };
    let e = client
        .create_bucket_data_redundancy_transition(create("LRS"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidArgument");

    let created = client
        .create_bucket_data_redundancy_transition(create("ZRS"))
        .await
        .unwrap();
    let id = created.configuration.task_id.clone();
    assert_eq!(id.len(), 32);
    let task = || {
        DataRedundancyTransitionTask::default()
            .bucket(&b)
            .task_id(&id)
    };
    let queued = client
        .get_bucket_data_redundancy_transition(task())
        .await
        .unwrap()
        .configuration;
    assert_eq!(queued.status.as_deref(), Some("Queueing"));
    assert_eq!(
        queued.create_time.as_deref(),
        Some("2025-06-15T15:13:20.000Z")
    );
    assert_eq!(queued.start_time, None);
    let e = client
        .create_bucket_data_redundancy_transition(create("ZRS"))
        .await
        .unwrap_err();
    assert_eq!(
        service_code(&e),
        "BucketDataRedundancyTransitionTaskStatusConflict"
    );

    clock.advance(Duration::from_secs(60 + 1800));
    let processing = client
        .get_bucket_data_redundancy_transition(task())
        .await
        .unwrap()
        .configuration;
    assert_eq!(processing.status.as_deref(), Some("Processing"));
    assert_eq!(processing.process_percentage, Some(50));
    assert_eq!(processing.estimated_remaining_time, Some(1));
    let e = client
        .delete_bucket_data_redundancy_transition(task())
        .await
        .unwrap_err();
    assert_eq!(
        service_code(&e),
        "BucketDataRedundancyTransitionTaskStatusConflict"
    );
    assert_eq!(status(&e), Some(409));

    clock.advance(Duration::from_secs(1800));
    let listed = client
        .list_bucket_data_redundancy_transition(
            ListBucketDataRedundancyTransition::default().bucket(&b),
        )
        .await
        .unwrap()
        .configuration;
    assert_eq!(listed.transitions.len(), 1);
    let finished = &listed.transitions[0];
    assert_eq!(finished.status.as_deref(), Some("Finished"));
    assert_eq!(finished.process_percentage, Some(100));
    assert_eq!(
        finished.end_time.as_deref(),
        Some("2025-06-15T16:14:20.000Z")
    );

    let deleted = client
        .delete_bucket_data_redundancy_transition(task())
        .await
        .unwrap();
    assert_eq!(deleted.raw.status.as_u16(), 204);
    let e = client
        .get_bucket_data_redundancy_transition(task())
        .await
        .unwrap_err();
    assert_eq!(
        service_code(&e),
        "BucketDataRedundancyTransitionTaskNotExist"
    );
    assert_eq!(status(&e), Some(404));
}

#[tokio::test]
async fn the_user_level_transition_list_pages_across_buckets() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let mut expected = Vec::new();
    for name in ["zrs-a", "zrs-b", "zrs-c"] {
        let b = bucket(&client, name).await;
        let created = client
            .create_bucket_data_redundancy_transition(
                CreateBucketDataRedundancyTransition::default()
                    .bucket(&b)
                    .target_redundancy_type("ZRS"),
            )
            .await
            .unwrap();
        expected.push((b, created.configuration.task_id));
    }
    let pages: Vec<_> = client
        .list_user_data_redundancy_transition_paginator(
            ListUserDataRedundancyTransition::default().max_keys(2u32),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].configuration.is_truncated);
    let seen: Vec<(String, String)> = pages
        .iter()
        .flat_map(|p| &p.configuration.transitions)
        .map(|t| (t.bucket.clone().unwrap(), t.task_id.clone()))
        .collect();
    assert_eq!(seen, expected);
    let e = client
        .invoke(http::Method::GET)
        .query("redundancyTransition", None)
        .query("max-keys", Some("500"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidArgument");
}

#[tokio::test]
async fn cloud_boxes_are_an_empty_list() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let pages: Vec<_> = client
        .list_cloud_boxes_paginator(ListCloudBoxes::default().prefix("cb-").max_keys(10u32))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].cloud_boxes.is_empty());
    assert!(!pages[0].is_truncated);
    assert!(pages[0].owner.as_ref().is_some_and(|o| !o.id.is_empty()));
    let e = client
        .invoke(http::Method::GET)
        .query("cloudboxes", None)
        .query("max-keys", Some("5000"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidArgument");
}

/// What our client writes for Python to read (the script lists the same values).
async fn write_for_python(client: &Client, b: &str) {
    client
        .create_cname_token(domain(b, "rust.example.com"))
        .await
        .unwrap();
    client
        .put_cname(PutCname::default().bucket(b).domain("rust.example.com"))
        .await
        .unwrap();
    client
        .put_style(
            PutStyle::default()
                .bucket(b)
                .style_name("rust-thumb")
                .category("image")
                .content("image/resize,w_16"),
        )
        .await
        .unwrap();
    put(client, b, "photo.png", png(64, 32)).await;
    client
        .create_bucket_data_redundancy_transition(
            CreateBucketDataRedundancyTransition::default()
                .bucket(b)
                .target_redundancy_type("ZRS"),
        )
        .await
        .unwrap();
}

/// What Python wrote: the domain python.example.com, the style py-half, and a task on
/// `<bucket>-py`.
async fn read_from_python(client: &Client, b: &str) {
    let cnames = client
        .list_cname(ListCname::default().bucket(b))
        .await
        .unwrap()
        .configuration
        .cnames;
    let domains: Vec<&str> = cnames.iter().map(|c| c.domain.as_str()).collect();
    assert_eq!(domains, ["python.example.com", "rust.example.com"]);
    let token = client
        .get_cname_token(domain(b, "python.example.com"))
        .await
        .unwrap()
        .configuration;
    assert_eq!(token.cname, "python.example.com");
    let style = client
        .get_style(StyleName::default().bucket(b).style_name("py-half"))
        .await
        .unwrap()
        .configuration;
    assert_eq!(style.content, "image/resize,p_50");
    assert_eq!(style.category, None);
    assert_eq!(processed_width(client, b, "style/py-half").await, Ok(32));
    let other = format!("{b}-py");
    let tasks = client
        .list_bucket_data_redundancy_transition(
            ListBucketDataRedundancyTransition::default().bucket(&other),
        )
        .await
        .unwrap()
        .configuration
        .transitions;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].bucket.as_deref(), Some(other.as_str()));
    assert_eq!(tasks[0].status.as_deref(), Some("Queueing"));
}

#[tokio::test]
async fn the_official_python_sdk_reads_what_we_wrote_and_the_other_way_round() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "cross-cname").await;
    write_for_python(&client, &b).await;
    let python = PythonRun {
        interpreter,
        script: "cross_cname_styles.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: b.clone(),
    };
    python.run("read", 19).await;
    python.run("write", 3).await;
    read_from_python(&client, &b).await;
}
