//! Redundancy type changes (OSS API reference "CreateBucketDataRedundancyTransition",
//! "GetBucketDataRedundancyTransition", "DeleteBucketDataRedundancyTransition",
//! "ListBucketDataRedundancyTransition", "ListUserDataRedundancyTransition"): tasks stored
//! as `redundancyTransition/<task id>` records of the bucket, whose state follows the
//! emulator's clock: `Queueing` for [`QUEUEING_SECS`] after creation, then `Processing` for
//! [`PROCESSING_SECS`] (progress growing evenly), then `Finished`. Only `ZRS` is a target
//! (as on OSS, which only moves LRS to ZRS); one task per bucket until it is deleted. The
//! bucket's redundancy type itself is not changed (GetBucketInfo keeps its answer).

use std::time::SystemTime;

use http::StatusCode;
use serde::{Deserialize, Serialize};

use super::records::{self, at, new_id, now_secs};
use super::{Ctx, Resp, empty, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::store::Bucket;
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

/// Seconds a new task waits before it starts.
pub(crate) const QUEUEING_SECS: u64 = 60;
/// Seconds a started task takes.
pub(crate) const PROCESSING_SECS: u64 = 3600;
const TASK: &str = "redundancyTransition";
const TASK_ID: &str = "x-oss-redundancy-transition-taskid";
/// Tasks per ListUserDataRedundancyTransition page by default and at most.
const MAX_KEYS: usize = 100;

#[derive(Serialize, Deserialize)]
struct Task {
    /// Seconds since the epoch.
    created: u64,
}

/// A task's state at one moment.
struct Progress {
    status: &'static str,
    started: Option<SystemTime>,
    ended: Option<SystemTime>,
    percentage: Option<u64>,
    /// Hours left (rounded up), while processing.
    remaining_hours: Option<u64>,
}

impl Task {
    fn progress(&self, now: u64) -> Progress {
        let start = self.created + QUEUEING_SECS;
        let end = start + PROCESSING_SECS;
        if now < start {
            return Progress {
                status: "Queueing",
                started: None,
                ended: None,
                percentage: None,
                remaining_hours: None,
            };
        }
        if now < end {
            return Progress {
                status: "Processing",
                started: Some(at(start)),
                ended: None,
                percentage: Some((now - start) * 100 / PROCESSING_SECS),
                remaining_hours: Some((end - now).div_ceil(3600)),
            };
        }
        Progress {
            status: "Finished",
            started: Some(at(start)),
            ended: Some(at(end)),
            percentage: Some(100),
            remaining_hours: None,
        }
    }
}

fn write_task(w: &mut XmlWriter, bucket: &str, id: &str, task: &Task, now: u64) {
    let p = task.progress(now);
    let time = |t: Option<SystemTime>| t.map(iso8601_millis);
    w.open("BucketDataRedundancyTransition")
        .elem("Bucket", bucket)
        .elem("TaskId", id)
        .elem("Status", p.status)
        .elem("CreateTime", &iso8601_millis(at(task.created)))
        .elem_opt("StartTime", time(p.started).as_deref())
        .elem_opt("EndTime", time(p.ended).as_deref())
        .elem_opt(
            "ProcessPercentage",
            p.percentage.map(|v| v.to_string()).as_deref(),
        )
        .elem_opt(
            "EstimatedRemainingTime",
            p.remaining_hours.map(|v| v.to_string()).as_deref(),
        )
        .close("BucketDataRedundancyTransition");
}

/// The task `?x-oss-redundancy-transition-taskid` names, else 404
/// `BucketDataRedundancyTransitionTaskNotExist`.
fn named_task(ctx: &Ctx<'_>, bucket: &Bucket) -> Result<(String, Task), OssError> {
    let id = ctx.param(TASK_ID).unwrap_or("");
    records::load::<Task>(bucket, TASK, id)
        .map(|t| (id.to_owned(), t))
        .ok_or_else(|| {
            OssError::new(
                ErrorCode::BucketDataRedundancyTransitionTaskNotExist,
                "The specified redundancy transition task does not exist.",
            )
            .with("TaskId", id)
        })
}

fn conflict(message: &str) -> OssError {
    OssError::new(
        ErrorCode::BucketDataRedundancyTransitionTaskStatusConflict,
        message,
    )
}

/// CreateBucketDataRedundancyTransition: a new task, 200 with its `TaskId`.
pub(crate) fn create(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let target = ctx.param("x-oss-target-redundancy-type").unwrap_or("");
    if target != "ZRS" {
        return Err(OssError::invalid_argument(
            "The target redundancy type must be ZRS.",
            "x-oss-target-redundancy-type",
            target,
        ));
    }
    if !records::all::<Task>(&bucket, TASK).is_empty() {
        return Err(conflict(
            "The bucket already has a redundancy transition task.",
        ));
    }
    let id = new_id(ctx, bucket_name);
    let task = Task {
        created: now_secs(ctx),
    };
    records::save(&bucket, TASK, &id, Some(&task))?;
    let mut w = XmlWriter::new();
    w.open("BucketDataRedundancyTransition")
        .elem("TaskId", &id)
        .close("BucketDataRedundancyTransition");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// GetBucketDataRedundancyTransition: the task as of now.
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let (id, task) = named_task(ctx, &bucket)?;
    let mut w = XmlWriter::new();
    write_task(&mut w, bucket_name, &id, &task, now_secs(ctx));
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// DeleteBucketDataRedundancyTransition: 204; 409 while the task is `Processing`.
pub(crate) fn delete(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let (id, task) = named_task(ctx, &bucket)?;
    if task.progress(now_secs(ctx)).status == "Processing" {
        return Err(conflict(
            "A redundancy transition task cannot be deleted while it is processing.",
        ));
    }
    records::save::<Task>(&bucket, TASK, &id, None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// ListBucketDataRedundancyTransition: the bucket's tasks (not paged).
pub(crate) fn list_bucket(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let now = now_secs(ctx);
    let mut w = XmlWriter::new();
    w.open("ListBucketDataRedundancyTransition");
    for (id, task) in records::all::<Task>(&bucket, TASK) {
        write_task(&mut w, bucket_name, &id, &task, now);
    }
    w.close("ListBucketDataRedundancyTransition");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// ListUserDataRedundancyTransition: every bucket's tasks by bucket and id, paged with
/// `max-keys` (1 to 100, default 100) and `continuation-token` (the `<bucket>/<task id>` the
/// page starts at, as `NextContinuationToken` gives it).
pub(crate) fn list_user(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let max_keys = match ctx.param("max-keys") {
        None => MAX_KEYS,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_KEYS).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument("max-keys must be 1 to 100.", "max-keys", raw)
            })?,
    };
    let from = ctx.param("continuation-token").unwrap_or("");
    let mut tasks: Vec<(String, String, Task)> = ctx
        .state
        .store
        .buckets()
        .iter()
        .flat_map(|b| {
            records::all::<Task>(b, TASK)
                .into_iter()
                .map(|(id, t)| (b.name.clone(), id, t))
        })
        .filter(|(b, id, _)| format!("{b}/{id}").as_str() >= from)
        .collect();
    tasks.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let next = tasks.get(max_keys).map(|(b, id, _)| format!("{b}/{id}"));
    let now = now_secs(ctx);
    let mut w = XmlWriter::new();
    w.open("ListBucketDataRedundancyTransition")
        .elem("IsTruncated", if next.is_some() { "true" } else { "false" })
        .elem_opt("NextContinuationToken", next.as_deref());
    for (bucket, id, task) in tasks.iter().take(max_keys) {
        write_task(&mut w, bucket, id, task, now);
    }
    w.close("ListBucketDataRedundancyTransition");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
