#!/usr/bin/env bash
# The Python environment of the official-client checks: a virtual environment (default
# <repo>/target/pyenv, or $1) with the pinned official SDKs, installed from PyPI only when
# something is missing or at another version (pytest runs examples/pytest). Prints the
# interpreter's path.
#
# Used by tests/python/run.sh and by the Rust cross-check (tests/emulator/python_cross_check.rs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${1:-$ROOT/target/pyenv}"
PACKAGES=(oss2==2.19.1 alibabacloud-oss-v2==1.4.1 alibabacloud-credentials pytest==9.2.0)

if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" >&2
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
assert m.version("oss2") == "2.19.1"
assert m.version("alibabacloud-oss-v2") == "1.4.1"
assert m.version("pytest") == "9.2.0"
m.version("alibabacloud-credentials")
PY
then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PACKAGES[@]}" >&2
fi
echo "$VENV/bin/python"
