//! At most N connections open to one host at once: a connector that takes a permit of the
//! host's semaphore before connecting and keeps it inside the connection until the connection
//! closes. A request that finds no idle connection and no free permit waits for one of the
//! host's connections to come back to the pool (or to close).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::{Connected, Connection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower_service::Service;

use crate::body::BoxError;

/// A connector limited to `per_host` open connections per `host:port` (unlimited when `None`).
#[derive(Clone)]
pub(crate) struct LimitedConnector<C> {
    inner: C,
    limits: Option<Arc<HostLimits>>,
}

/// One semaphore per `host:port`.
struct HostLimits {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostLimits {
    fn semaphore(&self, uri: &Uri) -> Arc<Semaphore> {
        let host = uri.authority().map_or("", |a| a.as_str()).to_owned();
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            hosts
                .entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
        )
    }
}

impl<C> LimitedConnector<C> {
    pub(crate) fn new(inner: C, per_host: Option<usize>) -> Self {
        Self {
            inner,
            limits: per_host.map(|per_host| {
                Arc::new(HostLimits {
                    per_host,
                    hosts: Mutex::default(),
                })
            }),
        }
    }
}

impl<C> Service<Uri> for LimitedConnector<C>
where
    C: Service<Uri> + Clone + Send + 'static,
    C::Future: Send,
    C::Error: Into<BoxError>,
{
    type Response = Limited<C::Response>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        // The connector that was polled ready makes the call; a clone takes its place.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let semaphore = self.limits.as_ref().map(|limits| limits.semaphore(&uri));
        Box::pin(async move {
            let permit = match semaphore {
                Some(semaphore) => Some(semaphore.acquire_owned().await.map_err(BoxError::from)?),
                None => None,
            };
            let io = inner.call(uri).await.map_err(Into::into)?;
            Ok(Limited {
                io,
                _permit: permit,
            })
        })
    }
}

pin_project_lite::pin_project! {
    /// A connection holding its host's permit until it is dropped.
    pub(crate) struct Limited<T> {
        #[pin]
        io: T,
        _permit: Option<OwnedSemaphorePermit>,
    }
}

impl<T: Read> Read for Limited<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        self.project().io.poll_read(cx, buf)
    }
}

impl<T: Write> Write for Limited<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.project().io.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().io.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().io.poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.project().io.poll_write_vectored(cx, bufs)
    }
}

impl<T: Connection> Connection for Limited<T> {
    fn connected(&self) -> Connected {
        self.io.connected()
    }
}
