//! What one emulator instance shares between its connections.

use std::sync::{Arc, RwLock};

use oss_auth::clock::SharedClock;

use crate::keys::KeyStore;
use crate::store::Store;

/// Shared server state (behind an `Arc`).
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) store: Store,
    /// Shared with the credential fakes, which add and revoke keys at run time.
    pub(crate) keys: Arc<RwLock<KeyStore>>,
    pub(crate) region: String,
    pub(crate) max_object_size: u64,
    /// Owner ID and DisplayName in listings.
    pub(crate) owner_id: String,
    /// The emulator's notion of now.
    pub(crate) clock: SharedClock,
}
