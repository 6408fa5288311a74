//! WORM cross-check with the official Python SDK (issue 16): our client locks a retention
//! policy and sets object-level WORM, a retention and a legal hold, which
//! `alibabacloud-oss-v2` reads back (tests/python/cross_worm.py, `--phase read`); then Python
//! writes its own and our client reads them back. Needs `python3` with `venv` (see
//! `python_support`).

use oss_client::operation::bucket_worm::BucketWormInput;
use oss_client::operation::object_worm::{
    DefaultRetention, GetBucketObjectWormConfiguration, LegalHold, ObjectRetention,
    ObjectWormConfiguration, ObjectWormInput, PutBucketObjectWormConfiguration, PutObjectLegalHold,
    PutObjectRetention,
};
use oss_client::operation::versioning::VersioningStatus;
use oss_client::{Client, SignatureVersion};

use crate::python_support::{PythonRun, interpreter};
use crate::support::{bucket, client, emulator, get, put};

/// The buckets' common prefix (`-rust`, `-rust-obj`, `-py`, `-py-obj`).
const BASE: &str = "worm-cross";

/// What cross_worm.py's `read_back` expects (`RUST_*` there).
async fn write_rust_states(client: &Client) {
    let policy = bucket(client, &format!("{BASE}-rust")).await;
    let worm = BucketWormInput::default().bucket(&policy);
    let id = client
        .initiate_bucket_worm(worm.clone().retention_period_in_days(3u32))
        .await
        .unwrap()
        .worm_id;
    client
        .complete_bucket_worm(worm.worm_id(&id))
        .await
        .unwrap();
    put(client, &policy, "worm-id.txt", id).await;

    let held = bucket(client, &format!("{BASE}-rust-obj")).await;
    client
        .put_bucket_versioning(&held, VersioningStatus::Enabled)
        .await
        .unwrap();
    let default = DefaultRetention::days("GOVERNANCE", 7);
    let enable = PutBucketObjectWormConfiguration::default()
        .bucket(&held)
        .configuration(ObjectWormConfiguration::with_default_retention(default));
    client
        .put_bucket_object_worm_configuration(enable)
        .await
        .unwrap();
    put(client, &held, "doc", "kept by rust").await;
    let until = ObjectRetention::new("GOVERNANCE", "2031-02-03T04:05:06.000Z");
    let retention = PutObjectRetention::default().bucket(&held).key("doc");
    client
        .put_object_retention(retention.retention(until))
        .await
        .unwrap();
    let hold = PutObjectLegalHold::default().bucket(&held).key("doc");
    client
        .put_object_legal_hold(hold.legal_hold(LegalHold::new(true)))
        .await
        .unwrap();
}

/// What cross_worm.py's `write` wrote (`PY_*` there), read by our client.
async fn read_python_states(client: &Client) {
    let policy = format!("{BASE}-py");
    let id = get(client, &policy, "worm-id.txt").await;
    let id = String::from_utf8(id.body.collect().await.unwrap().to_vec()).unwrap();
    let worm = BucketWormInput::default().bucket(&policy);
    let read = client.get_bucket_worm(worm).await.unwrap().configuration;
    assert_eq!((read.worm_id, read.state.as_str()), (id, "Locked"));
    assert_eq!(read.retention_period_in_days, 6);

    let held = format!("{BASE}-py-obj");
    let configuration = GetBucketObjectWormConfiguration::default().bucket(&held);
    let configuration = client
        .get_bucket_object_worm_configuration(configuration)
        .await
        .unwrap()
        .configuration;
    let default = DefaultRetention::years("COMPLIANCE", 2);
    assert_eq!(
        configuration,
        ObjectWormConfiguration::with_default_retention(default)
    );
    let doc = ObjectWormInput::default().bucket(&held).key("doc");
    let retention = client.get_object_retention(doc.clone()).await.unwrap();
    assert_eq!(
        retention.configuration,
        ObjectRetention::new("COMPLIANCE", "2032-03-04T05:06:07.000Z")
    );
    let hold = client.get_object_legal_hold(doc).await.unwrap();
    assert_eq!(hold.configuration, LegalHold::new(true));
}

#[tokio::test]
async fn the_official_python_sdk_reads_our_worm_states_and_the_other_way_round() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    write_rust_states(&client).await;
    let python = PythonRun {
        interpreter,
        script: "cross_worm.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: BASE.to_owned(),
    };
    // Four policy checks, two configuration checks, retention, legal hold, a refused delete;
    // two while writing.
    python.run("read", 9).await;
    python.run("write", 2).await;
    read_python_states(&client).await;
}
