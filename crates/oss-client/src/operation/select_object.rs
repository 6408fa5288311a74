//! SelectObject and CreateSelectObjectMeta (OSS API reference, "SelectObject",
//! "CreateSelectObjectMeta"): SQL over a CSV or JSON object, answered as a stream of
//! records ([`SelectStream`]).

use base64::Engine as _;
use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::header_string;
use crate::select_stream::{SelectEnd, SelectStream};
use crate::types::RawResponse;
use crate::xml::escape;

/// `FileHeaderInfo`: what the first line of a CSV object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileHeaderInfo {
    /// No header: every line is a record (OSS's default).
    None,
    /// A header line, skipped; columns are `_1`, `_2`, ….
    Ignore,
    /// A header line naming the columns, usable in the SQL.
    Use,
}

impl FileHeaderInfo {
    fn as_str(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Ignore => "Ignore",
            Self::Use => "Use",
        }
    }
}

/// `Range`: a part of the object's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectRange {
    /// `line-range=first-last`: records `first` to `last` (0-based, inclusive).
    Lines {
        /// The first record.
        first: u64,
        /// The last record.
        last: u64,
    },
    /// `split-range=first-last`: splits `first` to `last` of CreateSelectObjectMeta
    /// (0-based, inclusive).
    Splits {
        /// The first split.
        first: u64,
        /// The last split.
        last: u64,
    },
}

impl SelectRange {
    fn to_param(self) -> Result<String, Error> {
        let (name, first, last) = match self {
            Self::Lines { first, last } => ("line-range", first, last),
            Self::Splits { first, last } => ("split-range", first, last),
        };
        if first > last {
            return Err(Error::invalid_argument(format!(
                "select range {first}-{last}: first is after last"
            )));
        }
        Ok(format!("{name}={first}-{last}"))
    }
}

/// CSV input options; `None` leaves OSS's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvInput {
    /// `FileHeaderInfo` (default `None`).
    pub file_header_info: Option<FileHeaderInfo>,
    /// `RecordDelimiter` (default `\n`; at most 2 characters).
    pub record_delimiter: Option<String>,
    /// `FieldDelimiter` (default `,`).
    pub field_delimiter: Option<char>,
    /// `QuoteCharacter` (default `"`).
    pub quote_character: Option<char>,
    /// `CommentCharacter`: lines starting with it are skipped.
    pub comment_character: Option<char>,
    /// `Range`.
    pub range: Option<SelectRange>,
    /// `AllowQuotedRecordDelimiter` (OSS default true).
    pub allow_quoted_record_delimiter: Option<bool>,
}

/// `Type` of a JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum JsonType {
    /// One JSON document (`from ossobject.path[*]` selects the records in it).
    #[default]
    Document,
    /// One JSON object per line.
    Lines,
}

/// JSON input options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonInput {
    /// `Type`.
    pub json_type: JsonType,
    /// `Range` (LINES only).
    pub range: Option<SelectRange>,
    /// `ParseJsonNumberAsString`.
    pub parse_json_number_as_string: Option<bool>,
}

/// The input serialization: CSV (`x-oss-process=csv/select`) or JSON (`json/select`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectInput {
    /// A CSV object.
    Csv(CsvInput),
    /// A JSON object.
    Json(JsonInput),
}

impl Default for SelectInput {
    fn default() -> Self {
        Self::Csv(CsvInput::default())
    }
}

/// Output options; `None` leaves OSS's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectOutput {
    /// `RecordDelimiter` after each output record (default `\n`).
    pub record_delimiter: Option<String>,
    /// `FieldDelimiter` between CSV output fields (default `,`).
    pub field_delimiter: Option<char>,
    /// `KeepAllColumns` (CSV): every input column, the unselected ones empty.
    pub keep_all_columns: Option<bool>,
    /// `OutputHeader` (CSV): the column names first.
    pub output_header: Option<bool>,
    /// `OutputRawData`: the records without frames (no end status, no CRC).
    pub output_raw_data: Option<bool>,
    /// `EnablePayloadCrc`: a CRC-32 per frame, checked by [`SelectStream`]. Default `true`
    /// (this client asks for it unless told not to).
    pub enable_payload_crc: Option<bool>,
}

/// The input of SelectObject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectObjectInput {
    /// The SQL expression (sent base64-encoded), e.g.
    /// `select _1, _3 from ossobject where _2 > 10`.
    pub expression: String,
    /// How the object is read.
    pub input: SelectInput,
    /// How records are written.
    pub output: SelectOutput,
    /// `Options/SkipPartialDataRecord`.
    pub skip_partial_data_record: Option<bool>,
    /// `Options/MaxSkippedRecordsAllowed`.
    pub max_skipped_records_allowed: Option<u64>,
}

impl SelectObjectInput {
    /// SelectObject of `expression` over a CSV object read with `csv`.
    pub fn csv(expression: impl Into<String>, csv: CsvInput) -> Self {
        Self {
            expression: expression.into(),
            input: SelectInput::Csv(csv),
            ..Self::default()
        }
    }

    /// SelectObject of `expression` over a JSON object read with `json`.
    pub fn json(expression: impl Into<String>, json: JsonInput) -> Self {
        Self {
            expression: expression.into(),
            input: SelectInput::Json(json),
            ..Self::default()
        }
    }
}

/// The answer of SelectObject.
#[derive(Debug)]
#[non_exhaustive]
pub struct SelectObjectOutput {
    /// The records.
    pub stream: SelectStream,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// The answer of CreateSelectObjectMeta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectObjectMeta {
    /// Bytes of the object scanned.
    pub scanned_bytes: u64,
    /// Number of splits (for [`SelectRange::Splits`]).
    pub splits: u32,
    /// Number of rows (CSV records, header line included, or JSON lines).
    pub rows: u64,
    /// Number of columns (CSV only).
    pub columns: Option<u32>,
}

fn base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
}

/// Appends `<name>value</name>` when `value` is set.
fn elem(xml: &mut String, name: &str, value: Option<String>) {
    if let Some(value) = value {
        xml.push_str(&format!("<{name}>{}</{name}>", escape(&value)));
    }
}

fn csv_elements(xml: &mut String, csv: &CsvInput) -> Result<(), Error> {
    if let Some(d) = &csv.record_delimiter {
        if d.is_empty() || d.chars().count() > 2 {
            return Err(Error::invalid_argument(
                "record_delimiter must be 1 or 2 characters",
            ));
        }
    }
    let b64 = |c: &Option<char>| c.map(|c| base64(&c.to_string()));
    elem(
        xml,
        "FileHeaderInfo",
        csv.file_header_info.map(|h| h.as_str().to_owned()),
    );
    elem(
        xml,
        "RecordDelimiter",
        csv.record_delimiter.as_deref().map(base64),
    );
    elem(xml, "FieldDelimiter", b64(&csv.field_delimiter));
    elem(xml, "QuoteCharacter", b64(&csv.quote_character));
    elem(xml, "CommentCharacter", b64(&csv.comment_character));
    elem(
        xml,
        "Range",
        csv.range.map(SelectRange::to_param).transpose()?,
    );
    elem(
        xml,
        "AllowQuotedRecordDelimiter",
        csv.allow_quoted_record_delimiter.map(|b| b.to_string()),
    );
    Ok(())
}

fn json_type(t: JsonType) -> String {
    match t {
        JsonType::Document => "DOCUMENT",
        JsonType::Lines => "LINES",
    }
    .to_owned()
}

/// The `SelectRequest` document and whether the answer is framed with CRCs.
fn select_request(input: &SelectObjectInput) -> Result<(String, bool), Error> {
    if input.expression.trim().is_empty() {
        return Err(Error::invalid_argument("expression is required"));
    }
    let mut xml = String::from("<SelectRequest>");
    elem(&mut xml, "Expression", Some(base64(&input.expression)));
    xml.push_str("<InputSerialization>");
    let csv = match &input.input {
        SelectInput::Csv(csv) => {
            xml.push_str("<CSV>");
            csv_elements(&mut xml, csv)?;
            xml.push_str("</CSV>");
            true
        }
        SelectInput::Json(json) => {
            if json.range.is_some() && json.json_type == JsonType::Document {
                return Err(Error::invalid_argument(
                    "a select range needs JSON LINES, not DOCUMENT",
                ));
            }
            xml.push_str("<JSON>");
            elem(&mut xml, "Type", Some(json_type(json.json_type)));
            elem(
                &mut xml,
                "Range",
                json.range.map(SelectRange::to_param).transpose()?,
            );
            elem(
                &mut xml,
                "ParseJsonNumberAsString",
                json.parse_json_number_as_string.map(|b| b.to_string()),
            );
            xml.push_str("</JSON>");
            false
        }
    };
    xml.push_str("</InputSerialization><OutputSerialization>");
    let out = &input.output;
    if !csv
        && (out.field_delimiter.is_some()
            || out.keep_all_columns.is_some()
            || out.output_header.is_some())
    {
        return Err(Error::invalid_argument(
            "field_delimiter, keep_all_columns and output_header apply to CSV only",
        ));
    }
    xml.push_str(if csv { "<CSV>" } else { "<JSON>" });
    elem(
        &mut xml,
        "RecordDelimiter",
        out.record_delimiter.as_deref().map(base64),
    );
    elem(
        &mut xml,
        "FieldDelimiter",
        out.field_delimiter.map(|c| base64(&c.to_string())),
    );
    xml.push_str(if csv { "</CSV>" } else { "</JSON>" });
    let raw = out.output_raw_data.unwrap_or(false);
    let crc = out.enable_payload_crc.unwrap_or(true);
    elem(
        &mut xml,
        "KeepAllColumns",
        out.keep_all_columns.map(|b| b.to_string()),
    );
    elem(&mut xml, "OutputRawData", Some(raw.to_string()));
    elem(&mut xml, "EnablePayloadCrc", Some(crc.to_string()));
    elem(
        &mut xml,
        "OutputHeader",
        out.output_header.map(|b| b.to_string()),
    );
    xml.push_str("</OutputSerialization><Options>");
    elem(
        &mut xml,
        "SkipPartialDataRecord",
        input.skip_partial_data_record.map(|b| b.to_string()),
    );
    elem(
        &mut xml,
        "MaxSkippedRecordsAllowed",
        input.max_skipped_records_allowed.map(|n| n.to_string()),
    );
    xml.push_str("</Options></SelectRequest>");
    Ok((xml, crc && !raw))
}

impl Client {
    /// SelectObject: runs `input.expression` over the object and streams the records.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O for an empty expression, a
    /// record delimiter longer than 2 characters, a range whose first is after its last, a
    /// range on a JSON DOCUMENT, or CSV-only output options with JSON input; the service's
    /// errors (`NoSuchKey`, 400 for an expression OSS refuses); then the stream's errors.
    pub async fn select_object(
        &self,
        bucket: &str,
        key: &str,
        input: &SelectObjectInput,
    ) -> Result<SelectObjectOutput, Error> {
        let (xml, crc) = select_request(input)?;
        let process = match input.input {
            SelectInput::Csv(_) => "csv/select",
            SelectInput::Json(_) => "json/select",
        };
        let mut op =
            OperationRequest::object(Method::POST, Some(bucket.to_owned()), Some(key.to_owned()))?;
        op.query.push("x-oss-process", process);
        op.xml_body(xml);
        let response = self.send(op).await?;
        let (parts, body) = response.into_parts();
        let raw = input.output.output_raw_data.unwrap_or(false);
        let request_id = header_string(&parts.headers, &header_names::X_OSS_REQUEST_ID);
        let answer = RawResponse::new(parts.status, parts.headers.clone());
        Ok(SelectObjectOutput {
            stream: SelectStream::new(body, parts.headers, !raw, crc),
            request_id,
            raw: answer,
        })
    }

    /// CreateSelectObjectMeta: counts the rows, splits and (CSV) columns of a CSV object
    /// (`csv` given) or a JSON LINES object (`csv` `None`), with `csv`'s delimiters and quote.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O when `csv` sets a header info, a
    /// comment character, a range or `allow_quoted_record_delimiter` (CreateSelectObjectMeta
    /// takes none of them); the service's errors.
    pub async fn create_select_object_meta(
        &self,
        bucket: &str,
        key: &str,
        csv: Option<&CsvInput>,
    ) -> Result<SelectObjectMeta, Error> {
        let xml = match csv {
            Some(csv) => {
                if csv.file_header_info.is_some()
                    || csv.comment_character.is_some()
                    || csv.range.is_some()
                    || csv.allow_quoted_record_delimiter.is_some()
                {
                    return Err(Error::invalid_argument(
                        "CreateSelectObjectMeta takes only the delimiters and the quote",
                    ));
                }
                let mut xml = String::from("<CsvMetaRequest><InputSerialization><CSV>");
                csv_elements(&mut xml, csv)?;
                xml.push_str("</CSV></InputSerialization></CsvMetaRequest>");
                xml
            }
            None => "<JsonMetaRequest><InputSerialization><JSON><Type>LINES</Type></JSON>\
                     </InputSerialization></JsonMetaRequest>"
                .to_owned(),
        };
        let process = if csv.is_some() {
            "csv/meta"
        } else {
            "json/meta"
        };
        let mut op =
            OperationRequest::object(Method::POST, Some(bucket.to_owned()), Some(key.to_owned()))?;
        op.query.push("x-oss-process", process);
        op.xml_body(xml);
        let response = self.send(op).await?;
        let (parts, body) = response.into_parts();
        let mut stream = SelectStream::new(body, parts.headers, true, false);
        stream.collect().await?;
        let end: Option<SelectEnd> = stream.end();
        match end {
            Some(SelectEnd {
                scanned_bytes,
                splits: Some(splits),
                rows: Some(rows),
                columns,
                ..
            }) => Ok(SelectObjectMeta {
                scanned_bytes,
                splits,
                rows,
                columns,
            }),
            _ => Err(Error::invalid_response(
                "CreateSelectObjectMeta answered without a meta end frame",
            )),
        }
    }
}
