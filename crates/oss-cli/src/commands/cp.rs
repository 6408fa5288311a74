//! `oss cp SOURCE DESTINATION [-r]`: one object or file, or a tree with `-r`.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt as _;
use futures_util::stream::{self, BoxStream};
use oss_client::Client;

use crate::args::CpArgs;
use crate::error::CliError;
use crate::filter::Filter;
use crate::location::{Location, Remote};
use crate::output::{Event, Output, Summary};
use crate::plan::{check_roots, tree_task};
use crate::transfer::{Action, READ_AHEAD_BELOW, Task, Transfers};
use crate::tree::{self, Found, Listed};
use crate::walk;

/// Runs `cp`; the summary counts what was copied and what failed.
pub(crate) async fn run(
    client: &Client,
    args: &CpArgs,
    output: &mut Output,
) -> Result<Summary, CliError> {
    let source = Location::parse(&args.source)?;
    let destination = Location::parse(&args.destination)?;
    check_roots(&source, &destination)?;
    if matches!(
        (&source, &destination),
        (Location::Remote(_), Location::Remote(_))
    ) {
        Transfers::check_copies(&args.transfer)?;
    }
    let filter = Filter::new(&args.filter)?;
    let transfers = Transfers::new(client, &args.transfer);
    let mut summary = Summary::default();
    if !args.recursive {
        let task = single_task(client, &source, &destination).await?;
        transfers
            .run(stream::iter([task]), output, &mut summary)
            .await;
        return Ok(summary);
    }
    // Local trees stream from the walk, so uploads start before it ends.
    let found: BoxStream<'_, Found> = match &source {
        Location::Local(root) => {
            let checkpoint_dir = Some(args.transfer.checkpoint_dir.as_path());
            walk::local_stream(root, &filter, checkpoint_dir, READ_AHEAD_BELOW).boxed()
        }
        Location::Remote(remote) => {
            let listed = tree::remote(client, remote, &filter).await?;
            let listed = listed.into_iter().map(|(relative, entry)| {
                Ok(Listed {
                    relative,
                    entry,
                    contents: None,
                })
            });
            stream::iter(listed).boxed()
        }
    };
    let plan_failures = AtomicU64::new(0);
    let printer = output.clone();
    let tasks = found.filter_map(|found| {
        let planned = found
            .map_err(|e| ("list".to_owned(), e.to_string()))
            .and_then(|listed| {
                let task = tree_task(&source, &destination, &listed.relative, listed.entry.size);
                match task {
                    Ok(task) => Ok(Task {
                        contents: listed.contents,
                        ..task
                    }),
                    Err(e) => Err((listed.relative, e)),
                }
            });
        let task = match planned {
            Ok(task) => Some(task),
            Err((what, error)) => {
                plan_failures.fetch_add(1, Ordering::Relaxed);
                printer.event(&Event::about("plan", &what, Some(&error)));
                None
            }
        };
        std::future::ready(task)
    });
    transfers.run(tasks, output, &mut summary).await;
    summary.failures += plan_failures.into_inner();
    Ok(summary)
}

/// The one task of a copy without `-r`.
async fn single_task(
    client: &Client,
    source: &Location,
    destination: &Location,
) -> Result<Task, CliError> {
    match (source, destination) {
        (Location::Local(from), Location::Remote(to)) => {
            let metadata = tokio::fs::metadata(from)
                .await
                .map_err(|e| CliError::usage(format!("{}: {e}", from.display())))?;
            if metadata.is_dir() {
                return Err(CliError::usage(format!(
                    "{} is a directory: use -r",
                    from.display()
                )));
            }
            let name = file_name(from)?;
            Ok(Task {
                action: Action::Upload {
                    from: from.clone(),
                    to: into_prefix(to, &name),
                },
                size: metadata.len(),
                contents: None,
            })
        }
        (Location::Remote(from), Location::Local(to)) => {
            let name = key_name(from)?;
            let size = object_size(client, from).await?;
            let to = if to.is_dir() || to.as_os_str().to_string_lossy().ends_with('/') {
                to.join(name)
            } else {
                to.clone()
            };
            Ok(Task {
                action: Action::Download {
                    from: from.clone(),
                    to,
                },
                size,
                contents: None,
            })
        }
        (Location::Remote(from), Location::Remote(to)) => {
            let name = key_name(from)?;
            let size = object_size(client, from).await?;
            Ok(Task {
                action: Action::Copy {
                    from: from.clone(),
                    to: into_prefix(to, name),
                },
                size,
                contents: None,
            })
        }
        (Location::Local(_), Location::Local(_)) => unreachable!("refused by check_roots"),
    }
}

/// `to`, or `to` + `name` when `to` is a bucket root or ends with `/`.
fn into_prefix(to: &Remote, name: &str) -> Remote {
    if to.key.is_empty() || to.key.ends_with('/') {
        to.child(name)
    } else {
        to.clone()
    }
}

fn file_name(path: &Path) -> Result<String, CliError> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .ok_or_else(|| CliError::usage(format!("{}: no UTF-8 file name", path.display())))
}

/// The last segment of an object key.
fn key_name(remote: &Remote) -> Result<&str, CliError> {
    match remote.key.rsplit('/').next() {
        Some(name) if !name.is_empty() => Ok(name),
        _ => Err(CliError::usage(format!(
            "{remote}: not an object key (use -r for a prefix)"
        ))),
    }
}

async fn object_size(client: &Client, remote: &Remote) -> Result<u64, CliError> {
    let head = client
        .head_object()
        .bucket(&remote.bucket)
        .key(&remote.key)
        .send()
        .await
        .map_err(|e| CliError::failed(format!("{remote}: {e}")))?;
    Ok(head.content_length)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser as _;
    use oss_client::auth::StaticCredentialsProvider;
    use tokio::time::Instant;

    use super::*;
    use crate::args::{Cli, Command};

    /// Runs `oss cp -r DIR oss://paced/up ARGS…` against `emulator` and returns the summary.
    async fn cp_tree(
        emulator: &oss_emulator::EmulatorHandle,
        dir: &Path,
        extra: &[&str],
    ) -> Summary {
        let client = Client::builder()
            .endpoint(emulator.endpoint())
            .region(emulator.region())
            .credentials_provider(
                StaticCredentialsProvider::new(
                    emulator.access_key_id(),
                    emulator.access_key_secret(),
                )
                .unwrap(),
            )
            .build()
            .unwrap();
        let checkpoints = dir.with_extension("checkpoints");
        let mut words = vec!["oss", "--json", "cp", "-r"];
        words.push(dir.to_str().unwrap());
        words.push("oss://paced/up");
        words.extend_from_slice(&["--checkpoint-dir", checkpoints.to_str().unwrap()]);
        words.extend_from_slice(extra);
        let Command::Cp(args) = Cli::try_parse_from(words).unwrap().command else {
            unreachable!("a cp command")
        };
        run(&client, &args, &mut Output::new(true)).await.unwrap()
    }

    /// `--limit-rate` paces the uploads on tokio's paused clock: 5 files of 10 KiB at
    /// 10 KiB/s take 4 s (the first second's worth goes at once), and no time at all without
    /// the limit.
    #[tokio::test(start_paused = true)]
    async fn limit_rate_paces_a_tree_upload() {
        let emulator = oss_emulator::Emulator::builder()
            .bucket("paced")
            .start()
            .await
            .unwrap();
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("tree");
        std::fs::create_dir(&dir).unwrap();
        for i in 0..5u8 {
            std::fs::write(dir.join(format!("f{i}")), vec![i; 10 * 1024]).unwrap();
        }
        let started = Instant::now();
        let summary = cp_tree(&emulator, &dir, &["--limit-rate", "10K", "--jobs", "2"]).await;
        let paced = started.elapsed();
        assert_eq!(
            (summary.objects, summary.bytes, summary.failures),
            (5, 51_200, 0)
        );
        let started = Instant::now();
        let summary = cp_tree(&emulator, &dir, &["--jobs", "2"]).await;
        let free = started.elapsed();
        assert_eq!((summary.objects, summary.failures), (5, 0));
        assert_eq!(free, Duration::ZERO);
        assert_eq!(paced.as_millis(), 4000, "{paced:?}");
    }
}
