//! ListObjectsV2: prefix, delimiter, start-after, max-keys and the paginator.

use futures_util::TryStreamExt as _;
use oss_client::{ErrorKind, SignatureVersion};

use crate::support::{bucket, client, emulator, put};

#[tokio::test]
async fn prefix_delimiter_start_after_and_pages() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "listing").await;
    let mut keys: Vec<String> = (0..25).map(|i| format!("logs/2025/{i:02}.txt")).collect();
    keys.extend(["logs/a.txt", "logs/sub/x", "logs/sub/y", "other/z", "top"].map(String::from));
    for key in &keys {
        put(&client, &b, key.as_str(), key.clone()).await;
    }

    let page = client
        .list_objects_v2()
        .bucket(&b)
        .prefix("logs/")
        .delimiter("/")
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = page.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(names, ["logs/a.txt"]);
    assert_eq!(page.common_prefixes, ["logs/2025/", "logs/sub/"]);
    assert_eq!(page.key_count, 3);
    assert!(!page.is_truncated);
    assert_eq!(page.prefix, "logs/");
    assert_eq!(page.delimiter.as_deref(), Some("/"));
    assert_eq!(page.contents[0].size, "logs/a.txt".len() as u64);
    assert_eq!(page.contents[0].storage_class, "Standard");

    let page = client
        .list_objects_v2()
        .bucket(&b)
        .start_after("logs/sub/x")
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = page.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(names, ["logs/sub/y", "other/z", "top"]);

    let page = client
        .list_objects_v2()
        .bucket(&b)
        .max_keys(7)
        .send()
        .await
        .unwrap();
    assert_eq!(page.contents.len(), 7);
    assert!(page.is_truncated);
    assert!(page.next_continuation_token.is_some());

    let pages: Vec<_> = client
        .list_objects_v2()
        .bucket(&b)
        .max_keys(7)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 5);
    let all: Vec<String> = pages
        .iter()
        .flat_map(|p| p.contents.iter().map(|o| o.key.clone()))
        .collect();
    let mut expected = keys.clone();
    expected.sort();
    assert_eq!(all, expected);
    assert!(!pages.last().unwrap().is_truncated);

    let owned = client
        .list_objects_v2()
        .bucket(&b)
        .prefix("top")
        .fetch_owner(true)
        .send()
        .await
        .unwrap();
    assert!(owned.contents[0].owner.is_some());

    let err = client
        .list_objects_v2()
        .bucket(&b)
        .max_keys(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = client
        .list_objects_v2()
        .bucket("no-such-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchBucket"));
    emu.shutdown().await;
}

#[tokio::test]
async fn empty_bucket_lists_nothing() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V1);
    let b = bucket(&client, "empty-listing").await;
    let pages: Vec<_> = client
        .list_objects_v2()
        .bucket(&b)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contents.is_empty() && pages[0].common_prefixes.is_empty());
    assert_eq!(pages[0].key_count, 0);
    emu.shutdown().await;
}
