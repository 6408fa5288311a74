#!/usr/bin/env bash
# Official-client compatibility check: runs the official Alibaba Cloud OSS Python SDKs
# (alibabacloud-oss-v2 and oss2) against a freshly built oss-emulator on loopback.
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
PACKAGES=(oss2==2.19.1 alibabacloud-oss-v2==1.4.1 alibabacloud-credentials)

# 1. Python environment (installs only when something is missing or at another version).
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
assert m.version("oss2") == "2.19.1"
assert m.version("alibabacloud-oss-v2") == "1.4.1"
m.version("alibabacloud-credentials")
PY
then
    "$VENV/bin/pip" install -q --disable-pip-version-check "${PACKAGES[@]}"
fi

# 2. Build and start the emulator.
cd "$ROOT"
BIN="${OSS_EMULATOR_BIN:-}"
if [[ -z "$BIN" ]]; then
    cargo build -q -p oss-emulator
    BIN="$ROOT/target/debug/oss-emulator"
fi
WORK="$(mktemp -d)"
EMU_PID=""
cleanup() {
    if [[ -n "$EMU_PID" ]] && kill -0 "$EMU_PID" 2>/dev/null; then
        kill "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mkfifo "$WORK/out"
OSS_EMULATOR_ACCESS_KEY_SECRET="$AK_SECRET" "$BIN" --listen 127.0.0.1:0 \
    --access-key-id "$AK_ID" --region "$REGION" >"$WORK/out" 2>"$WORK/emulator.log" &
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
    --region "$REGION" || STATUS=$?
if [[ $STATUS -ne 0 && -s "$WORK/emulator.log" ]]; then
    echo "--- emulator log ---" >&2
    cat "$WORK/emulator.log" >&2
fi
exit "$STATUS"
