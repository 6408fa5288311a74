//! Actions of OSS's data-processing services, passed through as OSS defines them:
//! DoMetaQueryAction (`POST /bucket?MetaQuery&action=<action>`, actions on a bucket's
//! metadata index such as its vector settings) and DoDataPipeLineAction
//! (`POST /?dataPipeline&action=<action>`, account-level data pipelines). The action names
//! and their XML bodies belong to those services; this SDK sends them as given and
//! returns the answer's body as OSS sent it (Go v2 SDK "DoMetaQueryAction",
//! "DoDataPipeLineAction").

use bytes::Bytes;
use http::{HeaderValue, Method};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::bucket_request;
use crate::request::{OperationRequest, required};
use crate::setters::setters;
use crate::types::RawResponse;

/// DoMetaQueryAction input: an action on a bucket's metadata index.
#[derive(Debug, Clone, Default)]
pub struct DoMetaQueryAction {
    bucket: Option<String>,
    action: Option<String>,
    body: Option<Bytes>,
}

impl DoMetaQueryAction {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The action's name, sent as `action` (required, not empty).
        action: String;
        /// The action's XML document, sent as given (with its `Content-MD5`).
        body: Bytes;
    }
}

/// DoDataPipeLineAction input: an action on the account's data pipelines.
#[derive(Debug, Clone, Default)]
pub struct DoDataPipeLineAction {
    action: Option<String>,
    body: Option<Bytes>,
}

impl DoDataPipeLineAction {
    setters! {
        /// The action's name, sent as `action` (required, not empty).
        action: String;
        /// The action's XML document, sent as given (with its `Content-MD5`).
        body: Bytes;
    }
}

/// The answer of an action: OSS's body as sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ActionOutput {
    /// The answer's body (an XML document, or empty).
    pub body: Bytes,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl ActionOutput {
    fn from_answer(answer: Answer) -> Self {
        Self {
            request_id: answer.request_id(),
            raw: answer.raw(),
            body: answer.body,
        }
    }
}

/// Adds the required, non-empty `action` and the XML body (if any) to `op`.
fn with_action(
    mut op: OperationRequest,
    action: Option<String>,
    body: Option<Bytes>,
) -> Result<OperationRequest, Error> {
    let action = required(action, "action")?;
    if action.is_empty() {
        return Err(Error::invalid_argument("action must not be empty"));
    }
    op.query.push("action", action);
    op.idempotent = false;
    match body {
        Some(body) => {
            let xml = String::from_utf8(body.to_vec())
                .map_err(|_| Error::invalid_argument("the action's body is not UTF-8 XML"))?;
            op.xml_body(xml);
        }
        None => {
            op.header("content-type", HeaderValue::from_static("application/xml"));
        }
    }
    Ok(op)
}

impl Operation for DoMetaQueryAction {
    type Output = ActionOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let op = bucket_request(Method::POST, self.bucket, "MetaQuery")?;
        with_action(op, self.action, self.body)
    }

    fn output(answer: Answer) -> Result<ActionOutput, Error> {
        Ok(ActionOutput::from_answer(answer))
    }
}

impl Operation for DoDataPipeLineAction {
    type Output = ActionOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::new(Method::POST, None, None);
        op.query.push_flag("dataPipeline");
        with_action(op, self.action, self.body)
    }

    fn output(answer: Answer) -> Result<ActionOutput, Error> {
        Ok(ActionOutput::from_answer(answer))
    }
}

impl Client {
    /// DoMetaQueryAction (`POST /bucket?MetaQuery&action=<action>`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without an action or with a
    /// body that is not UTF-8; the service's errors (the emulator answers 501
    /// `NotImplemented`).
    pub async fn do_meta_query_action(
        &self,
        input: DoMetaQueryAction,
    ) -> Result<ActionOutput, Error> {
        self.execute(input).await
    }

    /// DoDataPipeLineAction (`POST /?dataPipeline&action=<action>`, on the service).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O without an action or with a
    /// body that is not UTF-8; the service's errors (the emulator answers 501
    /// `NotImplemented`).
    pub async fn do_data_pipe_line_action(
        &self,
        input: DoDataPipeLineAction,
    ) -> Result<ActionOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn actions_use_the_documented_query_and_body() {
        let op = DoMetaQueryAction::default()
            .bucket("examplebucket")
            .action("UpdateMetaQuery")
            .body(Bytes::from_static(b"<MetaQuery/>"))
            .request()
            .unwrap();
        assert_eq!(op.method, Method::POST);
        assert_eq!(
            op.query.to_query_string(),
            "MetaQuery&action=UpdateMetaQuery"
        );
        assert_eq!(body_text(&op), "<MetaQuery/>");
        assert!(op.headers.contains_key("content-md5"));
        let op = DoDataPipeLineAction::default()
            .action("ListDataPipelines")
            .request()
            .unwrap();
        assert_eq!(op.bucket, None);
        assert_eq!(
            op.query.to_query_string(),
            "dataPipeline&action=ListDataPipelines"
        );
        let out = DoDataPipeLineAction::output(answer("<Result/>")).unwrap();
        assert_eq!(&out.body[..], b"<Result/>");
    }

    #[test]
    fn refuses_a_missing_or_empty_action() {
        assert!(DoDataPipeLineAction::default().request().is_err());
        assert!(
            DoDataPipeLineAction::default()
                .action("")
                .request()
                .is_err()
        );
        let input = DoMetaQueryAction::default().bucket("examplebucket");
        assert!(input.request().is_err());
    }
}
