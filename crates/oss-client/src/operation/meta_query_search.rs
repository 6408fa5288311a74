//! Searching a bucket's metadata index: DoMetaQuery (`POST /bucket?metaQuery&comp=query`
//! with a `<MetaQuery>` document), OSS API reference "DoMetaQuery", one page at a time or
//! through a paginator that follows `NextToken`.

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::meta_query::meta_query_request;
use crate::paginator::{Next, Paginator};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// The most files one DoMetaQuery page returns (`MaxResults`, 0 meaning this many).
pub const MAX_META_QUERY_RESULTS: u32 = 100;

/// One aggregation of a query (`<Aggregation>`): asked with `field` and `operation`,
/// answered with `value` or `groups`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryAggregation {
    /// The field (`Size`, `ContentType`…).
    #[serde(rename = "Field")]
    pub field: String,
    /// `min`, `max`, `average`, `sum`, `count`, `distinct` or `group`.
    #[serde(rename = "Operation")]
    pub operation: String,
    /// The result of a numeric aggregation (answers only).
    #[serde(rename = "Value", default, skip_serializing)]
    pub value: Option<f64>,
    /// The groups of a `group` aggregation (answers only): value and count.
    #[serde(rename = "Groups", default, skip_serializing)]
    pub groups: Option<MetaQueryGroups>,
}

impl MetaQueryAggregation {
    /// Asks for `operation` over `field`.
    pub fn new(field: impl Into<String>, operation: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            operation: operation.into(),
            ..Self::default()
        }
    }
}

/// The groups of a `group` aggregation (`<Groups>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryGroups {
    /// Each distinct value and how many files have it.
    #[serde(rename = "Group", default)]
    pub groups: Vec<MetaQueryGroup>,
}

/// One group: a value and how many files have it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryGroup {
    /// The value.
    #[serde(rename = "Value", default)]
    pub value: String,
    /// How many files have it.
    #[serde(rename = "Count", default)]
    pub count: u64,
}

/// The `<Aggregations>` container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Aggregations {
    #[serde(rename = "Aggregation", default)]
    aggregation: Vec<MetaQueryAggregation>,
}

/// The `<MetaQuery>` document DoMetaQuery sends.
#[derive(Debug, Clone, Default, Serialize)]
struct MetaQueryDocument {
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
    #[serde(rename = "MaxResults", skip_serializing_if = "Option::is_none")]
    max_results: Option<u32>,
    #[serde(rename = "Query", skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    #[serde(rename = "Sort", skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(rename = "Order", skip_serializing_if = "Option::is_none")]
    order: Option<String>,
    #[serde(rename = "Aggregations", skip_serializing_if = "Option::is_none")]
    aggregations: Option<Aggregations>,
    #[serde(rename = "SimpleQuery", skip_serializing_if = "Option::is_none")]
    simple_query: Option<String>,
}

/// DoMetaQuery input: a search of the bucket's metadata index.
#[derive(Debug, Clone, Default)]
pub struct DoMetaQuery {
    bucket: Option<String>,
    mode: Option<String>,
    query: Option<String>,
    simple_query: Option<String>,
    sort: Option<String>,
    order: Option<String>,
    max_results: Option<u32>,
    next_token: Option<String>,
    aggregations: Vec<MetaQueryAggregation>,
}

impl DoMetaQuery {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The retrieval mode, `basic` or `semantic` (OSS default `basic`).
        mode: String;
        /// The condition of a `basic` search, a JSON object: `{"Field": "Size",
        /// "Value": "1048576", "Operation": "gt"}`, or `{"Operation": "and",
        /// "SubQueries": [...]}` (operations `eq`, `gt`, `gte`, `lt`, `lte`, `match`,
        /// `prefix`, `and`, `or`, `not`).
        query: String;
        /// The natural-language query of a `semantic` search.
        simple_query: String;
        /// The field results are sorted by (`Size`, `Filename`, `FileModifiedTime`…).
        sort: String;
        /// `asc` or `desc`.
        order: String;
        /// At most this many files per page, 0 to 100 (0: 100).
        max_results: u32;
        /// Continues after the page that returned this `NextToken`.
        next_token: String;
    }

    /// Adds an aggregation (`min`, `max`, `average`, `sum`, `count`, `distinct`, `group`
    /// over a field).
    pub fn aggregation(mut self, aggregation: MetaQueryAggregation) -> Self {
        self.aggregations.push(aggregation);
        self
    }
}

impl Operation for DoMetaQuery {
    type Output = DoMetaQueryOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = meta_query_request(Method::POST, self.bucket, Some("query"), self.mode)?;
        if self.query.is_none() && self.simple_query.is_none() {
            return Err(Error::invalid_argument(
                "DoMetaQuery needs a query (basic mode) or a simple query (semantic mode)",
            ));
        }
        if let Some(query) = &self.query {
            let parsed: serde_json::Value = serde_json::from_str(query).map_err(|e| {
                Error::invalid_argument("the meta query is not JSON").with_source(e)
            })?;
            if !parsed.is_object() {
                return Err(Error::invalid_argument("the meta query is a JSON object"));
            }
        }
        if let Some(order) = self
            .order
            .as_deref()
            .filter(|o| !matches!(*o, "asc" | "desc"))
        {
            return Err(Error::invalid_argument(format!(
                "order is asc or desc, not {order:?}"
            )));
        }
        if let Some(max) = self.max_results.filter(|m| *m > MAX_META_QUERY_RESULTS) {
            return Err(Error::invalid_argument(format!(
                "max results is 0 to {MAX_META_QUERY_RESULTS}, not {max}"
            )));
        }
        let document = MetaQueryDocument {
            next_token: self.next_token,
            max_results: self.max_results,
            query: self.query,
            sort: self.sort,
            order: self.order,
            aggregations: (!self.aggregations.is_empty()).then_some(Aggregations {
                aggregation: self.aggregations,
            }),
            simple_query: self.simple_query,
        };
        op.xml_body(to_xml("MetaQuery", &document)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<DoMetaQueryOutput, Error> {
        let page: MetaQueryAnswer = from_xml(&answer.body)?;
        Ok(DoMetaQueryOutput {
            files: page.files.map(|f| f.file).unwrap_or_default(),
            aggregations: page.aggregations.map(|a| a.aggregation).unwrap_or_default(),
            next_token: page.next_token.filter(|t| !t.is_empty()),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// A DoMetaQuery answer as read.
#[derive(Deserialize)]
struct MetaQueryAnswer {
    #[serde(rename = "NextToken", default)]
    next_token: Option<String>,
    #[serde(rename = "Files", default)]
    files: Option<Files>,
    #[serde(rename = "Aggregations", default)]
    aggregations: Option<Aggregations>,
}

/// The `<Files>` container.
#[derive(Deserialize)]
struct Files {
    #[serde(rename = "File", default)]
    file: Vec<MetaQueryFile>,
}

/// One file DoMetaQuery found (`<File>`); the elements most searches use (OSS also
/// returns media details, which this model leaves out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryFile {
    /// The object key.
    #[serde(rename = "Filename", default)]
    pub filename: String,
    /// The object size, bytes.
    #[serde(rename = "Size", default)]
    pub size: u64,
    /// When the object was last modified, RFC 3339 with the time zone.
    #[serde(rename = "FileModifiedTime", default)]
    pub file_modified_time: String,
    /// The ETag, quotes included.
    #[serde(rename = "ETag", default)]
    pub etag: Option<String>,
    /// `Normal`, `Multipart`, `Appendable` or `Symlink`.
    #[serde(rename = "OSSObjectType", default)]
    pub oss_object_type: Option<String>,
    /// `Standard`, `IA`, `Archive`, `ColdArchive`…
    #[serde(rename = "OSSStorageClass", default)]
    pub oss_storage_class: Option<String>,
    /// `default`, `private`, `public-read` or `public-read-write`.
    #[serde(rename = "ObjectACL", default)]
    pub object_acl: Option<String>,
    /// The CRC-64/ECMA of the object, decimal.
    #[serde(rename = "OSSCRC64", default)]
    pub oss_crc64: Option<String>,
    /// The object's `Content-Type`.
    #[serde(rename = "ContentType", default)]
    pub content_type: Option<String>,
    /// How many tags the object has.
    #[serde(rename = "OSSTaggingCount", default)]
    pub oss_tagging_count: Option<u32>,
    /// The object's tags.
    #[serde(rename = "OSSTagging", default)]
    pub oss_tagging: Option<MetaQueryTagging>,
    /// The object's user metadata (`x-oss-meta-*`, names without the prefix).
    #[serde(rename = "OSSUserMeta", default)]
    pub oss_user_meta: Option<MetaQueryUserMeta>,
}

/// The `<OSSTagging>` of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryTagging {
    /// Each tag, key and value.
    #[serde(rename = "Tagging", default)]
    pub tags: Vec<MetaQueryKeyValue>,
}

/// The `<OSSUserMeta>` of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryUserMeta {
    /// Each metadata item, key and value.
    #[serde(rename = "UserMeta", default)]
    pub items: Vec<MetaQueryKeyValue>,
}

/// A key and its value (a tag or a user metadata item).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MetaQueryKeyValue {
    /// The key.
    #[serde(rename = "Key", default)]
    pub key: String,
    /// The value.
    #[serde(rename = "Value", default)]
    pub value: String,
}

/// The answer of DoMetaQuery: one page of files (and the aggregations asked for).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DoMetaQueryOutput {
    /// The files found, in the order asked for.
    pub files: Vec<MetaQueryFile>,
    /// The aggregations asked for, with their results.
    pub aggregations: Vec<MetaQueryAggregation>,
    /// Where the next page starts, when there are more files.
    pub next_token: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl Client {
    /// DoMetaQuery (`POST /bucket?metaQuery&comp=query`): one page of a search.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without a query, for a query
    /// that is no JSON object, an order other than `asc`/`desc` or more than 100 results;
    /// `MetaQueryNotExist` when no index is open; `InvalidArgument` for a query OSS refuses.
    pub async fn do_meta_query(&self, input: DoMetaQuery) -> Result<DoMetaQueryOutput, Error> {
        self.execute(input).await
    }

    /// Every page of a DoMetaQuery search, following `NextToken` as OSS gave it; stops with
    /// [`crate::ErrorKind::InvalidResponse`] if OSS repeats a token.
    pub fn do_meta_query_paginator(&self, input: DoMetaQuery) -> Paginator<DoMetaQueryOutput> {
        let client = self.clone();
        let first = input.next_token.clone().map(|t| (t, None));
        Paginator::new("DoMetaQuery", first, move |token| {
            let client = client.clone();
            let mut page = input.clone();
            page.next_token = token.map(|(t, _)| t);
            async move {
                let output = client.execute(page).await?;
                let next = match &output.next_token {
                    Some(token) => Next::From((token.clone(), None)),
                    None => Next::End,
                };
                Ok((output, next))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn do_meta_query_sends_the_documented_document() {
        let op = DoMetaQuery::default()
            .bucket("examplebucket")
            .query(r#"{"Field":"Size","Value":"1048576","Operation":"gt"}"#)
            .sort("Size")
            .order("asc")
            .max_results(5u32)
            .aggregation(MetaQueryAggregation::new("Size", "sum"))
            .request()
            .unwrap();
        assert_eq!(op.query.to_query_string(), "metaQuery&comp=query");
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><MetaQuery><MaxResults>5</MaxResults>\
             <Query>{\"Field\":\"Size\",\"Value\":\"1048576\",\"Operation\":\"gt\"}</Query>\
             <Sort>Size</Sort><Order>asc</Order>\
             <Aggregations><Aggregation><Field>Size</Field><Operation>sum</Operation>\
             </Aggregation></Aggregations></MetaQuery>"
        );
    }

    #[test]
    fn refuses_what_oss_refuses_before_io() {
        let base = DoMetaQuery::default().bucket("examplebucket");
        assert!(base.clone().request().is_err(), "no query");
        assert!(base.clone().query("[1]").request().is_err());
        assert!(base.clone().query("{").request().is_err());
        let q = base.query("{}");
        assert!(q.clone().order("up").request().is_err());
        assert!(q.clone().max_results(101u32).request().is_err());
        assert!(q.max_results(100u32).request().is_ok());
    }

    #[test]
    fn reads_files_aggregations_and_the_next_token() {
        let out = DoMetaQuery::output(answer(
            "<MetaQuery><NextToken>MTIz</NextToken><Files><File><Filename>a.txt</Filename>\
             <Size>120</Size><FileModifiedTime>2021-06-29T15:04:05.000000000+08:00</FileModifiedTime>\
             <OSSObjectType>Normal</OSSObjectType><OSSTaggingCount>1</OSSTaggingCount>\
             <OSSTagging><Tagging><Key>owner</Key><Value>John</Value></Tagging></OSSTagging>\
             <OSSUserMeta><UserMeta><Key>project</Key><Value>x</Value></UserMeta></OSSUserMeta>\
             </File></Files><Aggregations><Aggregation><Field>Size</Field><Operation>sum</Operation>\
             <Value>120</Value></Aggregation></Aggregations></MetaQuery>",
        ))
        .unwrap();
        assert_eq!(out.next_token.as_deref(), Some("MTIz"));
        let file = &out.files[0];
        assert_eq!((file.filename.as_str(), file.size), ("a.txt", 120));
        assert_eq!(file.oss_tagging.as_ref().unwrap().tags[0].value, "John");
        assert_eq!(file.oss_user_meta.as_ref().unwrap().items[0].key, "project");
        assert_eq!(out.aggregations[0].value, Some(120.0));
    }
}
