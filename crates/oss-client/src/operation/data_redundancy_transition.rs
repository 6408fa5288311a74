//! Redundancy type changes (`?redundancyTransition`), OSS API reference
//! "CreateBucketDataRedundancyTransition", "GetBucketDataRedundancyTransition",
//! "DeleteBucketDataRedundancyTransition", "ListBucketDataRedundancyTransition",
//! "ListUserDataRedundancyTransition": a task that moves a bucket from locally redundant
//! storage (LRS) to zone-redundant storage (ZRS), `Queueing`, then `Processing`, then
//! `Finished`.

use http::Method;
use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{ConfigOutput, EmptyOutput, bucket_request};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::{OperationRequest, required};
use crate::setters::setters;

/// The query parameter naming the task.
const TASK_ID: &str = "x-oss-redundancy-transition-taskid";

/// One task (`<BucketDataRedundancyTransition>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct BucketDataRedundancyTransition {
    /// The bucket (in listings).
    #[serde(default)]
    pub bucket: Option<String>,
    /// The task's id.
    pub task_id: String,
    /// `Queueing`, `Processing` or `Finished` (absent in CreateBucketDataRedundancyTransition's
    /// answer).
    #[serde(default)]
    pub status: Option<String>,
    /// When the task was created (ISO 8601, UTC).
    #[serde(default)]
    pub create_time: Option<String>,
    /// When it started processing (ISO 8601, UTC; `Processing` and `Finished` only).
    #[serde(default)]
    pub start_time: Option<String>,
    /// When it finished (ISO 8601, UTC; `Finished` only).
    #[serde(default)]
    pub end_time: Option<String>,
    /// Progress in percent, 0 to 100 (`Processing` and `Finished` only).
    #[serde(default)]
    pub process_percentage: Option<u32>,
    /// Estimated time left, in hours (`Processing` only).
    #[serde(default)]
    pub estimated_remaining_time: Option<u64>,
}

/// A page of tasks (`<ListBucketDataRedundancyTransition>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct DataRedundancyTransitionList {
    /// The tasks.
    #[serde(rename = "BucketDataRedundancyTransition", default)]
    pub transitions: Vec<BucketDataRedundancyTransition>,
    /// Whether more tasks follow (ListUserDataRedundancyTransition).
    #[serde(default)]
    pub is_truncated: bool,
    /// Where the next page starts.
    #[serde(default)]
    pub next_continuation_token: Option<String>,
}

/// CreateBucketDataRedundancyTransition input.
#[derive(Debug, Clone, Default)]
pub struct CreateBucketDataRedundancyTransition {
    bucket: Option<String>,
    target_redundancy_type: Option<String>,
}

impl CreateBucketDataRedundancyTransition {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The redundancy type to move to (required; OSS only moves to `ZRS`).
        target_redundancy_type: String;
    }
}

/// GetBucketDataRedundancyTransition and DeleteBucketDataRedundancyTransition input.
#[derive(Debug, Clone, Default)]
pub struct DataRedundancyTransitionTask {
    bucket: Option<String>,
    task_id: Option<String>,
}

impl DataRedundancyTransitionTask {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The task's id (required).
        task_id: String;
    }
}

/// GetBucketDataRedundancyTransition input.
pub type GetBucketDataRedundancyTransition = DataRedundancyTransitionTask;
/// DeleteBucketDataRedundancyTransition input.
pub type DeleteBucketDataRedundancyTransition = DataRedundancyTransitionTask;

/// ListBucketDataRedundancyTransition input.
#[derive(Debug, Clone, Default)]
pub struct ListBucketDataRedundancyTransition {
    bucket: Option<String>,
}

impl ListBucketDataRedundancyTransition {
    setters! {
        /// The bucket (required).
        bucket: String;
    }
}

/// ListUserDataRedundancyTransition input (every bucket of the account).
#[derive(Debug, Clone, Default)]
pub struct ListUserDataRedundancyTransition {
    continuation_token: Option<String>,
    max_keys: Option<u32>,
}

impl ListUserDataRedundancyTransition {
    setters! {
        /// Where the page starts (a previous page's `next_continuation_token`).
        continuation_token: String;
        /// Tasks per page (1 to 100 on OSS; 1 to 1000 accepted here).
        max_keys: u32;
    }
}

/// The task id, required and not empty.
fn task_id(value: Option<String>) -> Result<String, Error> {
    let id = required(value, "task_id")?;
    if id.is_empty() {
        return Err(Error::invalid_argument("task_id is empty"));
    }
    Ok(id)
}

/// The operations answered with a document `D`.
enum Transition {
    Create(CreateBucketDataRedundancyTransition),
    Get(DataRedundancyTransitionTask),
    ListBucket(ListBucketDataRedundancyTransition),
    ListUser(ListUserDataRedundancyTransition),
}

impl Transition {
    fn request(self) -> Result<OperationRequest, Error> {
        match self {
            Self::Create(input) => {
                let mut op = bucket_request(Method::POST, input.bucket, "redundancyTransition")?;
                let target = required(input.target_redundancy_type, "target_redundancy_type")?;
                if target.is_empty() {
                    return Err(Error::invalid_argument("target_redundancy_type is empty"));
                }
                op.query.push("x-oss-target-redundancy-type", target);
                op.idempotent = false;
                Ok(op)
            }
            Self::Get(input) => {
                let mut op = bucket_request(Method::GET, input.bucket, "redundancyTransition")?;
                op.query.push(TASK_ID, task_id(input.task_id)?);
                Ok(op)
            }
            Self::ListBucket(input) => {
                bucket_request(Method::GET, input.bucket, "redundancyTransition")
            }
            Self::ListUser(input) => {
                let mut op = OperationRequest::new(Method::GET, None, None);
                op.query.push_flag("redundancyTransition");
                op.push_optional([("continuation-token", input.continuation_token)]);
                op.push_page_size("max-keys", input.max_keys)?;
                Ok(op)
            }
        }
    }
}

/// A transition operation answered with the document `D`.
struct WithDocument<D>(Transition, std::marker::PhantomData<fn() -> D>);

fn with_document<D>(op: Transition) -> WithDocument<D> {
    WithDocument(op, std::marker::PhantomData)
}

impl<D: serde::de::DeserializeOwned> Operation for WithDocument<D> {
    type Output = ConfigOutput<D>;

    fn request(self) -> Result<OperationRequest, Error> {
        self.0.request()
    }

    fn output(answer: Answer) -> Result<ConfigOutput<D>, Error> {
        ConfigOutput::read(&answer)
    }
}

/// DeleteBucketDataRedundancyTransition.
struct Delete(DataRedundancyTransitionTask);

impl Operation for Delete {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = bucket_request(Method::DELETE, self.0.bucket, "redundancyTransition")?;
        op.query.push(TASK_ID, task_id(self.0.task_id)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// The pages of ListUserDataRedundancyTransition.
#[derive(Clone)]
struct UserPages {
    client: Client,
    input: ListUserDataRedundancyTransition,
}

impl PagedListing for UserPages {
    type Page = ConfigOutput<DataRedundancyTransitionList>;
    const OPERATION: &'static str = "ListUserDataRedundancyTransition";

    fn start(&self) -> Option<Token> {
        self.input.continuation_token.clone().map(|t| (t, None))
    }

    fn continue_from(&mut self, (token, _): Token) {
        self.input.continuation_token = Some(token);
    }

    fn next(page: &Self::Page) -> Next {
        let list = &page.configuration;
        Next::after(
            list.is_truncated,
            "NextContinuationToken",
            list.next_continuation_token.as_deref(),
            None,
        )
    }

    async fn fetch_page(self) -> Result<Self::Page, Error> {
        self.client
            .list_user_data_redundancy_transition(self.input)
            .await
    }
}

impl Client {
    /// CreateBucketDataRedundancyTransition (`POST /bucket?redundancyTransition&
    /// x-oss-target-redundancy-type=ZRS`): the new task's id.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a bucket or target type; service errors
    /// (`InvalidArgument` for a type OSS cannot move to).
    pub async fn create_bucket_data_redundancy_transition(
        &self,
        input: CreateBucketDataRedundancyTransition,
    ) -> Result<ConfigOutput<BucketDataRedundancyTransition>, Error> {
        self.execute(with_document(Transition::Create(input))).await
    }

    /// GetBucketDataRedundancyTransition (`GET /bucket?redundancyTransition&
    /// x-oss-redundancy-transition-taskid=<id>`).
    ///
    /// # Errors
    /// Input errors; service errors (`BucketDataRedundancyTransitionTaskNotExist`).
    pub async fn get_bucket_data_redundancy_transition(
        &self,
        input: GetBucketDataRedundancyTransition,
    ) -> Result<ConfigOutput<BucketDataRedundancyTransition>, Error> {
        self.execute(with_document(Transition::Get(input))).await
    }

    /// DeleteBucketDataRedundancyTransition (`DELETE /bucket?redundancyTransition&
    /// x-oss-redundancy-transition-taskid=<id>`).
    ///
    /// # Errors
    /// Input errors; service errors (`BucketDataRedundancyTransitionTaskNotExist`,
    /// `BucketDataRedundancyTransitionTaskStatusConflict` while the task is `Processing`).
    pub async fn delete_bucket_data_redundancy_transition(
        &self,
        input: DeleteBucketDataRedundancyTransition,
    ) -> Result<EmptyOutput, Error> {
        self.execute(Delete(input)).await
    }

    /// ListBucketDataRedundancyTransition (`GET /bucket?redundancyTransition`): every task of
    /// the bucket (not paged).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn list_bucket_data_redundancy_transition(
        &self,
        input: ListBucketDataRedundancyTransition,
    ) -> Result<ConfigOutput<DataRedundancyTransitionList>, Error> {
        self.execute(with_document(Transition::ListBucket(input)))
            .await
    }

    /// ListUserDataRedundancyTransition (`GET /?redundancyTransition`): one page of the tasks
    /// of every bucket of the account; see
    /// [`Client::list_user_data_redundancy_transition_paginator`] for all pages.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for `max_keys` outside 1..=1000; service errors.
    pub async fn list_user_data_redundancy_transition(
        &self,
        input: ListUserDataRedundancyTransition,
    ) -> Result<ConfigOutput<DataRedundancyTransitionList>, Error> {
        self.execute(with_document(Transition::ListUser(input)))
            .await
    }

    /// Every page of ListUserDataRedundancyTransition, starting at the input's continuation
    /// token; each next page starts at the previous page's `NextContinuationToken`.
    pub fn list_user_data_redundancy_transition_paginator(
        &self,
        input: ListUserDataRedundancyTransition,
    ) -> Paginator<ConfigOutput<DataRedundancyTransitionList>> {
        paginate(UserPages {
            client: self.clone(),
            input,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::answer;

    #[test]
    fn requests_carry_the_documented_parameters() {
        let create = Transition::Create(
            CreateBucketDataRedundancyTransition::default()
                .bucket("examplebucket")
                .target_redundancy_type("ZRS"),
        )
        .request()
        .unwrap();
        assert_eq!(create.method, Method::POST);
        assert_eq!(
            create.query.to_query_string(),
            "redundancyTransition&x-oss-target-redundancy-type=ZRS"
        );
        let task = || {
            DataRedundancyTransitionTask::default()
                .bucket("examplebucket")
                .task_id("4be5beb0f74f490186311b268bf6****")
        };
        let get = Transition::Get(task()).request().unwrap();
        assert_eq!(
            get.query.to_query_string(),
            "redundancyTransition&x-oss-redundancy-transition-taskid=4be5beb0f74f490186311b268bf6%2A%2A%2A%2A"
        );
        let delete = Delete(task()).request().unwrap();
        assert_eq!(delete.method, Method::DELETE);
        let user = Transition::ListUser(
            ListUserDataRedundancyTransition::default()
                .continuation_token("abc")
                .max_keys(10u32),
        )
        .request()
        .unwrap();
        assert_eq!(user.bucket, None);
        assert_eq!(
            user.query.to_query_string(),
            "redundancyTransition&continuation-token=abc&max-keys=10"
        );
    }

    #[test]
    fn reads_a_task_and_a_page() {
        let task = WithDocument::<BucketDataRedundancyTransition>::output(answer(
            "<BucketDataRedundancyTransition><TaskId>909c6c818dd041d1a44e0fdc66aa****</TaskId>\
             <CreateTime>2023-11-17T09:14:39.000Z</CreateTime>\
             <StartTime>2023-11-17T09:14:39.000Z</StartTime><Status>Processing</Status>\
             <ProcessPercentage>50</ProcessPercentage>\
             <EstimatedRemainingTime>16</EstimatedRemainingTime>\
             </BucketDataRedundancyTransition>",
        ))
        .unwrap()
        .configuration;
        assert_eq!(task.status.as_deref(), Some("Processing"));
        assert_eq!(task.process_percentage, Some(50));
        assert_eq!(task.estimated_remaining_time, Some(16));
        let page = WithDocument::<DataRedundancyTransitionList>::output(answer(
            "<ListBucketDataRedundancyTransition><IsTruncated>true</IsTruncated>\
             <NextContinuationToken>t2</NextContinuationToken>\
             <BucketDataRedundancyTransition><Bucket>a</Bucket><TaskId>1</TaskId>\
             <Status>Queueing</Status></BucketDataRedundancyTransition>\
             </ListBucketDataRedundancyTransition>",
        ))
        .unwrap();
        assert_eq!(
            page.configuration.transitions[0].bucket.as_deref(),
            Some("a")
        );
        assert!(matches!(UserPages::next(&page), Next::From((t, None)) if t == "t2"));
    }

    #[test]
    fn refuses_missing_values() {
        let no_target = CreateBucketDataRedundancyTransition::default().bucket("examplebucket");
        assert!(Transition::Create(no_target).request().is_err());
        let no_task = DataRedundancyTransitionTask::default().bucket("examplebucket");
        assert!(Delete(no_task).request().is_err());
        let big = ListUserDataRedundancyTransition::default().max_keys(1001u32);
        assert!(Transition::ListUser(big).request().is_err());
    }
}
