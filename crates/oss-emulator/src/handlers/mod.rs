//! Operation handlers: one module per resource level (service, bucket, object) and one per
//! feature area (multipart, copy, append, delete-multiple, ACL, tagging, symlink, restore,
//! versioning, bucket info), plus the helpers they share.

pub(crate) mod acl;
pub(crate) mod append;
pub(crate) mod bucket;
pub(crate) mod bucket_info;
pub(crate) mod callback;
pub(crate) mod copy;
pub(crate) mod crc64;
pub(crate) mod delete_multiple;
pub(crate) mod multipart;
pub(crate) mod object;
pub(crate) mod post_object;
pub(crate) mod process;
pub(crate) mod restore;
pub(crate) mod service;
pub(crate) mod symlink;
pub(crate) mod tagging;
pub(crate) mod versioning;
pub(crate) mod xml_body;

use std::time::SystemTime;

use crate::pace::ReqBody;
use bytes::Bytes;
use http::header::{self, HeaderName};
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use http_body_util::{BodyExt as _, Full, Limited};
use oss_auth::sign::QueryParams;

use crate::error::{ErrorCode, OssError};
use crate::router::{Operation, Target};
use crate::state::State;

/// The response type of every handler.
pub(crate) type Resp = Response<Full<Bytes>>;

/// What every handler may look at.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) state: &'a State,
    pub(crate) now: SystemTime,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) query: &'a QueryParams,
}

impl Ctx<'_> {
    /// A request header as text (absent or non-ASCII → `None`).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A query parameter's value (`?a` and `?a=` both give `Some("")`).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query.get(name).map(|v| v.unwrap_or(""))
    }
}

/// A 200/… response with an XML body.
pub(crate) fn xml_response(status: StatusCode, xml: String) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(xml)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    resp
}

/// A response with no body.
pub(crate) fn empty(status: StatusCode) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = status;
    resp
}

/// Reads the whole request body, refusing more than `max` bytes with 400 `EntityTooLarge`
/// (up front when Content-Length says so).
pub(crate) async fn read_body(
    body: ReqBody,
    headers: &HeaderMap,
    max: u64,
) -> Result<Bytes, OssError> {
    let too_large = || {
        OssError::new(
            ErrorCode::EntityTooLarge,
            "Your proposed upload exceeds the maximum allowed size.",
        )
        .with("MaxSizeAllowed", max.to_string())
    };
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max) {
        return Err(too_large());
    }
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(OssError::new(
            ErrorCode::InvalidArgument,
            "The request body could not be read completely.",
        )),
    }
}

/// Runs `op` on `target`.
pub(crate) async fn dispatch(
    ctx: &Ctx<'_>,
    op: Operation,
    target: &Target,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = target.bucket.as_deref().unwrap_or("");
    let key = target.key.as_deref().unwrap_or("");
    match op {
        Operation::ListBuckets => service::list_buckets(ctx),
        Operation::PutBucket => bucket::put_bucket(ctx, bucket, body).await,
        Operation::DeleteBucket => bucket::delete_bucket(ctx, bucket),
        Operation::ListObjects => bucket::list_objects(ctx, bucket, false),
        Operation::ListObjectsV2 => bucket::list_objects(ctx, bucket, true),
        Operation::GetBucketInfo => bucket_info::get_bucket_info(ctx, bucket),
        Operation::GetBucketLocation => bucket_info::get_bucket_location(ctx, bucket),
        Operation::GetBucketStat => bucket_info::get_bucket_stat(ctx, bucket),
        Operation::PutBucketAcl => acl::put_bucket_acl(ctx, bucket, body).await,
        Operation::GetBucketAcl => acl::get_bucket_acl(ctx, bucket),
        Operation::PutBucketVersioning => {
            versioning::put_bucket_versioning(ctx, bucket, body).await
        }
        Operation::GetBucketVersioning => versioning::get_bucket_versioning(ctx, bucket),
        Operation::ListObjectVersions => versioning::list_object_versions(ctx, bucket),
        Operation::ListMultipartUploads => multipart::list_multipart_uploads(ctx, bucket),
        Operation::DeleteMultipleObjects => {
            delete_multiple::delete_multiple_objects(ctx, bucket, body).await
        }
        Operation::PutObject => {
            let write = object::put_object(ctx, bucket, key, body);
            callback::with_callback(ctx, bucket, key, "PutObject", write).await
        }
        Operation::CopyObject => copy::copy_object(ctx, bucket, key),
        Operation::GetObject => object::get_object(ctx, bucket, key, false),
        Operation::HeadObject => object::get_object(ctx, bucket, key, true),
        Operation::GetObjectMeta => object::get_object_meta(ctx, bucket, key),
        Operation::DeleteObject => object::delete_object(ctx, bucket, key),
        Operation::AppendObject => append::append_object(ctx, bucket, key, body).await,
        Operation::PutObjectAcl => acl::put_object_acl(ctx, bucket, key),
        Operation::GetObjectAcl => acl::get_object_acl(ctx, bucket, key),
        Operation::PutObjectTagging => tagging::put_object_tagging(ctx, bucket, key, body).await,
        Operation::GetObjectTagging => tagging::get_object_tagging(ctx, bucket, key),
        Operation::DeleteObjectTagging => tagging::delete_object_tagging(ctx, bucket, key),
        Operation::PutSymlink => symlink::put_symlink(ctx, bucket, key),
        Operation::GetSymlink => symlink::get_symlink(ctx, bucket, key),
        Operation::RestoreObject => restore::restore_object(ctx, bucket, key, body).await,
        Operation::InitiateMultipartUpload => multipart::initiate(ctx, bucket, key),
        Operation::UploadPart => multipart::upload_part(ctx, bucket, key, body).await,
        Operation::UploadPartCopy => multipart::upload_part_copy(ctx, bucket, key),
        Operation::CompleteMultipartUpload => {
            let write = multipart::complete(ctx, bucket, key, body);
            callback::with_callback(ctx, bucket, key, "CompleteMultipartUpload", write).await
        }
        Operation::AbortMultipartUpload => multipart::abort(ctx, bucket, key),
        Operation::ListParts => multipart::list_parts(ctx, bucket, key),
    }
}

// ---------------------------------------------------------------- shared helpers

/// Headers stored with an object and returned on GET/HEAD (besides `x-oss-meta-*`).
pub(crate) const STORED_HEADERS: &[HeaderName] = &[
    header::CACHE_CONTROL,
    header::CONTENT_DISPOSITION,
    header::CONTENT_ENCODING,
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

/// Largest XML request body of the small-document operations (PutObjectTagging,
/// Put{Bucket,Object}Acl, PutBucketVersioning, RestoreObject); larger → 400
/// `EntityTooLarge`. CompleteMultipartUpload and DeleteMultipleObjects have their own caps.
pub(crate) const MAX_XML_BODY: u64 = 64 * 1024;

/// A header value from text (invalid → empty).
pub(crate) fn hv(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `"` + upper-case hex + `"`.
pub(crate) fn quoted_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2 + 2);
    out.push('"');
    out.push_str(&upper_hex(bytes));
    out.push('"');
    out
}

/// Upper-case hex.
pub(crate) fn upper_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Whether a header is `true` (case-insensitive).
pub(crate) fn header_true(ctx: &Ctx<'_>, name: &str) -> bool {
    ctx.header(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// 411 `MissingContentLength` unless the request has Content-Length or is chunked.
pub(crate) fn require_content_length(ctx: &Ctx<'_>) -> Result<(), OssError> {
    if !ctx.headers.contains_key(header::CONTENT_LENGTH)
        && !ctx.headers.contains_key(header::TRANSFER_ENCODING)
    {
        return Err(OssError::new(
            ErrorCode::MissingContentLength,
            "You must provide the Content-Length HTTP header.",
        ));
    }
    Ok(())
}

/// Checks `Content-MD5` (when sent) against the body's MD5; 400 `InvalidDigest` on mismatch.
/// Returns the base64 MD5 of the body.
pub(crate) fn check_content_md5(ctx: &Ctx<'_>, md5: &[u8]) -> Result<String, OssError> {
    use base64::Engine as _;
    let content_md5 = base64::engine::general_purpose::STANDARD.encode(md5);
    if let Some(sent) = ctx.headers.get("content-md5") {
        let sent = sent.to_str().unwrap_or("").trim();
        if sent != content_md5 {
            return Err(OssError::new(
                ErrorCode::InvalidDigest,
                "The Content-MD5 you specified was invalid.",
            )
            .with("Content-MD5", sent));
        }
    }
    Ok(content_md5)
}

/// `encoding-type`: absent → false, `url` → true, else 400 `InvalidArgument`.
pub(crate) fn url_encoding(ctx: &Ctx<'_>) -> Result<bool, OssError> {
    match ctx.param("encoding-type") {
        None => Ok(false),
        Some("url") => Ok(true),
        Some(other) => Err(OssError::invalid_argument(
            "encoding-type must be url.",
            "encoding-type",
            other,
        )),
    }
}

/// Inserts `x-oss-version-id` when the object has one.
pub(crate) fn set_version_id(resp: &mut Resp, version_id: Option<&str>) {
    if let Some(v) = version_id {
        resp.headers_mut().insert("x-oss-version-id", hv(v));
    }
}

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
    /// Reads and checks Content-Type, stored headers, `x-oss-meta-*`, `x-oss-storage-class`
    /// (default `default_class`), `x-oss-object-acl` and `x-oss-tagging`.
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
        Ok(Self {
            content_type,
            headers: stored_headers(ctx.headers),
            storage_class,
            acl,
            tags,
        })
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
