//! The clients under test and the operations each scenario needs from them.

use std::path::Path;
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt as _, Either, Full, StreamBody};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use oss_auth::Credentials;
use oss_auth::proxy::ProxyConnector;
use oss_auth::sign::{QueryParams, SignableRequest, SignatureVersion, Signer, SigningParams};
use tokio::io::AsyncReadExt as _;

use crate::Args;
use crate::server::Server;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Raw,
    Ours,
    Opendal,
    /// oss-object-store's `OssObjectStore` over the same oss-client `Client` as `Ours`: what
    /// the object_store layer costs.
    ObjectStore,
}

impl Kind {
    /// Every client, in report order.
    pub(crate) const ALL: [Kind; 4] = [Kind::Raw, Kind::Ours, Kind::Opendal, Kind::ObjectStore];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Raw => "raw-hyper",
            Kind::Ours => "oss-client",
            Kind::Opendal => "opendal",
            Kind::ObjectStore => "object-store",
        }
    }

    /// Whether the client uploads a file in one streamed request (object_store and opendal
    /// take the bytes in memory or in parts).
    pub(crate) fn streams_one_file(self) -> bool {
        matches!(self, Kind::Raw | Kind::Ours)
    }
}

pub(crate) type BenchError = String;

type RawBody = Either<Full<Bytes>, BoxBody<Bytes, std::io::Error>>;

/// Headers a raw request carries for its signature, computed before the clock starts.
#[derive(Clone)]
pub(crate) struct PreSigned {
    authorization: HeaderValue,
    x_oss_date: HeaderValue,
    date: HeaderValue,
}

/// The raw client: hyper-util's pooled HTTP/1 client over the SDK's own connector
/// (`oss_auth::http_client::https_connector`: the same rustls configuration for `https://`,
/// TCP_NODELAY), nothing else. Requests carry a V4 signature (the emulator refuses anonymous
/// requests); the small-object scenario computes them before timing starts so the floor
/// excludes signing, as an unsigned client would.
pub(crate) struct Raw {
    http: HyperClient<HttpsConnector<ProxyConnector>, RawBody>,
    /// `http://` or `https://`.
    scheme: &'static str,
    signer: Signer,
    credentials: Credentials,
    region: String,
    authority: String,
    sign: bool,
}

pub(crate) struct Ctx {
    pub(crate) bucket: String,
    pub(crate) ours: oss_client::Client,
    /// `ours` behind object_store's traits.
    pub(crate) object_store: oss_object_store::OssObjectStore,
    pub(crate) raw: Raw,
    /// Built only when opendal is among the clients run (it has its own HTTP client).
    pub(crate) opendal: Option<opendal::Operator>,
}

impl Ctx {
    pub(crate) async fn new(
        args: &Args,
        server: &Server,
        with_opendal: bool,
    ) -> Result<Ctx, BenchError> {
        // Every client trusts the emulator's test CA, through the same rustls configuration.
        let roots = crate::tls::roots()?;
        let ours = oss_client::Client::builder()
            .endpoint(&server.endpoint)
            .root_certificates(roots)
            .region(&args.region)
            .credentials_provider(
                oss_client::auth::StaticCredentialsProvider::new(
                    &args.access_key_id,
                    &args.access_key_secret,
                )
                .map_err(|e| e.to_string())?,
            )
            .build()
            .map_err(|e| e.to_string())?;

        let http = HyperClient::builder(TokioExecutor::new())
            .pool_max_idle_per_host(1024)
            .build(crate::tls::connector()?);
        let raw = Raw {
            http,
            scheme: if server.tls { "https://" } else { "http://" },
            signer: Signer::new(SignatureVersion::V4),
            credentials: Credentials::from_keys(&args.access_key_id, &args.access_key_secret),
            region: args.region.clone(),
            authority: server.authority.clone(),
            sign: !server.null,
        };

        // opendal without its TLS stack: a plain reqwest client as the process-wide transport.
        let opendal = if with_opendal {
            let reqwest = reqwest::Client::builder()
                .build()
                .map_err(|e| format!("reqwest: {e}"))?;
            opendal::HttpTransporter::install_default(
                opendal_http_transport_reqwest::ReqwestTransport::new(reqwest),
            );
            let builder = opendal::services::Oss::default()
                .bucket(&args.bucket)
                .endpoint(&server.endpoint)
                .addressing_style("path")
                .access_key_id(&args.access_key_id)
                .access_key_secret(&args.access_key_secret);
            Some(opendal::Operator::new(builder).map_err(|e| format!("opendal: {e}"))?)
        } else {
            None
        };

        let ctx = Ctx {
            bucket: args.bucket.clone(),
            object_store: oss_object_store::OssObjectStore::new(ours.clone(), &args.bucket),
            ours,
            raw,
            opendal,
        };
        // The bucket: created through our client (already there is fine).
        if !server.null {
            match ctx.ours.put_bucket().bucket(&ctx.bucket).send().await {
                Ok(_) => {}
                Err(e) if format!("{e}").contains("BucketAlreadyExists") => {}
                Err(e) => return Err(format!("creating bucket {}: {e}", ctx.bucket)),
            }
        }
        Ok(ctx)
    }
}

fn parse_upload_id(xml: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(xml).ok()?;
    let start = text.find("<UploadId>")? + "<UploadId>".len();
    let end = start + text[start..].find("</UploadId>")?;
    Some(text[start..end].to_owned())
}

impl Raw {
    /// Signs (V4, header) `method` on `key` with `query`, into fresh headers.
    fn sign_into(
        &self,
        method: &Method,
        bucket: &str,
        key: &str,
        query: &mut QueryParams,
        headers: &mut HeaderMap,
    ) -> Result<(), BenchError> {
        if !self.sign {
            return Ok(());
        }
        let mut req = SignableRequest {
            method: method.as_str(),
            bucket: Some(bucket),
            key: Some(key),
            query,
            headers,
        };
        let params = SigningParams::new(&self.credentials, &self.region, SystemTime::now());
        self.signer
            .sign_headers(&mut req, &params)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The signature headers of a query-less request, to attach later.
    pub(crate) fn presign(
        &self,
        method: &Method,
        bucket: &str,
        key: &str,
    ) -> Result<Option<PreSigned>, BenchError> {
        if !self.sign {
            return Ok(None);
        }
        let mut headers = HeaderMap::new();
        self.sign_into(method, bucket, key, &mut QueryParams::new(), &mut headers)?;
        let get = |name: &str| headers.get(name).cloned().ok_or("unsigned");
        Ok(Some(PreSigned {
            authorization: get("authorization")?,
            x_oss_date: get("x-oss-date")?,
            date: get("date")?,
        }))
    }

    fn uri(&self, bucket: &str, key: &str, query: &str) -> Result<Uri, BenchError> {
        let mut s = String::with_capacity(32 + bucket.len() + key.len() + query.len());
        s.push_str(self.scheme);
        s.push_str(&self.authority);
        s.push('/');
        s.push_str(bucket);
        s.push('/');
        s.push_str(key);
        if !query.is_empty() {
            s.push('?');
            s.push_str(query);
        }
        s.parse().map_err(|e: http::uri::InvalidUri| e.to_string())
    }

    async fn send(&self, request: Request<RawBody>) -> Result<(HeaderMap, Bytes), BenchError> {
        let response = self
            .http
            .request(request)
            .await
            .map_err(|e| format!("raw request: {e}"))?;
        let status = response.status();
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| format!("raw body: {e}"))?
            .to_bytes();
        if !status.is_success() {
            return Err(format!(
                "raw: HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            ));
        }
        Ok((parts.headers, body))
    }

    fn request(
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: RawBody,
    ) -> Result<Request<RawBody>, BenchError> {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .body(body)
            .map_err(|e| e.to_string())?;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// A small PUT with its signature computed beforehand.
    pub(crate) async fn put_presigned(
        &self,
        bucket: &str,
        key: &str,
        signed: Option<&PreSigned>,
        data: Bytes,
    ) -> Result<(), BenchError> {
        let mut builder = Request::builder()
            .method(Method::PUT)
            .uri(self.uri(bucket, key, "")?);
        if let Some(s) = signed {
            builder = builder
                .header("authorization", s.authorization.clone())
                .header("x-oss-date", s.x_oss_date.clone())
                .header("date", s.date.clone())
                .header("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
        }
        let request = builder
            .body(Either::Left(Full::new(data)))
            .map_err(|e| e.to_string())?;
        self.send(request).await.map(|_| ())
    }

    /// A small GET with its signature computed beforehand; the body is read and dropped.
    pub(crate) async fn get_presigned(
        &self,
        bucket: &str,
        key: &str,
        signed: Option<&PreSigned>,
    ) -> Result<u64, BenchError> {
        let mut builder = Request::builder()
            .method(Method::GET)
            .uri(self.uri(bucket, key, "")?);
        if let Some(s) = signed {
            builder = builder
                .header("authorization", s.authorization.clone())
                .header("x-oss-date", s.x_oss_date.clone())
                .header("date", s.date.clone())
                .header("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
        }
        let request = builder
            .body(Either::Left(Full::new(Bytes::new())))
            .map_err(|e| e.to_string())?;
        self.send(request).await.map(|(_, b)| b.len() as u64)
    }

    /// One signed request with `query` and `body`.
    async fn call(
        &self,
        method: Method,
        bucket: &str,
        key: &str,
        mut query: QueryParams,
        extra: &[(&'static str, HeaderValue)],
        body: RawBody,
    ) -> Result<(HeaderMap, Bytes), BenchError> {
        let mut headers = HeaderMap::new();
        for (name, value) in extra {
            headers.insert(*name, value.clone());
        }
        self.sign_into(&method, bucket, key, &mut query, &mut headers)?;
        let uri = self.uri(bucket, key, &query.to_query_string())?;
        self.send(Self::request(method, uri, headers, body)?).await
    }

    /// PutObject of a whole file, streamed from disk in one request.
    pub(crate) async fn put_file(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
    ) -> Result<(), BenchError> {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| e.to_string())?;
        let len = file.metadata().await.map_err(|e| e.to_string())?.len();
        let stream = tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024)
            .map(|chunk| chunk.map(hyper::body::Frame::data));
        let body = Either::Right(BoxBody::new(StreamBody::new(stream)));
        self.call(
            Method::PUT,
            bucket,
            key,
            QueryParams::new(),
            &[("content-length", HeaderValue::from(len))],
            body,
        )
        .await
        .map(|_| ())
    }

    /// A GET (optionally ranged) streamed and dropped; returns the bytes read.
    pub(crate) async fn get_discard(
        &self,
        bucket: &str,
        key: &str,
        range: Option<(u64, u64)>,
    ) -> Result<u64, BenchError> {
        let mut headers = HeaderMap::new();
        if let Some((start, end)) = range {
            headers.insert(
                "range",
                HeaderValue::from_str(&format!("bytes={start}-{end}"))
                    .map_err(|e| e.to_string())?,
            );
        }
        let mut query = QueryParams::new();
        self.sign_into(&Method::GET, bucket, key, &mut query, &mut headers)?;
        let uri = self.uri(bucket, key, "")?;
        let request = Self::request(
            Method::GET,
            uri,
            headers,
            Either::Left(Full::new(Bytes::new())),
        )?;
        let response = self
            .http
            .request(request)
            .await
            .map_err(|e| format!("raw request: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("raw GET: HTTP {}", response.status()));
        }
        let mut body = response.into_body();
        let mut total = 0u64;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| format!("raw body: {e}"))?;
            if let Ok(data) = frame.into_data() {
                total += data.len() as u64;
            }
        }
        Ok(total)
    }

    /// The object downloaded into `destination`: `concurrency` ranges of `part` bytes in
    /// flight, each read whole and written at its offset, the file renamed into place at the
    /// end; the same ranged GETs and the same disk writes as the Downloader, without its
    /// checks (no HeadObject first, no `If-Match`, no CRC-64).
    pub(crate) async fn download_to_file(
        &self,
        bucket: &str,
        key: &str,
        size: u64,
        part: u64,
        concurrency: usize,
        destination: &Path,
    ) -> Result<u64, BenchError> {
        use std::os::unix::fs::FileExt as _;
        let temporary = destination.with_extension("raw-temp");
        let file = std::fs::File::create(&temporary).map_err(|e| e.to_string())?;
        file.set_len(size).map_err(|e| e.to_string())?;
        let file = std::sync::Arc::new(file);
        let ranges = inclusive_ranges(size, part);
        let written: Vec<Result<u64, BenchError>> = futures_util::stream::iter(ranges)
            .map(|(start, end)| {
                let file = std::sync::Arc::clone(&file);
                async move {
                    let range = HeaderValue::from_str(&format!("bytes={start}-{end}"))
                        .map_err(|e| e.to_string())?;
                    let (_, data) = self
                        .call(
                            Method::GET,
                            bucket,
                            key,
                            QueryParams::new(),
                            &[("range", range)],
                            Either::Left(Full::new(Bytes::new())),
                        )
                        .await?;
                    let len = data.len() as u64;
                    tokio::task::spawn_blocking(move || file.write_all_at(&data, start))
                        .await
                        .map_err(|e| e.to_string())?
                        .map_err(|e| e.to_string())?;
                    Ok(len)
                }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let total = written.into_iter().sum::<Result<u64, _>>()?;
        std::fs::rename(&temporary, destination).map_err(|e| e.to_string())?;
        Ok(total)
    }

    /// A multipart upload sending the same requests as the Uploader (initiate, parts with
    /// `concurrency` in flight, complete), parts taken from `part(offset, len)`.
    pub(crate) async fn multipart<F, Fut>(
        &self,
        bucket: &str,
        key: &str,
        size: u64,
        part_size: u64,
        concurrency: usize,
        part: F,
    ) -> Result<(), BenchError>
    where
        F: Fn(u64, u64) -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, BenchError>>,
    {
        let mut q = QueryParams::new();
        q.push_flag("uploads");
        let zero = [("content-length", HeaderValue::from_static("0"))];
        let (_, xml) = self
            .call(
                Method::POST,
                bucket,
                key,
                q,
                &zero,
                Either::Left(Full::new(Bytes::new())),
            )
            .await?;
        let upload_id = parse_upload_id(&xml).ok_or("no UploadId in InitiateMultipartUpload")?;
        let parts: Vec<(u32, u64, u64)> = {
            let mut v = Vec::new();
            let (mut offset, mut number) = (0u64, 1u32);
            while offset < size {
                let len = part_size.min(size - offset);
                v.push((number, offset, len));
                offset += len;
                number += 1;
            }
            v
        };
        let upload_id_ref = &upload_id;
        let part_ref = &part;
        let mut etags: Vec<(u32, String)> = futures_util::stream::iter(parts)
            .map(|(number, offset, len)| async move {
                let data = part_ref(offset, len).await?;
                let mut q = QueryParams::new();
                q.push("partNumber", number.to_string());
                q.push("uploadId", upload_id_ref.clone());
                let (headers, _) = self
                    .call(
                        Method::PUT,
                        bucket,
                        key,
                        q,
                        &[],
                        Either::Left(Full::new(data)),
                    )
                    .await?;
                let etag = headers
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .ok_or("no ETag on UploadPart")?
                    .to_owned();
                Ok::<_, BenchError>((number, etag))
            })
            .buffer_unordered(concurrency.max(1))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        etags.sort_unstable_by_key(|(n, _)| *n);
        let mut xml = String::with_capacity(64 + etags.len() * 80);
        xml.push_str("<CompleteMultipartUpload>");
        for (n, etag) in &etags {
            xml.push_str("<Part><PartNumber>");
            xml.push_str(&n.to_string());
            xml.push_str("</PartNumber><ETag>");
            xml.push_str(&etag.replace('"', "&quot;"));
            xml.push_str("</ETag></Part>");
        }
        xml.push_str("</CompleteMultipartUpload>");
        let mut q = QueryParams::new();
        q.push("uploadId", upload_id.clone());
        self.call(
            Method::POST,
            bucket,
            key,
            q,
            &[],
            Either::Left(Full::new(Bytes::from(xml))),
        )
        .await
        .map(|_| ())
    }
}

/// The (first, last) byte of every `part`-byte range of `size` bytes, the last one shorter.
pub(crate) fn inclusive_ranges(size: u64, part: u64) -> impl Iterator<Item = (u64, u64)> {
    (0..size.div_ceil(part)).map(move |i| (i * part, ((i + 1) * part).min(size) - 1))
}

/// Reads `len` bytes at `offset` of the file at `path`.
pub(crate) async fn read_range(path: &Path, offset: u64, len: u64) -> Result<Bytes, BenchError> {
    use tokio::io::AsyncSeekExt as _;
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| e.to_string())?;
    file.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(|e| e.to_string())?;
    let mut buf = BytesMut::zeroed(usize::try_from(len).map_err(|e| e.to_string())?);
    file.read_exact(&mut buf).await.map_err(|e| e.to_string())?;
    Ok(buf.freeze())
}

// ---- oss-client ------------------------------------------------------------------------

pub(crate) async fn ours_put(ctx: &Ctx, key: &str, data: Bytes) -> Result<(), BenchError> {
    ctx.ours
        .put_object()
        .bucket(&ctx.bucket)
        .key(key)
        .body(data)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("oss-client PUT {key}: {e}"))
}

/// GetObject of the whole object (CRC-64 verified) or, with `range`, of bytes
/// `first..=last`, streamed and dropped; returns the bytes read.
pub(crate) async fn ours_get(
    ctx: &Ctx,
    key: &str,
    range: Option<(u64, u64)>,
) -> Result<u64, BenchError> {
    let mut request = ctx.ours.get_object().bucket(&ctx.bucket).key(key);
    if let Some((first, last)) = range {
        request = request.range(oss_client::types::ByteRange::Inclusive { first, last });
    }
    let out = request
        .send()
        .await
        .map_err(|e| format!("oss-client GET {key}: {e}"))?;
    let mut body = out.body;
    let mut total = 0u64;
    while let Some(chunk) = body.next().await {
        total += chunk
            .map_err(|e| format!("oss-client GET body {key}: {e}"))?
            .len() as u64;
    }
    Ok(total)
}

// ---- oss-object-store ------------------------------------------------------------------

/// `ObjectStore::put` of `data`.
pub(crate) async fn object_store_put(ctx: &Ctx, key: &str, data: Bytes) -> Result<(), BenchError> {
    use object_store::ObjectStoreExt as _;
    ctx.object_store
        .put(&object_store::path::Path::from(key), data.into())
        .await
        .map(|_| ())
        .map_err(|e| format!("object_store put {key}: {e}"))
}

/// `ObjectStore::get_opts` of the whole object or, with `range`, of bytes `first..=last`,
/// streamed and dropped; returns the bytes read.
pub(crate) async fn object_store_get(
    ctx: &Ctx,
    key: &str,
    range: Option<(u64, u64)>,
) -> Result<u64, BenchError> {
    use object_store::ObjectStore as _;
    let options = object_store::GetOptions {
        range: range.map(|(first, last)| object_store::GetRange::Bounded(first..last + 1)),
        ..Default::default()
    };
    let answer = ctx
        .object_store
        .get_opts(&object_store::path::Path::from(key), options)
        .await
        .map_err(|e| format!("object_store get {key}: {e}"))?;
    let mut body = answer.into_stream();
    let mut total = 0u64;
    while let Some(chunk) = body.next().await {
        total += chunk
            .map_err(|e| format!("object_store get body {key}: {e}"))?
            .len() as u64;
    }
    Ok(total)
}

/// A multipart upload through `WriteMultipart`: parts of `chunk` bytes, `concurrent` in
/// flight.
pub(crate) async fn object_store_write_parts(
    ctx: &Ctx,
    key: &str,
    chunk: usize,
    concurrent: usize,
    chunks: impl futures_util::Stream<Item = Result<Bytes, BenchError>>,
) -> Result<(), BenchError> {
    use object_store::ObjectStoreExt as _;
    let upload = ctx
        .object_store
        .put_multipart(&object_store::path::Path::from(key))
        .await
        .map_err(|e| format!("object_store put_multipart: {e}"))?;
    let mut writer = object_store::WriteMultipart::new_with_chunk_size(upload, chunk);
    let mut chunks = std::pin::pin!(chunks);
    while let Some(data) = chunks.next().await {
        writer
            .wait_for_capacity(concurrent.saturating_sub(1))
            .await
            .map_err(|e| format!("object_store part: {e}"))?;
        writer.put(data?);
    }
    writer
        .finish()
        .await
        .map(|_| ())
        .map_err(|e| format!("object_store complete: {e}"))
}

// ---- opendal ---------------------------------------------------------------------------

fn od(ctx: &Ctx) -> Result<&opendal::Operator, BenchError> {
    ctx.opendal
        .as_ref()
        .ok_or_else(|| "opendal was not set up".to_owned())
}

pub(crate) async fn opendal_put(ctx: &Ctx, key: &str, data: Bytes) -> Result<(), BenchError> {
    od(ctx)?
        .write(key, data)
        .await
        .map(|_| ())
        .map_err(|e| format!("opendal write {key}: {e}"))
}

pub(crate) async fn opendal_get(ctx: &Ctx, key: &str) -> Result<u64, BenchError> {
    od(ctx)?
        .read(key)
        .await
        .map(|b| b.len() as u64)
        .map_err(|e| format!("opendal read {key}: {e}"))
}

/// Streams the object (optionally `concurrent` ranged reads of `chunk` bytes) and drops it.
pub(crate) async fn opendal_get_discard(
    ctx: &Ctx,
    key: &str,
    parallel: Option<(usize, usize)>,
) -> Result<u64, BenchError> {
    let mut reader = od(ctx)?.reader_with(key);
    if let Some((concurrent, chunk)) = parallel {
        reader = reader.concurrent(concurrent).chunk(chunk);
    }
    let reader = reader.await.map_err(|e| format!("opendal reader: {e}"))?;
    let mut stream = reader
        .into_bytes_stream(..)
        .await
        .map_err(|e| format!("opendal stream: {e}"))?;
    let mut total = 0u64;
    while let Some(chunk) = stream.next().await {
        total += chunk.map_err(|e| format!("opendal read: {e}"))?.len() as u64;
    }
    Ok(total)
}

/// The object downloaded into `destination` through opendal's concurrent reader (`concurrent`
/// ranged reads of `chunk` bytes) written in order to a temporary file renamed into place.
pub(crate) async fn opendal_download_to_file(
    ctx: &Ctx,
    key: &str,
    concurrent: usize,
    chunk: usize,
    destination: &Path,
) -> Result<u64, BenchError> {
    use tokio::io::AsyncWriteExt as _;
    let reader = od(ctx)?
        .reader_with(key)
        .concurrent(concurrent)
        .chunk(chunk)
        .await
        .map_err(|e| format!("opendal reader: {e}"))?;
    let mut stream = reader
        .into_bytes_stream(..)
        .await
        .map_err(|e| format!("opendal stream: {e}"))?;
    let temporary = destination.with_extension("opendal-temp");
    let mut file = tokio::fs::File::create(&temporary)
        .await
        .map_err(|e| e.to_string())?;
    let mut total = 0u64;
    while let Some(data) = stream.next().await {
        let data = data.map_err(|e| format!("opendal read: {e}"))?;
        total += data.len() as u64;
        file.write_all(&data).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    drop(file);
    tokio::fs::rename(&temporary, destination)
        .await
        .map_err(|e| e.to_string())?;
    Ok(total)
}

/// Writes from `next_chunk` through a multipart writer (`chunk` bytes, `concurrent` in flight).
pub(crate) async fn opendal_write_parts(
    ctx: &Ctx,
    key: &str,
    chunk: usize,
    concurrent: usize,
    chunks: impl futures_util::Stream<Item = Result<Bytes, BenchError>>,
) -> Result<(), BenchError> {
    let mut writer = od(ctx)?
        .writer_with(key)
        .chunk(chunk)
        .concurrent(concurrent)
        .await
        .map_err(|e| format!("opendal writer: {e}"))?;
    let mut chunks = std::pin::pin!(chunks);
    while let Some(data) = chunks.next().await {
        writer
            .write(data?)
            .await
            .map_err(|e| format!("opendal write: {e}"))?;
    }
    writer
        .close()
        .await
        .map(|_| ())
        .map_err(|e| format!("opendal close: {e}"))
}

/// The file at `path` as a stream of `chunk`-byte pieces.
pub(crate) fn file_chunks(
    path: &Path,
    chunk: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, BenchError>> + use<> {
    let path = path.to_path_buf();
    futures_util::stream::unfold(None::<std::fs::File>, move |file| {
        let path = path.clone();
        async move {
            // One blocking read per chunk straight into its buffer (no zeroing, no copy
            // through tokio::fs's 2 MiB staging buffer), as the Uploader reads its parts:
            // the harness's reading must not count against the client it feeds.
            let read = tokio::task::spawn_blocking(move || read_chunk(file, &path, chunk)).await;
            match read.map_err(|e| e.to_string()).and_then(|r| r) {
                Ok(Some((buf, file))) => Some((Ok(Bytes::from(buf)), Some(file))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        }
    })
}

/// The next `chunk` bytes of `file` (opened from `path` on the first call); `None` at the end.
fn read_chunk(
    file: Option<std::fs::File>,
    path: &Path,
    chunk: usize,
) -> Result<Option<(Vec<u8>, std::fs::File)>, BenchError> {
    use std::io::Read as _;
    let file = match file {
        Some(f) => f,
        None => std::fs::File::open(path).map_err(|e| e.to_string())?,
    };
    let mut buf = Vec::with_capacity(chunk);
    (&file)
        .take(chunk as u64)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    Ok((!buf.is_empty()).then_some((buf, file)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ranges_cover_the_object_once() {
        let ranges = |size, part| super::inclusive_ranges(size, part).collect::<Vec<_>>();
        assert_eq!(ranges(10, 4), [(0, 3), (4, 7), (8, 9)]);
        assert_eq!(ranges(8, 4), [(0, 3), (4, 7)]);
        assert_eq!(ranges(1, 4), [(0, 0)]);
        assert!(ranges(0, 4).is_empty());
    }

    #[test]
    fn upload_id_is_found() {
        let xml = b"<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>ABC</UploadId></InitiateMultipartUploadResult>";
        assert_eq!(super::parse_upload_id(xml).as_deref(), Some("ABC"));
    }
}
