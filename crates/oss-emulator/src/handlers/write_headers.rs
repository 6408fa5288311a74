//! [`WriteHeaders`]: what a write takes from the request headers (content headers, user
//! metadata, storage class, ACL, tags).

use http::HeaderMap;
use http::header::{self, HeaderName, HeaderValue};

use super::{Ctx, acl, bucket_config, encryption, tagging};
use crate::error::OssError;
use crate::store::Bucket;

/// Headers stored with an object and returned on GET/HEAD (besides `x-oss-meta-*`).
pub(crate) const STORED_HEADERS: &[HeaderName] = &[
    header::CACHE_CONTROL,
    header::CONTENT_DISPOSITION,
    header::CONTENT_ENCODING,
    header::CONTENT_LANGUAGE,
    header::EXPIRES,
];

/// Storage classes OSS knows.
pub(crate) const STORAGE_CLASSES: &[&str] = &[
    "Standard",
    "IA",
    "Archive",
    "ColdArchive",
    "DeepColdArchive",
];

/// What a write (Put, Append, Initiate, Copy with REPLACE, PutSymlink) takes from headers.
#[derive(Debug)]
pub(crate) struct WriteHeaders {
    pub(crate) content_type: HeaderValue,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) storage_class: String,
    pub(crate) acl: String,
    /// `x-oss-tagging`, when sent.
    pub(crate) tags: Option<Vec<(String, String)>>,
}

impl WriteHeaders {
    /// Reads and checks Content-Type, stored headers, `x-oss-meta-*`, the server-side
    /// encryption headers (stored with the others), `x-oss-storage-class` (default
    /// `default_class`), `x-oss-object-acl` and `x-oss-tagging`.
    pub(crate) fn from_ctx(ctx: &Ctx<'_>, default_class: &str) -> Result<Self, OssError> {
        let content_type = ctx
            .headers
            .get(header::CONTENT_TYPE)
            .filter(|v| !v.is_empty())
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"));
        let storage_class = match ctx.header("x-oss-storage-class") {
            None => default_class.to_owned(),
            Some(c) if STORAGE_CLASSES.contains(&c.trim()) => c.trim().to_owned(),
            Some(c) => {
                return Err(OssError::invalid_argument(
                    "Unsupported storage class.",
                    "x-oss-storage-class",
                    c,
                ));
            }
        };
        let acl = match ctx.header("x-oss-object-acl") {
            None => "default".to_owned(),
            Some(a) => acl::check_object_acl(a)?.to_owned(),
        };
        let tags = ctx
            .header("x-oss-tagging")
            .map(tagging::parse_tagging_header)
            .transpose()?;
        let mut headers = stored_headers(ctx.headers);
        headers.extend(encryption::from_ctx(ctx)?);
        Ok(Self {
            content_type,
            headers,
            storage_class,
            acl,
            tags,
        })
    }

    /// Adds the headers of `bucket`'s default encryption (PutBucketEncryption) to the
    /// stored headers, unless the request asked for its own encryption: what a new object
    /// in that bucket is answered with.
    pub(crate) fn with_default_encryption(mut self, bucket: &Bucket) -> Self {
        if !self.headers.iter().any(|(n, _)| n == encryption::ALGORITHM) {
            self.headers
                .extend(bucket_config::encryption::object_headers(bucket));
        }
        self
    }
}

/// The Cache-Control, Content-Disposition, Content-Encoding, Expires and `x-oss-meta-*`
/// headers of a request, to store.
pub(crate) fn stored_headers(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    let mut stored = Vec::new();
    for name in STORED_HEADERS {
        if let Some(v) = headers.get(name) {
            stored.push((name.clone(), v.clone()));
        }
    }
    for (name, value) in headers {
        if name.as_str().starts_with("x-oss-meta-") {
            stored.push((name.clone(), value.clone()));
        }
    }
    stored
}
