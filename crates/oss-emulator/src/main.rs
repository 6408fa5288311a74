//! `oss-emulator`: runs the strict local OSS server (and, on request, local fakes of the
//! credential services) until SIGINT/SIGTERM.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use rustls::pki_types::SubjectPublicKeyInfoDer;
use rustls::pki_types::pem::PemObject as _;

/// A strict local Alibaba Cloud OSS server (in memory or --data-dir), for tests, with local fakes
/// of STS, ECS instance metadata, a credentials URI and KMS.
///
/// Prints one stdout line once the OSS API accepts connections, `listening on
/// http://127.0.0.1:PORT`, then one line per started fake: `sts listening on …`,
/// `metadata listening on …`, `credentials-uri listening on <full URL to GET>`,
/// `kms listening on …`, `control listening on …` (`https://` everywhere with
/// --tls-cert/--tls-key). Logs go to stderr (RUST_LOG, default `warn`).
///
/// Control API (--control-listen ADDR): JSON over HTTP to steer the running emulator from a
/// test in any language: PUT/DELETE /faults, GET/PUT /clock-skew, POST /temporary-credentials,
/// POST /temporary-credentials/expire, POST /buckets, POST /multipart-uploads/abort,
/// POST /reset, GET /counters, GET/DELETE /journal (docs/emulator-control.md).
///
/// Credentials: the root AccessKey is --access-key-id / --access-key-secret (or
/// OSS_EMULATOR_ACCESS_KEY_SECRET); it signs OSS requests and STS AssumeRole calls. STS lets
/// callers assume only --role-arn, and AssumeRoleWithOIDC accepts only --oidc-provider-arn
/// (any non-empty OIDCToken). The metadata fake serves the role --ecs-role-name. The KMS fake
/// serves one secret, --kms-secret-name, holding a long-term AccessKey it creates at start; it
/// verifies requests signed by the ClientKey --kms-client-key-id whose RSA public key is
/// --kms-public-key (default: the test ClientKey in crates/oss-emulator/tests/data/kms/).
/// Every credential the fakes issue is accepted by the OSS API until it expires.
///
/// Storage is in memory unless --data-dir is given: then every acknowledged write is on disk
/// (fsynced, committed by rename) before it is answered, survives kill -9 and is loaded again
/// at the next start on the same directory.
///
/// Fault injection (--faults SPEC): a comma-separated list of OPERATION:TRIGGER:FAULT rules.
///   OPERATION  `*` or names joined by `|`: put get head object-meta delete list list-v1
///              list-v2 list-buckets put-bucket delete-bucket bucket-info bucket-location
///              bucket-stat put-bucket-acl get-bucket-acl put-bucket-versioning
///              get-bucket-versioning list-versions list-uploads delete-multiple copy append
///              put-acl get-acl put-tagging get-tagging delete-tagging put-symlink
///              get-symlink restore clean-restored seal initiate upload-part
///              upload-part-copy complete abort list-parts
///   TRIGGER    p=F (probability 0..1, seeded by --fault-seed), nth=N (the N-th matching
///              request only), every=N (every N-th), first=N (the first N), always
///   FAULT      500 | 503 (OSS error XML InternalError / ServiceUnavailable; the request is
///              NOT applied), reset (connection closed, FIN, before any response byte; NOT
///              applied), rst (the same with a TCP reset: SO_LINGER 0, the client reads
///              ECONNRESET), reset-body | short-body | rst-body (applied; headers with the
///              real Content-Length and the first half of the body, then the connection
///              fails / ends short / is reset with RST), stall | stall=BYTES (a request with
///              a body: half its Content-Length, or BYTES, is read, then nothing more and no
///              answer, NOT applied; any other request: applied, then headers and half the
///              body, or BYTES of it, at most all but the last byte, then nothing; no body
///              bytes to send: nothing at all; the connection stays open until the client
///              leaves or the emulator stops), slow=BPS (request and answer bodies at about
///              BPS bytes/s), commit-reset | commit-503 (applied, then the answer is lost:
///              connection closed / 503 ServiceUnavailable), corrupt-body (applied; one
///              byte of the body flipped, headers unchanged; for a write, a wrong
///              x-oss-hash-crc64ecma), latency=MS (applied; the answer is held back),
///              skew=SECONDS (this request sees the clock moved), expire-token (a request
///              with a security token gets 403 SecurityTokenExpired)
/// Example: --faults 'put|upload-part:p=0.2:503,get:nth=3:reset-body,*:every=50:latency=300'
#[derive(Debug, Parser)]
#[command(name = "oss-emulator", version, verbatim_doc_comment)]
struct Args {
    /// Address of the OSS API; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Root AccessKeyId that requests (OSS, STS AssumeRole) must be signed with.
    #[arg(long, default_value = oss_emulator::DEFAULT_ACCESS_KEY_ID)]
    access_key_id: String,
    /// Root AccessKeySecret (or set OSS_EMULATOR_ACCESS_KEY_SECRET, which keeps it out of
    /// the process list).
    #[arg(long, env = "OSS_EMULATOR_ACCESS_KEY_SECRET", hide_env_values = true,
          default_value = oss_emulator::DEFAULT_ACCESS_KEY_SECRET, hide_default_value = true)]
    access_key_secret: String,
    /// Region that V4 signatures must be scoped to.
    #[arg(long, default_value = oss_emulator::DEFAULT_REGION)]
    region: String,
    /// A bucket that lives in another region, as BUCKET=REGION (repeatable): requests for it
    /// get 403 AccessDenied naming `oss-REGION.aliyuncs.com`, as OSS answers them.
    #[arg(long, value_name = "BUCKET=REGION", value_parser = parse_bucket_region)]
    bucket_in_region: Vec<(String, String)>,
    /// Create this bucket at start (repeatable), and again after a reset through the control
    /// API; a bucket already in --data-dir is kept.
    #[arg(long = "bucket", value_name = "NAME")]
    buckets: Vec<String>,
    /// Largest accepted object body in bytes (default 5 GiB).
    #[arg(long, default_value_t = oss_emulator::DEFAULT_MAX_OBJECT_SIZE)]
    max_object_size: u64,
    /// Keep buckets, objects and multipart uploads in this directory (created if missing;
    /// loaded at start) instead of only in memory.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Inject faults into OSS API requests (grammar above).
    #[arg(long, value_name = "SPEC", value_parser = parse_faults)]
    faults: Option<String>,
    /// Seed of `p=` fault triggers: the same seed and request sequence fire the same faults.
    #[arg(long, value_name = "N", default_value_t = oss_emulator::DEFAULT_FAULT_SEED)]
    fault_seed: u64,
    /// Close a keep-alive connection idle (no request in progress, no byte received) for
    /// this many seconds; 0 = never.
    #[arg(long, value_name = "SECS", default_value_t = oss_emulator::DEFAULT_IDLE_CONNECTION_TIMEOUT.as_secs())]
    idle_connection_timeout: u64,
    /// Close a connection whose request head started arriving but is not complete after
    /// this many seconds; 0 = never.
    #[arg(long, value_name = "SECS", default_value_t = oss_emulator::DEFAULT_HEADER_READ_TIMEOUT.as_secs())]
    header_read_timeout: u64,
    /// Keep at most this many connections open per listener; one accepted beyond is closed
    /// at once.
    #[arg(long, value_name = "N", default_value_t = oss_emulator::DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// Also start the STS fake (AssumeRole, AssumeRoleWithOIDC) on this address.
    #[arg(long, value_name = "ADDR")]
    sts_listen: Option<SocketAddr>,
    /// Also start the ECS instance-metadata fake on this address.
    #[arg(long, value_name = "ADDR")]
    metadata_listen: Option<SocketAddr>,
    /// Also start the credentials-URI fake on this address (GET /credentials).
    #[arg(long, value_name = "ADDR")]
    credentials_uri_listen: Option<SocketAddr>,
    /// Also start the KMS GetSecretValue fake on this address.
    #[arg(long, value_name = "ADDR")]
    kms_listen: Option<SocketAddr>,
    /// Also serve the HTTP control API (JSON, no authentication) on this address.
    #[arg(long, value_name = "ADDR")]
    control_listen: Option<SocketAddr>,
    /// Serve HTTPS on every listener with this certificate chain (PEM, leaf first).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The only role ARN STS lets callers assume.
    #[arg(long, default_value = oss_emulator::DEFAULT_ROLE_ARN)]
    role_arn: String,
    /// The only OIDC provider ARN AssumeRoleWithOIDC accepts.
    #[arg(long, default_value = oss_emulator::DEFAULT_OIDC_PROVIDER_ARN)]
    oidc_provider_arn: String,
    /// The RAM role name the metadata fake serves.
    #[arg(long, default_value = oss_emulator::DEFAULT_ECS_ROLE_NAME)]
    ecs_role_name: String,
    /// Lifetime in seconds of every credential the fakes issue (default: STS the requested
    /// DurationSeconds, metadata 6 h, credentials URI 1 h).
    #[arg(long, value_name = "SECS")]
    temporary_credentials_lifetime: Option<u64>,
    /// Metadata GETs need a valid X-aliyun-ecs-metadata-token (else 401).
    #[arg(long)]
    metadata_hardened: bool,
    /// The credentials URI answers {"StatusCode":"200",…} instead of {"Code":"Success",…}.
    #[arg(long)]
    credentials_uri_status_code: bool,
    /// Name of the KMS fake's secret.
    #[arg(long, default_value = oss_emulator::DEFAULT_KMS_SECRET_NAME)]
    kms_secret_name: String,
    /// KeyId of the ClientKey the KMS fake accepts (with --kms-public-key).
    #[arg(long, default_value = oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID, requires = "kms_public_key")]
    kms_client_key_id: String,
    /// The ClientKey's RSA public key, SubjectPublicKeyInfo as DER or PEM.
    #[arg(long, value_name = "FILE")]
    kms_public_key: Option<PathBuf>,
}

fn parse_faults(spec: &str) -> Result<String, oss_emulator::FaultSpecError> {
    oss_emulator::FaultSpec::parse(spec).map(|_| spec.to_owned())
}

fn parse_bucket_region(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((bucket, region)) if !bucket.is_empty() && !region.is_empty() => {
            Ok((bucket.to_owned(), region.to_owned()))
        }
        _ => Err(format!("expected BUCKET=REGION, got {value:?}")),
    }
}

fn read(path: &PathBuf) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let mut builder = oss_emulator::Emulator::builder()
        .listen(args.listen)
        .credentials(args.access_key_id, args.access_key_secret)
        .region(args.region)
        .max_object_size(args.max_object_size)
        .role_arn(args.role_arn)
        .oidc_provider_arn(args.oidc_provider_arn)
        .ecs_role_name(args.ecs_role_name)
        .metadata_hardened(args.metadata_hardened)
        .kms_secret_name(args.kms_secret_name)
        .fault_seed(args.fault_seed)
        .idle_connection_timeout(Duration::from_secs(args.idle_connection_timeout))
        .header_read_timeout(Duration::from_secs(args.header_read_timeout))
        .max_connections(args.max_connections);
    for name in args.buckets {
        builder = builder.bucket(name);
    }
    for (bucket, region) in args.bucket_in_region {
        builder = builder.bucket_in_region(bucket, region);
    }
    if let Some(spec) = &args.faults {
        builder = builder.faults(spec);
    }
    if let Some(dir) = &args.data_dir {
        builder = builder.data_dir(dir);
    }
    if args.credentials_uri_status_code {
        builder = builder.credentials_uri_shape(oss_emulator::UriShape::StatusCode);
    }
    if let Some(secs) = args.temporary_credentials_lifetime {
        builder = builder.temporary_credentials_lifetime(Duration::from_secs(secs));
    }
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        builder = builder.tls(read(cert)?, read(key)?);
    }
    if let Some(path) = &args.kms_public_key {
        let raw = read(path)?;
        let der = match SubjectPublicKeyInfoDer::from_pem_slice(&raw) {
            Ok(spki) => spki.to_vec(),
            Err(_) => raw,
        };
        builder = builder.kms_client_key(args.kms_client_key_id, der);
    }
    if let Some(addr) = args.sts_listen {
        builder = builder.sts_listen(addr);
    }
    if let Some(addr) = args.metadata_listen {
        builder = builder.metadata_listen(addr);
    }
    if let Some(addr) = args.credentials_uri_listen {
        builder = builder.credentials_uri_listen(addr);
    }
    if let Some(addr) = args.kms_listen {
        builder = builder.kms_listen(addr);
    }
    if let Some(addr) = args.control_listen {
        builder = builder.control_listen(addr);
    }
    let handle = builder.start().await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", handle.endpoint())?;
        let fakes = [
            ("sts", handle.sts_endpoint()),
            ("metadata", handle.metadata_endpoint()),
            ("credentials-uri", handle.credentials_uri()),
            ("kms", handle.kms_endpoint()),
            ("control", handle.control_endpoint()),
        ];
        for (name, endpoint) in fakes {
            if let Some(endpoint) = endpoint {
                writeln!(out, "{name} listening on {endpoint}")?;
            }
        }
        out.flush()?;
    }
    wait_for_signal().await;
    handle.shutdown().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::parse_bucket_region;

    #[test]
    fn bucket_in_region_is_bucket_equals_region() {
        assert_eq!(
            parse_bucket_region("examplebucket=cn-beijing").unwrap(),
            ("examplebucket".to_owned(), "cn-beijing".to_owned())
        );
        for bad in ["examplebucket", "=cn-beijing", "examplebucket=", ""] {
            assert!(parse_bucket_region(bad).is_err(), "{bad:?}");
        }
    }
}
