//! The listing of a prefix guided by a local tree. ListObjectsV2 is a chain of round trips
//! (each page names the next), so a long listing is as slow as its pages one after another.
//! `sync` walks the local side meanwhile; as soon as the walk has the local names (its first
//! pass reads directories only, see [`crate::walk::local`]), the part of the key space the
//! chain has not reached yet is cut into ranges at those names and each range is listed by
//! a chain of its own, all at once. When both sides have the same keys (an unchanged tree),
//! each range is about a whole number of pages.
//!
//! The ranges never overlap and leave no gap whatever the keys on either side: a range is
//! (`start-after`, end], the next one starts after that end, and the first chain's end is
//! set under the same lock it records its progress with.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::TryStreamExt as _;
use oss_client::Client;
use oss_client::operation::list_objects_v2::ListObjectsV2Request;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::error::CliError;
use crate::filter::Filter;
use crate::location::Remote;
use crate::tree::{Entry, Tree, listed_entry};

/// Objects per ListObjectsV2 page (the most OSS returns).
const PAGE: usize = 1000;

/// Chains of requests at most, the first one included.
const MAX_CHAINS: usize = 8;

/// How far a chain has listed and where its range ends.
#[derive(Debug, Default)]
struct Reach {
    /// The last key handed over (whole key).
    last: Option<String>,
    /// The last key of the range (inclusive, whole key); `None`: to the end of the listing.
    end: Option<String>,
    /// The chain has listed its whole range.
    finished: bool,
}

type SharedReach = Arc<Mutex<Reach>>;

fn lock(reach: &SharedReach) -> MutexGuard<'_, Reach> {
    reach.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The objects under `remote` taken as a directory prefix that `filter` selects, keyed by
/// the rest of their key, like [`crate::tree::remote`]. When `guide` delivers the local
/// names (relative keys in byte order) before the listing is done, the rest of the listing
/// is split at them (see the module documentation); when it is dropped instead, one chain
/// lists everything.
///
/// # Errors
/// The first ListObjectsV2 error of any chain (the other chains are stopped).
pub(crate) async fn remote(
    client: &Client,
    remote: &Remote,
    filter: &Filter,
    guide: oneshot::Receiver<Arc<[String]>>,
) -> Result<Tree, CliError> {
    listing(client, remote, filter, guide, PAGE).await
}

async fn listing(
    client: &Client,
    remote: &Remote,
    filter: &Filter,
    guide: oneshot::Receiver<Arc<[String]>>,
    page: usize,
) -> Result<Tree, CliError> {
    let prefix = remote.dir_prefix();
    let max_keys = u32::try_from(page).unwrap_or(u32::MAX);
    let request = client
        .list_objects_v2()
        .bucket(&remote.bucket)
        .prefix(&prefix)
        .max_keys(max_keys);
    // Dropping the set (an error, or the command dropped) stops every chain.
    let mut chains = JoinSet::new();
    let spawn = |chains: &mut JoinSet<_>, index: usize, request, reach: &SharedReach| {
        let chain = list_range(request, Arc::clone(reach), prefix.clone(), filter.clone());
        chains.spawn(async move { (index, chain.await) });
    };
    let lead = SharedReach::default();
    spawn(&mut chains, 0, request.clone(), &lead);
    let mut ranges = Vec::new();
    let mut take = |joined: Result<(usize, Result<_, CliError>), tokio::task::JoinError>| {
        let (index, listed) =
            joined.map_err(|e| CliError::failed(format!("a listing task failed: {e}")))?;
        ranges.push((index, listed?));
        Ok::<_, CliError>(())
    };
    tokio::select! {
        Ok(names) = guide => {
            for (index, (start_after, end)) in split(&lead, &names, &prefix, page).into_iter().enumerate() {
                let reach = Arc::new(Mutex::new(Reach { end, ..Reach::default() }));
                spawn(&mut chains, index + 1, request.clone().start_after(start_after), &reach);
            }
        }
        Some(joined) = chains.join_next() => take(joined)?,
    }
    // The first error returns at once; dropping the set stops the other chains.
    while let Some(joined) = chains.join_next().await {
        take(joined)?;
    }
    ranges.sort_by_key(|(index, _)| *index);
    Ok(ranges.into_iter().flat_map(|(_, listed)| listed).collect())
}

/// The ranges after the first chain's progress, cut at `names` (relative keys in byte
/// order): (start-after, end) of each new chain, whole keys. The first chain's own range
/// ends where the first new one starts (its end is set here, under its lock). Nothing is cut
/// when the first chain has finished or less than two pages of names lie ahead of it.
fn split(
    lead: &SharedReach,
    names: &[String],
    prefix: &str,
    page: usize,
) -> Vec<(String, Option<String>)> {
    let mut reach = lock(lead);
    if reach.finished {
        return Vec::new();
    }
    let ahead = match reach.last.as_deref() {
        Some(last) => {
            let reached = last.strip_prefix(prefix).unwrap_or(last);
            &names[names.partition_point(|name| name.as_str() <= reached)..]
        }
        None => names,
    };
    let cuts: Vec<String> = cut_points(ahead.len(), page, MAX_CHAINS)
        .into_iter()
        .map(|at| format!("{prefix}{}", ahead[at]))
        .collect();
    reach.end = cuts.first().cloned();
    cuts.iter()
        .enumerate()
        .map(|(i, start_after)| (start_after.clone(), cuts.get(i + 1).cloned()))
        .collect()
}

/// Where to cut `remaining` keys into ranges of whole pages, at most `max_chains` ranges:
/// the index of the last key of every range but the last one.
fn cut_points(remaining: usize, page: usize, max_chains: usize) -> Vec<usize> {
    let pages = remaining.div_ceil(page.max(1));
    if pages < 2 {
        return Vec::new();
    }
    let chains = pages.min(max_chains.max(1));
    let per_chain = pages.div_ceil(chains) * page;
    (1..chains)
        .map(|i| i * per_chain - 1)
        .filter(|&at| at + 1 < remaining)
        .collect()
}

/// Lists the range of `reach` from where `request` starts: the entries of its objects in
/// key order. The range's end is read again for every page, as it may be set meanwhile.
async fn list_range(
    request: ListObjectsV2Request,
    reach: SharedReach,
    prefix: String,
    filter: Filter,
) -> Result<Vec<(String, Entry)>, CliError> {
    let mut pages = request.into_paginator();
    let mut listed = Vec::new();
    while let Some(page) = pages.try_next().await? {
        let mut reach = lock(&reach);
        let mut last = None;
        let mut past_end = false;
        for object in page.contents {
            if reach.end.as_ref().is_some_and(|end| object.key > *end) {
                past_end = true;
                break;
            }
            listed.extend(listed_entry(&prefix, &filter, &object));
            last = Some(object.key);
        }
        if last.is_some() {
            reach.last = last;
        }
        let at_end = reach.end.is_some() && reach.end == reach.last;
        if past_end || at_end {
            reach.finished = true;
            return Ok(listed);
        }
    }
    lock(&reach).finished = true;
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use oss_client::auth::StaticCredentialsProvider;

    use super::*;
    use crate::args::FilterArgs;

    #[test]
    fn cuts_fall_on_whole_pages_and_leave_the_last_range_open() {
        assert_eq!(cut_points(0, 10, 8), Vec::<usize>::new());
        assert_eq!(cut_points(10, 10, 8), Vec::<usize>::new());
        assert_eq!(cut_points(11, 10, 8), [9]);
        assert_eq!(cut_points(50, 10, 8), [9, 19, 29, 39]);
        // More pages than chains: whole pages per chain, the last chain takes the rest.
        assert_eq!(cut_points(200, 10, 8), [29, 59, 89, 119, 149, 179]);
        assert_eq!(cut_points(95, 10, 1), Vec::<usize>::new());
    }

    #[test]
    fn the_first_chain_ends_where_the_new_ones_start() {
        let names: Vec<String> = (0..45).map(|i| format!("k{i:03}")).collect();
        let lead = SharedReach::default();
        lock(&lead).last = Some("p/k004".to_owned());
        let ranges = split(&lead, &names, "p/", 10);
        // 40 keys after k004: the first chain keeps k005..=k014.
        assert_eq!(lock(&lead).end.as_deref(), Some("p/k014"));
        assert_eq!(
            ranges,
            [
                ("p/k014".to_owned(), Some("p/k024".to_owned())),
                ("p/k024".to_owned(), Some("p/k034".to_owned())),
                ("p/k034".to_owned(), None),
            ]
        );
        lock(&lead).finished = true;
        assert!(split(&lead, &names, "p/", 10).is_empty());
    }

    async fn emulator_client() -> (oss_emulator::EmulatorHandle, Client) {
        let emulator = oss_emulator::start().await.unwrap();
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
        client.put_bucket().bucket("guided").send().await.unwrap();
        (emulator, client)
    }

    /// Lists `remote_keys` under `p/` guided by a tree of `local_keys` (delivered before the
    /// first page, or never) and compares with the plain listing.
    async fn check(client: &Client, remote_keys: &[&str], local_keys: &[&str], guided: bool) {
        let remote = Remote {
            bucket: "guided".to_owned(),
            key: "p".to_owned(),
        };
        let filter = Filter::new(&FilterArgs::default()).unwrap();
        let mut names: Vec<String> = local_keys.iter().map(|k| (*k).to_owned()).collect();
        names.sort_unstable();
        let (sender, receiver) = oneshot::channel();
        if guided {
            sender.send(names.into()).unwrap();
        } else {
            drop(sender);
        }
        let listed = listing(client, &remote, &filter, receiver, 3)
            .await
            .unwrap();
        let plain = crate::tree::remote(client, &remote, &filter).await.unwrap();
        let keys: Vec<&str> = listed.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = remote_keys.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected, "guided by {local_keys:?}");
        assert_eq!(listed, plain);
    }

    #[tokio::test]
    async fn an_error_of_any_chain_is_the_listings_error() {
        let (_emulator, client) = emulator_client().await;
        let remote = Remote {
            bucket: "no-such-bucket".to_owned(),
            key: "p".to_owned(),
        };
        let filter = Filter::new(&FilterArgs::default()).unwrap();
        let names: Vec<String> = (0..20).map(|i| format!("k{i:02}")).collect();
        let (sender, receiver) = oneshot::channel();
        sender.send(names.into()).unwrap();
        let error = listing(&client, &remote, &filter, receiver, 3)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("NoSuchBucket"), "{error}");
    }

    #[tokio::test]
    async fn a_guided_listing_lists_exactly_the_remote_keys() {
        let (_emulator, client) = emulator_client().await;
        let remote_keys = [
            "a", "a/b", "a/c", "b", "b.txt", "b/x", "c", "d 1", "d/é", "e", "f", "g", "h",
        ];
        for key in remote_keys.iter().chain(["q/outside"].iter()) {
            let key = if key.starts_with("q/") {
                (*key).to_owned()
            } else {
                format!("p/{key}")
            };
            client
                .put_object()
                .bucket("guided")
                .key(key)
                .body(bytes::Bytes::from_static(b"x"))
                .send()
                .await
                .unwrap();
        }
        // The same keys, none, fewer, other keys in between, keys only past the end, and
        // more local keys than remote ones.
        let same: Vec<&str> = remote_keys.to_vec();
        let every_other: Vec<&str> = remote_keys.iter().copied().step_by(2).collect();
        let between = ["a0", "a/bb", "b-", "c0", "d", "e0", "f0", "g0", "zz"];
        let past = ["x", "y", "z", "zz", "zzz", "zzzz", "zzzzz"];
        let many: Vec<String> = (0..40)
            .map(|i| format!("{}{i}", (b'a' + i % 9) as char))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for local in [&same[..], &[], &every_other, &between, &past, &many] {
            check(&client, &remote_keys, local, true).await;
        }
        check(&client, &remote_keys, &same, false).await;
    }
}
