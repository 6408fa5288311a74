//! Runs the official Python OSS SDKs (`alibabacloud-oss-v2` with V4, `oss2` with V1 and V4)
//! against this crate's binary: `tests/python/run.sh` creates a virtual environment under
//! `target/pyenv`, installs the pinned SDKs from PyPI when missing, starts the emulator on
//! loopback and checks every operation; then the official credentials library
//! (`alibabacloud-credentials`) obtains credentials from the STS and credentials-URI fakes
//! (over HTTPS) and the OSS SDKs use them. Needs `python3` with `venv`.

use std::path::Path;
use std::process::Command;

#[test]
fn official_python_clients_work_against_the_emulator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = Command::new("bash")
        .arg(root.join("tests/python/run.sh"))
        .env("OSS_EMULATOR_BIN", env!("CARGO_BIN_EXE_oss-emulator"))
        .output()
        .expect("bash runs tests/python/run.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "official-client check failed:\n{stdout}\n{stderr}"
    );
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("official-clients:"))
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    assert!(summary.ends_with(", 0 failed"), "{summary}");
    let passed: usize = summary
        .trim_start_matches("official-clients: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a pass count");
    assert!(passed >= 100, "only {passed} checks ran");
    let credentials = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("official-credentials:"))
        .unwrap_or_else(|| panic!("no official-credentials summary in:\n{stdout}"));
    assert!(credentials.ends_with(", 0 failed"), "{credentials}");
    let passed: usize = credentials
        .trim_start_matches("official-credentials: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a pass count");
    assert!(passed >= 50, "only {passed} credential checks ran");
}
