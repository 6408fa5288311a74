# Sourced by tests/python/run.sh and tests/node/run.sh: builds (or takes) the emulator binary
# and starts emulators on free ports, stopping them when the script exits.
#
# emulator_binary            sets BIN: $OSS_EMULATOR_BIN, else `cargo build -p oss-emulator`.
# emulator_start NAME ARGS…  runs "$BIN" ARGS… in the background (the root AccessKeySecret
#                            from $AK_SECRET in its environment, stderr in $WORK/NAME.log)
#                            and waits (at most $START_TIMEOUT s) for one stdout line per
#                            listener it reports; then ADDRESS[KIND] holds each address,
#                            KIND being "oss" for `listening on URL` and the word before
#                            `listening on` otherwise (control, sts, credentials-uri, …).
# emulator_log NAME          prints $WORK/NAME.log to stderr under a header.
#
# Needs ROOT, AK_SECRET and START_TIMEOUT; creates WORK (a temporary directory).

WORK="$(mktemp -d)"
EMULATOR_PIDS=()
declare -A ADDRESS

emulator_cleanup() {
    local pid
    for pid in "${EMULATOR_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap emulator_cleanup EXIT

emulator_binary() {
    BIN="${OSS_EMULATOR_BIN:-}"
    if [[ -z "$BIN" ]]; then
        (cd "$ROOT" && cargo build -q -p oss-emulator)
        BIN="$ROOT/target/debug/oss-emulator"
    fi
}

emulator_start() {
    local name="$1" expected=0 arg line kind fd
    shift
    for arg in "$@"; do
        [[ "$arg" == --listen || "$arg" == --*-listen ]] && expected=$((expected + 1))
    done
    mkfifo "$WORK/$name.out"
    OSS_EMULATOR_ACCESS_KEY_SECRET="$AK_SECRET" "$BIN" "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.log" &
    EMULATOR_PIDS+=($!)
    exec {fd}<"$WORK/$name.out"
    ADDRESS=()
    for ((i = 0; i < expected; i++)); do
        if ! read -r -t "$START_TIMEOUT" line <&"$fd"; then
            echo "oss-emulator ($name) did not report its addresses within ${START_TIMEOUT}s" >&2
            emulator_log "$name"
            exit 1
        fi
        case "$line" in
            "listening on "*) kind=oss ;;
            *" listening on "*) kind="${line%% listening on *}" ;;
            *) echo "unexpected emulator output: $line" >&2; exit 1 ;;
        esac
        ADDRESS[$kind]="${line##* listening on }"
        ADDRESS[$kind]="${ADDRESS[$kind]#listening on }"
    done
}

emulator_log() {
    if [[ -s "$WORK/$1.log" ]]; then
        echo "--- emulator log ($1) ---" >&2
        cat "$WORK/$1.log" >&2
    fi
}
