//! Runs the official OSS SDKs of other languages against this crate's binary.
//!
//! Python: `tests/python/run.sh` creates a virtual environment under `target/pyenv`, installs
//! the pinned SDKs from PyPI when missing, starts the emulator on loopback and checks every
//! operation with `alibabacloud-oss-v2` (V4) and `oss2` (V1 and V4); then the official
//! credentials library (`alibabacloud-credentials`) obtains credentials from the STS and
//! credentials-URI fakes (over HTTPS) and the OSS SDKs use them. Needs `python3` with `venv`.
//! Both scripts drive the HTTP control API (`--control-listen`) beside the SDK last, then run
//! the examples a user copies (`examples/pytest`, `examples/node`).
//!
//! Node.js: `tests/node/run.sh` installs `ali-oss` as locked by `tests/node/package-lock.json`
//! under `target/nodeenv` (npm), starts the emulator on loopback and checks every operation
//! with V1 and V4 signatures. Needs `node` (18 or later) with `npm`.

use std::path::Path;
use std::process::Command;

/// Runs `script` (relative to the repository root) with the emulator binary and returns its
/// stdout; panics when it fails.
fn run_script(script: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = Command::new("bash")
        .arg(root.join(script))
        .env("OSS_EMULATOR_BIN", env!("CARGO_BIN_EXE_oss-emulator"))
        .output()
        .unwrap_or_else(|e| panic!("bash runs {script}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

/// The last `PREFIX: N passed, 0 failed` line of `stdout`: asserts no failure and at least
/// `min_passed` passed checks.
fn assert_summary(stdout: &str, prefix: &str, min_passed: usize) {
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} summary in:\n{stdout}"));
    assert!(summary.ends_with(", 0 failed"), "{summary}");
    let passed: usize = summary[prefix.len()..]
        .trim_start()
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a pass count");
    assert!(passed >= min_passed, "only {passed} checks ran: {summary}");
}

#[test]
fn official_python_clients_work_against_the_emulator() {
    let stdout = run_script("tests/python/run.sh");
    assert_summary(&stdout, "official-clients:", 280);
    assert_summary(&stdout, "official-credentials:", 50);
    assert!(stdout.contains("\nexamples-pytest: exit 0"), "{stdout}");
}

#[test]
fn official_node_client_works_against_the_emulator() {
    let stdout = run_script("tests/node/run.sh");
    assert_summary(&stdout, "official-clients-node:", 225);
    assert!(stdout.contains("\nexamples-node: exit 0"), "{stdout}");
}
