//! The `oss` binary against the SDK it is built on, in one run against one in-process
//! emulator on loopback (the binary is a separate process, as a user runs it):
//!
//! 1. small objects: `oss cp -r` of N files of 4 KiB against the SDK's own PutObject rate
//!    at the same concurrency (`--jobs`);
//! 2. large objects: `oss cp -r` of 16 files of 64 MiB against the Uploader uploading the same
//!    files at the same objects in flight and parts in flight;
//! 3. `oss sync` of the unchanged small tree: objects sent (must be 0) and its time against
//!    listing the prefix (`oss du`, which lists every page).
//!
//! ```text
//! cargo bench -p oss-cli --bench cli_vs_sdk      # release build; N=10000 by default
//! OSS_CLI_BENCH_FILES=2000 OSS_CLI_BENCH_LARGE=4 cargo bench -p oss-cli --bench cli_vs_sdk
//! ```
//! The figures are wall times of whole commands (process start, listing and summary
//! included); ratios above 1 mean the CLI is faster.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use oss_client::Client;
use oss_client::auth::StaticCredentialsProvider;
use oss_client::transfer::Uploader;
use oss_emulator::EmulatorHandle;

const SMALL: usize = 4 * 1024;
const LARGE: usize = 64 * 1024 * 1024;
const JOBS: usize = 16;
const LARGE_JOBS: usize = 4;
const PARALLEL: usize = 3;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let files = env_number("OSS_CLI_BENCH_FILES", 10_000);
    let large_files = env_number("OSS_CLI_BENCH_LARGE", 16);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let emulator = runtime
        .block_on(oss_emulator::start())
        .expect("the emulator");
    let client = Client::builder()
        .endpoint(emulator.endpoint())
        .region(emulator.region())
        .credentials_provider(
            StaticCredentialsProvider::new(emulator.access_key_id(), emulator.access_key_secret())
                .expect("static credentials"),
        )
        .build()
        .expect("a client");
    let work = tempfile::tempdir().expect("a work directory");
    let cli = Cli {
        emulator: &emulator,
        cwd: work.path(),
    };
    cli.run(&["mb", "oss://bench"]);

    // 1. Small objects.
    let small_tree = work.path().join("small");
    write_tree(&small_tree, files, SMALL);
    // Files written in an earlier second than any upload: the sync pre-check can decide
    // by time (as with any tree that was not edited while being uploaded).
    std::thread::sleep(Duration::from_millis(1100));
    let data = bytes::Bytes::from(vec![7u8; SMALL]);
    let started = Instant::now();
    runtime.block_on(async {
        futures_util::stream::iter(0..files)
            .map(|i| {
                let (client, data) = (client.clone(), data.clone());
                async move {
                    client
                        .put_object()
                        .bucket("bench")
                        .key(format!("sdk/{i:05}"))
                        .body(data)
                        .send()
                        .await
                        .expect("PutObject");
                }
            })
            .buffer_unordered(JOBS)
            .collect::<Vec<()>>()
            .await;
    });
    let sdk_small = started.elapsed();
    let jobs = JOBS.to_string();
    let small_arg = small_tree.to_str().expect("UTF-8");
    let cli_small = cli.timed(&["cp", "-r", small_arg, "oss://bench/cli", "--jobs", &jobs]);
    let sdk_rate = files as f64 / sdk_small.as_secs_f64();
    let cli_rate = files as f64 / cli_small.as_secs_f64();
    println!("small: {files} x 4 KiB at {JOBS} in flight");
    println!(
        "  SDK PutObject   {:>9.0} objects/s ({:.2} s)",
        sdk_rate,
        sdk_small.as_secs_f64()
    );
    println!(
        "  oss cp -r       {:>9.0} objects/s ({:.2} s)",
        cli_rate,
        cli_small.as_secs_f64()
    );
    println!(
        "  ratio cli/sdk   {:>9.2} (target >= 0.8)",
        cli_rate / sdk_rate
    );

    // 3. Sync of the unchanged tree against listing it.
    let listing = cli.timed(&["du", "oss://bench/cli"]);
    let started = Instant::now();
    let sync = cli.run(&[
        "--json",
        "sync",
        small_arg,
        "oss://bench/cli",
        "--jobs",
        &jobs,
    ]);
    let sync_time = started.elapsed();
    let summary: serde_json::Value =
        serde_json::from_str(sync.lines().last().expect("a summary line")).expect("JSON");
    println!("sync of the unchanged tree");
    println!(
        "  objects sent {} , skipped as unchanged {}",
        summary["objects"], summary["skipped_unchanged"]
    );
    println!(
        "  oss sync {:.3} s, listing (oss du) {:.3} s, ratio sync/listing {:.2} (target <= 1)",
        sync_time.as_secs_f64(),
        listing.as_secs_f64(),
        sync_time.as_secs_f64() / listing.as_secs_f64()
    );

    // 2. Large objects, from the same files for both.
    let large_tree = work.path().join("large");
    write_tree(&large_tree, large_files, LARGE);
    let uploader = Uploader::new(&client).concurrency(PARALLEL);
    let started = Instant::now();
    runtime.block_on(async {
        futures_util::stream::iter(0..large_files)
            .map(|i| {
                let (uploader, path) = (uploader.clone(), file_path(&large_tree, i));
                async move {
                    uploader
                        .upload_file("bench", &format!("sdk-large/{i:05}"), path)
                        .await
                        .expect("Uploader");
                }
            })
            .buffer_unordered(LARGE_JOBS)
            .collect::<Vec<()>>()
            .await;
    });
    let sdk_large = started.elapsed();
    let cli_large = cli.timed(&[
        "cp",
        "-r",
        large_tree.to_str().expect("UTF-8"),
        "oss://bench/cli-large",
        "--jobs",
        &LARGE_JOBS.to_string(),
        "--parallel",
        &PARALLEL.to_string(),
    ]);
    let mib = (large_files * LARGE) as f64 / (1024.0 * 1024.0);
    println!("large: {large_files} x 64 MiB, {LARGE_JOBS} objects x {PARALLEL} parts in flight");
    println!(
        "  SDK Uploader    {:>9.1} MiB/s",
        mib / sdk_large.as_secs_f64()
    );
    println!(
        "  oss cp -r       {:>9.1} MiB/s",
        mib / cli_large.as_secs_f64()
    );
    println!(
        "  ratio cli/sdk   {:>9.2} (target >= 0.9)",
        sdk_large.as_secs_f64() / cli_large.as_secs_f64()
    );
}

/// Runs the `oss` binary against the emulator.
struct Cli<'a> {
    emulator: &'a EmulatorHandle,
    cwd: &'a Path,
}

impl Cli<'_> {
    fn run(&self, args: &[&str]) -> String {
        let output = Command::new(env!("CARGO_BIN_EXE_oss"))
            .env("OSS_ENDPOINT", self.emulator.endpoint())
            .env("OSS_REGION", self.emulator.region())
            .env("OSS_ACCESS_KEY_ID", self.emulator.access_key_id())
            .env("OSS_ACCESS_KEY_SECRET", self.emulator.access_key_secret())
            .current_dir(self.cwd)
            .args(args)
            .output()
            .expect("the oss binary runs");
        assert!(
            output.status.success(),
            "oss {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }

    fn timed(&self, args: &[&str]) -> Duration {
        let started = Instant::now();
        self.run(args);
        started.elapsed()
    }
}

fn file_path(root: &Path, i: usize) -> std::path::PathBuf {
    root.join(format!("d{:03}", i / 100))
        .join(format!("f{i:05}"))
}

/// `count` files of `size` bytes, 100 per directory.
fn write_tree(root: &Path, count: usize, size: usize) {
    let mut data = vec![0u8; size];
    for i in 0..count {
        data[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let path = file_path(root, i);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, &data).expect("write");
    }
}
