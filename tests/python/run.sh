#!/usr/bin/env bash
# Official-client compatibility check: runs the official Alibaba Cloud OSS Python SDKs
# (alibabacloud-oss-v2 and oss2) against a freshly built oss-emulator on loopback, then the
# official credentials library (alibabacloud-credentials) against the emulator's STS and
# credentials-URI fakes (a second emulator, HTTPS with the test certificate under
# crates/oss-emulator/tests/data/tls/), using the credentials it obtains with the OSS SDKs.
# Last, the pytest example (examples/pytest) runs as a user's suite would.
#
# Usage: tests/python/run.sh   (from anywhere; needs python3 with venv, and cargo)
# Env:   OSS_EMULATOR_BIN  an already built emulator binary (default: cargo build -p oss-emulator)
#        OSS_COMPAT_VENV  venv directory (default: <repo>/target/pyenv)
#        OSS_COMPAT_START_TIMEOUT  seconds to wait for the emulator (default: 30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${OSS_COMPAT_VENV:-$ROOT/target/pyenv}"
START_TIMEOUT="${OSS_COMPAT_START_TIMEOUT:-30}"
AK_ID="compat-access-key-id"
AK_SECRET="compat-access-key-secret"
REGION="cn-hangzhou"
OTHER_REGION_BUCKET="compat-beijing-bucket=cn-beijing"
PRESET_BUCKET="compat-preset-bucket"

# 1. Python environment (installs only when something is missing or at another version).
bash "$ROOT/tests/python/venv.sh" "$VENV" >/dev/null

# 2. Build and start the emulator.
source "$ROOT/tests/emulator.sh"
emulator_binary
cd "$ROOT"
emulator_start oss --listen 127.0.0.1:0 \
    --access-key-id "$AK_ID" --region "$REGION" --bucket-in-region "$OTHER_REGION_BUCKET" \
    --bucket "$PRESET_BUCKET" --control-listen 127.0.0.1:0
ENDPOINT="${ADDRESS[oss]}" CONTROL="${ADDRESS[control]}"
if [[ "$ENDPOINT" != http://* || "$CONTROL" != http://* ]]; then
    echo "unexpected emulator addresses: $ENDPOINT $CONTROL" >&2
    exit 1
fi

# 3. Run the official clients.
STATUS=0
"$VENV/bin/python" "$ROOT/tests/python/official_clients.py" \
    --endpoint "$ENDPOINT" --access-key-id "$AK_ID" --access-key-secret "$AK_SECRET" \
    --region "$REGION" --other-region-bucket "$OTHER_REGION_BUCKET" \
    --control "$CONTROL" --preset-bucket "$PRESET_BUCKET" || STATUS=$?
if [[ $STATUS -ne 0 ]]; then
    emulator_log oss
fi

# 4. Official credentials library against the fakes (the library always calls STS over
#    https://<sts_endpoint>, so this emulator serves HTTPS everywhere).
TLS_DIR="$ROOT/crates/oss-emulator/tests/data/tls"
ROLE_ARN="acs:ram::1234567890123456:role/compat-role"
emulator_start credentials --listen 127.0.0.1:0 \
    --access-key-id "$AK_ID" --region "$REGION" --role-arn "$ROLE_ARN" \
    --sts-listen 127.0.0.1:0 --credentials-uri-listen 127.0.0.1:0 \
    --tls-cert "$TLS_DIR/cert.pem" --tls-key "$TLS_DIR/key.pem"
CRED_ENDPOINT="${ADDRESS[oss]}" STS_ENDPOINT="${ADDRESS[sts]}" URI="${ADDRESS[credentials-uri]}"
if [[ "$CRED_ENDPOINT" != https://* || "$STS_ENDPOINT" != https://* || "$URI" != https://* ]]; then
    echo "unexpected emulator addresses: $CRED_ENDPOINT $STS_ENDPOINT $URI" >&2
    exit 1
fi
CRED_STATUS=0
"$VENV/bin/python" "$ROOT/tests/python/official_credentials.py" \
    --endpoint "$CRED_ENDPOINT" --sts-endpoint "$STS_ENDPOINT" --credentials-uri "$URI" \
    --access-key-id "$AK_ID" --access-key-secret "$AK_SECRET" --role-arn "$ROLE_ARN" \
    --region "$REGION" --ca-bundle "$TLS_DIR/ca.pem" || CRED_STATUS=$?
if [[ $CRED_STATUS -ne 0 ]]; then
    emulator_log credentials
fi
if [[ $STATUS -eq 0 ]]; then
    STATUS=$CRED_STATUS
fi

# 5. The pytest example: starts its own emulator from OSS_EMULATOR_BIN.
EXAMPLE_STATUS=0
OSS_EMULATOR_BIN="$BIN" PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
    "$ROOT/examples/pytest" || EXAMPLE_STATUS=$?
echo "examples-pytest: exit $EXAMPLE_STATUS"
if [[ $STATUS -eq 0 ]]; then
    STATUS=$EXAMPLE_STATUS
fi
exit "$STATUS"
