//! (b) One large object: uploaded as one request and in parts, then downloaded as one stream,
//! in parallel ranges, and into a file (object_store: the parts upload and the two streamed
//! downloads, the calls it has).
//!
//! A 1 GiB download lasts a few tenths of a second on loopback, and from one sample to the next
//! the same client's throughput moves by a third. So each download phase takes several samples
//! per repetition, and the clients take turns sample by sample, each turn started by the next
//! client: what the machine does meanwhile, and whatever the first download after the uploads
//! pays, falls on every client in turn.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt as _;
use oss_client::transfer::{Downloader, Uploader};

use crate::Args;
use crate::clients::{self, BenchError, Ctx, Kind};
use crate::report::Report;
use crate::run::{MIB, Meter, status, work_dir};
use crate::server::Server;

/// The downloads sampled in turns, in the order they run.
#[derive(Debug, Clone, Copy)]
enum SampledDownload {
    /// One GET, streamed and dropped (ours checks the CRC-64).
    Single,
    /// `concurrency` ranged GETs of `part` bytes in flight, streamed and dropped.
    Ranges,
}

impl SampledDownload {
    const ALL: [SampledDownload; 2] = [SampledDownload::Single, SampledDownload::Ranges];

    fn phase(self) -> &'static str {
        match self {
            SampledDownload::Single => "download-single",
            SampledDownload::Ranges => "download-ranges",
        }
    }
}

/// Runs the scenario: per repetition, each client's uploads, then `download_samples` turns of
/// each sampled download phase, then one download into a file per client.
pub(crate) async fn large(
    args: &Args,
    ctx: &Arc<Ctx>,
    kinds: &[Kind],
    server: &Server,
    report: &mut Report,
) -> Result<(), BenchError> {
    let size = args.large_mib * MIB;
    let dir = work_dir(args);
    status(
        args,
        &format!(
            "large: preparing a {} MiB source file in {}",
            args.large_mib,
            dir.display()
        ),
    );
    let object = LargeObject {
        ctx,
        source: source_file(&dir, size)?,
        destination: dir.join("download.bin"),
        key: "large/object",
        size,
        part: args.part_mib * MIB,
        concurrency: args.part_concurrency,
    };
    for rep in 1..=args.repeat {
        for &kind in kinds {
            status(args, &format!("large uploads, {} (run {rep})", kind.name()));
            if kind.streams_one_file() && !args.large_upload_only {
                let upload = object.upload_single(kind);
                object
                    .measure(server, report, "upload-single", kind, upload)
                    .await?;
            }
            let upload = object.upload_parts(kind);
            object
                .measure(server, report, "upload-parts", kind, upload)
                .await?;
        }
        if args.large_upload_only {
            continue;
        }
        for sampled in SampledDownload::ALL {
            let phase = sampled.phase();
            let turns = args.download_samples as usize;
            status(args, &format!("large {phase}, {turns} turns (run {rep})"));
            for turn in 0..turns {
                for i in 0..kinds.len() {
                    let kind = kinds[(turn + i) % kinds.len()];
                    let download = object.download(sampled, kind);
                    object
                        .measure(server, report, phase, kind, download)
                        .await?;
                }
            }
        }
        status(args, &format!("large download-to-file (run {rep})"));
        // object_store has no download into a file (the Downloader's job).
        for &kind in kinds.iter().filter(|k| **k != Kind::ObjectStore) {
            let download = object.download_to_file(kind);
            object
                .measure(server, report, "download-to-file", kind, download)
                .await?;
            let _ = std::fs::remove_file(&object.destination);
        }
    }
    let _ = std::fs::remove_file(&object.source);
    Ok(())
}

/// The object every phase moves, and how.
struct LargeObject<'a> {
    ctx: &'a Ctx,
    /// The local file uploaded.
    source: PathBuf,
    /// Where downloads into a file go.
    destination: PathBuf,
    key: &'static str,
    /// Bytes.
    size: u64,
    /// Part (and range) size in bytes.
    part: u64,
    /// Parts or ranges in flight.
    concurrency: usize,
}

impl LargeObject<'_> {
    /// Times `work` (which moves the whole object and returns the bytes it moved) as one
    /// sample of `phase`.
    async fn measure(
        &self,
        server: &Server,
        report: &mut Report,
        phase: &'static str,
        kind: Kind,
        work: impl Future<Output = Result<u64, BenchError>>,
    ) -> Result<(), BenchError> {
        let meter = Meter::start(server);
        let moved = work
            .await
            .map_err(|e| format!("{} {phase}: {e}", kind.name()))?;
        if moved != self.size {
            let client = kind.name();
            return Err(format!(
                "{client} {phase}: moved {moved} bytes of {}",
                self.size
            ));
        }
        report.push(meter.finish(server, "large", phase, kind, 1, self.size, None));
        Ok(())
    }

    fn bucket(&self) -> &str {
        &self.ctx.bucket
    }

    /// One PutObject from the file (raw: the same request, unsigned).
    async fn upload_single(&self, kind: Kind) -> Result<u64, BenchError> {
        match kind {
            Kind::Raw => {
                self.ctx
                    .raw
                    .put_file(self.bucket(), self.key, &self.source)
                    .await?
            }
            _ => {
                self.ctx
                    .ours
                    .put_object()
                    .bucket(self.bucket())
                    .key(self.key)
                    .body_from_path(&self.source)
                    .send()
                    .await
                    .map_err(|e| format!("oss-client put_object from file: {e}"))?;
            }
        }
        Ok(self.size)
    }

    /// A multipart upload, `concurrency` parts in flight (ours: the Uploader).
    async fn upload_parts(&self, kind: Kind) -> Result<u64, BenchError> {
        let (part, pc) = (self.part, self.concurrency);
        match kind {
            Kind::Raw => {
                let src = self.source.clone();
                self.ctx
                    .raw
                    .multipart(
                        self.bucket(),
                        self.key,
                        self.size,
                        part,
                        pc,
                        |offset, len| {
                            let src = src.clone();
                            async move { clients::read_range(&src, offset, len).await }
                        },
                    )
                    .await?
            }
            Kind::Ours => {
                Uploader::new(&self.ctx.ours)
                    .part_size(part)
                    .concurrency(pc)
                    .upload_file(self.bucket(), self.key, &self.source)
                    .await
                    .map_err(|e| format!("Uploader: {e}"))?;
            }
            Kind::Opendal => {
                let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                clients::opendal_write_parts(
                    self.ctx,
                    self.key,
                    chunk,
                    pc,
                    clients::file_chunks(&self.source, chunk),
                )
                .await?
            }
            Kind::ObjectStore => {
                let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                clients::object_store_write_parts(
                    self.ctx,
                    self.key,
                    chunk,
                    pc,
                    clients::file_chunks(&self.source, chunk),
                )
                .await?
            }
        }
        Ok(self.size)
    }

    /// One sampled download; returns the bytes read.
    async fn download(&self, sampled: SampledDownload, kind: Kind) -> Result<u64, BenchError> {
        let ctx = self.ctx;
        if let SampledDownload::Single = sampled {
            return match kind {
                Kind::Raw => ctx.raw.get_discard(self.bucket(), self.key, None).await,
                Kind::Ours => clients::ours_get(ctx, self.key, None).await,
                Kind::Opendal => clients::opendal_get_discard(ctx, self.key, None).await,
                Kind::ObjectStore => clients::object_store_get(ctx, self.key, None).await,
            };
        }
        if kind == Kind::Opendal {
            let chunk = usize::try_from(self.part).map_err(|e| e.to_string())?;
            let parallel = Some((self.concurrency, chunk));
            return clients::opendal_get_discard(ctx, self.key, parallel).await;
        }
        let ranges = clients::inclusive_ranges(self.size, self.part);
        let results: Vec<Result<u64, BenchError>> = futures_util::stream::iter(ranges)
            .map(|(first, last)| async move {
                let range = Some((first, last));
                match kind {
                    Kind::Raw => ctx.raw.get_discard(self.bucket(), self.key, range).await,
                    Kind::ObjectStore => clients::object_store_get(ctx, self.key, range).await,
                    _ => clients::ours_get(ctx, self.key, range).await,
                }
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        results.into_iter().sum()
    }

    /// The object into [`Self::destination`]: ours through the Downloader (ranges,
    /// whole-object CRC-64, rename), raw with the same ranges written at their offsets,
    /// opendal through its concurrent reader written in order.
    async fn download_to_file(&self, kind: Kind) -> Result<u64, BenchError> {
        let (part, pc, dest) = (self.part, self.concurrency, &self.destination);
        match kind {
            Kind::Raw => {
                self.ctx
                    .raw
                    .download_to_file(self.bucket(), self.key, self.size, part, pc, dest)
                    .await
            }
            Kind::Ours => Downloader::new(&self.ctx.ours)
                .part_size(part)
                .concurrency(pc)
                .resumable(false)
                .download_to_file(self.bucket(), self.key, dest)
                .await
                .map(|done| done.size)
                .map_err(|e| format!("Downloader: {e}")),
            Kind::Opendal => {
                let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                clients::opendal_download_to_file(self.ctx, self.key, pc, chunk, dest).await
            }
            Kind::ObjectStore => Err("object_store has no download into a file".into()),
        }
    }
}

/// A file of `size` bytes of the benchmark payload, made once and reused.
fn source_file(dir: &Path, size: u64) -> Result<PathBuf, BenchError> {
    use std::io::Write as _;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("source-{size}.bin"));
    if path.metadata().map(|m| m.len()).ok() == Some(size) {
        return Ok(path);
    }
    let block = oss_bench::payload(8 * MIB as usize + 1);
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| e.to_string())?);
    let mut written = 0u64;
    let mut shift = 0usize;
    while written < size {
        let n = (size - written).min(8 * MIB) as usize;
        // Shift the block each time so no two 8 MiB pieces are identical.
        let start = shift % (block.len() - n).max(1);
        file.write_all(&block[start..start + n])
            .map_err(|e| e.to_string())?;
        written += n as u64;
        shift += 4099;
    }
    file.flush().map_err(|e| e.to_string())?;
    Ok(path)
}
