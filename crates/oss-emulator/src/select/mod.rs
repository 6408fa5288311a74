//! SelectObject and CreateSelectObjectMeta: the SQL subset ([`sql`]), its evaluation
//! ([`eval`]), reading CSV and JSON records ([`input`]), writing output records ([`output`])
//! and OSS's frames ([`frames`], grouped as OSS sends them by [`framed_output`]). Pure functions over bytes: the handler
//! (`handlers::select`) reads the object and the request.

pub(crate) mod eval;
pub(crate) mod framed_output;
pub(crate) mod frames;
pub(crate) mod input;
pub(crate) mod options;
pub(crate) mod output;
pub(crate) mod sql;
