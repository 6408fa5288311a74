//! `put_opts`: PutObject (OSS API reference "PutObject").

use crate::object_store::path::Path;
use crate::object_store::{PutMode, PutOptions, PutPayload, PutResult};
use bytes::Bytes;

use crate::store::OssObjectStore;
use crate::{attributes, error};

/// PutObject of `payload` at `location`.
///
/// `PutMode::Create` sends `x-oss-forbid-overwrite: true` (an existing object answers 409
/// `FileAlreadyExists`: `AlreadyExists`). `PutMode::Update` is `NotImplemented`: OSS has no
/// conditional PutObject (no `If-Match` on writes). Attributes and tags as in
/// [`crate::attributes`]; `extensions` carry nothing OSS reads.
pub(crate) async fn put_opts(
    store: &OssObjectStore,
    location: &Path,
    payload: PutPayload,
    options: PutOptions,
) -> crate::object_store::Result<PutResult> {
    let PutOptions {
        mode,
        tags,
        attributes,
        extensions: _,
    } = options;
    let request = store
        .client()
        .put_object()
        .bucket(store.bucket())
        .key(store.prefix().key(location))
        .body(Bytes::from(payload));
    let request = match mode {
        PutMode::Overwrite => request,
        PutMode::Create => request.forbid_overwrite(true),
        PutMode::Update(_) => {
            return Err(error::not_implemented(
                "put_opts with PutMode::Update (OSS has no conditional PutObject)",
            ));
        }
    };
    let output = attributes::apply(request, &attributes, &tags)?
        .send()
        .await
        .map_err(|e| error::from_oss(e, location.as_ref()))?;
    Ok(PutResult {
        // object_store 0.14 carries HTTP response extensions; OSS answers fill none.
        #[cfg(feature = "object_store_0_14")]
        extensions: Default::default(),
        e_tag: Some(output.etag),
        version: output.version_id,
    })
}
