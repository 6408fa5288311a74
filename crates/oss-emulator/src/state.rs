//! What one emulator instance shares between its connections.

use crate::keys::KeyStore;
use crate::store::Store;

/// Shared server state (behind an `Arc`).
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) keys: KeyStore,
    pub(crate) region: String,
    pub(crate) max_object_size: u64,
    /// Owner ID and DisplayName in listings.
    pub(crate) owner_id: String,
}
