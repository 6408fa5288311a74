//! The command line: global options, the commands and their options (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// `oss`: batch jobs on Alibaba Cloud OSS. Paths are local paths or `oss://bucket/key`.
///
/// Exit codes: 0 when everything was done, 1 when an object or request failed (a summary of
/// failures is printed), 2 for bad arguments or configuration (nothing was sent).
#[derive(Debug, Parser)]
#[command(name = "oss", version, about, long_about)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options of every command.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The OSS endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com` [env: OSS_ENDPOINT]
    /// (default: the public endpoint of the region).
    #[arg(long, global = true)]
    pub(crate) endpoint: Option<String>,
    /// The region, e.g. `cn-hangzhou` (V4 signatures are region-scoped) [env: OSS_REGION].
    #[arg(long, global = true)]
    pub(crate) region: Option<String>,
    /// The profile of `~/.aliyun/config.json` or `~/.alibabacloud/credentials` to use
    /// (sets ALIBABA_CLOUD_PROFILE for the default credentials chain).
    #[arg(long, global = true)]
    pub(crate) profile: Option<String>,
    /// Machine-readable output: one JSON object per line on stdout.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Retries per request after the first attempt (transient errors only).
    #[arg(long, global = true, default_value_t = 2)]
    pub(crate) retries: u32,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Lists buckets (no path), objects and directories of a prefix, versions or multipart
    /// uploads.
    Ls(LsArgs),
    /// Copies local->oss, oss->local or oss->oss; `-r` for a tree.
    Cp(CpArgs),
    /// Makes the destination tree like the source: sends what is missing or changed (size,
    /// then CRC-64; a destination written after the source last changed, with the same size,
    /// counts as unchanged without hashing).
    Sync(SyncArgs),
    /// Deletes an object, a prefix (`-r`) or unfinished multipart uploads (`--uploads`).
    Rm(RmArgs),
    /// Shows an object's properties (HeadObject).
    Stat(PathArg),
    /// Writes an object (or a byte range of it) to stdout.
    Cat(CatArgs),
    /// Prints a presigned URL of an object.
    Presign(PresignArgs),
    /// Creates a bucket.
    Mb(MbArgs),
    /// Deletes an (empty) bucket.
    Rb(PathArg),
    /// Counts the objects and bytes under a prefix or in a local directory.
    Du(DuArgs),
    /// Prints the CRC-64 (ECMA-182, as OSS computes it) and MD5 of a file or an object.
    Hash(PathArg),
}

/// A single path argument.
#[derive(Debug, Args)]
pub(crate) struct PathArg {
    /// A local path or `oss://bucket[/key]`.
    pub(crate) path: String,
}

/// `--include` / `--exclude`.
#[derive(Debug, Args, Default, Clone)]
pub(crate) struct FilterArgs {
    /// Only paths (relative to the tree's root, `/`-separated) matching this glob; repeatable.
    #[arg(long = "include", value_name = "GLOB")]
    pub(crate) include: Vec<String>,
    /// Skip paths matching this glob (wins over `--include`); repeatable.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
}

/// How transfers run.
#[derive(Debug, Args, Clone)]
pub(crate) struct TransferArgs {
    /// Objects in flight at once.
    #[arg(long, default_value_t = 16)]
    pub(crate) jobs: usize,
    /// Parts in flight per object (multipart uploads, ranged downloads, part copies).
    #[arg(long, default_value_t = 3)]
    pub(crate) parallel: usize,
    /// Part size (bytes; suffixes K, M, G are powers of 1024); objects of at least this size
    /// go in parts. Default: 6M for uploads and downloads; copies use 64M parts from 200M.
    #[arg(long, value_name = "SIZE", value_parser = crate::units::parse_size)]
    pub(crate) part_size: Option<u64>,
    /// Bandwidth limit of uploads and downloads together, in bytes per second (suffixes K, M,
    /// G); server-side copies use none and refuse it.
    #[arg(long, value_name = "RATE", value_parser = crate::units::parse_size)]
    pub(crate) limit_rate: Option<u64>,
    /// Where resumable uploads keep their checkpoints; removed when the job ends with every
    /// object done (downloads keep `<file>.dcp` beside the file until it is complete).
    #[arg(long, value_name = "DIR", default_value = ".oss-checkpoints")]
    pub(crate) checkpoint_dir: PathBuf,
}

/// `oss ls`.
#[derive(Debug, Args)]
pub(crate) struct LsArgs {
    /// `oss://bucket[/prefix]`; none lists the buckets.
    pub(crate) path: Option<String>,
    /// Every object under the prefix, not only the first level.
    #[arg(short, long)]
    pub(crate) recursive: bool,
    /// Size, modification time (UTC), ETag and storage class.
    #[arg(short, long)]
    pub(crate) long: bool,
    /// Every version and delete marker (ListObjectVersions).
    #[arg(long, conflicts_with = "uploads")]
    pub(crate) versions: bool,
    /// Unfinished multipart uploads (ListMultipartUploads).
    #[arg(long)]
    pub(crate) uploads: bool,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
}

/// `oss cp`.
#[derive(Debug, Args)]
pub(crate) struct CpArgs {
    /// A local path or `oss://bucket/key`.
    pub(crate) source: String,
    /// A local path or `oss://bucket/key`; a directory (or a key ending with `/`) receives
    /// the source's file name.
    pub(crate) destination: String,
    /// Copy a tree: the source is a directory or a prefix.
    #[arg(short, long)]
    pub(crate) recursive: bool,
    #[command(flatten)]
    pub(crate) transfer: TransferArgs,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
}

/// `oss sync`.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// A directory or `oss://bucket/prefix`.
    pub(crate) source: String,
    /// A directory or `oss://bucket/prefix`.
    pub(crate) destination: String,
    /// Also delete destination files or objects that the source does not have (among those
    /// the filters select).
    #[arg(long)]
    pub(crate) delete: bool,
    /// Print what would be sent and deleted, and do nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[command(flatten)]
    pub(crate) transfer: TransferArgs,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
}

/// `oss rm`.
#[derive(Debug, Args)]
pub(crate) struct RmArgs {
    /// `oss://bucket/key`, or a prefix with `-r` or `--uploads`.
    pub(crate) path: String,
    /// Every object under the prefix.
    #[arg(short, long)]
    pub(crate) recursive: bool,
    /// Abort the unfinished multipart uploads under the prefix instead of deleting objects.
    #[arg(long)]
    pub(crate) uploads: bool,
    /// With `--uploads`: only uploads initiated at least this long ago (e.g. `24h`, `7d`).
    #[arg(long, value_name = "AGE", requires = "uploads", value_parser = humantime::parse_duration)]
    pub(crate) older_than: Option<std::time::Duration>,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
}

/// `oss cat`.
#[derive(Debug, Args)]
pub(crate) struct CatArgs {
    /// `oss://bucket/key`.
    pub(crate) path: String,
    /// Bytes to write: `FIRST-LAST` (inclusive, from 0), `FIRST-` or `-LENGTH` (the last
    /// LENGTH bytes).
    #[arg(long, value_name = "RANGE", allow_hyphen_values = true)]
    pub(crate) range: Option<String>,
}

/// `oss presign`.
#[derive(Debug, Args)]
pub(crate) struct PresignArgs {
    /// `oss://bucket/key`.
    pub(crate) path: String,
    /// The HTTP method the URL allows.
    #[arg(long, default_value = "GET", value_parser = ["GET", "PUT", "HEAD", "DELETE"])]
    pub(crate) method: String,
    /// How long the URL stays valid (e.g. `15m`, `1h`; V4 allows up to 7 days).
    #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
    pub(crate) expires: std::time::Duration,
}

/// `oss mb`.
#[derive(Debug, Args)]
pub(crate) struct MbArgs {
    /// `oss://bucket`.
    pub(crate) path: String,
    /// `private`, `public-read` or `public-read-write`.
    #[arg(long)]
    pub(crate) acl: Option<String>,
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`.
    #[arg(long)]
    pub(crate) storage_class: Option<String>,
}

/// `oss du`.
#[derive(Debug, Args)]
pub(crate) struct DuArgs {
    /// A directory or `oss://bucket[/prefix]`.
    pub(crate) path: String,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
}
