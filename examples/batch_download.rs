//! Downloads every object under a prefix into a directory with the Downloader (concurrent
//! ranges, CRC-64 of every object verified), with a progress bar and a closing summary.
//! Each download is pinned to the ETag the listing showed (`DownloadOptions::if_match`): an
//! object replaced since the listing fails with `PreconditionFailed` instead of mixing
//! versions. `--request-payer` downloads from a pay-by-requester bucket.
//!
//! ```text
//! cargo run --release -p oss-examples --example batch_download                 # emulator: upload a generated tree, then download and compare
//! cargo run --release -p oss-examples --example batch_download -- --prefix backup/ --dest ./restore
//! ```
//! Against a real endpoint set `OSS_ENDPOINT`, `OSS_REGION`, `OSS_ACCESS_KEY_ID`,
//! `OSS_ACCESS_KEY_SECRET` and `OSS_BUCKET`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use futures_util::{StreamExt as _, TryStreamExt as _};
use indicatif::{ProgressBar, ProgressStyle};
use oss_client::transfer::{DownloadOptions, Downloader, Uploader};
use oss_examples::{BoxError, Target, generate_tree};

#[derive(Parser, Debug)]
#[command(about = "Download every object under a prefix from OSS")]
struct Args {
    /// The key prefix to download.
    #[arg(long, default_value = "batch/")]
    prefix: String,
    /// The destination directory (default: a temporary directory).
    #[arg(long)]
    dest: Option<PathBuf>,
    /// Objects in flight at once.
    #[arg(long, default_value_t = 16)]
    objects_in_flight: usize,
    /// With the emulator: files to upload first.
    #[arg(long, default_value_t = 60)]
    files: usize,
    /// With the emulator: the largest file in MiB.
    #[arg(long, default_value_t = 20)]
    max_file_mib: u64,
    /// The bucket.
    #[arg(long, default_value = "batch-download")]
    bucket: String,
    /// Send `x-oss-request-payer: requester` (the requester pays for the downloads).
    #[arg(long)]
    request_payer: bool,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let args = Args::parse();
    let target = Target::connect(&args.bucket).await?;
    let source = tempfile::tempdir()?;
    if target.emulator.is_some() {
        let made = generate_tree(source.path(), args.files, args.max_file_mib * 1024 * 1024)?;
        let uploader = Uploader::new(&target.client);
        for (relative, _) in &made {
            let key = format!("{}{relative}", args.prefix);
            uploader
                .upload_file(&target.bucket, &key, source.path().join(relative))
                .await?;
        }
        println!(
            "uploaded {} generated files to {} to download them back",
            made.len(),
            target.describe()
        );
    }
    let objects: Vec<(String, u64, String)> = target
        .client
        .list_objects_v2()
        .bucket(&target.bucket)
        .prefix(&args.prefix)
        .max_keys(1000)
        .into_paginator()
        .map_ok(|page| {
            futures_util::stream::iter(
                page.contents
                    .into_iter()
                    .map(|o| Ok::<_, oss_client::Error>((o.key, o.size, o.etag))),
            )
        })
        .try_flatten()
        .try_collect()
        .await?;
    let destination_dir = tempfile::tempdir()?;
    let dest = args
        .dest
        .clone()
        .unwrap_or_else(|| destination_dir.path().to_path_buf());
    let total: u64 = objects.iter().map(|(_, s, _)| s).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
    )?);
    let started = Instant::now();
    let results: Vec<Result<(String, u64), (String, oss_client::Error)>> =
        futures_util::stream::iter(objects.iter().cloned())
            .map(|(key, _, etag)| {
                let last = Arc::new(std::sync::atomic::AtomicU64::new(0));
                let progress = bar.clone();
                let options = DownloadOptions::new()
                    .if_match(etag)
                    .request_payer(args.request_payer);
                let downloader =
                    Downloader::new(&target.client)
                        .options(options)
                        .progress(Arc::new(move |done, _| {
                            let before = last.swap(done, std::sync::atomic::Ordering::Relaxed);
                            progress.inc(done.saturating_sub(before));
                        }));
                let relative = key.strip_prefix(&args.prefix).unwrap_or(&key).to_owned();
                let path = dest.join(&relative);
                let bucket = target.bucket.clone();
                async move {
                    if let Some(parent) = path.parent() {
                        let _ = tokio::fs::create_dir_all(parent).await;
                    }
                    match downloader.download_to_file(&bucket, &key, &path).await {
                        Ok(out) => Ok((relative, out.size)),
                        Err(e) => Err((key, e)),
                    }
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
            Ok((relative, size)) => {
                bytes += size;
                if target.emulator.is_some() {
                    let original = std::fs::read(source.path().join(relative))?;
                    let downloaded = std::fs::read(dest.join(relative))?;
                    if original != downloaded {
                        failures += 1;
                        eprintln!("differs: {relative}");
                    }
                }
            }
            Err((key, e)) => {
                failures += 1;
                eprintln!("failed: {key}: {e}");
            }
        }
    }
    target
        .finish(
            "downloaded and verified",
            results.len() - failures,
            bytes,
            seconds,
            failures,
        )
        .await
}
