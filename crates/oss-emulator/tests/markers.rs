//! Continuation tokens and version ids are as opaque as OSS's and always contain `+`, `/`
//! and `=`: a client must percent-encode them to get the next page or the version back.

mod common;

use common::{Client2, between};
use http::{Method, StatusCode};
use oss_emulator::Emulator;

fn enc(s: &str) -> String {
    oss_auth::sign::uri_encode(s, true)
}

#[tokio::test]
async fn continuation_tokens_must_be_percent_encoded() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket("bkt").await;
    let keys = ["a+b/1", "a+b/2", "c d", "dir/x", "dir/y", "z=1"];
    for k in keys {
        assert_eq!(c.put("bkt", k, "v").await.status, StatusCode::OK);
    }
    // Walk ListObjectsV2 one entry per page (delimiter "/"): every key and prefix once.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut q = "list-type=2&max-keys=1&delimiter=%2F".to_owned();
        if let Some(t) = &token {
            q.push_str(&format!("&continuation-token={}", enc(t)));
        }
        let r = c
            .send(c.call(Method::GET, Some("bkt"), None).query(&q))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let text = r.text();
        seen.extend(between(&text, "<Key>", "</Key>"));
        seen.extend(
            between(&text, "<CommonPrefixes>", "</CommonPrefixes>")
                .and_then(|cp| between(&cp, "<Prefix>", "</Prefix>")),
        );
        match between(&text, "<NextContinuationToken>", "</NextContinuationToken>") {
            Some(t) => {
                assert!(
                    t.contains('+') && t.contains('/') && t.ends_with('='),
                    "{t}"
                );
                token = Some(t);
            }
            None => break,
        }
        assert!(seen.len() <= keys.len(), "{seen:?}");
    }
    assert_eq!(seen, ["a+b/", "c d", "dir/", "z=1"]);

    // With encoding-type=url the token is percent-encoded in the XML, like every text field.
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), None)
                .query("list-type=2&max-keys=1&encoding-type=url"),
        )
        .await;
    let encoded = between(
        &r.text(),
        "<NextContinuationToken>",
        "</NextContinuationToken>",
    )
    .unwrap();
    assert!(
        encoded.starts_with("%2B%2F%2F%2F") || encoded.starts_with("%2B///"),
        "{encoded}"
    );
    let decoded = oss_auth::sign::percent_decode(&encoded, false);
    let r = c
        .send(c.call(Method::GET, Some("bkt"), None).query(&format!(
            "list-type=2&max-keys=1&continuation-token={}",
            enc(&decoded)
        )))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // The same token sent without percent-encoding: '+' arrives as a space → 400.
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), None)
                .query("list-type=2&max-keys=1"),
        )
        .await;
    let t = between(
        &r.text(),
        "<NextContinuationToken>",
        "</NextContinuationToken>",
    )
    .unwrap();
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), None)
                .query(&format!("list-type=2&continuation-token={t}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "InvalidArgument");
}

#[tokio::test]
async fn version_ids_must_be_percent_encoded() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket("bkt").await;
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), None)
                .query("versioning")
                .body(
                    "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
                ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v1 = c.put("bkt", "k", "one").await.headers["x-oss-version-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(c.put("bkt", "k", "two").await.status, StatusCode::OK);
    assert!(
        v1.contains('+') && v1.contains('/') && v1.ends_with('='),
        "{v1}"
    );
    let get = |q: String| c.send(c.call(Method::GET, Some("bkt"), Some("k")).query(&q));
    let r = get(format!("versionId={}", enc(&v1))).await;
    assert_eq!(&r.bytes()[..], b"one");
    let r = get(format!("versionId={v1}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a raw '+' is a space");
    assert_eq!(r.code(), "NoSuchVersion");
    // x-oss-copy-source carries it raw, as the official SDKs send it.
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), Some("copy"))
                .header("x-oss-copy-source", &format!("/bkt/k?versionId={v1}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(&c.get("bkt", "copy").await.bytes()[..], b"one");
    // NextVersionIdMarker is a version id, so it needs encoding as well.
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), None)
                .query("versions&max-keys=1"),
        )
        .await;
    let marker = between(&r.text(), "<NextVersionIdMarker>", "</NextVersionIdMarker>").unwrap();
    assert!(marker.contains('+'), "{marker}");
    let r = c
        .send(c.call(Method::GET, Some("bkt"), None).query(&format!(
            "versions&max-keys=1&key-marker={}&version-id-marker={}",
            enc("copy"),
            enc(&marker)
        )))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}
