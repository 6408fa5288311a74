"""Cross-read of thirteen bucket configuration families with the official Python SDK
(alibabacloud-oss-v2), driven by the Rust test tests/emulator/config_cross_check.rs against
one emulator:

  --phase write  puts every family on --bucket (CORS, lifecycle, policy, website, referer,
                 logging, encryption, bucket tags, request payment, transfer acceleration,
                 ACL, versioning, public access block) for the Rust client to read and
                 compare;
  --phase read   reads every family from --bucket, which the Rust client put, and compares.

Both sides use the same rich documents (several rules, optional fields set), kept in step by
hand: this file builds them below, the Rust test in functions of the same names. Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

import datetime
import json

from alibabacloud_oss_v2 import models as m

from cross_support import check, run

CREATED_BEFORE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def cors():
    return m.CORSConfiguration(
        cors_rules=[
            m.CORSRule(
                allowed_origins=["https://www.example.com", "https://*.example.org"],
                allowed_methods=["GET", "PUT"],
                allowed_headers=["Authorization", "x-oss-meta-*"],
                expose_headers=["ETag", "x-oss-request-id"],
                max_age_seconds=600),
            m.CORSRule(allowed_origins=["*"], allowed_methods=["HEAD"]),
        ],
        response_vary=True)


def lifecycle():
    return m.LifecycleConfiguration(rules=[
        m.LifecycleRule(
            id="logs", prefix="logs/", status="Enabled",
            expiration=m.LifecycleRuleExpiration(days=30),
            transitions=[
                m.LifecycleRuleTransition(days=10, storage_class="IA"),
                m.LifecycleRuleTransition(days=20, storage_class="Archive", is_access_time=True,
                                          return_to_std_when_visit=True, allow_small_file=False),
            ],
            abort_multipart_upload=m.LifecycleRuleAbortMultipartUpload(days=3)),
        m.LifecycleRule(
            id="tmp", prefix="tmp/", status="Disabled",
            tags=[m.Tag(key="env", value="test")],
            expiration=m.LifecycleRuleExpiration(created_before_date=CREATED_BEFORE)),
        m.LifecycleRule(
            id="versions", prefix="ver/", status="Enabled",
            filter=m.LifecycleRuleFilter(
                object_size_greater_than=1024,
                nots=[m.LifecycleRuleNot(prefix="ver/keep/", tag=m.Tag(key="keep", value="yes"))]),
            expiration=m.LifecycleRuleExpiration(expired_object_delete_marker=True),
            noncurrent_version_expiration=m.NoncurrentVersionExpiration(noncurrent_days=5),
            noncurrent_version_transitions=[
                m.NoncurrentVersionTransition(noncurrent_days=2, storage_class="IA",
                                              is_access_time=True, allow_small_file=True),
            ]),
    ])


POLICY = {
    "Version": "1",
    "Statement": [
        {"Effect": "Allow", "Action": ["oss:GetObject", "oss:ListObjects"],
         "Principal": ["1234567890123456"], "Resource": ["acs:oss:*:*:cross-configs/*"]},
        {"Effect": "Deny", "Action": ["oss:DeleteObject"], "Principal": ["*"],
         "Resource": ["acs:oss:*:*:cross-configs/keep/*"]},
    ],
}


def website():
    return m.WebsiteConfiguration(
        index_document=m.IndexDocument(suffix="index.html", support_sub_dir=True, type=0),
        error_document=m.ErrorDocument(key="error.html", http_status=404),
        routing_rules=m.RoutingRules(routing_rules=[
            m.RoutingRule(
                rule_number=1,
                condition=m.RoutingRuleCondition(
                    key_prefix_equals="abc/", http_error_code_returned_equals=404,
                    include_headers=[m.RoutingRuleIncludeHeader(key="host", equals="a.example.com")]),
                redirect=m.RoutingRuleRedirect(
                    redirect_type="Mirror", mirror_url="http://mirror.example.com/",
                    pass_query_string=True, mirror_pass_query_string=True,
                    mirror_follow_redirect=True, mirror_check_md5=False,
                    mirror_headers=m.MirrorHeaders(
                        pass_all=False, passs=["x-pass"], removes=["x-remove"],
                        sets=[m.MirrorHeadersSet(key="x-set", value="v")]))),
            m.RoutingRule(
                rule_number=2,
                condition=m.RoutingRuleCondition(key_suffix_equals=".txt"),
                redirect=m.RoutingRuleRedirect(
                    redirect_type="External", protocol="https", host_name="www.example.com",
                    http_redirect_code=302, replace_key_prefix_with="new/")),
        ]))


def referer():
    return m.RefererConfiguration(
        allow_empty_referer=False,
        allow_truncate_query_string=True,
        truncate_path=True,
        referer_list=m.RefererList(referers=[
            "http://www.aliyun.com", "https://*.example.com", "http://www.?.example.org"]),
        referer_blacklist=m.RefererBlacklist(referers=["http://bad.example.com"]))


def logging(bucket):
    return m.BucketLoggingStatus(logging_enabled=m.LoggingEnabled(
        target_bucket=bucket, target_prefix="access-log/",
        logging_role="AliyunOSSLoggingDefaultRole"))


def encryption():
    return m.ServerSideEncryptionRule(
        apply_server_side_encryption_by_default=m.ApplyServerSideEncryptionByDefault(
            sse_algorithm="KMS", kms_master_key_id="cmk-cross", kms_data_encryption="SM4"))


TAGS = [("owner", "sdk"), ("env", "test"), ("cost-center", "42")]


def write(c, bucket):
    c.put_bucket_cors(m.PutBucketCorsRequest(bucket=bucket, cors_configuration=cors()))
    c.put_bucket_lifecycle(m.PutBucketLifecycleRequest(
        bucket=bucket, lifecycle_configuration=lifecycle()))
    c.put_bucket_policy(m.PutBucketPolicyRequest(bucket=bucket, body=json.dumps(POLICY)))
    c.put_bucket_website(m.PutBucketWebsiteRequest(
        bucket=bucket, website_configuration=website()))
    c.put_bucket_referer(m.PutBucketRefererRequest(
        bucket=bucket, referer_configuration=referer()))
    c.put_bucket_logging(m.PutBucketLoggingRequest(
        bucket=bucket, bucket_logging_status=logging(bucket)))
    c.put_bucket_encryption(m.PutBucketEncryptionRequest(
        bucket=bucket, server_side_encryption_rule=encryption()))
    c.put_bucket_tags(m.PutBucketTagsRequest(bucket=bucket, tagging=m.Tagging(
        tag_set=m.TagSet(tags=[m.Tag(key=k, value=v) for k, v in TAGS]))))
    c.put_bucket_request_payment(m.PutBucketRequestPaymentRequest(
        bucket=bucket,
        request_payment_configuration=m.RequestPaymentConfiguration(payer="Requester")))
    c.put_bucket_transfer_acceleration(m.PutBucketTransferAccelerationRequest(
        bucket=bucket,
        transfer_acceleration_configuration=m.TransferAccelerationConfiguration(enabled=True)))
    # Before the public access block, which refuses public ACLs.
    c.put_bucket_acl(m.PutBucketAclRequest(bucket=bucket, acl="public-read"))
    c.put_bucket_versioning(m.PutBucketVersioningRequest(
        bucket=bucket, versioning_configuration=m.VersioningConfiguration(status="Enabled")))
    c.put_bucket_public_access_block(m.PutBucketPublicAccessBlockRequest(
        bucket=bucket,
        public_access_block_configuration=m.PublicAccessBlockConfiguration(
            block_public_access=True)))
    check("python wrote thirteen families", True)


def same(label, got, expected, fields):
    """Compares `fields` of two model objects (nested: a field may be a (name, fields) pair
    for a sub-model, or (name, fields, True) for a list of sub-models)."""
    for field in fields:
        if isinstance(field, tuple):
            name, sub = field[0], field[1]
            g, e = getattr(got, name, None), getattr(expected, name, None)
            if len(field) == 3:
                g, e = list(g or []), list(e or [])
                check(f"{label}.{name} count", len(g) == len(e), f"{len(g)} != {len(e)}")
                for i, (gi, ei) in enumerate(zip(g, e)):
                    same(f"{label}.{name}[{i}]", gi, ei, sub)
            elif e is None:
                check(f"{label}.{name}", g is None, g)
            else:
                check(f"{label}.{name} present", g is not None, g)
                if g is not None:
                    same(f"{label}.{name}", g, e, sub)
        else:
            g, e = getattr(got, field, None), getattr(expected, field, None)
            if isinstance(g, list) or isinstance(e, list):
                g, e = list(g or []), list(e or [])
            check(f"{label}.{field}", g == e, f"{g!r} != {e!r}")


TAG_FIELDS = ["key", "value"]
CORS_FIELDS = ["response_vary", ("cors_rules", [
    "allowed_origins", "allowed_methods", "allowed_headers", "expose_headers",
    "max_age_seconds"], True)]
LIFECYCLE_FIELDS = [("rules", [
    "id", "prefix", "status", ("tags", TAG_FIELDS, True),
    ("filter", ["object_size_greater_than", "object_size_less_than",
                ("nots", ["prefix", ("tag", TAG_FIELDS)], True)]),
    ("expiration", ["days", "created_before_date", "expired_object_delete_marker"]),
    ("transitions", ["days", "created_before_date", "storage_class", "is_access_time",
                     "return_to_std_when_visit", "allow_small_file"], True),
    ("abort_multipart_upload", ["days", "created_before_date"]),
    ("noncurrent_version_expiration", ["noncurrent_days"]),
    ("noncurrent_version_transitions", ["noncurrent_days", "storage_class", "is_access_time",
                                        "return_to_std_when_visit", "allow_small_file"], True),
], True)]
WEBSITE_FIELDS = [
    ("index_document", ["suffix", "support_sub_dir", "type"]),
    ("error_document", ["key", "http_status"]),
    ("routing_rules", [("routing_rules", [
        "rule_number",
        ("condition", ["key_prefix_equals", "key_suffix_equals",
                       "http_error_code_returned_equals",
                       ("include_headers", ["key", "equals", "starts_with", "ends_with"], True)]),
        ("redirect", ["redirect_type", "pass_query_string", "mirror_url", "protocol",
                      "host_name", "http_redirect_code", "replace_key_prefix_with",
                      "replace_key_with", "enable_replace_prefix", "mirror_pass_query_string",
                      "mirror_follow_redirect", "mirror_check_md5",
                      ("mirror_headers", ["pass_all", "passs", "removes",
                                          ("sets", ["key", "value"], True)])]),
    ], True)]),
]
REFERER_FIELDS = ["allow_empty_referer", "allow_truncate_query_string", "truncate_path",
                  ("referer_list", ["referers"]), ("referer_blacklist", ["referers"])]


def read(c, bucket):
    got = c.get_bucket_cors(m.GetBucketCorsRequest(bucket=bucket)).cors_configuration
    same("cors", got, cors(), CORS_FIELDS)
    got = c.get_bucket_lifecycle(m.GetBucketLifecycleRequest(bucket=bucket))
    same("lifecycle", got.lifecycle_configuration, lifecycle(), LIFECYCLE_FIELDS)
    got = c.get_bucket_policy(m.GetBucketPolicyRequest(bucket=bucket)).body
    check("policy", json.loads(got) == POLICY, got)
    got = c.get_bucket_website(m.GetBucketWebsiteRequest(bucket=bucket))
    same("website", got.website_configuration, website(), WEBSITE_FIELDS)
    got = c.get_bucket_referer(m.GetBucketRefererRequest(bucket=bucket))
    same("referer", got.referer_configuration, referer(), REFERER_FIELDS)
    got = c.get_bucket_logging(m.GetBucketLoggingRequest(bucket=bucket)).bucket_logging_status
    same("logging", got, logging(bucket),
         [("logging_enabled", ["target_bucket", "target_prefix", "logging_role"])])
    got = c.get_bucket_encryption(m.GetBucketEncryptionRequest(bucket=bucket))
    same("encryption", got.server_side_encryption_rule, encryption(),
         [("apply_server_side_encryption_by_default",
           ["sse_algorithm", "kms_master_key_id", "kms_data_encryption"])])
    got = c.get_bucket_tags(m.GetBucketTagsRequest(bucket=bucket)).tagging
    tags = [(t.key, t.value) for t in got.tag_set.tags]
    check("bucket tags", tags == TAGS, tags)
    got = c.get_bucket_request_payment(m.GetBucketRequestPaymentRequest(bucket=bucket))
    payer = got.request_payment_configuration.payer
    check("request payment", payer == "Requester", payer)
    got = c.get_bucket_transfer_acceleration(
        m.GetBucketTransferAccelerationRequest(bucket=bucket))
    enabled = got.transfer_acceleration_configuration.enabled
    check("transfer acceleration", enabled is True, enabled)
    got = c.get_bucket_public_access_block(m.GetBucketPublicAccessBlockRequest(bucket=bucket))
    block = got.public_access_block_configuration.block_public_access
    check("public access block", block is True, block)
    acl = c.get_bucket_acl(m.GetBucketAclRequest(bucket=bucket)).acl
    check("bucket acl", acl == "public-read", acl)
    status = c.get_bucket_versioning(m.GetBucketVersioningRequest(bucket=bucket)).version_status
    check("bucket versioning", status == "Enabled", status)


if __name__ == "__main__":
    run(read, write)
