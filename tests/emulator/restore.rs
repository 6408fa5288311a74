//! RestoreObject on the emulator's clock (in progress, restored until an expiry, expired),
//! its tier and version id, CleanRestoredObject, and SealAppendObject.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oss_auth::clock::ManualClock;
use oss_client::operation::restore_object::RestoreTier;
use oss_client::operation::versioning::VersioningStatus;
use oss_client::types::{ObjectKey, RestoreState};
use oss_client::{Client, ErrorKind};
use oss_emulator::EmulatorHandle;
use tokio::io::AsyncWriteExt as _;

use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, bucket, put};

const DAY: Duration = Duration::from_secs(86_400);
const HOUR: Duration = Duration::from_secs(3_600);

/// 2025-06-15T14:13:20Z, a whole second.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_750_000_400)
}

/// An emulator and a client that share one manual clock.
async fn clocked() -> (EmulatorHandle, Client, ManualClock) {
    let clock = ManualClock::new(start());
    let (emu, client) = clocked_at(&clock, None).await;
    (emu, client, clock)
}

/// An emulator on `clock` (storing in `data_dir` when given) and a client on the same clock.
pub(crate) async fn clocked_at(
    clock: &ManualClock,
    data_dir: Option<&Path>,
) -> (EmulatorHandle, Client) {
    let mut builder = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .clock(Arc::new(clock.clone()));
    if let Some(dir) = data_dir {
        builder = builder.data_dir(dir);
    }
    let emu = builder.start().await.expect("emulator starts");
    let client = Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .credentials_provider(
            oss_client::auth::StaticCredentialsProvider::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                .unwrap(),
        )
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    (emu, client)
}

async fn put_class(client: &Client, bucket: &str, key: &str, class: &str) -> Option<String> {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body("frozen")
        .storage_class(class)
        .send()
        .await
        .unwrap()
        .version_id
}

async fn restore_state(client: &Client, bucket: &str, key: &str) -> Option<RestoreState> {
    client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap()
        .restore
}

async fn read_code(client: &Client, bucket: &str, key: &str) -> Option<String> {
    match client.get_object().bucket(bucket).key(key).send().await {
        Ok(_) => None,
        Err(e) => Some(e.code().unwrap_or("not a service error").to_owned()),
    }
}

#[tokio::test]
async fn an_archive_restore_takes_its_time_then_expires() {
    let (emu, client, clock) = clocked().await;
    let b = bucket(&client, "restore-clock").await;
    put_class(&client, &b, "cold", "Archive").await;
    assert_eq!(restore_state(&client, &b, "cold").await, None);
    assert_eq!(
        read_code(&client, &b, "cold").await.as_deref(),
        Some("InvalidObjectState")
    );

    let started = client
        .restore_object()
        .bucket(&b)
        .key("cold")
        .days(2)
        .send()
        .await
        .unwrap();
    assert_eq!(started.status, 202);
    assert_eq!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::InProgress)
    );
    let again = client.restore_object().bucket(&b).key("cold").send().await;
    assert_eq!(again.unwrap_err().code(), Some("RestoreAlreadyInProgress"));
    assert_eq!(
        read_code(&client, &b, "cold").await.as_deref(),
        Some("InvalidObjectState")
    );

    // An Archive object takes one minute.
    clock.advance(Duration::from_secs(59));
    assert_eq!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::InProgress)
    );
    clock.advance(Duration::from_secs(1));
    let expiry = start() + Duration::from_secs(60) + 2 * DAY;
    assert_eq!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::Restored { expiry })
    );
    let read = client
        .get_object()
        .bucket(&b)
        .key("cold")
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.properties.restore,
        Some(RestoreState::Restored { expiry })
    );
    assert_eq!(&read.body.collect().await.unwrap()[..], b"frozen");

    // Restoring a restored object extends it from now: 200.
    clock.advance(DAY);
    let extended = client
        .restore_object()
        .bucket(&b)
        .key("cold")
        .days(1)
        .send()
        .await
        .unwrap();
    assert_eq!(extended.status, 200);
    let expiry = start() + Duration::from_secs(60) + 2 * DAY;
    assert_eq!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::Restored { expiry })
    );

    // Past the expiry the object is frozen again.
    clock.advance(DAY + Duration::from_secs(60));
    assert_eq!(restore_state(&client, &b, "cold").await, None);
    assert_eq!(
        read_code(&client, &b, "cold").await.as_deref(),
        Some("InvalidObjectState")
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn the_tier_sets_how_long_a_cold_archive_restore_takes() {
    let (emu, client, clock) = clocked().await;
    let b = bucket(&client, "restore-tiers").await;
    for key in ["expedited", "standard", "bulk"] {
        put_class(&client, &b, key, "ColdArchive").await;
    }
    let restore = |key: &'static str, tier: Option<RestoreTier>| {
        let mut request = client.restore_object().bucket(&b).key(key).days(1);
        if let Some(tier) = tier {
            request = request.tier(tier);
        }
        request.send()
    };
    restore("expedited", Some(RestoreTier::Expedited))
        .await
        .unwrap();
    restore("standard", None).await.unwrap();
    restore("bulk", Some(RestoreTier::Bulk)).await.unwrap();
    let states = || async {
        let mut states = Vec::new();
        for key in ["expedited", "standard", "bulk"] {
            states.push(matches!(
                restore_state(&client, &b, key).await,
                Some(RestoreState::Restored { .. })
            ));
        }
        states
    };
    // OSS's longest times: Expedited 1 hour, Standard 5 hours, Bulk 12 hours.
    clock.advance(HOUR - Duration::from_secs(1));
    assert_eq!(states().await, [false, false, false]);
    clock.advance(Duration::from_secs(1));
    assert_eq!(states().await, [true, false, false]);
    clock.advance(4 * HOUR);
    assert_eq!(states().await, [true, true, false]);
    clock.advance(7 * HOUR);
    assert_eq!(states().await, [true, true, true]);

    // What OSS refuses: more than 7 days for Archive, more than 365 for Cold Archive, a
    // restore of an object that is not archived; 0 days is refused before any I/O.
    put_class(&client, &b, "archive", "Archive").await;
    let error = client
        .restore_object()
        .bucket(&b)
        .key("archive")
        .days(8)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidArgument"));
    let error = client
        .restore_object()
        .bucket(&b)
        .key("bulk")
        .days(366)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidArgument"));
    put(&client, &b, "warm", "x").await;
    let error = client
        .restore_object()
        .bucket(&b)
        .key("warm")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("OperationNotSupported"));
    let error = client
        .restore_object()
        .bucket(&b)
        .key("warm")
        .days(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.as_service_error().is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn clean_restored_object_freezes_it_again() {
    let (emu, client, clock) = clocked().await;
    let b = bucket(&client, "restore-clean").await;
    put_class(&client, &b, "cold", "ColdArchive").await;
    let error = client.clean_restored_object(&b, "cold").await.unwrap_err();
    assert_eq!(error.code(), Some("ArchiveRestoreFileStale"));
    assert_eq!(error.as_service_error().unwrap().status().as_u16(), 409);

    client
        .restore_object()
        .bucket(&b)
        .key("cold")
        .tier(RestoreTier::Expedited)
        .send()
        .await
        .unwrap();
    let error = client.clean_restored_object(&b, "cold").await.unwrap_err();
    assert_eq!(error.code(), Some("ArchiveRestoreNotFinished"));
    clock.advance(HOUR);
    assert!(matches!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::Restored { .. })
    ));
    let cleaned = client.clean_restored_object(&b, "cold").await.unwrap();
    assert!(!cleaned.request_id.is_empty());
    assert_eq!(cleaned.raw.status, 200);
    assert_eq!(restore_state(&client, &b, "cold").await, None);
    assert_eq!(
        read_code(&client, &b, "cold").await.as_deref(),
        Some("InvalidObjectState")
    );
    let error = client.clean_restored_object(&b, "cold").await.unwrap_err();
    assert_eq!(error.code(), Some("ArchiveRestoreFileStale"));

    put(&client, &b, "warm", "x").await;
    let error = client.clean_restored_object(&b, "warm").await.unwrap_err();
    assert_eq!(error.code(), Some("OperationNotSupported"));
    let error = client
        .clean_restored_object(&b, "absent")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("NoSuchKey"));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_restore_addresses_one_version() {
    let (emu, client, clock) = clocked().await;
    let b = bucket(&client, "restore-versions").await;
    client
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    let v1 = put_class(&client, &b, "cold", "Archive").await.unwrap();
    let v2 = put_class(&client, &b, "cold", "Archive").await.unwrap();
    let started = client
        .restore_object()
        .bucket(&b)
        .key("cold")
        .version_id(&v1)
        .send()
        .await
        .unwrap();
    assert_eq!(started.version_id.as_deref(), Some(v1.as_str()));
    let head = |version: &str| {
        client
            .head_object()
            .bucket(&b)
            .key("cold")
            .version_id(version)
            .send()
    };
    assert_eq!(
        head(&v1).await.unwrap().restore,
        Some(RestoreState::InProgress)
    );
    assert_eq!(head(&v2).await.unwrap().restore, None);
    clock.advance(Duration::from_secs(60));
    let first = ObjectKey::new("cold").version_id(v1.as_str());
    client.clean_restored_object(&b, first).await.unwrap();
    assert_eq!(head(&v1).await.unwrap().restore, None);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_sealed_object_takes_no_more_appends() {
    let (emu, client, clock) = clocked().await;
    let b = bucket(&client, "sealing").await;
    let mut log = client
        .append_file()
        .bucket(&b)
        .key("log")
        .send()
        .await
        .unwrap();
    log.write_all(b"abc").await.unwrap();
    log.flush().await.unwrap();

    let error = client.seal_append_object(&b, "log", 2).await.unwrap_err();
    assert_eq!(error.code(), Some("PositionNotEqualToLength"));
    clock.advance(Duration::from_secs(5));
    let sealed = client.seal_append_object(&b, "log", 3).await.unwrap();
    let at = start() + Duration::from_secs(5);
    assert_eq!(sealed.sealed_time, Some(at));
    let head = client
        .head_object()
        .bucket(&b)
        .key("log")
        .send()
        .await
        .unwrap();
    assert_eq!((head.sealed_time, head.content_length), (Some(at), 3));
    let got = client
        .get_object()
        .bucket(&b)
        .key("log")
        .send()
        .await
        .unwrap();
    assert_eq!(got.properties.sealed_time, Some(at));

    // Appends are refused, through AppendObject and the append writer alike.
    let error = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(3)
        .body("d")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ObjectNotAppendable"));
    assert_eq!(error.as_service_error().unwrap().status().as_u16(), 409);
    log.write_all(b"d").await.unwrap();
    let error = log.flush().await.unwrap_err();
    let inner = error.get_ref().unwrap().downcast_ref::<oss_client::Error>();
    assert_eq!(inner.and_then(|e| e.code()), Some("ObjectNotAppendable"));

    // Sealing again keeps the first time.
    clock.advance(HOUR);
    let again = client.seal_append_object(&b, "log", 3).await.unwrap();
    assert_eq!(again.sealed_time, Some(at));

    // Only Appendable objects can be sealed.
    put(&client, &b, "normal", "x").await;
    let error = client
        .seal_append_object(&b, "normal", 1)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ObjectNotAppendable"));
    let error = client
        .seal_append_object(&b, "absent", 0)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("NoSuchKey"));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_seal_and_a_running_restore_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let (emu, client) = clocked_at(&clock, Some(tmp.path())).await;
    let b = bucket(&client, "durable-states").await;
    client
        .append_object()
        .bucket(&b)
        .key("log")
        .body("abc")
        .send()
        .await
        .unwrap();
    client.seal_append_object(&b, "log", 3).await.unwrap();
    put_class(&client, &b, "cold", "Archive").await;
    client
        .restore_object()
        .bucket(&b)
        .key("cold")
        .send()
        .await
        .unwrap();
    emu.shutdown().await;

    let (emu, client) = clocked_at(&clock, Some(tmp.path())).await;
    let head = client
        .head_object()
        .bucket(&b)
        .key("log")
        .send()
        .await
        .unwrap();
    assert_eq!(head.sealed_time, Some(start()));
    assert_eq!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::InProgress)
    );
    clock.advance(Duration::from_secs(60));
    assert_eq!(
        restore_state(&client, &b, "cold").await,
        Some(RestoreState::Restored {
            expiry: start() + Duration::from_secs(60) + DAY
        })
    );
    emu.shutdown().await;
}
