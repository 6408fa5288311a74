//! `--include` / `--exclude`: globs (globset) matched against paths relative to a tree's root,
//! `/`-separated. An excluded path is skipped even when included; with no `--include`
//! everything not excluded is selected.

use globset::{Candidate, Glob, GlobSet, GlobSetBuilder};

use crate::args::FilterArgs;
use crate::error::CliError;

/// The compiled filters.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    /// Compiles the globs; a malformed one is a usage error.
    pub(crate) fn new(args: &FilterArgs) -> Result<Self, CliError> {
        let include = if args.include.is_empty() {
            None
        } else {
            Some(compile(&args.include)?)
        };
        Ok(Self {
            include,
            exclude: compile(&args.exclude)?,
        })
    }

    /// Whether `relative` is selected.
    pub(crate) fn selects(&self, relative: &str) -> bool {
        if self.include.is_none() && self.exclude.is_empty() {
            // No globs: nothing to prepare (a candidate is a few allocations per path).
            return true;
        }
        let candidate = Candidate::new(relative);
        !self.exclude.is_match_candidate(&candidate)
            && self
                .include
                .as_ref()
                .is_none_or(|set| set.is_match_candidate(&candidate))
    }
}

fn compile(globs: &[String]) -> Result<GlobSet, CliError> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = Glob::new(glob).map_err(|e| CliError::usage(format!("glob {glob:?}: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| CliError::usage(format!("globs: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(include: &[&str], exclude: &[&str]) -> Filter {
        Filter::new(&FilterArgs {
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
        })
        .unwrap()
    }

    #[test]
    fn exclude_wins_over_include() {
        let f = filter(&["**/*.jpg", "*.jpg"], &["tmp/**"]);
        assert!(f.selects("a.jpg"));
        assert!(f.selects("x/y/a.jpg"));
        assert!(!f.selects("a.png"));
        assert!(!f.selects("tmp/a.jpg"));
        assert!(filter(&[], &[]).selects("anything/at all"));
        assert!(
            Filter::new(&FilterArgs {
                include: vec!["[".into()],
                exclude: vec![]
            })
            .is_err()
        );
    }
}
