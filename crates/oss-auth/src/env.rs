//! Where providers read environment variables from: the process, or a fixed map in tests.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A source of environment variables.
///
/// [`Env::process`] reads the real process environment each time a variable is looked up (so a
/// provider sees changes made after it was built); [`Env::from_pairs`] is a fixed map for tests.
#[derive(Clone, Default)]
pub struct Env(Option<Arc<HashMap<String, String>>>);

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self(None)
    }

    /// A fixed set of variables; nothing else is visible.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self(Some(Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )))
    }

    /// The value of `name`, or `None` when unset or not valid UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.0 {
            None => std::env::var(name).ok(),
            Some(map) => map.get(name).cloned(),
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
            None => f.write_str("Env::process"),
            Some(map) => write!(f, "Env::from_pairs({} variables)", map.len()),
        }
    }
}
