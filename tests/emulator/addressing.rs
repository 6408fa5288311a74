//! Custom-domain (CNAME) addressing: requests and presigned URLs without the bucket in the
//! host or the path, signed over `/bucket/key` as OSS requires.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::Method;
use oss_client::auth::Credentials;
use oss_client::{AddressingStyle, Client};

use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, FixedClock};

/// A client for `endpoint` whose clock reads a fixed instant.
fn fixed_client(endpoint: &str, cname: bool) -> Client {
    Client::builder()
        .region("cn-hangzhou")
        .endpoint(endpoint)
        .use_cname(cname)
        .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .clock(Arc::new(FixedClock(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_765_000_000),
        )))
        .build()
        .unwrap()
}

async fn presigned_url(client: &Client) -> String {
    client
        .presign(Method::GET)
        .bucket("examplebucket")
        .key("img/a b.png")
        .expires_in(Duration::from_secs(600))
        .send()
        .await
        .unwrap()
        .url
}

#[tokio::test]
async fn presigned_cname_urls_carry_the_signature_of_the_bucket_and_key() {
    let cname = fixed_client("https://static.example.com", true);
    assert_eq!(cname.addressing_style(), AddressingStyle::Cname);
    let virtual_hosted = fixed_client("https://oss-cn-hangzhou.aliyuncs.com", false);
    let cname_url = presigned_url(&cname).await;
    let hosted_url = presigned_url(&virtual_hosted).await;
    let (cname_base, cname_query) = cname_url.split_once('?').unwrap();
    let (hosted_base, hosted_query) = hosted_url.split_once('?').unwrap();
    assert_eq!(cname_base, "https://static.example.com/img/a%20b.png");
    assert_eq!(
        hosted_base,
        "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/img/a%20b.png"
    );
    // The host never enters a V4 signature: both URLs carry the same one.
    assert_eq!(cname_query, hosted_query);
    assert!(cname_query.contains("x-oss-signature="), "{cname_query}");
}
