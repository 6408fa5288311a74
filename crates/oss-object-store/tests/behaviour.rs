//! What the integration suite does not pin down: DeleteMultipleObjects batching, coalesced
//! ranged reads, tags, presigned URLs, credentials providers and error kinds, against an
//! emulator started by each test.

use oss_object_store::object_store;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use http::Method;
use object_store::path::Path;
use object_store::signer::Signer as _;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt as _, PutOptions, TagSet};
use oss_client::auth::{Credentials, provide_credentials_fn};
use oss_emulator::EmulatorHandle;
use oss_object_store::{OssObjectStore, OssObjectStoreBuilder};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const ACCESS_KEY_ID: &str = "LTAI5tObjectStoreTest";
const ACCESS_KEY_SECRET: &str = "object-store-secret";
const BUCKET: &str = "object-store-behaviour";

async fn emulator() -> EmulatorHandle {
    oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .start()
        .await
        .expect("emulator starts")
}

fn builder(emu: &EmulatorHandle) -> OssObjectStoreBuilder {
    OssObjectStoreBuilder::new()
        .with_endpoint(emu.endpoint())
        .with_region(emu.region())
        .with_bucket_name(BUCKET)
}

async fn store(emu: &EmulatorHandle) -> OssObjectStore {
    let store = builder(emu)
        .with_config("oss_access_key_id", ACCESS_KEY_ID)
        .unwrap()
        .with_config("oss_access_key_secret", ACCESS_KEY_SECRET)
        .unwrap()
        .build()
        .unwrap();
    store
        .client()
        .put_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn delete_stream_sends_1000_keys_per_request_and_answers_in_order() {
    let emu = emulator().await;
    let store = store(&emu).await;
    let paths: Vec<Path> = (0..1001).map(|i| Path::from(format!("d/{i:04}"))).collect();
    stream::iter(paths.clone())
        .map(|p| {
            let store = store.clone();
            async move { store.put(&p, "x".into()).await }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let mut input: Vec<object_store::Result<Path>> = paths.iter().cloned().map(Ok).collect();
    input.insert(
        500,
        Err(object_store::Error::NotSupported {
            source: "an input error".into(),
        }),
    );
    let before = store.client().stats().requests;
    let results: Vec<_> = store
        .delete_stream(stream::iter(input).boxed())
        .collect()
        .await;
    assert_eq!(store.client().stats().requests - before, 2);
    assert_eq!(results.len(), 1002);
    assert!(matches!(
        results[500],
        Err(object_store::Error::NotSupported { .. })
    ));
    let deleted: Vec<Path> = results
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != 500)
        .map(|(_, r)| r.unwrap())
        .collect();
    assert_eq!(deleted, paths);
    let left: Vec<_> = store.list(None).try_collect().await.unwrap();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn get_ranges_merges_nearby_ranges_into_one_request() {
    let emu = emulator().await;
    let store = store(&emu).await;
    let data: Bytes = (0..3 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let path = Path::from("ranges.bin");
    store.put(&path, data.clone().into()).await.unwrap();
    let ranges = [0..10, 20..30, 2_097_152..2_097_157];
    let before = store.client().stats().requests;
    let got = store.get_ranges(&path, &ranges).await.unwrap();
    // 0..10 and 20..30 are 10 bytes apart (under 1 MiB): one GetObject for both.
    assert_eq!(store.client().stats().requests - before, 2);
    for (range, bytes) in ranges.iter().zip(got) {
        assert_eq!(bytes, data.slice(range.start as usize..range.end as usize));
    }
}

#[tokio::test]
async fn attributes_and_tags_are_stored_exactly() {
    let emu = emulator().await;
    let store = store(&emu).await;
    let attributes = Attributes::from_iter([
        (Attribute::ContentType, "application/vnd.apache.parquet"),
        (Attribute::ContentLanguage, "zh-CN"),
        (Attribute::CacheControl, "no-cache"),
        (Attribute::Metadata("writer".into()), "datafusion 55"),
    ]);
    let mut tags = TagSet::default();
    tags.push("team", "data & ml");
    tags.push("tier", "hot");
    let options = PutOptions {
        attributes: attributes.clone(),
        tags,
        ..Default::default()
    };
    let path = Path::from("t/part-0.parquet");
    store.put_opts(&path, "PAR1".into(), options).await.unwrap();
    let got = store.get(&path).await.unwrap();
    assert_eq!(got.attributes, attributes);
    let tagging = store
        .client()
        .get_object_tagging(BUCKET, "t/part-0.parquet")
        .await
        .unwrap();
    assert_eq!(
        tagging.tags,
        vec![
            ("team".to_owned(), "data & ml".to_owned()),
            ("tier".to_owned(), "hot".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_storage_class_other_than_standard_is_returned() {
    let emu = emulator().await;
    let store = store(&emu).await;
    let infrequent = Attributes::from_iter([(Attribute::StorageClass, "IA")]);
    let path = Path::from("t/cold.parquet");
    store
        .put_opts(&path, "PAR1".into(), infrequent.into())
        .await
        .unwrap();
    let got = store.get(&path).await.unwrap().attributes;
    assert_eq!(got.get(&Attribute::StorageClass), Some(&"IA".into()));

    let standard = Attributes::from_iter([(Attribute::StorageClass, "Standard")]);
    let path = Path::from("t/hot.parquet");
    store
        .put_opts(&path, "PAR1".into(), standard.into())
        .await
        .unwrap();
    let got = store.get(&path).await.unwrap().attributes;
    assert_eq!(got.get(&Attribute::StorageClass), None);
}

/// Sends `method` to `url` over plain HTTP/1.1 and returns the status and body.
async fn fetch(method: &str, url: &url::Url, body: &[u8]) -> (u16, Vec<u8>) {
    let host = url.host_str().unwrap();
    let port = url.port().unwrap();
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target = format!("{target}?{query}");
    }
    let mut conn = tokio::net::TcpStream::connect((host, port)).await.unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await.unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = std::str::from_utf8(&answer[9..12])
        .unwrap()
        .parse()
        .unwrap();
    (status, answer[split + 4..].to_vec())
}

#[tokio::test]
async fn presigned_urls_put_and_get_without_credentials() {
    let emu = emulator().await;
    let store = store(&emu).await;
    let path = Path::from("shared/report.csv");
    let put_url = store
        .signed_url(Method::PUT, &path, Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(fetch("PUT", &put_url, b"a,b\n1,2\n").await.0, 200);
    let get_url = store
        .signed_url(Method::GET, &path, Duration::from_secs(600))
        .await
        .unwrap();
    assert!(
        get_url.query().unwrap().contains("x-oss-signature="),
        "{get_url}"
    );
    assert_eq!(
        fetch("GET", &get_url, b"").await,
        (200, b"a,b\n1,2\n".to_vec())
    );
}

#[tokio::test]
async fn any_credentials_provider_signs_the_requests() {
    let emu = emulator().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let provider = provide_credentials_fn(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Credentials::from_keys(ACCESS_KEY_ID, ACCESS_KEY_SECRET)))
    });
    let store = builder(&emu)
        .with_credentials_provider(provider)
        .build()
        .unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "nothing is fetched by build"
    );
    store
        .client()
        .put_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    store.put(&Path::from("k"), "v".into()).await.unwrap();
    assert!(calls.load(Ordering::SeqCst) >= 2);
    assert_eq!(store.head(&Path::from("k")).await.unwrap().size, 1);
}

#[tokio::test]
async fn oss_error_codes_become_object_store_kinds() {
    let emu = emulator().await;
    let store = store(&emu).await;
    let wrong_secret = builder(&emu)
        .with_config("oss_access_key_id", ACCESS_KEY_ID)
        .unwrap()
        .with_config("oss_access_key_secret", "not-the-secret")
        .unwrap()
        .build()
        .unwrap();
    let err = wrong_secret.head(&Path::from("k")).await.unwrap_err();
    assert!(
        matches!(err, object_store::Error::Unauthenticated { .. }),
        "{err}"
    );

    let missing_bucket = OssObjectStore::new(store.client().clone(), "no-such-bucket");
    let err = missing_bucket.get(&Path::from("k")).await.unwrap_err();
    assert!(matches!(err, object_store::Error::NotFound { .. }), "{err}");

    let path = Path::from("once");
    store.put(&path, "1".into()).await.unwrap();
    let err = store
        .put_opts(&path, "2".into(), object_store::PutMode::Create.into())
        .await
        .unwrap_err();
    assert!(
        matches!(err, object_store::Error::AlreadyExists { .. }),
        "{err}"
    );
    let source = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<oss_client::Error>())
        .unwrap();
    assert_eq!(source.code(), Some("FileAlreadyExists"));

    let err = store.get_range(&path, 5..9).await.unwrap_err();
    assert!(matches!(err, object_store::Error::Generic { .. }), "{err}");
}
