//! Chaos and load: batches under injected faults, a skewed server clock and expiring STS
//! credentials; the emulator killed with `kill -9` mid-batch and restarted on its data
//! directory; 256 tasks sharing one client for a sustained period. Sizes are scaled by
//! `CHAOS_OBJECTS` (default 2000) and `CHAOS_SOAK_SECS` (default 60).

mod batch;
mod crash;
mod range_retries;
mod soak;
mod support;
