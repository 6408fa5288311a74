//! Cross-read of the eleven bucket configuration families with the official Python SDK
//! (alibabacloud-oss-v2) through the emulator (issue 16, "Done when"): our client puts every
//! family on one bucket and tests/python/cross_configs.py (`--phase read`) reads and compares
//! them; Python puts every family on another bucket (`--phase write`) and our client reads
//! them back equal. Both sides build the same rich documents (several rules, optional fields
//! set), kept in step by hand. Needs `python3` with `venv` (tests/python/venv.sh).

use oss_client::Client;
use oss_client::SignatureVersion;
use oss_client::operation::acl::Acl;
use oss_client::operation::bucket_config::{GetBucketConfig, PutBucketConfig};
use oss_client::operation::bucket_cors::{CorsConfiguration, CorsRule};
use oss_client::operation::bucket_encryption::ServerSideEncryptionRule;
use oss_client::operation::bucket_lifecycle::{
    DaysOrDate, Expiration, LifecycleConfiguration, LifecycleFilter, LifecycleNot, LifecycleRule,
    NoncurrentVersionExpiration, NoncurrentVersionTransition, Transition,
};
use oss_client::operation::bucket_logging::BucketLoggingStatus;
use oss_client::operation::bucket_policy::{GetBucketPolicy, PutBucketPolicy};
use oss_client::operation::bucket_public_access_block::PublicAccessBlockConfiguration;
use oss_client::operation::bucket_referer::{RefererConfiguration, RefererList};
use oss_client::operation::bucket_request_payment::RequestPaymentConfiguration;
use oss_client::operation::bucket_tags::{Tag, Tagging};
use oss_client::operation::bucket_transfer_acceleration::TransferAccelerationConfiguration;
use oss_client::operation::bucket_website::{
    ErrorDocument, IncludeHeader, IndexDocument, MirrorHeaderSet, MirrorHeaders, RoutingCondition,
    RoutingRedirect, RoutingRule, RoutingRules, WebsiteConfiguration,
};
use oss_client::operation::versioning::VersioningStatus;

use crate::python_support::{PythonRun, interpreter};
use crate::support::{bucket, client, emulator};

/// The policy of cross_configs.py's `POLICY`.
const POLICY: &str = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": ["oss:GetObject", "oss:ListObjects"],
   "Principal": ["1234567890123456"], "Resource": ["acs:oss:*:*:cross-configs/*"]},
  {"Effect": "Deny", "Action": ["oss:DeleteObject"], "Principal": ["*"],
   "Resource": ["acs:oss:*:*:cross-configs/keep/*"]}]}"#;

/// The instant of cross_configs.py's `CREATED_BEFORE` as OSS writes dates; Python writes
/// it without milliseconds.
const CREATED_BEFORE: &str = "2026-01-01T00:00:00.000Z";
const CREATED_BEFORE_PYTHON: &str = "2026-01-01T00:00:00Z";

fn put<C: oss_client::operation::bucket_config::BucketConfig>(
    bucket: &str,
    configuration: C,
) -> PutBucketConfig<C> {
    PutBucketConfig::default()
        .bucket(bucket)
        .configuration(configuration)
}

fn get<C: oss_client::operation::bucket_config::BucketConfig>(bucket: &str) -> GetBucketConfig<C> {
    GetBucketConfig::default().bucket(bucket)
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::new(key, value)
}

fn cors() -> CorsConfiguration {
    let mut first = CorsRule::new(
        ["https://www.example.com", "https://*.example.org"],
        ["GET", "PUT"],
    );
    first.allowed_headers = vec!["Authorization".into(), "x-oss-meta-*".into()];
    first.expose_headers = vec!["ETag".into(), "x-oss-request-id".into()];
    first.max_age_seconds = Some(600);
    let mut cors = CorsConfiguration::new([first, CorsRule::new(["*"], ["HEAD"])]);
    cors.response_vary = Some(true);
    cors
}

fn lifecycle(created_before: &str) -> LifecycleConfiguration {
    let mut logs = LifecycleRule::enabled("logs/");
    logs.id = Some("logs".into());
    let mut expiration = Expiration::default();
    expiration.days = Some(30);
    logs.expiration = Some(expiration);
    let mut by_modification = Transition::default();
    by_modification.days = Some(10);
    by_modification.storage_class = "IA".into();
    let mut by_access = Transition::default();
    by_access.days = Some(20);
    by_access.storage_class = "Archive".into();
    by_access.is_access_time = Some(true);
    by_access.return_to_std_when_visit = Some(true);
    by_access.allow_small_file = Some(false);
    logs.transitions = vec![by_modification, by_access];
    let mut abort = DaysOrDate::default();
    abort.days = Some(3);
    logs.abort_multipart_upload = Some(abort);

    let mut tmp = LifecycleRule::enabled("tmp/");
    tmp.id = Some("tmp".into());
    tmp.status = "Disabled".into();
    tmp.tags = vec![tag("env", "test")];
    let mut expiration = Expiration::default();
    expiration.created_before_date = Some(created_before.into());
    tmp.expiration = Some(expiration);

    let mut versions = LifecycleRule::enabled("ver/");
    versions.id = Some("versions".into());
    let mut not = LifecycleNot::default();
    not.prefix = "ver/keep/".into();
    not.tag = Some(tag("keep", "yes"));
    let mut filter = LifecycleFilter::default();
    filter.object_size_greater_than = Some(1024);
    filter.not = vec![not];
    versions.filter = Some(filter);
    let mut expiration = Expiration::default();
    expiration.expired_object_delete_marker = Some(true);
    versions.expiration = Some(expiration);
    let mut noncurrent = NoncurrentVersionExpiration::default();
    noncurrent.noncurrent_days = 5;
    versions.noncurrent_version_expiration = Some(noncurrent);
    let mut transition = NoncurrentVersionTransition::default();
    transition.noncurrent_days = 2;
    transition.storage_class = "IA".into();
    transition.is_access_time = Some(true);
    transition.allow_small_file = Some(true);
    versions.noncurrent_version_transitions = vec![transition];
    LifecycleConfiguration::new([logs, tmp, versions])
}

fn website() -> WebsiteConfiguration {
    let mut index = IndexDocument::default();
    index.suffix = "index.html".into();
    index.support_sub_dir = Some(true);
    index.kind = Some(0);
    let mut error = ErrorDocument::default();
    error.key = "error.html".into();
    error.http_status = Some(404);

    let mut mirror = RoutingRule::default();
    mirror.rule_number = 1;
    let mut condition = RoutingCondition::default();
    condition.key_prefix_equals = Some("abc/".into());
    condition.http_error_code_returned_equals = Some(404);
    let mut host = IncludeHeader::default();
    host.key = "host".into();
    host.equals = Some("a.example.com".into());
    condition.include_headers = vec![host];
    mirror.condition = condition;
    let mut redirect = RoutingRedirect::default();
    redirect.redirect_type = "Mirror".into();
    redirect.mirror_url = Some("http://mirror.example.com/".into());
    redirect.pass_query_string = Some(true);
    redirect.mirror_pass_query_string = Some(true);
    redirect.mirror_follow_redirect = Some(true);
    redirect.mirror_check_md5 = Some(false);
    let mut headers = MirrorHeaders::default();
    headers.pass_all = Some(false);
    headers.pass = vec!["x-pass".into()];
    headers.remove = vec!["x-remove".into()];
    let mut set = MirrorHeaderSet::default();
    set.key = "x-set".into();
    set.value = "v".into();
    headers.set = vec![set];
    redirect.mirror_headers = Some(headers);
    mirror.redirect = redirect;

    let mut external = RoutingRule::default();
    external.rule_number = 2;
    let mut condition = RoutingCondition::default();
    condition.key_suffix_equals = Some(".txt".into());
    external.condition = condition;
    let mut redirect = RoutingRedirect::default();
    redirect.redirect_type = "External".into();
    redirect.protocol = Some("https".into());
    redirect.host_name = Some("www.example.com".into());
    redirect.http_redirect_code = Some(302);
    redirect.replace_key_prefix_with = Some("new/".into());
    external.redirect = redirect;

    let mut rules = RoutingRules::default();
    rules.rules = vec![mirror, external];
    let mut site = WebsiteConfiguration::default();
    site.index_document = Some(index);
    site.error_document = Some(error);
    site.routing_rules = Some(rules);
    site
}

fn referer() -> RefererConfiguration {
    let mut referer = RefererConfiguration::default();
    referer.allow_empty_referer = false;
    referer.allow_truncate_query_string = Some(true);
    referer.truncate_path = Some(true);
    referer.referer_list = RefererList::new([
        "http://www.aliyun.com",
        "https://*.example.com",
        "http://www.?.example.org",
    ]);
    referer.referer_blacklist = Some(RefererList::new(["http://bad.example.com"]));
    referer
}

fn logging(bucket: &str) -> BucketLoggingStatus {
    let mut logging = BucketLoggingStatus::enabled(bucket, "access-log/");
    if let Some(enabled) = logging.logging_enabled.as_mut() {
        enabled.logging_role = Some("AliyunOSSLoggingDefaultRole".into());
    }
    logging
}

fn encryption() -> ServerSideEncryptionRule {
    let mut rule = ServerSideEncryptionRule::new("KMS");
    rule.apply_server_side_encryption_by_default
        .kms_master_key_id = Some("cmk-cross".into());
    rule.apply_server_side_encryption_by_default
        .kms_data_encryption = Some("SM4".into());
    rule
}

fn tags() -> Tagging {
    Tagging::new([
        tag("owner", "sdk"),
        tag("env", "test"),
        tag("cost-center", "42"),
    ])
}

async fn put_every_family(client: &Client, b: &str) {
    client.put_bucket_cors(put(b, cors())).await.unwrap();
    client
        .put_bucket_lifecycle(put(b, lifecycle(CREATED_BEFORE)))
        .await
        .unwrap();
    let policy = PutBucketPolicy::default().bucket(b).policy(POLICY);
    client.put_bucket_policy(policy).await.unwrap();
    client.put_bucket_website(put(b, website())).await.unwrap();
    client.put_bucket_referer(put(b, referer())).await.unwrap();
    client.put_bucket_logging(put(b, logging(b))).await.unwrap();
    client
        .put_bucket_encryption(put(b, encryption()))
        .await
        .unwrap();
    client.put_bucket_tags(put(b, tags())).await.unwrap();
    let payer = RequestPaymentConfiguration::new("Requester");
    client
        .put_bucket_request_payment(put(b, payer))
        .await
        .unwrap();
    let acceleration = TransferAccelerationConfiguration::new(true);
    client
        .put_bucket_transfer_acceleration(put(b, acceleration))
        .await
        .unwrap();
    // Before the public access block, which refuses public ACLs.
    client.put_bucket_acl(b, Acl::PublicRead).await.unwrap();
    client
        .put_bucket_versioning(b, VersioningStatus::Enabled)
        .await
        .unwrap();
    let block = PublicAccessBlockConfiguration::new(true);
    client
        .put_bucket_public_access_block(put(b, block))
        .await
        .unwrap();
}

/// What cross_configs.py `--phase write` put on `b`, read by our client.
async fn read_every_family(client: &Client, b: &str) {
    let cors_read = client.get_bucket_cors(get(b)).await.unwrap();
    assert_eq!(cors_read.configuration, cors());
    let lifecycle_read = client.get_bucket_lifecycle(get(b)).await.unwrap();
    assert_eq!(
        lifecycle_read.configuration,
        lifecycle(CREATED_BEFORE_PYTHON)
    );
    let policy = client
        .get_bucket_policy(GetBucketPolicy::default().bucket(b))
        .await
        .unwrap();
    let read: serde_json::Value = serde_json::from_str(&policy.policy).unwrap();
    assert_eq!(
        read,
        serde_json::from_str::<serde_json::Value>(POLICY).unwrap()
    );
    let website_read = client.get_bucket_website(get(b)).await.unwrap();
    assert_eq!(website_read.configuration, website());
    let referer_read = client.get_bucket_referer(get(b)).await.unwrap();
    assert_eq!(referer_read.configuration, referer());
    let logging_read = client.get_bucket_logging(get(b)).await.unwrap();
    assert_eq!(logging_read.configuration, logging(b));
    let encryption_read = client.get_bucket_encryption(get(b)).await.unwrap();
    assert_eq!(encryption_read.configuration, encryption());
    let tags_read = client.get_bucket_tags(get(b)).await.unwrap();
    assert_eq!(tags_read.configuration, tags());
    let payer = client.get_bucket_request_payment(get(b)).await.unwrap();
    assert_eq!(payer.configuration.payer, "Requester");
    let acceleration = client
        .get_bucket_transfer_acceleration(get(b))
        .await
        .unwrap();
    assert!(acceleration.configuration.enabled);
    let block = client.get_bucket_public_access_block(get(b)).await.unwrap();
    assert!(block.configuration.block_public_access);
    let acl = client.get_bucket_acl(b).await.unwrap();
    assert_eq!(acl.acl, Acl::PublicRead);
    let versioning = client.get_bucket_versioning(b).await.unwrap();
    assert_eq!(versioning.status, VersioningStatus::Enabled);
}

#[tokio::test]
async fn the_official_python_sdk_and_ours_read_each_others_configurations() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let ours = bucket(&client, "cross-configs-rust").await;
    let theirs = bucket(&client, "cross-configs-python").await;
    put_every_family(&client, &ours).await;
    let python = |bucket: &str| PythonRun {
        interpreter: interpreter.clone(),
        script: "cross_configs.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: bucket.to_owned(),
    };
    // One check per compared field: 160 over the eleven families.
    python(&ours).run("read", 162).await;
    python(&theirs).run("write", 1).await;
    read_every_family(&client, &theirs).await;
}
