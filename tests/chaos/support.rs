//! Deterministic object sets, and uploading/verifying them with the transfer managers.

use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use oss_client::transfer::{Downloader, Uploader};
use oss_client::{Client, RetryConfig};

/// Part size of the chaos batches (multipart from 1 MiB).
pub(crate) const PART: u64 = 1024 * 1024;

/// How many objects a batch has.
pub(crate) fn objects() -> usize {
    std::env::var("CHAOS_OBJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// The size of object `i`: 0 and 1 byte, mostly small, every 200th several parts, one of
/// 20 MiB.
pub(crate) fn size_of(i: usize) -> u64 {
    match i {
        0 => 0,
        1 => 1,
        2 => 20 * 1024 * 1024,
        _ if i % 200 == 3 => 3 * PART + (i as u64 % 7) * 4096,
        _ => (i as u64 * 7919) % (64 * 1024),
    }
}

/// The content of object `i`.
pub(crate) fn content_of(i: usize) -> Bytes {
    let size = size_of(i) as usize;
    let seed = (i as u32).wrapping_mul(2_654_435_761);
    Bytes::from(
        (0..size)
            .map(|b| (seed.wrapping_add(b as u32).wrapping_mul(31) >> 7) as u8)
            .collect::<Vec<u8>>(),
    )
}

/// The key of object `i`.
pub(crate) fn key_of(i: usize) -> String {
    format!("chaos/{:02}/obj-{i:05}", i % 17)
}

/// Generous retries: with one request in ten failing, every object must still get through.
pub(crate) fn retries() -> RetryConfig {
    RetryConfig {
        max_attempts: 8,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(200),
        ..RetryConfig::default()
    }
}

/// Uploads objects `range` with 32 in flight; returns the failures.
pub(crate) async fn upload_all(
    client: &Client,
    bucket: &str,
    range: std::ops::Range<usize>,
) -> Vec<(String, oss_client::Error)> {
    let uploader = Uploader::new(client).part_size(PART).concurrency(3);
    futures_util::stream::iter(range)
        .map(|i| {
            let uploader = uploader.clone();
            async move {
                let key = key_of(i);
                uploader
                    .upload_bytes(bucket, &key, content_of(i))
                    .await
                    .map_err(|e| (key, e))
            }
        })
        .buffer_unordered(32)
        .filter_map(|r| async move { r.err() })
        .collect()
        .await
}

/// Checks that the bucket holds exactly objects `0..count`, each downloaded (CRC-64 verified
/// by the Downloader) and byte-identical, and that no multipart upload is left over.
pub(crate) async fn verify_all(client: &Client, bucket: &str, count: usize) {
    let mut keys = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix("chaos/")
            .max_keys(1000);
        if let Some(t) = token.take() {
            request = request.continuation_token(t);
        }
        let page = request.send().await.unwrap();
        keys.extend(page.contents.into_iter().map(|o| (o.key, o.size)));
        match page.next_continuation_token.filter(|_| page.is_truncated) {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    let mut expected: Vec<(String, u64)> = (0..count).map(|i| (key_of(i), size_of(i))).collect();
    expected.sort();
    assert_eq!(keys.len(), count, "every object present exactly once");
    assert_eq!(keys, expected);
    let pending = client
        .list_multipart_uploads()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    assert!(
        pending.uploads.is_empty(),
        "{} multipart uploads left over",
        pending.uploads.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let downloader = Downloader::new(client).part_size(PART).concurrency(3);
    let failures: Vec<String> = futures_util::stream::iter(0..count)
        .map(|i| {
            let downloader = downloader.clone();
            let path = dir.path().join(format!("{i}"));
            async move {
                let key = key_of(i);
                match downloader.download_to_file(bucket, &key, &path).await {
                    Ok(_) => {
                        let bytes = tokio::fs::read(&path).await.unwrap();
                        let _ = tokio::fs::remove_file(&path).await;
                        (bytes != content_of(i)).then(|| format!("{key}: content differs"))
                    }
                    Err(e) => Some(format!("{key}: {e} ({e:?})")),
                }
            }
        })
        .buffer_unordered(32)
        .filter_map(|r| async move { r })
        .collect()
        .await;
    assert!(failures.is_empty(), "download failures: {failures:?}");
}
