"""What the cross-check scripts driven by the Rust tests (tests/emulator/python_support.rs)
share: the counted checks, the official v2 client pointed at the emulator, and the command
line (--endpoint, --region, --bucket, --access-key-id, --access-key-secret, --phase read or
write). A script calls `run(read, write)`: the phase's function gets the client and the
bucket; an SDK error is a failed check, with its message. Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

import argparse
import sys

import alibabacloud_oss_v2 as oss

PASSED = 0
FAILED = 0


def check(label, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        print(f"FAIL {label}: {detail}", file=sys.stderr)


def client(args):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        args.access_key_id, args.access_key_secret)
    cfg.region = args.region
    cfg.endpoint = args.endpoint
    cfg.use_path_style = True
    cfg.disable_ssl = True
    return oss.Client(cfg)


def run(read, write):
    parser = argparse.ArgumentParser()
    for name in ("--endpoint", "--region", "--access-key-id", "--access-key-secret",
                 "--bucket"):
        parser.add_argument(name, required=True)
    parser.add_argument("--phase", choices=("read", "write"), required=True)
    args = parser.parse_args()
    c = client(args)
    try:
        (read if args.phase == "read" else write)(c, args.bucket)
    except Exception as e:  # an SDK error is a failed check, with its message
        check(f"phase {args.phase}", False, repr(e))
    print(f"cross-check: {PASSED} passed, {FAILED} failed")
    sys.exit(1 if FAILED else 0)
