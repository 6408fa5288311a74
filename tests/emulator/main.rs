//! The client against the in-process emulator over real HTTP on loopback.

mod support;

mod buckets;
mod invalid_input;
mod keys;
mod listing;
mod objects;
mod ranges_and_conditions;
mod signatures;
