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
source "$ROOT/tests/emulator.sh"
emulator_binary
export OSS_EMULATOR_BIN="$BIN"
cd "$ROOT"
emulator_start oss --listen 127.0.0.1:0 \
    --access-key-id "$AK_ID" --region "$REGION" --bucket-in-region "$OTHER_REGION_BUCKET" \
    --bucket "$PRESET_BUCKET" --control-listen 127.0.0.1:0
ENDPOINT="${ADDRESS[oss]}" CONTROL="${ADDRESS[control]}"
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
if [[ $STATUS -ne 0 ]]; then
    emulator_log oss
fi

# 4. The node:test example: starts its own emulator from OSS_EMULATOR_BIN.
EXAMPLE_STATUS=0
node --test "$ROOT/examples/node/example.test.js" || EXAMPLE_STATUS=$?
echo "examples-node: exit $EXAMPLE_STATUS"
if [[ $STATUS -eq 0 ]]; then
    STATUS=$EXAMPLE_STATUS
fi
exit "$STATUS"
