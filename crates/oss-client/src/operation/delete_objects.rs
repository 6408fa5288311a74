//! DeleteMultipleObjects (`POST /bucket?delete`, OSS API reference "DeleteMultipleObjects").

use http::Method;
use oss_auth::sign::percent_decode;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::request::OperationRequest;
use crate::types::RawResponse;
use crate::{validate, xml};

/// The most keys one request may delete.
pub const MAX_KEYS_PER_DELETE: usize = 1000;

impl Client {
    /// DeleteMultipleObjects: deletes up to 1000 objects in one request. Keys that do not exist
    /// are reported as deleted, as DeleteObject does.
    pub fn delete_objects(&self) -> DeleteObjectsRequest {
        DeleteObjectsRequest {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            objects: Vec::new(),
            quiet: false,
        }
    }
}

/// A DeleteMultipleObjects request. The body's `Content-MD5` (which OSS requires) is computed,
/// and `encoding-type=url` is always sent and decoded.
#[derive(Debug)]
pub struct DeleteObjectsRequest {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    objects: Vec<(String, Option<String>)>,
    quiet: bool,
}

/// One deleted entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeletedObject {
    /// The key (decoded).
    pub key: String,
    /// The version deleted, in versioned buckets.
    pub version_id: Option<String>,
    /// Whether a delete marker was involved.
    pub delete_marker: bool,
    /// The delete marker's version id.
    pub delete_marker_version_id: Option<String>,
}

/// The answer of DeleteMultipleObjects.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DeleteObjectsOutput {
    /// The deleted entries (empty in quiet mode).
    pub deleted: Vec<DeletedObject>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl DeleteObjectsRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
    }

    /// Adds a key to delete.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.objects.push((key.into(), None));
        self
    }

    /// Adds keys to delete.
    pub fn keys<I: IntoIterator<Item = S>, S: Into<String>>(mut self, keys: I) -> Self {
        self.objects
            .extend(keys.into_iter().map(|k| (k.into(), None)));
        self
    }

    /// Adds one version of a key to delete.
    pub fn version(mut self, key: impl Into<String>, version_id: impl Into<String>) -> Self {
        self.objects.push((key.into(), Some(version_id.into())));
        self
    }

    /// Quiet mode: the answer lists nothing (failures come back as an error).
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled (OSS
    /// refuses requests of others without it).
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for no keys or more than 1000; key rules; service
    /// errors.
    pub async fn send(self) -> Result<DeleteObjectsOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for DeleteObjectsRequest {
    type Output = DeleteObjectsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        if self.objects.is_empty() || self.objects.len() > MAX_KEYS_PER_DELETE {
            return Err(Error::invalid_argument(format!(
                "DeleteMultipleObjects takes 1 to {MAX_KEYS_PER_DELETE} keys, not {}",
                self.objects.len()
            )));
        }
        let mut body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>{}</Quiet>",
            self.quiet
        );
        for (key, version) in &self.objects {
            validate::object_key(key)?;
            body.push_str("<Object><Key>");
            body.push_str(&xml::escape(key));
            body.push_str("</Key>");
            if let Some(version) = version {
                body.push_str("<VersionId>");
                body.push_str(&xml::escape(version));
                body.push_str("</VersionId>");
            }
            body.push_str("</Object>");
        }
        body.push_str("</Delete>");
        let mut op = OperationRequest::bucket(Method::POST, self.bucket)?;
        op.request_payer(self.request_payer);
        op.query.push_flag("delete").push("encoding-type", "url");
        op.xml_body(body);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<DeleteObjectsOutput, Error> {
        let root = xml::parse(&answer.body)?;
        let url = root.child_text("EncodingType") == Some("url");
        let decode = |t: &str| {
            if url {
                percent_decode(t, true)
            } else {
                t.to_owned()
            }
        };
        let deleted = root
            .children_named("Deleted")
            .map(|d| DeletedObject {
                key: decode(d.child_text("Key").unwrap_or_default()),
                version_id: d.child_text("VersionId").map(str::to_owned),
                delete_marker: d.child_bool("DeleteMarker"),
                delete_marker_version_id: d.child_text("DeleteMarkerVersionId").map(str::to_owned),
            })
            .collect();
        Ok(DeleteObjectsOutput {
            deleted,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}
