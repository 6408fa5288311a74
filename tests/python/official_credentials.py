#!/usr/bin/env python3
"""Drives the official Alibaba Cloud credentials library against the emulator's credential fakes.

alibabacloud-credentials (the library the official SDKs delegate to) obtains temporary
credentials
  (a) with `ram_role_arn` (AssumeRole, POP HMAC-SHA1 signed by the root AccessKey) from the
      STS fake, and
  (b) with `credentials_uri` from the credentials-URI fake,
both over HTTPS with the emulator's test certificate. Then the official OSS clients use them
on the emulator's OSS API (HTTPS): alibabacloud-oss-v2 with a StaticCredentialsProvider and
with a CredentialsProviderFunc adapter over the credentials client (V4), and oss2.StsAuth (V1)
and oss2.ProviderAuthV4 (V4). Each client puts, gets and deletes an object.

Prints one line per failed check and ends with `official-credentials: N passed, M failed`.
Exit status 1 when any check failed.
"""

import argparse
import contextlib
import logging
import os
import sys
import time
import traceback
import uuid


def trust_test_ca(path):
    """Makes every TLS client of the process trust only `path` (the emulator's test CA).

    alibabacloud-oss-v2 sends with `requests.Session.send(verify=True)`, which ignores
    REQUESTS_CA_BUNDLE, and Tea loads `certifi.where()` into its SSL context; both end at
    certifi, so certifi is pointed at the test CA before `requests` is imported.
    """
    import certifi
    certifi.where = lambda: path
    os.environ["REQUESTS_CA_BUNDLE"] = path
    os.environ["SSL_CERT_FILE"] = path


PASSED = 0
FAILED = 0


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
    except Exception as e:  # noqa: BLE001 - any library error is a failed check
        check(label, False, f"{type(e).__name__}: {e}")
        traceback.print_exc(file=sys.stdout)
        return None


@contextlib.contextmanager
def expected_failure():
    """Silences the library's own error log (logger `credentials`) for a failure we provoke."""
    logger = logging.getLogger("credentials")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def check_temporary(label, ak, secret, token, expiration=None, lifetime=None):
    check(f"{label} AccessKeyId is STS.*", isinstance(ak, str) and ak.startswith("STS."), repr(ak))
    check(f"{label} secret present", bool(secret))
    check(f"{label} token present", bool(token))
    if expiration is not None and lifetime is not None:
        remaining = expiration - time.time()
        check(f"{label} expiration ~{lifetime}s ahead", lifetime - 120 < remaining <= lifetime + 5,
              f"{remaining:.0f}s")


# ---------------------------------------------------------------- alibabacloud-credentials

def sts_host(endpoint):
    """`https://127.0.0.1:PORT` -> `127.0.0.1:PORT`: the library always builds https://<host>."""
    return endpoint.split("://", 1)[1].rstrip("/")


def via_ram_role_arn(args):
    from alibabacloud_credentials.client import Client
    from alibabacloud_credentials.models import Config
    from alibabacloud_credentials.provider import RamRoleArnCredentialsProvider

    label = "cred-py ram_role_arn"
    client = Client(Config(
        type="ram_role_arn",
        access_key_id=args.access_key_id,
        access_key_secret=args.access_key_secret,
        role_arn=args.role_arn,
        role_session_name="official-python",
        sts_endpoint=sts_host(args.sts_endpoint),
    ))
    cred = client.get_credential()
    check_temporary(label, cred.access_key_id, cred.access_key_secret, cred.security_token)
    check(f"{label} type", cred.type == "ram_role_arn", repr(cred.type))

    # The provider class directly, with a 900 s session: Expiration parsed by the library.
    provider = RamRoleArnCredentialsProvider(
        access_key_id=args.access_key_id,
        access_key_secret=args.access_key_secret,
        role_arn=args.role_arn,
        role_session_name="official-python-900",
        duration_seconds=900,
        sts_endpoint=sts_host(args.sts_endpoint),
    )
    c = provider.get_credentials()
    check_temporary(f"{label} (900 s)", c.get_access_key_id(), c.get_access_key_secret(),
                    c.get_security_token(), c.get_expiration(), 900)

    # A wrong role ARN surfaces the fake's error (EntityNotExist.Role, HTTP 404).
    bad = RamRoleArnCredentialsProvider(
        access_key_id=args.access_key_id,
        access_key_secret=args.access_key_secret,
        role_arn=args.role_arn.rsplit("/", 1)[0] + "/no-such-role",
        sts_endpoint=sts_host(args.sts_endpoint),
    )
    try:
        with expected_failure():
            bad.get_credentials()
        check(f"{label} wrong role refused", False, "no error")
    except Exception as e:  # noqa: BLE001
        check(f"{label} wrong role refused", "EntityNotExist.Role" in str(e) and "404" in str(e), str(e))

    # A wrong secret: the POP signature does not verify.
    wrong = RamRoleArnCredentialsProvider(
        access_key_id=args.access_key_id,
        access_key_secret=args.access_key_secret + "x",
        role_arn=args.role_arn,
        sts_endpoint=sts_host(args.sts_endpoint),
    )
    try:
        with expected_failure():
            wrong.get_credentials()
        check(f"{label} wrong secret refused", False, "no error")
    except Exception as e:  # noqa: BLE001
        check(f"{label} wrong secret refused", "SignatureDoesNotMatch" in str(e), str(e))
    return client, (cred.access_key_id, cred.access_key_secret, cred.security_token)


def via_credentials_uri(args):
    from alibabacloud_credentials.client import Client
    from alibabacloud_credentials.models import Config
    from alibabacloud_credentials.provider import URLCredentialsProvider

    label = "cred-py credentials_uri"
    client = Client(Config(type="credentials_uri", credentials_uri=args.credentials_uri))
    cred = client.get_credential()
    check_temporary(label, cred.access_key_id, cred.access_key_secret, cred.security_token)
    c = URLCredentialsProvider(uri=args.credentials_uri).get_credentials()
    check_temporary(f"{label} (provider)", c.get_access_key_id(), c.get_access_key_secret(),
                    c.get_security_token(), c.get_expiration(), 3600)
    return client, (cred.access_key_id, cred.access_key_secret, cred.security_token)


# ---------------------------------------------------------------- OSS clients with the results

BODY = b"temporary credentials from the official credentials library"


def oss_v2_round_trip(args, label, provider):
    import alibabacloud_oss_v2 as oss

    cfg = oss.config.load_default()
    cfg.credentials_provider = provider
    cfg.region = args.region
    cfg.endpoint = args.endpoint
    cfg.use_path_style = True
    client = oss.Client(cfg)
    bucket = f"cred-v2-{uuid.uuid4().hex[:10]}"
    key = "from-credentials.txt"
    r = attempt(f"{label} put_bucket", lambda: client.put_bucket(oss.PutBucketRequest(bucket=bucket)))
    check(f"{label} put_bucket 200", r is not None and r.status_code == 200)
    r = attempt(f"{label} put", lambda: client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=BODY)))
    check(f"{label} put 200", r is not None and r.status_code == 200)
    r = attempt(f"{label} get", lambda: client.get_object(oss.GetObjectRequest(bucket=bucket, key=key)).body.read())
    check(f"{label} get body", r == BODY, repr(r)[:80])
    r = attempt(f"{label} delete", lambda: client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key=key)))
    check(f"{label} delete 204", r is not None and r.status_code == 204)
    r = attempt(f"{label} delete_bucket", lambda: client.delete_bucket(oss.DeleteBucketRequest(bucket=bucket)))
    check(f"{label} delete_bucket 204", r is not None and r.status_code == 204)


def oss2_round_trip(args, label, auth):
    import oss2

    name = f"cred-o2-{uuid.uuid4().hex[:10]}"
    bucket = oss2.Bucket(auth, args.endpoint, name, is_path_style=True, region=args.region)
    key = "from-credentials.txt"
    r = attempt(f"{label} create_bucket", lambda: bucket.create_bucket())
    check(f"{label} create_bucket 200", r is not None and r.status == 200)
    r = attempt(f"{label} put", lambda: bucket.put_object(key, BODY))
    check(f"{label} put 200", r is not None and r.status == 200)
    r = attempt(f"{label} get", lambda: bucket.get_object(key).read())
    check(f"{label} get body", r == BODY, repr(r)[:80])
    r = attempt(f"{label} delete", lambda: bucket.delete_object(key))
    check(f"{label} delete 204", r is not None and r.status == 204)
    r = attempt(f"{label} delete_bucket", lambda: bucket.delete_bucket())
    check(f"{label} delete_bucket 204", r is not None and r.status == 204)


def use_everywhere(args, source, cred_client, values):
    import alibabacloud_oss_v2 as oss
    import oss2

    ak, secret, token = values
    oss_v2_round_trip(args, f"oss-v2 static ({source})",
                      oss.credentials.StaticCredentialsProvider(ak, secret, token))

    def adapter():
        c = cred_client.get_credential()
        return oss.credentials.Credentials(c.access_key_id, c.access_key_secret, c.security_token)

    oss_v2_round_trip(args, f"oss-v2 adapter ({source})", oss.credentials.CredentialsProviderFunc(adapter))
    oss2_round_trip(args, f"oss2 StsAuth v1 ({source})", oss2.StsAuth(ak, secret, token))
    provider = oss2.credentials.StaticCredentialsProvider(ak, secret, token)
    oss2_round_trip(args, f"oss2 v4 ({source})", oss2.ProviderAuthV4(provider))

    # The same AccessKey without its token is refused, as by real OSS.
    tokenless = oss2.Bucket(oss2.Auth(ak, secret), args.endpoint, "any-bucket", is_path_style=True)
    try:
        tokenless.get_bucket_info()
        check(f"tokenless ({source}) refused", False, "no error")
    except oss2.exceptions.OssError as e:
        check(f"tokenless ({source}) refused", e.code == "InvalidAccessKeyId", f"{e.status} {e.code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="emulator OSS endpoint (https)")
    parser.add_argument("--sts-endpoint", required=True, help="STS fake, https://127.0.0.1:PORT")
    parser.add_argument("--credentials-uri", required=True, help="credentials-URI fake, full URL")
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--role-arn", required=True)
    parser.add_argument("--region", default="cn-hangzhou")
    parser.add_argument("--ca-bundle", required=True, help="PEM of the CA that signed the emulator's certificate")
    args = parser.parse_args()
    trust_test_ca(args.ca_bundle)

    got = attempt("ram_role_arn", lambda: via_ram_role_arn(args))
    if got:
        attempt("use ram_role_arn credentials", lambda: use_everywhere(args, "ram_role_arn", *got))
    got = attempt("credentials_uri", lambda: via_credentials_uri(args))
    if got:
        attempt("use credentials_uri credentials", lambda: use_everywhere(args, "credentials_uri", *got))

    print(f"official-credentials: {PASSED} passed, {FAILED} failed", flush=True)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
