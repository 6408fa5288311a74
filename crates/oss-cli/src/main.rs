//! `oss`: a command line for batch jobs on Alibaba Cloud OSS, built on oss-client's transfer
//! managers (Uploader, Downloader, Copier) and oss-auth's default credentials chain.
//!
//! `oss --help` lists the commands; the README shows the first three a batch user needs.

mod args;
mod checksum;
mod commands;
mod connect;
mod error;
mod filter;
mod guided_listing;
mod location;
mod output;
mod plan;
mod transfer;
mod tree;
mod units;
mod walk;

use std::process::ExitCode;

use clap::Parser as _;
use oss_client::Client;

use crate::args::{Cli, Command};
use crate::error::{CliError, EXIT_FAILURES, EXIT_OK};
use crate::output::{Output, Summary};

/// mimalloc instead of the system allocator: a batch job allocates on the walking thread and
/// frees on the runtime's workers (file contents, paths, requests), which glibc's allocator
/// serializes on its arena locks (about one futex call per object in `cp -r` of small files).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("oss: cannot start the runtime: {e}");
            return ExitCode::from(EXIT_FAILURES);
        }
    };
    // The command runs as a task on the runtime's workers, beside the connections it
    // drives: an answer wakes it on the same thread instead of waking the main thread.
    let result = runtime.block_on(async { tokio::spawn(run(cli)).await });
    match result.unwrap_or_else(|e| Err(CliError::failed(format!("the command failed: {e}")))) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("oss: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs one command; the exit code is 0 when everything was done, 1 when something failed.
async fn run(cli: Cli) -> Result<u8, CliError> {
    let client = connect::client(&cli.global)?;
    let mut output = Output::new(cli.global.json);
    let result = dispatch(&cli, &client, &mut output).await;
    output.flush();
    result
}

async fn dispatch(cli: &Cli, client: &Client, output: &mut Output) -> Result<u8, CliError> {
    let (name, summary) = match &cli.command {
        Command::Cp(args) => ("cp", commands::cp::run(client, args, output).await?),
        Command::Sync(args) => ("sync", commands::sync::run(client, args, output).await?),
        Command::Rm(args) => ("rm", commands::rm::run(client, args, output).await?),
        Command::Ls(args) => return done(commands::ls::run(client, args, output).await),
        Command::Stat(args) => {
            return done(commands::object::stat(client, &args.path, output).await);
        }
        Command::Cat(args) => return done(commands::object::cat(client, args).await),
        Command::Presign(args) => {
            return done(commands::object::presign(client, args, output).await);
        }
        Command::Hash(args) => {
            return done(commands::object::hash(client, &args.path, output).await);
        }
        Command::Mb(args) => return done(commands::bucket::make(client, args).await),
        Command::Rb(args) => return done(commands::bucket::remove(client, &args.path).await),
        Command::Du(args) => return done(commands::du::run(client, args, output).await),
    };
    output.summary(name, &summary);
    Ok(exit_code(&summary))
}

fn done(result: Result<(), CliError>) -> Result<u8, CliError> {
    result.map(|()| EXIT_OK)
}

fn exit_code(summary: &Summary) -> u8 {
    if summary.failures == 0 {
        EXIT_OK
    } else {
        EXIT_FAILURES
    }
}
