//! SelectObject's typed options, as the `SelectRequest` document gives them (OSS API
//! reference, "SelectObject", request elements).

/// `FileHeaderInfo` of CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum HeaderInfo {
    /// `None` (default): no header line; every line is a record.
    #[default]
    None,
    /// `Ignore`: the first line is a header, skipped.
    Ignore,
    /// `Use`: the first line names the columns.
    Use,
}

/// CSV input options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvInput {
    /// How the first line counts.
    pub(crate) header: HeaderInfo,
    /// `RecordDelimiter`: `\n` (also accepting `\r\n`) or one other byte.
    pub(crate) record_delimiter: Vec<u8>,
    /// `FieldDelimiter`, one byte (default `,`).
    pub(crate) field_delimiter: u8,
    /// `QuoteCharacter`, one byte (default `"`).
    pub(crate) quote: u8,
    /// `CommentCharacter`, one byte: lines starting with it are skipped (default none).
    pub(crate) comment: Option<u8>,
    /// `Range` `line-range=A-B`: only records A to B (0-based, inclusive, after the header).
    pub(crate) line_range: Option<(u64, u64)>,
}

impl Default for CsvInput {
    fn default() -> Self {
        Self {
            header: HeaderInfo::None,
            record_delimiter: b"\n".to_vec(),
            field_delimiter: b',',
            quote: b'"',
            comment: None,
            line_range: None,
        }
    }
}

/// `Type` of JSON input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    /// One document: an object (one record) or an array (one record per element).
    Document,
    /// One JSON object per line.
    Lines,
}

/// The input format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    /// CSV (`csv/select`).
    Csv(CsvInput),
    /// JSON (`json/select`), with `Range` `line-range=A-B` for LINES.
    Json(JsonType, Option<(u64, u64)>),
}

/// Output options (`OutputSerialization`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputOptions {
    /// `OutputRawData`: the records without frames.
    pub(crate) raw: bool,
    /// `EnablePayloadCrc`: CRC-32 in every frame.
    pub(crate) crc: bool,
    /// `KeepAllColumns` (CSV): every input column, those not selected empty.
    pub(crate) keep_all_columns: bool,
    /// `OutputHeader` (CSV): the column names first.
    pub(crate) output_header: bool,
    /// `RecordDelimiter` (default `\n`).
    pub(crate) record_delimiter: Vec<u8>,
    /// `FieldDelimiter` (CSV, default `,`).
    pub(crate) field_delimiter: u8,
}

impl Default for OutputOptions {
    fn default() -> Self {
        Self {
            raw: false,
            crc: false,
            keep_all_columns: false,
            output_header: false,
            record_delimiter: b"\n".to_vec(),
            field_delimiter: b',',
        }
    }
}
