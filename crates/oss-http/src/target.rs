//! What a request addresses, as the signer needs it.

use oss_auth::sign::QueryParams;

/// The logical bucket, key and decoded query of a request, attached to it as an
/// `http::Extensions` value by the client so the signer never has to re-parse the URL (whose
/// host depends on the addressing style and whose path is encoded).
#[derive(Debug, Clone, Default)]
pub struct SigningTarget {
    /// The bucket, for bucket and object operations.
    pub bucket: Option<String>,
    /// The object key, raw, for object operations.
    pub key: Option<String>,
    /// The decoded query parameters, exactly those sent on the wire.
    pub query: QueryParams,
}
