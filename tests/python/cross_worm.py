"""WORM cross-check with the official Python SDK (alibabacloud-oss-v2), driven by the Rust test
tests/emulator/worm.rs against one emulator. With --bucket B:

  --phase read   reads what the Rust client wrote: the locked retention policy of B-rust (its id
                 in the object worm-id.txt), the object-level WORM configuration of B-rust-obj
                 and the retention and legal hold of its object doc;
  --phase write  creates B-py (a policy initiated, locked and extended, its id in worm-id.txt)
                 and B-py-obj (versioning, object-level WORM, doc with retention and legal hold)
                 for the Rust client to read.

The expected values are the Rust test's (kept in step by hand: both files list them). Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""


import alibabacloud_oss_v2 as oss

from cross_support import check, run


# What the Rust client writes.
RUST_DAYS = 3
RUST_DEFAULT = ("GOVERNANCE", 7, None)  # mode, days, years
RUST_RETENTION = ("GOVERNANCE", "2031-02-03T04:05:06.000Z")
RUST_HOLD = "ON"

# What this script writes.
PY_DAYS = (4, 6)  # initiated with, extended to
PY_DEFAULT = ("COMPLIANCE", None, 2)
PY_RETENTION = ("COMPLIANCE", "2032-03-04T05:06:07.000Z")
PY_HOLD = "ON"


def read_back(c, base):
    policy_bucket, object_bucket = f"{base}-rust", f"{base}-rust-obj"
    worm_id = c.get_object(oss.GetObjectRequest(bucket=policy_bucket, key="worm-id.txt")).body.read()
    w = c.get_bucket_worm(oss.GetBucketWormRequest(bucket=policy_bucket)).worm_configuration
    check("policy id", w.worm_id == worm_id.decode(), (w.worm_id, worm_id))
    check("policy state", w.state == "Locked", w.state)
    check("policy days", w.retention_period_in_days == RUST_DAYS, w.retention_period_in_days)
    check("policy creation date", (w.creation_date or "").endswith("Z"), w.creation_date)

    cfg = c.get_bucket_object_worm_configuration(oss.GetBucketObjectWormConfigurationRequest(
        bucket=object_bucket)).object_worm_configuration
    check("object WORM enabled", cfg.object_worm_enabled == "Enabled", cfg.object_worm_enabled)
    d = cfg.rule.default_retention
    check("default retention", (d.mode, d.days, d.years) == RUST_DEFAULT, (d.mode, d.days, d.years))

    r = c.get_object_retention(oss.GetObjectRetentionRequest(bucket=object_bucket, key="doc")).retention
    check("retention", (r.mode, r.retain_until_date) == RUST_RETENTION, (r.mode, r.retain_until_date))
    h = c.get_object_legal_hold(oss.GetObjectLegalHoldRequest(bucket=object_bucket, key="doc")).legal_hold
    check("legal hold", h.status == RUST_HOLD, h.status)
    version = c.head_object(oss.HeadObjectRequest(bucket=object_bucket, key="doc")).version_id
    try:
        c.delete_object(oss.DeleteObjectRequest(bucket=object_bucket, key="doc", version_id=version))
        check("protected version refused", False, "deleted")
    except Exception as e:  # noqa: BLE001
        code = getattr(e.unwrap() if hasattr(e, "unwrap") else e, "code", None)
        check("protected version refused", code == "FileImmutable", code)


def write(c, base):
    policy_bucket, object_bucket = f"{base}-py", f"{base}-py-obj"
    c.put_bucket(oss.PutBucketRequest(bucket=policy_bucket))
    started = c.initiate_bucket_worm(oss.InitiateBucketWormRequest(
        bucket=policy_bucket,
        initiate_worm_configuration=oss.InitiateWormConfiguration(retention_period_in_days=PY_DAYS[0])))
    check("initiate answers an id", bool(started.worm_id), started.worm_id)
    c.complete_bucket_worm(oss.CompleteBucketWormRequest(bucket=policy_bucket, worm_id=started.worm_id))
    c.extend_bucket_worm(oss.ExtendBucketWormRequest(
        bucket=policy_bucket, worm_id=started.worm_id,
        extend_worm_configuration=oss.ExtendWormConfiguration(retention_period_in_days=PY_DAYS[1])))
    c.put_object(oss.PutObjectRequest(bucket=policy_bucket, key="worm-id.txt", body=started.worm_id.encode()))

    c.put_bucket(oss.PutBucketRequest(bucket=object_bucket))
    c.put_bucket_versioning(oss.PutBucketVersioningRequest(
        bucket=object_bucket, versioning_configuration=oss.VersioningConfiguration(status="Enabled")))
    mode, days, years = PY_DEFAULT
    c.put_bucket_object_worm_configuration(oss.PutBucketObjectWormConfigurationRequest(
        bucket=object_bucket, object_worm_configuration=oss.ObjectWormConfiguration(
            object_worm_enabled="Enabled", rule=oss.ObjectWormConfigurationRule(
                default_retention=oss.ObjectWormConfigurationRuleDefaultRetention(
                    mode=mode, days=days, years=years)))))
    c.put_object(oss.PutObjectRequest(bucket=object_bucket, key="doc", body=b"kept by python"))
    mode, until = PY_RETENTION
    c.put_object_retention(oss.PutObjectRetentionRequest(
        bucket=object_bucket, key="doc", retention=oss.Retention(mode=mode, retain_until_date=until)))
    c.put_object_legal_hold(oss.PutObjectLegalHoldRequest(
        bucket=object_bucket, key="doc", legal_hold=oss.LegalHold(status=PY_HOLD)))
    check("python wrote", True)


if __name__ == "__main__":
    run(read_back, write)
