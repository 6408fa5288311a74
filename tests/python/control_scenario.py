"""The emulator's HTTP control API (--control-listen) driven beside alibabacloud-oss-v2.

Run by official_clients.py (--control URL, --preset-bucket NAME) after every other scenario,
because it changes faults, clock skew and credentials and ends with a reset. Checks: a bucket
created at start (--bucket) and one created over the control API take writes; the request
journal names each SDK call (operation, status, the SDK's request id) and holds no secret; a
fault set over HTTP reaches the SDK (and its retries show in the journal); clock skew gives
RequestTimeTooSkewed; temporary credentials issued over HTTP work until expired over HTTP
(SecurityTokenExpired); a multipart upload aborted out of band gives NoSuchUpload; a reset
leaves only the start buckets, empty.
"""

import json
import urllib.error
import urllib.request
import uuid


def call(base, method, path, body=None):
    """(status, decoded JSON or None) of one control API call."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, (json.loads(raw) if raw else None)


def run(args, check, attempt, make_config):
    import alibabacloud_oss_v2 as oss

    label = "control"
    base = args.control

    def client(retries=1, credentials=None):
        cfg = make_config(args, args.access_key_secret)
        if credentials is not None:
            cfg.credentials_provider = credentials
        cfg.retry_max_attempts = retries
        return oss.Client(cfg)

    def code(e):
        inner = e.unwrap() if hasattr(e, "unwrap") else e
        return getattr(inner, "code", None)

    def expect_error(name, fn, want):
        try:
            fn()
            check(f"{label} {name}", False, f"no error, wanted {want}")
        except Exception as e:  # noqa: BLE001
            check(f"{label} {name}", code(e) == want, f"{code(e)} != {want}: {e}")

    c = client()
    preset = args.preset_bucket
    made = f"compat-ctl-{uuid.uuid4().hex[:10]}"

    # Buckets: one made at start (--bucket), one made over HTTP.
    r = attempt(f"{label} put into start bucket", lambda: c.put_object(oss.PutObjectRequest(
        bucket=preset, key="a.txt", body=b"preset")))
    check(f"{label} start bucket takes writes", r is not None and r.status_code == 200, r)
    status, body = call(base, "POST", "/buckets", {"name": made})
    check(f"{label} create bucket", (status, body) == (201, {"name": made}), (status, body))
    status, body = call(base, "POST", "/buckets", {"name": made})
    check(f"{label} create bucket twice", status == 409 and body["code"] == "BucketAlreadyExists", (status, body))
    r = attempt(f"{label} put into made bucket", lambda: c.put_object(oss.PutObjectRequest(
        bucket=made, key="b.txt", body=b"made")))
    check(f"{label} made bucket takes writes", r is not None and r.status_code == 200, r)

    # Journal: the SDK's calls, by operation, with the request ids the SDK saw.
    call(base, "DELETE", "/journal")
    put = attempt(f"{label} journal put", lambda: c.put_object(oss.PutObjectRequest(
        bucket=made, key="dir/j k.txt", body=b"journal")))
    got = attempt(f"{label} journal get", lambda: c.get_object(oss.GetObjectRequest(bucket=made, key="dir/j k.txt")))
    expect_error("journal head missing", lambda: c.head_object(oss.HeadObjectRequest(bucket=made, key="none")), "NoSuchKey")
    status, body = call(base, "GET", "/journal")
    entries = (body or {}).get("requests", [])
    seen = [(e["operation"], e["method"], e["path"], e["status"]) for e in entries]
    want = [("PutObject", "PUT", f"/{made}/dir/j%20k.txt", 200), ("GetObject", "GET", f"/{made}/dir/j%20k.txt", 200),
            ("HeadObject", "HEAD", f"/{made}/none", 404)]
    check(f"{label} journal entries", status == 200 and seen == want, seen)
    ids = [e["request_id"] for e in entries[:2]]
    check(f"{label} journal request ids", put is not None and got is not None and ids == [put.request_id, got.request_id],
          (ids, put and put.request_id, got and got.request_id))
    text = json.dumps(body)
    check(f"{label} journal holds no secret", args.access_key_secret not in text and "Signature" not in text
          and "OSS4-HMAC-SHA256" not in text, text)

    # Faults: one 503 without retries; two 503s absorbed by the SDK's retries.
    status, _ = call(base, "PUT", "/faults", {"spec": "get:first=1:503"})
    check(f"{label} set fault", status == 204, status)
    expect_error("fault reaches the SDK", lambda: c.get_object(oss.GetObjectRequest(bucket=made, key="b.txt")), "ServiceUnavailable")
    r = attempt(f"{label} after the fault", lambda: c.get_object(oss.GetObjectRequest(bucket=made, key="b.txt")).body.read())
    check(f"{label} read after the fault", r == b"made", r)
    status, body = call(base, "PUT", "/faults", {"spec": "bogus"})
    check(f"{label} bad fault spec", status == 400 and body["code"] == "InvalidFaultSpec", (status, body))
    call(base, "PUT", "/faults", {"spec": "put:first=2:503"})
    call(base, "DELETE", "/journal")
    r = attempt(f"{label} put through retries", lambda: client(retries=3).put_object(oss.PutObjectRequest(
        bucket=made, key="retried.txt", body=b"third time")))
    check(f"{label} retried put", r is not None and r.status_code == 200, r)
    status, body = call(base, "GET", "/journal")
    statuses = [e["status"] for e in (body or {}).get("requests", []) if e["operation"] == "PutObject"]
    check(f"{label} journal shows the retries", statuses == [503, 503, 200], statuses)
    status, counters = call(base, "GET", "/counters")
    check(f"{label} injected faults counted", status == 200 and counters["injected_faults"] == 3, counters)
    status, _ = call(base, "DELETE", "/faults")
    check(f"{label} clear faults", status == 204, status)

    # Clock skew.
    status, _ = call(base, "PUT", "/clock-skew", {"seconds": -1200})
    check(f"{label} set clock skew", status == 204, status)
    expect_error("skewed clock", lambda: c.get_object(oss.GetObjectRequest(bucket=made, key="b.txt")), "RequestTimeTooSkewed")
    call(base, "PUT", "/clock-skew", {"seconds": 0})
    r = attempt(f"{label} after skew", lambda: c.get_object(oss.GetObjectRequest(bucket=made, key="b.txt")).body.read())
    check(f"{label} read after skew", r == b"made", r)

    # Temporary credentials, issued and expired over HTTP.
    status, issued = call(base, "POST", "/temporary-credentials", {"duration_seconds": 900})
    check(f"{label} issue credentials", status == 200 and issued["AccessKeyId"].startswith("STS."), (status, issued))
    if status == 200:
        sts = client(credentials=oss.credentials.StaticCredentialsProvider(
            issued["AccessKeyId"], issued["AccessKeySecret"], issued["SecurityToken"]))
        r = attempt(f"{label} read with token", lambda: sts.get_object(oss.GetObjectRequest(bucket=made, key="b.txt")).body.read())
        check(f"{label} token works", r == b"made", r)
        status, _ = call(base, "POST", "/temporary-credentials/expire")
        check(f"{label} expire credentials", status == 204, status)
        expect_error("expired token", lambda: sts.get_object(oss.GetObjectRequest(bucket=made, key="b.txt")), "SecurityTokenExpired")

    # A multipart upload aborted out of band.
    init = attempt(f"{label} initiate", lambda: c.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(
        bucket=made, key="mp.bin")))
    if init is not None:
        uid = init.upload_id
        attempt(f"{label} part 1", lambda: c.upload_part(oss.UploadPartRequest(
            bucket=made, key="mp.bin", upload_id=uid, part_number=1, body=b"x" * 1024)))
        status, _ = call(base, "POST", "/multipart-uploads/abort", {"bucket": made, "key": "mp.bin", "upload_id": uid})
        check(f"{label} abort upload", status == 204, status)
        expect_error("part after abort", lambda: c.upload_part(oss.UploadPartRequest(
            bucket=made, key="mp.bin", upload_id=uid, part_number=2, body=b"y")), "NoSuchUpload")
        status, body = call(base, "POST", "/multipart-uploads/abort", {"bucket": made, "key": "mp.bin", "upload_id": uid})
        check(f"{label} abort twice", status == 404 and body["code"] == "NoSuchUpload", (status, body))

    # Reset: only the start bucket is left, empty; counters and journal start over.
    status, _ = call(base, "POST", "/reset")
    check(f"{label} reset", status == 204, status)
    status, counters = call(base, "GET", "/counters")
    check(f"{label} counters after reset", counters == {"requests_received": 0, "injected_faults": 0}, counters)
    r = attempt(f"{label} list buckets", lambda: c.list_buckets(oss.ListBucketsRequest()))
    names = sorted(b.name for b in (r.buckets or [])) if r is not None else None
    other = args.other_region_bucket.split("=", 1)[0] if args.other_region_bucket else None
    check(f"{label} buckets after reset", names == sorted(n for n in (preset, other) if n), names)
    r = attempt(f"{label} list start bucket", lambda: c.list_objects_v2(oss.ListObjectsV2Request(bucket=preset)))
    check(f"{label} start bucket empty", r is not None and not r.contents, r and r.contents)
    status, body = call(base, "GET", "/journal")
    ops = [e["operation"] for e in (body or {}).get("requests", [])]
    check(f"{label} journal after reset", ops == ["ListBuckets", "ListObjectsV2"], ops)
