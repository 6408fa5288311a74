//! The `oss` binary against the SDK it is built on, in one run against one in-process
//! emulator on loopback (the binary is a separate process, as a user runs it):
//!
//! 1. small objects: `oss cp -r` of N files of 4 KiB against the SDK's own PutObject rate
//!    at the same concurrency (`--jobs`);
//! 2. large objects: `oss cp -r` of 16 files of 64 MiB against the Uploader uploading the same
//!    files at the same objects in flight and parts in flight;
//! 3. `oss sync` of the unchanged small tree: objects sent (must be 0) and its time against
//!    listing the prefix (`oss du`, which lists every page) and the directory (`oss du DIR`);
//! 4. the same against a second emulator that holds every ListObjectsV2 answer back by
//!    [`LIST_LATENCY_MS`] (a listing page as a network round trip, as against OSS itself).
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
/// Milliseconds the second emulator holds back every ListObjectsV2 answer.
const LIST_LATENCY_MS: u64 = 10;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let files = env_number("OSS_CLI_BENCH_FILES", 10_000);
    let large_files = env_number("OSS_CLI_BENCH_LARGE", 16);
    let repeat = env_number("OSS_CLI_BENCH_REPEAT", 3).max(1);
    // The emulator gets its own runtime (its own threads), as the CLI's server does: the
    // SDK's requests do not queue behind the emulator's tasks on one runtime.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let emulator = server_runtime
        .block_on(oss_emulator::start())
        .expect("the emulator");
    let distant = server_runtime
        .block_on(
            oss_emulator::Emulator::builder()
                .faults(&format!("list-v2:always:latency={LIST_LATENCY_MS}"))
                .start(),
        )
        .expect("the emulator with listing latency");
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
    let small_tree = work.path().join("small");
    write_tree(&small_tree, files, SMALL);
    let large_tree = work.path().join("large");
    write_tree(&large_tree, large_files, LARGE);
    // Files written in an earlier second than any upload: the sync pre-check can decide
    // by time (as with any tree that was not edited while being uploaded).
    std::thread::sleep(Duration::from_millis(1100));
    let small_arg = small_tree.to_str().expect("UTF-8");
    let large_arg = large_tree.to_str().expect("UTF-8");
    let far = Cli {
        emulator: &distant,
        cwd: work.path(),
    };
    far.run(&["mb", "oss://bench"]);
    far.run(&["cp", "-r", small_arg, "oss://bench/far", "--jobs", "16"]);
    let data = bytes::Bytes::from(vec![7u8; SMALL]);
    let uploader = Uploader::new(&client).concurrency(PARALLEL);
    let mut t = Times::default();
    // Repetitions take turns (SDK, CLI, ...) so that load changes hit both alike.
    for rep in 0..repeat {
        let started = Instant::now();
        runtime.block_on(put_small(&client, &data, files, rep));
        t.sdk_small.push(started.elapsed());
        let started = Instant::now();
        runtime.block_on(put_files(&client, &small_tree, files, rep));
        t.sdk_files.push(started.elapsed());
        let prefix = format!("oss://bench/cli{rep}");
        t.cli_small
            .push(cli.timed(&["cp", "-r", small_arg, &prefix, "--jobs", "16"]));

        t.listing.push(cli.timed(&["du", &prefix]));
        t.local_listing.push(cli.timed(&["du", small_arg]));
        let started = Instant::now();
        let sync = cli.run(&["--json", "sync", small_arg, &prefix, "--jobs", "16"]);
        t.sync.push(started.elapsed());
        let summary: serde_json::Value =
            serde_json::from_str(sync.lines().last().expect("a summary line")).expect("JSON");
        assert_eq!(
            summary["objects"], 0,
            "an unchanged sync sent objects: {summary}"
        );
        assert_eq!(summary["skipped_unchanged"], files);

        t.far_listing.push(far.timed(&["du", "oss://bench/far"]));
        let started = Instant::now();
        let sync = far.run(&[
            "--json",
            "sync",
            small_arg,
            "oss://bench/far",
            "--jobs",
            "16",
        ]);
        t.far_sync.push(started.elapsed());
        assert!(
            sync.lines()
                .last()
                .expect("a summary")
                .contains("\"objects\":0")
        );

        let started = Instant::now();
        runtime.block_on(upload_large(&uploader, &large_tree, large_files, rep));
        t.sdk_large.push(started.elapsed());
        let prefix = format!("oss://bench/cli-large{rep}");
        t.cli_large.push(cli.timed(&[
            "cp",
            "-r",
            large_arg,
            &prefix,
            "--jobs",
            "4",
            "--parallel",
            "3",
        ]));
    }
    let mib = (large_files * LARGE) as f64 / (1024.0 * 1024.0);
    let (sdk_small, cli_small) = (median(&mut t.sdk_small), median(&mut t.cli_small));
    let (listing, sync) = (median(&mut t.listing), median(&mut t.sync));
    let local_listing = median(&mut t.local_listing);
    let sdk_files = median(&mut t.sdk_files);
    let (far_listing, far_sync) = (median(&mut t.far_listing), median(&mut t.far_sync));
    let (sdk_large, cli_large) = (median(&mut t.sdk_large), median(&mut t.cli_large));
    println!("medians of {repeat} runs, one emulator on loopback");
    println!("small: {files} x 4 KiB, {JOBS} in flight");
    println!(
        "  SDK PutObject   {:>9.0} objects/s",
        files as f64 / sdk_small
    );
    println!(
        "  oss cp -r       {:>9.0} objects/s",
        files as f64 / cli_small
    );
    println!(
        "  ratio cli/sdk   {:>9.2} (target >= 0.8)",
        sdk_small / cli_small
    );
    println!(
        "  (SDK PutObject from the same files, body_from_path: {:.0} objects/s, cli/that {:.2})",
        files as f64 / sdk_files,
        sdk_files / cli_small
    );
    println!("sync of the unchanged tree: 0 objects sent, {files} skipped as unchanged");
    println!(
        "  oss sync {sync:.3} s; listing the prefix (oss du) {listing:.3} s, the directory {local_listing:.3} s"
    );
    println!(
        "  ratio sync/listing the prefix {:.2}, sync/listing both trees {:.2} (target <= 1)",
        sync / listing,
        sync / (listing + local_listing)
    );
    println!("the same with {LIST_LATENCY_MS} ms per listing request (a second emulator)");
    println!(
        "  oss sync {far_sync:.3} s; listing the prefix (oss du) {far_listing:.3} s; ratio {:.2}",
        far_sync / far_listing
    );
    println!("large: {large_files} x 64 MiB, {LARGE_JOBS} objects x {PARALLEL} parts in flight");
    println!("  SDK Uploader    {:>9.1} MiB/s", mib / sdk_large);
    println!("  oss cp -r       {:>9.1} MiB/s", mib / cli_large);
    println!(
        "  ratio cli/sdk   {:>9.2} (target >= 0.9)",
        sdk_large / cli_large
    );
}

/// Wall times of every repetition.
#[derive(Default)]
struct Times {
    sdk_small: Vec<Duration>,
    cli_small: Vec<Duration>,
    sdk_files: Vec<Duration>,
    listing: Vec<Duration>,
    local_listing: Vec<Duration>,
    sync: Vec<Duration>,
    far_listing: Vec<Duration>,
    far_sync: Vec<Duration>,
    sdk_large: Vec<Duration>,
    cli_large: Vec<Duration>,
}

/// The median in seconds.
fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

async fn put_small(client: &Client, data: &bytes::Bytes, files: usize, rep: usize) {
    futures_util::stream::iter(0..files)
        .map(|i| {
            let (client, data) = (client.clone(), data.clone());
            async move {
                client
                    .put_object()
                    .bucket("bench")
                    .key(format!("sdk{rep}/{i:05}"))
                    .body(data)
                    .send()
                    .await
                    .expect("PutObject");
            }
        })
        .buffer_unordered(JOBS)
        .collect::<Vec<()>>()
        .await;
}

async fn put_files(client: &Client, root: &Path, files: usize, rep: usize) {
    futures_util::stream::iter(0..files)
        .map(|i| {
            let (client, path) = (client.clone(), file_path(root, i));
            async move {
                client
                    .put_object()
                    .bucket("bench")
                    .key(format!("sdk-files{rep}/{i:05}"))
                    .body_from_path(path)
                    .send()
                    .await
                    .expect("PutObject");
            }
        })
        .buffer_unordered(JOBS)
        .collect::<Vec<()>>()
        .await;
}

async fn upload_large(uploader: &Uploader, root: &Path, files: usize, rep: usize) {
    futures_util::stream::iter(0..files)
        .map(|i| {
            let (uploader, path) = (uploader.clone(), file_path(root, i));
            async move {
                uploader
                    .upload_file("bench", &format!("sdk-large{rep}/{i:05}"), path)
                    .await
                    .expect("Uploader");
            }
        })
        .buffer_unordered(LARGE_JOBS)
        .collect::<Vec<()>>()
        .await;
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
