//! Browser form uploads (OSS API reference "PostObject", V4 signature): a signed policy and
//! the form fields a browser POSTs, as `multipart/form-data`, to the bucket's URL.
//!
//! ```no_run
//! # async fn demo(client: oss_client::Client) -> Result<(), oss_client::Error> {
//! use std::time::Duration;
//!
//! let form = client
//!     .presign_post()
//!     .bucket("examplebucket")
//!     .key_starts_with("user/alice/")
//!     .content_length_range(1, 10 * 1024 * 1024)
//!     .field("content-type", "image/png")
//!     .expires_in(Duration::from_secs(600))
//!     .send()
//!     .await?;
//! // The page posts every field of `form.fields`, then `key` (starting with "user/alice/"),
//! // then the file as the last part, to `form.url`.
//! # Ok(()) }
//! ```

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use oss_auth::sign::{QueryParams, SigningTime, post_policy_signature};
use serde_json::{Value, json};

use super::required;
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::validate;

/// The longest validity a form policy is given here (7 days, as for V4 presigned URLs).
const MAX_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

impl Client {
    /// A signed PostObject policy and its form fields, for a browser to upload one object
    /// straight to OSS without credentials.
    pub fn presign_post(&self) -> PostPolicyRequest {
        PostPolicyRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            expires_in: Duration::from_secs(900),
            length_range: None,
            fields: Vec::new(),
            conditions: Vec::new(),
        }
    }
}

/// Which keys the policy allows.
#[derive(Debug)]
enum KeyRule {
    Exactly(String),
    StartsWith(String),
}

/// A PostObject policy to sign; see [`Client::presign_post`].
#[derive(Debug)]
pub struct PostPolicyRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<KeyRule>,
    expires_in: Duration,
    length_range: Option<(u64, u64)>,
    /// Form fields posted as given, each also an exact-match condition.
    fields: Vec<(String, String)>,
    /// Extra `starts-with` conditions on fields the page fills in.
    conditions: Vec<(String, String)>,
}

/// A signed policy: where to POST and the fields to send before the file.
#[derive(Clone)]
#[non_exhaustive]
pub struct PostPolicy {
    /// The bucket's URL, the form's `action`.
    pub url: String,
    /// The form fields, in the order to post them: `key` (when fixed), every
    /// [`PostPolicyRequest::field`], `policy`, `x-oss-signature-version`, `x-oss-credential`,
    /// `x-oss-date`, `x-oss-security-token` (temporary credentials only) and
    /// `x-oss-signature`. The file goes last, in a part named `file`.
    pub fields: Vec<(String, String)>,
    /// When the policy stops being accepted (UTC, whole seconds).
    pub expiration: SystemTime,
}

impl std::fmt::Debug for PostPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("PostPolicy")
            .field("url", &self.url)
            .field("fields", &names)
            .field("expiration", &httpdate::fmt_http_date(self.expiration))
            .finish()
    }
}

impl PostPolicyRequest {
    /// The bucket (required).
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The one object key the form may upload (condition `["eq", "$key", key]`; posted as
    /// the `key` field). This or [`Self::key_starts_with`] is required.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(KeyRule::Exactly(key.into()));
        self
    }

    /// Any key starting with `prefix` (condition `["starts-with", "$key", prefix]`); the
    /// page adds the `key` field itself.
    pub fn key_starts_with(mut self, prefix: impl Into<String>) -> Self {
        self.key = Some(KeyRule::StartsWith(prefix.into()));
        self
    }

    /// How long the policy is accepted (default 15 minutes; 1 s to 7 days).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// The file's size must be `min..=max` bytes (condition `content-length-range`); OSS
    /// refuses others with `EntityTooSmall` or `EntityTooLarge`.
    pub fn content_length_range(mut self, min: u64, max: u64) -> Self {
        self.length_range = Some((min, max));
        self
    }

    /// A form field posted with exactly this value and required by the policy (an `eq`
    /// condition): `content-type`, `cache-control`, `content-disposition`,
    /// `success_action_status`, `x-oss-object-acl`, `x-oss-meta-<name>`, … Names are
    /// lower-cased; a name given twice is refused with [`ErrorKind::DuplicateName`].
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// A field the page fills in, whose value must start with `prefix` (a `starts-with`
    /// condition; `""` allows any value).
    pub fn field_starts_with(mut self, name: impl Into<String>, prefix: impl Into<String>) -> Self {
        self.conditions
            .push((name.into().to_ascii_lowercase(), prefix.into()));
        self
    }

    /// Signs the policy with a fresh credentials snapshot at the client's current time (V4:
    /// the client's region, product `oss`).
    ///
    /// # Errors
    /// Input errors before any I/O: no bucket or key rule, an invalid bucket name or key, an
    /// expiry outside 1 s..=7 days, a length range with `min > max`, a field name given twice
    /// or reserved (`policy`, `file`, `key`, `x-oss-signature*`, `x-oss-credential`,
    /// `x-oss-date`, `x-oss-security-token`); [`ErrorKind::Credentials`] when no credentials
    /// can be had.
    pub async fn send(self) -> Result<PostPolicy, Error> {
        let bucket = required(self.bucket.clone(), "bucket")?;
        validate::bucket_name(&bucket)?;
        let key = self
            .key
            .as_ref()
            .ok_or_else(|| Error::invalid_argument("key or key_starts_with is required"))?;
        if let KeyRule::Exactly(key) = key {
            validate::object_key(key)?;
        }
        self.check_fields()?;
        if self.expires_in.as_secs() == 0 || self.expires_in > MAX_EXPIRY {
            return Err(Error::invalid_argument(
                "a form policy's expiry must be 1 s to 7 days",
            ));
        }
        if let Some((min, max)) = self.length_range {
            if min > max {
                return Err(Error::invalid_argument(format!(
                    "content length range {min}..={max} is empty"
                )));
            }
        }
        let signing = self.client.signing();
        let credentials = signing.credentials().await?;
        let now = signing.now();
        let time = SigningTime::new(now)
            .map_err(|e| Error::new(ErrorKind::Signing, e.to_string()).with_source(e))?;
        let region = signing.region();
        let credential = format!(
            "{}/{}/{region}/oss/aliyun_v4_request",
            credentials.access_key_id(),
            time.v4_date()
        );
        let expiration = SystemTime::UNIX_EPOCH
            + Duration::from_secs(time.unix_seconds() + self.expires_in.as_secs());
        let mut auth_fields = vec![
            ("x-oss-signature-version", "OSS4-HMAC-SHA256".to_owned()),
            ("x-oss-credential", credential),
            ("x-oss-date", time.v4_timestamp().to_owned()),
        ];
        if let Some(token) = credentials.expose_security_token() {
            auth_fields.push(("x-oss-security-token", token.to_owned()));
        }
        let policy = self.policy(&bucket, expiration, &auth_fields);
        let signature = post_policy_signature(
            credentials.expose_access_key_secret(),
            time.v4_date(),
            region,
            &policy,
        );
        let mut fields = Vec::new();
        if let KeyRule::Exactly(key) = key {
            fields.push(("key".to_owned(), key.clone()));
        }
        fields.extend(self.fields.iter().cloned());
        fields.push(("policy".to_owned(), policy));
        fields.extend(auth_fields.into_iter().map(|(n, v)| (n.to_owned(), v)));
        fields.push(("x-oss-signature".to_owned(), signature));
        let url = self
            .client
            .endpoint()
            .url(Some(&bucket), None, &QueryParams::new());
        Ok(PostPolicy {
            url,
            fields,
            expiration,
        })
    }

    fn check_fields(&self) -> Result<(), Error> {
        const RESERVED: &[&str] = &[
            "key",
            "file",
            "policy",
            "x-oss-signature",
            "x-oss-signature-version",
            "x-oss-credential",
            "x-oss-date",
            "x-oss-security-token",
        ];
        let mut seen = std::collections::HashSet::new();
        for (name, value) in &self.fields {
            if RESERVED.contains(&name.as_str()) {
                return Err(Error::invalid_argument(format!(
                    "form field {name:?} is set by the policy signer"
                )));
            }
            if !seen.insert(name.as_str()) {
                return Err(Error::new(
                    ErrorKind::DuplicateName,
                    format!("form field {name:?} is given twice"),
                ));
            }
            validate::header_value(name, value)?;
        }
        Ok(())
    }

    /// The base64 policy: expiration and every condition.
    fn policy(
        &self,
        bucket: &str,
        expiration: SystemTime,
        auth_fields: &[(&str, String)],
    ) -> String {
        let mut conditions = vec![json!({ "bucket": bucket })];
        conditions.extend(auth_fields.iter().map(|(n, v)| json!({ *n: v })));
        conditions.push(match self.key.as_ref() {
            Some(KeyRule::Exactly(key)) => json!(["eq", "$key", key]),
            Some(KeyRule::StartsWith(prefix)) => json!(["starts-with", "$key", prefix]),
            None => Value::Null,
        });
        if let Some((min, max)) = self.length_range {
            conditions.push(json!(["content-length-range", min, max]));
        }
        for (name, value) in &self.fields {
            conditions.push(json!(["eq", format!("${name}"), value]));
        }
        for (name, prefix) in &self.conditions {
            conditions.push(json!(["starts-with", format!("${name}"), prefix]));
        }
        let expiration = time::OffsetDateTime::from(expiration)
            .format(&time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].000Z"
            ))
            .unwrap_or_default();
        let policy = json!({ "expiration": expiration, "conditions": conditions });
        base64::engine::general_purpose::STANDARD.encode(policy.to_string())
    }
}
