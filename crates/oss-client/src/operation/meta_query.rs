//! Data indexing (MetaQuery, `?metaQuery`), OSS API reference "OpenMetaQuery",
//! "GetMetaQueryStatus", "CloseMetaQuery": a bucket's metadata index is opened
//! (`POST ?metaQuery&comp=add`), read for its state (`GET ?metaQuery`) and closed
//! (`POST ?metaQuery&comp=delete`); searched with DoMetaQuery (`meta_query_search.rs`).

use http::Method;
use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{EmptyOutput, bucket_request};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::from_xml;

/// The retrieval modes OSS knows (`mode`): `basic` (scalar search on metadata) and
/// `semantic` (vector search).
const MODES: [&str; 2] = ["basic", "semantic"];

/// A request on the bucket's metadata index: `?metaQuery`, with `comp` when given.
pub(crate) fn meta_query_request(
    method: Method,
    bucket: Option<String>,
    comp: Option<&'static str>,
    mode: Option<String>,
) -> Result<OperationRequest, Error> {
    let mut op = bucket_request(method, bucket, "metaQuery")?;
    if let Some(comp) = comp {
        op.query.push("comp", comp);
    }
    if let Some(mode) = mode {
        if !MODES.contains(&mode.as_str()) {
            return Err(Error::invalid_argument(format!(
                "mode is basic or semantic, not {mode:?}"
            )));
        }
        op.query.push("mode", mode);
    }
    Ok(op)
}

/// OpenMetaQuery input.
#[derive(Debug, Clone, Default)]
pub struct OpenMetaQuery {
    bucket: Option<String>,
    mode: Option<String>,
}

impl OpenMetaQuery {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The retrieval mode, `basic` or `semantic` (OSS default `basic`).
        mode: String;
    }
}

impl Operation for OpenMetaQuery {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = meta_query_request(Method::POST, self.bucket, Some("add"), self.mode)?;
        op.idempotent = false;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// GetMetaQueryStatus and CloseMetaQuery input.
#[derive(Debug, Clone, Default)]
pub struct MetaQueryBucket {
    bucket: Option<String>,
}

impl MetaQueryBucket {
    setters! {
        /// The bucket (required).
        bucket: String;
    }
}

/// GetMetaQueryStatus input.
pub type GetMetaQueryStatus = MetaQueryBucket;
/// CloseMetaQuery input.
pub type CloseMetaQuery = MetaQueryBucket;

/// The state of a bucket's metadata index (`<MetaQueryStatus>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryStatus {
    /// `Ready` (being built, not yet searchable), `Running`, `Stop`, `Retrying`, `Failed`
    /// or `Deleted`.
    #[serde(rename = "State", default)]
    pub state: String,
    /// `FullScanning` or `IncrementalScanning`.
    #[serde(rename = "Phase", default)]
    pub phase: String,
    /// When the index was created, RFC 3339 with the time zone
    /// (`2021-08-02T10:49:17.289372919+08:00`).
    #[serde(rename = "CreateTime", default)]
    pub create_time: String,
    /// When the index was last updated, RFC 3339 with the time zone.
    #[serde(rename = "UpdateTime", default)]
    pub update_time: String,
    /// `basic` or `semantic`, when OSS says.
    #[serde(rename = "MetaQueryMode", default)]
    pub meta_query_mode: Option<String>,
}

/// The answer of GetMetaQueryStatus.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetMetaQueryStatusOutput {
    /// The index's state.
    pub status: MetaQueryStatus,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// The read of the index's state.
struct ReadStatus(MetaQueryBucket);
/// The closing of the index.
struct Close(MetaQueryBucket);

impl Operation for ReadStatus {
    type Output = GetMetaQueryStatusOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        meta_query_request(Method::GET, self.0.bucket, None, None)
    }

    fn output(answer: Answer) -> Result<GetMetaQueryStatusOutput, Error> {
        Ok(GetMetaQueryStatusOutput {
            status: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for Close {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = meta_query_request(Method::POST, self.0.bucket, Some("delete"), None)?;
        op.idempotent = false;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

impl Client {
    /// OpenMetaQuery (`POST /bucket?metaQuery&comp=add`): opens the bucket's metadata index.
    ///
    /// # Errors
    /// Input errors (a mode other than `basic`/`semantic`); `MetaQueryAlreadyExist` when
    /// the index is open; `NoSuchBucket`.
    pub async fn open_meta_query(&self, input: OpenMetaQuery) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetMetaQueryStatus (`GET /bucket?metaQuery`): the state of the metadata index.
    ///
    /// # Errors
    /// Input errors; 404 `MetaQueryNotExist` when no index is open; `NoSuchBucket`.
    pub async fn get_meta_query_status(
        &self,
        input: GetMetaQueryStatus,
    ) -> Result<GetMetaQueryStatusOutput, Error> {
        self.execute(ReadStatus(input)).await
    }

    /// CloseMetaQuery (`POST /bucket?metaQuery&comp=delete`): closes the metadata index and
    /// drops it.
    ///
    /// # Errors
    /// Input errors; `MetaQueryNotExist` when no index is open; `NoSuchBucket`.
    pub async fn close_meta_query(&self, input: CloseMetaQuery) -> Result<EmptyOutput, Error> {
        self.execute(Close(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::answer;

    #[test]
    fn open_status_and_close_use_the_documented_query() {
        let open = OpenMetaQuery::default()
            .bucket("examplebucket")
            .mode("semantic")
            .request()
            .unwrap();
        assert_eq!(open.method, Method::POST);
        assert_eq!(
            open.query.to_query_string(),
            "metaQuery&comp=add&mode=semantic"
        );
        let status = ReadStatus(GetMetaQueryStatus::default().bucket("examplebucket"))
            .request()
            .unwrap();
        assert_eq!(status.query.to_query_string(), "metaQuery");
        let close = Close(CloseMetaQuery::default().bucket("examplebucket"))
            .request()
            .unwrap();
        assert_eq!(close.query.to_query_string(), "metaQuery&comp=delete");
        assert!(
            OpenMetaQuery::default()
                .bucket("examplebucket")
                .mode("fuzzy")
                .request()
                .is_err()
        );
    }

    #[test]
    fn reads_the_status() {
        let status = ReadStatus::output(answer(
            "<MetaQueryStatus><State>Running</State><Phase>FullScanning</Phase>\
             <CreateTime>2021-08-02T10:49:17.289372919+08:00</CreateTime>\
             <UpdateTime>2021-08-02T10:49:17.289372919+08:00</UpdateTime></MetaQueryStatus>",
        ))
        .unwrap();
        assert_eq!(status.status.state, "Running");
        assert_eq!(status.status.phase, "FullScanning");
    }
}
