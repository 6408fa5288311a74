//! The shape most bucket configuration families share: a document put with
//! `PUT /bucket?<sub-resource>` (XML body with `Content-MD5`), read with `GET`, removed with
//! `DELETE`. A family implements [`BucketConfig`] for its document and names the generic
//! inputs ([`PutBucketConfig`], [`GetBucketConfig`], [`DeleteBucketConfig`]) for its
//! operations.

use std::fmt::Debug;
use std::marker::PhantomData;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::request::OperationRequest;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// A bucket configuration document: its sub-resource and XML root element.
pub trait BucketConfig: Serialize + DeserializeOwned + Debug + Send + 'static {
    /// The query parameter naming the sub-resource (`cors`, `lifecycle`…).
    const SUBRESOURCE: &'static str;
    /// The root element of the document (`CORSConfiguration`…).
    const ROOT: &'static str;

    /// Refuses a document OSS would refuse, before any I/O (default: accepts all).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] naming the rule.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// The answer of an operation that returns no document.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EmptyOutput {
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl EmptyOutput {
    pub(crate) fn from_answer(answer: &Answer) -> Self {
        Self {
            request_id: answer.request_id(),
            raw: answer.raw(),
        }
    }
}

/// A configuration document as OSS returned it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConfigOutput<C> {
    /// The document.
    pub configuration: C,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl<C: DeserializeOwned> ConfigOutput<C> {
    /// The document of a 2xx answer, with its request id and raw answer.
    pub(crate) fn read(answer: &Answer) -> Result<Self, Error> {
        Ok(Self {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// Puts a configuration document: `PUT /bucket?<sub-resource>`.
#[derive(Debug, Clone)]
pub struct PutBucketConfig<C> {
    bucket: Option<String>,
    configuration: Option<C>,
}

impl<C> Default for PutBucketConfig<C> {
    fn default() -> Self {
        Self {
            bucket: None,
            configuration: None,
        }
    }
}

impl<C: BucketConfig> PutBucketConfig<C> {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The document (required).
        configuration: C;
    }
}

impl<C: BucketConfig> Operation for PutBucketConfig<C> {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = bucket_request(Method::PUT, self.bucket, C::SUBRESOURCE)?;
        let configuration = self.configuration.ok_or_else(|| {
            Error::invalid_argument(format!("the {} document is required", C::ROOT))
        })?;
        configuration.validate()?;
        op.xml_body(to_xml(C::ROOT, &configuration)?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// Reads a configuration document: `GET /bucket?<sub-resource>`.
#[derive(Debug, Clone)]
pub struct GetBucketConfig<C> {
    bucket: Option<String>,
    document: PhantomData<fn() -> C>,
}

/// Removes a configuration document: `DELETE /bucket?<sub-resource>`.
#[derive(Debug, Clone)]
pub struct DeleteBucketConfig<C> {
    bucket: Option<String>,
    document: PhantomData<fn() -> C>,
}

impl<C> Default for GetBucketConfig<C> {
    fn default() -> Self {
        Self {
            bucket: None,
            document: PhantomData,
        }
    }
}

impl<C> Default for DeleteBucketConfig<C> {
    fn default() -> Self {
        Self {
            bucket: None,
            document: PhantomData,
        }
    }
}

impl<C: BucketConfig> GetBucketConfig<C> {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
    }
}

impl<C: BucketConfig> DeleteBucketConfig<C> {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
    }
}

impl<C: BucketConfig> Operation for GetBucketConfig<C> {
    type Output = ConfigOutput<C>;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::GET, self.bucket, C::SUBRESOURCE)
    }

    fn output(answer: Answer) -> Result<ConfigOutput<C>, Error> {
        ConfigOutput::read(&answer)
    }
}

impl<C: BucketConfig> Operation for DeleteBucketConfig<C> {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::DELETE, self.bucket, C::SUBRESOURCE)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// A request on `bucket` (required, valid) with the sub-resource flag.
pub(crate) fn bucket_request(
    method: Method,
    bucket: Option<String>,
    subresource: &'static str,
) -> Result<OperationRequest, Error> {
    let mut op = OperationRequest::bucket(method, bucket)?;
    op.query.push_flag(subresource);
    Ok(op)
}
