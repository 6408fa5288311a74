//! The typed bucket configuration families against the emulator: what our client puts is
//! read back equal, a delete makes the get answer the family's `NoSuch…` code (or OSS's
//! default document), and documents OSS refuses come back as its error codes.

use oss_client::operation::bucket_config::{DeleteBucketConfig, GetBucketConfig, PutBucketConfig};
use oss_client::operation::bucket_cors::{CorsConfiguration, CorsRule};
use oss_client::operation::bucket_encryption::ServerSideEncryptionRule;
use oss_client::operation::bucket_lifecycle::{Expiration, LifecycleConfiguration, LifecycleRule};
use oss_client::operation::bucket_logging::BucketLoggingStatus;
use oss_client::operation::bucket_policy::{GetBucketPolicy, PutBucketPolicy};
use oss_client::operation::bucket_referer::{RefererConfiguration, RefererList};
use oss_client::operation::bucket_request_payment::RequestPaymentConfiguration;
use oss_client::operation::bucket_tags::{Tag, Tagging};
use oss_client::operation::bucket_transfer_acceleration::TransferAccelerationConfiguration;
use oss_client::operation::bucket_website::WebsiteConfiguration;
use oss_client::{Client, SignatureVersion};

use crate::support::{bucket, client, emulator};

fn put<C>(bucket: &str, configuration: C) -> PutBucketConfig<C>
where
    C: oss_client::operation::bucket_config::BucketConfig,
{
    PutBucketConfig::default()
        .bucket(bucket)
        .configuration(configuration)
}

fn get<C: oss_client::operation::bucket_config::BucketConfig>(bucket: &str) -> GetBucketConfig<C> {
    GetBucketConfig::default().bucket(bucket)
}

fn delete<C: oss_client::operation::bucket_config::BucketConfig>(
    bucket: &str,
) -> DeleteBucketConfig<C> {
    DeleteBucketConfig::default().bucket(bucket)
}

async fn setup(name: &str) -> (oss_emulator::EmulatorHandle, Client, String) {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, name).await;
    (emu, client, b)
}

fn service_code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

#[tokio::test]
async fn cors_is_put_read_deleted_and_refused() {
    let (_emu, client, b) = setup("cfg-cors").await;
    let mut rule = CorsRule::new(["https://www.example.com"], ["GET", "PUT"]);
    rule.allowed_headers = vec!["Authorization".into()];
    rule.max_age_seconds = Some(100);
    let mut cors = CorsConfiguration::new([rule]);
    cors.response_vary = Some(true);
    let put_out = client.put_bucket_cors(put(&b, cors.clone())).await.unwrap();
    assert!(!put_out.request_id.is_empty());
    let read = client.get_bucket_cors(get(&b)).await.unwrap();
    assert_eq!(read.configuration, cors);
    client.delete_bucket_cors(delete(&b)).await.unwrap();
    let gone = client.get_bucket_cors(get(&b)).await.unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchCORSConfiguration");

    let bad = CorsConfiguration::new([CorsRule::new(["*"], ["PATCH"])]);
    let refused = client.put_bucket_cors(put(&b, bad)).await.unwrap_err();
    assert_eq!(service_code(&refused), "InvalidArgument");
}

#[tokio::test]
async fn lifecycle_is_put_read_and_deleted() {
    let (_emu, client, b) = setup("cfg-lifecycle").await;
    let mut rule = LifecycleRule::enabled("logs/");
    rule.id = Some("r1".into());
    let mut expiration = Expiration::default();
    expiration.days = Some(30);
    rule.expiration = Some(expiration);
    rule.tags = vec![Tag::new("kind", "log")];
    let lifecycle = LifecycleConfiguration::new([rule]);
    client
        .put_bucket_lifecycle(put(&b, lifecycle.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_lifecycle(get(&b)).await.unwrap();
    assert_eq!(read.configuration, lifecycle);
    client.delete_bucket_lifecycle(delete(&b)).await.unwrap();
    let gone = client.get_bucket_lifecycle(get(&b)).await.unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchLifecycle");
}

#[tokio::test]
async fn policy_is_put_read_and_deleted() {
    let (_emu, client, b) = setup("cfg-policy").await;
    let policy = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:cfg-policy/*"]}]}"#;
    client
        .put_bucket_policy(PutBucketPolicy::default().bucket(&b).policy(policy))
        .await
        .unwrap();
    let read = client
        .get_bucket_policy(GetBucketPolicy::default().bucket(&b))
        .await
        .unwrap();
    assert_eq!(read.policy, policy);
    client
        .delete_bucket_policy(GetBucketPolicy::default().bucket(&b))
        .await
        .unwrap();
    let gone = client
        .get_bucket_policy(GetBucketPolicy::default().bucket(&b))
        .await
        .unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchBucketPolicy");
}

#[tokio::test]
async fn website_is_put_read_deleted_and_refused() {
    let (_emu, client, b) = setup("cfg-website").await;
    let website = WebsiteConfiguration::new("index.html", "error.html");
    client
        .put_bucket_website(put(&b, website.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_website(get(&b)).await.unwrap();
    assert_eq!(read.configuration, website);
    client.delete_bucket_website(delete(&b)).await.unwrap();
    let gone = client.get_bucket_website(get(&b)).await.unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchWebsiteConfiguration");

    let bad = WebsiteConfiguration::new("dir/index.html", "error.html");
    let refused = client.put_bucket_website(put(&b, bad)).await.unwrap_err();
    assert_eq!(service_code(&refused), "InvalidArgument");
}

#[tokio::test]
async fn referer_starts_at_the_default_and_is_replaced() {
    let (_emu, client, b) = setup("cfg-referer").await;
    let default = client.get_bucket_referer(get(&b)).await.unwrap();
    assert!(default.configuration.allow_empty_referer);
    let mut referer = RefererConfiguration::default();
    referer.referer_list = RefererList::new(["http://www.example.com"]);
    client
        .put_bucket_referer(put(&b, referer.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_referer(get(&b)).await.unwrap();
    assert_eq!(read.configuration, referer);
}

#[tokio::test]
async fn logging_is_off_until_put_and_after_delete() {
    let (_emu, client, b) = setup("cfg-logging").await;
    let off = client.get_bucket_logging(get(&b)).await.unwrap();
    assert_eq!(off.configuration, BucketLoggingStatus::default());
    let logging = BucketLoggingStatus::enabled(b.clone(), "log-");
    client
        .put_bucket_logging(put(&b, logging.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_logging(get(&b)).await.unwrap();
    assert_eq!(read.configuration, logging);
    client.delete_bucket_logging(delete(&b)).await.unwrap();
    let off = client.get_bucket_logging(get(&b)).await.unwrap();
    assert_eq!(off.configuration.logging_enabled, None);
}

#[tokio::test]
async fn encryption_is_put_read_and_deleted() {
    let (_emu, client, b) = setup("cfg-encryption").await;
    let rule = ServerSideEncryptionRule::new("AES256");
    client
        .put_bucket_encryption(put(&b, rule.clone()))
        .await
        .unwrap();
    let read = client.get_bucket_encryption(get(&b)).await.unwrap();
    assert_eq!(read.configuration, rule);
    client.delete_bucket_encryption(delete(&b)).await.unwrap();
    let gone = client.get_bucket_encryption(get(&b)).await.unwrap_err();
    assert_eq!(service_code(&gone), "NoSuchServerSideEncryptionRule");
}

#[tokio::test]
async fn tags_are_put_read_and_deleted() {
    let (_emu, client, b) = setup("cfg-tags").await;
    let empty = client.get_bucket_tags(get(&b)).await.unwrap();
    assert!(empty.configuration.tag_set.tags.is_empty());
    let tags = Tagging::new([Tag::new("team", "storage"), Tag::new("env", "")]);
    client.put_bucket_tags(put(&b, tags.clone())).await.unwrap();
    let read = client.get_bucket_tags(get(&b)).await.unwrap();
    assert_eq!(read.configuration, tags);
    client.delete_bucket_tags(delete(&b)).await.unwrap();
    let empty = client.get_bucket_tags(get(&b)).await.unwrap();
    assert!(empty.configuration.tag_set.tags.is_empty());
}

#[tokio::test]
async fn request_payment_and_transfer_acceleration_are_switched() {
    let (_emu, client, b) = setup("cfg-switches").await;
    let owner = client.get_bucket_request_payment(get(&b)).await.unwrap();
    assert_eq!(owner.configuration.payer, "BucketOwner");
    client
        .put_bucket_request_payment(put(&b, RequestPaymentConfiguration::new("Requester")))
        .await
        .unwrap();
    let read = client.get_bucket_request_payment(get(&b)).await.unwrap();
    assert_eq!(read.configuration.payer, "Requester");

    client
        .put_bucket_transfer_acceleration(put(&b, TransferAccelerationConfiguration::new(true)))
        .await
        .unwrap();
    let read = client
        .get_bucket_transfer_acceleration(get(&b))
        .await
        .unwrap();
    assert!(read.configuration.enabled);
}

#[tokio::test]
async fn a_missing_bucket_answers_no_such_bucket() {
    let (_emu, client, _b) = setup("cfg-present").await;
    let error = client.get_bucket_cors(get("cfg-absent")).await.unwrap_err();
    assert_eq!(service_code(&error), "NoSuchBucket");
}
