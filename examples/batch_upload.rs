//! Uploads a directory tree under a prefix with a bound on objects in flight, an indicatif
//! progress bar with bytes/s, and a closing summary (objects, bytes, seconds, MiB/s, retries,
//! failures). Files at or above the multipart threshold go through the Uploader in parts.
//! Every object gets the same per-object options (Cache-Control, storage class, a metadata
//! entry, tags, optional server-side encryption), set once on the Uploader and sent on each
//! object's PutObject or InitiateMultipartUpload; each Content-Type is guessed from the file
//! name (`.html` → `text/html`).
//!
//! ```text
//! cargo run --release -p oss-examples --example batch_upload                   # generated tree, emulator
//! cargo run --release -p oss-examples --example batch_upload -- --dir ./data --prefix backup/
//! ```
//! Against a real endpoint set `OSS_ENDPOINT`, `OSS_REGION`, `OSS_ACCESS_KEY_ID`,
//! `OSS_ACCESS_KEY_SECRET` and `OSS_BUCKET`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use futures_util::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use oss_client::operation::encryption::ServerSideEncryption;
use oss_client::operation::object_options::ObjectOptions;
use oss_client::transfer::Uploader;
use oss_examples::{BoxError, Target, generate_tree, list_tree};

#[derive(Parser, Debug)]
#[command(about = "Upload a directory tree to OSS")]
struct Args {
    /// The directory to upload (default: a generated tree in a temporary directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Key prefix for the uploaded files.
    #[arg(long, default_value = "batch/")]
    prefix: String,
    /// Objects in flight at once.
    #[arg(long, default_value_t = 16)]
    objects_in_flight: usize,
    /// Part size in MiB for multipart uploads.
    #[arg(long, default_value_t = 6)]
    part_size_mib: u64,
    /// Parts in flight per object.
    #[arg(long, default_value_t = 3)]
    part_concurrency: usize,
    /// With a generated tree: how many files.
    #[arg(long, default_value_t = 120)]
    files: usize,
    /// With a generated tree: the largest file in MiB.
    #[arg(long, default_value_t = 40)]
    max_file_mib: u64,
    /// The bucket (with the emulator it is created).
    #[arg(long, default_value = "batch-upload")]
    bucket: String,
    /// `Cache-Control` of every object.
    #[arg(long, default_value = "max-age=3600")]
    cache_control: String,
    /// Storage class of every object (`Standard`, `IA`, `Archive`…).
    #[arg(long, default_value = "Standard")]
    storage_class: String,
    /// A tag of every object, as `key=value` (repeat for several).
    #[arg(long = "tag", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
    /// Server-side encryption with keys OSS manages (`AES256`).
    #[arg(long)]
    encrypt: bool,
}

fn parse_tag(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("{text:?} is not key=value"))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let args = Args::parse();
    let target = Target::connect(&args.bucket).await?;
    println!(
        "uploading to {} bucket {}",
        target.describe(),
        target.bucket
    );
    let generated = tempfile::tempdir()?;
    let root = match &args.dir {
        Some(dir) => dir.clone(),
        None => {
            let made = generate_tree(
                generated.path(),
                args.files,
                args.max_file_mib * 1024 * 1024,
            )?;
            println!(
                "generated {} files under {}",
                made.len(),
                generated.path().display()
            );
            generated.path().to_path_buf()
        }
    };
    let files = list_tree(&root)?;
    let total: u64 = files.iter().map(|(_, size)| size).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
    )?);
    let part_size = args.part_size_mib * 1024 * 1024;
    let progress_bar = bar.clone();
    // Each callback reports one object's running total; the bar gets the increments.
    let mut options = ObjectOptions::new()
        .cache_control(args.cache_control.as_str())
        .storage_class(args.storage_class.as_str())
        .metadata("uploaded-by", "batch_upload");
    for (key, value) in &args.tags {
        options = options.tag(key.as_str(), value.as_str());
    }
    if args.encrypt {
        options = options.server_side_encryption(ServerSideEncryption::Aes256);
    }
    let uploader = Uploader::new(&target.client)
        .part_size(part_size)
        .multipart_threshold(part_size)
        .concurrency(args.part_concurrency)
        .options(options);
    let started = Instant::now();
    let results: Vec<Result<u64, (String, oss_client::Error)>> =
        futures_util::stream::iter(files.iter().cloned())
            .map(|(relative, size)| {
                let last = Arc::new(std::sync::atomic::AtomicU64::new(0));
                let bar = progress_bar.clone();
                let uploader = uploader.clone().progress(Arc::new(move |done, _total| {
                    let before = last.swap(done, std::sync::atomic::Ordering::Relaxed);
                    bar.inc(done.saturating_sub(before));
                }));
                let key = format!("{}{relative}", args.prefix);
                let path = root.join(&relative);
                let bucket = target.bucket.clone();
                async move {
                    uploader
                        .upload_file(&bucket, &key, &path)
                        .await
                        .map(|_| size)
                        .map_err(|e| (key, e))
                }
            })
            .buffer_unordered(args.objects_in_flight.max(1))
            .collect()
            .await;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let mut bytes = 0;
    let mut failures = 0;
    for result in &results {
        match result {
            Ok(size) => bytes += size,
            Err((key, e)) => {
                failures += 1;
                eprintln!("failed: {key}: {e}");
            }
        }
    }
    target
        .finish(
            "uploaded",
            results.len() - failures,
            bytes,
            seconds,
            failures,
        )
        .await
}
