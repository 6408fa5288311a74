"""Cross-check with the official Python SDK (alibabacloud-oss-v2) for MetaQuery, the
real-time log fields and five bucket configuration families, driven by the Rust test
tests/emulator/meta_cross_check.rs against one emulator and bucket:

  --phase write  Python puts its documents (access monitor, archive direct read, HTTPS
                 config, resource group, log fields, a public policy), writes python/*
                 objects and opens the metadata index, for the Rust client to read;
  --phase read   Python reads back what the Rust client put afterwards, searches rust/*
                 through the index the Rust client reopened (two pages), then closes it.

The expected values are the Rust test's (kept in step by hand: both files list them). Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

import json

import alibabacloud_oss_v2 as oss

from cross_support import check, run



PYTHON_WRITES = {
    "access_monitor": "Enabled",
    "archive_direct_read": True,
    "tls_versions": ["TLSv1.2", "TLSv1.3"],
    "cipher_suites": ["ECDHE-ECDSA-AES128-SHA256"],
    "tls13_cipher_suites": ["TLS_AES_256_GCM_SHA384"],
    "resource_group": "rg-python01",
    "log_headers": ["x-python-trace"],
    "log_params": ["py-source"],
    "objects": {"python/a.txt": b"hello", "python/big.bin": b"p" * 3000},
}

RUST_WROTE = {
    "access_monitor": "Disabled",
    "archive_direct_read": False,
    "tls_versions": ["TLSv1.3"],
    "resource_group": "rg-rust02",
    "log_headers": ["x-rust-trace", "user-agent"],
    "log_params": ["rust-source"],
    "objects": {"rust/one.txt": 1, "rust/two.txt": 20},
}


def public_policy(bucket):
    return json.dumps({"Version": "1", "Statement": [{
        "Effect": "Allow", "Action": ["oss:GetObject"], "Principal": ["*"],
        "Resource": [f"acs:oss:*:*:{bucket}/*"]}]})


def service_code(error):
    inner = error.unwrap() if hasattr(error, "unwrap") else error
    return getattr(inner, "code", None)


def write(c, bucket):
    w = PYTHON_WRITES
    c.put_bucket_access_monitor(oss.PutBucketAccessMonitorRequest(
        bucket=bucket, access_monitor_configuration=oss.AccessMonitorConfiguration(
            status=w["access_monitor"])))
    c.put_bucket_archive_direct_read(oss.PutBucketArchiveDirectReadRequest(
        bucket=bucket, archive_direct_read_configuration=oss.ArchiveDirectReadConfiguration(
            enabled=w["archive_direct_read"])))
    c.put_bucket_https_config(oss.PutBucketHttpsConfigRequest(
        bucket=bucket, https_configuration=oss.HttpsConfiguration(
            tls=oss.TLS(enable=True, tls_versions=w["tls_versions"]),
            cipher_suite=oss.CipherSuite(
                enable=True, strong_cipher_suite=False,
                custom_cipher_suites=w["cipher_suites"],
                tls13_custom_cipher_suites=w["tls13_cipher_suites"]))))
    c.put_bucket_resource_group(oss.PutBucketResourceGroupRequest(
        bucket=bucket,
        bucket_resource_group_configuration=oss.BucketResourceGroupConfiguration(
            resource_group_id=w["resource_group"])))
    c.put_user_defined_log_fields_config(oss.PutUserDefinedLogFieldsConfigRequest(
        bucket=bucket,
        user_defined_log_fields_configuration=oss.UserDefinedLogFieldsConfiguration(
            header_set=oss.LoggingHeaderSet(headers=w["log_headers"]),
            param_set=oss.LoggingParamSet(parameters=w["log_params"]))))
    c.put_bucket_policy(oss.PutBucketPolicyRequest(bucket=bucket, body=public_policy(bucket)))
    for key, body in w["objects"].items():
        c.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=body))
    c.open_meta_query(oss.OpenMetaQueryRequest(bucket=bucket))
    status = c.get_meta_query_status(oss.GetMetaQueryStatusRequest(bucket=bucket))
    check("meta query state after open", status.meta_query_status.state == "Running",
          status.meta_query_status.state)


def search(c, bucket, token):
    query = oss.MetaQuery(
        query=json.dumps({"Field": "Filename", "Value": "rust/", "Operation": "prefix"}),
        sort="Size", order="asc", max_results=1, next_token=token)
    return c.do_meta_query(oss.DoMetaQueryRequest(bucket=bucket, meta_query=query))


def read_back(c, bucket):
    r = RUST_WROTE
    got = c.get_bucket_access_monitor(oss.GetBucketAccessMonitorRequest(bucket=bucket))
    status = got.access_monitor_configuration.status
    check("access monitor", status == r["access_monitor"], status)
    got = c.get_bucket_archive_direct_read(oss.GetBucketArchiveDirectReadRequest(bucket=bucket))
    enabled = got.archive_direct_read_configuration.enabled
    check("archive direct read", enabled == r["archive_direct_read"], enabled)
    got = c.get_bucket_https_config(oss.GetBucketHttpsConfigRequest(bucket=bucket))
    tls = got.https_configuration.tls
    check("https enable", tls.enable is True, tls.enable)
    check("https versions", tls.tls_versions == r["tls_versions"], tls.tls_versions)
    got = c.get_bucket_resource_group(oss.GetBucketResourceGroupRequest(bucket=bucket))
    group = got.bucket_resource_group_configuration.resource_group_id
    check("resource group", group == r["resource_group"], group)
    got = c.get_user_defined_log_fields_config(
        oss.GetUserDefinedLogFieldsConfigRequest(bucket=bucket))
    fields = got.user_defined_log_fields_configuration
    check("log headers", fields.header_set.headers == r["log_headers"], fields.header_set.headers)
    check("log params", fields.param_set.parameters == r["log_params"],
          fields.param_set.parameters)
    got = c.get_bucket_policy_status(oss.GetBucketPolicyStatusRequest(bucket=bucket))
    check("policy status", got.policy_status.is_public is False, got.policy_status.is_public)

    status = c.get_meta_query_status(oss.GetMetaQueryStatusRequest(bucket=bucket))
    check("meta query state", status.meta_query_status.state == "Running",
          status.meta_query_status.state)
    first = search(c, bucket, None)
    names = [(f.filename, f.size) for f in first.files.file]
    check("first page", names == [("rust/one.txt", r["objects"]["rust/one.txt"])], names)
    check("first page token", bool(first.next_token), first.next_token)
    second = search(c, bucket, first.next_token)
    names = [(f.filename, f.size) for f in second.files.file]
    check("second page", names == [("rust/two.txt", r["objects"]["rust/two.txt"])], names)
    check("second page has no token", not second.next_token, second.next_token)

    c.close_meta_query(oss.CloseMetaQueryRequest(bucket=bucket))
    try:
        c.get_meta_query_status(oss.GetMetaQueryStatusRequest(bucket=bucket))
        check("status after close", False, "no error")
    except Exception as e:  # the SDK's OperationError around the ServiceError
        check("status after close", service_code(e) == "MetaQueryNotExist", repr(e))


if __name__ == "__main__":
    run(read_back, write)
