//! A stream of pages driven by continuation tokens.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;

use crate::error::Error;

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<(T, Option<String>), Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(Option<String>) -> PageFuture<T> + Send>;

/// An async stream of result pages. Each page is fetched when the previous one has been taken;
/// the stream ends after the last page, after an error, or (with an error) when OSS repeats a
/// continuation token, which would otherwise loop forever.
pub struct Paginator<T> {
    fetch: Fetch<T>,
    next_token: Option<Option<String>>,
    seen: Option<String>,
    in_flight: Option<PageFuture<T>>,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field(
                "done",
                &(self.next_token.is_none() && self.in_flight.is_none()),
            )
            .finish()
    }
}

impl<T: 'static> Paginator<T> {
    pub(crate) fn new<F, Fut>(first_token: Option<String>, mut fetch: F) -> Self
    where
        F: FnMut(Option<String>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(T, Option<String>), Error>> + Send + 'static,
    {
        Self {
            fetch: Box::new(move |token| Box::pin(fetch(token))),
            next_token: Some(first_token),
            seen: None,
            in_flight: None,
        }
    }
}

impl<T: 'static> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(token) = this.next_token.take() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some((this.fetch)(token));
        }
        let Some(fut) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match fut.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        match result {
            Err(e) => Poll::Ready(Some(Err(e))),
            Ok((page, None)) => Poll::Ready(Some(Ok(page))),
            Ok((page, Some(token))) => {
                if this.seen.as_deref() == Some(token.as_str()) {
                    return Poll::Ready(Some(Err(Error::invalid_response(
                        "OSS repeated a continuation token; stopping the listing",
                    ))));
                }
                this.seen = Some(token.clone());
                this.next_token = Some(Some(token));
                Poll::Ready(Some(Ok(page)))
            }
        }
    }
}

/// A listing that continues from a key marker and a second marker (an upload id or a version
/// id): ListMultipartUploads and ListObjectVersions. [`paginate_by_markers`] pages through it.
pub(crate) trait MarkerListing: Clone + Send + 'static {
    /// One page.
    type Page: Send + 'static;
    /// The markers the first page starts after.
    fn markers(&self) -> (Option<&str>, Option<&str>);
    /// Sets the markers the next page starts after.
    fn set_markers(&mut self, key: String, second: Option<String>);
    /// The markers after `page`, if the listing is truncated there.
    fn next_markers(page: &Self::Page) -> Option<(&str, Option<&str>)>;
    /// Fetches one page.
    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
}

/// Every page of `listing`, the two markers carried between pages as one token.
pub(crate) fn paginate_by_markers<L: MarkerListing>(listing: L) -> Paginator<L::Page> {
    let (key, second) = listing.markers();
    let first = key.map(|key| join_markers(key, second));
    Paginator::new(first, move |token| {
        let mut page = listing.clone();
        if let Some(token) = token {
            let (key, second) = split_markers(&token);
            page.set_markers(key, second);
        }
        async move {
            let output = page.fetch_page().await?;
            let next = L::next_markers(&output).map(|(key, second)| join_markers(key, second));
            Ok((output, next))
        }
    })
}

/// One continuation token from the two markers of ListMultipartUploads or
/// ListObjectVersions (a key marker and an upload or version id marker).
fn join_markers(key: &str, second: Option<&str>) -> String {
    format!("{key}\n{}", second.unwrap_or_default())
}

/// The two markers of a token made by [`join_markers`].
fn split_markers(token: &str) -> (String, Option<String>) {
    let (key, second) = token.split_once('\n').unwrap_or((token, ""));
    (
        key.to_owned(),
        (!second.is_empty()).then(|| second.to_owned()),
    )
}
