//! Objects as files: a seekable reader ([`ReadOnlyFile`], the official Go v2 SDK's
//! `OpenFile`) and an append-only writer ([`AppendOnlyFile`], Go v2's `AppendFile`), for code
//! written against tokio's `AsyncRead`/`AsyncSeek`/`AsyncWrite`.

mod append_only_file;
mod read_only_file;

pub use append_only_file::{AppendFileRequest, AppendOnlyFile};
pub use read_only_file::{OpenFileRequest, ReadOnlyFile};
