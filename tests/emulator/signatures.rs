//! What the emulator accepts and refuses: wrong secrets, tampered signatures, presigned URLs
//! (bugs.md B11, B13), clock skew.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, Request, StatusCode};
use oss_auth::Credentials;
use oss_auth::sign::{
    QueryParams, SignableRequest, SignatureVersion as AuthVersion, Signer, SigningParams,
};
use oss_client::{Body, ErrorKind, SignatureVersion};
use oss_http::HttpClient;
use tower_service::Service as _;

use crate::support::{
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, bucket, client, client_at, client_with_secret, emulator, get,
    put,
};

pub(crate) async fn raw(
    method: Method,
    url: &str,
    headers: &[(String, String)],
    body: &'static [u8],
) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(url);
    for (n, v) in headers {
        request = request.header(n.as_str(), v.as_str());
    }
    let request = request
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    let response = HttpClient::builder()
        .build()
        .unwrap()
        .call(request)
        .await
        .unwrap();
    let status = response.status();
    let err = response
        .headers()
        .get("x-oss-err")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = http_body_util_collect(response).await;
    (
        status,
        if body.is_empty() {
            err.unwrap_or_default()
        } else {
            body
        },
    )
}

async fn http_body_util_collect(response: http::Response<oss_http::ResponseBody>) -> String {
    use http_body_util::BodyExt as _;
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn wrong_secret_is_refused_with_signature_does_not_match() {
    let emu = emulator().await;
    let good = client(&emu, SignatureVersion::V4);
    let b = bucket(&good, "wrong-secret").await;
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let bad = client_with_secret(&emu, version, "not-the-secret");
        let err = bad
            .put_object()
            .bucket(&b)
            .key("k")
            .body("v")
            .send()
            .await
            .unwrap_err();
        let service = err.as_service_error().unwrap();
        assert_eq!(
            (service.status().as_u16(), service.code()),
            (403, "SignatureDoesNotMatch")
        );
        assert!(!err.is_retryable());
        let err = bad
            .head_object()
            .bucket(&b)
            .key("k")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            Some("SignatureDoesNotMatch"),
            "HEAD errors decode x-oss-err"
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn tampered_signature_and_unsigned_requests_are_refused() {
    let emu = emulator().await;
    let good = client(&emu, SignatureVersion::V4);
    let b = bucket(&good, "tampered").await;
    good.put_object()
        .bucket(&b)
        .key("k")
        .body("v")
        .send()
        .await
        .unwrap();

    let credentials = Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
    for version in [AuthVersion::V4, AuthVersion::V1] {
        let mut headers = HeaderMap::new();
        let mut query = QueryParams::new();
        let mut req = SignableRequest {
            method: "GET",
            bucket: Some(&b),
            key: Some("k"),
            query: &mut query,
            headers: &mut headers,
        };
        Signer::new(version)
            .sign_headers(
                &mut req,
                &SigningParams::new(&credentials, "cn-hangzhou", SystemTime::now()),
            )
            .unwrap();
        let url = format!("{}/{b}/k", emu.endpoint());
        let pairs: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        let (status, _) = raw(Method::GET, &url, &pairs, b"").await;
        assert_eq!(status, StatusCode::OK, "{version:?} untampered");

        let tampered: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| {
                if n == "authorization" {
                    let mut v = v.clone();
                    let last = v.pop().unwrap();
                    v.push(if last == 'a' { 'b' } else { 'a' });
                    (n.clone(), v)
                } else {
                    (n.clone(), v.clone())
                }
            })
            .collect();
        let (status, body) = raw(Method::GET, &url, &tampered, b"").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(
            body.contains("<Code>SignatureDoesNotMatch</Code>"),
            "{body}"
        );
    }
    let (status, body) = raw(Method::GET, &format!("{}/{b}/k", emu.endpoint()), &[], b"").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
    emu.shutdown().await;
}

#[tokio::test]
async fn presigned_urls_are_accepted_until_they_expire() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "presign").await;
    for key in ["data/x{q$}!.json", "data/x%7Bq%24%7D%21.json"] {
        put(&client, &b, key, key.to_owned()).await;
        let url = client
            .presign(Method::GET)
            .bucket(&b)
            .key(key)
            .expires_in(Duration::from_secs(600))
            .send()
            .await
            .unwrap();
        let (status, body) = raw(Method::GET, &url.url, &url.signed_headers, b"").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, key));
    }

    // HEAD is presigned the same way.
    let head = client
        .presign(Method::HEAD)
        .bucket(&b)
        .key("data/x{q$}!.json")
        .send()
        .await
        .unwrap();
    let (status, _) = raw(Method::HEAD, &head.url, &head.signed_headers, b"").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = raw(Method::GET, &head.url, &[], b"").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a HEAD URL is not a GET URL");

    // Signed an hour ago for 60 s: expired.
    let past = client_at(&emu, SystemTime::now() - Duration::from_secs(3600));
    let expired = past
        .presign(Method::GET)
        .bucket(&b)
        .key("data/x{q$}!.json")
        .expires_in(Duration::from_secs(60))
        .send()
        .await
        .unwrap();
    let (status, body) = raw(Method::GET, &expired.url, &[], b"").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");

    // A one-byte change of the signature is refused.
    let url = client
        .presign(Method::GET)
        .bucket(&b)
        .key("data/x{q$}!.json")
        .send()
        .await
        .unwrap();
    let tampered = format!(
        "{}{}",
        &url.url[..url.url.len() - 1],
        if url.url.ends_with('0') { '1' } else { '0' }
    );
    let (status, _) = raw(Method::GET, &tampered, &[], b"").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    emu.shutdown().await;
}

#[tokio::test]
async fn presigned_bucket_urls_list_and_read_the_bucket() {
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let emu = emulator().await;
        let client = client(&emu, version);
        let b = bucket(&client, "presign-bucket").await;
        put(&client, &b, "logs/a.txt", "a".to_owned()).await;
        put(&client, &b, "logs/b.txt", "bb".to_owned()).await;
        let list = client
            .presign(Method::GET)
            .bucket(&b)
            .query("list-type", "2")
            .query("prefix", "logs/")
            .send()
            .await
            .unwrap();
        let (status, body) = raw(Method::GET, &list.url, &list.signed_headers, b"").await;
        assert_eq!(status, StatusCode::OK, "{version:?}: {body}");
        assert!(body.contains("<KeyCount>2</KeyCount>"), "{body}");
        assert!(body.contains("<Key>logs/b.txt</Key>"), "{body}");

        let info = client
            .presign(Method::GET)
            .bucket(&b)
            .subresource("bucketInfo")
            .send()
            .await
            .unwrap();
        let (status, body) = raw(Method::GET, &info.url, &info.signed_headers, b"").await;
        assert_eq!(status, StatusCode::OK, "{version:?}: {body}");
        assert!(body.contains(&format!("<Name>{b}</Name>")), "{body}");

        // The signature covers the sub-resource: the same URL for `?acl` is refused.
        let acl_url = info.url.replace("bucketInfo", "acl");
        let (status, body) = raw(Method::GET, &acl_url, &[], b"").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{version:?}: {body}");
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn presigned_put_signs_content_type() {
    // B11: Content-Type is always signed when present.
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "presign-put").await;
    let plain = client
        .presign(Method::PUT)
        .bucket(&b)
        .key("uploads/6.png")
        .expires_in(Duration::from_secs(600))
        .send()
        .await
        .unwrap();
    assert!(plain.signed_headers.is_empty());
    let other_type = [(
        "content-type".to_owned(),
        "multipart/form-data; boundary=xyz".to_owned(),
    )];
    let (status, body) = raw(Method::PUT, &plain.url, &other_type, b"png").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("SignatureDoesNotMatch"));

    let typed = client
        .presign(Method::PUT)
        .bucket(&b)
        .key("uploads/6.png")
        .content_type("image/png")
        .send()
        .await
        .unwrap();
    assert_eq!(
        typed.signed_headers,
        [("content-type".to_owned(), "image/png".to_owned())]
    );
    let (status, _) = raw(Method::PUT, &typed.url, &[], b"png").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "without its content type");
    let (status, _) = raw(Method::PUT, &typed.url, &typed.signed_headers, b"png").await;
    assert_eq!(status, StatusCode::OK);
    let got = get(&client, &b, "uploads/6.png").await;
    assert_eq!(got.properties.content_type.as_deref(), Some("image/png"));
    assert_eq!(&got.body.collect().await.unwrap()[..], b"png");

    // V1 presigned URLs work the same way.
    let v1 = crate::support::client(&emu, SignatureVersion::V1);
    let url = v1
        .presign(Method::GET)
        .bucket(&b)
        .key("uploads/6.png")
        .send()
        .await
        .unwrap();
    assert!(url.url.contains("OSSAccessKeyId="));
    let (status, body) = raw(Method::GET, &url.url, &[], b"").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "png"));
    emu.shutdown().await;
}

#[tokio::test]
async fn presign_expiry_limits() {
    // B13: 7 days is the V4 maximum; more is refused before any I/O.
    let (client, calls) = crate::support::offline_client();
    for (secs, ok) in [
        (3600, true),
        (90_000, true),
        (604_800, true),
        (604_801, false),
        (0, false),
    ] {
        let result = client
            .presign(Method::GET)
            .bucket("examplebucket")
            .key("a.txt")
            .expires_in(Duration::from_secs(secs))
            .send()
            .await;
        match result {
            Ok(url) => {
                assert!(ok, "{secs}");
                assert!(
                    url.url.contains(&format!("x-oss-expires={secs}&"))
                        || url.url.contains(&format!("x-oss-expires={secs}")),
                    "{secs}"
                );
            }
            Err(e) => {
                assert!(!ok, "{secs}: {e}");
                assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            }
        }
    }
    // Presigning fetches credentials (no network): one call per URL.
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_server_time() {
    // B18: the client is 20 minutes behind. The first PUT is refused with
    // RequestTimeTooSkewed, the offset is learned from the error's ServerTime, the PUT is
    // signed again and succeeds with its whole body; the next PUT succeeds first time.
    let emu = emulator().await;
    let good = client(&emu, SignatureVersion::V4);
    let b = bucket(&good, "skew").await;
    let behind = client_at(&emu, SystemTime::now() - Duration::from_secs(20 * 60));
    let put = behind
        .put_object()
        .bucket(&b)
        .key("skew.txt")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(
        put.crc64,
        Some(11_177_612_005_948_864_433),
        "all 5 bytes were sent again"
    );
    assert_eq!(behind.stats().retries, 1);
    behind
        .put_object()
        .bucket(&b)
        .key("second.txt")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(behind.stats().retries, 1, "the offset is kept");

    // Without retries the error itself surfaces, with the server's time.
    let no_retry = oss_client::Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .credentials_provider(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .clock(std::sync::Arc::new(crate::support::FixedClock(
            SystemTime::now() - Duration::from_secs(20 * 60),
        )))
        .retry(oss_client::RetryConfig::disabled())
        .build()
        .unwrap();
    let err = no_retry
        .put_object()
        .bucket(&b)
        .key("skew.txt")
        .body("hello")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().unwrap();
    assert_eq!(
        (service.status().as_u16(), service.code()),
        (403, "RequestTimeTooSkewed")
    );
    assert!(service.detail("ServerTime").is_some());
    assert!(err.is_retryable());
    emu.shutdown().await;
}
