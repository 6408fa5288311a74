"""Access points and the account's public access block, cross-checked with the official
Python SDK (alibabacloud-oss-v2), driven by the Rust test tests/emulator/access_points.rs
against one emulator:

  --phase read   reads what the Rust client wrote: access point ap-rust (internet) with a
                 policy and a public access block, the account's block set to true;
  --phase write  creates ap-python (vpc, vpc-python) with a policy allowing oss:PutObject and
                 a public access block, and deletes the account's block, for the Rust client
                 to read.

The expected values are the Rust test's (kept in step by hand: both files list them). Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

import json

import alibabacloud_oss_v2 as oss

from cross_support import check, run

RUST_POLICY = ('{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],'
               '"Principal":["1234567890"],"Resource":["acs:oss:cn-hangzhou:1234567890:'
               'accesspoint/ap-rust/object/*"]}]}')

PYTHON_POLICY = {
    "Version": "1",
    "Statement": [{"Effect": "Allow", "Action": ["oss:PutObject"], "Principal": ["1234567890"],
                   "Resource": ["acs:oss:cn-hangzhou:1234567890:accesspoint/ap-python/object/*"]}],
}


def block(value):
    return oss.PublicAccessBlockConfiguration(block_public_access=value)


def read_back(c, bucket):
    ap = c.get_access_point(oss.GetAccessPointRequest(bucket=bucket, access_point_name="ap-rust"))
    check("name", ap.access_point_name == "ap-rust", ap.access_point_name)
    check("bucket", ap.bucket == bucket, ap.bucket)
    check("origin", ap.network_origin == "internet", ap.network_origin)
    check("arn", (ap.access_point_arn or "").endswith(":accesspoint/ap-rust"), ap.access_point_arn)
    check("alias", (ap.alias or "").startswith("ap-rust-"), ap.alias)
    check("status", ap.status == "enable", ap.status)
    check("endpoint", "oss-accesspoint" in (ap.endpoints.public_endpoint or ""),
          ap.endpoints.public_endpoint)
    check("get block", ap.public_access_block_configuration.block_public_access is True,
          ap.public_access_block_configuration.block_public_access)
    account = c.list_access_points(oss.ListAccessPointsRequest(max_keys=10))
    names = [a.access_point_name for a in account.access_points or []]
    check("account list", names == ["ap-rust"], names)
    of_bucket = c.list_access_points(oss.ListAccessPointsRequest(bucket=bucket, max_keys=10))
    buckets = [a.bucket for a in of_bucket.access_points or []]
    check("bucket list", buckets == [bucket], buckets)
    policy = c.get_access_point_policy(
        oss.GetAccessPointPolicyRequest(bucket=bucket, access_point_name="ap-rust"))
    check("policy", policy.body == RUST_POLICY, policy.body)
    ap_block = c.get_access_point_public_access_block(
        oss.GetAccessPointPublicAccessBlockRequest(bucket=bucket, access_point_name="ap-rust"))
    check("access point block",
          ap_block.public_access_block_configuration.block_public_access is True,
          ap_block.public_access_block_configuration)
    account_block = c.get_public_access_block(oss.GetPublicAccessBlockRequest())
    check("account block",
          account_block.public_access_block_configuration.block_public_access is True,
          account_block.public_access_block_configuration)


def write(c, bucket):
    created = c.create_access_point(oss.CreateAccessPointRequest(
        bucket=bucket,
        create_access_point_configuration=oss.CreateAccessPointConfiguration(
            access_point_name="ap-python", network_origin="vpc",
            vpc_configuration=oss.AccessPointVpcConfiguration(vpc_id="vpc-python"))))
    check("create arn", (created.access_point_arn or "").endswith(":accesspoint/ap-python"),
          created.access_point_arn)
    check("create alias", (created.alias or "").endswith("-ossalias"), created.alias)
    c.put_access_point_policy(oss.PutAccessPointPolicyRequest(
        bucket=bucket, access_point_name="ap-python", body=json.dumps(PYTHON_POLICY)))
    c.put_access_point_public_access_block(oss.PutAccessPointPublicAccessBlockRequest(
        bucket=bucket, access_point_name="ap-python",
        public_access_block_configuration=block(True)))
    deleted = c.delete_public_access_block(oss.DeletePublicAccessBlockRequest())
    check("account block deleted", deleted.status_code == 204, deleted.status_code)
    try:
        c.create_access_point(oss.CreateAccessPointRequest(
            bucket=bucket,
            create_access_point_configuration=oss.CreateAccessPointConfiguration(
                access_point_name="ap-python", network_origin="internet")))
        check("duplicate refused", False, "created twice")
    except oss.exceptions.OperationError as e:
        code = getattr(e.unwrap(), "code", None)
        check("duplicate refused", code == "AccessPointAlreadyExists", code)


if __name__ == "__main__":
    run(read_back, write)
