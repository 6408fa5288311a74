//! MetaQuery against the emulator: the open/close state machine with OSS's codes, the
//! status document, DoMetaQuery's documented subset (comparisons on Filename, Size and
//! FileModifiedTime, and/or/not, sort, pages), and the precise 501s (aggregations,
//! DoMetaQueryAction, DoDataPipeLineAction).

use bytes::Bytes;
use futures_util::TryStreamExt as _;
use oss_client::operation::data_process::{DoDataPipeLineAction, DoMetaQueryAction};
use oss_client::operation::meta_query::{CloseMetaQuery, GetMetaQueryStatus, OpenMetaQuery};
use oss_client::operation::meta_query_search::{DoMetaQuery, MetaQueryAggregation};
use oss_client::{Client, SignatureVersion};

use crate::support::{bucket, client, emulator, emulator_in, put};

fn service_code(error: &oss_client::Error) -> &str {
    error
        .code()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"))
}

async fn setup(name: &str) -> (oss_emulator::EmulatorHandle, Client, String) {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, name).await;
    (emu, client, b)
}

fn query(bucket: &str, condition: &str) -> DoMetaQuery {
    DoMetaQuery::default().bucket(bucket).query(condition)
}

/// The file names of one DoMetaQuery page.
async fn names(client: &Client, input: DoMetaQuery) -> Vec<String> {
    let out = client.do_meta_query(input).await.unwrap();
    out.files.into_iter().map(|f| f.filename).collect()
}

#[tokio::test]
async fn open_status_close_follow_the_state_machine() {
    let (_emu, client, b) = setup("mq-states").await;
    let status = || GetMetaQueryStatus::default().bucket(&b);
    let closed = client.get_meta_query_status(status()).await.unwrap_err();
    assert_eq!(service_code(&closed), "MetaQueryNotExist");
    assert_eq!(closed.as_service_error().unwrap().status(), 404);

    client
        .open_meta_query(OpenMetaQuery::default().bucket(&b))
        .await
        .unwrap();
    let open = client.get_meta_query_status(status()).await.unwrap().status;
    assert_eq!(open.state, "Running");
    assert_eq!(open.phase, "IncrementalScanning");
    assert_eq!(open.meta_query_mode.as_deref(), Some("basic"));
    assert!(open.create_time.ends_with('Z'), "{}", open.create_time);
    let again = client
        .open_meta_query(OpenMetaQuery::default().bucket(&b))
        .await
        .unwrap_err();
    assert_eq!(service_code(&again), "MetaQueryAlreadyExist");

    client
        .close_meta_query(CloseMetaQuery::default().bucket(&b))
        .await
        .unwrap();
    let gone = client.get_meta_query_status(status()).await.unwrap_err();
    assert_eq!(service_code(&gone), "MetaQueryNotExist");
    let search = client.do_meta_query(query(&b, "{}")).await.unwrap_err();
    assert_eq!(service_code(&search), "MetaQueryNotExist");
    let close = client
        .close_meta_query(CloseMetaQuery::default().bucket(&b))
        .await
        .unwrap_err();
    assert_eq!(service_code(&close), "MetaQueryNotExist");
}

#[tokio::test]
async fn do_meta_query_finds_sorts_and_pages() {
    let (emu, client, b) = setup("mq-search").await;
    for (key, size) in [("logs/a.log", 10), ("logs/b.log", 300), ("img/c.png", 2000)] {
        put(&client, &b, key, vec![b'x'; size]).await;
    }
    client
        .open_meta_query(OpenMetaQuery::default().bucket(&b))
        .await
        .unwrap();

    let big = query(&b, r#"{"Field":"Size","Value":"100","Operation":"gt"}"#)
        .sort("Size")
        .order("asc");
    assert_eq!(names(&client, big).await, ["logs/b.log", "img/c.png"]);

    let logs_or_big = query(
        &b,
        r#"{"Operation":"or","SubQueries":[
            {"Field":"Filename","Value":"logs/","Operation":"prefix"},
            {"Field":"Size","Value":"2000","Operation":"gte"}]}"#,
    )
    .sort("Filename")
    .order("desc");
    assert_eq!(
        names(&client, logs_or_big).await,
        ["logs/b.log", "logs/a.log", "img/c.png"]
    );

    let not_logs = query(
        &b,
        r#"{"Operation":"not","SubQueries":[{"Field":"Filename","Value":"logs/","Operation":"prefix"}]}"#,
    );
    let out = client.do_meta_query(not_logs).await.unwrap();
    let file = &out.files[0];
    assert_eq!(file.filename, "img/c.png");
    assert_eq!(file.size, 2000);
    assert_eq!(file.oss_object_type.as_deref(), Some("Normal"));
    assert_eq!(file.oss_storage_class.as_deref(), Some("Standard"));

    // The same search signed with V1 (`metaQuery` and `comp` are sub-resources there).
    let v1 = crate::support::client(&emu, SignatureVersion::V1);
    let small = query(&b, r#"{"Field":"Size","Value":"10","Operation":"eq"}"#);
    assert_eq!(names(&v1, small).await, ["logs/a.log"]);

    let future = query(
        &b,
        r#"{"Field":"FileModifiedTime","Value":"2100-01-01T00:00:00Z","Operation":"gt"}"#,
    );
    assert!(names(&client, future).await.is_empty());

    let every = query(&b, r#"{"Field":"Size","Value":"0","Operation":"gte"}"#)
        .sort("Size")
        .max_results(2u32);
    let pages: Vec<_> = client
        .do_meta_query_paginator(every)
        .try_collect()
        .await
        .unwrap();
    let per_page: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.files.iter().map(|f| f.filename.as_str()).collect())
        .collect();
    assert_eq!(
        per_page,
        [vec!["img/c.png", "logs/b.log"], vec!["logs/a.log"]]
    );
}

#[tokio::test]
async fn do_meta_query_refuses_what_the_emulator_cannot_answer() {
    let (_emu, client, b) = setup("mq-refusals").await;
    client
        .open_meta_query(OpenMetaQuery::default().bucket(&b))
        .await
        .unwrap();
    let bad_value = client
        .do_meta_query(query(
            &b,
            r#"{"Field":"Size","Value":"big","Operation":"gt"}"#,
        ))
        .await
        .unwrap_err();
    assert_eq!(service_code(&bad_value), "InvalidArgument");
    let aggregation = client
        .do_meta_query(
            query(&b, r#"{"Field":"Size","Value":"0","Operation":"gt"}"#)
                .aggregation(MetaQueryAggregation::new("Size", "sum")),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(&aggregation), "NotImplemented");
    let action = client
        .do_meta_query_action(
            DoMetaQueryAction::default()
                .bucket(&b)
                .action("UpdateMetaQuery")
                .body(Bytes::from_static(b"<MetaQuery/>")),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(&action), "NotImplemented");
    let pipeline = client
        .do_data_pipe_line_action(DoDataPipeLineAction::default().action("ListDataPipelines"))
        .await
        .unwrap_err();
    assert_eq!(service_code(&pipeline), "NotImplemented");
}

#[tokio::test]
async fn an_open_index_survives_a_restart_with_a_data_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let emu = emulator_in(tmp.path()).await;
    let c = client(&emu, SignatureVersion::V4);
    let b = bucket(&c, "mq-durable").await;
    c.open_meta_query(OpenMetaQuery::default().bucket(&b))
        .await
        .unwrap();
    let before = c
        .get_meta_query_status(GetMetaQueryStatus::default().bucket(&b))
        .await
        .unwrap()
        .status;
    emu.shutdown().await;

    let emu = emulator_in(tmp.path()).await;
    let c = client(&emu, SignatureVersion::V4);
    let after = c
        .get_meta_query_status(GetMetaQueryStatus::default().bucket(&b))
        .await
        .unwrap()
        .status;
    assert_eq!(after, before);
    emu.shutdown().await;
}
