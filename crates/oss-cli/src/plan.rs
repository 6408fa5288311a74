//! What a tree copy does for each relative path: the action between a source root and a
//! destination root (a directory or an `oss://bucket/prefix`).

use crate::error::CliError;
use crate::location::Location;
use crate::transfer::{Action, Task};
use crate::tree::local_path;

/// Refuses local -> local (not this tool's job), before any request.
pub(crate) fn check_roots(source: &Location, destination: &Location) -> Result<(), CliError> {
    match (source, destination) {
        (Location::Local(_), Location::Local(_)) => Err(CliError::usage(
            "both paths are local: one of them must be oss://bucket/...",
        )),
        _ => Ok(()),
    }
}

/// The task that brings `relative` (of `size` bytes) from the source tree to the destination
/// tree. A key that cannot be a local file name is an error for that object only.
pub(crate) fn tree_task(
    source: &Location,
    destination: &Location,
    relative: &str,
    size: u64,
) -> Result<Task, String> {
    let action = match (source, destination) {
        (Location::Local(root), Location::Remote(to)) => Action::Upload {
            from: local_path(root, relative)?,
            to: to.child(relative),
        },
        (Location::Remote(from), Location::Local(root)) if relative.ends_with('/') => {
            Action::MakeDir {
                from: from.child(relative),
                to: local_path(root, relative)?,
            }
        }
        (Location::Remote(from), Location::Local(root)) => Action::Download {
            from: from.child(relative),
            to: local_path(root, relative)?,
        },
        (Location::Remote(from), Location::Remote(to)) => Action::Copy {
            from: from.child(relative),
            to: to.child(relative),
        },
        (Location::Local(_), Location::Local(_)) => {
            return Err("local -> local is not supported".to_owned());
        }
    };
    Ok(Task {
        action,
        size,
        contents: None,
    })
}
