//! `oss-bench`: the throughput harness. Runs the same workloads with oss-client ("ours"), a raw
//! hyper-util client ("raw", the floor: no SDK, signatures computed before the clock starts),
//! opendal's OSS service and oss-object-store's `OssObjectStore` (over ours: the object_store
//! layer's cost) against one server on loopback, in one run, and prints every figure and
//! ratio (a table, or one JSON object with `--json`).
//!
//! Scenarios: `small` (N x 4 KiB PUT then GET at concurrency 64), `large` (one big object up
//! and down, single stream and in parallel parts), `batch` (200 x 8 MiB through the Uploader
//! with bounded objects in flight). See `docs/benchmarks.md`.

mod clients;
mod large;
mod report;
mod run;
mod server;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Throughput harness: oss-client vs raw hyper vs opendal vs oss-object-store against the OSS
/// emulator on loopback.
#[derive(Debug, Parser)]
#[command(name = "oss-bench")]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print one JSON object instead of a table.
    #[arg(long, global = true)]
    json: bool,
    /// Which clients to run.
    #[arg(long, global = true, value_enum, default_value = "all")]
    client: ClientChoice,
    /// The server: the emulator (separate process unless --in-process) or the null OSS (a
    /// separate `oss-bench null-server` process; small scenario only).
    #[arg(long, global = true, value_enum, default_value = "emulator")]
    server: ServerChoice,
    /// Run the emulator inside this process (client CPU and RSS then include the server's).
    #[arg(long, global = true)]
    in_process: bool,
    /// Use an already running server at this endpoint (http://127.0.0.1:PORT) instead of
    /// starting one, e.g. to measure this process alone with /usr/bin/time -v.
    #[arg(long, global = true, value_name = "URL")]
    endpoint: Option<String>,
    /// The oss-emulator binary (default: next to this executable).
    #[arg(long, global = true, value_name = "PATH")]
    emulator_bin: Option<PathBuf>,
    /// HTTPS: the emulator serves its test certificate (`crates/oss-emulator/tests/data/tls/`),
    /// ours and raw hyper trust its test CA through the same rustls configuration
    /// (`oss_auth::http_client::https_connector`). opendal is not run (its reqwest transport
    /// is built without a TLS stack). With --endpoint, give the `https://` URL of a server
    /// serving that certificate.
    #[arg(long, global = true)]
    tls: bool,
    /// AccessKeyId and secret the server expects (also passed to a started emulator).
    #[arg(long, global = true, default_value = "bench-access-key-id")]
    access_key_id: String,
    /// AccessKeySecret the server expects.
    #[arg(long, global = true, default_value = "bench-access-key-secret")]
    access_key_secret: String,
    /// Region of V4 signatures (the emulator's region).
    #[arg(long, global = true, default_value = "cn-hangzhou")]
    region: String,
    /// Bucket used (created when missing).
    #[arg(long, global = true, default_value = "bench")]
    bucket: String,
    /// Repetitions of every measurement (interleaved across clients); the median is reported.
    #[arg(long, global = true, default_value_t = 1)]
    repeat: usize,
    /// Small scenario: objects.
    #[arg(long, global = true, default_value_t = 10_000)]
    count: usize,
    /// Small scenario: object size in KiB.
    #[arg(long, global = true, default_value_t = 4)]
    object_kib: usize,
    /// Small scenario: requests in flight.
    #[arg(long, global = true, default_value_t = 64)]
    concurrency: usize,
    /// Large scenario: object size in MiB.
    #[arg(long, global = true, default_value_t = 1024)]
    large_mib: u64,
    /// Part size in MiB for multipart uploads and ranged downloads (large and batch).
    #[arg(long, global = true, default_value_t = 6)]
    part_mib: u64,
    /// Parts in flight per object (large and batch).
    #[arg(long, global = true, default_value_t = 3)]
    part_concurrency: usize,
    /// Large scenario: only the multipart upload (oss-client: the Uploader), e.g. to measure
    /// its peak RSS alone.
    #[arg(long, global = true)]
    large_upload_only: bool,
    /// Large scenario: samples of each download phase per repetition, the clients taking
    /// turns sample by sample. A 1 GiB stream lasts a few tenths of a second on loopback, so
    /// one sample says little; the median of many does.
    #[arg(long, global = true, default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..))]
    download_samples: u32,
    /// Batch scenario: objects.
    #[arg(long, global = true, default_value_t = 200)]
    batch_objects: usize,
    /// Batch scenario: object size in MiB.
    #[arg(long, global = true, default_value_t = 8)]
    batch_object_mib: u64,
    /// Batch scenario: objects in flight.
    #[arg(long, global = true, default_value_t = 8)]
    objects_in_flight: usize,
    /// Directory for the large scenario's source file and downloads (default: the system
    /// temporary directory).
    #[arg(long, global = true, value_name = "DIR")]
    work_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Every scenario (the default).
    All,
    /// N x small objects PUT, then GET, at a fixed concurrency.
    Small,
    /// One large object: upload and download, single stream and in parallel parts.
    Large,
    /// Many 8 MiB objects through the Uploader with bounded objects in flight.
    Batch,
    /// Serve the null OSS (no auth, no storage) until killed; prints `listening on URL`.
    NullServer {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
        /// Size of the object every GET returns, in bytes.
        #[arg(long, default_value_t = 4096)]
        object_size: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ClientChoice {
    All,
    Ours,
    Raw,
    Opendal,
    /// oss-object-store beside oss-client.
    ObjectStore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ServerChoice {
    Emulator,
    Null,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("oss-bench: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async_main(args));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oss-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn async_main(args: Args) -> Result<(), String> {
    if let Some(Command::NullServer {
        listen,
        object_size,
    }) = &args.command
    {
        return oss_bench::null_oss::serve(*listen, *object_size, |addr| {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening on http://{addr}");
            let _ = out.flush();
        })
        .await
        .map_err(|e| format!("null server: {e}"));
    }
    let (small, large, batch) = match args.command {
        None | Some(Command::All) => (true, true, true),
        Some(Command::Small) => (true, false, false),
        Some(Command::Large) => (false, true, false),
        Some(Command::Batch) => (false, false, true),
        Some(Command::NullServer { .. }) => unreachable!("handled above"),
    };
    let kinds: Vec<clients::Kind> = match args.client {
        // opendal's transport here is reqwest built without a TLS stack (the workspace keeps
        // aws-lc-rs out, which opendal's and reqwest's default rustls features bring), so an
        // HTTPS run compares ours with raw hyper only.
        ClientChoice::All if args.tls => vec![
            clients::Kind::Raw,
            clients::Kind::Ours,
            clients::Kind::ObjectStore,
        ],
        ClientChoice::All => vec![
            clients::Kind::Raw,
            clients::Kind::Ours,
            clients::Kind::Opendal,
            clients::Kind::ObjectStore,
        ],
        ClientChoice::Opendal if args.tls => {
            return Err(
                "--tls runs ours and raw hyper only: opendal's transport here has \
                 no TLS stack"
                    .into(),
            );
        }
        ClientChoice::Ours => vec![clients::Kind::Ours],
        ClientChoice::Raw => vec![clients::Kind::Raw],
        ClientChoice::Opendal => vec![clients::Kind::Opendal],
        // object_store's numbers mean something beside the client it is built on.
        ClientChoice::ObjectStore => vec![clients::Kind::Ours, clients::Kind::ObjectStore],
    };
    if args.server == ServerChoice::Null && (large || batch) && args.command.is_none() {
        return Err(
            "the null server answers small-object PUT/GET only: run `oss-bench small --server null`"
                .into(),
        );
    }
    if args.tls && args.server == ServerChoice::Null {
        return Err("the null server speaks plain HTTP only: --tls needs the emulator".into());
    }
    let server = server::Server::start(&args).await?;
    let ctx = std::sync::Arc::new(
        clients::Ctx::new(&args, &server, kinds.contains(&clients::Kind::Opendal)).await?,
    );
    let mut report = report::Report::new(&args, &server);
    if small {
        run::small(&args, &ctx, &kinds, &server, &mut report).await?;
    }
    if large {
        large::large(&args, &ctx, &kinds, &server, &mut report).await?;
    }
    if batch {
        // The batch scenario measures the Uploader; object_store has none.
        let kinds: Vec<clients::Kind> = kinds
            .iter()
            .copied()
            .filter(|k| *k != clients::Kind::ObjectStore)
            .collect();
        run::batch(&args, &ctx, &kinds, &server, &mut report).await?;
    }
    report.finish(&server);
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    server.stop();
    Ok(())
}
