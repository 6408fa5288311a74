//! Listings through ListObjectsV2 (OSS API reference "ListObjectsV2"): recursive listings,
//! `list_with_offset` through `start-after`, delimiter listings, and `PaginatedListStore`.

use crate::object_store::ListResult;
use crate::object_store::list::{PaginatedListOptions, PaginatedListResult};
use crate::object_store::path::{DELIMITER, Path};
use futures_util::stream::BoxStream;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use oss_client::operation::list_objects_v2::{ListObjectsV2Output, ListObjectsV2Request};

use crate::paths::KeyPrefix;
use crate::store::OssObjectStore;
use crate::{error, meta};

/// Most keys OSS returns in one page.
const MAX_KEYS_PER_PAGE: usize = 1000;

/// Every object under `prefix` (recursively), after `offset` when given (exclusive: OSS's
/// `start-after`), page by page.
pub(crate) fn list(
    store: &OssObjectStore,
    prefix: Option<&Path>,
    offset: Option<&Path>,
) -> BoxStream<'static, crate::object_store::Result<crate::object_store::ObjectMeta>> {
    let key_prefix = store.prefix().clone();
    let mut request = request(store, key_prefix.directory(prefix));
    if let Some(offset) = offset {
        request = request.start_after(key_prefix.key(offset));
    }
    request
        .into_paginator()
        .map_err(|e| error::from_oss(e, ""))
        .map_ok(move |page| stream::iter(objects(&key_prefix, page)))
        .try_flatten()
        .boxed()
}

/// The objects and common prefixes directly under `prefix` (delimiter `/`), all pages.
pub(crate) async fn list_with_delimiter(
    store: &OssObjectStore,
    prefix: Option<&Path>,
) -> crate::object_store::Result<ListResult> {
    let key_prefix = store.prefix();
    let mut pages = request(store, key_prefix.directory(prefix))
        .delimiter(DELIMITER)
        .into_paginator();
    let mut result = ListResult {
        // object_store 0.14 carries HTTP response extensions; OSS answers fill none.
        #[cfg(feature = "object_store_0_14")]
        extensions: Default::default(),
        common_prefixes: Vec::new(),
        objects: Vec::new(),
    };
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| error::from_oss(e, ""))?;
        append(key_prefix, page, &mut result)?;
    }
    Ok(result)
}

/// One page of the listing `options` describe; `prefix` is taken as raw text (no delimiter
/// added), under the store's key prefix. `max_keys` above 1000 lists 1000 (OSS's page limit;
/// the page token continues).
pub(crate) async fn list_paginated(
    store: &OssObjectStore,
    prefix: Option<&str>,
    options: PaginatedListOptions,
) -> crate::object_store::Result<PaginatedListResult> {
    let PaginatedListOptions {
        offset,
        delimiter,
        max_keys,
        page_token,
        extensions: _,
    } = options;
    let key_prefix = store.prefix();
    let mut request = request(store, key_prefix.raw(prefix.unwrap_or_default()));
    if let Some(offset) = offset {
        request = request.start_after(key_prefix.raw(&offset));
    }
    if let Some(delimiter) = delimiter {
        request = request.delimiter(delimiter);
    }
    if let Some(max_keys) = max_keys {
        let max_keys = max_keys.clamp(1, MAX_KEYS_PER_PAGE);
        request = request.max_keys(u32::try_from(max_keys).unwrap_or(1000));
    }
    if let Some(token) = page_token {
        request = request.continuation_token(token);
    }
    let page = request.send().await.map_err(|e| error::from_oss(e, ""))?;
    let page_token = page
        .is_truncated
        .then(|| page.next_continuation_token.clone())
        .flatten();
    let mut result = ListResult {
        // object_store 0.14 carries HTTP response extensions; OSS answers fill none.
        #[cfg(feature = "object_store_0_14")]
        extensions: Default::default(),
        common_prefixes: Vec::new(),
        objects: Vec::new(),
    };
    append(key_prefix, page, &mut result)?;
    Ok(PaginatedListResult { result, page_token })
}

/// A ListObjectsV2 request of the store's bucket under `prefix` (none when empty).
fn request(store: &OssObjectStore, prefix: String) -> ListObjectsV2Request {
    let request = store.client().list_objects_v2().bucket(store.bucket());
    if prefix.is_empty() {
        request
    } else {
        request.prefix(prefix)
    }
}

/// The objects of one page as `ObjectMeta`.
fn objects(
    key_prefix: &KeyPrefix,
    page: ListObjectsV2Output,
) -> Vec<crate::object_store::Result<crate::object_store::ObjectMeta>> {
    page.contents
        .into_iter()
        .map(|summary| meta::from_summary(key_prefix.path(&summary.key)?, summary))
        .collect()
}

/// Adds one page's objects and common prefixes to `result`.
fn append(
    key_prefix: &KeyPrefix,
    page: ListObjectsV2Output,
    result: &mut ListResult,
) -> crate::object_store::Result<()> {
    for prefix in &page.common_prefixes {
        result.common_prefixes.push(key_prefix.path(prefix)?);
    }
    for object in objects(key_prefix, page) {
        result.objects.push(object?);
    }
    Ok(())
}
