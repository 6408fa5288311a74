//! ListObjectsV2 with 1000 entries through the public path: a canned-response server on
//! loopback answers every request with the same XML, and `client.list_objects_v2().send()`
//! signs, sends, receives and parses it. The parse share is estimated from three more
//! measurements in the same run:
//!
//! * `oss_client_0_entries`: the same call answered by a 0-entry result (request cost);
//! * `raw_hyper_1000_entries` / `raw_hyper_0_entries`: a bare hyper GET of the same bytes
//!   (transport cost of the larger body).
//!
//! parse ≈ (oss_client_1000 − oss_client_0) − (raw_1000 − raw_0).

#![allow(missing_docs)] // criterion_group! generates undocumented public functions

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oss_bench::canned::{self, Canned};

fn canned_list(entries: usize) -> Canned {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/xml"));
    headers.insert(
        "x-oss-request-id",
        HeaderValue::from_static("0123456789ABCDEF01234567"),
    );
    Canned {
        status: StatusCode::OK,
        headers,
        body: Bytes::from(oss_bench::list_objects_v2_xml("bench", entries)),
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (full, empty) = rt.block_on(async {
        let full = canned::serve(canned_list(1000)).await.expect("server");
        let empty = canned::serve(canned_list(0)).await.expect("server");
        (full, empty)
    });
    let client_for = |addr: std::net::SocketAddr| {
        oss_client::Client::builder()
            .endpoint(format!("http://{addr}"))
            .region("cn-hangzhou")
            .credentials_provider(
                oss_client::auth::StaticCredentialsProvider::new("id", "secret").expect("keys"),
            )
            .build()
            .expect("client")
    };
    let ours_full = client_for(full.0);
    let ours_empty = client_for(empty.0);
    let raw: HyperClient<HttpConnector, Full<Bytes>> =
        HyperClient::builder(TokioExecutor::new()).build(HttpConnector::new());

    // Sanity: the client parses all 1000 entries.
    let listed = rt
        .block_on(
            ours_full
                .list_objects_v2()
                .bucket("bench")
                .max_keys(1000)
                .send(),
        )
        .expect("list");
    assert_eq!(listed.contents.len(), 1000);

    let mut group = c.benchmark_group("list_objects_v2");
    group
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    for (name, client) in [
        ("oss_client_1000_entries", &ours_full),
        ("oss_client_0_entries", &ours_empty),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let out = rt
                    .block_on(
                        client
                            .list_objects_v2()
                            .bucket("bench")
                            .max_keys(1000)
                            .send(),
                    )
                    .expect("list");
                black_box(out.contents.len())
            });
        });
    }
    for (name, addr) in [
        ("raw_hyper_1000_entries", full.0),
        ("raw_hyper_0_entries", empty.0),
    ] {
        let uri: http::Uri = format!("http://{addr}/bench?list-type=2&max-keys=1000")
            .parse()
            .expect("uri");
        group.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let response = raw.get(uri.clone()).await.expect("GET");
                    let body = response.into_body().collect().await.expect("body");
                    black_box(body.to_bytes().len())
                })
            });
        });
    }
    group.finish();
    full.1.abort();
    empty.1.abort();
}

criterion_group!(benches, bench);
criterion_main!(benches);
