#!/usr/bin/env bash
# Official-client compatibility check for Node.js: runs the official Alibaba Cloud OSS Node.js
# SDK (ali-oss, pinned by tests/node/package-lock.json) with V1 and V4 signatures against a
# freshly built oss-emulator on loopback, including the emulator's HTTP control API; then the
# node:test example (examples/node) runs as a user's suite would.
#
# Usage: tests/node/run.sh   (from anywhere; needs node >= 18 with npm, and cargo)
# Env:   OSS_EMULATOR_BIN  an already built emulator binary (default: cargo build -p oss-emulator)
#        OSS_COMPAT_NODE_DIR  where ali-oss is installed (default: <repo>/target/nodeenv)
#        OSS_COMPAT_START_TIMEOUT  seconds to wait for the emulator (default: 30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_DIR="${OSS_COMPAT_NODE_DIR:-$ROOT/target/nodeenv}"
START_TIMEOUT="${OSS_COMPAT_START_TIMEOUT:-30}"
AK_ID="compat-access-key-id"
AK_SECRET="compat-access-key-secret"
REGION="cn-hangzhou"
OTHER_REGION_BUCKET="compat-beijing-bucket=cn-beijing"
PRESET_BUCKET="compat-preset-bucket"

# 1. ali-oss from npm, exactly as locked (installs only when the lock file changed).
mkdir -p "$NODE_DIR"
if ! cmp -s "$ROOT/tests/node/package-lock.json" "$NODE_DIR/package-lock.json" \
    || [[ ! -d "$NODE_DIR/node_modules/ali-oss" ]]; then
    cp "$ROOT/tests/node/package.json" "$ROOT/tests/node/package-lock.json" "$NODE_DIR/"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
export NODE_PATH="$NODE_DIR/node_modules"

# 2. Build and start the emulator.
cd "$ROOT"
BIN="${OSS_EMULATOR_BIN:-}"
if [[ -z "$BIN" ]]; then
    cargo build -q -p oss-emulator
    BIN="$ROOT/target/debug/oss-emulator"
fi
export OSS_EMULATOR_BIN="$BIN"
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
    --access-key-id "$AK_ID" --region "$REGION" --bucket-in-region "$OTHER_REGION_BUCKET" \
    --bucket "$PRESET_BUCKET" --control-listen 127.0.0.1:0 \
    >"$WORK/out" 2>"$WORK/emulator.log" &
EMU_PID=$!
exec 3<"$WORK/out"
ENDPOINT="" CONTROL=""
for _ in 1 2; do
    if ! read -r -t "$START_TIMEOUT" LINE <&3; then
        echo "oss-emulator did not report its addresses within ${START_TIMEOUT}s" >&2
        cat "$WORK/emulator.log" >&2 || true
        exit 1
    fi
    case "$LINE" in
        "listening on "*) ENDPOINT="${LINE#listening on }" ;;
        "control listening on "*) CONTROL="${LINE#control listening on }" ;;
        *) echo "unexpected emulator output: $LINE" >&2; exit 1 ;;
    esac
done
if [[ "$ENDPOINT" != http://* || "$CONTROL" != http://* ]]; then
    echo "unexpected emulator addresses: $ENDPOINT $CONTROL" >&2
    exit 1
fi

# 3. Run ali-oss.
STATUS=0
node "$ROOT/tests/node/official_clients.js" \
    --endpoint "$ENDPOINT" --access-key-id "$AK_ID" --access-key-secret "$AK_SECRET" \
    --region "$REGION" --other-region-bucket "$OTHER_REGION_BUCKET" \
    --control "$CONTROL" --preset-bucket "$PRESET_BUCKET" || STATUS=$?
if [[ $STATUS -ne 0 && -s "$WORK/emulator.log" ]]; then
    echo "--- emulator log ---" >&2
    cat "$WORK/emulator.log" >&2
fi

# 4. The node:test example: starts its own emulator from OSS_EMULATOR_BIN.
EXAMPLE_STATUS=0
node --test "$ROOT/examples/node/example.test.js" || EXAMPLE_STATUS=$?
echo "examples-node: exit $EXAMPLE_STATUS"
if [[ $STATUS -eq 0 ]]; then
    STATUS=$EXAMPLE_STATUS
fi
exit "$STATUS"
