//! SelectObject and CreateSelectObjectMeta against the emulator: CSV and JSON, the SQL
//! subset, framed (with CRC-32) and raw answers, and refusals.

use oss_client::operation::select_object::{
    CsvInput, FileHeaderInfo, JsonInput, JsonType, SelectObjectInput, SelectRange,
};
use oss_client::{Client, ErrorKind, SelectProgress, SignatureVersion};

use crate::support::{bucket, client, emulator, put};

const PEOPLE: &str = "name,age,city\nalice,30,Hangzhou\nbob,25,Beijing\ncarol,41,Hangzhou\n";

async fn select(client: &Client, key: &str, input: &SelectObjectInput) -> String {
    let mut out = client
        .select_object("select-bkt", key, input)
        .await
        .unwrap();
    assert!(!out.request_id.is_empty());
    let bytes = out.stream.collect().await.unwrap();
    String::from_utf8(bytes).unwrap()
}

fn with_header(sql: &str) -> SelectObjectInput {
    let mut csv = CsvInput::default();
    csv.file_header_info = Some(FileHeaderInfo::Use);
    SelectObjectInput::csv(sql, csv)
}

#[tokio::test]
async fn select_object_runs_the_sql_subset_on_csv() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    bucket(&client, "select-bkt").await;
    put(&client, "select-bkt", "people.csv", PEOPLE).await;

    let q = with_header("select name, age from ossobject where city = 'Hangzhou' and age > 31");
    assert_eq!(select(&client, "people.csv", &q).await, "carol,41\n");
    let q = with_header("select * from ossobject s where s.name like '%o%' or not age >= 26");
    assert_eq!(
        select(&client, "people.csv", &q).await,
        "bob,25,Beijing\ncarol,41,Hangzhou\n"
    );
    let q = with_header("select _1 from ossobject limit 2");
    assert_eq!(select(&client, "people.csv", &q).await, "alice\nbob\n");
    let q = with_header("select count(*), sum(age), max(_2) from ossobject where city is not null");
    assert_eq!(select(&client, "people.csv", &q).await, "3,96,41\n");

    let mut csv = CsvInput::default();
    csv.file_header_info = Some(FileHeaderInfo::Ignore);
    csv.range = Some(SelectRange::Lines { first: 1, last: 2 });
    let mut q = SelectObjectInput::csv("select _3, _1 from ossobject", csv);
    q.output.field_delimiter = Some('|');
    q.output.record_delimiter = Some("\r\n".into());
    assert_eq!(
        select(&client, "people.csv", &q).await,
        "Beijing|bob\r\nHangzhou|carol\r\n"
    );

    let mut q = with_header("select city from ossobject where age < 30");
    q.output.output_header = Some(true);
    q.output.output_raw_data = Some(true);
    let mut raw = client
        .select_object("select-bkt", "people.csv", &q)
        .await
        .unwrap();
    assert_eq!(raw.stream.collect().await.unwrap(), b"city\nBeijing\n");
    assert_eq!(raw.stream.end(), None, "a raw answer has no end frame");
}

#[tokio::test]
async fn select_object_streams_many_frames_with_checked_crcs() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    bucket(&client, "select-bkt").await;
    let rows: String = (0..5000).map(|i| format!("{i},row-{i}\n")).collect();
    put(&client, "select-bkt", "rows.csv", rows.clone()).await;

    let q = SelectObjectInput::csv("select * from ossobject", CsvInput::default());
    let mut out = client
        .select_object("select-bkt", "rows.csv", &q)
        .await
        .unwrap();
    let mut chunks = 0;
    let mut got = Vec::new();
    while let Some(chunk) = out.stream.next().await {
        got.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(String::from_utf8(got).unwrap(), rows);
    assert!(chunks > 1, "one data frame per 4 KiB of records: {chunks}");
    let end = out.stream.end().unwrap();
    assert_eq!((end.status, end.scanned_bytes), (200, rows.len() as u64));
}

#[tokio::test]
async fn select_object_reads_json_lines_and_documents() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    bucket(&client, "select-bkt").await;
    put(
        &client,
        "select-bkt",
        "people.jsonl",
        "{\"name\":\"alice\",\"age\":30}\n{\"name\":\"bob\",\"age\":25}\n{\"name\":\"eve\",\"age\":null}\n",
    )
    .await;
    put(
        &client,
        "select-bkt",
        "doc.json",
        r#"{"contacts":[{"name":"alice","age":30},{"name":"bob","age":25}]}"#,
    )
    .await;

    let mut lines = JsonInput::default();
    lines.json_type = JsonType::Lines;
    let q = SelectObjectInput::json(
        "select s.name from ossobject s where s.age < 28",
        lines.clone(),
    );
    assert_eq!(
        select(&client, "people.jsonl", &q).await,
        "{\"name\":\"bob\"}\n"
    );
    let q = SelectObjectInput::json(
        "select s.name from ossobject s where s.age is null",
        lines.clone(),
    );
    assert_eq!(
        select(&client, "people.jsonl", &q).await,
        "{\"name\":\"eve\"}\n"
    );
    let q = SelectObjectInput::json("select avg(s.age) from ossobject s", lines);
    assert_eq!(select(&client, "people.jsonl", &q).await, "{\"_1\":27.5}\n");

    let q = SelectObjectInput::json(
        "select * from ossobject.contacts[*] s where s.name = 'alice'",
        JsonInput::default(),
    );
    assert_eq!(
        select(&client, "doc.json", &q).await,
        "{\"age\":30,\"name\":\"alice\"}\n"
    );
}

#[tokio::test]
async fn create_select_object_meta_counts_rows_splits_and_columns() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V1);
    bucket(&client, "select-bkt").await;
    put(&client, "select-bkt", "people.csv", PEOPLE).await;
    put(
        &client,
        "select-bkt",
        "people.jsonl",
        "{\"a\":1}\n{\"a\":2}\n",
    )
    .await;

    let meta = client
        .create_select_object_meta("select-bkt", "people.csv", Some(&CsvInput::default()))
        .await
        .unwrap();
    assert_eq!((meta.rows, meta.splits, meta.columns), (4, 1, Some(3)));
    assert_eq!(meta.scanned_bytes, PEOPLE.len() as u64);
    let meta = client
        .create_select_object_meta("select-bkt", "people.jsonl", None)
        .await
        .unwrap();
    assert_eq!((meta.rows, meta.splits, meta.columns), (2, 1, None));
}

#[tokio::test]
async fn select_object_refusals() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    bucket(&client, "select-bkt").await;
    put(&client, "select-bkt", "people.csv", PEOPLE).await;

    for sql in [
        "select _1 from ossobject group by _1",
        "select upper(_1) from ossobject",
        "select * from ossobject where _1 in ('a')",
        "delete from ossobject",
    ] {
        let q = SelectObjectInput::csv(sql, CsvInput::default());
        let err = client
            .select_object("select-bkt", "people.csv", &q)
            .await
            .unwrap_err();
        let service = err
            .as_service_error()
            .unwrap_or_else(|| panic!("{sql}: {err}"));
        assert_eq!(
            (service.status().as_u16(), service.code()),
            (400, "InvalidArgument"),
            "{sql}"
        );
    }

    let q = SelectObjectInput::csv("select * from ossobject", CsvInput::default());
    let missing = client
        .select_object("select-bkt", "nope.csv", &q)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("NoSuchKey"));

    let before = emu.requests_received();
    let empty = SelectObjectInput::csv("  ", CsvInput::default());
    let err = client
        .select_object("select-bkt", "people.csv", &empty)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let mut bad_range = CsvInput::default();
    bad_range.range = Some(SelectRange::Lines { first: 3, last: 1 });
    let q = SelectObjectInput::csv("select * from ossobject", bad_range);
    let err = client
        .select_object("select-bkt", "people.csv", &q)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let mut header = CsvInput::default();
    header.file_header_info = Some(FileHeaderInfo::Use);
    let err = client
        .create_select_object_meta("select-bkt", "people.csv", Some(&header))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(emu.requests_received(), before, "refused before any I/O");
}

/// A 1 MiB scan with one match: the emulator sends a continuous frame every 64 KiB scanned
/// without output, and our decoder counts them as progress.
#[tokio::test]
async fn a_long_scan_with_few_matches_reports_progress_in_continuous_frames() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    bucket(&client, "select-bkt").await;
    // 16384 rows of exactly 64 bytes.
    let rows: String = (1..=16384)
        .map(|i| format!("{i:06},{}\n", "x".repeat(56)))
        .collect();
    assert_eq!(rows.len(), 1 << 20);
    put(&client, "select-bkt", "long.csv", rows).await;

    let q = SelectObjectInput::csv(
        "select _1 from ossobject where _1 = '001500'",
        CsvInput::default(),
    );
    let mut out = client
        .select_object("select-bkt", "long.csv", &q)
        .await
        .unwrap();
    assert_eq!(out.stream.collect().await.unwrap(), b"001500\n");
    // One continuous frame at 64 KiB; the match (row 1500) goes out as a data frame at
    // 128 KiB; then one continuous frame per 64 KiB up to 1 MiB (14).
    let progress: SelectProgress = out.stream.progress();
    assert_eq!(progress.scanned_bytes, 1 << 20);
    assert_eq!(progress.continuous_frames, 15);
    assert_eq!(out.stream.end().unwrap().scanned_bytes, 1 << 20);
}
