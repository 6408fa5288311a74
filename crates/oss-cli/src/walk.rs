//! The walk of a local directory: its regular files as relative keys with size and
//! modification time, whole (for `du` and `sync`) or streamed as they are found with the
//! small files' bytes (for `cp -r`), without this tool's own state.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt as _};
use oss_client::transfer::{DOWNLOAD_CHECKPOINT_SUFFIX, DOWNLOAD_TEMPORARY_SUFFIX};
use rayon::iter::{IndexedParallelIterator as _, IntoParallelIterator as _, ParallelIterator as _};
use tokio::sync::{mpsc, oneshot};

use crate::error::CliError;
use crate::filter::Filter;
use crate::tree::{Entry, Found, Listed, Tree};

/// The walk of [`local_stream`] hands files over in chunks of at most this many: one wake-up
/// of the receiving side per chunk instead of one per file, and of the walking thread when
/// the receiver has made room for a chunk.
const CHUNK_FILES: usize = 32;

/// Chunks waiting in the channel of [`local_stream`]. With the chunk being filled and the
/// one being consumed, the walk has read at most (6 + 2) × 32 = 256 files not yet sent:
/// memory stays below 256 times its `read_below`.
const CHUNKS_AHEAD: usize = 6;

/// Threads that stat the files of [`local`] at most (no more than the machine's cores).
const STAT_THREADS: usize = 4;

/// Files a stat thread takes at a time.
const STAT_CHUNK: usize = 256;

/// The regular files under `root` (symbolic links to files followed, links to directories
/// not entered) that `filter` selects, without this tool's own state: the upload checkpoint
/// directory `checkpoint_dir` (when it is inside the tree) and a failed download's leftovers
/// (`<name>.temp` with `<name>.dcp` beside it, see [`is_download_leftover`]). A missing
/// root is an empty tree. A path that is not UTF-8 cannot become an object key and fails the
/// listing, as does a directory that cannot be read.
///
/// The walk runs on a thread of its own in two passes: the directories first (names and
/// types, no stat), then one stat per file, shared among up to [`STAT_THREADS`] threads.
/// Between them, `names` (when given) receives the relative keys in byte order: enough to
/// guide a listing (see [`crate::guided_listing`]) long before the stats are done. On Linux
/// the walk runs at a lower scheduling priority (nice +10): in `sync` the listing of the
/// other side is the critical path, and the walk is CPU work that can fill the time the
/// listing leaves idle instead of taking CPU from it; once the listing is done, the stat
/// threads have every core.
pub(crate) async fn local(
    root: &Path,
    filter: &Filter,
    checkpoint_dir: Option<&Path>,
    names: Option<oneshot::Sender<Arc<[String]>>>,
) -> Result<Tree, CliError> {
    let walk = Walk::new(root, filter, checkpoint_dir, 0);
    let (sender, receiver) = oneshot::channel();
    let failed = |e: &dyn std::fmt::Display| {
        CliError::failed(format!("the walk of {} failed: {e}", root.display()))
    };
    std::thread::Builder::new()
        .name("oss-walk".to_owned())
        .spawn(move || {
            // The receiver is gone only when the command was dropped: nobody to tell.
            let _ = sender.send(walk.tree(names));
        })
        .map_err(|e| failed(&e))?;
    receiver.await.map_err(|e| failed(&e))?
}

/// Lowers the calling thread's scheduling priority by 10 (best effort). Linux keeps a nice
/// value per thread; elsewhere it would apply to the whole process, so this does nothing.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::nice(10);
}

/// The same files as [`local`], streamed as a blocking thread walking the tree finds them,
/// so that transfers start before the walk ends and reading overlaps with requests. Files
/// smaller than `read_below` bytes are read whole by the walk itself (open, one stat of the
/// open file, one read; no hop to another thread), at most 256 files ahead of the stream
/// (see [`CHUNKS_AHEAD`]); `0` reads nothing. An error (the file cannot be listed or read)
/// comes in the file's place and the walk goes on.
///
/// Files travel in chunks (see [`CHUNK_FILES`]); a chunk goes as soon as the channel is
/// empty, so a walk slower than the transfers hands over every file as it finds it.
pub(crate) fn local_stream(
    root: &Path,
    filter: &Filter,
    checkpoint_dir: Option<&Path>,
    read_below: u64,
) -> impl Stream<Item = Found> + Send + 'static {
    let (sender, receiver) = mpsc::channel(CHUNKS_AHEAD);
    let walk = Walk::new(root, filter, checkpoint_dir, read_below);
    tokio::task::spawn_blocking(move || {
        let mut chunk = Vec::with_capacity(CHUNK_FILES);
        walk.run(|found| {
            chunk.push(found);
            let waiting = sender.capacity() == sender.max_capacity();
            if chunk.len() < CHUNK_FILES && !waiting {
                return true;
            }
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_FILES));
            sender.blocking_send(full).is_ok()
        });
        if !chunk.is_empty() {
            // The receiver is gone only when the command was dropped: nobody to tell.
            let _ = sender.blocking_send(chunk);
        }
    });
    stream::unfold(receiver, |mut receiver| async move {
        let chunk = receiver.recv().await?;
        Some((stream::iter(chunk), receiver))
    })
    .flatten()
}

/// What a walk lists, owned so that it can move to a blocking thread.
struct Walk {
    root: PathBuf,
    filter: Filter,
    checkpoint_dir: Option<PathBuf>,
    /// Files smaller than this are read; 0 reads none.
    read_below: u64,
}

impl Walk {
    fn new(root: &Path, filter: &Filter, checkpoint_dir: Option<&Path>, read_below: u64) -> Self {
        Self {
            root: root.to_path_buf(),
            filter: filter.clone(),
            checkpoint_dir: checkpoint_dir.map(Path::to_path_buf),
            read_below,
        }
    }

    /// The whole tree, in two passes (see [`local`]); an error (the first of the directory
    /// pass, or one of the stats) ends the walk.
    fn tree(&self, names: Option<oneshot::Sender<Arc<[String]>>>) -> Result<Tree, CliError> {
        // The stat threads inherit the priority of the thread that starts them.
        lower_priority();
        let mut selected = Vec::new();
        let mut failure = None;
        self.select_each(|item| match item {
            Ok(item) => {
                selected.push(item);
                true
            }
            Err(e) => {
                failure = Some(e);
                false
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        selected.sort_unstable_by(|a, b| a.relative.cmp(&b.relative));
        if let Some(names) = names {
            let keys: Arc<[String]> = selected.iter().map(|s| s.relative.clone()).collect();
            // Nobody waits for the names any more when the listing is done already.
            let _ = names.send(keys);
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(STAT_THREADS);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("oss-stat-{i}"))
            .build()
            .map_err(|e| CliError::failed(format!("cannot start the stat threads: {e}")))?;
        // Chunks are taken in turn, so that the threads end together; the order is kept.
        let listed: Vec<Listed> = pool.install(|| {
            selected
                .into_par_iter()
                .with_min_len(STAT_CHUNK)
                .filter_map(|item| self.describe(item))
                .collect::<Result<_, _>>()
        })?;
        // In key order already: the tree is built without a search per key.
        Ok(listed.into_iter().map(|l| (l.relative, l.entry)).collect())
    }

    /// Calls `emit` for every selected file, described, until it returns false.
    fn run(&self, mut emit: impl FnMut(Found) -> bool) {
        self.select_each(|item| match item {
            Ok(item) => self.describe(item).is_none_or(&mut emit),
            Err(e) => emit(Err(e)),
        });
    }

    /// Calls `emit` for every selected file (or listing error), before any stat of it,
    /// until it returns false; the checkpoint directory is not entered.
    fn select_each(&self, mut emit: impl FnMut(Result<Selected, CliError>) -> bool) {
        if !self.root.exists() {
            return;
        }
        let skip = self
            .checkpoint_dir
            .as_deref()
            .and_then(|dir| dir.canonicalize().ok());
        let entered = |item: &walkdir::DirEntry| {
            let Some(skip) = skip.as_deref() else {
                return true;
            };
            !item.file_type().is_dir()
                || item.file_name() != skip.file_name().unwrap_or_default()
                || item.path().canonicalize().ok().as_deref() != Some(skip)
        };
        for item in walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_entry(entered)
        {
            let selected = match item {
                Ok(item) => self.select(item),
                Err(e) => Some(Err(CliError::failed(format!(
                    "cannot list {}: {e}",
                    e.path().unwrap_or(&self.root).display()
                )))),
            };
            if let Some(selected) = selected {
                if !emit(selected) {
                    return;
                }
            }
        }
    }

    /// A walked item, when it may be a selected file: a file or a symbolic link (the type
    /// comes from the directory listing), whose key the filter selects.
    fn select(&self, item: walkdir::DirEntry) -> Option<Result<Selected, CliError>> {
        let file_type = item.file_type();
        if !file_type.is_file() && !file_type.is_symlink() {
            return None;
        }
        let relative = match relative_key(&self.root, item.path()) {
            Ok(relative) => relative,
            Err(e) => return Some(Err(e)),
        };
        if !self.filter.selects(&relative) || is_download_leftover(item.path()) {
            return None;
        }
        Some(Ok(Selected {
            relative,
            path: item.into_path(),
            is_file: file_type.is_file(),
        }))
    }

    /// The listing of a selected item: read whole when it is a file below `read_below`
    /// bytes, else one stat (a symbolic link is followed with a stat first: opening a FIFO
    /// would block); `None` when it is not a regular file after all.
    fn describe(&self, item: Selected) -> Option<Found> {
        // A file that cannot be opened or read here is listed unread: its upload reads it
        // again and reports the error as that object's failure.
        let described = if item.is_file && self.read_below > 0 {
            read_small(&item.path, self.read_below).or_else(|_| stat(&item.path))
        } else {
            stat(&item.path)
        };
        match described {
            Ok(Some((entry, contents))) => Some(Ok(Listed {
                relative: item.relative,
                entry,
                contents,
            })),
            Ok(None) => None,
            Err(e) => Some(Err(CliError::failed(format!(
                "{}: {e}",
                item.path.display()
            )))),
        }
    }
}

/// A file the walk selected by its name, not yet described.
struct Selected {
    relative: String,
    path: PathBuf,
    /// A regular file by the directory listing (else a symbolic link).
    is_file: bool,
}

/// Opens the file at `path` and reads it whole when it is smaller than `read_below` bytes
/// (one stat of the open file, one read of the size it gave); `None` when it is not a
/// regular file. A file that shrinks meanwhile is read as it is; one that grows, up to the
/// size of the stat.
fn read_small(path: &Path, read_below: u64) -> std::io::Result<Option<(Entry, Option<Bytes>)>> {
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Ok(None);
    }
    let mut entry = entry_of(&metadata);
    if entry.size >= read_below {
        return Ok(Some((entry, None)));
    }
    let mut data = Vec::with_capacity(entry.size as usize);
    (&mut file).take(entry.size).read_to_end(&mut data)?;
    entry.size = data.len() as u64;
    Ok(Some((entry, Some(Bytes::from(data)))))
}

/// The entry of the regular file at `path` (one stat, links followed), unread; `None` when
/// it is not a regular file.
fn stat(path: &Path) -> std::io::Result<Option<(Entry, Option<Bytes>)>> {
    let metadata = std::fs::metadata(path)?;
    Ok(metadata.is_file().then(|| (entry_of(&metadata), None)))
}

fn entry_of(metadata: &std::fs::Metadata) -> Entry {
    Entry {
        size: metadata.len(),
        modified: metadata.modified().ok(),
    }
}

/// Whether `path` is what a failed download leaves to resume from: `<name>.dcp` (its
/// checkpoint) or `<name>.temp` (its partial data), when both are present. One more stat,
/// only for files with these suffixes.
fn is_download_leftover(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let other = if let Some(base) = name.strip_suffix(DOWNLOAD_TEMPORARY_SUFFIX) {
        format!("{base}{DOWNLOAD_CHECKPOINT_SUFFIX}")
    } else if let Some(base) = name.strip_suffix(DOWNLOAD_CHECKPOINT_SUFFIX) {
        format!("{base}{DOWNLOAD_TEMPORARY_SUFFIX}")
    } else {
        return false;
    };
    path.with_file_name(other).is_file()
}

/// `path` below `root` as a `/`-separated relative key.
fn relative_key(root: &Path, path: &Path) -> Result<String, CliError> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for component in relative.components() {
        let part = component.as_os_str().to_str().ok_or_else(|| {
            CliError::failed(format!(
                "{}: the name is not UTF-8 and cannot be an object key",
                path.display()
            ))
        })?;
        parts.push(part);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::FilterArgs;

    #[test]
    fn a_failed_downloads_pair_of_files_is_a_leftover() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.bin.temp", "a.bin.dcp", "lone.temp", "lone2.dcp"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        assert!(is_download_leftover(&dir.path().join("a.bin.temp")));
        assert!(is_download_leftover(&dir.path().join("a.bin.dcp")));
        assert!(!is_download_leftover(&dir.path().join("lone.temp")));
        assert!(!is_download_leftover(&dir.path().join("lone2.dcp")));
        assert!(!is_download_leftover(&dir.path().join("a.bin")));
    }

    #[test]
    fn relative_keys_use_slashes() {
        let key = relative_key(Path::new("/r"), Path::new("/r/x/y z.txt")).unwrap();
        assert_eq!(key, "x/y z.txt");
    }

    #[tokio::test]
    async fn stats_shared_among_threads_make_one_tree_in_key_order() {
        let dir = tempfile::tempdir().unwrap();
        let count = 8 * STAT_CHUNK + 3;
        for i in 0..count {
            let sub = dir.path().join(format!("d{}", i % 7));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(format!("f{i}")), vec![b'x'; i % 13]).unwrap();
        }
        let (names, named) = oneshot::channel();
        let filter = Filter::new(&FilterArgs::default()).unwrap();
        let tree = local(dir.path(), &filter, None, Some(names)).await.unwrap();
        let names = named.await.unwrap();
        assert_eq!(tree.len(), count);
        assert!(names.iter().eq(tree.keys()));
        for (key, entry) in &tree {
            let i: usize = key.rsplit_once("/f").unwrap().1.parse().unwrap();
            assert_eq!(*key, format!("d{}/f{i}", i % 7));
            assert_eq!(entry.size, (i % 13) as u64);
        }
    }

    #[tokio::test]
    async fn chunks_hand_over_every_file_once_in_walk_order() {
        let dir = tempfile::tempdir().unwrap();
        let count = CHUNK_FILES * (CHUNKS_AHEAD + 3) + 5;
        for i in 0..count {
            std::fs::write(dir.path().join(format!("f{i:04}")), i.to_string()).unwrap();
        }
        let filter = Filter::new(&FilterArgs::default()).unwrap();
        let found = local_stream(dir.path(), &filter, None, 1024);
        let streamed: Vec<_> = found
            .map(|found| {
                let listed = found.unwrap();
                (listed.relative, listed.contents.unwrap())
            })
            .collect()
            .await;
        let mut walked = Vec::new();
        Walk::new(dir.path(), &filter, None, 0).run(|found| {
            walked.push(found.unwrap().relative);
            true
        });
        let names: Vec<_> = streamed.iter().map(|(name, _)| name.clone()).collect();
        assert_eq!(names, walked);
        assert_eq!(streamed.len(), count);
        for (name, contents) in &streamed {
            let i: usize = name[1..].parse().unwrap();
            assert_eq!(contents.as_ref(), i.to_string().as_bytes());
        }
    }

    #[tokio::test]
    async fn the_stream_carries_the_bytes_of_files_below_the_read_size() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("small"), b"hello").unwrap();
        std::fs::write(dir.path().join("large"), b"0123456789").unwrap();
        std::fs::write(dir.path().join("sub/empty"), b"").unwrap();
        let found = local_stream(
            dir.path(),
            &Filter::new(&FilterArgs::default()).unwrap(),
            None,
            8,
        );
        let mut found = std::pin::pin!(found);
        let mut listed = Vec::new();
        while let Some(item) = found.next().await {
            let item = item.unwrap();
            listed.push((item.relative, item.entry.size, item.contents));
        }
        listed.sort();
        assert_eq!(
            listed,
            [
                ("large".to_owned(), 10, None),
                ("small".to_owned(), 5, Some(Bytes::from_static(b"hello"))),
                ("sub/empty".to_owned(), 0, Some(Bytes::new())),
            ]
        );
        let (names, named) = oneshot::channel();
        let tree = local(
            dir.path(),
            &Filter::new(&FilterArgs::default()).unwrap(),
            None,
            Some(names),
        )
        .await
        .unwrap();
        assert_eq!(&*named.await.unwrap(), ["large", "small", "sub/empty"]);
        let sizes: Vec<_> = tree.iter().map(|(k, e)| (k.as_str(), e.size)).collect();
        assert_eq!(sizes, [("large", 10), ("small", 5), ("sub/empty", 0)]);
    }
}
