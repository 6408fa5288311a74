//! Operation handlers: one module per resource level (service, bucket, object) and one per
//! feature area (regions, multipart, copy, append, seal, delete-multiple, ACL, tagging, symlink, restore,
//! versioning, bucket info, select, Object FC access points); [`dispatch`](dispatch::dispatch) maps a routed operation to
//! its handler.
//!
//! Handlers sit below the server and above the state: they import [`crate::state`],
//! [`crate::store`] and the shared helpers, never the server. The re-exports below are what
//! every handler imports with `use super::{…}`: the request context and its checks
//! ([`ctx`]), the write headers ([`write_headers`]), the object lookup ([`lookup`]) and the
//! HTTP helpers defined below the handlers ([`crate::http_util`], [`crate::hex`]).

pub(crate) mod access_point;
pub(crate) mod access_point_documents;
pub(crate) mod access_point_lookup;
pub(crate) mod account_public_access;
pub(crate) mod acl;
pub(crate) mod append;
pub(crate) mod bucket;
pub(crate) mod bucket_config;
pub(crate) mod bucket_info;
pub(crate) mod bucket_inventory;
pub(crate) mod bucket_replication;
pub(crate) mod bucket_worm;
pub(crate) mod callback;
pub(crate) mod cloud_box;
pub(crate) mod cname;
pub(crate) mod copy;
pub(crate) mod cors;
pub(crate) mod crc64;
pub(crate) mod ctx;
pub(crate) mod delete_multiple;
pub(crate) mod dispatch;
pub(crate) mod encryption;
pub(crate) mod fc_access_point;
pub(crate) mod lifecycle_expiry;
pub(crate) mod lookup;
pub(crate) mod meta_query;
pub(crate) mod meta_query_search;
pub(crate) mod multipart;
pub(crate) mod object;
pub(crate) mod object_worm;
pub(crate) mod policy_status;
pub(crate) mod post_object;
pub(crate) mod process;
pub(crate) mod receive;
pub(crate) mod records;
pub(crate) mod redundancy_transition;
pub(crate) mod referer_check;
pub(crate) mod regions;
pub(crate) mod requester_pays;
pub(crate) mod restore;
pub(crate) mod seal;
pub(crate) mod select;
pub(crate) mod select_request;
pub(crate) mod service;
pub(crate) mod style;
pub(crate) mod symlink;
pub(crate) mod tagging;
pub(crate) mod traffic_limit;
pub(crate) mod versioning;
pub(crate) mod website;
pub(crate) mod website_routing;
pub(crate) mod worm;
pub(crate) mod write_get_object_response;
pub(crate) mod write_headers;
pub(crate) mod xml_body;

pub(crate) use crate::hex::{quoted_hex, upper_hex};
pub(crate) use crate::http_util::{Resp, empty, hv, read_body, set_version_id, xml_response};
pub(crate) use ctx::{Ctx, check_content_md5, header_true, require_content_length, url_encoding};
pub(crate) use write_headers::WriteHeaders;
pub(crate) use xml_body::MAX_XML_BODY;
