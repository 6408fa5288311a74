//! SelectObject (`POST /key?x-oss-process=csv/select|json/select`) and
//! CreateSelectObjectMeta (`POST /key?x-oss-process=csv/meta|json/meta`) over the whole
//! object, with the SQL subset of [`crate::select::sql`] (crate README, "SelectObject").

use std::cell::RefCell;
use std::sync::Arc;

use bytes::Bytes;
use http::StatusCode;

use super::lookup::resolve;
use super::process::object_bytes;
use super::select_request::{SelectRequest, parse_meta, parse_select};
use super::{Ctx, MAX_XML_BODY, Resp, hv, read_body};
use crate::error::{ErrorCode, OssError};
use crate::http_util::Body;
use crate::pace::ReqBody;
use crate::select::eval::{self, Output, Record};
use crate::select::framed_output::FramedOutput;
use crate::select::frames::FrameWriter;
use crate::select::input::{csv_rows, json_records};
use crate::select::options::{HeaderInfo, Input};
use crate::select::output::RecordWriter;
use crate::select::sql::{self, Projection};

/// Rows per split in CreateSelectObjectMeta's answer (OSS splits by its own measure; the
/// emulator counts one split per started 1000 rows).
const SPLIT_ROWS: u64 = 1000;

fn bad_data(reason: String) -> OssError {
    OssError::invalid_argument(
        format!("The object does not match the input serialization: {reason}."),
        "InputSerialization",
        "",
    )
}

/// The object's bytes (`x-oss-process` requests read the whole object; a `Range` header is
/// refused with 501).
fn whole_object(ctx: &Ctx<'_>, bucket: &str, key: &str) -> Result<Bytes, OssError> {
    if ctx.header("range").is_some() {
        return Err(OssError::new(
            ErrorCode::NotImplemented,
            "The emulator does not implement a Range header on SelectObject.",
        ));
    }
    let bucket = ctx.state.store.bucket(bucket)?;
    let object = resolve(ctx, &bucket, key)?;
    object_bytes(&object).map(Bytes::from)
}

/// SelectObject: `process` is `csv/select` or `json/select`. Framed output answers 206 with
/// data frames, continuous frames while a long scan produces no output
/// ([`FramedOutput`]) and an end frame (status 200);
/// `OutputRawData` answers 200 with the records alone. An expression outside the subset, or
/// an object that does not parse as the input serialization, answers 400 `InvalidArgument`
/// before any record.
pub(crate) async fn select_object(
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
    body: ReqBody,
    csv: bool,
) -> Result<Resp, OssError> {
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let request = parse_select(&body, csv)?;
    let query = sql::parse(&request.sql).map_err(|reason| {
        OssError::invalid_argument(
            format!("The SQL expression is outside the supported subset: {reason}."),
            "Expression",
            &request.sql,
        )
    })?;
    let data = whole_object(ctx, bucket, key)?;
    let (records, header) = read_records(&data, &request, &query)?;
    let writer = RecordWriter::new(request.output.clone(), csv);
    let raw = request.output.raw;
    // Shared by the scan (which reports each record's end) and the output callback.
    let output = RefCell::new(FramedOutput::new(request.output.crc, raw));
    if let Some(names) = output_header(&request, &query, &header) {
        writer.csv_line(
            output.borrow_mut().records(),
            names.iter().map(String::as_str),
        );
    }
    let scan = records.into_iter().map(|(record, end)| {
        output.borrow_mut().scanned(end);
        record
    });
    eval::run(&query, scan, |record: Output<'_>| {
        let mut output = output.borrow_mut();
        writer.write(output.records(), record, &header);
        output.written();
    });
    let body = output.into_inner().finish(data.len() as u64);
    let mut resp = Resp::new(Body::Full(Bytes::from(body)));
    *resp.status_mut() = if raw {
        StatusCode::OK
    } else {
        StatusCode::PARTIAL_CONTENT
    };
    resp.headers_mut().insert(
        "x-oss-select-output-raw",
        hv(if raw { "true" } else { "false" }),
    );
    Ok(resp)
}

/// A record and its end offset in the object.
type Scanned = (Record, u64);

/// The records of the object with their end offsets, and the CSV header's names.
fn read_records(
    data: &[u8],
    request: &SelectRequest,
    query: &sql::Query,
) -> Result<(Vec<Scanned>, Vec<String>), OssError> {
    match &request.input {
        Input::Csv(options) => {
            if !query.path.is_empty() {
                return Err(OssError::invalid_argument(
                    "A path after ossobject needs JSON input.",
                    "Expression",
                    &request.sql,
                ));
            }
            let rows = csv_rows(data, options).map_err(bad_data)?;
            let header: Arc<[String]> = rows.header.into();
            let records = rows
                .rows
                .into_iter()
                .map(|(fields, end)| {
                    let header = Arc::clone(&header);
                    (Record::Csv { fields, header }, end)
                })
                .collect();
            Ok((records, header.to_vec()))
        }
        Input::Json(kind, range) => {
            let values = json_records(data, *kind, &query.path, *range).map_err(bad_data)?;
            let records = values
                .into_iter()
                .map(|(v, end)| (Record::Json(v), end))
                .collect();
            Ok((records, Vec::new()))
        }
    }
}

/// The `OutputHeader` line: for CSV input with `FileHeaderInfo` `Use`, the header (for `*`
/// or `KeepAllColumns`) or the selected columns' names.
fn output_header(
    request: &SelectRequest,
    query: &sql::Query,
    header: &[String],
) -> Option<Vec<String>> {
    let Input::Csv(options) = &request.input else {
        return None;
    };
    if !request.output.output_header || options.header != HeaderInfo::Use {
        return None;
    }
    match &query.projection {
        Projection::Columns(columns) if !request.output.keep_all_columns => Some(
            columns
                .iter()
                .map(|c| match c {
                    sql::Column::Index(n) => header
                        .get(n - 1)
                        .cloned()
                        .unwrap_or_else(|| format!("_{n}")),
                    sql::Column::Name(name) => name.clone(),
                })
                .collect(),
        ),
        Projection::Aggregates(a) => Some((1..=a.len()).map(|i| format!("_{i}")).collect()),
        _ => Some(header.to_vec()),
    }
}

/// CreateSelectObjectMeta: `process` is `csv/meta` or `json/meta` (JSON LINES only). Answers
/// 200 with one meta end frame: rows (CSV records, header line included, or JSON lines),
/// splits (one per started [`SPLIT_ROWS`] rows) and, for CSV, the most fields of a row.
pub(crate) async fn create_select_object_meta(
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
    body: ReqBody,
    csv: bool,
) -> Result<Resp, OssError> {
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let input = parse_meta(&body, csv)?;
    let data = whole_object(ctx, bucket, key)?;
    let (rows, columns) = match &input {
        Input::Csv(options) => {
            let mut options = options.clone();
            options.header = HeaderInfo::None;
            let rows = csv_rows(&data, &options).map_err(bad_data)?.rows;
            let columns = rows.iter().map(|(f, _)| f.len()).max().unwrap_or(0);
            (
                rows.len() as u64,
                Some(u32::try_from(columns).unwrap_or(u32::MAX)),
            )
        }
        Input::Json(kind, _) => {
            let records = json_records(&data, *kind, &[], None).map_err(bad_data)?;
            (records.len() as u64, None)
        }
    };
    let splits = u32::try_from(rows.div_ceil(SPLIT_ROWS)).unwrap_or(u32::MAX);
    let mut frames = FrameWriter::new(false);
    frames.meta_end(data.len() as u64, splits, rows, columns);
    let mut resp = Resp::new(Body::Full(Bytes::from(frames.finish())));
    *resp.status_mut() = StatusCode::OK;
    Ok(resp)
}
