//! The scenarios: what each client does, timed the same way.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt as _;
use hdrhistogram::Histogram;
use http::Method;
use oss_client::transfer::{Downloader, Uploader};

use crate::Args;
use crate::clients::{self, BenchError, Ctx, Kind};
use crate::report::{Report, Sample};
use crate::server::Server;

const MIB: u64 = 1024 * 1024;

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// Runs `op(i)` for i in 0..count with `concurrency` tasks; returns bytes moved and the
/// per-operation latency histogram (µs).
async fn drive<F, Fut>(
    count: usize,
    concurrency: usize,
    op: F,
) -> Result<(u64, Histogram<u64>), BenchError>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<u64, BenchError>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let op = Arc::new(op);
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let next = Arc::clone(&next);
        let op = Arc::clone(&op);
        tasks.push(tokio::spawn(async move {
            // Plain latencies per task, one histogram at the end: a histogram per task would
            // cost more memory than the client under test.
            let mut latencies: Vec<u32> = Vec::new();
            let mut bytes = 0u64;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let started = Instant::now();
                bytes += op(i).await?;
                latencies.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
            }
            Ok::<_, BenchError>((bytes, latencies))
        }));
    }
    let mut total = histogram();
    let mut bytes = 0;
    for task in tasks {
        let (b, latencies) = task.await.map_err(|e| format!("task: {e}"))??;
        bytes += b;
        for micros in latencies {
            total.saturating_record(u64::from(micros).max(1));
        }
    }
    Ok((bytes, total))
}

struct Meter {
    started: Instant,
    cpu: Duration,
    user: Duration,
    server_cpu: Option<Duration>,
}

impl Meter {
    fn start(server: &Server) -> Meter {
        let usage = oss_bench::usage::self_usage();
        Meter {
            server_cpu: server.cpu(),
            cpu: usage.cpu,
            user: usage.user,
            started: Instant::now(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        self,
        server: &Server,
        scenario: &'static str,
        phase: &'static str,
        client: Kind,
        ops: u64,
        bytes: u64,
        latency: Option<Histogram<u64>>,
    ) -> Sample {
        let elapsed = self.started.elapsed();
        let usage = oss_bench::usage::self_usage();
        let cpu = usage.cpu.saturating_sub(self.cpu);
        let user = usage.user.saturating_sub(self.user);
        let server_cpu = match (self.server_cpu, server.cpu()) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        Sample {
            scenario,
            phase,
            client,
            ops,
            bytes,
            elapsed,
            cpu,
            user,
            server_cpu,
            latency,
        }
    }
}

fn status(args: &Args, message: &str) {
    if !args.json {
        eprintln!("  {message}");
    } else {
        eprintln!("oss-bench: {message}");
    }
}

/// (a) `count` small objects PUT, then GET, `concurrency` in flight.
pub(crate) async fn small(
    args: &Args,
    ctx: &Arc<Ctx>,
    kinds: &[Kind],
    server: &Server,
    report: &mut Report,
) -> Result<(), BenchError> {
    let data = Bytes::from(oss_bench::payload(args.object_kib * 1024));
    let keys: Arc<Vec<String>> =
        Arc::new((0..args.count).map(|i| format!("small/{i:08}")).collect());
    let count = args.count;
    let conc = args.concurrency;
    // Warm every client's connection pool (and code paths) outside the measurement.
    for &kind in kinds {
        let warm: Arc<Vec<String>> =
            Arc::new((0..conc * 2).map(|i| format!("warm/{i:04}")).collect());
        run_small_phase(ctx, kind, Method::PUT, &warm, conc * 2, conc, &data).await?;
        run_small_phase(ctx, kind, Method::GET, &warm, conc * 2, conc, &data).await?;
    }
    for rep in 0..args.repeat {
        for &kind in kinds {
            for method in [Method::PUT, Method::GET] {
                status(
                    args,
                    &format!("small {} {} (run {})", method, kind.name(), rep + 1),
                );
                // Raw signatures are computed before the meter starts.
                let meter = Meter::start(server);
                let (bytes, hist) =
                    run_small_phase(ctx, kind, method.clone(), &keys, count, conc, &data).await?;
                let phase = if method == Method::PUT { "put" } else { "get" };
                report.push(meter.finish(
                    server,
                    "small",
                    phase,
                    kind,
                    count as u64,
                    bytes,
                    Some(hist),
                ));
            }
        }
    }
    Ok(())
}

async fn run_small_phase(
    ctx: &Arc<Ctx>,
    kind: Kind,
    method: Method,
    keys: &Arc<Vec<String>>,
    count: usize,
    conc: usize,
    data: &Bytes,
) -> Result<(u64, Histogram<u64>), BenchError> {
    let put = method == Method::PUT;
    match kind {
        Kind::Raw => {
            let signed: Arc<Vec<Option<clients::PreSigned>>> = Arc::new(
                keys.iter()
                    .take(count)
                    .map(|k| ctx.raw.presign(&method, &ctx.bucket, k))
                    .collect::<Result<_, _>>()?,
            );
            let (ctx, keys, data) = (Arc::clone(ctx), Arc::clone(keys), data.clone());
            let run = drive(count, conc, move |i| {
                let (ctx, keys, data, signed) = (
                    Arc::clone(&ctx),
                    Arc::clone(&keys),
                    data.clone(),
                    Arc::clone(&signed),
                );
                async move {
                    if put {
                        let len = data.len() as u64;
                        ctx.raw
                            .put_presigned(&ctx.bucket, &keys[i], signed[i].as_ref(), data)
                            .await?;
                        Ok(len)
                    } else {
                        ctx.raw
                            .get_presigned(&ctx.bucket, &keys[i], signed[i].as_ref())
                            .await
                    }
                }
            });
            run.await
        }
        Kind::Ours => {
            let (ctx, keys, data) = (Arc::clone(ctx), Arc::clone(keys), data.clone());
            drive(count, conc, move |i| {
                let (ctx, keys, data) = (Arc::clone(&ctx), Arc::clone(&keys), data.clone());
                async move {
                    if put {
                        let len = data.len() as u64;
                        clients::ours_put(&ctx, &keys[i], data).await?;
                        Ok(len)
                    } else {
                        clients::ours_get(&ctx, &keys[i]).await
                    }
                }
            })
            .await
        }
        Kind::Opendal => {
            let (ctx, keys, data) = (Arc::clone(ctx), Arc::clone(keys), data.clone());
            drive(count, conc, move |i| {
                let (ctx, keys, data) = (Arc::clone(&ctx), Arc::clone(&keys), data.clone());
                async move {
                    if put {
                        let len = data.len() as u64;
                        clients::opendal_put(&ctx, &keys[i], data).await?;
                        Ok(len)
                    } else {
                        clients::opendal_get(&ctx, &keys[i]).await
                    }
                }
            })
            .await
        }
    }
}

fn work_dir(args: &Args) -> PathBuf {
    args.work_dir
        .clone()
        .unwrap_or_else(std::env::temp_dir)
        .join("oss-bench")
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

/// (b) One large object: upload (single stream and in parts), download (single stream, in
/// parallel ranges, and ours through the Downloader into a file).
pub(crate) async fn large(
    args: &Args,
    ctx: &Arc<Ctx>,
    kinds: &[Kind],
    server: &Server,
    report: &mut Report,
) -> Result<(), BenchError> {
    let size = args.large_mib * MIB;
    let part = args.part_mib * MIB;
    let pc = args.part_concurrency;
    let dir = work_dir(args);
    status(
        args,
        &format!(
            "large: preparing a {} MiB source file in {}",
            args.large_mib,
            dir.display()
        ),
    );
    let source = source_file(&dir, size)?;
    let key = "large/object";
    let bucket = ctx.bucket.as_str();
    for rep in 0..args.repeat {
        for &kind in kinds {
            status(args, &format!("large {} (run {})", kind.name(), rep + 1));
            // Upload, single stream.
            if kind != Kind::Opendal && !args.large_upload_only {
                let meter = Meter::start(server);
                match kind {
                    Kind::Raw => ctx.raw.put_file(bucket, key, &source).await?,
                    _ => {
                        ctx.ours
                            .put_object()
                            .bucket(bucket)
                            .key(key)
                            .body_from_path(&source)
                            .send()
                            .await
                            .map_err(|e| format!("oss-client put_object from file: {e}"))?;
                    }
                }
                report.push(meter.finish(server, "large", "upload-single", kind, 1, size, None));
            }
            // Upload in parts, `pc` in flight.
            let meter = Meter::start(server);
            match kind {
                Kind::Raw => {
                    let src = source.clone();
                    ctx.raw
                        .multipart(bucket, key, size, part, pc, |offset, len| {
                            let src = src.clone();
                            async move { clients::read_range(&src, offset, len).await }
                        })
                        .await?
                }
                Kind::Ours => {
                    Uploader::new(&ctx.ours)
                        .part_size(part)
                        .concurrency(pc)
                        .upload_file(bucket, key, &source)
                        .await
                        .map_err(|e| format!("Uploader: {e}"))?;
                }
                Kind::Opendal => {
                    let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                    clients::opendal_write_parts(
                        ctx,
                        key,
                        chunk,
                        pc,
                        clients::file_chunks(&source, chunk),
                    )
                    .await?
                }
            }
            report.push(meter.finish(server, "large", "upload-parts", kind, 1, size, None));
            if args.large_upload_only {
                continue;
            }
            // Download, single stream, discarded.
            let meter = Meter::start(server);
            let got = match kind {
                Kind::Raw => ctx.raw.get_discard(bucket, key, None).await?,
                Kind::Ours => clients::ours_get(ctx, key).await?,
                Kind::Opendal => clients::opendal_get_discard(ctx, key, None).await?,
            };
            check_size(got, size)?;
            report.push(meter.finish(server, "large", "download-single", kind, 1, size, None));
            // Download in parallel ranges, discarded.
            let meter = Meter::start(server);
            let got = match kind {
                Kind::Raw | Kind::Ours => {
                    let ranges = clients::inclusive_ranges(size, part);
                    let results: Vec<Result<u64, BenchError>> = futures_util::stream::iter(ranges)
                        .map(|(start, end)| async move {
                            if kind == Kind::Raw {
                                ctx.raw.get_discard(bucket, key, Some((start, end))).await
                            } else {
                                ours_range_discard(ctx, key, start, end).await
                            }
                        })
                        .buffer_unordered(pc)
                        .collect()
                        .await;
                    results.into_iter().sum::<Result<u64, _>>()?
                }
                Kind::Opendal => {
                    let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                    clients::opendal_get_discard(ctx, key, Some((pc, chunk))).await?
                }
            };
            check_size(got, size)?;
            report.push(meter.finish(server, "large", "download-ranges", kind, 1, size, None));
            // Download into a file: ours through the Downloader (ranges, whole-object CRC-64,
            // rename), raw with the same ranges written at their offsets, opendal through its
            // concurrent reader written in order.
            let dest = dir.join("download.bin");
            let meter = Meter::start(server);
            let got = match kind {
                Kind::Raw => {
                    ctx.raw
                        .download_to_file(bucket, key, size, part, pc, &dest)
                        .await?
                }
                Kind::Ours => {
                    Downloader::new(&ctx.ours)
                        .part_size(part)
                        .concurrency(pc)
                        .resumable(false)
                        .download_to_file(bucket, key, &dest)
                        .await
                        .map_err(|e| format!("Downloader: {e}"))?
                        .size
                }
                Kind::Opendal => {
                    let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                    clients::opendal_download_to_file(ctx, key, pc, chunk, &dest).await?
                }
            };
            check_size(got, size)?;
            report.push(meter.finish(server, "large", "download-to-file", kind, 1, size, None));
            let _ = std::fs::remove_file(&dest);
        }
    }
    let _ = std::fs::remove_file(&source);
    Ok(())
}

fn check_size(got: u64, size: u64) -> Result<(), BenchError> {
    if got == size {
        Ok(())
    } else {
        Err(format!("downloaded {got} bytes of {size}"))
    }
}

async fn ours_range_discard(ctx: &Ctx, key: &str, start: u64, end: u64) -> Result<u64, BenchError> {
    let out = ctx
        .ours
        .get_object()
        .bucket(&ctx.bucket)
        .key(key)
        .range(oss_client::types::ByteRange::Inclusive {
            first: start,
            last: end,
        })
        .send()
        .await
        .map_err(|e| format!("oss-client ranged GET: {e}"))?;
    let mut body = out.body;
    let mut total = 0u64;
    while let Some(chunk) = body.next().await {
        total += chunk
            .map_err(|e| format!("oss-client ranged GET body: {e}"))?
            .len() as u64;
    }
    Ok(total)
}

/// (c) `batch_objects` objects of `batch_object_mib` uploaded in parts, `objects_in_flight`
/// objects at a time (ours: the Uploader; raw: the same multipart requests; opendal: its
/// multipart writer).
pub(crate) async fn batch(
    args: &Args,
    ctx: &Arc<Ctx>,
    kinds: &[Kind],
    server: &Server,
    report: &mut Report,
) -> Result<(), BenchError> {
    let size = args.batch_object_mib * MIB;
    let data = Bytes::from(oss_bench::payload(
        usize::try_from(size).map_err(|e| e.to_string())?,
    ));
    let part = args.part_mib * MIB;
    let pc = args.part_concurrency;
    let n = args.batch_objects;
    for rep in 0..args.repeat {
        for &kind in kinds {
            status(args, &format!("batch {} (run {})", kind.name(), rep + 1));
            let (ctx2, data2) = (Arc::clone(ctx), data.clone());
            let uploader = Uploader::new(&ctx.ours).part_size(part).concurrency(pc);
            let meter = Meter::start(server);
            let (bytes, hist) = drive(n, args.objects_in_flight, move |i| {
                let (ctx, data, uploader) = (Arc::clone(&ctx2), data2.clone(), uploader.clone());
                async move {
                    let key = format!("batch/{i:05}");
                    let len = data.len() as u64;
                    match kind {
                        Kind::Ours => {
                            uploader
                                .upload_bytes(&ctx.bucket, &key, data)
                                .await
                                .map_err(|e| format!("Uploader {key}: {e}"))?;
                        }
                        Kind::Raw => {
                            ctx.raw
                                .multipart(&ctx.bucket, &key, len, part, pc, |offset, l| {
                                    let piece = data.slice(offset as usize..(offset + l) as usize);
                                    async move { Ok(piece) }
                                })
                                .await?
                        }
                        Kind::Opendal => {
                            let chunk = usize::try_from(part).map_err(|e| e.to_string())?;
                            clients::opendal_write_parts(
                                &ctx,
                                &key,
                                chunk,
                                pc,
                                futures_util::stream::iter([Ok(data)]),
                            )
                            .await?
                        }
                    }
                    Ok(len)
                }
            })
            .await?;
            report.push(meter.finish(server, "batch", "upload", kind, n as u64, bytes, Some(hist)));
        }
    }
    Ok(())
}
