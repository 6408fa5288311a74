//! OSS request signing: V4 (`OSS4-HMAC-SHA256`, the default) and legacy V1 (HMAC-SHA1), in the
//! `Authorization` header or in a presigned URL's query.
//!
//! Every function here is pure: the time is an input, nothing reads the clock or does I/O, so
//! every signature is reproducible. The request is described by a [`SignableRequest`]: logical
//! bucket and key (never the host or the addressing style), decoded query parameters and the
//! headers. Header signing adds its headers to the request; presigning adds its parameters to
//! the query.

mod date_headers;
mod encode;
mod post_policy;
mod query;
mod sha256;
mod signing_key;
mod timestamp;
pub mod v1;
pub mod v4;

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue};
use zeroize::Zeroizing;

pub use encode::{percent_decode, uri_encode, uri_encode_into};
pub use post_policy::post_policy_signature;
pub use query::QueryParams;
pub use signing_key::{SigningKeyCache, derive_signing_key};
pub use timestamp::{SigningTime, parse_v4_timestamp};

use crate::Credentials;
use crate::error::{SigningError, SigningErrorKind};

/// Which signature algorithm to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// `OSS4-HMAC-SHA256`: region-scoped, the default and the recommendation.
    #[default]
    V4,
    /// Legacy HMAC-SHA1 (`Authorization: OSS <id>:<signature>`).
    V1,
}

/// The product name in the V4 scope for OSS.
pub const PRODUCT_OSS: &str = "oss";
/// The product name in the V4 scope for OSS on CloudBox (the region is then the CloudBox id).
pub const PRODUCT_OSS_CLOUDBOX: &str = "oss-cloudbox";

/// The request being signed.
#[derive(Debug)]
pub struct SignableRequest<'a> {
    /// Upper-case HTTP method (`GET`, `PUT`…).
    pub method: &'a str,
    /// The bucket, for bucket and object requests.
    pub bucket: Option<&'a str>,
    /// The object key, raw (never pre-encoded), for object requests.
    pub key: Option<&'a str>,
    /// Decoded query parameters; presigning appends to them.
    pub query: &'a mut QueryParams,
    /// The request headers; header signing adds to them.
    pub headers: &'a mut HeaderMap,
}

/// Everything besides the request that a signature depends on.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The credentials snapshot.
    pub credentials: &'a Credentials,
    /// The bare region id (`cn-hangzhou`), or the CloudBox id with [`PRODUCT_OSS_CLOUDBOX`].
    pub region: &'a str,
    /// [`PRODUCT_OSS`] or [`PRODUCT_OSS_CLOUDBOX`].
    pub product: &'a str,
    /// The signing instant; fractional seconds are dropped.
    pub time: SystemTime,
    /// V4 only: extra header names to sign (see [`v4::effective_additional_headers`]).
    pub additional_headers: &'a [String],
    /// V1 only: query keys this operation signs as sub-resources beyond the fixed list.
    pub sub_resources: &'a [String],
}

impl<'a> SigningParams<'a> {
    /// Parameters for product `oss` with no additional headers or extra sub-resources.
    pub fn new(credentials: &'a Credentials, region: &'a str, time: SystemTime) -> Self {
        Self {
            credentials,
            region,
            product: PRODUCT_OSS,
            time,
            additional_headers: &[],
            sub_resources: &[],
        }
    }
}

/// What a signer produced, for callers and for diagnostics.
pub struct SigningOutput {
    /// V4 only: the canonical request.
    pub canonical_request: Option<String>,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The signature: lower-case hex (V4) or base64 (V1).
    pub signature: String,
    /// V4 only: the derived signing key.
    pub signing_key: Option<Zeroizing<[u8; 32]>>,
    /// Header signing only: the `Authorization` value that was set.
    pub authorization: Option<String>,
    /// Presigning only (empty for header signing, whose headers are on the request): the
    /// headers that took part in the signature (lower-case name, trimmed value), which whoever
    /// uses the URL must send with these values.
    pub signed_headers: Vec<(String, String)>,
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field(
                "signed_headers",
                &self
                    .signed_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// A signer of one signature version, holding the V4 signing-key cache.
#[derive(Debug, Default)]
pub struct Signer {
    version: SignatureVersion,
    keys: SigningKeyCache,
}

impl Signer {
    /// A signer for `version`.
    pub fn new(version: SignatureVersion) -> Self {
        Self {
            version,
            keys: SigningKeyCache::new(),
        }
    }

    /// The signature version.
    pub fn version(&self) -> SignatureVersion {
        self.version
    }

    /// Signs in the headers ([`v4::sign_headers`] or [`v1::sign_headers`]): the hot path,
    /// which keeps none of the intermediate texts.
    ///
    /// # Errors
    /// See the version's function.
    pub fn sign_headers(
        &self,
        req: &mut SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<(), SigningError> {
        match self.version {
            SignatureVersion::V4 => v4::sign_headers(req, params, &self.keys),
            SignatureVersion::V1 => v1::sign_headers(req, params),
        }
    }

    /// Signs in the headers exactly as [`Signer::sign_headers`] does, and returns the canonical
    /// request (V4), the string to sign, the signature and the `Authorization` value: for
    /// diagnosing a `SignatureDoesNotMatch` and for test vectors.
    ///
    /// # Errors
    /// See the version's function.
    pub fn sign_headers_explained(
        &self,
        req: &mut SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<SigningOutput, SigningError> {
        match self.version {
            SignatureVersion::V4 => v4::sign_headers_explained(req, params, &self.keys),
            SignatureVersion::V1 => v1::sign_headers_explained(req, params),
        }
    }

    /// Signs in the query string ([`v4::presign`] or [`v1::presign`]).
    ///
    /// # Errors
    /// See the version's function; V4 refuses `expires` outside 1..=604800 s.
    pub fn presign(
        &self,
        req: &mut SignableRequest<'_>,
        params: &SigningParams<'_>,
        expires: Duration,
    ) -> Result<SigningOutput, SigningError> {
        match self.version {
            SignatureVersion::V4 => v4::presign(req, params, expires, &self.keys),
            SignatureVersion::V1 => v1::presign(req, params, expires),
        }
    }
}

/// A header value from signing output; `sensitive` keeps it out of `Debug` and HPACK tables.
fn header_value(value: &str, sensitive: bool) -> Result<HeaderValue, SigningError> {
    owned_header_value(bytes::Bytes::copy_from_slice(value.as_bytes()), sensitive)
}

/// [`header_value`] taking the bytes without copying them.
fn owned_header_value(value: bytes::Bytes, sensitive: bool) -> Result<HeaderValue, SigningError> {
    let mut v = HeaderValue::from_maybe_shared(value).map_err(|_| {
        SigningError::new(
            SigningErrorKind::InvalidHeaderValue,
            "a credential value cannot be sent in an HTTP header (control character?)",
        )
    })?;
    v.set_sensitive(sensitive);
    Ok(v)
}

/// Lower-case hex of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [HEX[b >> 4], HEX[b & 0x0f]];
        b += 1;
    }
    table
};

/// Appends lower-case hex of `bytes`.
fn hex_lower(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(2 * bytes.len());
    for &b in bytes {
        out.extend_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
}
