//! Trees: the files of a local directory (listed by [`crate::walk`]) and the objects under a
//! prefix, as paths relative to the tree's root (`/`-separated), with size and modification
//! time; and the local path of a relative key.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use bytes::Bytes;
use futures_util::TryStreamExt as _;
use oss_client::Client;
use oss_client::types::ObjectSummary;
use tokio::sync::mpsc;

use crate::error::CliError;
use crate::filter::Filter;
use crate::location::Remote;

/// One file or object of a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Bytes.
    pub(crate) size: u64,
    /// The file's modification time, or the object's Last-Modified (UTC).
    pub(crate) modified: Option<SystemTime>,
}

/// A tree: relative path -> entry, in byte order of the paths.
pub(crate) type Tree = BTreeMap<String, Entry>;

/// A file or object of a listing: its relative path, its entry and, when the walk read it,
/// its bytes (see [`crate::walk::local_stream`]).
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// `/`-separated, relative to the tree's root.
    pub(crate) relative: String,
    pub(crate) entry: Entry,
    /// The whole file, read by the walk; `None` when it was not read.
    pub(crate) contents: Option<Bytes>,
}

/// A file found by a walk, or why it could not be listed or read.
pub(crate) type Found = Result<Listed, CliError>;

/// The objects under `remote` taken as a directory prefix (ListObjectsV2, every page) that
/// `filter` selects, keyed by the rest of their key. The next page is requested while the
/// one before is put in the tree (a task of its own fetches the pages, one ahead), so the
/// listing's round trips never wait for that work.
pub(crate) async fn remote(
    client: &Client,
    remote: &Remote,
    filter: &Filter,
) -> Result<Tree, CliError> {
    let prefix = remote.dir_prefix();
    let mut pages = client
        .list_objects_v2()
        .bucket(&remote.bucket)
        .prefix(&prefix)
        .max_keys(1000)
        .into_paginator();
    let (sender, mut receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        while let Some(page) = pages.try_next().await.transpose() {
            if sender.send(page).await.is_err() {
                break;
            }
        }
    });
    let mut tree = Tree::new();
    while let Some(page) = receiver.recv().await {
        for object in page?.contents {
            if let Some((relative, entry)) = listed_entry(&prefix, filter, &object) {
                tree.insert(relative, entry);
            }
        }
    }
    Ok(tree)
}

/// A listed object as a tree entry: its key below `prefix` and its size and Last-Modified;
/// `None` for the prefix's own marker and for keys `filter` leaves out.
pub(crate) fn listed_entry(
    prefix: &str,
    filter: &Filter,
    object: &ObjectSummary,
) -> Option<(String, Entry)> {
    let relative = object.key.get(prefix.len()..)?;
    if relative.is_empty() || !filter.selects(relative) {
        return None;
    }
    let entry = Entry {
        size: object.size,
        modified: object.last_modified,
    };
    Some((relative.to_owned(), entry))
}

/// The local path of `relative` (an object key below a prefix) under `root`. Keys that would
/// leave `root` (`..`, an absolute path, an empty segment) are refused.
pub(crate) fn local_path(root: &Path, relative: &str) -> Result<PathBuf, String> {
    let mut path = root.to_path_buf();
    let trimmed = relative.strip_suffix('/').unwrap_or(relative);
    for segment in trimmed.split('/') {
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(name)), None) => path.push(name),
            _ => {
                return Err(format!(
                    "the key segment {segment:?} of {relative:?} cannot be a local file name"
                ));
            }
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_paths_inside_the_root() {
        let root = Path::new("/data");
        assert_eq!(
            local_path(root, "a b/é.txt").unwrap(),
            PathBuf::from("/data/a b/é.txt")
        );
        assert_eq!(
            local_path(root, "dir/").unwrap(),
            PathBuf::from("/data/dir")
        );
        assert!(local_path(root, "../etc/passwd").is_err());
        assert!(local_path(root, "a//b").is_err());
        assert!(local_path(root, "/abs").is_err());
    }
}
