"""Cross-check of inventories, replication rules and overwrite configs with the official Python
SDK (alibabacloud-oss-v2), driven by tests/emulator/cross_inventory_replication.rs against one
emulator and one bucket:

  --phase read   reads what the Rust client wrote (inventory "rust-inv", replication rule
                 "rust-rule" with RTC enabled, two overwrite rules) and compares every value;
  --phase write  writes inventory "python-inv", replication rule "python-rule" (then RTC on
                 it), replaces the overwrite rules, and deletes "rust-inv" and "rust-rule", for
                 the Rust client to read.

The expected values are the Rust test's (kept in step by hand: both files list them). Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

from alibabacloud_oss_v2 import models as m

from cross_support import check, run


def read_back(c, bucket):
    inv = c.get_bucket_inventory(m.GetBucketInventoryRequest(
        bucket=bucket, inventory_id="rust-inv")).inventory_configuration
    check("inventory id", inv.id == "rust-inv", inv.id)
    check("inventory enabled", inv.is_enabled is True, inv.is_enabled)
    check("inventory versions", inv.included_object_versions == "Current",
          inv.included_object_versions)
    check("inventory frequency", inv.schedule.frequency == "Weekly", inv.schedule.frequency)
    check("inventory filter prefix", inv.filter.prefix == "logs/", inv.filter.prefix)
    check("inventory filter size", inv.filter.lower_size_bound == 1024,
          inv.filter.lower_size_bound)
    check("inventory filter classes", inv.filter.storage_class == "Standard,IA",
          inv.filter.storage_class)
    dest = inv.destination.oss_bucket_destination
    check("inventory format", dest.format == "CSV", dest.format)
    check("inventory account", dest.account_id == "1000000000000000", dest.account_id)
    check("inventory role", dest.role_arn == "acs:ram::1000000000000000:role/AliyunOSSRole",
          dest.role_arn)
    check("inventory destination", dest.bucket == f"acs:oss:::{bucket}", dest.bucket)
    check("inventory destination prefix", dest.prefix == "reports/", dest.prefix)
    check("inventory kms key", dest.encryption.sse_kms.key_id == "cmk-inventory",
          dest.encryption)
    check("inventory fields", inv.optional_fields.fields == ["Size", "ETag"],
          inv.optional_fields.fields)
    listed = c.list_bucket_inventory(m.ListBucketInventoryRequest(
        bucket=bucket)).list_inventory_configurations_result
    ids = [i.id for i in listed.inventory_configurations or []]
    check("inventory list", ids == ["rust-inv"], ids)
    check("inventory list truncated", listed.is_truncated is False, listed.is_truncated)

    rules = c.get_bucket_replication(m.GetBucketReplicationRequest(
        bucket=bucket)).replication_configuration.rules
    check("replication rules", [r.id for r in rules] == ["rust-rule"], [r.id for r in rules])
    rule = rules[0]
    check("replication prefixes", rule.prefix_set.prefixs == ["images/", "video/"],
          rule.prefix_set.prefixs)
    check("replication action", rule.action == "PUT", rule.action)
    check("replication destination", (rule.destination.bucket, rule.destination.location,
                                      rule.destination.transfer_type)
          == ("repl-dest", "oss-cn-beijing", "oss_acc"), rule.destination)
    check("replication history", rule.historical_object_replication == "disabled",
          rule.historical_object_replication)
    check("replication status", rule.status == "starting", rule.status)
    check("replication rtc", rule.rtc is not None and rule.rtc.status == "enabled", rule.rtc)
    progress = c.get_bucket_replication_progress(m.GetBucketReplicationProgressRequest(
        bucket=bucket, rule_id="rust-rule")).replication_progress.rules
    check("progress rule", [p.id for p in progress] == ["rust-rule"], progress)
    check("progress status", progress[0].status == "starting", progress[0].status)
    location = c.get_bucket_replication_location(m.GetBucketReplicationLocationRequest(
        bucket=bucket)).replication_location
    check("replication location", location.locations == ["oss-cn-hangzhou"], location.locations)

    config = c.get_bucket_overwrite_config(m.GetBucketOverwriteConfigRequest(
        bucket=bucket)).overwrite_configuration
    got = [(r.id, r.action, r.prefix, r.suffix,
            r.principals.principals if r.principals else None) for r in config.rules]
    made_up = got[1][0] if len(got) == 2 else None  # the emulator's id for a rule without one
    want = [("rust-ow-1", "forbid", "logs/", ".txt", ["1234567890123456"]),
            (made_up, "forbid", None, ".lock", None)]
    check("overwrite rules", got == want, got)
    check("overwrite made-up id", made_up is not None and len(made_up) == 36, made_up)


def write(c, bucket):
    c.put_bucket_inventory(m.PutBucketInventoryRequest(
        bucket=bucket, inventory_id="python-inv",
        inventory_configuration=m.InventoryConfiguration(
            id="python-inv", is_enabled=False, included_object_versions="All",
            filter=m.InventoryFilter(prefix="data/", upper_size_bound=4096),
            destination=m.InventoryDestination(oss_bucket_destination=m.InventoryOSSBucketDestination(
                format="CSV", account_id="2000000000000000",
                role_arn="acs:ram::2000000000000000:role/PythonRole",
                bucket=f"acs:oss:::{bucket}", prefix="py/")),
            schedule=m.InventorySchedule(frequency="Daily"),
            optional_fields=m.OptionalFields(fields=["StorageClass", "LastModifiedDate"]))))
    check("python put inventory", True)
    c.delete_bucket_inventory(m.DeleteBucketInventoryRequest(
        bucket=bucket, inventory_id="rust-inv"))
    check("python delete inventory", True)

    added = c.put_bucket_replication(m.PutBucketReplicationRequest(
        bucket=bucket, replication_configuration=m.ReplicationConfiguration(rules=[
            m.ReplicationRule(
                id="python-rule", action="ALL",
                prefix_set=m.ReplicationPrefixSet(prefixs=["py/"]),
                destination=m.ReplicationDestination(bucket="py-dest",
                                                     location="oss-cn-shanghai"),
                historical_object_replication="enabled")])))
    # alibabacloud-oss-v2 1.x does not read this header into replication_rule_id.
    rule_id = added.headers.get("x-oss-replication-rule-id")
    check("python put replication", rule_id == "python-rule", rule_id)
    c.put_bucket_rtc(m.PutBucketRtcRequest(bucket=bucket, rtc_configuration=m.RtcConfiguration(
        id="python-rule", rtc=m.ReplicationTimeControl(status="enabled"))))
    check("python put rtc", True)
    c.delete_bucket_replication(m.DeleteBucketReplicationRequest(
        bucket=bucket, replication_rules=m.ReplicationRules(ids=["rust-rule"])))
    check("python delete replication", True)

    c.put_bucket_overwrite_config(m.PutBucketOverwriteConfigRequest(
        bucket=bucket, overwrite_configuration=m.OverwriteConfiguration(rules=[
            m.OverwriteRule(id="python-ow", action="forbid", prefix="py/", suffix=".csv",
                            principals=m.OverwritePrincipals(principals=["*"]))])))
    check("python put overwrite config", True)


if __name__ == "__main__":
    run(read_back, write)
