//! Writing output records: CSV (with the `csv` crate, quoting as needed) or JSON objects,
//! each followed by the output record delimiter.

use serde_json::Value;

use super::eval::{Output, Record};
use super::options::OutputOptions;

/// The output form: CSV for CSV input, JSON for JSON input (as OSS pairs them).
#[derive(Debug)]
pub(crate) struct RecordWriter {
    options: OutputOptions,
    /// CSV output, else JSON.
    csv: bool,
}

impl RecordWriter {
    /// A writer of CSV (`csv`) or JSON records.
    pub(crate) fn new(options: OutputOptions, csv: bool) -> Self {
        Self { options, csv }
    }

    /// One CSV line of `fields`.
    pub(crate) fn csv_line<'f>(
        &self,
        out: &mut Vec<u8>,
        fields: impl IntoIterator<Item = &'f str>,
    ) {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.options.field_delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(fields);
        let mut line = writer.into_inner().unwrap_or_default();
        line.pop();
        out.extend_from_slice(&line);
        out.extend_from_slice(&self.options.record_delimiter);
    }

    /// Appends one output record to `out`; `header` is the CSV header's names (for
    /// `KeepAllColumns` by name).
    pub(crate) fn write(&self, out: &mut Vec<u8>, record: Output<'_>, header: &[String]) {
        match (record, self.csv) {
            (Output::Whole(Record::Csv { fields, .. }), _) => {
                self.csv_line(out, fields.iter().map(String::as_str));
            }
            (Output::Whole(Record::Json(value)), _) => {
                out.extend_from_slice(value.to_string().as_bytes());
                out.extend_from_slice(&self.options.record_delimiter);
            }
            (Output::Fields(fields), true) => {
                let text: Vec<String> = fields.iter().map(|(_, v)| csv_text(v)).collect();
                if self.options.keep_all_columns {
                    let mut all = vec![String::new(); header.len().max(text.len())];
                    for ((name, _), value) in fields.iter().zip(&text) {
                        if let Some(i) = column_position(name, header) {
                            if i < all.len() {
                                all[i] = value.clone();
                            }
                        }
                    }
                    self.csv_line(out, all.iter().map(String::as_str));
                } else {
                    self.csv_line(out, text.iter().map(String::as_str));
                }
            }
            (Output::Fields(fields), false) => {
                let object: serde_json::Map<String, Value> = fields.into_iter().collect();
                out.extend_from_slice(Value::Object(object).to_string().as_bytes());
                out.extend_from_slice(&self.options.record_delimiter);
            }
        }
    }
}

/// A field's CSV text: strings as they are, `null` empty, others as JSON.
fn csv_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The 0-based input position of an output column name (`_N` or a header name).
fn column_position(name: &str, header: &[String]) -> Option<usize> {
    match name.strip_prefix('_').map(str::parse::<usize>) {
        Some(Ok(n)) if n >= 1 => Some(n - 1),
        _ => header.iter().position(|h| h == name),
    }
}
