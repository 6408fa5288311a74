//! A GetObject body that stalls or breaks resumes with the rest of the bytes, pinned to the
//! object's ETag, and the whole object's CRC-64 still holds; so does a Downloader range.

use oss_client::ErrorKind;
use oss_client::transfer::Downloader;

use crate::link::Shape;
use crate::support::{BUCKET, SECOND, builder, content, emulator, first_downloads, get, link, put};

/// The first connection's answer stops after 300 KiB and says nothing more; the body resumes
/// on a new connection with a ranged GET for the rest, pinned by `If-Match`.
#[tokio::test(start_paused = true)]
async fn a_stalled_download_resumes_where_it_stopped() {
    let emu = emulator().await;
    let data = content(1 << 20, 4);
    put(&emu, "stalls", data.clone()).await;
    let link = link(&emu, first_downloads(1, Shape::StallAfter(300 * 1024))).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(5 * SECOND)
        .build()
        .unwrap();
    let object = get(&client, "stalls").await;
    let etag = object.properties.etag.clone();
    assert_eq!(object.body.collect().await.unwrap(), data);
    let sent = link.sent_text().to_ascii_lowercase();
    assert_eq!(sent.matches("get /network/stalls").count(), 2, "{sent}");
    let resumed = sent.split("get /network/stalls").nth(2).unwrap();
    assert!(resumed.contains("range: bytes="), "{resumed}");
    assert!(!resumed.contains("range: bytes=0-"), "{resumed}");
    assert!(
        resumed.contains(&format!("if-match: {}", etag.to_ascii_lowercase())),
        "{resumed}"
    );
}

/// The connection closes in the middle of the body: the same resume, and the CRC-64 of the
/// whole object is checked across both answers.
#[tokio::test(start_paused = true)]
async fn a_download_cut_short_resumes_and_is_checked_whole() {
    let emu = emulator().await;
    let data = content(3 << 20, 5);
    put(&emu, "cut", data.clone()).await;
    let link = link(&emu, first_downloads(2, Shape::CutAfter(700 * 1024))).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    let object = get(&client, "cut").await;
    assert!(object.properties.crc64.is_some());
    assert_eq!(object.body.collect().await.unwrap(), data);
    let sent = link.sent_text().to_ascii_lowercase();
    assert_eq!(sent.matches("get /network/cut").count(), 3, "{sent}");
}

/// The object is replaced before the body resumes: the resume fails with
/// `PreconditionFailed` instead of joining two versions.
#[tokio::test(start_paused = true)]
async fn a_replaced_object_fails_instead_of_mixing_versions() {
    let emu = emulator().await;
    put(&emu, "replaced", content(1 << 20, 6)).await;
    let link = link(&emu, first_downloads(1, Shape::StallAfter(200 * 1024))).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(5 * SECOND)
        .build()
        .unwrap();
    let object = get(&client, "replaced").await;
    put(&emu, "replaced", content(1 << 20, 7)).await;
    let error = object.body.collect().await.unwrap_err();
    assert_eq!(error.code(), Some("PreconditionFailed"), "{error}");
}

/// Without attempts to spare, a stalled body fails with the idle timeout instead of hanging.
#[tokio::test(start_paused = true)]
async fn a_stalled_download_without_retries_fails_after_the_idle_limit() {
    let emu = emulator().await;
    put(&emu, "hangs", content(1 << 20, 8)).await;
    let link = link(&emu, |_| (Shape::Free, Shape::StallAfter(100 * 1024))).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(9 * SECOND)
        .build()
        .unwrap();
    let object = client
        .get_object()
        .bucket(BUCKET)
        .key("hangs")
        .max_attempts(1)
        .send()
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = object.body.collect().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(
        error.to_string(),
        "no byte moved for 9 s while reading the response body (idle timeout)"
    );
    assert_eq!(started.elapsed(), 9 * SECOND);
}

/// A Downloader range that stalls asks for the rest of that range, not the whole range again.
#[tokio::test(start_paused = true)]
async fn the_downloader_resumes_a_range_where_it_stopped() {
    let emu = emulator().await;
    let part = 1usize << 20;
    let data = content(3 * part, 9);
    put(&emu, "ranges", data.clone()).await;
    // The first connection carries the HeadObject and the first range, and stalls in it.
    let link = link(&emu, first_downloads(1, Shape::StallAfter(part / 2))).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(5 * SECOND)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ranges");
    Downloader::new(&client)
        .part_size(part as u64)
        .concurrency(1)
        .download_to_file(BUCKET, "ranges", &path)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), data);
    let sent = link.sent_text().to_ascii_lowercase();
    let ranges: Vec<&str> = sent
        .lines()
        .filter_map(|l| l.strip_prefix("range: bytes="))
        .map(str::trim)
        .collect();
    assert_eq!(ranges.len(), 4, "{ranges:?}");
    assert_eq!(ranges[0], "0-1048575");
    let (resumed_from, resumed_to) = ranges[1].split_once('-').unwrap();
    let resumed_from: usize = resumed_from.parse().unwrap();
    assert!(resumed_from > 0 && resumed_from < part, "{ranges:?}");
    assert_eq!(resumed_to, "1048575");
}

/// The emulator's own `stall` fault (headers and half the body, then silence): the body
/// resumes and the whole object comes back checked.
#[tokio::test(start_paused = true)]
async fn the_emulators_stall_fault_is_resumed_too() {
    let emu = emulator().await;
    let data = content(600 * 1024, 25);
    put(&emu, "stalled-by-emulator", data.clone()).await;
    emu.set_faults("get:first=1:stall").unwrap();
    let client = builder(&emu, emu.endpoint())
        .idle_timeout(5 * SECOND)
        .build()
        .unwrap();
    let object = get(&client, "stalled-by-emulator").await;
    assert_eq!(object.body.collect().await.unwrap(), data);
    assert_eq!(emu.injected_faults(), 1);
}
