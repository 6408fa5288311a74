//! Inventories, replication rules (with RTC, location and progress) and overwrite protection
//! against the emulator: each operation succeeds with the values it was given and refuses
//! with OSS's error code; the overwrite rules refuse writes over matching existing keys.

use futures_util::TryStreamExt as _;
use oss_client::operation::bucket_config::{DeleteBucketConfig, GetBucketConfig, PutBucketConfig};
use oss_client::operation::bucket_inventory::{
    BucketInventoryInput, InventoryConfiguration, InventoryDestination, InventoryFilter,
    InventoryOptionalFields, InventoryOssBucketDestination, InventorySchedule,
};
use oss_client::operation::bucket_overwrite_config::{OverwriteConfiguration, OverwriteRule};
use oss_client::operation::bucket_replication::{
    BucketReplicationRuleInput, PutBucketReplication, ReplicationConfiguration,
    ReplicationPrefixSet, ReplicationRule,
};
use oss_client::operation::multipart::complete::CompletedPart;
use oss_client::{Client, SignatureVersion};

use crate::support::{bucket, client, emulator, put};

fn code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

/// An inventory `id` of `bucket`'s objects under `logs/`, written daily to `dest`.
pub(crate) fn inventory(id: &str, dest: &str) -> InventoryConfiguration {
    let mut filter = InventoryFilter::default();
    filter.prefix = Some("logs/".into());
    filter.lower_size_bound = Some(1024);
    filter.storage_class = Some("Standard,IA".into());
    let mut target = InventoryOssBucketDestination::default();
    target.format = "CSV".into();
    target.account_id = "1000000000000000".into();
    target.role_arn = "acs:ram::1000000000000000:role/AliyunOSSRole".into();
    target.bucket = format!("acs:oss:::{dest}");
    target.prefix = Some("reports/".into());
    let mut destination = InventoryDestination::default();
    destination.oss_bucket_destination = target;
    let mut schedule = InventorySchedule::default();
    schedule.frequency = "Weekly".into();
    let mut fields = InventoryOptionalFields::default();
    fields.fields = vec!["Size".into(), "ETag".into()];
    let mut c = InventoryConfiguration::default();
    c.id = id.into();
    c.is_enabled = true;
    c.filter = Some(filter);
    c.destination = destination;
    c.schedule = schedule;
    c.included_object_versions = "Current".into();
    c.optional_fields = Some(fields);
    c
}

fn inv(bucket: &str, id: &str) -> BucketInventoryInput {
    BucketInventoryInput::default()
        .bucket(bucket)
        .inventory_id(id)
}

#[tokio::test]
async fn inventories_are_put_read_listed_deleted_and_refused() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "inv-source").await;
    let dest = bucket(&client, "inv-dest").await;
    for i in 0..3 {
        let id = format!("report{i}");
        let out = client
            .put_bucket_inventory(inv(&b, &id).configuration(inventory(&id, &dest)))
            .await
            .unwrap();
        assert_eq!(out.raw.status.as_u16(), 200);
    }
    let read = client
        .get_bucket_inventory(inv(&b, "report1"))
        .await
        .unwrap();
    assert_eq!(read.configuration, inventory("report1", &dest));

    let page = client
        .list_bucket_inventory(BucketInventoryInput::default().bucket(&b))
        .await
        .unwrap();
    let ids: Vec<_> = page.configurations.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["report0", "report1", "report2"]);
    assert!(!page.is_truncated);
    let after = client
        .list_bucket_inventory(
            BucketInventoryInput::default()
                .bucket(&b)
                .continuation_token("report0"),
        )
        .await
        .unwrap();
    assert_eq!(after.configurations.len(), 2);
    assert_eq!(after.configurations[0].id, "report1");

    let again = client
        .put_bucket_inventory(inv(&b, "report1").configuration(inventory("report1", &dest)))
        .await
        .unwrap_err();
    assert_eq!(code(&again), "InventoryAlreadyExist");
    let nowhere = client
        .put_bucket_inventory(inv(&b, "r9").configuration(inventory("r9", "no-such-dest")))
        .await
        .unwrap_err();
    assert_eq!(code(&nowhere), "InvalidArgument");

    client
        .delete_bucket_inventory(inv(&b, "report1"))
        .await
        .unwrap();
    let gone = client
        .get_bucket_inventory(inv(&b, "report1"))
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "NoSuchInventory");
    let missing_bucket = client
        .list_bucket_inventory(BucketInventoryInput::default().bucket("inv-none"))
        .await
        .unwrap_err();
    assert_eq!(code(&missing_bucket), "NoSuchBucket");
}

#[tokio::test]
async fn the_inventory_paginator_follows_continuation_tokens() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "inv-pages").await;
    let dest = bucket(&client, "inv-pages-dest").await;
    let ids: Vec<String> = (0..105).map(|i| format!("r{i:03}")).collect();
    for id in &ids {
        client
            .put_bucket_inventory(inv(&b, id).configuration(inventory(id, &dest)))
            .await
            .unwrap();
    }
    let pages: Vec<_> = client
        .list_bucket_inventory_paginator(BucketInventoryInput::default().bucket(&b))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].configurations.len(), 100);
    assert_eq!(pages[0].next_continuation_token.as_deref(), Some("r099"));
    let listed: Vec<String> = pages
        .iter()
        .flat_map(|p| p.configurations.iter().map(|c| c.id.clone()))
        .collect();
    assert_eq!(listed, ids);
}

fn rule(id: Option<&str>) -> ReplicationRule {
    let mut rule = ReplicationRule::new("repl-dest", "oss-cn-beijing");
    rule.id = id.map(str::to_owned);
    rule.prefix_set = Some(ReplicationPrefixSet::new(vec![
        "images/".into(),
        "video/".into(),
    ]));
    rule.action = Some("PUT".into());
    rule.historical_object_replication = Some("disabled".into());
    rule
}

fn add(bucket: &str, rule: ReplicationRule) -> PutBucketReplication {
    PutBucketReplication::default()
        .bucket(bucket)
        .configuration(ReplicationConfiguration::new(vec![rule]))
}

fn by_id(bucket: &str, id: &str) -> BucketReplicationRuleInput {
    BucketReplicationRuleInput::default()
        .bucket(bucket)
        .rule_id(id)
}

#[tokio::test]
async fn replication_rules_are_added_read_timed_and_deleted() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "repl-source").await;
    let none = client
        .get_bucket_replication(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap_err();
    assert_eq!(code(&none), "NoSuchReplicationConfiguration");

    let named = client
        .put_bucket_replication(add(&b, rule(Some("rule-1"))))
        .await
        .unwrap();
    assert_eq!(named.replication_rule_id, "rule-1");
    let made_up = client
        .put_bucket_replication(add(&b, rule(None)))
        .await
        .unwrap();
    assert_eq!(made_up.replication_rule_id.len(), 36);
    let twice = client
        .put_bucket_replication(add(&b, rule(Some("rule-1"))))
        .await
        .unwrap_err();
    assert_eq!(code(&twice), "InvalidArgument");

    client
        .put_bucket_rtc(by_id(&b, "rule-1").rtc_status("enabled"))
        .await
        .unwrap();
    let read = client
        .get_bucket_replication(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap()
        .configuration;
    let first = read
        .rules
        .iter()
        .find(|r| r.id.as_deref() == Some("rule-1"))
        .unwrap();
    let mut expected = rule(Some("rule-1"));
    expected.status = Some("starting".into());
    expected.rtc = first.rtc.clone();
    assert_eq!(*first, expected);
    assert_eq!(first.rtc.as_ref().unwrap().status, "enabled");
    assert_eq!(read.rules.len(), 2);

    let progress = client
        .get_bucket_replication_progress(by_id(&b, "rule-1"))
        .await
        .unwrap()
        .configuration;
    assert_eq!(progress.rules.len(), 1);
    assert_eq!(progress.rules[0].id, "rule-1");
    assert_eq!(progress.rules[0].destination.bucket, "repl-dest");
    assert_eq!(progress.rules[0].status, "starting");
    assert_eq!(progress.rules[0].progress, None);

    let location = client
        .get_bucket_replication_location(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap()
        .configuration;
    assert_eq!(location.locations, ["oss-cn-hangzhou"]);

    client
        .delete_bucket_replication(by_id(&b, "rule-1"))
        .await
        .unwrap();
    for refused in [
        client
            .delete_bucket_replication(by_id(&b, "rule-1"))
            .await
            .unwrap_err(),
        client
            .get_bucket_replication_progress(by_id(&b, "rule-1"))
            .await
            .unwrap_err(),
        client
            .put_bucket_rtc(by_id(&b, "rule-1").rtc_status("disabled"))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(code(&refused), "NoSuchReplicationRule");
    }
    client
        .delete_bucket_replication(by_id(&b, &made_up.replication_rule_id))
        .await
        .unwrap();
    let empty = client
        .get_bucket_replication(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap_err();
    assert_eq!(code(&empty), "NoSuchReplicationConfiguration");
    let no_bucket = client
        .get_bucket_replication_location(GetBucketConfig::default().bucket("repl-none"))
        .await
        .unwrap_err();
    assert_eq!(code(&no_bucket), "NoSuchBucket");
}

#[tokio::test]
async fn inventories_and_replication_rules_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let start = || {
        oss_emulator::Emulator::builder()
            .credentials(
                crate::support::ACCESS_KEY_ID,
                crate::support::ACCESS_KEY_SECRET,
            )
            .region("cn-hangzhou")
            .data_dir(tmp.path())
            .start()
    };
    let emu = start().await.unwrap();
    let c = client(&emu, SignatureVersion::V4);
    let b = bucket(&c, "durable-inv").await;
    c.put_bucket_inventory(inv(&b, "weekly").configuration(inventory("weekly", &b)))
        .await
        .unwrap();
    c.put_bucket_replication(add(&b, rule(Some("kept"))))
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = start().await.unwrap();
    let c = client(&emu, SignatureVersion::V4);
    let read = c.get_bucket_inventory(inv(&b, "weekly")).await.unwrap();
    assert_eq!(read.configuration, inventory("weekly", &b));
    let rules = c
        .get_bucket_replication(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap()
        .configuration
        .rules;
    assert_eq!(rules[0].id.as_deref(), Some("kept"));
    emu.shutdown().await;
}

async fn overwrite_rules(client: &Client, bucket: &str, rules: Vec<OverwriteRule>) {
    client
        .put_bucket_overwrite_config(
            PutBucketConfig::default()
                .bucket(bucket)
                .configuration(OverwriteConfiguration::new(rules)),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn overwrite_rules_are_put_read_deleted_and_refused() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "ow-config").await;
    let mut with_id = OverwriteRule::forbid("logs/", ".txt");
    with_id.id = Some("rule-001".into());
    let rules = vec![with_id, OverwriteRule::forbid("", ".lock")];
    overwrite_rules(&client, &b, rules.clone()).await;
    let read = client
        .get_bucket_overwrite_config(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap();
    // The rule put without an ID was given one.
    let mut expected = rules;
    let made_up = read.configuration.rules[1].id.clone().unwrap();
    assert_eq!(made_up.len(), 36, "{made_up}");
    expected[1].id = Some(made_up);
    assert_eq!(read.configuration, OverwriteConfiguration::new(expected));
    client
        .delete_bucket_overwrite_config(DeleteBucketConfig::default().bucket(&b))
        .await
        .unwrap();
    let gone = client
        .get_bucket_overwrite_config(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "NoSuchOverwriteConfiguration");
    assert_eq!(
        gone.as_service_error().map(|s| s.status().as_u16()),
        Some(404)
    );
}

#[tokio::test]
async fn overwrite_rules_refuse_writes_over_matching_existing_keys() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "ow-effect").await;
    put(&client, &b, "logs/a.txt", "first").await;
    put(&client, &b, "logs/a.bin", "first").await;
    overwrite_rules(&client, &b, vec![OverwriteRule::forbid("logs/", ".txt")]).await;

    let over = client
        .put_object()
        .bucket(&b)
        .key("logs/a.txt")
        .body("second")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&over), "FileAlreadyExists");
    assert_eq!(
        over.as_service_error().map(|s| s.status().as_u16()),
        Some(409)
    );
    // A new key, and an existing key the rule does not match, are written.
    put(&client, &b, "logs/b.txt", "new").await;
    put(&client, &b, "logs/a.bin", "second").await;
    let copied = client
        .copy_object()
        .bucket(&b)
        .key("logs/b.txt")
        .source_key("logs/a.bin")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&copied), "FileAlreadyExists");
    let upload = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("logs/a.txt")
        .send()
        .await
        .unwrap();
    let part = client
        .upload_part()
        .bucket(&b)
        .key("logs/a.txt")
        .upload_id(&upload.upload_id)
        .part_number(1)
        .body("part")
        .send()
        .await
        .unwrap();
    let completed = client
        .complete_multipart_upload()
        .bucket(&b)
        .key("logs/a.txt")
        .upload_id(&upload.upload_id)
        .parts(vec![CompletedPart::from(&part)])
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&completed), "FileAlreadyExists");
    let kept = crate::support::get(&client, &b, "logs/a.txt").await;
    assert_eq!(kept.body.collect().await.unwrap(), "first".as_bytes());

    client
        .delete_bucket_overwrite_config(DeleteBucketConfig::default().bucket(&b))
        .await
        .unwrap();
    put(&client, &b, "logs/a.txt", "second").await;
}
