//! WORM against the emulator on an injected clock: the bucket retention policy's states
//! (InProgress, Locked, lapsed, aborted, extended), object-level WORM (default retention,
//! retention, legal hold), the deletes and overwrites they refuse with 409 `FileImmutable`
//! until their date passes, and their durability across a restart.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oss_auth::clock::ManualClock;
use oss_client::Client;
use oss_client::operation::bucket_worm::BucketWormInput;
use oss_client::operation::object_worm::{
    DefaultRetention, GetBucketObjectWormConfiguration, LegalHold, ObjectRetention,
    ObjectWormConfiguration, ObjectWormInput, PutBucketObjectWormConfiguration, PutObjectLegalHold,
    PutObjectRetention,
};
use oss_client::operation::versioning::VersioningStatus;

use crate::restore::clocked_at;
use crate::support::{bucket, put};

const DAY: Duration = Duration::from_secs(86_400);

/// 2025-06-15T15:13:20Z, a whole second.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_750_000_400)
}

/// The service error code of a failed call.
fn code<T: std::fmt::Debug>(result: Result<T, oss_client::Error>) -> String {
    let error = result.expect_err("the call is refused");
    error.code().unwrap_or("not a service error").to_owned()
}

fn worm(b: &str) -> BucketWormInput {
    BucketWormInput::default().bucket(b)
}

fn target(b: &str, key: &str) -> ObjectWormInput {
    ObjectWormInput::default().bucket(b).key(key)
}

async fn delete(client: &Client, b: &str, key: &str) -> Result<(), oss_client::Error> {
    client
        .delete_object()
        .bucket(b)
        .key(key)
        .send()
        .await
        .map(drop)
}

async fn overwrite(client: &Client, b: &str, key: &str) -> Result<(), oss_client::Error> {
    let put = client.put_object().bucket(b).key(key).body("new");
    put.send().await.map(drop)
}

#[tokio::test]
async fn a_locked_bucket_policy_refuses_deletes_and_overwrites_until_it_passes() {
    let clock = ManualClock::new(start());
    let (emu, client) = clocked_at(&clock, None).await;
    let b = bucket(&client, "worm-locked").await;
    put(&client, &b, "kept", "original").await;
    put(&client, &b, "src", "copied").await;
    let appended = client.append_object().bucket(&b).key("log").body("abc");
    appended.send().await.unwrap();

    let started = client
        .initiate_bucket_worm(worm(&b).retention_period_in_days(1u32))
        .await
        .unwrap();
    let id = started.worm_id;
    assert_eq!(id.len(), 32);
    let read = client
        .get_bucket_worm(worm(&b))
        .await
        .unwrap()
        .configuration;
    assert_eq!(
        (read.worm_id.as_str(), read.state.as_str()),
        (id.as_str(), "InProgress")
    );
    assert_eq!(read.retention_period_in_days, 1);
    assert_eq!(read.creation_date, "2025-06-15T15:13:20.000Z");
    assert_eq!(
        read.expiration_date.as_deref(),
        Some("2025-06-16T15:13:20.000Z")
    );
    // Unlocked: nothing is protected yet; a second policy, extending and a wrong id are refused.
    overwrite(&client, &b, "kept").await.unwrap();
    let again = client.initiate_bucket_worm(worm(&b).retention_period_in_days(2u32));
    assert_eq!(code(again.await), "InvalidWORMConfiguration");
    let early = worm(&b).worm_id(&id).retention_period_in_days(2u32);
    assert_eq!(
        code(client.extend_bucket_worm(early).await),
        "InvalidWORMConfiguration"
    );
    let wrong = client.complete_bucket_worm(worm(&b).worm_id("0123"));
    assert_eq!(code(wrong.await), "InvalidWORMConfiguration");

    client
        .complete_bucket_worm(worm(&b).worm_id(&id))
        .await
        .unwrap();
    let read = client
        .get_bucket_worm(worm(&b))
        .await
        .unwrap()
        .configuration;
    assert_eq!(
        (read.state.as_str(), read.expiration_date),
        ("Locked", None)
    );
    assert_eq!(
        code(client.abort_bucket_worm(worm(&b)).await),
        "WORMConfigurationLocked"
    );
    let shorter = worm(&b).worm_id(&id).retention_period_in_days(1u32);
    assert_eq!(
        code(client.extend_bucket_worm(shorter).await),
        "InvalidWORMConfiguration"
    );
    let longer = worm(&b).worm_id(&id).retention_period_in_days(2u32);
    client.extend_bucket_worm(longer).await.unwrap();
    let read = client
        .get_bucket_worm(worm(&b))
        .await
        .unwrap()
        .configuration;
    assert_eq!(read.retention_period_in_days, 2);

    assert_eq!(code(delete(&client, &b, "kept").await), "FileImmutable");
    assert_eq!(code(overwrite(&client, &b, "kept").await), "FileImmutable");
    let copy = client
        .copy_object()
        .bucket(&b)
        .key("kept")
        .source_key("src");
    assert_eq!(code(copy.send().await), "FileImmutable");
    let append = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(3)
        .body("d");
    assert_eq!(code(append.send().await), "FileImmutable");
    let batch = client.delete_objects().bucket(&b).keys(["fresh", "kept"]);
    assert_eq!(code(batch.send().await), "FileImmutable");
    // New keys are written; the refused requests changed nothing.
    put(&client, &b, "fresh", "new key").await;
    let kept = crate::support::get(&client, &b, "kept").await;
    assert_eq!(&kept.body.collect().await.unwrap()[..], b"new");

    // Two days after the last write the objects can go.
    clock.advance(2 * DAY);
    delete(&client, &b, "kept").await.unwrap();
    overwrite(&client, &b, "log").await.unwrap();
    emu.shutdown().await;
}

#[tokio::test]
async fn an_unlocked_policy_lapses_after_24_hours_or_is_aborted() {
    let clock = ManualClock::new(start());
    let (emu, client) = clocked_at(&clock, None).await;
    let b = bucket(&client, "worm-lapse").await;
    assert_eq!(
        code(client.get_bucket_worm(worm(&b)).await),
        "NoSuchWORMConfiguration"
    );
    let first = client
        .initiate_bucket_worm(worm(&b).retention_period_in_days(30u32))
        .await
        .unwrap();
    clock.advance(DAY - Duration::from_secs(1));
    let read = client
        .get_bucket_worm(worm(&b))
        .await
        .unwrap()
        .configuration;
    assert_eq!(read.worm_id, first.worm_id);
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        code(client.get_bucket_worm(worm(&b)).await),
        "NoSuchWORMConfiguration"
    );
    let lapsed = client.complete_bucket_worm(worm(&b).worm_id(&first.worm_id));
    assert_eq!(code(lapsed.await), "NoSuchWORMConfiguration");

    let second = client
        .initiate_bucket_worm(worm(&b).retention_period_in_days(30u32))
        .await
        .unwrap();
    assert_ne!(second.worm_id, first.worm_id);
    let aborted = client.abort_bucket_worm(worm(&b)).await.unwrap();
    assert_eq!(aborted.raw.status, 204);
    assert_eq!(
        code(client.get_bucket_worm(worm(&b)).await),
        "NoSuchWORMConfiguration"
    );
    assert_eq!(
        code(client.abort_bucket_worm(worm(&b)).await),
        "NoSuchWORMConfiguration"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn object_retention_and_legal_hold_protect_a_version_until_both_are_gone() {
    let clock = ManualClock::new(start());
    let (emu, client) = clocked_at(&clock, None).await;
    let b = bucket(&client, "object-worm").await;
    let configuration =
        ObjectWormConfiguration::with_default_retention(DefaultRetention::days("GOVERNANCE", 1));
    let put_configuration = || {
        PutBucketObjectWormConfiguration::default()
            .bucket(&b)
            .configuration(configuration.clone())
    };
    let unversioned = client.put_bucket_object_worm_configuration(put_configuration());
    assert_eq!(code(unversioned.await), "InvalidBucketState");
    let not_yet = GetBucketObjectWormConfiguration::default().bucket(&b);
    let not_yet = client.get_bucket_object_worm_configuration(not_yet);
    assert_eq!(code(not_yet.await), "NoSuchObjectWormConfiguration");
    client
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    let appended = client.append_object().bucket(&b).key("log").body("a");
    appended.send().await.unwrap();
    client
        .put_bucket_object_worm_configuration(put_configuration())
        .await
        .unwrap();
    let suspend = client.put_bucket_versioning(&b, VersioningStatus::Suspended);
    assert_eq!(code(suspend.await), "InvalidBucketState");
    let until = ObjectRetention::new("GOVERNANCE", "2030-01-01T00:00:00Z");
    let log = PutObjectRetention::default().bucket(&b).key("log");
    let log = client.put_object_retention(log.retention(until));
    assert_eq!(code(log.await), "OperationNotSupported");
    let read = GetBucketObjectWormConfiguration::default().bucket(&b);
    let read = client.get_bucket_object_worm_configuration(read).await;
    assert_eq!(read.unwrap().configuration, configuration);
    let policy = client.initiate_bucket_worm(worm(&b).retention_period_in_days(1u32));
    assert_eq!(code(policy.await), "InvalidWORMConfiguration");

    // The default retention: one day from the write.
    let written = client.put_object().bucket(&b).key("doc").body("v1");
    let v1 = written.send().await.unwrap().version_id.unwrap();
    let retention = client
        .get_object_retention(target(&b, "doc"))
        .await
        .unwrap();
    let expected = ObjectRetention::new("GOVERNANCE", "2025-06-16T15:13:20.000Z");
    assert_eq!(retention.configuration, expected);
    let delete_v1 = || {
        client
            .delete_object()
            .bucket(&b)
            .key("doc")
            .version_id(&v1)
            .send()
    };
    assert_eq!(code(delete_v1().await), "FileImmutable");
    // Versioned: a delete marker hides the version, an upload adds one.
    delete(&client, &b, "doc").await.unwrap();
    overwrite(&client, &b, "doc").await.unwrap();
    let append = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(1)
        .body("b");
    assert_eq!(code(append.send().await), "OperationNotSupported");

    // COMPLIANCE for three days, then a legal hold.
    let at_v1 = || {
        PutObjectRetention::default()
            .bucket(&b)
            .key("doc")
            .version_id(&v1)
    };
    let compliance = ObjectRetention::new("COMPLIANCE", "2025-06-18T15:13:20Z");
    client
        .put_object_retention(
            at_v1()
                .bypass_governance_retention(true)
                .retention(compliance),
        )
        .await
        .unwrap();
    let shorter = ObjectRetention::new("COMPLIANCE", "2025-06-17T15:13:20Z");
    let shorter =
        client.put_object_retention(at_v1().bypass_governance_retention(true).retention(shorter));
    assert_eq!(code(shorter.await), "AccessDenied");
    let past = ObjectRetention::new("COMPLIANCE", "2025-06-01T00:00:00Z");
    assert_eq!(
        code(client.put_object_retention(at_v1().retention(past)).await),
        "InvalidArgument"
    );
    let v1_target = target(&b, "doc").version_id(&v1);
    let none = client
        .get_object_legal_hold(v1_target.clone())
        .await
        .unwrap();
    assert_eq!(none.configuration, LegalHold::new(false));
    let hold = |on: bool| {
        PutObjectLegalHold::default()
            .bucket(&b)
            .key("doc")
            .version_id(&v1)
            .legal_hold(LegalHold::new(on))
    };
    client.put_object_legal_hold(hold(true)).await.unwrap();
    let held = client
        .get_object_legal_hold(v1_target.clone())
        .await
        .unwrap();
    assert_eq!(held.configuration, LegalHold::new(true));

    clock.advance(3 * DAY);
    assert_eq!(code(delete_v1().await), "FileImmutable");
    client.put_object_legal_hold(hold(false)).await.unwrap();
    delete_v1().await.unwrap();
    let gone = client.get_object_retention(v1_target).await;
    assert_eq!(code(gone), "NoSuchVersion");
    emu.shutdown().await;
}

#[tokio::test]
async fn worm_states_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let (emu, client) = clocked_at(&clock, Some(tmp.path())).await;
    let locked = bucket(&client, "worm-durable").await;
    let id = client
        .initiate_bucket_worm(worm(&locked).retention_period_in_days(5u32))
        .await
        .unwrap()
        .worm_id;
    client
        .complete_bucket_worm(worm(&locked).worm_id(&id))
        .await
        .unwrap();
    let held = bucket(&client, "object-worm-durable").await;
    client
        .put_bucket_versioning(&held, VersioningStatus::Enabled)
        .await
        .unwrap();
    let enabled = PutBucketObjectWormConfiguration::default()
        .bucket(&held)
        .configuration(ObjectWormConfiguration::default());
    client
        .put_bucket_object_worm_configuration(enabled)
        .await
        .unwrap();
    put(&client, &held, "doc", "kept").await;
    let until = ObjectRetention::new("GOVERNANCE", "2026-01-01T00:00:00.000Z");
    let retention = PutObjectRetention::default().bucket(&held).key("doc");
    client
        .put_object_retention(retention.retention(until.clone()))
        .await
        .unwrap();
    let hold = PutObjectLegalHold::default().bucket(&held).key("doc");
    client
        .put_object_legal_hold(hold.legal_hold(LegalHold::new(true)))
        .await
        .unwrap();
    emu.shutdown().await;

    let (emu, client) = clocked_at(&clock, Some(tmp.path())).await;
    let read = client
        .get_bucket_worm(worm(&locked))
        .await
        .unwrap()
        .configuration;
    assert_eq!((read.worm_id, read.state.as_str()), (id, "Locked"));
    assert_eq!(read.retention_period_in_days, 5);
    let retention = client
        .get_object_retention(target(&held, "doc"))
        .await
        .unwrap();
    assert_eq!(retention.configuration, until);
    let hold = client
        .get_object_legal_hold(target(&held, "doc"))
        .await
        .unwrap();
    assert_eq!(hold.configuration, LegalHold::new(true));
    let read = GetBucketObjectWormConfiguration::default().bucket(&held);
    let read = client
        .get_bucket_object_worm_configuration(read)
        .await
        .unwrap();
    assert_eq!(read.configuration, ObjectWormConfiguration::default());
    emu.shutdown().await;
}
