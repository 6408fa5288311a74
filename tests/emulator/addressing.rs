//! Custom-domain (CNAME) addressing: requests and presigned URLs without the bucket in the
//! host or the path, signed over `/bucket/key` as OSS requires.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};
use oss_client::auth::Credentials;
use oss_client::{AddressingStyle, Client, SignatureVersion};

use crate::signatures::raw;
use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, FixedClock, client, get, put};

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

/// An emulator serving the custom domain `localhost` for the bucket `site`, which an owner
/// client (path style, by IP) has created.
async fn cname_emulator() -> oss_emulator::EmulatorHandle {
    let emu = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .cname("localhost", "site")
        .start()
        .await
        .unwrap();
    client(&emu, SignatureVersion::V4)
        .put_bucket()
        .bucket("site")
        .send()
        .await
        .unwrap();
    emu
}

/// A client of `emu` addressing its custom domain `http://localhost:PORT`.
fn cname_client(emu: &oss_emulator::EmulatorHandle, version: SignatureVersion) -> Client {
    Client::builder()
        .region(emu.region())
        .endpoint(format!("localhost:{}", emu.local_addr().port()))
        .disable_ssl(true)
        .use_cname(true)
        .signature_version(version)
        .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .build()
        .unwrap()
}

#[tokio::test]
async fn requests_through_a_custom_domain_reach_the_bound_bucket() {
    let emu = cname_emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let cname = cname_client(&emu, version);
        let key = format!("pages/{version:?}/index a+b.html");
        cname
            .put_object()
            .bucket("site")
            .key(&key)
            .body("<h1>hello</h1>")
            .send()
            .await
            .unwrap();
        // The owner reads it by path style: the same object.
        let body = get(&owner, "site", &key)
            .await
            .body
            .collect()
            .await
            .unwrap();
        assert_eq!(&body[..], b"<h1>hello</h1>");
        let head = cname
            .head_object()
            .bucket("site")
            .key(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(head.content_length, 14);
    }
    let listed = cname_client(&emu, SignatureVersion::V4)
        .list_objects_v2()
        .bucket("site")
        .prefix("pages/")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = listed.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["pages/V1/index a+b.html", "pages/V4/index a+b.html"]);

    // The signature covers the bucket: naming another one through the domain is refused.
    let e = cname_client(&emu, SignatureVersion::V4)
        .get_object()
        .bucket("other")
        .key("pages/V4/index a+b.html")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("SignatureDoesNotMatch"), "{e}");
}

#[tokio::test]
async fn presigned_urls_on_a_custom_domain_are_accepted() {
    let emu = cname_emulator().await;
    put(
        &client(&emu, SignatureVersion::V4),
        "site",
        "logo.png",
        "PNG",
    )
    .await;
    let presigned = cname_client(&emu, SignatureVersion::V4)
        .presign(Method::GET)
        .bucket("site")
        .key("logo.png")
        .expires_in(Duration::from_secs(600))
        .send()
        .await
        .unwrap();
    let port = emu.local_addr().port();
    assert!(
        presigned
            .url
            .starts_with(&format!("http://localhost:{port}/logo.png?")),
        "{}",
        presigned.url
    );
    let (status, body) = raw(Method::GET, &presigned.url, &presigned.signed_headers, b"").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "PNG"));
}
