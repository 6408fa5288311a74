"""Bucket configuration families through the official SDKs (alibabacloud-oss-v2 and oss2):
for each family put, get (compared with what was put), delete, the get-after-delete code,
and one malformed document. Called by official_clients.py, whose check/attempt it uses."""


def run_oss_v2(args, check, attempt, make_config, bucket_name):
    import alibabacloud_oss_v2 as oss

    client = oss.Client(make_config(args, args.access_key_secret))
    label = "oss-v2 configs"
    bucket = bucket_name("v2cfg")

    def code(e):
        inner = e.unwrap() if hasattr(e, "unwrap") else e
        return getattr(inner, "code", None)

    def expect_error(name, fn, want):
        try:
            fn()
            check(f"{label} {name}", False, f"no error, wanted {want}")
        except Exception as e:  # noqa: BLE001
            check(f"{label} {name}", code(e) == want, f"{code(e)} != {want}: {e}")

    if attempt(f"{label} bucket", lambda: client.put_bucket(oss.PutBucketRequest(bucket=bucket))) is None:
        return

    # CORS.
    cors = oss.CORSConfiguration(cors_rules=[oss.CORSRule(
        allowed_origins=["https://app.example.com"], allowed_methods=["GET", "PUT"],
        allowed_headers=["x-oss-meta-a"], expose_headers=["ETag"], max_age_seconds=600)],
        response_vary=False)
    attempt(f"{label} put cors", lambda: client.put_bucket_cors(oss.PutBucketCorsRequest(
        bucket=bucket, cors_configuration=cors)))
    r = attempt(f"{label} get cors", lambda: client.get_bucket_cors(oss.GetBucketCorsRequest(bucket=bucket)))
    if r is not None:
        rule = r.cors_configuration.cors_rules[0]
        check(f"{label} cors rule", (rule.allowed_origins, rule.allowed_methods, rule.max_age_seconds)
              == (["https://app.example.com"], ["GET", "PUT"], 600), vars(rule))
    r = attempt(f"{label} option_object", lambda: client.option_object(oss.OptionObjectRequest(
        bucket=bucket, key="index.html", origin="https://app.example.com", access_control_request_method="PUT",
        access_control_request_headers="x-oss-meta-a")))
    if r is not None:
        check(f"{label} preflight", (r.access_control_allow_origin, r.access_control_allow_methods,
                                     r.access_control_max_age) == ("https://app.example.com", "GET, PUT", 600),
              vars(r))
    expect_error("preflight refused", lambda: client.option_object(oss.OptionObjectRequest(
        bucket=bucket, key="index.html", origin="https://app.example.com", access_control_request_method="DELETE")),
        "AccessForbidden")
    attempt(f"{label} delete cors", lambda: client.delete_bucket_cors(oss.DeleteBucketCorsRequest(bucket=bucket)))
    expect_error("cors after delete", lambda: client.get_bucket_cors(oss.GetBucketCorsRequest(bucket=bucket)),
                 "NoSuchCORSConfiguration")
    expect_error("malformed cors", lambda: client.put_bucket_cors(oss.PutBucketCorsRequest(
        bucket=bucket, cors_configuration=oss.CORSConfiguration(cors_rules=[oss.CORSRule(
            allowed_origins=["*"], allowed_methods=["PATCH"])]))), "InvalidArgument")

    # Lifecycle.
    lifecycle = oss.LifecycleConfiguration(rules=[oss.LifecycleRule(
        id="expire-logs", prefix="logs/", status="Enabled",
        expiration=oss.LifecycleRuleExpiration(days=30))])
    attempt(f"{label} put lifecycle", lambda: client.put_bucket_lifecycle(oss.PutBucketLifecycleRequest(
        bucket=bucket, lifecycle_configuration=lifecycle)))
    r = attempt(f"{label} get lifecycle", lambda: client.get_bucket_lifecycle(
        oss.GetBucketLifecycleRequest(bucket=bucket)))
    if r is not None:
        rule = r.lifecycle_configuration.rules[0]
        check(f"{label} lifecycle rule", (rule.id, rule.prefix, rule.status, rule.expiration.days)
              == ("expire-logs", "logs/", "Enabled", 30), vars(rule))
    attempt(f"{label} delete lifecycle", lambda: client.delete_bucket_lifecycle(
        oss.DeleteBucketLifecycleRequest(bucket=bucket)))
    expect_error("lifecycle after delete", lambda: client.get_bucket_lifecycle(
        oss.GetBucketLifecycleRequest(bucket=bucket)), "NoSuchLifecycle")
    expect_error("malformed lifecycle", lambda: client.put_bucket_lifecycle(oss.PutBucketLifecycleRequest(
        bucket=bucket, lifecycle_configuration=oss.LifecycleConfiguration(rules=[oss.LifecycleRule(
            id="r", prefix="", status="Sometimes", expiration=oss.LifecycleRuleExpiration(days=1))]))),
        "MalformedXML")

    # Policy (JSON).
    policy = ('{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],'
              '"Principal":["*"],"Resource":["acs:oss:*:*:' + bucket + '/*"]}]}')
    attempt(f"{label} put policy", lambda: client.put_bucket_policy(oss.PutBucketPolicyRequest(
        bucket=bucket, body=policy)))
    r = attempt(f"{label} get policy", lambda: client.get_bucket_policy(oss.GetBucketPolicyRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} policy body", r.body == policy, r.body)
    attempt(f"{label} delete policy", lambda: client.delete_bucket_policy(
        oss.DeleteBucketPolicyRequest(bucket=bucket)))
    expect_error("policy after delete", lambda: client.get_bucket_policy(
        oss.GetBucketPolicyRequest(bucket=bucket)), "NoSuchBucketPolicy")
    expect_error("malformed policy", lambda: client.put_bucket_policy(oss.PutBucketPolicyRequest(
        bucket=bucket, body="{not json")), "InvalidPolicyDocument")

    # Website.
    website = oss.WebsiteConfiguration(index_document=oss.IndexDocument(suffix="index.html"),
                                       error_document=oss.ErrorDocument(key="error.html"))
    attempt(f"{label} put website", lambda: client.put_bucket_website(oss.PutBucketWebsiteRequest(
        bucket=bucket, website_configuration=website)))
    r = attempt(f"{label} get website", lambda: client.get_bucket_website(oss.GetBucketWebsiteRequest(bucket=bucket)))
    if r is not None:
        w = r.website_configuration
        check(f"{label} website", (w.index_document.suffix, w.error_document.key) == ("index.html", "error.html"),
              vars(w))
    attempt(f"{label} delete website", lambda: client.delete_bucket_website(
        oss.DeleteBucketWebsiteRequest(bucket=bucket)))
    expect_error("website after delete", lambda: client.get_bucket_website(
        oss.GetBucketWebsiteRequest(bucket=bucket)), "NoSuchWebsiteConfiguration")
    expect_error("malformed website", lambda: client.put_bucket_website(oss.PutBucketWebsiteRequest(
        bucket=bucket, website_configuration=oss.WebsiteConfiguration())), "MalformedXML")

    # Referer (no delete: the default comes back).
    r = attempt(f"{label} default referer", lambda: client.get_bucket_referer(
        oss.GetBucketRefererRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} default referer", r.referer_configuration.allow_empty_referer is True,
              vars(r.referer_configuration))
    referer = oss.RefererConfiguration(allow_empty_referer=False, referer_list=oss.RefererList(
        referers=["https://www.example.com", "https://*.example.org"]))
    attempt(f"{label} put referer", lambda: client.put_bucket_referer(oss.PutBucketRefererRequest(
        bucket=bucket, referer_configuration=referer)))
    r = attempt(f"{label} get referer", lambda: client.get_bucket_referer(
        oss.GetBucketRefererRequest(bucket=bucket)))
    if r is not None:
        c = r.referer_configuration
        check(f"{label} referer", (c.allow_empty_referer, c.referer_list.referers)
              == (False, ["https://www.example.com", "https://*.example.org"]), vars(c))
    expect_error("malformed referer", lambda: client.put_bucket_referer(oss.PutBucketRefererRequest(
        bucket=bucket, referer_configuration=oss.RefererConfiguration(allow_empty_referer=True))), "MalformedXML")

    # Logging.
    logging = oss.BucketLoggingStatus(logging_enabled=oss.LoggingEnabled(target_bucket=bucket, target_prefix="log-"))
    attempt(f"{label} put logging", lambda: client.put_bucket_logging(oss.PutBucketLoggingRequest(
        bucket=bucket, bucket_logging_status=logging)))
    r = attempt(f"{label} get logging", lambda: client.get_bucket_logging(oss.GetBucketLoggingRequest(bucket=bucket)))
    if r is not None:
        e = r.bucket_logging_status.logging_enabled
        check(f"{label} logging", (e.target_bucket, e.target_prefix) == (bucket, "log-"), vars(e))
    attempt(f"{label} delete logging", lambda: client.delete_bucket_logging(
        oss.DeleteBucketLoggingRequest(bucket=bucket)))
    r = attempt(f"{label} logging after delete", lambda: client.get_bucket_logging(
        oss.GetBucketLoggingRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} logging off", r.bucket_logging_status.logging_enabled is None, vars(r.bucket_logging_status))
    expect_error("logging to a missing bucket", lambda: client.put_bucket_logging(oss.PutBucketLoggingRequest(
        bucket=bucket, bucket_logging_status=oss.BucketLoggingStatus(logging_enabled=oss.LoggingEnabled(
            target_bucket=bucket_name("missing"))))), "InvalidTargetBucketForLogging")

    # Default encryption.
    rule = oss.ServerSideEncryptionRule(apply_server_side_encryption_by_default=oss.ApplyServerSideEncryptionByDefault(
        sse_algorithm="AES256"))
    attempt(f"{label} put encryption", lambda: client.put_bucket_encryption(oss.PutBucketEncryptionRequest(
        bucket=bucket, server_side_encryption_rule=rule)))
    r = attempt(f"{label} get encryption", lambda: client.get_bucket_encryption(
        oss.GetBucketEncryptionRequest(bucket=bucket)))
    if r is not None:
        d = r.server_side_encryption_rule.apply_server_side_encryption_by_default
        check(f"{label} encryption", d.sse_algorithm == "AES256", vars(d))
    attempt(f"{label} put encrypted object", lambda: client.put_object(oss.PutObjectRequest(
        bucket=bucket, key="encrypted.txt", body=b"secret")))
    h = attempt(f"{label} head encrypted object", lambda: client.head_object(oss.HeadObjectRequest(
        bucket=bucket, key="encrypted.txt")))
    if h is not None:
        check(f"{label} default encryption applied", h.server_side_encryption == "AES256", vars(h))
    attempt(f"{label} delete encryption", lambda: client.delete_bucket_encryption(
        oss.DeleteBucketEncryptionRequest(bucket=bucket)))
    expect_error("encryption after delete", lambda: client.get_bucket_encryption(
        oss.GetBucketEncryptionRequest(bucket=bucket)), "NoSuchServerSideEncryptionRule")
    expect_error("malformed encryption", lambda: client.put_bucket_encryption(oss.PutBucketEncryptionRequest(
        bucket=bucket, server_side_encryption_rule=oss.ServerSideEncryptionRule(
            apply_server_side_encryption_by_default=oss.ApplyServerSideEncryptionByDefault(sse_algorithm="DES")))),
        "InvalidEncryptionAlgorithmError")

    # Bucket tags.
    tagging = oss.Tagging(tag_set=oss.TagSet(tags=[oss.Tag(key="team", value="storage"),
                                                  oss.Tag(key="env", value="test")]))
    attempt(f"{label} put tags", lambda: client.put_bucket_tags(oss.PutBucketTagsRequest(
        bucket=bucket, tagging=tagging)))
    r = attempt(f"{label} get tags", lambda: client.get_bucket_tags(oss.GetBucketTagsRequest(bucket=bucket)))
    if r is not None:
        tags = [(t.key, t.value) for t in r.tagging.tag_set.tags]
        check(f"{label} tags", tags == [("team", "storage"), ("env", "test")], tags)
    attempt(f"{label} delete tags", lambda: client.delete_bucket_tags(oss.DeleteBucketTagsRequest(bucket=bucket)))
    r = attempt(f"{label} tags after delete", lambda: client.get_bucket_tags(oss.GetBucketTagsRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} no tags", not (r.tagging.tag_set and r.tagging.tag_set.tags), vars(r.tagging))
    expect_error("repeated tag keys", lambda: client.put_bucket_tags(oss.PutBucketTagsRequest(
        bucket=bucket, tagging=oss.Tagging(tag_set=oss.TagSet(tags=[oss.Tag(key="a", value="1"),
                                                                   oss.Tag(key="a", value="2")])))), "InvalidTag")

    # Requester pays and transfer acceleration (no delete).
    r = attempt(f"{label} default payer", lambda: client.get_bucket_request_payment(
        oss.GetBucketRequestPaymentRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} default payer", r.request_payment_configuration.payer == "BucketOwner",
              vars(r.request_payment_configuration))
    attempt(f"{label} put payer", lambda: client.put_bucket_request_payment(oss.PutBucketRequestPaymentRequest(
        bucket=bucket, request_payment_configuration=oss.RequestPaymentConfiguration(payer="Requester"))))
    r = attempt(f"{label} get payer", lambda: client.get_bucket_request_payment(
        oss.GetBucketRequestPaymentRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} payer", r.request_payment_configuration.payer == "Requester",
              vars(r.request_payment_configuration))
    expect_error("malformed payer", lambda: client.put_bucket_request_payment(oss.PutBucketRequestPaymentRequest(
        bucket=bucket, request_payment_configuration=oss.RequestPaymentConfiguration(payer="Nobody"))),
        "MalformedXML")
    attempt(f"{label} put acceleration", lambda: client.put_bucket_transfer_acceleration(
        oss.PutBucketTransferAccelerationRequest(bucket=bucket, transfer_acceleration_configuration=
                                                 oss.TransferAccelerationConfiguration(enabled=True))))
    r = attempt(f"{label} get acceleration", lambda: client.get_bucket_transfer_acceleration(
        oss.GetBucketTransferAccelerationRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} acceleration", r.transfer_acceleration_configuration.enabled is True,
              vars(r.transfer_acceleration_configuration))

    # Public access block.
    r = attempt(f"{label} default access block", lambda: client.get_bucket_public_access_block(
        oss.GetBucketPublicAccessBlockRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} default access block", r.public_access_block_configuration.block_public_access is False,
              vars(r.public_access_block_configuration))
    attempt(f"{label} put access block", lambda: client.put_bucket_public_access_block(
        oss.PutBucketPublicAccessBlockRequest(bucket=bucket, public_access_block_configuration=
                                              oss.PublicAccessBlockConfiguration(block_public_access=True))))
    r = attempt(f"{label} get access block", lambda: client.get_bucket_public_access_block(
        oss.GetBucketPublicAccessBlockRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} access block", r.public_access_block_configuration.block_public_access is True,
              vars(r.public_access_block_configuration))
    attempt(f"{label} delete access block", lambda: client.delete_bucket_public_access_block(
        oss.DeleteBucketPublicAccessBlockRequest(bucket=bucket)))

    # The retention policy before any initiation (issue 16).
    expect_error("get_bucket_worm before initiation", lambda: client.get_bucket_worm(oss.GetBucketWormRequest(bucket=bucket)),
                 "NoSuchWORMConfiguration")


def run_oss2(args, check, attempt, bucket_name):
    import oss2
    from oss2.models import BucketCors, BucketReferer, CorsRule

    auth = oss2.Auth(args.access_key_id, args.access_key_secret)
    label = "oss2 configs"
    bucket = oss2.Bucket(auth, args.endpoint, bucket_name("o2cfg"), is_path_style=True, region=args.region)

    def expect_error(what, fn, want):
        try:
            fn()
            check(f"{label} {what}", False, f"no error, wanted {want}")
        except oss2.exceptions.OssError as e:
            check(f"{label} {what}", e.code == want, f"{e.code} != {want}")

    if attempt(f"{label} bucket", lambda: bucket.create_bucket()) is None:
        return
    rule = CorsRule(allowed_origins=["*"], allowed_methods=["GET", "HEAD"], max_age_seconds=60)
    attempt(f"{label} put cors", lambda: bucket.put_bucket_cors(BucketCors([rule])))
    r = attempt(f"{label} get cors", lambda: bucket.get_bucket_cors())
    if r is not None:
        got = r.rules[0]
        check(f"{label} cors", (got.allowed_origins, got.allowed_methods, got.max_age_seconds)
              == (["*"], ["GET", "HEAD"], 60), vars(got))
    attempt(f"{label} delete cors", lambda: bucket.delete_bucket_cors())
    expect_error("cors after delete", lambda: bucket.get_bucket_cors(), "NoSuchCORSConfiguration")
    attempt(f"{label} put referer", lambda: bucket.put_bucket_referer(
        BucketReferer(False, ["https://www.example.com"])))
    r = attempt(f"{label} get referer", lambda: bucket.get_bucket_referer())
    if r is not None:
        check(f"{label} referer", (r.allow_empty_referer, r.referers) == (False, ["https://www.example.com"]),
              vars(r))
    expect_error("lifecycle before put", lambda: bucket.get_bucket_lifecycle(), "NoSuchLifecycle")
    expect_error("policy before put", lambda: bucket.get_bucket_policy(), "NoSuchBucketPolicy")
    expect_error("get_bucket_worm before initiation", lambda: bucket.get_bucket_worm(), "NoSuchWORMConfiguration")
