//! One way to define an operation: an input that becomes an [`OperationRequest`] and an
//! [`Answer`] that becomes the output, sent by one generic executor ([`Client::execute`])
//! through the client's pipeline (credentials per attempt, signing, retries, settling,
//! timeouts, error parsing: all in [`Client::send`]).

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::{self, header_string};

/// An OSS operation: its input turns into a request, a 2xx answer into its output.
pub(crate) trait Operation {
    /// What the caller gets back.
    type Output;

    /// The request, validated: every value the caller set reaches it or is refused here with
    /// a typed error, before any I/O.
    fn request(self) -> Result<OperationRequest, Error>;

    /// The output read from a 2xx answer (its whole body, at most 16 MiB).
    fn output(answer: Answer) -> Result<Self::Output, Error>;
}

/// A 2xx answer with its body read.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The response headers.
    pub(crate) headers: HeaderMap,
    /// The whole body.
    pub(crate) body: Bytes,
}

impl Answer {
    /// The status and headers, as outputs expose them.
    pub(crate) fn raw(&self) -> crate::types::RawResponse {
        crate::types::RawResponse::new(self.status, self.headers.clone())
    }

    /// `x-oss-request-id`, or empty.
    pub(crate) fn request_id(&self) -> String {
        header_string(&self.headers, &header_names::X_OSS_REQUEST_ID)
    }
}

impl Client {
    /// Sends `input` and reads its output. A plain function returning an `async` block, as
    /// [`Client::send`] is: the future holds the built request once, never the input too.
    pub(crate) fn execute<O: Operation>(
        &self,
        input: O,
    ) -> impl Future<Output = Result<O::Output, Error>> + Send + '_
    where
        O::Output: Send + 'static,
    {
        self.execute_request(input.request(), O::output)
    }

    /// Sends a request a `Client` method built in place from its arguments
    /// (`get_bucket_info(bucket)`, `put_symlink(bucket, key, target)`…) and reads its 2xx
    /// answer with `output`: the executor of [`Client::execute`], for operations that need no
    /// input type.
    pub(crate) async fn execute_request<T>(
        &self,
        request: Result<OperationRequest, Error>,
        output: fn(Answer) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let response = self.send(request?).await?;
        let (parts, body) = response.into_parts();
        let body = response::read_body(body).await?;
        output(Answer {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }
}
