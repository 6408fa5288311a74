//! One module per command (or per family of single-object commands).

pub(crate) mod bucket;
pub(crate) mod cp;
pub(crate) mod du;
pub(crate) mod ls;
pub(crate) mod object;
pub(crate) mod rm;
pub(crate) mod sync;
