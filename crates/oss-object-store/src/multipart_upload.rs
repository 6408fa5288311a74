//! `MultipartUpload`: the writer `put_multipart_opts` returns (InitiateMultipartUpload, then
//! one UploadPart per `put_part`, CompleteMultipartUpload).

use std::sync::{Arc, Mutex, PoisonError};

use crate::object_store::path::Path;
use crate::object_store::{
    MultipartUpload, PutMultipartOptions, PutPayload, PutResult, UploadPart,
};
use async_trait::async_trait;
use oss_client::operation::multipart::complete::CompletedPart;

use crate::store::OssObjectStore;
use crate::upload::Upload;
use crate::{attributes, error};

/// InitiateMultipartUpload of `location` with the attributes and tags of `options`, as a
/// writer.
pub(crate) async fn start(
    store: &OssObjectStore,
    location: &Path,
    options: PutMultipartOptions,
) -> crate::object_store::Result<Box<dyn MultipartUpload>> {
    let upload_id = initiate(store, location, options).await?;
    let upload = Upload {
        client: store.client().clone(),
        bucket: store.bucket().to_owned(),
        key: store.prefix().key(location),
        path: location.to_string(),
        upload_id,
    };
    Ok(Box::new(OssMultipartUpload {
        upload: Arc::new(upload),
        next_part_number: 1,
        parts: Arc::default(),
    }))
}

/// InitiateMultipartUpload of `location` with the attributes and tags of `options`; returns
/// the OSS upload id.
///
/// # Errors
/// `NotImplemented` for an attribute OSS has no header for (before any request); the OSS
/// error mapped to its kind otherwise.
pub(crate) async fn initiate(
    store: &OssObjectStore,
    location: &Path,
    options: PutMultipartOptions,
) -> crate::object_store::Result<String> {
    let PutMultipartOptions {
        tags,
        attributes,
        extensions: _,
    } = options;
    let request = store
        .client()
        .initiate_multipart_upload()
        .bucket(store.bucket())
        .key(store.prefix().key(location));
    let output = attributes::apply(request, &attributes, &tags)?
        .send()
        .await
        .map_err(|e| error::from_oss(e, location.as_ref()))?;
    Ok(output.upload_id)
}

/// A multipart upload in progress. Each `put_part` takes the next part number when called, so
/// parts may finish in any order; `complete` sends them sorted.
#[derive(Debug)]
struct OssMultipartUpload {
    upload: Arc<Upload>,
    next_part_number: u32,
    /// The parts uploaded so far.
    parts: Arc<Mutex<Vec<CompletedPart>>>,
}

#[async_trait]
impl MultipartUpload for OssMultipartUpload {
    fn put_part(&mut self, data: PutPayload) -> UploadPart {
        let part_number = self.next_part_number;
        self.next_part_number = self.next_part_number.saturating_add(1);
        let upload = Arc::clone(&self.upload);
        let parts = Arc::clone(&self.parts);
        Box::pin(async move {
            let part = upload.put_part(part_number, data).await?;
            parts
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(part);
            Ok(())
        })
    }

    async fn complete(&mut self) -> crate::object_store::Result<PutResult> {
        let parts = std::mem::take(&mut *self.parts.lock().unwrap_or_else(PoisonError::into_inner));
        self.upload.complete(parts).await
    }

    async fn abort(&mut self) -> crate::object_store::Result<()> {
        self.upload.abort().await
    }
}
