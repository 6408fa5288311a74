//! Runs a batch of transfers through the transfer managers: `--jobs` objects in flight, each
//! with `--parallel` parts in flight, one shared bandwidth limit, upload checkpoints in one
//! directory that is removed when the batch ends with every object done.

use std::path::{Path, PathBuf};
use std::time::Instant;

use futures_util::{FutureExt as _, Stream, StreamExt as _};
use oss_client::Client;
use oss_client::transfer::{Copier, DEFAULT_PART_SIZE, Downloader, RateLimit, Uploader};

use crate::args::TransferArgs;
use crate::error::CliError;
use crate::location::Remote;
use crate::output::{Event, Output, Summary};

/// Files smaller than this (and below the multipart threshold) are read whole, in one
/// blocking read, and sent from memory: for small files that is one file-system hop instead
/// of several. Memory stays below `--jobs` × 1 MiB.
const READ_WHOLE_BELOW: u64 = 1024 * 1024;

/// Files smaller than this are read by the directory walk of `cp -r` as it finds them (see
/// [`crate::walk::local_stream`]): no hop to another thread per file, reading overlaps with
/// the requests, and the read-ahead stays below 256 × 64 KiB = 16 MiB.
pub(crate) const READ_AHEAD_BELOW: u64 = 64 * 1024;

/// One object to move.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// A local file to an object.
    Upload { from: PathBuf, to: Remote },
    /// An object to a local file (parent directories are created).
    Download { from: Remote, to: PathBuf },
    /// An object to another object (server-side).
    Copy { from: Remote, to: Remote },
    /// A directory marker (a key ending with `/`) to a local directory.
    MakeDir { from: Remote, to: PathBuf },
}

/// An action and the bytes it moves.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) action: Action,
    pub(crate) size: u64,
    /// An upload's whole file, when it was read while walking the tree; sent from memory
    /// when the file is below the multipart threshold, read again otherwise.
    pub(crate) contents: Option<bytes::Bytes>,
}

impl Action {
    /// The verb shown in output.
    pub(crate) fn verb(&self) -> &'static str {
        match self {
            Action::Upload { .. } => "upload",
            Action::Download { .. } => "download",
            Action::Copy { .. } => "copy",
            Action::MakeDir { .. } => "mkdir",
        }
    }

    /// Source and destination as shown in output.
    pub(crate) fn ends(&self) -> (String, String) {
        match self {
            Action::Upload { from, to } => (from.display().to_string(), to.to_string()),
            Action::Download { from, to } | Action::MakeDir { from, to } => {
                (from.to_string(), to.display().to_string())
            }
            Action::Copy { from, to } => (from.to_string(), to.to_string()),
        }
    }
}

/// What a finished object reports.
struct Done {
    bytes: u64,
    resumed_parts: u32,
}

/// The configured transfer managers.
#[derive(Debug)]
pub(crate) struct Transfers {
    client: Client,
    uploader: Uploader,
    downloader: Downloader,
    copier: Copier,
    jobs: usize,
    /// Objects of at least this size go multipart.
    multipart_threshold: u64,
    checkpoint_dir: PathBuf,
}

impl Transfers {
    /// Managers configured from the options.
    pub(crate) fn new(client: &Client, args: &TransferArgs) -> Self {
        let mut uploader = Uploader::new(client)
            .concurrency(args.parallel)
            .checkpoint_dir(&args.checkpoint_dir);
        let mut downloader = Downloader::new(client).concurrency(args.parallel);
        let mut copier = Copier::new(client).concurrency(args.parallel);
        if let Some(part_size) = args.part_size {
            uploader = uploader.part_size(part_size).multipart_threshold(part_size);
            downloader = downloader.part_size(part_size);
            copier = copier.part_size(part_size).multipart_threshold(part_size);
        }
        if let Some(rate) = args.limit_rate {
            let limit = RateLimit::new(rate);
            uploader = uploader.rate_limit(limit.clone());
            downloader = downloader.rate_limit(limit);
        }
        Self {
            client: client.clone(),
            uploader,
            downloader,
            copier,
            jobs: args.jobs.max(1),
            multipart_threshold: args.part_size.unwrap_or(DEFAULT_PART_SIZE),
            checkpoint_dir: args.checkpoint_dir.clone(),
        }
    }

    /// Refuses `--limit-rate` for server-side copies, which move no bytes through this
    /// machine (before any request).
    pub(crate) fn check_copies(args: &TransferArgs) -> Result<(), CliError> {
        match args.limit_rate {
            Some(_) => Err(CliError::usage(
                "--limit-rate does not apply to oss->oss copies (they are server-side)",
            )),
            None => Ok(()),
        }
    }

    /// Runs every task (they may still be arriving, e.g. from a directory walk) and adds the
    /// results to `summary` (objects, bytes, failures, retries, elapsed time).
    pub(crate) async fn run(
        &self,
        tasks: impl Stream<Item = Task>,
        output: &mut Output,
        summary: &mut Summary,
    ) {
        let started = Instant::now();
        let retries_before = self.client.stats().retries;
        output.start();
        let output_ref = &*output;
        let results = tasks
            .inspect(|task| output_ref.planned(task.size))
            .map(|task| async move {
                let result = self.run_one(&task, output_ref).await;
                (task, result)
            })
            .buffer_unordered(self.jobs);
        let mut results = std::pin::pin!(results);
        while let Some((task, result)) = next_result(&mut results, output_ref).await {
            let (from, to) = task.action.ends();
            let (bytes, resumed_parts, error) = match &result {
                Ok(done) => (done.bytes, done.resumed_parts, None),
                Err(e) => (0, 0, Some(e.to_string())),
            };
            match &result {
                Ok(_) => {
                    summary.objects += 1;
                    summary.bytes += bytes;
                }
                Err(_) => summary.failures += 1,
            }
            output_ref.event(&Event {
                action: task.action.verb(),
                from: &from,
                to: Some(&to),
                bytes,
                error: error.as_deref(),
                resumed_parts,
            });
        }
        if summary.failures == 0 {
            // Every upload removed its own checkpoint; the directory goes when it is empty.
            let _ = tokio::fs::remove_dir(&self.checkpoint_dir).await;
        }
        summary.retries += self.client.stats().retries - retries_before;
        summary.elapsed += started.elapsed();
    }

    async fn run_one(&self, task: &Task, output: &Output) -> Result<Done, String> {
        let progress = output.object_progress();
        match &task.action {
            Action::Upload { from, to } => {
                let uploader = self.uploader.clone().progress(progress);
                let out = if task.size < READ_WHOLE_BELOW.min(self.multipart_threshold) {
                    let data = match &task.contents {
                        Some(contents) => contents.clone(),
                        None => read_whole(from).await?,
                    };
                    uploader.upload_bytes(&to.bucket, &to.key, data).await
                } else {
                    uploader.upload_file(&to.bucket, &to.key, from).await
                }
                .map_err(describe)?;
                Ok(Done {
                    bytes: out.size,
                    resumed_parts: out.resumed_parts,
                })
            }
            Action::Download { from, to } => {
                create_parent(to).await?;
                let out = self
                    .downloader
                    .clone()
                    .progress(progress)
                    .download_to_file(&from.bucket, &from.key, to)
                    .await
                    .map_err(describe)?;
                Ok(Done {
                    bytes: out.size,
                    resumed_parts: out.resumed_parts,
                })
            }
            Action::Copy { from, to } => {
                let out = self
                    .copier
                    .clone()
                    .progress(progress)
                    .copy(&from.bucket, &from.key, &to.bucket, &to.key)
                    .await
                    .map_err(describe)?;
                Ok(Done {
                    bytes: out.size,
                    resumed_parts: 0,
                })
            }
            Action::MakeDir { to, .. } => {
                tokio::fs::create_dir_all(to)
                    .await
                    .map_err(|e| local_error(to, e))?;
                Ok(Done {
                    bytes: 0,
                    resumed_parts: 0,
                })
            }
        }
    }
}

/// The next finished object; the lines printed so far go out when none is ready yet, so a
/// run of objects finishing together costs one write to stdout.
async fn next_result<S: Stream + Unpin>(results: &mut S, output: &Output) -> Option<S::Item> {
    if let Some(ready) = results.next().now_or_never() {
        return ready;
    }
    output.flush();
    results.next().await
}

/// An SDK error as one line: its message and the chain of causes.
pub(crate) fn describe(e: oss_client::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The whole file, read on a blocking thread.
async fn read_whole(path: &Path) -> Result<bytes::Bytes, String> {
    let owned = path.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::read(owned))
        .await
        .map_err(|e| format!("read task failed: {e}"))?
        .map(bytes::Bytes::from)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

async fn create_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => tokio::fs::create_dir_all(parent)
            .await
            .map_err(|e| local_error(parent, e)),
        _ => Ok(()),
    }
}

fn local_error(path: &Path, e: std::io::Error) -> String {
    format!("cannot create {}: {e}", path.display())
}
