//! Running a Python script of `tests/python/` against an emulator, in the environment of
//! the official-client check (tests/python/venv.sh: `target/pyenv`, the pinned SDKs installed
//! from PyPI when missing). Needs `python3` with `venv`.
//!
//! A script takes `--endpoint`, `--region`, `--bucket`, `--access-key-id`,
//! `--access-key-secret` and `--phase`, and prints one line `cross-check: N passed, M failed`
//! (exit status 1 on any failure).

use std::path::Path;
use std::process::Command;

use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET};

/// The interpreter of the official-client environment, set up when missing (blocking).
pub(crate) fn interpreter() -> String {
    let output = Command::new("bash")
        .arg(repository().join("tests/python/venv.sh"))
        .output()
        .expect("bash runs tests/python/venv.sh");
    assert!(
        output.status.success(),
        "tests/python/venv.sh failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// One script against one emulator and bucket.
#[derive(Debug, Clone)]
pub(crate) struct PythonRun {
    /// From [`interpreter`].
    pub(crate) interpreter: String,
    /// The script, relative to `tests/python/` (`cross_check.py`).
    pub(crate) script: &'static str,
    /// `http://127.0.0.1:port`.
    pub(crate) endpoint: String,
    /// The emulator's region.
    pub(crate) region: String,
    /// The bucket the script works in.
    pub(crate) bucket: String,
}

impl PythonRun {
    /// Runs `phase` (blocking) and asserts that every check passed and at least `at_least`
    /// ran.
    pub(crate) fn phase(&self, phase: &str, at_least: usize) {
        let output = Command::new(&self.interpreter)
            .arg(repository().join("tests/python").join(self.script))
            .args(["--endpoint", &self.endpoint])
            .args(["--region", &self.region])
            .args(["--bucket", &self.bucket])
            .args(["--access-key-id", ACCESS_KEY_ID])
            .args(["--access-key-secret", ACCESS_KEY_SECRET])
            .args(["--phase", phase])
            .output()
            .expect("the Python script runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let script = self.script;
        assert!(
            output.status.success(),
            "{script} {phase} failed:\n{stdout}\n{stderr}"
        );
        let summary = stdout
            .lines()
            .find_map(|l| l.strip_prefix("cross-check: "))
            .unwrap_or_else(|| panic!("no summary in:\n{stdout}"));
        assert!(summary.ends_with(", 0 failed"), "{summary}");
        let passed: usize = summary.split(' ').next().unwrap().parse().unwrap();
        assert!(passed >= at_least, "only {passed} checks ran: {summary}");
    }

    /// [`Self::phase`] on the blocking pool, for async tests.
    pub(crate) async fn run(&self, phase: &'static str, at_least: usize) {
        let run = self.clone();
        tokio::task::spawn_blocking(move || run.phase(phase, at_least))
            .await
            .expect("the Python phase does not panic");
    }
}

fn repository() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}
