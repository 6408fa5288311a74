//! A range whose body breaks on several fetches in a row (issue 14, item 7): the Downloader
//! fetches it again within the client's retry settings, no fewer and no more times.

use std::time::Duration;

use oss_client::auth::StaticCredentialsProvider;
use oss_client::transfer::Downloader;
use oss_client::{Client, ErrorKind, RetryConfig};
use oss_emulator::{Emulator, EmulatorHandle};

use crate::support::{PART, content_of, retries};

/// Object 7 of the batches: 55433 bytes, one range.
const OBJECT: usize = 7;

fn client(emu: &EmulatorHandle, retry: RetryConfig) -> Client {
    Client::builder()
        .endpoint(emu.endpoint())
        .region(emu.region())
        .credentials_provider(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .retry(retry)
        .build()
        .unwrap()
}

/// Stores object 7 as `bucket`/`key` with no faults, then installs `faults`.
async fn stored_then_faults(emu: &EmulatorHandle, client: &Client, faults: &str) {
    client.put_bucket().bucket("ranges").send().await.unwrap();
    client
        .put_object()
        .bucket("ranges")
        .key("object")
        .body(content_of(OBJECT))
        .send()
        .await
        .unwrap();
    emu.set_faults(faults).unwrap();
}

/// The flake's shape: at the end of a chaos batch one range was handed five GETs in a row whose
/// bodies were cut, and the Downloader gave up after 5 fetches although the client allowed 8.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_cut_five_times_in_a_row_is_fetched_a_sixth_time() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = client(&emu, retries());
    assert_eq!(retries().max_attempts, 8);
    stored_then_faults(&emu, &client, "get:first=5:short-body").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("object");
    let out = Downloader::new(&client)
        .part_size(PART)
        .download_to_file("ranges", "object", &path)
        .await
        .unwrap();
    assert_eq!(out.size, 55433);
    assert_eq!(std::fs::read(&path).unwrap(), content_of(OBJECT));
    assert_eq!(
        emu.injected_faults(),
        5,
        "five cut bodies, then a whole one"
    );
    emu.shutdown().await;
}

/// A body cut on every fetch: the range is fetched exactly `max_attempts` times, and the error
/// is the broken body's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_cut_every_time_is_fetched_max_attempts_times() {
    for max_attempts in [1, 3, 7] {
        let emu = Emulator::builder().start().await.unwrap();
        let retry = RetryConfig {
            max_attempts,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(5),
            ..RetryConfig::default()
        };
        let client = client(&emu, retry);
        stored_then_faults(&emu, &client, "get:always:reset-body").await;
        let dir = tempfile::tempdir().unwrap();
        let err = Downloader::new(&client)
            .part_size(PART)
            .resumable(false)
            .download_to_file("ranges", "object", dir.path().join("object"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
        assert!(format!("{err:?}").contains("IncompleteBody"), "{err:?}");
        assert_eq!(
            emu.injected_faults(),
            u64::from(max_attempts),
            "one GET per attempt"
        );
        emu.shutdown().await;
    }
}
