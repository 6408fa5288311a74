//! The command's own error: what went wrong, and the exit code it maps to.

use std::fmt;

/// Exit code when every object was done.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code when at least one object failed (a summary of failures is printed).
pub(crate) const EXIT_FAILURES: u8 = 1;
/// Exit code for bad arguments or configuration, found before any request.
pub(crate) const EXIT_USAGE: u8 = 2;

/// A failure that ends a command.
#[derive(Debug)]
pub(crate) struct CliError {
    message: String,
    exit_code: u8,
}

impl CliError {
    /// Bad arguments or configuration (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            exit_code: EXIT_USAGE,
        }
    }

    /// A failed operation (exit code 1).
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            exit_code: EXIT_FAILURES,
        }
    }

    pub(crate) fn exit_code(&self) -> u8 {
        self.exit_code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<oss_client::Error> for CliError {
    fn from(e: oss_client::Error) -> Self {
        // Input errors are found before any I/O: a usage problem.
        let exit_code = if e.is_input_error() {
            EXIT_USAGE
        } else {
            EXIT_FAILURES
        };
        Self {
            message: e.to_string(),
            exit_code,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::failed(e.to_string())
    }
}
