#!/usr/bin/env python3
"""Drives the official Alibaba Cloud OSS Python clients against a running oss-emulator.

Clients: alibabacloud-oss-v2 (V4, path style), oss2 with oss2.Auth (V1) and oss2 with
oss2.ProviderAuthV4 (V4). Each one creates its own bucket, uploads objects (including a key
with a space, '+' and non-ASCII text), reads them back whole and by range, heads them, lists
with prefix and delimiter, lists keys with edge whitespace, a control character and '+'
(encoding-type=url), deletes everything, and checks two failures: a wrong secret
(SignatureDoesNotMatch) and a HEAD of a missing key (NoSuchKey, decoded from x-oss-err).

Prints one line per failed check and ends with `official-clients: N passed, M failed`.
Exit status 1 when any check failed.
"""

import argparse
import sys
import traceback
import uuid

PASSED = 0
FAILED = 0

# key -> body. The listing below expects exactly one direct child and one common prefix
# under "dir/".
OBJECTS = {
    "top.txt": b"top-level object",
    "dir/a b+c \u00fcn\u00efc\u00f8de.txt": "bytes with unicode \u6253\u5305\u6d4b\u8bd5".encode("utf-8"),
    "dir/sub/x.bin": bytes(range(256)) * 4,
}
SPECIAL_KEY = "dir/a b+c \u00fcn\u00efc\u00f8de.txt"
LIST_PREFIX = "dir/"
EXPECTED_CONTENTS = [SPECIAL_KEY]
EXPECTED_PREFIXES = ["dir/sub/"]
META = {"author": "ann", "purpose": "compat-check"}

# bugs.md B05/B06: whitespace must survive listings exactly; a control character and '+'
# must round-trip through encoding-type=url.
TRICKY_PREFIX = "tricky/"
TRICKY = [
    "tricky/trail ",
    "tricky/  lead",
    "tricky/three   spaces",
    "tricky/tab\tend\t",
    "tricky/bad\x08name.txt",
    "tricky/c++/a b.txt",
]
TRICKY_CONTENTS = sorted(k for k in TRICKY if "/" not in k[len(TRICKY_PREFIX):])
TRICKY_PREFIXES = ["tricky/c++/"]


def check(label, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        print(f"FAIL {label}: {detail}", flush=True)


def attempt(label, fn):
    """Runs fn(); an exception counts as one failed check. Returns fn's value or None."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - any client error is a failed check
        check(label, False, f"{type(e).__name__}: {e}")
        traceback.print_exc(file=sys.stdout)
        return None


def unique_bucket(tag):
    return f"compat-{tag}-{uuid.uuid4().hex[:10]}"


# ---------------------------------------------------------------- alibabacloud-oss-v2 (V4)

def run_oss_v2(args):
    import alibabacloud_oss_v2 as oss

    def make_client(secret):
        cfg = oss.config.load_default()
        cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(args.access_key_id, secret)
        cfg.region = args.region
        cfg.endpoint = args.endpoint
        cfg.use_path_style = True
        cfg.disable_ssl = True
        return oss.Client(cfg)

    def service_code(err):
        inner = err.unwrap() if hasattr(err, "unwrap") else err
        return getattr(inner, "code", None)

    label = "oss-v2"
    client = make_client(args.access_key_secret)
    bucket = unique_bucket("v2")

    r = attempt(f"{label} put_bucket", lambda: client.put_bucket(oss.PutBucketRequest(bucket=bucket)))
    if r is None:
        return
    check(f"{label} put_bucket status", r.status_code == 200, r.status_code)

    for key, body in OBJECTS.items():
        r = attempt(f"{label} put {key!r}", lambda: client.put_object(
            oss.PutObjectRequest(bucket=bucket, key=key, body=body, metadata=META)))
        if r is not None:
            check(f"{label} put {key!r} etag", r.etag and r.etag.startswith('"'), r.etag)
            check(f"{label} put {key!r} crc", r.hash_crc64 is not None, r.hash_crc64)

    for key, body in OBJECTS.items():
        r = attempt(f"{label} get {key!r}", lambda: client.get_object(oss.GetObjectRequest(bucket=bucket, key=key)))
        if r is not None:
            check(f"{label} get {key!r} bytes", r.body.read() == body, "content differs")

    r = attempt(f"{label} range get", lambda: client.get_object(oss.GetObjectRequest(
        bucket=bucket, key=SPECIAL_KEY, range_header="bytes=2-5", range_behavior="standard")))
    if r is not None:
        got = r.body.read()
        check(f"{label} range bytes", got == OBJECTS[SPECIAL_KEY][2:6], got)
        check(f"{label} range status", r.status_code == 206, r.status_code)

    r = attempt(f"{label} head", lambda: client.head_object(oss.HeadObjectRequest(bucket=bucket, key=SPECIAL_KEY)))
    if r is not None:
        check(f"{label} head size", r.content_length == len(OBJECTS[SPECIAL_KEY]), r.content_length)
        check(f"{label} head etag", r.etag and r.etag.startswith('"') and r.etag.endswith('"'), r.etag)
        check(f"{label} head metadata", dict(r.metadata or {}) == META, r.metadata)

    r = attempt(f"{label} list v2", lambda: client.list_objects_v2(oss.ListObjectsV2Request(
        bucket=bucket, prefix=LIST_PREFIX, delimiter="/")))
    if r is not None:
        keys = [o.key for o in (r.contents or [])]
        prefixes = [p.prefix for p in (r.common_prefixes or [])]
        check(f"{label} list v2 contents", keys == EXPECTED_CONTENTS, keys)
        check(f"{label} list v2 prefixes", prefixes == EXPECTED_PREFIXES, prefixes)

    r = attempt(f"{label} list v1", lambda: client.list_objects(oss.ListObjectsRequest(
        bucket=bucket, prefix=LIST_PREFIX, delimiter="/")))
    if r is not None:
        keys = [o.key for o in (r.contents or [])]
        prefixes = [p.prefix for p in (r.common_prefixes or [])]
        check(f"{label} list v1 contents", keys == EXPECTED_CONTENTS, keys)
        check(f"{label} list v1 prefixes", prefixes == EXPECTED_PREFIXES, prefixes)

    for key in TRICKY:
        attempt(f"{label} put {key!r}", lambda: client.put_object(
            oss.PutObjectRequest(bucket=bucket, key=key, body=key.encode("utf-8"))))
    r = attempt(f"{label} list tricky", lambda: client.list_objects_v2(oss.ListObjectsV2Request(
        bucket=bucket, prefix=TRICKY_PREFIX, delimiter="/", encoding_type="url")))
    if r is not None:
        keys = [o.key for o in (r.contents or [])]
        prefixes = [p.prefix for p in (r.common_prefixes or [])]
        check(f"{label} list tricky contents", keys == TRICKY_CONTENTS, keys)
        check(f"{label} list tricky prefixes", prefixes == TRICKY_PREFIXES, prefixes)
        for key in keys:
            got = attempt(f"{label} get listed {key!r}", lambda: client.get_object(
                oss.GetObjectRequest(bucket=bucket, key=key)).body.read())
            if got is not None:
                check(f"{label} get listed {key!r}", got == key.encode("utf-8"), got)

    # Negative: HEAD of a missing key -> NoSuchKey via x-oss-err.
    try:
        client.head_object(oss.HeadObjectRequest(bucket=bucket, key="missing/none.txt"))
        check(f"{label} head missing", False, "no error raised")
    except Exception as e:  # noqa: BLE001
        check(f"{label} head missing code", service_code(e) == "NoSuchKey", service_code(e))

    # Negative: wrong secret -> SignatureDoesNotMatch.
    bad = make_client("not-the-secret")
    try:
        bad.get_object(oss.GetObjectRequest(bucket=bucket, key="top.txt"))
        check(f"{label} wrong secret", False, "no error raised")
    except Exception as e:  # noqa: BLE001
        check(f"{label} wrong secret code", service_code(e) == "SignatureDoesNotMatch", service_code(e))

    for key in list(OBJECTS) + TRICKY:
        r = attempt(f"{label} delete {key!r}", lambda: client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key=key)))
        if r is not None:
            check(f"{label} delete {key!r} status", r.status_code == 204, r.status_code)
    r = attempt(f"{label} delete_bucket", lambda: client.delete_bucket(oss.DeleteBucketRequest(bucket=bucket)))
    if r is not None:
        check(f"{label} delete_bucket status", r.status_code == 204, r.status_code)


# ---------------------------------------------------------------- oss2 (V1 and V4)

def run_oss2(args, version):
    import oss2

    def make_auth(secret):
        if version == "v1":
            return oss2.Auth(args.access_key_id, secret)
        provider = oss2.credentials.StaticCredentialsProvider(args.access_key_id, secret)
        return oss2.ProviderAuthV4(provider)

    def make_bucket(secret, name):
        return oss2.Bucket(make_auth(secret), args.endpoint, name, is_path_style=True, region=args.region)

    label = f"oss2-{version}"
    name = unique_bucket(f"oss2{version}")
    bucket = make_bucket(args.access_key_secret, name)

    r = attempt(f"{label} create_bucket", lambda: bucket.create_bucket())
    if r is None:
        return
    check(f"{label} create_bucket status", r.status == 200, r.status)

    headers = {f"x-oss-meta-{k}": v for k, v in META.items()}
    for key, body in OBJECTS.items():
        r = attempt(f"{label} put {key!r}", lambda: bucket.put_object(key, body, headers=headers))
        if r is not None:
            check(f"{label} put {key!r} crc", r.crc is not None, r.crc)

    for key, body in OBJECTS.items():
        r = attempt(f"{label} get {key!r}", lambda: bucket.get_object(key).read())
        if r is not None:
            check(f"{label} get {key!r} bytes", r == body, "content differs")

    r = attempt(f"{label} range get", lambda: bucket.get_object(SPECIAL_KEY, byte_range=(2, 5)))
    if r is not None:
        got = r.read()
        check(f"{label} range bytes", got == OBJECTS[SPECIAL_KEY][2:6], got)
        check(f"{label} range status", r.status == 206, r.status)

    r = attempt(f"{label} head", lambda: bucket.head_object(SPECIAL_KEY))
    if r is not None:
        check(f"{label} head size", r.content_length == len(OBJECTS[SPECIAL_KEY]), r.content_length)
        check(f"{label} head etag", bool(r.etag), r.etag)
        meta = {k[len("x-oss-meta-"):].lower(): v for k, v in r.headers.items() if k.lower().startswith("x-oss-meta-")}
        check(f"{label} head metadata", meta == META, meta)

    r = attempt(f"{label} list", lambda: bucket.list_objects(prefix=LIST_PREFIX, delimiter="/"))
    if r is not None:
        keys = [o.key for o in r.object_list]
        check(f"{label} list contents", keys == EXPECTED_CONTENTS, keys)
        check(f"{label} list prefixes", r.prefix_list == EXPECTED_PREFIXES, r.prefix_list)

    r = attempt(f"{label} list v2", lambda: bucket.list_objects_v2(prefix=LIST_PREFIX, delimiter="/"))
    if r is not None:
        keys = [o.key for o in r.object_list]
        check(f"{label} list v2 contents", keys == EXPECTED_CONTENTS, keys)
        check(f"{label} list v2 prefixes", r.prefix_list == EXPECTED_PREFIXES, r.prefix_list)

    for key in TRICKY:
        attempt(f"{label} put {key!r}", lambda: bucket.put_object(key, key.encode("utf-8")))
    for listing in ("list", "list v2"):
        fn = bucket.list_objects if listing == "list" else bucket.list_objects_v2
        r = attempt(f"{label} {listing} tricky", lambda: fn(prefix=TRICKY_PREFIX, delimiter="/"))
        if r is not None:
            keys = [o.key for o in r.object_list]
            check(f"{label} {listing} tricky contents", keys == TRICKY_CONTENTS, keys)
            check(f"{label} {listing} tricky prefixes", r.prefix_list == TRICKY_PREFIXES, r.prefix_list)
            for key in keys:
                got = attempt(f"{label} get listed {key!r}", lambda: bucket.get_object(key).read())
                if got is not None:
                    check(f"{label} get listed {key!r}", got == key.encode("utf-8"), got)

    try:
        bucket.head_object("missing/none.txt")
        check(f"{label} head missing", False, "no error raised")
    except oss2.exceptions.OssError as e:
        check(f"{label} head missing code", e.code == "NoSuchKey", e.code)

    bad = make_bucket("not-the-secret", name)
    try:
        bad.get_object("top.txt")
        check(f"{label} wrong secret", False, "no error raised")
    except oss2.exceptions.OssError as e:
        check(f"{label} wrong secret code", e.code == "SignatureDoesNotMatch", e.code)

    for key in list(OBJECTS) + TRICKY:
        r = attempt(f"{label} delete {key!r}", lambda: bucket.delete_object(key))
        if r is not None:
            check(f"{label} delete {key!r} status", r.status == 204, r.status)
    r = attempt(f"{label} delete_bucket", lambda: bucket.delete_bucket())
    if r is not None:
        check(f"{label} delete_bucket status", r.status == 204, r.status)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="emulator endpoint, e.g. http://127.0.0.1:9000")
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--region", default="cn-hangzhou")
    args = parser.parse_args()

    attempt("oss-v2 client", lambda: run_oss_v2(args))
    attempt("oss2-v1 client", lambda: run_oss2(args, "v1"))
    attempt("oss2-v4 client", lambda: run_oss2(args, "v4"))

    print(f"official-clients: {PASSED} passed, {FAILED} failed", flush=True)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
