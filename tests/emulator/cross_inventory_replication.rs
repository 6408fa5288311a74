//! Inventories, replication rules and overwrite configs read both ways with the official
//! Python SDK (tests/python/cross_inventory_replication.py): our client writes and
//! `alibabacloud-oss-v2` reads every value back (`--phase read`); then Python writes (and
//! deletes ours) and our client reads what it wrote. Needs `python3` with `venv` (the
//! environment of tests/python/venv.sh).

use oss_client::operation::bucket_config::{GetBucketConfig, PutBucketConfig};
use oss_client::operation::bucket_inventory::{
    BucketInventoryInput, InventoryEncryption, InventorySseKms,
};
use oss_client::operation::bucket_overwrite_config::{
    OverwriteConfiguration, OverwritePrincipals, OverwriteRule,
};
use oss_client::operation::bucket_replication::{
    BucketReplicationRuleInput, PutBucketReplication, ReplicationConfiguration,
    ReplicationPrefixSet, ReplicationRule,
};
use oss_client::{Client, SignatureVersion};

use crate::inventory_replication::inventory;
use crate::python_support::{PythonRun, interpreter};
use crate::support::{bucket, client, emulator};

/// The emulator's account id (every signed request is its owner's).
const OWNER_ID: &str = "1234567890123456";

async fn write_ours(client: &Client, b: &str) {
    let mut inv = inventory("rust-inv", b);
    let mut encryption = InventoryEncryption::default();
    let mut kms = InventorySseKms::default();
    kms.key_id = "cmk-inventory".into();
    encryption.sse_kms = Some(kms);
    inv.destination.oss_bucket_destination.encryption = Some(encryption);
    client
        .put_bucket_inventory(
            BucketInventoryInput::default()
                .bucket(b)
                .inventory_id("rust-inv")
                .configuration(inv),
        )
        .await
        .unwrap();

    let mut rule = ReplicationRule::new("repl-dest", "oss-cn-beijing");
    rule.id = Some("rust-rule".into());
    rule.prefix_set = Some(ReplicationPrefixSet::new(vec![
        "images/".into(),
        "video/".into(),
    ]));
    rule.action = Some("PUT".into());
    rule.destination.transfer_type = Some("oss_acc".into());
    rule.historical_object_replication = Some("disabled".into());
    client
        .put_bucket_replication(
            PutBucketReplication::default()
                .bucket(b)
                .configuration(ReplicationConfiguration::new(vec![rule])),
        )
        .await
        .unwrap();
    client
        .put_bucket_rtc(
            BucketReplicationRuleInput::default()
                .bucket(b)
                .rule_id("rust-rule")
                .rtc_status("enabled"),
        )
        .await
        .unwrap();

    let mut first = OverwriteRule::forbid("logs/", ".txt");
    first.id = Some("rust-ow-1".into());
    first.principals = Some(OverwritePrincipals::new(vec![OWNER_ID.into()]));
    client
        .put_bucket_overwrite_config(PutBucketConfig::default().bucket(b).configuration(
            OverwriteConfiguration::new(vec![first, OverwriteRule::forbid("", ".lock")]),
        ))
        .await
        .unwrap();
}

/// What Python wrote (tests/python/cross_inventory_replication.py, `write`), read by our
/// client; what it deleted is gone.
async fn read_python(client: &Client, b: &str) {
    let inventories = client
        .list_bucket_inventory(BucketInventoryInput::default().bucket(b))
        .await
        .unwrap()
        .configurations;
    assert_eq!(inventories.len(), 1);
    let inv = &inventories[0];
    assert_eq!(inv.id, "python-inv");
    assert!(!inv.is_enabled);
    assert_eq!(inv.included_object_versions, "All");
    assert_eq!(inv.schedule.frequency, "Daily");
    let filter = inv.filter.as_ref().unwrap();
    assert_eq!(filter.prefix.as_deref(), Some("data/"));
    assert_eq!(filter.upper_size_bound, Some(4096));
    let dest = &inv.destination.oss_bucket_destination;
    assert_eq!(dest.account_id, "2000000000000000");
    assert_eq!(dest.role_arn, "acs:ram::2000000000000000:role/PythonRole");
    assert_eq!(dest.bucket, format!("acs:oss:::{b}"));
    assert_eq!(dest.prefix.as_deref(), Some("py/"));
    assert_eq!(
        inv.optional_fields.as_ref().unwrap().fields,
        ["StorageClass", "LastModifiedDate"]
    );

    let rules = client
        .get_bucket_replication(GetBucketConfig::default().bucket(b))
        .await
        .unwrap()
        .configuration
        .rules;
    assert_eq!(rules.len(), 1, "{rules:?}");
    let rule = &rules[0];
    assert_eq!(rule.id.as_deref(), Some("python-rule"));
    assert_eq!(rule.action.as_deref(), Some("ALL"));
    assert_eq!(rule.prefix_set.as_ref().unwrap().prefixes, ["py/"]);
    assert_eq!(rule.destination.bucket, "py-dest");
    assert_eq!(rule.destination.location, "oss-cn-shanghai");
    assert_eq!(
        rule.historical_object_replication.as_deref(),
        Some("enabled")
    );
    assert_eq!(rule.rtc.as_ref().unwrap().status, "enabled");

    let overwrite = client
        .get_bucket_overwrite_config(GetBucketConfig::default().bucket(b))
        .await
        .unwrap()
        .configuration;
    let mut expected = OverwriteRule::forbid("py/", ".csv");
    expected.id = Some("python-ow".into());
    expected.principals = Some(OverwritePrincipals::new(vec!["*".into()]));
    assert_eq!(overwrite, OverwriteConfiguration::new(vec![expected]));
}

#[tokio::test]
async fn the_official_python_sdk_reads_our_inventories_and_replication_and_the_other_way_round() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "cross-inv-repl").await;
    write_ours(&client, &b).await;
    let python = PythonRun {
        interpreter,
        script: "cross_inventory_replication.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: b.clone(),
    };
    python.run("read", 28).await;
    python.run("write", 6).await;
    read_python(&client, &b).await;
}
