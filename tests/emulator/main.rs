//! The client against the in-process emulator over real HTTP on loopback.

mod support;

mod buckets;
mod callback_server;
mod callbacks;
mod duplicate_names;
mod error_answers;
mod invalid_input;
mod keys;
mod listing;
mod multipart;
mod object_api;
mod objects;
mod pagination;
mod post_object;
mod processing;
mod ranges_and_conditions;
mod signatures;
mod transfer;
mod versioning;
