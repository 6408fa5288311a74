//! Ranged reads (bugs.md B14) and conditional requests.

use std::time::{Duration, SystemTime};

use oss_client::SignatureVersion;
use oss_client::types::ByteRange;

use crate::support::{bucket, client, emulator, put};

#[tokio::test]
async fn range_table_with_standard_behaviour() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "ranges").await;
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 256) as u8).collect();
    put(&client, &b, "data/1k.bin", data.clone()).await;
    put(&client, &b, "empty", Vec::new()).await;

    let cases = [
        (ByteRange::inclusive(100, 199).unwrap(), (100, 199)),
        (ByteRange::inclusive(500, 2000).unwrap(), (500, 999)),
        (ByteRange::suffix(500).unwrap(), (500, 999)),
        (ByteRange::from(0), (0, 999)),
        (ByteRange::inclusive(0, 0).unwrap(), (0, 0)),
    ];
    for (range, (first, last)) in cases {
        let got = client
            .get_object()
            .bucket(&b)
            .key("data/1k.bin")
            .range(range)
            .send()
            .await
            .unwrap();
        assert_eq!(got.content_range, Some((first, last, 1000)), "{range}");
        assert_eq!(got.properties.content_length, last - first + 1);
        let body = got.body.collect().await.unwrap();
        assert_eq!(&body[..], &data[first as usize..=last as usize], "{range}");
    }

    let err = client
        .get_object()
        .bucket(&b)
        .key("data/1k.bin")
        .range(ByteRange::inclusive(1000, 2000).unwrap())
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().unwrap();
    assert_eq!(
        (service.status().as_u16(), service.code()),
        (416, "InvalidRange")
    );

    // A ranged read from byte 0 of a 0-byte object is empty, not an error.
    let got = client
        .get_object()
        .bucket(&b)
        .key("empty")
        .range(ByteRange::from(0))
        .send()
        .await
        .unwrap();
    assert!(got.body.collect().await.unwrap().is_empty());
    emu.shutdown().await;
}

#[tokio::test]
async fn conditional_get_and_head() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "conditions").await;
    let put = client
        .put_object()
        .bucket(&b)
        .key("k")
        .body("value")
        .send()
        .await
        .unwrap();
    let past = SystemTime::now() - Duration::from_secs(3600);
    let future = SystemTime::now() + Duration::from_secs(3600);

    let got = client
        .get_object()
        .bucket(&b)
        .key("k")
        .if_match(put.etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(&got.body.collect().await.unwrap()[..], b"value");

    let err = client
        .get_object()
        .bucket(&b)
        .key("k")
        .if_match("\"0000\"")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().unwrap().status().as_u16(), 412);
    assert_eq!(err.code(), Some("PreconditionFailed"));

    let err = client
        .get_object()
        .bucket(&b)
        .key("k")
        .if_none_match(put.etag.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().unwrap().status().as_u16(), 304);

    let err = client
        .get_object()
        .bucket(&b)
        .key("k")
        .if_modified_since(future)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().unwrap().status().as_u16(), 304);
    client
        .get_object()
        .bucket(&b)
        .key("k")
        .if_modified_since(past)
        .send()
        .await
        .unwrap();

    let err = client
        .head_object()
        .bucket(&b)
        .key("k")
        .if_unmodified_since(past)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("PreconditionFailed"));
    client
        .head_object()
        .bucket(&b)
        .key("k")
        .if_unmodified_since(future)
        .send()
        .await
        .unwrap();
    emu.shutdown().await;
}
