//! CORS from the bucket's rules: the unsigned preflight (OptionObject) and the
//! `Access-Control-*` headers on ordinary answers to requests with an `Origin`.

mod common;

use bytes::Bytes;
use common::Client2;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oss_emulator::Emulator;

const BUCKET: &str = "cors-bkt";
const RULES: &str = "<CORSConfiguration>\
<CORSRule><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>x-oss-meta-*</AllowedHeader><AllowedHeader>content-type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>\
<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule>\
<ResponseVary>true</ResponseVary></CORSConfiguration>";

/// An unsigned OPTIONS, as a browser sends it.
async fn preflight(endpoint: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut req = Request::builder()
        .method(Method::OPTIONS)
        .uri(format!("{endpoint}/{BUCKET}/index.html"));
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    let resp = client
        .request(req.body(Full::default()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn preflight_follows_the_bucket_rules() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    let ep = emu.endpoint();
    let ask = [
        ("origin", "https://app.example.com"),
        ("access-control-request-method", "PUT"),
        (
            "access-control-request-headers",
            "content-type, X-OSS-Meta-Author",
        ),
    ];
    // No CORS configuration yet.
    let (status, _, body) = preflight(ep, &ask).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("<Code>AccessForbidden</Code>"), "{body}");

    let r = c
        .send(
            c.call(Method::PUT, Some(BUCKET), None)
                .query("cors")
                .body(RULES),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let (status, h, _) = preflight(ep, &ask).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(h["access-control-allow-methods"], "GET, PUT");
    assert_eq!(
        h["access-control-allow-headers"],
        "content-type, X-OSS-Meta-Author"
    );
    assert_eq!(h["access-control-expose-headers"], "ETag, x-oss-request-id");
    assert_eq!(h["access-control-max-age"], "600");
    assert_eq!(h["vary"], "Origin");

    // The second rule: any origin, HEAD only, no max age.
    let (status, h, _) = preflight(
        ep,
        &[
            ("origin", "http://other.test"),
            ("access-control-request-method", "HEAD"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["access-control-allow-methods"], "HEAD");
    assert!(!h.contains_key("access-control-max-age"));

    // Refused: a method, a header or an origin no rule allows; a missing method.
    for ask in [
        vec![
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "DELETE"),
        ],
        vec![
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "authorization"),
        ],
        vec![
            ("origin", "https://example.org"),
            ("access-control-request-method", "GET"),
        ],
        vec![("origin", "https://app.example.com")],
    ] {
        let (status, h, body) = preflight(ep, &ask).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{ask:?}");
        assert!(body.contains("<Code>AccessForbidden</Code>"), "{body}");
        assert!(!h.contains_key("access-control-allow-origin"));
    }
}

#[tokio::test]
async fn answers_carry_cors_headers_for_allowed_origins() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(c.put(BUCKET, "a.txt", "hello").await.status, StatusCode::OK);
    let get = |origin: &'static str| {
        c.send(
            c.call(Method::GET, Some(BUCKET), Some("a.txt"))
                .header("origin", origin),
        )
    };
    // Without rules: no CORS headers.
    let r = get("https://app.example.com").await;
    assert!(!r.headers.contains_key("access-control-allow-origin"));
    let put = c
        .call(Method::PUT, Some(BUCKET), None)
        .query("cors")
        .body(RULES);
    assert_eq!(c.send(put).await.status, StatusCode::OK);

    let r = get("https://app.example.com").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(
        r.headers["access-control-expose-headers"],
        "ETag, x-oss-request-id"
    );
    assert_eq!(r.headers["vary"], "Origin");
    // An origin no GET rule allows: no allow headers, still Vary.
    let r = get("https://example.org").await;
    assert!(!r.headers.contains_key("access-control-allow-origin"));
    assert_eq!(r.headers["vary"], "Origin");
}
