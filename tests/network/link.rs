//! A TCP relay on loopback between a client and a server that shapes each direction of each
//! connection: free, trickled, stalled after some bytes, or cut after some bytes. It records
//! every byte the client sent, so tests can read the requests that went through.
//!
//! Its pacing uses tokio's clock, so under `start_paused` a slow link takes no wall time.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// What one direction of a connection does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Every byte, as fast as it comes.
    Free,
    /// At most `bytes` per `every`.
    Trickle { bytes: usize, every: Duration },
    /// The first bytes, then nothing more (the connection stays open).
    StallAfter(usize),
    /// The first bytes, then the connection closes.
    CutAfter(usize),
}

/// The shapes of connection number `n` (from 0): (client to server, server to client).
type Plan = dyn Fn(usize) -> (Shape, Shape) + Send + Sync;

/// A running relay; dropped, it closes every connection.
pub(crate) struct Link {
    addr: SocketAddr,
    sent: Arc<Mutex<Vec<u8>>>,
    connections: Arc<Mutex<JoinSet<()>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Link {
    /// Relays connections to `target`, shaped by `plan`.
    pub(crate) async fn start(
        target: SocketAddr,
        plan: impl Fn(usize) -> (Shape, Shape) + Send + Sync + 'static,
    ) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sent = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(Mutex::new(JoinSet::new()));
        let plan: Arc<Plan> = Arc::new(plan);
        let accept = tokio::spawn({
            let sent = Arc::clone(&sent);
            let connections = Arc::clone(&connections);
            async move {
                for n in 0.. {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    let (up, down) = plan(n);
                    let relay = relay(client, target, up, down, Arc::clone(&sent));
                    connections.lock().unwrap().spawn(relay);
                }
            }
        });
        Link {
            addr,
            sent,
            connections,
            accept,
        }
    }

    /// `http://127.0.0.1:PORT`, the endpoint to give the client.
    pub(crate) fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything clients sent through the link so far, as text (bodies included, lossily).
    pub(crate) fn sent_text(&self) -> String {
        String::from_utf8_lossy(&self.sent.lock().unwrap()).into_owned()
    }

    /// Closes every open connection at once, as a server closing its idle connections does.
    pub(crate) fn close_connections(&self) {
        self.connections.lock().unwrap().abort_all();
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.accept.abort();
        self.close_connections();
    }
}

async fn relay(
    client: TcpStream,
    target: SocketAddr,
    up: Shape,
    down: Shape,
    sent: Arc<Mutex<Vec<u8>>>,
) {
    let server = TcpStream::connect(target).await.unwrap();
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // Each direction ends on its own; the connection closes when both have.
    tokio::join!(
        pump(client_read, server_write, up, Some(sent)),
        pump(server_read, client_write, down, None),
    );
}

/// Copies `from` into `to` as `shape` says, recording the bytes into `log`.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    shape: Shape,
    log: Option<Arc<Mutex<Vec<u8>>>>,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut moved = 0usize;
    loop {
        let room = match shape {
            Shape::Free => buffer.len(),
            Shape::Trickle { bytes, .. } => bytes.min(buffer.len()),
            Shape::StallAfter(limit) | Shape::CutAfter(limit) => (limit - moved).min(buffer.len()),
        };
        if room == 0 {
            if let Shape::StallAfter(_) = shape {
                // Both halves stay open and nothing moves: a stall, not an end.
                std::future::pending::<()>().await;
            }
            return; // CutAfter: dropping the halves closes the connection
        }
        let n = match from.read(&mut buffer[..room]).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return;
            }
            Ok(n) => n,
        };
        if let Some(log) = &log {
            log.lock().unwrap().extend_from_slice(&buffer[..n]);
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
        moved += n;
        if let Shape::Trickle { every, .. } = shape {
            tokio::time::sleep(every).await;
        }
    }
}
