//! Where providers read environment variables from: the process, or a fixed map in tests.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A source of environment variables.
///
/// [`Env::process`] reads the real process environment each time a variable is looked up (so a
/// provider sees changes made after it was built); [`Env::from_pairs`] is a fixed map for tests;
/// [`Env::from_fn`] asks a function.
#[derive(Clone, Default)]
pub struct Env(Source);

/// A function that looks a variable up.
type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

#[derive(Clone, Default)]
enum Source {
    #[default]
    Process,
    Fixed(Arc<HashMap<String, String>>),
    Function(Arc<Lookup>),
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self(Source::Process)
    }

    /// Variables looked up by a function on every read (for example a map a test changes
    /// between calls, or a secrets store).
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(Source::Function(Arc::new(lookup)))
    }

    /// A fixed set of variables; nothing else is visible.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self(Source::Fixed(Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )))
    }

    /// The value of `name`, or `None` when unset or not valid UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.0 {
            Source::Process => std::env::var(name).ok(),
            Source::Fixed(map) => map.get(name).cloned(),
            Source::Function(lookup) => lookup(name),
        }
    }

    /// The value of `name` when set and not empty.
    pub fn get_non_empty(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets: show only where they come from.
        match &self.0 {
            Source::Process => f.write_str("Env::process"),
            Source::Fixed(map) => write!(f, "Env::from_pairs({} variables)", map.len()),
            Source::Function(_) => f.write_str("Env::from_fn"),
        }
    }
}
