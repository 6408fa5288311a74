//! Object keys that break naive encoders (bugs.md B01, B02, B04, B05, B06): every key is an
//! opaque literal, sent once-encoded and never normalised.

use oss_client::{ErrorKind, SignatureVersion};

use crate::support::{bucket, client, emulator, get, put};

const KEYS: &[&str] = &[
    "reports/a+b c.pdf",
    "data/x{q$}!.json",
    "data/x%7Bq%24%7D%21.json",
    "123//456",
    "123/456",
    "a/./b",
    "a/../b",
    "trailing/slash/",
    "中文/文件 名.txt",
    "emoji/😀🚀.txt",
    "reserved/!#$&'()*+,;=:@[]",
    "tilde~and*star",
    "percent%2Fliteral",
    "question?mark",
    "trail ",
    "  lead",
    "three   spaces",
    "tab\tend\t",
];

#[tokio::test]
async fn every_awkward_key_round_trips_with_v4_and_v1() {
    let emu = emulator().await;
    for (version, name) in [
        (SignatureVersion::V4, "keys-v4"),
        (SignatureVersion::V1, "keys-v1"),
    ] {
        let client = client(&emu, version);
        let b = bucket(&client, name).await;
        for (i, key) in KEYS.iter().enumerate() {
            let body = format!("body {i}");
            client
                .put_object()
                .bucket(&b)
                .key(*key)
                .body(body.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{key:?}: {e}"));
        }
        for (i, key) in KEYS.iter().enumerate() {
            let got = client
                .get_object()
                .bucket(&b)
                .key(*key)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{key:?}: {e}"));
            assert_eq!(
                got.body.collect().await.unwrap(),
                format!("body {i}").into_bytes(),
                "{key:?}"
            );
        }
        let page = client
            .list_objects_v2()
            .bucket(&b)
            .max_keys(1000)
            .send()
            .await
            .unwrap();
        let listed: Vec<&str> = page.contents.iter().map(|o| o.key.as_str()).collect();
        let mut expected: Vec<&str> = KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(listed, expected);

        // B01: a space and a plus are different keys.
        let err = client
            .get_object()
            .bucket(&b)
            .key("reports/a b c.pdf")
            .send()
            .await
            .unwrap_err();
        let service = err.as_service_error().unwrap();
        assert_eq!(
            (service.status().as_u16(), service.code()),
            (404, "NoSuchKey")
        );
        // B02: the error names the decoded key.
        let err = client
            .get_object()
            .bucket(&b)
            .key("data/x{q$}!.jsonX")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.as_service_error().unwrap().detail("Key"),
            Some("data/x{q$}!.jsonX")
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn leading_slash_and_long_keys_are_refused_before_any_io() {
    let (client, calls) = crate::support::offline_client();
    for key in ["/leading.txt", "\\leading.txt", ""] {
        let err = client
            .put_object()
            .bucket("examplebucket")
            .key(key)
            .body("x")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidObjectKey, "{key:?}");
        assert!(err.is_input_error());
    }
    let long = "k".repeat(1024);
    let err = client
        .get_object()
        .bucket("examplebucket")
        .key(long)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidObjectKey);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn control_characters_list_through_url_encoding() {
    // B06: a key with byte 0x08 and a common prefix with '+' list exactly.
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "control-chars").await;
    for key in ["bad\u{8}name.txt", "c++/a b.txt"] {
        put(&client, &b, key, "x").await;
    }
    let page = client
        .list_objects_v2()
        .bucket(&b)
        .delimiter("/")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = page.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["bad\u{8}name.txt"]);
    assert_eq!(page.common_prefixes, ["c++/"]);
    let got = get(&client, &b, "bad\u{8}name.txt").await;
    assert_eq!(&got.body.collect().await.unwrap()[..], b"x");
    emu.shutdown().await;
}
