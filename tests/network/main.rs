//! The client on links that are not perfect: slow, stalled, cut and closed connections
//! between the client and the in-process emulator (through a shaping relay on loopback), and
//! answers that proxies and gateways send. Time-limit tests run on tokio's paused clock: a
//! slow link takes no wall time and no test waits on a wall-clock sleep.

mod link;
mod support;

mod chunked;
mod client_settings;
mod connections;
mod resume;
mod settle;
mod timeouts;
