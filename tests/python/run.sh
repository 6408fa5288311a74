#!/usr/bin/env bash
# Official-client compatibility check: runs the official Alibaba Cloud OSS Python SDKs
# (alibabacloud-oss-v2 and oss2) against a freshly built oss-emulator on loopback, then the
# official credentials library (alibabacloud-credentials) against the emulator's STS and
# credentials-URI fakes (a second emulator, HTTPS with the test certificate under
# crates/oss-emulator/tests/data/tls/), using the credentials it obtains with the OSS SDKs.
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

# 1. Python environment (installs only when something is missing or at another version).
bash "$ROOT/tests/python/venv.sh" "$VENV" >/dev/null

# 2. Build and start the emulator.
cd "$ROOT"
BIN="${OSS_EMULATOR_BIN:-}"
if [[ -z "$BIN" ]]; then
    cargo build -q -p oss-emulator
    BIN="$ROOT/target/debug/oss-emulator"
fi
WORK="$(mktemp -d)"
EMU_PID=""
CRED_PID=""
cleanup() {
    for pid in "$EMU_PID" "$CRED_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

mkfifo "$WORK/out"
OSS_EMULATOR_ACCESS_KEY_SECRET="$AK_SECRET" "$BIN" --listen 127.0.0.1:0 \
    --access-key-id "$AK_ID" --region "$REGION" --bucket-in-region "$OTHER_REGION_BUCKET" \
    >"$WORK/out" 2>"$WORK/emulator.log" &
EMU_PID=$!
exec 3<"$WORK/out"
LINE=""
if ! read -r -t "$START_TIMEOUT" LINE <&3; then
    echo "oss-emulator did not report its address within ${START_TIMEOUT}s" >&2
    cat "$WORK/emulator.log" >&2 || true
    exit 1
fi
ENDPOINT="${LINE#listening on }"
if [[ "$ENDPOINT" != http://* ]]; then
    echo "unexpected emulator output: $LINE" >&2
    exit 1
fi

# 3. Run the official clients.
STATUS=0
"$VENV/bin/python" "$ROOT/tests/python/official_clients.py" \
    --endpoint "$ENDPOINT" --access-key-id "$AK_ID" --access-key-secret "$AK_SECRET" \
    --region "$REGION" --other-region-bucket "$OTHER_REGION_BUCKET" || STATUS=$?
if [[ $STATUS -ne 0 && -s "$WORK/emulator.log" ]]; then
    echo "--- emulator log ---" >&2
    cat "$WORK/emulator.log" >&2
fi

# 4. Official credentials library against the fakes (the library always calls STS over
#    https://<sts_endpoint>, so this emulator serves HTTPS everywhere).
TLS_DIR="$ROOT/crates/oss-emulator/tests/data/tls"
ROLE_ARN="acs:ram::1234567890123456:role/compat-role"
mkfifo "$WORK/cred-out"
OSS_EMULATOR_ACCESS_KEY_SECRET="$AK_SECRET" "$BIN" --listen 127.0.0.1:0 \
    --access-key-id "$AK_ID" --region "$REGION" --role-arn "$ROLE_ARN" \
    --sts-listen 127.0.0.1:0 --credentials-uri-listen 127.0.0.1:0 \
    --tls-cert "$TLS_DIR/cert.pem" --tls-key "$TLS_DIR/key.pem" \
    >"$WORK/cred-out" 2>"$WORK/cred-emulator.log" &
CRED_PID=$!
exec 4<"$WORK/cred-out"
CRED_ENDPOINT="" STS_ENDPOINT="" URI=""
for _ in 1 2 3; do
    if ! read -r -t "$START_TIMEOUT" LINE <&4; then
        echo "oss-emulator (credential fakes) did not report its addresses within ${START_TIMEOUT}s" >&2
        cat "$WORK/cred-emulator.log" >&2 || true
        exit 1
    fi
    case "$LINE" in
        "listening on "*) CRED_ENDPOINT="${LINE#listening on }" ;;
        "sts listening on "*) STS_ENDPOINT="${LINE#sts listening on }" ;;
        "credentials-uri listening on "*) URI="${LINE#credentials-uri listening on }" ;;
        *) echo "unexpected emulator output: $LINE" >&2; exit 1 ;;
    esac
done
if [[ "$CRED_ENDPOINT" != https://* || "$STS_ENDPOINT" != https://* || "$URI" != https://* ]]; then
    echo "unexpected emulator addresses: $CRED_ENDPOINT $STS_ENDPOINT $URI" >&2
    exit 1
fi
CRED_STATUS=0
"$VENV/bin/python" "$ROOT/tests/python/official_credentials.py" \
    --endpoint "$CRED_ENDPOINT" --sts-endpoint "$STS_ENDPOINT" --credentials-uri "$URI" \
    --access-key-id "$AK_ID" --access-key-secret "$AK_SECRET" --role-arn "$ROLE_ARN" \
    --region "$REGION" --ca-bundle "$TLS_DIR/ca.pem" || CRED_STATUS=$?
if [[ $CRED_STATUS -ne 0 && -s "$WORK/cred-emulator.log" ]]; then
    echo "--- credential-fakes emulator log ---" >&2
    cat "$WORK/cred-emulator.log" >&2
fi
if [[ $STATUS -eq 0 ]]; then
    STATUS=$CRED_STATUS
fi
exit "$STATUS"
