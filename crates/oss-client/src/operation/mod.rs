//! Typed operations. Each has a fluent request builder (obtained from a [`crate::Client`]
//! method) whose `send()` validates the input, sends one signed request and returns a typed
//! output.

pub mod acl;
pub mod append_object;
pub mod bucket;
pub mod bucket_info;
pub mod callback;
pub mod copy_object;
pub mod delete_object;
pub mod delete_objects;
pub mod describe_regions;
pub mod encryption;
mod exists;
pub mod expiration;
pub mod get_object;
pub mod head_object;
pub mod invoke;
pub mod list_objects;
pub mod list_objects_v2;
mod listing;
pub mod multipart;
pub(crate) mod object_headers;
pub mod object_meta;
pub mod object_options;
pub mod object_properties;
pub mod object_tagging;
pub mod post_policy;
pub mod presign;
pub mod process_object;
pub mod put_object;
pub mod restore_object;
pub mod seal_append_object;
pub mod select_object;
pub mod symlink;
pub mod versioning;

pub(crate) use crate::request::required;
