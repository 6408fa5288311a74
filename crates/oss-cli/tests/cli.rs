//! Drives the built `oss` binary against the `oss-emulator` binary, both separate processes
//! on loopback. The emulator binary belongs to another package, so the first test builds it
//! (`cargo build -p oss-emulator` into this build's target directory and profile, as
//! tests/python/run.sh does). Every `oss` run gets a clean environment: only the variables a
//! test sets.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use oss_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_REGION};
use serde_json::Value;

/// The `oss-emulator` binary beside the `oss` binary, built once per test process.
fn emulator_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let oss = Path::new(env!("CARGO_BIN_EXE_oss"));
        let profile_dir = oss.parent().expect("the profile directory");
        let target_dir = profile_dir.parent().expect("the target directory");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "-q", "-p", "oss-emulator", "--bin", "oss-emulator"])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name() == Some("release".as_ref()) {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "cargo build -p oss-emulator: {status}");
        profile_dir.join(format!("oss-emulator{}", std::env::consts::EXE_SUFFIX))
    })
}

/// A running `oss-emulator` process; killed when dropped.
struct EmulatorProcess {
    child: Child,
    endpoint: String,
    credentials_uri: Option<String>,
}

impl EmulatorProcess {
    /// Starts the emulator with `args` and reads the addresses it prints: the OSS API's
    /// first, then one line per fake (`expect_lines` lines in all).
    fn start(args: &[&str], expect_lines: usize) -> Self {
        let mut child = Command::new(emulator_binary())
            .env_clear()
            .args(["--listen", "127.0.0.1:0", "--region", DEFAULT_REGION])
            .args(["--access-key-id", DEFAULT_ACCESS_KEY_ID])
            .args(["--access-key-secret", DEFAULT_ACCESS_KEY_SECRET])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the emulator starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("its stdout"));
        let (mut endpoint, mut credentials_uri) = (None, None);
        for _ in 0..expect_lines {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("an address line");
            let line = line.trim_end();
            if let Some(address) = line.strip_prefix("listening on ") {
                endpoint = Some(address.to_owned());
            } else if let Some(uri) = line.strip_prefix("credentials-uri listening on ") {
                credentials_uri = Some(uri.to_owned());
            } else {
                panic!("unexpected emulator output: {line:?}");
            }
        }
        Self {
            child,
            endpoint: endpoint.expect("the OSS API's address"),
            credentials_uri,
        }
    }

    fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn access_key_id(&self) -> &str {
        DEFAULT_ACCESS_KEY_ID
    }

    fn access_key_secret(&self) -> &str {
        DEFAULT_ACCESS_KEY_SECRET
    }

    fn region(&self) -> &str {
        DEFAULT_REGION
    }
}

impl EmulatorProcess {
    /// Kills the process and waits for it (again harmless).
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// An emulator process, a home directory and a working directory for one test.
struct Harness {
    emulator: EmulatorProcess,
    home: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Harness {
    fn start() -> Self {
        Self::with(&[], 1)
    }

    /// An emulator started with `args` (printing `expect_lines` address lines).
    fn with(args: &[&str], expect_lines: usize) -> Self {
        Self {
            emulator: EmulatorProcess::start(args, expect_lines),
            home: tempfile::tempdir().expect("a home directory"),
            work: tempfile::tempdir().expect("a working directory"),
        }
    }

    /// Stops the emulator and starts it again with `args` (e.g. the same `--data-dir`).
    fn restart(&mut self, args: &[&str]) {
        self.emulator.stop();
        self.emulator = EmulatorProcess::start(args, 1);
    }

    /// A path in the working directory.
    fn path(&self, relative: &str) -> PathBuf {
        self.work.path().join(relative)
    }

    /// Runs `oss` with the OSS_* variables naming the emulator and its AccessKey.
    fn oss(&self, args: &[&str]) -> Output {
        self.oss_with(
            &[
                ("OSS_ACCESS_KEY_ID", self.emulator.access_key_id()),
                ("OSS_ACCESS_KEY_SECRET", self.emulator.access_key_secret()),
            ],
            args,
        )
    }

    /// Runs `oss` with the endpoint, the region, a private HOME and `vars`.
    fn oss_with(&self, vars: &[(&str, &str)], args: &[&str]) -> Output {
        self.command()
            .env("OSS_REGION", self.emulator.region())
            .envs(vars.iter().copied())
            .args(args)
            .output()
            .expect("the oss binary runs")
    }

    /// `oss` with the endpoint and a private HOME, and no region.
    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oss"));
        command
            .env_clear()
            .env("HOME", self.home.path())
            .env("OSS_ENDPOINT", self.emulator.endpoint())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .current_dir(self.work.path());
        command
    }

    /// Runs `oss --json …`, expecting `code`; returns the JSON lines.
    fn json(&self, code: i32, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let output = self.oss(&all);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{}",
            describe(&all, &output)
        );
        lines(&output)
    }

    /// Runs `oss …` and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.oss(args);
        assert!(output.status.success(), "{}", describe(args, &output));
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }
}

fn describe(args: &[&str], output: &Output) -> String {
    format!(
        "oss {args:?}: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The summary line of a batch command.
fn summary(lines: &[Value]) -> &Value {
    lines
        .iter()
        .find(|l| l.get("summary").is_some())
        .expect("a summary line")
}

fn count(value: &Value, field: &str) -> u64 {
    value[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} in {value}"))
}

fn write(path: &Path, data: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, data).expect("write");
}

/// Deterministic bytes of any length.
fn pattern(length: usize, seed: u8) -> Vec<u8> {
    (0..length)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 8) as u8)
        .collect()
}

/// The tree of the issue: empty file, nested directories, spaces and Unicode in names, and
/// one file above the multipart threshold (`--part-size 100K`).
fn make_tree(root: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let files = vec![
        ("empty", Vec::new()),
        ("a.txt", b"hello".to_vec()),
        ("nested/deeper/still/x.bin", pattern(5000, 1)),
        ("with space/名前 ünï.txt", "données".as_bytes().to_vec()),
        ("big/multipart.bin", pattern(350 * 1024, 7)),
    ];
    for (relative, data) in &files {
        write(&root.join(relative), data);
    }
    files
}

const SMALL_PARTS: &[&str] = &["--part-size", "100K", "--parallel", "2", "--jobs", "4"];

fn with_parts<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend_from_slice(SMALL_PARTS);
    all
}

/// Sets a file's modification time `seconds` into the future (a same-size edit that the
/// time pre-check cannot rule out).
fn touch_future(path: &Path, seconds: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(seconds))
        .expect("set mtime");
}

#[test]
fn a_tree_goes_up_comes_back_identical_and_syncs_only_changes() {
    let h = Harness::start();
    h.ok(&["mb", "oss://tree"]);
    let local = h.path("local");
    let files = make_tree(&local);
    let local_arg = local.to_str().expect("UTF-8 path");

    let up = h.json(0, &with_parts(&["cp", "-r", local_arg, "oss://tree/up"]));
    let s = summary(&up);
    assert_eq!(count(s, "objects"), 5);
    assert_eq!(count(s, "failures"), 0);
    let total: u64 = files.iter().map(|(_, d)| d.len() as u64).sum();
    assert_eq!(count(s, "bytes"), total);
    assert!(
        h.path(".oss-checkpoints").symlink_metadata().is_err(),
        "checkpoints removed"
    );

    let listed = h.json(0, &["ls", "-r", "oss://tree/up/"]);
    let mut keys: Vec<&str> = listed.iter().filter_map(|l| l["key"].as_str()).collect();
    keys.sort();
    let mut expected: Vec<String> = files
        .iter()
        .map(|(r, _)| format!("oss://tree/up/{r}"))
        .collect();
    expected.sort();
    assert_eq!(keys, expected);
    let multipart = listed
        .iter()
        .find(|l| l["key"] == "oss://tree/up/big/multipart.bin")
        .expect("the big file is listed");
    assert!(
        multipart["etag"]
            .as_str()
            .expect("an ETag")
            .ends_with("-4\""),
        "{multipart}"
    );

    let down = h.path("down");
    let down_arg = down.to_str().expect("UTF-8 path");
    let back = h.json(0, &with_parts(&["cp", "-r", "oss://tree/up/", down_arg]));
    assert_eq!(count(summary(&back), "objects"), 5);
    for (relative, data) in &files {
        assert_eq!(
            &std::fs::read(down.join(relative)).expect("downloaded"),
            data,
            "{relative}"
        );
    }

    // Nothing changed: nothing is sent, in either direction.
    let again = h.json(0, &with_parts(&["sync", local_arg, "oss://tree/up"]));
    assert_eq!(count(summary(&again), "objects"), 0);
    assert_eq!(count(summary(&again), "skipped_unchanged"), 5);
    let again = h.json(0, &with_parts(&["sync", "oss://tree/up", down_arg]));
    assert_eq!(count(summary(&again), "objects"), 0);
    assert_eq!(count(summary(&again), "skipped_unchanged"), 5);

    // A file of another size, a same-size edit, and a file touched without a change.
    write(&local.join("a.txt"), b"hello, again");
    let same_size = local.join("nested/deeper/still/x.bin");
    write(&same_size, &pattern(5000, 2));
    touch_future(&same_size, 5);
    touch_future(&local.join("with space/名前 ünï.txt"), 5);
    let changed = h.json(0, &with_parts(&["sync", local_arg, "oss://tree/up"]));
    let sent: Vec<&str> = changed.iter().filter_map(|l| l["to"].as_str()).collect();
    assert_eq!(sent.len(), 2, "{changed:?}");
    assert!(sent.contains(&"oss://tree/up/a.txt"));
    assert!(sent.contains(&"oss://tree/up/nested/deeper/still/x.bin"));
    assert_eq!(count(summary(&changed), "skipped_unchanged"), 3);
    assert_eq!(h.ok(&["cat", "oss://tree/up/a.txt"]), "hello, again");

    // --delete removes what is gone, and --dry-run only says so.
    std::fs::remove_file(local.join("empty")).expect("rm");
    let dry = h.json(
        0,
        &["sync", "--delete", "--dry-run", local_arg, "oss://tree/up"],
    );
    assert!(
        dry.iter()
            .any(|l| l["action"] == "delete (dry run)" && l["from"] == "oss://tree/up/empty")
    );
    assert_eq!(h.json(0, &["ls", "-r", "oss://tree/up/"]).len(), 5);
    let deleted = h.json(0, &["sync", "--delete", local_arg, "oss://tree/up"]);
    assert_eq!(count(summary(&deleted), "deleted"), 1);
    assert_eq!(count(summary(&deleted), "objects"), 0);
    assert_eq!(h.json(0, &["ls", "-r", "oss://tree/up/"]).len(), 4);

    // Back down with --delete: the local copy follows.
    let mirrored = h.json(
        0,
        &with_parts(&["sync", "--delete", "oss://tree/up", down_arg]),
    );
    assert_eq!(count(summary(&mirrored), "objects"), 2);
    assert_eq!(count(summary(&mirrored), "deleted"), 1);
    assert!(!down.join("empty").exists());
    assert_eq!(
        std::fs::read(down.join("a.txt")).expect("a.txt"),
        b"hello, again"
    );
}

/// More than two ListObjectsV2 pages: the listing of an unchanged `sync` is cut into ranges
/// at the local keys and listed by several chains at once; every change in every range is
/// found, and nothing else is sent.
#[test]
fn a_sync_of_several_pages_finds_every_change_and_sends_nothing_else() {
    let h = Harness::start();
    h.ok(&["mb", "oss://many"]);
    let local = h.path("many");
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for i in 0..2100 {
        let path = local.join(format!("d{:02}/f{i:04}", i / 100));
        write(&path, i.to_string().as_bytes());
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_modified(past).expect("set mtime");
    }
    let local_arg = local.to_str().expect("UTF-8 path");
    let up = h.json(0, &["cp", "-r", local_arg, "oss://many/up", "--jobs", "16"]);
    assert_eq!(count(summary(&up), "objects"), 2100);

    // Changes at the start, in the middle and at the end of the key space.
    for changed in ["d00/f0005", "d10/f1050", "d20/f2099"] {
        write(&local.join(changed), b"changed, and longer");
    }
    std::fs::remove_file(local.join("d13/f1300")).expect("rm");
    write(&local.join("d13/new"), b"new");
    let synced = h.json(0, &["sync", "--delete", local_arg, "oss://many/up"]);
    let mut sent: Vec<&str> = synced
        .iter()
        .filter(|l| l["action"] == "upload")
        .filter_map(|l| l["to"].as_str())
        .collect();
    sent.sort_unstable();
    assert_eq!(
        sent,
        [
            "oss://many/up/d00/f0005",
            "oss://many/up/d10/f1050",
            "oss://many/up/d13/new",
            "oss://many/up/d20/f2099",
        ]
    );
    let s = summary(&synced);
    assert_eq!(count(s, "deleted"), 1);
    assert_eq!(count(s, "skipped_unchanged"), 2096);
    assert_eq!(count(s, "failures"), 0);

    let again = h.json(0, &["sync", "--delete", local_arg, "oss://many/up"]);
    assert_eq!(count(summary(&again), "objects"), 0);
    assert_eq!(count(summary(&again), "deleted"), 0);
    assert_eq!(count(summary(&again), "skipped_unchanged"), 2100);
}

#[test]
fn an_interrupted_cp_resumes_from_its_checkpoint_which_is_then_removed() {
    // The third part fails and is not retried: the upload stops with two parts done. The
    // emulator keeps its objects and uploads on disk, and is started again without the fault.
    let data_dir = tempfile::tempdir().expect("a data directory");
    let data_arg = data_dir.path().to_str().expect("UTF-8 path");
    let mut h = Harness::with(
        &["--data-dir", data_arg, "--faults", "upload-part:nth=3:500"],
        1,
    );
    h.ok(&["mb", "oss://resume"]);
    let file = h.path("five-parts.bin");
    let data = pattern(5 * 100 * 1024, 3);
    write(&file, &data);
    let file_arg = file.to_str().expect("UTF-8 path");
    let args = [
        "cp",
        file_arg,
        "oss://resume/f.bin",
        "--part-size",
        "100K",
        "--parallel",
        "1",
    ];

    let mut failing = vec!["--retries", "0"];
    failing.extend_from_slice(&args);
    let failed = h.json(1, &failing);
    assert_eq!(count(summary(&failed), "failures"), 1);
    assert!(
        failed
            .iter()
            .any(|l| l["ok"] == false && l["error"].is_string())
    );
    let checkpoints: Vec<_> = std::fs::read_dir(h.path(".oss-checkpoints"))
        .expect("the checkpoint directory is kept")
        .collect();
    assert_eq!(checkpoints.len(), 1);
    let uploads = h.json(0, &["ls", "--uploads", "oss://resume/"]);
    assert_eq!(uploads.len(), 1);

    h.restart(&["--data-dir", data_arg]);
    let resumed = h.json(0, &args);
    let event = resumed
        .iter()
        .find(|l| l["action"] == "upload")
        .expect("an upload event");
    assert_eq!(event["resumed_parts"], 2, "{event}");
    assert_eq!(count(summary(&resumed), "failures"), 0);
    assert!(
        h.path(".oss-checkpoints").symlink_metadata().is_err(),
        "checkpoints removed"
    );
    assert!(h.json(0, &["ls", "--uploads", "oss://resume/"]).is_empty());
    let output = h.oss(&["cat", "oss://resume/f.bin"]);
    assert!(output.stdout == data, "the resumed object differs");
}

#[test]
fn stale_multipart_uploads_are_removed_by_age() {
    let h = Harness::with(&["--faults", "upload-part:nth=2:500"], 1);
    h.ok(&["mb", "oss://stale"]);
    let file = h.path("f.bin");
    write(&file, &pattern(300 * 1024, 9));
    let file_arg = file.to_str().expect("UTF-8 path");
    h.json(
        1,
        &[
            "--retries",
            "0",
            "cp",
            file_arg,
            "oss://stale/f.bin",
            "--part-size",
            "100K",
            "--parallel",
            "1",
        ],
    );
    assert_eq!(h.json(0, &["ls", "--uploads", "oss://stale/"]).len(), 1);

    let young = h.json(
        0,
        &["rm", "--uploads", "--older-than", "1h", "oss://stale/"],
    );
    assert_eq!(count(summary(&young), "deleted"), 0);
    let all = h.json(0, &["rm", "--uploads", "oss://stale/"]);
    assert_eq!(count(summary(&all), "deleted"), 1);
    assert!(h.json(0, &["ls", "--uploads", "oss://stale/"]).is_empty());
}

#[test]
fn single_object_commands() {
    let h = Harness::start();
    h.ok(&["mb", "oss://one"]);
    let file = h.path("digits.txt");
    write(&file, b"123456789");
    let file_arg = file.to_str().expect("UTF-8 path");
    h.ok(&["cp", file_arg, "oss://one/dir/"]);

    assert_eq!(
        h.ok(&["cat", "--range", "2-4", "oss://one/dir/digits.txt"]),
        "345"
    );
    assert_eq!(
        h.ok(&["cat", "--range", "-2", "oss://one/dir/digits.txt"]),
        "89"
    );
    let stat = h.json(0, &["stat", "oss://one/dir/digits.txt"]);
    assert_eq!(stat[0]["size"], 9);
    // CRC-64/XZ of "123456789" (its check value), as OSS reports it: decimal.
    let crc = 0x995D_C9BB_DF19_39FAu64.to_string();
    assert_eq!(stat[0]["crc64"], crc.as_str());
    for path in [file_arg, "oss://one/dir/digits.txt"] {
        let hash = h.json(0, &["hash", path]);
        assert_eq!(hash[0]["crc64"], crc.as_str());
        assert_eq!(hash[0]["md5"], "25f9e794323b453885f5181f1b624d0b");
    }
    let du = h.json(0, &["du", "oss://one/"]);
    assert_eq!(
        (du[0]["objects"].as_u64(), du[0]["bytes"].as_u64()),
        (Some(1), Some(9))
    );
    let presigned = h.ok(&["presign", "--expires", "10m", "oss://one/dir/digits.txt"]);
    assert!(presigned.starts_with(h.emulator.endpoint()), "{presigned}");
    assert!(presigned.contains("x-oss-signature="), "{presigned}");
    assert!(presigned.contains("x-oss-expires=600"), "{presigned}");

    h.ok(&["cp", "oss://one/dir/digits.txt", "oss://one/copy.txt"]);
    let copied = h.path("copied.txt");
    h.ok(&[
        "cp",
        "oss://one/copy.txt",
        copied.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(std::fs::read(&copied).expect("copied"), b"123456789");

    let removed = h.json(0, &["rm", "-r", "oss://one/"]);
    assert_eq!(count(summary(&removed), "deleted"), 2);
    h.ok(&["rb", "oss://one"]);
    let buckets = h.json(0, &["ls"]);
    assert!(buckets.iter().all(|b| b["bucket"] != "one"), "{buckets:?}");
}

#[test]
fn exit_codes_tell_failures_from_usage_errors() {
    // The first PutObject fails (the tree upload at the end is the first PutObject).
    let h = Harness::with(&["--faults", "put:nth=1:500"], 1);
    h.ok(&["mb", "oss://codes"]);
    // A missing object: the request fails, exit 1.
    let missing = h.oss(&[
        "cp",
        "oss://codes/nope",
        h.path("x").to_str().expect("UTF-8"),
    ]);
    assert_eq!(
        missing.status.code(),
        Some(1),
        "{}",
        describe(&[], &missing)
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("NoSuchKey"));
    // Local to local, a bad glob, a limit on server-side copies: refused before any request.
    for args in [
        vec!["cp", "a", "b"],
        vec!["cp", "-r", "a", "oss://codes/", "--include", "["],
        vec!["cp", "oss://codes/a", "oss://codes/b", "--limit-rate", "1M"],
    ] {
        let output = h.oss(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}",
            describe(&args, &output)
        );
    }
    // A tree where one object fails: exit 1 and the summary counts it.
    let dir = h.path("two");
    write(&dir.join("a"), b"a");
    write(&dir.join("b"), b"b");
    let partial = h.json(
        1,
        &[
            "--retries",
            "0",
            "cp",
            "-r",
            "--jobs",
            "1",
            dir.to_str().expect("UTF-8"),
            "oss://codes/two",
        ],
    );
    assert_eq!(count(summary(&partial), "failures"), 1);
    assert_eq!(count(summary(&partial), "objects"), 1);
}

#[test]
fn credentials_come_from_profiles_and_the_default_chain() {
    let h = Harness::with(&["--credentials-uri-listen", "127.0.0.1:0"], 2);
    h.ok(&["mb", "oss://creds"]);
    let ini = format!(
        "[default]\ntype = access_key\naccess_key_id = wrong\naccess_key_secret = wrong\n\n\
         [batch]\ntype = access_key\naccess_key_id = {}\naccess_key_secret = {}\n",
        h.emulator.access_key_id(),
        h.emulator.access_key_secret()
    );
    write(
        &h.home.path().join(".alibabacloud/credentials"),
        ini.as_bytes(),
    );
    let no_cli = [("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")];
    let with_profile = h.oss_with(&no_cli, &["--profile", "batch", "ls", "oss://creds/"]);
    assert!(
        with_profile.status.success(),
        "{}",
        describe(&[], &with_profile)
    );
    let default_profile = h.oss_with(&no_cli, &["ls", "oss://creds/"]);
    assert_eq!(
        default_profile.status.code(),
        Some(1),
        "the default profile's key is refused"
    );

    // An aliyun CLI profile gives the AccessKey and the region.
    let config = serde_json::json!({"current": "other", "profiles": [{
        "name": "cli", "mode": "AK", "region_id": h.emulator.region(),
        "access_key_id": h.emulator.access_key_id(),
        "access_key_secret": h.emulator.access_key_secret(),
    }]});
    write(
        &h.home.path().join(".aliyun/config.json"),
        config.to_string().as_bytes(),
    );
    let from_cli = h
        .command()
        .args(["--profile", "cli", "ls", "oss://creds/"])
        .output()
        .expect("the oss binary runs");
    assert!(from_cli.status.success(), "{}", describe(&[], &from_cli));
    let no_region = h
        .command()
        .args(["--profile", "batch", "ls", "oss://creds/"])
        .output()
        .expect("the oss binary runs");
    assert_eq!(
        no_region.status.code(),
        Some(2),
        "{}",
        describe(&[], &no_region)
    );
    assert!(String::from_utf8_lossy(&no_region.stderr).contains("no region"));
    std::fs::remove_file(h.home.path().join(".aliyun/config.json")).expect("rm");

    std::fs::remove_file(h.home.path().join(".alibabacloud/credentials")).expect("rm");
    let uri = h
        .emulator
        .credentials_uri
        .as_deref()
        .expect("the credentials-URI fake");
    let from_uri = h.oss_with(
        &[("ALIBABA_CLOUD_CREDENTIALS_URI", uri), no_cli[0]],
        &["ls", "oss://creds/"],
    );
    assert!(from_uri.status.success(), "{}", describe(&[], &from_uri));
    let env_keys = h.oss_with(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", h.emulator.access_key_id()),
            (
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                h.emulator.access_key_secret(),
            ),
        ],
        &["ls", "oss://creds/"],
    );
    assert!(env_keys.status.success(), "{}", describe(&[], &env_keys));
}

/// PutObject through the SDK, for what the CLI cannot make itself (a directory marker).
fn put_object(h: &Harness, bucket: &str, key: &str, body: &'static [u8]) {
    let credentials = oss_client::auth::StaticCredentialsProvider::new(
        h.emulator.access_key_id(),
        h.emulator.access_key_secret(),
    )
    .expect("static credentials");
    let client = oss_client::Client::builder()
        .endpoint(h.emulator.endpoint())
        .region(h.emulator.region())
        .credentials_provider(credentials)
        .build()
        .expect("a client");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(
            client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(bytes::Bytes::from_static(body))
                .send(),
        )
        .expect("PutObject");
}

#[test]
fn sync_keeps_directory_markers_and_leaves_out_its_own_state() {
    let h = Harness::start();
    h.ok(&["mb", "oss://marks"]);
    put_object(&h, "marks", "tree/dir/", b"");
    put_object(&h, "marks", "tree/dir/f.txt", b"f");
    let down = h.path("down");
    let down_arg = down.to_str().expect("UTF-8 path");

    let first = h.json(0, &["sync", "oss://marks/tree", down_arg]);
    assert_eq!(count(summary(&first), "objects"), 2);
    assert!(down.join("dir").is_dir());
    // The marker's directory exists: nothing is sent again.
    let again = h.json(0, &["sync", "oss://marks/tree", down_arg]);
    assert_eq!(count(summary(&again), "objects"), 0);
    assert_eq!(count(summary(&again), "skipped_unchanged"), 2);

    // A failed download's pair of files, and upload checkpoints inside the tree, are this
    // tool's state; a lone `.temp` is a user's file.
    write(&down.join("dir/g.bin.temp"), b"partial");
    write(&down.join("dir/g.bin.dcp"), b"{}");
    write(&down.join(".checkpoints/stale"), b"{}");
    write(&down.join("h.temp"), b"mine");
    let checkpoint_dir = down.join(".checkpoints");
    let up = h.json(
        0,
        &[
            "sync",
            "--delete",
            "--checkpoint-dir",
            checkpoint_dir.to_str().expect("UTF-8 path"),
            down_arg,
            "oss://marks/tree",
        ],
    );
    assert_eq!(count(summary(&up), "objects"), 1);
    assert_eq!(count(summary(&up), "deleted"), 0, "the marker is kept");
    let listed = h.json(0, &["ls", "-r", "oss://marks/tree/"]);
    let mut keys: Vec<&str> = listed.iter().filter_map(|l| l["key"].as_str()).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "oss://marks/tree/dir/",
            "oss://marks/tree/dir/f.txt",
            "oss://marks/tree/h.temp"
        ]
    );
}

#[test]
fn plain_lines_when_not_a_terminal_and_limited_transfers_move_every_byte() {
    let h = Harness::start();
    h.ok(&["mb", "oss://plain"]);
    let dir = h.path("plain");
    let data = pattern(250 * 1024, 5);
    write(&dir.join("big.bin"), &data);
    write(&dir.join("a.txt"), b"hello");
    let dir_arg = dir.to_str().expect("UTF-8 path");
    // stdout is a pipe: one plain line per object on stdout, the summary on stderr.
    let limited = ["--limit-rate", "50M"];
    let mut args = vec!["cp", "-r", dir_arg, "oss://plain/up"];
    args.extend_from_slice(&limited);
    let up = h.oss(&with_parts(&args));
    assert!(up.status.success(), "{}", describe(&args, &up));
    let stdout = String::from_utf8_lossy(&up.stdout);
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort();
    let a = dir.join("a.txt");
    let big = dir.join("big.bin");
    assert_eq!(
        lines,
        [
            format!("upload {} -> oss://plain/up/a.txt (5 bytes)", a.display()),
            format!(
                "upload {} -> oss://plain/up/big.bin (256000 bytes)",
                big.display()
            ),
        ]
    );
    let stderr = String::from_utf8_lossy(&up.stderr);
    assert!(
        stderr.starts_with("cp: 2 objects, 256005 bytes in "),
        "{stderr}"
    );
    assert!(stderr.contains("0 retries, 0 failures"), "{stderr}");

    let down = h.path("down");
    let mut args = vec!["cp", "-r", "oss://plain/up", down.to_str().expect("UTF-8")];
    args.extend_from_slice(&limited);
    let back = h.oss(&with_parts(&args));
    assert!(back.status.success(), "{}", describe(&args, &back));
    assert_eq!(std::fs::read(down.join("big.bin")).expect("big.bin"), data);
    assert_eq!(std::fs::read(down.join("a.txt")).expect("a.txt"), b"hello");
}
