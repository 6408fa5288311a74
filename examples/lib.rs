//! Runnable examples; see `quickstart.rs`. This library is empty.
