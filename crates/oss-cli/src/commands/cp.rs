//! `oss cp SOURCE DESTINATION [-r]`: one object or file, or a tree with `-r`.

use std::path::Path;

use oss_client::Client;

use crate::args::CpArgs;
use crate::error::CliError;
use crate::filter::Filter;
use crate::location::{Location, Remote};
use crate::output::{Event, Output, Summary};
use crate::plan::{check_roots, tree_task};
use crate::transfer::{Action, Task, Transfers};
use crate::tree;

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
    let mut summary = Summary::default();
    let tasks = if args.recursive {
        let listed = match &source {
            Location::Local(root) => tree::local(root, &filter).await?,
            Location::Remote(remote) => tree::remote(client, remote, &filter).await?,
        };
        let mut tasks = Vec::with_capacity(listed.len());
        for (relative, entry) in &listed {
            match tree_task(&source, &destination, relative, entry.size) {
                Ok(task) => tasks.push(task),
                Err(error) => {
                    summary.failures += 1;
                    output.event(&Event {
                        action: "plan",
                        from: relative,
                        to: None,
                        bytes: 0,
                        error: Some(&error),
                        resumed_parts: 0,
                    });
                }
            }
        }
        tasks
    } else {
        vec![single_task(client, &source, &destination).await?]
    };
    Transfers::new(client, &args.transfer)
        .run(tasks, output, &mut summary)
        .await;
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
