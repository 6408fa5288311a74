//! Typed operations. Each has a fluent request builder (obtained from a [`crate::Client`]
//! method) whose `send()` validates the input, sends one signed request and returns a typed
//! output.

pub mod acl;
pub mod append_object;
pub mod bucket;
pub mod bucket_access_monitor;
pub mod bucket_archive_direct_read;
pub mod bucket_config;
pub mod bucket_cors;
pub mod bucket_encryption;
pub mod bucket_https_config;
pub mod bucket_info;
pub mod bucket_lifecycle;
pub mod bucket_logging;
pub mod bucket_policy;
pub mod bucket_public_access_block;
pub mod bucket_referer;
pub mod bucket_request_payment;
pub mod bucket_resource_group;
pub mod bucket_tags;
pub mod bucket_transfer_acceleration;
pub mod bucket_website;
pub mod bucket_worm;
pub mod callback;
pub mod cloud_box;
pub mod cname;
pub mod copy_object;
pub mod data_redundancy_transition;
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
pub mod object_fc_access_point;
pub mod object_fc_access_point_config;
pub(crate) mod object_headers;
pub mod object_meta;
pub mod object_options;
pub mod object_process_model;
pub mod object_properties;
pub mod object_tagging;
pub mod object_worm;
pub mod post_policy;
pub mod presign;
pub mod process_object;
pub mod put_object;
pub mod restore_object;
pub mod seal_append_object;
pub mod select_object;
pub mod style;
pub mod symlink;
#[cfg(test)]
mod test_support;
pub mod versioning;
pub mod write_get_object_response;

pub(crate) use crate::request::required;
