//! RestoreObject (`POST /bucket/key?restore`, OSS API reference "RestoreObject"): makes an
//! Archive, Cold Archive or Deep Cold Archive object readable for a number of days.

use std::fmt;

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::header_names;
use crate::operation::bucket_config::EmptyOutput;
use crate::request::OperationRequest;
use crate::response::header;
use crate::types::{ObjectKey, RawResponse};

/// How fast a Cold Archive or Deep Cold Archive object is restored (`JobParameters/Tier`; OSS
/// ignores it for Archive objects, which take about a minute). OSS's times: Cold Archive
/// Expedited within 1 hour, Standard 2 to 5 hours, Bulk 5 to 12 hours; Deep Cold Archive
/// Expedited within 12 hours, Standard within 48 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RestoreTier {
    /// `Expedited`: the fastest and dearest.
    Expedited,
    /// `Standard`: OSS's default when no tier is sent.
    Standard,
    /// `Bulk`: the slowest and cheapest (Cold Archive only).
    Bulk,
}

impl RestoreTier {
    /// The value sent in `<Tier>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expedited => "Expedited",
            Self::Standard => "Standard",
            Self::Bulk => "Bulk",
        }
    }
}

impl fmt::Display for RestoreTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The answer of RestoreObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RestoreObjectOutput {
    /// 202 when the restore started, 200 when the object is already restored (its expiry
    /// is extended).
    pub status: u16,
    /// `x-oss-version-id` of the version being restored, in versioned buckets.
    pub version_id: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl Client {
    /// RestoreObject: restores an archived object for some days. Poll HeadObject's
    /// [`restore`](crate::operation::object_properties::ObjectProperties::restore) until it
    /// is [`RestoreState::Restored`](crate::types::RestoreState::Restored).
    ///
    /// ```no_run
    /// # async fn demo(client: oss_client::Client) -> Result<(), oss_client::Error> {
    /// use oss_client::operation::restore_object::RestoreTier;
    /// use oss_client::types::RestoreState;
    ///
    /// let started = client.restore_object().bucket("examplebucket").key("2019/logs.tar")
    ///     .days(3).tier(RestoreTier::Expedited).send().await?;
    /// assert!(matches!(started.status, 200 | 202));
    /// let head = client.head_object().bucket("examplebucket").key("2019/logs.tar").send().await?;
    /// if let Some(RestoreState::Restored { expiry }) = head.restore {
    ///     println!("readable until {expiry:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn restore_object(&self) -> RestoreObjectRequest {
        RestoreObjectRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            version_id: None,
            days: None,
            tier: None,
            request_payer: false,
        }
    }

    /// CleanRestoredObject (`POST /bucket/key?cleanRestoredObject`): ends the restored state
    /// of a Cold Archive or Deep Cold Archive object early (of the latest version or of the
    /// one `key` names), so the object is frozen again and its restored copy no longer
    /// billed. Answers the `x-oss-request-id`.
    ///
    /// # Errors
    /// Input errors before I/O; service errors: 409 `ArchiveRestoreNotFinished` while the
    /// restore is in progress, 409 `ArchiveRestoreFileStale` when the object was never
    /// restored (or was cleaned already, or its restore expired), `NoSuchKey`,
    /// `NoSuchVersion`.
    pub async fn clean_restored_object(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
    ) -> Result<EmptyOutput, Error> {
        let mut op = key.into().request(Method::POST, bucket)?;
        op.query.push_flag("cleanRestoredObject");
        self.execute_request(Ok(op), |answer| Ok(EmptyOutput::from_answer(&answer)))
            .await
    }
}

/// A RestoreObject request.
#[derive(Debug)]
pub struct RestoreObjectRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    version_id: Option<String>,
    days: Option<u32>,
    tier: Option<RestoreTier>,
    request_payer: bool,
}

impl RestoreObjectRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// One version of the object (`versionId`), in versioned buckets; the latest otherwise.
        version_id: String;
    }

    /// How many days the restored copy stays readable (`<Days>`; OSS takes 1 to 7 for
    /// Archive objects and 1 to 365 for Cold and Deep Cold Archive ones). Without it OSS
    /// uses 1 day.
    pub fn days(mut self, days: u32) -> Self {
        self.days = Some(days);
        self
    }

    /// The restore priority (`<JobParameters><Tier>`), for Cold Archive and Deep Cold
    /// Archive objects; OSS uses `Standard` without it.
    pub fn tier(mut self, tier: RestoreTier) -> Self {
        self.tier = Some(tier);
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled (OSS
    /// refuses requests of others without it).
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors before I/O ([`crate::ErrorKind::InvalidArgument`] for 0 days); service
    /// errors: 409 `RestoreAlreadyInProgress`, 400 `OperationNotSupported` for an object
    /// that is not archived, 400 `MalformedXML`/`InvalidArgument` for days or a tier OSS
    /// refuses, `NoSuchKey`, `NoSuchVersion`.
    pub async fn send(self) -> Result<RestoreObjectOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for RestoreObjectRequest {
    type Output = RestoreObjectOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        if self.days == Some(0) {
            return Err(Error::invalid_argument("a restore lasts at least one day"));
        }
        let mut op = OperationRequest::object(Method::POST, self.bucket, self.key)?;
        op.request_payer(self.request_payer);
        op.query.push_flag("restore");
        if let Some(version) = self.version_id {
            op.query.push("versionId", version);
        }
        op.xml_body(request_body(self.days, self.tier));
        Ok(op)
    }

    fn output(answer: Answer) -> Result<RestoreObjectOutput, Error> {
        let raw = answer.raw();
        let headers = &raw.headers;
        Ok(RestoreObjectOutput {
            status: raw.status.as_u16(),
            version_id: header(headers, &header_names::X_OSS_VERSION_ID).map(str::to_owned),
            request_id: raw.request_id(),
            raw,
        })
    }
}

/// The `RestoreRequest` document: only the elements the caller set.
fn request_body(days: Option<u32>, tier: Option<RestoreTier>) -> String {
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><RestoreRequest>");
    if let Some(days) = days {
        body.push_str(&format!("<Days>{days}</Days>"));
    }
    if let Some(tier) = tier {
        body.push_str(&format!(
            "<JobParameters><Tier>{tier}</Tier></JobParameters>"
        ));
    }
    body.push_str("</RestoreRequest>");
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_holds_what_was_set() {
        assert_eq!(
            request_body(Some(3), Some(RestoreTier::Bulk)),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><RestoreRequest><Days>3</Days>\
             <JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>"
        );
        assert_eq!(
            request_body(None, None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><RestoreRequest></RestoreRequest>"
        );
    }
}
