//! The scenarios: what each client does, timed the same way.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http::Method;
use oss_client::transfer::Uploader;

use crate::Args;
use crate::clients::{self, BenchError, Ctx, Kind};
use crate::report::{Report, Sample};
use crate::server::Server;

pub(crate) const MIB: u64 = 1024 * 1024;

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

pub(crate) struct Meter {
    started: Instant,
    cpu: Duration,
    user: Duration,
    server_cpu: Option<Duration>,
}

impl Meter {
    pub(crate) fn start(server: &Server) -> Meter {
        let usage = oss_bench::usage::self_usage();
        Meter {
            server_cpu: server.cpu(),
            cpu: usage.cpu,
            user: usage.user,
            started: Instant::now(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish(
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

pub(crate) fn status(args: &Args, message: &str) {
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
                        clients::ours_get(&ctx, &keys[i], None).await
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
        Kind::ObjectStore => {
            let (ctx, keys, data) = (Arc::clone(ctx), Arc::clone(keys), data.clone());
            drive(count, conc, move |i| {
                let (ctx, keys, data) = (Arc::clone(&ctx), Arc::clone(&keys), data.clone());
                async move {
                    if put {
                        let len = data.len() as u64;
                        clients::object_store_put(&ctx, &keys[i], data).await?;
                        Ok(len)
                    } else {
                        clients::object_store_get(&ctx, &keys[i], None).await
                    }
                }
            })
            .await
        }
    }
}

pub(crate) fn work_dir(args: &Args) -> PathBuf {
    args.work_dir
        .clone()
        .unwrap_or_else(std::env::temp_dir)
        .join("oss-bench")
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
                        Kind::ObjectStore => {
                            return Err("the batch scenario does not run object_store".into());
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
