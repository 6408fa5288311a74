//! CRC-64/XZ throughput with the crate and algorithm the client uses
//! (`crc_fast::Digest::new(CrcAlgorithm::Crc64Xz)`), whole buffers and 64 KiB streaming updates,
//! and `crc64fast` (the emulator's) on the same whole buffers for comparison.

#![allow(missing_docs)] // criterion_group! generates undocumented public functions

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("crc64");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (name, size) in [("4KiB", 4usize << 10), ("1MiB", 1 << 20), ("8MiB", 8 << 20)] {
        let data = oss_bench::payload(size);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(format!("crc_fast_{name}"), |b| {
            b.iter(|| {
                let mut d = crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc64Xz);
                d.update(black_box(&data));
                black_box(d.finalize())
            });
        });
        group.bench_function(format!("crc64fast_{name}"), |b| {
            b.iter(|| {
                let mut d = crc64fast::Digest::new();
                d.write(black_box(&data));
                black_box(d.sum64())
            });
        });
    }
    let data = oss_bench::payload(8 << 20);
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("crc_fast_8MiB_in_64KiB_chunks", |b| {
        b.iter(|| {
            let mut d = crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc64Xz);
            for chunk in black_box(&data).chunks(64 << 10) {
                d.update(chunk);
            }
            black_box(d.finalize())
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
