//! A stream of pages driven by the markers or continuation tokens OSS returns.
//!
//! The rules, the same for every listing:
//! * the next page starts exactly where the last one said, with the marker(s) or token as OSS
//!   sent them (URL-decoded when the listing is URL-encoded, then encoded again once in the
//!   next request's query): two markers travel as two values, never joined into one text;
//! * a marker is never made up: a page that is truncated but names no next marker (or token)
//!   is handed out, and then the stream ends with [`ErrorKind::InvalidResponse`] instead of
//!   guessing (taking the last key, say, which with a delimiter would list a common prefix
//!   twice);
//! * the stream ends with the same error when OSS repeats the marker it was just given, which
//!   would otherwise loop forever.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;

use crate::error::{Error, ErrorKind};

/// Where a page continues: the marker or token, and the second marker of the listings that
/// take two (an upload id or version id marker).
pub(crate) type Token = (String, Option<String>);

/// What a page says about the next one.
#[derive(Debug)]
pub(crate) enum Next {
    /// The listing is complete.
    End,
    /// The next page starts here.
    From(Token),
    /// The page is truncated but names no next marker; the element that was missing.
    Missing(&'static str),
}

impl Next {
    /// The next page of a listing truncated or not, from the marker `element` (and a second
    /// marker) as read. An empty marker counts as missing.
    pub(crate) fn after(
        is_truncated: bool,
        element: &'static str,
        marker: Option<&str>,
        second: Option<&str>,
    ) -> Self {
        if !is_truncated {
            return Self::End;
        }
        match marker.filter(|m| !m.is_empty()) {
            Some(marker) => Self::From((marker.to_owned(), second.map(str::to_owned))),
            None => Self::Missing(element),
        }
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<(T, Next), Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(Option<Token>) -> PageFuture<T> + Send>;

/// An async stream of result pages. Each page is fetched when the previous one has been taken;
/// the stream ends after the last page or after an error. A truncated page without a next
/// marker, or one that repeats the marker it was fetched with, ends the stream with
/// [`ErrorKind::InvalidResponse`] (the first is still handed out before the error): a marker
/// is never guessed.
pub struct Paginator<T> {
    operation: &'static str,
    fetch: Fetch<T>,
    next_token: Option<Option<Token>>,
    /// The token the page in flight (or the last page) was fetched with.
    current: Option<Token>,
    in_flight: Option<PageFuture<T>>,
    /// An error to hand out after the page that caused it.
    pending: Option<Error>,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field(
                "done",
                &(self.next_token.is_none() && self.in_flight.is_none() && self.pending.is_none()),
            )
            .finish()
    }
}

impl<T: 'static> Paginator<T> {
    /// Pages of `operation` (named in errors), the first fetched with `first_token`.
    pub(crate) fn new<F, Fut>(
        operation: &'static str,
        first_token: Option<Token>,
        mut fetch: F,
    ) -> Self
    where
        F: FnMut(Option<Token>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(T, Next), Error>> + Send + 'static,
    {
        Self {
            operation,
            fetch: Box::new(move |token| Box::pin(fetch(token))),
            next_token: Some(first_token),
            current: None,
            in_flight: None,
            pending: None,
        }
    }
}

impl<T: 'static> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(error) = this.pending.take() {
            return Poll::Ready(Some(Err(error)));
        }
        if this.in_flight.is_none() {
            let Some(token) = this.next_token.take() else {
                return Poll::Ready(None);
            };
            this.current.clone_from(&token);
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
            Ok((page, Next::End)) => Poll::Ready(Some(Ok(page))),
            Ok((page, Next::Missing(element))) => {
                this.pending = Some(Error::new(
                    ErrorKind::InvalidResponse,
                    format!(
                        "{} answered a truncated page without {element}; the listing stops \
                         here rather than guess where the next page starts",
                        this.operation
                    ),
                ));
                Poll::Ready(Some(Ok(page)))
            }
            Ok((page, Next::From(token))) => {
                if this.current.as_ref() == Some(&token) {
                    return Poll::Ready(Some(Err(Error::invalid_response(format!(
                        "{} repeated the marker its page was fetched with; stopping the listing",
                        this.operation
                    )))));
                }
                this.next_token = Some(Some(token));
                Poll::Ready(Some(Ok(page)))
            }
        }
    }
}

/// A listing that continues from markers: every paginated listing implements it, and
/// [`paginate`] pages through it.
pub(crate) trait PagedListing: Clone + Send + 'static {
    /// One page.
    type Page: Send + 'static;
    /// The operation, for errors.
    const OPERATION: &'static str;
    /// The markers the first page starts after, as the caller set them.
    fn start(&self) -> Option<Token>;
    /// Sets the markers the next page starts after.
    fn continue_from(&mut self, token: Token);
    /// What `page` says about the next one.
    fn next(page: &Self::Page) -> Next;
    /// Fetches one page.
    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
}

/// Every page of `listing`.
pub(crate) fn paginate<L: PagedListing>(listing: L) -> Paginator<L::Page> {
    Paginator::new(L::OPERATION, listing.start(), move |token| {
        let mut page = listing.clone();
        if let Some(token) = token {
            page.continue_from(token);
        }
        async move {
            let output = page.fetch_page().await?;
            let next = L::next(&output);
            Ok((output, next))
        }
    })
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt as _;

    use super::*;

    fn pages(script: Vec<(u32, Next)>) -> Paginator<u32> {
        let mut script = script.into_iter();
        Paginator::new("Test", None, move |_token| {
            let next = script.next();
            async move { next.ok_or_else(|| Error::invalid_argument("no more pages")) }
        })
    }

    fn token(marker: &str) -> Next {
        Next::From((marker.to_owned(), None))
    }

    #[tokio::test]
    async fn a_truncated_page_without_a_marker_is_handed_out_then_an_error() {
        let mut stream = pages(vec![(1, token("a")), (2, Next::Missing("NextMarker"))]);
        assert_eq!(stream.try_next().await.unwrap(), Some(1));
        assert_eq!(stream.try_next().await.unwrap(), Some(2));
        let error = stream.try_next().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse);
        assert!(error.to_string().contains("without NextMarker"), "{error}");
        assert!(stream.try_next().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_repeated_marker_is_an_error() {
        let stream = pages(vec![(1, token("a")), (2, token("a"))]);
        let error = stream.try_collect::<Vec<_>>().await.unwrap_err();
        assert!(error.to_string().contains("repeated"), "{error}");
        let all = pages(vec![(1, token("a")), (2, token("b")), (3, Next::End)]);
        assert_eq!(all.try_collect::<Vec<_>>().await.unwrap(), [1, 2, 3]);
    }

    #[test]
    fn next_follows_only_what_the_page_says() {
        assert!(matches!(
            Next::after(false, "M", Some("x"), None),
            Next::End
        ));
        assert!(matches!(
            Next::after(true, "M", None, None),
            Next::Missing("M")
        ));
        assert!(matches!(
            Next::after(true, "M", Some(""), None),
            Next::Missing("M")
        ));
        match Next::after(true, "M", Some("a\nb"), Some("v")) {
            Next::From((marker, second)) => {
                assert_eq!((marker.as_str(), second.as_deref()), ("a\nb", Some("v")));
            }
            other => panic!("{other:?}"),
        }
    }
}
