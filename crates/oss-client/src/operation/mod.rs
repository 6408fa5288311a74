//! Typed operations. Each has a fluent request builder (obtained from a [`crate::Client`]
//! method) whose `send()` validates the input, sends one signed request and returns a typed
//! output.

pub mod bucket;
pub mod delete_object;
pub mod get_object;
pub mod head_object;
pub mod list_objects_v2;
pub mod object_properties;
pub mod presign;
pub mod put_object;

use crate::error::Error;

/// A required builder field, or an [`crate::ErrorKind::InvalidArgument`] naming it.
pub(crate) fn required(value: Option<String>, field: &str) -> Result<String, Error> {
    value.ok_or_else(|| Error::invalid_argument(format!("{field} is required")))
}
