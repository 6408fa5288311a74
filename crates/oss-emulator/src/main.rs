//! `oss-emulator`: runs the strict local OSS server until SIGINT/SIGTERM.

use std::io::Write as _;
use std::net::SocketAddr;

use clap::Parser;

/// A strict local Alibaba Cloud OSS server (in memory), for tests.
///
/// Prints exactly one line to stdout once it accepts connections:
/// `listening on http://127.0.0.1:PORT`. Logs go to stderr (RUST_LOG, default `warn`).
#[derive(Debug, Parser)]
#[command(name = "oss-emulator", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Root AccessKeyId that requests must be signed with.
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
    /// Largest accepted object body in bytes (default 5 GiB).
    #[arg(long, default_value_t = oss_emulator::DEFAULT_MAX_OBJECT_SIZE)]
    max_object_size: u64,
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
    let handle = oss_emulator::Emulator::builder()
        .listen(args.listen)
        .credentials(args.access_key_id, args.access_key_secret)
        .region(args.region)
        .max_object_size(args.max_object_size)
        .start()
        .await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", handle.endpoint())?;
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
