//! Writes whose answer was lost are settled, not repeated.
//!
//! Some writes cannot be sent twice safely: an AppendObject applied twice appends twice (or
//! fails with `PositionNotEqualToLength` although it worked), a CompleteMultipartUpload sent
//! again answers `NoSuchUpload` although the object exists, a PutObject or CopyObject with
//! `x-oss-forbid-overwrite` sent again answers `FileAlreadyExists` although it was its own
//! write. For these the pipeline retries only what OSS cannot have applied (a connection never
//! made, a refused signature or clock, throttling), and when the outcome is ambiguous (the
//! connection broke or timed out after the request went out, or OSS answered 5xx) the
//! operation looks at the object (HeadObject, CRC-64, the append position, the upload's
//! parts) before it sends again or reports:
//!
//! * applied: the operation succeeds with what the look found;
//! * not applied: it is sent again, within the same attempt count;
//! * anything else: the original error is reported, never a guess.

use std::future::Future;

use http::Response;
use oss_http::ResponseBody;

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::operation::object_properties::ObjectProperties;
use crate::request::OperationRequest;

/// What a look at the object says about a write whose answer was lost.
#[derive(Debug)]
pub(crate) enum Settled<T> {
    /// OSS applied it: here is its result.
    Applied(T),
    /// OSS did not apply it: it may be sent again.
    NotApplied,
    /// The look cannot tell (someone else wrote, or the look failed).
    Unknown,
}

/// The outcome of a settled write: OSS's own answer, or what settling found.
#[derive(Debug)]
pub(crate) enum Sent<T> {
    /// The answer arrived.
    Answered(Response<ResponseBody>),
    /// The answer was lost; the write was applied, as `T` shows.
    Settled(T),
}

/// Whether `error` leaves a write's outcome unknown: the request may have reached OSS.
pub(crate) fn is_ambiguous(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Transport | ErrorKind::Timeout => true,
        ErrorKind::Service => error
            .as_service_error()
            .is_some_and(|s| s.status().is_server_error()),
        _ => false,
    }
}

impl Client {
    /// Sends a write that must not be applied twice (see the module documentation): OSS's
    /// answer when it arrives; otherwise `settle` decides between reporting the write as done,
    /// sending it again (when its body can be replayed and attempts are left) and returning
    /// the error.
    pub(crate) async fn send_settled<T, F>(
        &self,
        mut op: OperationRequest,
        settle: impl Fn() -> F,
    ) -> Result<Sent<T>, Error>
    where
        F: Future<Output = Result<Settled<T>, Error>>,
    {
        let attempts = op
            .max_attempts
            .unwrap_or(self.retry_config().max_attempts)
            .max(1);
        op.idempotent = false;
        let mut attempt = 1;
        loop {
            let again = (attempt < attempts).then(|| op.try_copy()).flatten();
            let error = match self.send(op).await {
                Ok(response) => return Ok(Sent::Answered(response)),
                Err(e) if is_ambiguous(&e) => e,
                Err(e) => return Err(e),
            };
            tracing::debug!(error = %error, "the answer to a write was lost; settling it");
            match settle().await {
                Ok(Settled::Applied(result)) => return Ok(Sent::Settled(result)),
                Ok(Settled::NotApplied) => match again {
                    Some(copy) => {
                        tokio::time::sleep(self.retry_config().backoff(attempt)).await;
                        op = copy;
                        attempt += 1;
                    }
                    None => return Err(error),
                },
                Ok(Settled::Unknown) | Err(_) => return Err(error),
            }
        }
    }
}

/// Settles a write that creates `bucket`/`key` with `length` bytes of CRC-64 `crc64` (a
/// PutObject or CopyObject with `x-oss-forbid-overwrite`): not applied while the key is
/// absent, applied when the object there has that length and CRC-64, unknown otherwise.
pub(crate) async fn same_object(
    client: &Client,
    bucket: &str,
    key: &str,
    crc64: Option<u64>,
    length: u64,
) -> Result<Settled<ObjectProperties>, Error> {
    let head = match client.head_object().bucket(bucket).key(key).send().await {
        Err(e) if e.code() == Some("NoSuchKey") => return Ok(Settled::NotApplied),
        other => other?,
    };
    let same = head.content_length == length && crc64.is_some() && head.crc64 == crc64;
    Ok(if same {
        Settled::Applied(head)
    } else {
        Settled::Unknown
    })
}
