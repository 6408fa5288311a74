//! Reading an object's bytes into records: CSV with the `csv` crate, JSON with serde_json.

use serde_json::Value;

use super::options::{CsvInput, HeaderInfo, JsonType};

/// A CSV object's header (names when `FileHeaderInfo` is `Use`, else empty) and rows.
#[derive(Debug, Default)]
pub(crate) struct CsvRows {
    /// The header's names.
    pub(crate) header: Vec<String>,
    /// Each row's fields, with each row's end offset in the object.
    pub(crate) rows: Vec<(Vec<String>, u64)>,
}

/// Reads `data` as CSV; the error says why it is not.
pub(crate) fn csv_rows(data: &[u8], options: &CsvInput) -> Result<CsvRows, String> {
    let terminator = match options.record_delimiter.as_slice() {
        b"\n" | b"\r\n" => csv::Terminator::CRLF,
        [one] => csv::Terminator::Any(*one),
        other => return Err(format!("the record delimiter {other:?}")),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(options.field_delimiter)
        .quote(options.quote)
        .comment(options.comment)
        .terminator(terminator)
        .from_reader(data);
    let mut out = CsvRows::default();
    let mut first = options.header != HeaderInfo::None;
    let mut record = csv::StringRecord::new();
    for index in 0.. {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| format!("record {index}: {e}"))?;
        if !more {
            break;
        }
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        let end = reader.position().byte();
        if std::mem::take(&mut first) {
            if options.header == HeaderInfo::Use {
                out.header = fields;
            }
            continue;
        }
        out.rows.push((fields, end));
    }
    if let Some((from, to)) = options.line_range {
        out.rows = in_range(out.rows, from, to);
    }
    Ok(out)
}

fn in_range<T>(rows: Vec<T>, from: u64, to: u64) -> Vec<T> {
    rows.into_iter()
        .enumerate()
        .filter(|(i, _)| (from..=to).contains(&(*i as u64)))
        .map(|(_, r)| r)
        .collect()
}

/// Reads `data` as JSON records: every line of LINES (blank lines skipped), or the
/// DOCUMENT's value at `path` (an array gives one record per element). Each comes with its
/// end offset in the object (the object's size for a DOCUMENT).
pub(crate) fn json_records(
    data: &[u8],
    kind: JsonType,
    path: &[String],
    line_range: Option<(u64, u64)>,
) -> Result<Vec<(Value, u64)>, String> {
    match kind {
        JsonType::Lines => {
            if !path.is_empty() {
                return Err("a path after ossobject for JSON LINES".to_owned());
            }
            let mut records = Vec::new();
            let mut end = 0u64;
            for (i, line) in data.split(|b| *b == b'\n').enumerate() {
                end += line.len() as u64 + 1;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let value: Value =
                    serde_json::from_slice(line).map_err(|e| format!("line {}: {e}", i + 1))?;
                records.push((value, end.min(data.len() as u64)));
            }
            Ok(match line_range {
                Some((from, to)) => in_range(records, from, to),
                None => records,
            })
        }
        JsonType::Document => {
            let mut value: Value =
                serde_json::from_slice(data).map_err(|e| format!("the document: {e}"))?;
            for name in path {
                value = value.get(name).cloned().unwrap_or(Value::Null);
            }
            let size = data.len() as u64;
            Ok(match value {
                Value::Array(items) => items.into_iter().map(|v| (v, size)).collect(),
                Value::Null => Vec::new(),
                other => vec![(other, size)],
            })
        }
    }
}
