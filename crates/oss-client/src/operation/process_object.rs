//! ProcessObject (`POST /bucket/key?x-oss-process`, OSS API reference "Save processed
//! images": `sys/saveas`) and AsyncProcessObject (`POST /bucket/key?x-oss-async-process`):
//! process an object on the server side and store the result as another object.
//!
//! ```no_run
//! # async fn demo(client: oss_client::Client) -> Result<(), oss_client::Error> {
//! let saved = client
//!     .process_object()
//!     .bucket("examplebucket")
//!     .key("photo.jpg")
//!     .process("image/resize,w_100/format,png")
//!     .save_as("thumbnails/photo.png")
//!     .send()
//!     .await?;
//! assert_eq!(saved.key, "thumbnails/photo.png");
//! # Ok(()) }
//! ```

use base64::Engine as _;
use http::{HeaderValue, Method};
use serde::Deserialize;

use super::required;
use crate::client::Client;
use crate::error::Error;
use crate::execute::Answer;
use crate::request::OperationRequest;
use crate::types::RawResponse;
use crate::validate;

impl Client {
    /// ProcessObject: processes an object (`x-oss-process`) and saves the result
    /// (`sys/saveas`).
    pub fn process_object(&self) -> ProcessObjectRequest {
        ProcessObjectRequest {
            client: self.clone(),
            inner: Processing::default(),
        }
    }

    /// AsyncProcessObject: starts an asynchronous processing task (`x-oss-async-process`,
    /// for video, audio and document processing through IMM) that saves its result.
    pub fn async_process_object(&self) -> AsyncProcessObjectRequest {
        AsyncProcessObjectRequest {
            client: self.clone(),
            inner: Processing::default(),
            notify_topic: None,
        }
    }
}

/// What both processing requests take.
#[derive(Debug, Default)]
struct Processing {
    bucket: Option<String>,
    key: Option<String>,
    process: Option<String>,
    target_key: Option<String>,
    target_bucket: Option<String>,
}

impl Processing {
    /// The request and its form body `<parameter>=<process>|sys/saveas,o_…[,b_…]<suffix>`,
    /// the names URL-safe base64 (with padding), as OSS documents.
    fn operation(
        &mut self,
        parameter: &'static str,
        suffix: &str,
    ) -> Result<OperationRequest, Error> {
        let process = required(self.process.take(), "process")?;
        let target_key = required(self.target_key.take(), "save_as")?;
        validate::object_key(&target_key)?;
        if process.is_empty() || process.contains('|') {
            return Err(Error::invalid_argument(
                "the process must be one non-empty style without '|' (sys/saveas is added)",
            ));
        }
        let mut op = OperationRequest::object(Method::POST, self.bucket.take(), self.key.take())?;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE.encode(s);
        let mut body = format!("{parameter}={process}|sys/saveas,o_{}", b64(&target_key));
        if let Some(bucket) = self.target_bucket.take() {
            validate::bucket_name(&bucket)?;
            body.push_str(&format!(",b_{}", b64(&bucket)));
        }
        body.push_str(suffix);
        op.query.push_flag(parameter);
        op.header(
            "content-type",
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        op.body = body.into();
        // Idempotent (the default): a second run writes the same result again.
        Ok(op)
    }
}

/// Setters shared by both processing requests.
macro_rules! processing_setters {
    ($request:ty) => {
        impl $request {
            /// The source bucket (required).
            pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
                self.inner.bucket = Some(bucket.into());
                self
            }

            /// The source object key (required).
            pub fn key(mut self, key: impl Into<String>) -> Self {
                self.inner.key = Some(key.into());
                self
            }

            /// The processing (required), one style without `|`: for images
            /// `image/resize,w_100/rotate,90`, for video `video/convert,f_mp4,vcodec_h264`.
            pub fn process(mut self, process: impl Into<String>) -> Self {
                self.inner.process = Some(process.into());
                self
            }

            /// The key the result is saved as (required; `sys/saveas,o_<base64 key>`).
            pub fn save_as(mut self, key: impl Into<String>) -> Self {
                self.inner.target_key = Some(key.into());
                self
            }

            /// The bucket the result is saved in (`b_<base64 bucket>`; default the source's).
            pub fn save_as_bucket(mut self, bucket: impl Into<String>) -> Self {
                self.inner.target_bucket = Some(bucket.into());
                self
            }
        }
    };
}

/// A ProcessObject request; see [`Client::process_object`].
#[derive(Debug)]
pub struct ProcessObjectRequest {
    client: Client,
    inner: Processing,
}

processing_setters!(ProcessObjectRequest);

/// The answer of ProcessObject (its JSON body).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProcessObjectOutput {
    /// The bucket the result was saved in.
    pub bucket: String,
    /// The key the result was saved as.
    pub key: String,
    /// The result's size in bytes.
    pub file_size: u64,
    /// `OK` on success.
    pub status: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

#[derive(Deserialize)]
struct ProcessJson {
    #[serde(default)]
    bucket: String,
    #[serde(default)]
    object: String,
    #[serde(default, rename = "fileSize")]
    file_size: u64,
    #[serde(default)]
    status: String,
}

impl ProcessObjectRequest {
    /// Sends the request.
    ///
    /// # Errors
    /// Input errors before any I/O (names; no process or target key; a process holding `|`);
    /// service errors (`NoSuchKey`, `InvalidArgument` for a style OSS cannot apply,
    /// `BadRequest` for an operation it does not support); [`crate::ErrorKind::InvalidResponse`]
    /// when the answer is not OSS's JSON.
    pub async fn send(mut self) -> Result<ProcessObjectOutput, Error> {
        let op = self.inner.operation("x-oss-process", "")?;
        let (raw, json) = self
            .client
            .execute_request(Ok(op), json_answer::<ProcessJson>)
            .await?;
        Ok(ProcessObjectOutput {
            bucket: json.bucket,
            key: json.object,
            file_size: json.file_size,
            status: json.status,
            request_id: raw.request_id(),
            raw,
        })
    }
}

/// An AsyncProcessObject request; see [`Client::async_process_object`].
#[derive(Debug)]
pub struct AsyncProcessObjectRequest {
    client: Client,
    inner: Processing,
    notify_topic: Option<String>,
}

processing_setters!(AsyncProcessObjectRequest);

/// The answer of AsyncProcessObject (its JSON body).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AsyncProcessObjectOutput {
    /// The task's event id.
    pub event_id: String,
    /// The task id, to query the task in IMM.
    pub task_id: String,
    /// The request id.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AsyncProcessJson {
    #[serde(default)]
    event_id: String,
    #[serde(default)]
    task_id: String,
    #[serde(default)]
    request_id: String,
}

impl AsyncProcessObjectRequest {
    crate::setters::setters! {
        /// The MNS topic told when the task ends (`/notify,topic_<base64 topic>`).
        notify_topic: String;
    }

    /// Sends the request.
    ///
    /// # Errors
    /// As [`ProcessObjectRequest::send`].
    pub async fn send(mut self) -> Result<AsyncProcessObjectOutput, Error> {
        let suffix = match &self.notify_topic {
            Some(topic) => format!(
                "/notify,topic_{}",
                base64::engine::general_purpose::URL_SAFE.encode(topic)
            ),
            None => String::new(),
        };
        let op = self.inner.operation("x-oss-async-process", &suffix)?;
        let (raw, json) = self
            .client
            .execute_request(Ok(op), json_answer::<AsyncProcessJson>)
            .await?;
        let request_id = if json.request_id.is_empty() {
            raw.request_id()
        } else {
            json.request_id
        };
        Ok(AsyncProcessObjectOutput {
            event_id: json.event_id,
            task_id: json.task_id,
            request_id,
            raw,
        })
    }
}

/// The status, headers and JSON body of a processing answer.
fn json_answer<T: for<'de> Deserialize<'de>>(answer: Answer) -> Result<(RawResponse, T), Error> {
    let json = serde_json::from_slice(&answer.body).map_err(|e| {
        Error::invalid_response("the processing answer is not the JSON OSS sends").with_source(e)
    })?;
    Ok((answer.raw(), json))
}
