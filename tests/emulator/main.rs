//! The client against the in-process emulator over real HTTP on loopback.

mod support;

mod addressing;
mod anonymous;
mod bucket_config;
mod buckets;
mod callback_server;
mod callbacks;
mod cname_styles;
mod construction;
mod duplicate_names;
mod encryption;
mod error_answers;
mod fc_access_points;
mod helpers;
mod invalid_input;
mod keys;
mod listing;
mod multipart;
mod object_api;
mod objects;
mod options;
mod pagination;
mod post_object;
mod processing;
mod python_cross_check;
mod python_support;
mod ranges_and_conditions;
mod regions;
mod restore;
mod select;
mod signatures;
mod transfer;
mod versioning;
mod worm;
mod worm_python;
