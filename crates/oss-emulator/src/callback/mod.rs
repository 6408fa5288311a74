//! Upload callbacks (OSS API reference "Callback"): the `x-oss-callback` and
//! `x-oss-callback-var` headers of PutObject and CompleteMultipartUpload, the body OSS builds
//! from them, and the signed POST to the application's server.
//!
//! The emulator calls loopback URLs only (`127.0.0.1`, `::1`, `localhost`); a callback to any
//! other host is refused with 400 `InvalidArgument` before anything is stored. It signs the
//! POST as OSS does, with its own RSA key (a test key, committed beside this file), whose
//! public half it serves at [`PUBLIC_KEY_PATH`].

mod signer;
mod spec;

pub(crate) use signer::{PUBLIC_KEY_PATH, call, public_key_pem};
pub(crate) use spec::{CallbackSpec, ObjectFacts};
