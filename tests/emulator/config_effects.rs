//! Bucket configurations that take effect in the emulator, each with a case where it acts
//! and one where it does not: referer rules (unsigned and presigned requests),
//! pay-by-requester (temporary credentials count as another requester), website index and
//! error documents and simple routing rules (unsigned reads), lifecycle expiration (on the
//! emulator's injectable clock, sparing what WORM protects), and the CORS preflight through
//! the typed `option_object`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{Method, StatusCode};
use oss_auth::clock::ManualClock;
use oss_client::auth::StaticCredentialsProvider;
use oss_client::operation::acl::Acl;
use oss_client::operation::bucket_config::PutBucketConfig;
use oss_client::operation::bucket_cors::{CorsConfiguration, CorsRule};
use oss_client::operation::bucket_lifecycle::{
    DaysOrDate, Expiration, LifecycleConfiguration, LifecycleRule,
};
use oss_client::operation::bucket_referer::{RefererConfiguration, RefererList};
use oss_client::operation::bucket_request_payment::RequestPaymentConfiguration;
use oss_client::operation::bucket_website::{RoutingRule, RoutingRules, WebsiteConfiguration};
use oss_client::operation::object_worm::{LegalHold, ObjectWormConfiguration, PutObjectLegalHold};
use oss_client::operation::option_object::OptionObject;
use oss_client::operation::versioning::VersioningStatus;
use oss_client::{Client, SignatureVersion};
use oss_emulator::EmulatorHandle;

use crate::signatures::raw;
use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, bucket, client, emulator, put};

const STS_ID: &str = "STS.effects-requester";
const STS_SECRET: &str = "sts-secret";
const STS_TOKEN: &str = "sts-token-effects";

fn put_config<C>(bucket: &str, configuration: C) -> PutBucketConfig<C>
where
    C: oss_client::operation::bucket_config::BucketConfig,
{
    PutBucketConfig::default()
        .bucket(bucket)
        .configuration(configuration)
}

/// A `public-read` bucket `name` holding `a.txt`.
async fn public_bucket(owner: &Client, name: &str) -> String {
    let b = bucket(owner, name).await;
    owner.put_bucket_acl(&b, Acl::PublicRead).await.unwrap();
    put(owner, &b, "a.txt", "public text").await;
    b
}

/// An unsigned GET of `path` (`/bucket/key`) with these headers.
async fn anonymous_get(
    emu: &EmulatorHandle,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, String) {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    raw(
        Method::GET,
        &format!("{}{path}", emu.endpoint()),
        &headers,
        b"",
    )
    .await
}

fn service_code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

#[tokio::test]
async fn referer_rules_decide_unsigned_and_presigned_requests_only() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = public_bucket(&owner, "fx-referer").await;
    let mut rules = RefererConfiguration::default();
    rules.allow_empty_referer = false;
    rules.referer_list = RefererList::new(["https://*.example.com"]);
    rules.referer_blacklist = Some(RefererList::new(["https://bad.example.com"]));
    owner
        .put_bucket_referer(put_config(&b, rules))
        .await
        .unwrap();

    let path = format!("/{b}/a.txt");
    let allowed = [("referer", "https://www.example.com/page.html?x=1")];
    assert_eq!(
        anonymous_get(&emu, &path, &allowed).await,
        (StatusCode::OK, "public text".to_owned())
    );
    for refused in [
        &[("referer", "https://bad.example.com/page.html")][..],
        &[("referer", "https://www.example.org/")][..],
        &[][..],
    ] {
        let (status, body) = anonymous_get(&emu, &path, refused).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused:?}");
        assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
        assert!(
            body.contains("You are denied by bucket referer policy."),
            "{body}"
        );
    }

    let url = owner
        .presign(Method::GET)
        .bucket(&b)
        .key("a.txt")
        .expires_in(Duration::from_secs(600))
        .send()
        .await
        .unwrap()
        .url;
    let referer = |r: &str| vec![("referer".to_owned(), r.to_owned())];
    let (status, _) = raw(Method::GET, &url, &referer("https://bad.example.com"), b"").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = raw(Method::GET, &url, &referer("https://cdn.example.com/"), b"").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "public text"));

    // Signed with an Authorization header: never checked.
    let object = owner
        .get_object()
        .bucket(&b)
        .key("a.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(object.body.collect().await.unwrap(), "public text");
}

/// An emulator that also accepts the temporary credentials of another requester.
async fn emulator_with_requester() -> EmulatorHandle {
    oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .temporary_credentials(
            STS_ID,
            STS_SECRET,
            STS_TOKEN,
            SystemTime::now() + Duration::from_secs(24 * 3600),
        )
        .region("cn-hangzhou")
        .start()
        .await
        .expect("emulator starts")
}

fn requester(emu: &EmulatorHandle) -> Client {
    Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .credentials_provider(
            StaticCredentialsProvider::with_security_token(STS_ID, STS_SECRET, STS_TOKEN).unwrap(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn requester_pays_refuses_other_requesters_without_the_header_and_anonymous_ones() {
    let emu = emulator_with_requester().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = public_bucket(&owner, "fx-payer").await;
    let other = requester(&emu);
    let read = |client: &Client, declared: bool| {
        client
            .get_object()
            .bucket(&b)
            .key("a.txt")
            .request_payer(declared)
            .send()
    };
    // BucketOwner pays: nobody needs to declare anything.
    assert!(read(&other, false).await.is_ok());

    owner
        .put_bucket_request_payment(put_config(
            &b,
            RequestPaymentConfiguration::new("Requester"),
        ))
        .await
        .unwrap();
    let refused = read(&other, false).await.unwrap_err();
    assert_eq!(service_code(&refused), "AccessDenied");
    assert_eq!(
        refused.as_service_error().map(|s| s.status().as_u16()),
        Some(403)
    );
    let paid = read(&other, true).await.unwrap();
    assert_eq!(paid.body.collect().await.unwrap(), "public text");
    let own = read(&owner, false).await.unwrap();
    assert_eq!(own.body.collect().await.unwrap(), "public text");
    let (status, body) = anonymous_get(&emu, &format!("/{b}/a.txt"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
}

#[tokio::test]
async fn website_answers_unsigned_reads_with_index_and_error_documents() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = public_bucket(&owner, "fx-website").await;
    put(&owner, &b, "index.html", "<h1>home</h1>").await;
    put(&owner, &b, "docs/index.html", "<h1>docs</h1>").await;
    put(&owner, &b, "error.html", "<h1>not here</h1>").await;

    // No website yet: the root is a listing, a missing key NoSuchKey.
    let (status, body) = anonymous_get(&emu, &format!("/{b}/"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<ListBucketResult>"), "{body}");
    let (status, body) = anonymous_get(&emu, &format!("/{b}/missing.html"), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("<Code>NoSuchKey</Code>"), "{body}");

    let mut site = WebsiteConfiguration::new("index.html", "error.html");
    if let Some(index) = site.index_document.as_mut() {
        index.support_sub_dir = Some(true);
    }
    owner
        .put_bucket_website(put_config(&b, site))
        .await
        .unwrap();
    assert_eq!(
        anonymous_get(&emu, &format!("/{b}/"), &[]).await,
        (StatusCode::OK, "<h1>home</h1>".to_owned())
    );
    assert_eq!(
        anonymous_get(&emu, &format!("/{b}/docs/"), &[]).await,
        (StatusCode::OK, "<h1>docs</h1>".to_owned())
    );
    assert_eq!(
        anonymous_get(&emu, &format!("/{b}/missing.html"), &[]).await,
        (StatusCode::NOT_FOUND, "<h1>not here</h1>".to_owned())
    );
    assert_eq!(
        anonymous_get(&emu, &format!("/{b}/a.txt"), &[]).await,
        (StatusCode::OK, "public text".to_owned())
    );
    // Signed requests are not website requests.
    let missing = owner
        .get_object()
        .bucket(&b)
        .key("missing.html")
        .send()
        .await
        .unwrap_err();
    assert_eq!(service_code(&missing), "NoSuchKey");
}

#[tokio::test]
async fn website_routing_rules_redirect_or_serve_another_key() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = public_bucket(&owner, "fx-routing").await;
    put(&owner, &b, "old/kept.html", "<h1>kept</h1>").await;
    put(&owner, &b, "index.html", "<h1>home</h1>").await;

    let mut moved = RoutingRule::default();
    moved.rule_number = 1;
    moved.condition.key_prefix_equals = Some("old/".into());
    moved.condition.http_error_code_returned_equals = Some(404);
    moved.redirect.redirect_type = "External".into();
    moved.redirect.protocol = Some("https".into());
    moved.redirect.host_name = Some("www.example.com".into());
    moved.redirect.replace_key_prefix_with = Some("new/".into());
    moved.redirect.http_redirect_code = Some(301);
    let mut legacy = RoutingRule::default();
    legacy.rule_number = 2;
    legacy.condition.key_suffix_equals = Some(".htm".into());
    legacy.redirect.redirect_type = "Internal".into();
    legacy.redirect.replace_key_with = Some("index.html".into());
    let mut rules = RoutingRules::default();
    rules.rules = vec![legacy, moved];
    let mut site = WebsiteConfiguration::new("index.html", "error.html");
    site.routing_rules = Some(rules);
    owner
        .put_bucket_website(put_config(&b, site))
        .await
        .unwrap();

    let answer = anonymous_answer(&emu, &format!("/{b}/old/gone.html")).await;
    assert_eq!(answer.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        answer.headers()["location"],
        "https://www.example.com/new/gone.html"
    );
    // The 404 condition does not hold for a stored key.
    assert_eq!(
        anonymous_get(&emu, &format!("/{b}/old/kept.html"), &[]).await,
        (StatusCode::OK, "<h1>kept</h1>".to_owned())
    );
    assert_eq!(
        anonymous_get(&emu, &format!("/{b}/legacy.htm"), &[]).await,
        (StatusCode::OK, "<h1>home</h1>".to_owned())
    );
}

/// An unsigned GET of `path`, its answer unread.
async fn anonymous_answer(
    emu: &EmulatorHandle,
    path: &str,
) -> http::Response<oss_http::ResponseBody> {
    use tower_service::Service as _;
    let request = http::Request::get(format!("{}{path}", emu.endpoint()))
        .body(oss_client::Body::empty())
        .unwrap();
    oss_http::HttpClient::builder()
        .build()
        .unwrap()
        .call(request)
        .await
        .unwrap()
}

/// 2026-01-10T00:00:00Z.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_768_003_200)
}

const DAY: Duration = Duration::from_secs(86_400);

#[tokio::test]
async fn lifecycle_rules_expire_objects_and_uploads_on_the_emulator_clock() {
    let clock = ManualClock::new(start());
    let emu = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .clock(Arc::new(clock.clone()))
        .start()
        .await
        .unwrap();
    let owner = Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .credentials_provider(
            StaticCredentialsProvider::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap(),
        )
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    let b = bucket(&owner, "fx-lifecycle").await;
    // Versioned, with object-level WORM: expiring adds delete markers; a legal hold spares.
    owner
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    owner
        .put_bucket_object_worm_configuration(put_config(&b, ObjectWormConfiguration::default()))
        .await
        .unwrap();
    for key in [
        "logs/1.log",
        "logs/2.log",
        "logs/held.log",
        "keep/1.txt",
        "paused/1.txt",
    ] {
        put(&owner, &b, key, "data").await;
    }
    let hold = PutObjectLegalHold::default()
        .bucket(&b)
        .key("logs/held.log")
        .legal_hold(LegalHold::new(true));
    owner.put_object_legal_hold(hold).await.unwrap();
    owner
        .initiate_multipart_upload()
        .bucket(&b)
        .key("uploads/big.bin")
        .send()
        .await
        .unwrap();

    let mut logs = LifecycleRule::enabled("logs/");
    logs.id = Some("logs".into());
    let mut expiration = Expiration::default();
    expiration.days = Some(2);
    logs.expiration = Some(expiration.clone());
    let mut uploads = LifecycleRule::enabled("uploads/");
    uploads.id = Some("uploads".into());
    let mut abort = DaysOrDate::default();
    abort.days = Some(1);
    uploads.abort_multipart_upload = Some(abort);
    let mut paused = LifecycleRule::enabled("paused/");
    paused.id = Some("paused".into());
    paused.status = "Disabled".into();
    paused.expiration = Some(expiration);
    owner
        .put_bucket_lifecycle(put_config(
            &b,
            LifecycleConfiguration::new([logs, uploads, paused]),
        ))
        .await
        .unwrap();

    let keys = |owner: Client, b: String| async move {
        let listing = owner.list_objects_v2().bucket(b).send().await.unwrap();
        listing
            .contents
            .into_iter()
            .map(|o| o.key)
            .collect::<Vec<_>>()
    };
    let upload_count = |owner: Client, b: String| async move {
        let listing = owner
            .list_multipart_uploads()
            .bucket(b)
            .send()
            .await
            .unwrap();
        listing.uploads.len()
    };
    clock.advance(DAY - Duration::from_secs(1));
    assert_eq!(upload_count(owner.clone(), b.clone()).await, 1);
    clock.advance(Duration::from_secs(1));
    assert_eq!(upload_count(owner.clone(), b.clone()).await, 0);

    clock.advance(DAY - Duration::from_secs(1));
    assert_eq!(
        keys(owner.clone(), b.clone()).await,
        [
            "keep/1.txt",
            "logs/1.log",
            "logs/2.log",
            "logs/held.log",
            "paused/1.txt"
        ]
    );
    clock.advance(Duration::from_secs(1));
    let gone = owner
        .get_object()
        .bucket(&b)
        .key("logs/1.log")
        .send()
        .await
        .unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchKey");
    assert_eq!(
        keys(owner.clone(), b.clone()).await,
        ["keep/1.txt", "logs/held.log", "paused/1.txt"]
    );
}

#[tokio::test]
async fn option_object_asks_the_buckets_cors_rules() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    let b = bucket(&owner, "fx-preflight").await;
    let preflight = || {
        OptionObject::default()
            .bucket(&b)
            .key("a.txt")
            .origin("https://www.example.com")
            .access_control_request_method("PUT")
            .access_control_request_headers("x-oss-meta-a")
    };
    let no_cors = owner.option_object(preflight()).await.unwrap_err();
    assert_eq!(service_code(&no_cors), "AccessForbidden");

    let mut rule = CorsRule::new(["https://*.example.com"], ["GET", "PUT"]);
    rule.allowed_headers = vec!["x-oss-meta-*".into()];
    rule.expose_headers = vec!["ETag".into(), "x-oss-request-id".into()];
    rule.max_age_seconds = Some(600);
    owner
        .put_bucket_cors(put_config(&b, CorsConfiguration::new([rule])))
        .await
        .unwrap();
    let answer = owner.option_object(preflight()).await.unwrap();
    assert_eq!(
        answer.access_control_allow_origin.as_deref(),
        Some("https://www.example.com")
    );
    assert_eq!(
        answer.access_control_allow_methods.as_deref(),
        Some("GET, PUT")
    );
    assert_eq!(
        answer.access_control_allow_headers.as_deref(),
        Some("x-oss-meta-a")
    );
    assert_eq!(
        answer.access_control_expose_headers.as_deref(),
        Some("ETag, x-oss-request-id")
    );
    assert_eq!(answer.access_control_max_age, Some(600));
    assert!(!answer.request_id.is_empty());

    let other_origin = preflight().origin("https://www.example.org");
    let refused = owner.option_object(other_origin).await.unwrap_err();
    assert_eq!(service_code(&refused), "AccessForbidden");
    let bad_method = preflight().access_control_request_method("PATCH");
    assert!(
        owner
            .option_object(bad_method)
            .await
            .unwrap_err()
            .is_input_error()
    );
}
