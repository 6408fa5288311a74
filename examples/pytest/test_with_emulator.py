"""A pytest suite against oss-emulator with the official SDK (alibabacloud-oss-v2): plain
calls, then what only an emulator can do: inject faults, skew the clock, expire temporary
credentials, and read back which requests the code under test sent."""

import alibabacloud_oss_v2 as oss
import pytest


def make_client(emulator, retries=3, credentials=None):
    cfg = oss.config.load_default()
    cfg.credentials_provider = credentials or oss.credentials.StaticCredentialsProvider(
        emulator.access_key_id, emulator.access_key_secret)
    cfg.region = emulator.region
    cfg.endpoint = emulator.endpoint
    cfg.use_path_style = True  # the emulator listens on an IP address
    cfg.disable_ssl = True
    cfg.retry_max_attempts = retries
    return oss.Client(cfg)


def upload_report(client, bucket, name, data):
    """The code under test: stores a report, returns its ETag."""
    return client.put_object(oss.PutObjectRequest(bucket=bucket, key=f"reports/{name}", body=data)).etag


def test_round_trip(emulator):
    client = make_client(emulator)
    etag = upload_report(client, emulator.bucket, "a.txt", b"hello")
    got = client.get_object(oss.GetObjectRequest(bucket=emulator.bucket, key="reports/a.txt"))
    assert got.body.read() == b"hello"
    assert got.etag == etag


def test_each_test_starts_empty(emulator):
    client = make_client(emulator)
    listed = client.list_objects_v2(oss.ListObjectsV2Request(bucket=emulator.bucket))
    assert not listed.contents


def test_retries_through_server_errors(emulator):
    # The first two PutObject requests get 503 ServiceUnavailable; the SDK retries.
    assert emulator.control("PUT", "/faults", {"spec": "put:first=2:503"})[0] == 204
    upload_report(make_client(emulator, retries=3), emulator.bucket, "b.txt", b"data")
    statuses = [e["status"] for e in emulator.journal() if e["operation"] == "PutObject"]
    assert statuses == [503, 503, 200]


def test_gives_up_without_retries(emulator):
    emulator.control("PUT", "/faults", {"spec": "put:always:503"})
    with pytest.raises(oss.exceptions.OperationError) as err:
        upload_report(make_client(emulator, retries=1), emulator.bucket, "c.txt", b"data")
    assert err.value.unwrap().code == "ServiceUnavailable"


def test_skewed_clock_is_refused(emulator):
    emulator.control("PUT", "/clock-skew", {"seconds": -1200})  # 20 minutes behind
    with pytest.raises(oss.exceptions.OperationError) as err:
        upload_report(make_client(emulator, retries=1), emulator.bucket, "d.txt", b"data")
    assert err.value.unwrap().code == "RequestTimeTooSkewed"


def test_expired_security_token(emulator):
    status, issued = emulator.control("POST", "/temporary-credentials", {"duration_seconds": 900})
    assert status == 200
    client = make_client(emulator, retries=1, credentials=oss.credentials.StaticCredentialsProvider(
        issued["AccessKeyId"], issued["AccessKeySecret"], issued["SecurityToken"]))
    upload_report(client, emulator.bucket, "e.txt", b"data")
    emulator.control("POST", "/temporary-credentials/expire")
    with pytest.raises(oss.exceptions.OperationError) as err:
        upload_report(client, emulator.bucket, "e.txt", b"data")
    assert err.value.unwrap().code == "SecurityTokenExpired"


def test_buckets_made_over_the_control_api(emulator):
    assert emulator.control("POST", "/buckets", {"name": "other-bucket"}) == (201, {"name": "other-bucket"})
    upload_report(make_client(emulator), "other-bucket", "f.txt", b"data")
    assert [(e["operation"], e["path"]) for e in emulator.journal()] == [("PutObject", "/other-bucket/reports/f.txt")]
