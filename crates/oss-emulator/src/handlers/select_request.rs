//! Reading SelectObject's `SelectRequest` and CreateSelectObjectMeta's `CsvMetaRequest` /
//! `JsonMetaRequest` (OSS API reference, "SelectObject", "CreateSelectObjectMeta") into
//! typed options. Values the emulator cannot honour answer 501 `NotImplemented`; malformed
//! ones 400 `InvalidArgument` naming the element.

use base64::Engine as _;

use super::xml_body::{self, Element};
use crate::error::{ErrorCode, OssError};
use crate::select::options::{CsvInput, HeaderInfo, Input, JsonType, OutputOptions};

/// A parsed SelectRequest.
#[derive(Debug)]
pub(crate) struct SelectRequest {
    /// The decoded SQL.
    pub(crate) sql: String,
    /// The input format.
    pub(crate) input: Input,
    /// The output options.
    pub(crate) output: OutputOptions,
}

fn invalid(name: &str, value: &str) -> OssError {
    OssError::invalid_argument(format!("{name} is not valid."), name, value)
}

fn not_implemented(what: &str) -> OssError {
    OssError::new(
        ErrorCode::NotImplemented,
        format!("The emulator does not implement SelectObject's {what}."),
    )
}

/// A base64 child decoded to bytes, when present.
fn base64_child(parent: &Element, name: &str) -> Result<Option<Vec<u8>>, OssError> {
    parent
        .child_text(name)
        .map(|text| {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| invalid(name, text))
        })
        .transpose()
}

/// A base64 child that must decode to one byte.
fn one_byte(parent: &Element, name: &str) -> Result<Option<u8>, OssError> {
    match base64_child(parent, name)? {
        None => Ok(None),
        Some(bytes) if bytes.len() == 1 => Ok(Some(bytes[0])),
        Some(bytes) => Err(invalid(name, &String::from_utf8_lossy(&bytes))),
    }
}

/// A `true`/`false` child (absent → false).
fn flag(parent: &Element, name: &str) -> Result<bool, OssError> {
    match parent.child_text(name).map(str::trim) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(invalid(name, v)),
    }
}

/// `Range`: `line-range=A-B`; `split-range` → 501.
fn line_range(parent: &Element) -> Result<Option<(u64, u64)>, OssError> {
    let Some(text) = parent.child_text("Range").map(str::trim) else {
        return Ok(None);
    };
    if text.starts_with("split-range=") {
        return Err(not_implemented("split-range"));
    }
    let bounds = text
        .strip_prefix("line-range=")
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .filter(|(a, b)| a <= b);
    bounds.map(Some).ok_or_else(|| invalid("Range", text))
}

fn compression(input: &Element) -> Result<(), OssError> {
    match input.child_text("CompressionType").map(str::trim) {
        None | Some("None" | "") => Ok(()),
        Some("GZIP") => Err(not_implemented("GZIP input")),
        Some(v) => Err(invalid("CompressionType", v)),
    }
}

/// The `CSV` input element's options.
fn csv_input(csv: &Element) -> Result<CsvInput, OssError> {
    let defaults = CsvInput::default();
    let header = match csv.child_text("FileHeaderInfo").map(str::trim) {
        None | Some("None" | "NONE") => HeaderInfo::None,
        Some("Ignore" | "IGNORE") => HeaderInfo::Ignore,
        Some("Use" | "USE") => HeaderInfo::Use,
        Some(v) => return Err(invalid("FileHeaderInfo", v)),
    };
    let record_delimiter = match base64_child(csv, "RecordDelimiter")? {
        None => defaults.record_delimiter,
        Some(d) if d == b"\n" || d == b"\r\n" || d.len() == 1 => d,
        Some(d) => return Err(invalid("RecordDelimiter", &String::from_utf8_lossy(&d))),
    };
    Ok(CsvInput {
        header,
        record_delimiter,
        field_delimiter: one_byte(csv, "FieldDelimiter")?.unwrap_or(defaults.field_delimiter),
        quote: one_byte(csv, "QuoteCharacter")?.unwrap_or(defaults.quote),
        comment: one_byte(csv, "CommentCharacter")?,
        line_range: line_range(csv)?,
    })
}

fn json_type(json: &Element) -> Result<JsonType, OssError> {
    match json.child_text("Type").map(str::trim) {
        Some("DOCUMENT") => Ok(JsonType::Document),
        Some("LINES") => Ok(JsonType::Lines),
        other => Err(invalid("Type", other.unwrap_or(""))),
    }
}

/// Parses a SelectRequest for `csv/select` (`csv`) or `json/select`.
pub(crate) fn parse_select(body: &[u8], csv: bool) -> Result<SelectRequest, OssError> {
    let doc = xml_body::parse(body, "SelectRequest")?;
    let expression = doc.child_text("Expression").unwrap_or("").trim();
    if expression.is_empty() {
        return Err(invalid("Expression", ""));
    }
    let sql = base64::engine::general_purpose::STANDARD
        .decode(expression)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| invalid("Expression", expression))?;
    let empty = Element::default();
    let input_el = doc.child("InputSerialization").unwrap_or(&empty);
    compression(input_el)?;
    let input = if csv {
        Input::Csv(csv_input(input_el.child("CSV").unwrap_or(&empty))?)
    } else {
        let json = input_el
            .child("JSON")
            .ok_or_else(|| invalid("InputSerialization", "JSON"))?;
        if flag(json, "ParseJsonNumberAsString")? {
            return Err(not_implemented("ParseJsonNumberAsString"));
        }
        let kind = json_type(json)?;
        let range = line_range(json)?;
        if range.is_some() && kind == JsonType::Document {
            return Err(invalid("Range", "DOCUMENT"));
        }
        Input::Json(kind, range)
    };
    let out_el = doc.child("OutputSerialization").unwrap_or(&empty);
    let format_el = out_el
        .child(if csv { "CSV" } else { "JSON" })
        .unwrap_or(&empty);
    let defaults = OutputOptions::default();
    let output = OutputOptions {
        raw: flag(out_el, "OutputRawData")?,
        crc: flag(out_el, "EnablePayloadCrc")?,
        keep_all_columns: flag(out_el, "KeepAllColumns")?,
        output_header: flag(out_el, "OutputHeader")?,
        record_delimiter: base64_child(format_el, "RecordDelimiter")?
            .filter(|d| !d.is_empty())
            .unwrap_or(defaults.record_delimiter),
        field_delimiter: one_byte(format_el, "FieldDelimiter")?.unwrap_or(defaults.field_delimiter),
    };
    Ok(SelectRequest { sql, input, output })
}

/// Parses a CsvMetaRequest (`csv`) or JsonMetaRequest (whose `Type` must be LINES).
pub(crate) fn parse_meta(body: &[u8], csv: bool) -> Result<Input, OssError> {
    let root = if csv {
        "CsvMetaRequest"
    } else {
        "JsonMetaRequest"
    };
    let doc = xml_body::parse(body, root)?;
    flag(&doc, "OverwriteIfExists")?;
    let empty = Element::default();
    let input_el = doc.child("InputSerialization").unwrap_or(&empty);
    // oss2 sends this one base64-encoded, the v2 SDKs as plain text.
    if let Some(c) = input_el.child_text("CompressionType").map(str::trim) {
        let decoded = base64::engine::general_purpose::STANDARD.decode(c).ok();
        if !(c.is_empty() || c == "None" || decoded.as_deref() == Some(b"None")) {
            return Err(not_implemented("compressed input"));
        }
    }
    if csv {
        Ok(Input::Csv(csv_input(
            input_el.child("CSV").unwrap_or(&empty),
        )?))
    } else {
        let json = input_el
            .child("JSON")
            .ok_or_else(|| invalid("InputSerialization", "JSON"))?;
        match json_type(json)? {
            JsonType::Lines => Ok(Input::Json(JsonType::Lines, None)),
            JsonType::Document => Err(invalid("Type", "DOCUMENT")),
        }
    }
}
