"""pytest fixtures that run oss-emulator for a test session.

`oss_emulator` starts the binary once per session on free ports (`--listen 127.0.0.1:0`: the
emulator picks the port and prints it, so there is no race for a port), with the control API
on (`--control-listen 127.0.0.1:0`) and one bucket made at start (`--bucket`), and stops it at
the end. `emulator` hands each test the same emulator after a reset (POST /reset): no bucket
but the start one, no faults, no clock skew, an empty journal.

The binary: $OSS_EMULATOR_BIN, else `oss-emulator` on PATH (`cargo install --path
crates/oss-emulator`, or `cargo build -p oss-emulator` and point OSS_EMULATOR_BIN at
target/debug/oss-emulator).
"""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

ACCESS_KEY_ID = "example-access-key-id"
ACCESS_KEY_SECRET = "example-access-key-secret"
REGION = "cn-hangzhou"
BUCKET = "example-bucket"


@dataclass
class Emulator:
    """A running oss-emulator: its OSS endpoint, its control API and the root AccessKey."""

    endpoint: str
    control_url: str
    access_key_id: str = ACCESS_KEY_ID
    access_key_secret: str = ACCESS_KEY_SECRET
    region: str = REGION
    bucket: str = BUCKET

    def control(self, method, path, body=None):
        """One control API call: (HTTP status, decoded JSON body or None)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.control_url + path, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw else None

    def journal(self):
        """The OSS requests received since the last reset: dicts with operation, method,
        path, status and request_id."""
        return self.control("GET", "/journal")[1]["requests"]


def _binary():
    path = os.environ.get("OSS_EMULATOR_BIN") or shutil.which("oss-emulator")
    if not path:
        pytest.skip("set OSS_EMULATOR_BIN or put oss-emulator on PATH")
    return path


@pytest.fixture(scope="session")
def oss_emulator():
    proc = subprocess.Popen(
        [_binary(), "--listen", "127.0.0.1:0", "--control-listen", "127.0.0.1:0",
         "--access-key-id", ACCESS_KEY_ID, "--region", REGION, "--bucket", BUCKET],
        env={**os.environ, "OSS_EMULATOR_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET},
        stdout=subprocess.PIPE, text=True,
    )
    try:
        # One line per listener, printed once it accepts connections:
        # "listening on http://127.0.0.1:PORT", "control listening on http://127.0.0.1:PORT".
        addresses = {}
        for _ in range(2):
            line = proc.stdout.readline().strip()
            if not line:
                raise RuntimeError(f"oss-emulator exited with status {proc.wait()} before listening")
            kind, address = line.rsplit(" ", 1)
            addresses[kind] = address
        yield Emulator(endpoint=addresses["listening on"], control_url=addresses["control listening on"])
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def emulator(oss_emulator):
    status, _ = oss_emulator.control("POST", "/reset")
    assert status == 204
    return oss_emulator
