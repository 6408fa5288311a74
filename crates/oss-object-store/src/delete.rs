//! `delete_stream` through DeleteMultipleObjects (OSS API reference "DeleteMultipleObjects"):
//! batches of up to 1000 keys, each request with its `Content-MD5`.

use std::collections::HashSet;
use std::sync::Arc;

use crate::object_store::path::Path;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt as _, stream};

use crate::error;
use crate::store::OssObjectStore;

/// Most keys one DeleteMultipleObjects request takes.
pub(crate) const MAX_KEYS_PER_DELETE: usize = 1000;

/// Batches sent at once.
const CONCURRENT_BATCHES: usize = 4;

/// Deletes every path of `locations`, answering one result per input, in input order. An
/// input error is passed through in its place; a key OSS does not report as deleted is a
/// `Generic` error. Deleting a key that does not exist succeeds (as OSS answers).
pub(crate) fn delete_stream(
    store: &OssObjectStore,
    locations: BoxStream<'static, crate::object_store::Result<Path>>,
) -> BoxStream<'static, crate::object_store::Result<Path>> {
    let store = store.clone();
    locations
        .chunks(MAX_KEYS_PER_DELETE)
        .map(move |batch| {
            let store = store.clone();
            async move { stream::iter(delete_batch(&store, batch).await) }
        })
        .buffered(CONCURRENT_BATCHES)
        .flatten()
        .boxed()
}

/// One DeleteMultipleObjects request for the paths of `batch` (none when it holds only
/// errors).
async fn delete_batch(
    store: &OssObjectStore,
    batch: Vec<crate::object_store::Result<Path>>,
) -> Vec<crate::object_store::Result<Path>> {
    let keys: Vec<String> = batch
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|path| store.prefix().key(path))
        .collect();
    if keys.is_empty() {
        return batch;
    }
    let answer = store
        .client()
        .delete_objects()
        .bucket(store.bucket())
        .keys(keys)
        .quiet(false)
        .send()
        .await;
    let deleted: HashSet<String> = match answer {
        Ok(output) => output.deleted.into_iter().map(|d| d.key).collect(),
        Err(e) => {
            let shared = Arc::new(e);
            return batch
                .into_iter()
                .map(|r| r.and_then(|path| Err(error::from_shared(&shared, path.as_ref()))))
                .collect();
        }
    };
    batch
        .into_iter()
        .map(|r| {
            r.and_then(|path| {
                if deleted.contains(&store.prefix().key(&path)) {
                    Ok(path)
                } else {
                    Err(error::generic(format!(
                        "DeleteMultipleObjects did not report {path} as deleted"
                    )))
                }
            })
        })
        .collect()
}
