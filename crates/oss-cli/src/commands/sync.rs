//! `oss sync SOURCE DESTINATION [--delete] [--dry-run]`: sends what the destination lacks or
//! has changed, in either direction (or between prefixes).
//!
//! Changed means a different size, or the same size and a different CRC-64. The modification
//! time is a cheap pre-check: a destination of the same size written in a later second than
//! the source's last change is unchanged without hashing, so an unchanged tree costs two
//! listings (whole seconds because OSS's Last-Modified has one-second precision). Otherwise
//! local files are hashed and objects' CRC-64 read with HeadObject.

use std::path::Path;

use futures_util::StreamExt as _;
use oss_client::Client;
use tokio::sync::oneshot;

use crate::args::SyncArgs;
use crate::checksum;
use crate::commands::rm;
use crate::error::CliError;
use crate::filter::Filter;
use crate::guided_listing;
use crate::location::{Location, Remote};
use crate::output::{Event, Output, Summary};
use crate::plan::{check_roots, tree_task};
use crate::transfer::{Task, Transfers};
use crate::tree::{self, Entry, Tree, local_path};
use crate::walk;

/// How a source entry compares with the destination before any hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precheck {
    /// Missing at the destination, or of another size: send.
    Send,
    /// Same size, and the destination was written in a later second than the source's last
    /// change.
    Unchanged,
    /// Same size but possibly changed: compare CRC-64s.
    Compare,
}

fn precheck(source: &Entry, destination: Option<&Entry>) -> Precheck {
    let Some(destination) = destination else {
        return Precheck::Send;
    };
    if source.size != destination.size {
        return Precheck::Send;
    }
    match (source.modified, destination.modified) {
        (Some(s), Some(d)) if seconds(d) > seconds(s) => Precheck::Unchanged,
        _ => Precheck::Compare,
    }
}

/// Whole seconds since the epoch (times before it count as 0).
fn seconds(time: std::time::SystemTime) -> u64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Runs `sync`.
pub(crate) async fn run(
    client: &Client,
    args: &SyncArgs,
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
    let started = std::time::Instant::now();
    let checkpoint_dir = Some(args.transfer.checkpoint_dir.as_path());
    let (source_tree, destination_tree) =
        list_both(client, &source, &destination, &filter, checkpoint_dir).await?;
    let mut summary = Summary::default();
    let mut to_send = Vec::new();
    let mut to_compare = Vec::new();
    // Both trees are in path order: one pass pairs each source entry with its destination.
    let mut destination_entries = destination_tree.iter().peekable();
    for (relative, entry) in &source_tree {
        while destination_entries
            .next_if(|(d, _)| *d < relative)
            .is_some()
        {}
        let at_destination = destination_entries
            .next_if(|(d, _)| *d == relative)
            .map(|(_, e)| e);
        if is_directory_marker(&destination, relative) {
            summary.skipped += 1;
            continue;
        }
        match precheck(entry, at_destination) {
            Precheck::Send => to_send.push((relative.clone(), entry.size)),
            Precheck::Unchanged => summary.skipped += 1,
            Precheck::Compare => to_compare.push((relative.clone(), entry.size)),
        }
    }
    let jobs = args.transfer.jobs.max(1);
    let mut compared = futures_util::stream::iter(to_compare)
        .map(|(relative, size)| {
            let (source, destination) = (&source, &destination);
            async move {
                let same = same_crc64(client, source, destination, &relative).await;
                (relative, size, same)
            }
        })
        .buffer_unordered(jobs);
    while let Some((relative, size, same)) = compared.next().await {
        match same {
            Ok(true) => summary.skipped += 1,
            Ok(false) => to_send.push((relative, size)),
            Err(error) => fail(output, &mut summary, "compare", &relative, &error),
        }
    }
    drop(compared);
    to_send.sort();
    let mut tasks = Vec::with_capacity(to_send.len());
    for (relative, size) in &to_send {
        match tree_task(&source, &destination, relative, *size) {
            Ok(task) => tasks.push(task),
            Err(error) => fail(output, &mut summary, "plan", relative, &error),
        }
    }
    let stale: Vec<String> = if args.delete {
        destination_tree
            .keys()
            .filter(|relative| {
                !source_tree.contains_key(*relative) && !is_directory_marker(&source, relative)
            })
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    if args.dry_run {
        dry_run(output, &tasks, &destination, &stale);
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    summary.elapsed = started.elapsed();
    Transfers::new(client, &args.transfer)
        .run(futures_util::stream::iter(tasks), output, &mut summary)
        .await;
    let deleting = std::time::Instant::now();
    delete_stale(client, &destination, &stale, output, &mut summary).await;
    summary.elapsed += deleting.elapsed();
    Ok(summary)
}

/// Both trees at once. When one side is local, its walk guides the listing of the other
/// (see [`guided_listing`]).
async fn list_both(
    client: &Client,
    source: &Location,
    destination: &Location,
    filter: &Filter,
    checkpoint_dir: Option<&Path>,
) -> Result<(Tree, Tree), CliError> {
    match (source, destination) {
        (Location::Local(root), Location::Remote(remote)) => {
            walk_and_list(client, root, remote, filter, checkpoint_dir).await
        }
        (Location::Remote(remote), Location::Local(root)) => {
            let (local, listed) =
                walk_and_list(client, root, remote, filter, checkpoint_dir).await?;
            Ok((listed, local))
        }
        _ => tokio::try_join!(
            list(client, source, filter, checkpoint_dir),
            list(client, destination, filter, checkpoint_dir)
        ),
    }
}

/// The local tree under `root` and the listing of `remote`, guided by the local names as
/// soon as the walk has them: (local, remote).
async fn walk_and_list(
    client: &Client,
    root: &Path,
    remote: &Remote,
    filter: &Filter,
    checkpoint_dir: Option<&Path>,
) -> Result<(Tree, Tree), CliError> {
    let (names, guide) = oneshot::channel();
    tokio::try_join!(
        walk::local(root, filter, checkpoint_dir, Some(names)),
        guided_listing::remote(client, remote, filter, guide)
    )
}

async fn list(
    client: &Client,
    location: &Location,
    filter: &Filter,
    checkpoint_dir: Option<&Path>,
) -> Result<Tree, CliError> {
    match location {
        Location::Local(root) => walk::local(root, filter, checkpoint_dir, None).await,
        Location::Remote(remote) => tree::remote(client, remote, filter).await,
    }
}

/// Whether `relative` is a directory marker (a key ending with `/`) that `root`, a local
/// tree, has as a directory: a local tree lists files only, so the marker counts as present
/// there (not sent again, not deleted as stale).
fn is_directory_marker(root: &Location, relative: &str) -> bool {
    match root {
        Location::Local(root) if relative.ends_with('/') => {
            local_path(root, relative).is_ok_and(|path| path.is_dir())
        }
        _ => false,
    }
}

/// Whether both sides of `relative` have the same CRC-64 (an object without one compares
/// unequal, so it is sent again).
async fn same_crc64(
    client: &Client,
    source: &Location,
    destination: &Location,
    relative: &str,
) -> Result<bool, String> {
    let (a, b) = tokio::try_join!(
        crc64(client, source, relative),
        crc64(client, destination, relative)
    )?;
    Ok(a.is_some() && a == b)
}

async fn crc64(client: &Client, root: &Location, relative: &str) -> Result<Option<u64>, String> {
    match root {
        Location::Local(root) => {
            let path = local_path(root, relative)?;
            let hashes = checksum::file(&path)
                .await
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Some(hashes.crc64))
        }
        Location::Remote(remote) => {
            let object = remote.child(relative);
            let head = client
                .head_object()
                .bucket(&object.bucket)
                .key(&object.key)
                .send()
                .await
                .map_err(|e| format!("{object}: {e}"))?;
            Ok(head.crc64)
        }
    }
}

fn fail(output: &Output, summary: &mut Summary, action: &str, relative: &str, error: &str) {
    summary.failures += 1;
    output.event(&Event::about(action, relative, Some(error)));
}

fn dry_run(output: &Output, tasks: &[Task], destination: &Location, stale: &[String]) {
    for task in tasks {
        let (from, to) = task.action.ends();
        output.event(&Event {
            action: &format!("{} (dry run)", task.action.verb()),
            from: &from,
            to: Some(&to),
            bytes: task.size,
            error: None,
            resumed_parts: 0,
        });
    }
    for relative in stale {
        output.event(&Event::about(
            "delete (dry run)",
            &shown(destination, relative),
            None,
        ));
    }
}

fn shown(root: &Location, relative: &str) -> String {
    match root {
        Location::Local(root) => root.join(relative).display().to_string(),
        Location::Remote(remote) => remote.child(relative).to_string(),
    }
}

/// Deletes what the source no longer has: local files one by one, objects 1000 per
/// DeleteMultipleObjects request.
async fn delete_stale(
    client: &Client,
    destination: &Location,
    stale: &[String],
    output: &Output,
    summary: &mut Summary,
) {
    match destination {
        Location::Remote(remote) => {
            let keys = stale.iter().map(|r| remote.child(r).key).collect();
            rm::delete_keys(client, &remote.bucket, keys, output, summary).await;
        }
        Location::Local(root) => {
            for relative in stale {
                let result = match local_path(root, relative) {
                    Ok(path) => tokio::fs::remove_file(&path)
                        .await
                        .map_err(|e| format!("{}: {e}", path.display())),
                    Err(e) => Err(e),
                };
                let from = shown(destination, relative);
                match &result {
                    Ok(()) => summary.deleted += 1,
                    Err(_) => summary.failures += 1,
                }
                let error = result.as_ref().err().map(String::as_str);
                output.event(&Event::about("delete", &from, error));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    fn entry(size: u64, seconds: u64) -> Entry {
        Entry {
            size,
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)),
        }
    }

    #[test]
    fn prechecks_size_then_time() {
        assert_eq!(precheck(&entry(1, 10), None), Precheck::Send);
        assert_eq!(precheck(&entry(1, 10), Some(&entry(2, 20))), Precheck::Send);
        assert_eq!(
            precheck(&entry(1, 10), Some(&entry(1, 20))),
            Precheck::Unchanged
        );
        // The same second: either side may have been written first.
        assert_eq!(
            precheck(&entry(1, 10), Some(&entry(1, 10))),
            Precheck::Compare
        );
        assert_eq!(
            precheck(&entry(1, 30), Some(&entry(1, 20))),
            Precheck::Compare
        );
        let unknown = Entry {
            size: 1,
            modified: None,
        };
        assert_eq!(precheck(&unknown, Some(&entry(1, 20))), Precheck::Compare);
    }
}
