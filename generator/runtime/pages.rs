//! Pagination: `Pages`, the stream of every item of a paginated list.

use super::{CallFailure, Error, ErrorContext, Failure};
use std::fmt;

/// A page number of [`Pages`] as the page parameter's type; a page beyond
/// that type's range fails the request (and so ends the stream).
pub(crate) fn page_number<T: TryFrom<i64>>(operation: &'static str, page: i64) -> Result<T, CallFailure> {
    T::try_from(page).map_err(|_| CallFailure {
        failure: Failure::InvalidRequest(format!("page {page} is beyond the range of the page parameter")),
        context: ErrorContext::new(operation),
    })
}

/// A page of items and whether the server says there is another.
type PageFuture<T, E> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(Vec<T>, bool), Error<E>>> + Send>>;

/// Every item of a paginated list: pages are fetched one at a time as the
/// stream is polled, until the server says there is no next page; the first
/// error ends the stream after it is yielded. It owns its request, so it
/// can be moved into a spawned task.
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<T, E> {
    fetch: Box<dyn FnMut(i64) -> PageFuture<T, E> + Send>,
    pending: Option<(i64, PageFuture<T, E>)>,
    buffer: std::collections::VecDeque<T>,
    next_page: Option<i64>,
}

impl<T, E> Pages<T, E> {
    pub(crate) fn new(first_page: i64, fetch: impl FnMut(i64) -> PageFuture<T, E> + Send + 'static) -> Self {
        Self { fetch: Box::new(fetch), pending: None, buffer: Default::default(), next_page: Some(first_page) }
    }
}

// Nothing in `Pages` is pinned structurally: the futures are boxed and the
// items only move in and out of the queue.
impl<T, E> Unpin for Pages<T, E> {}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("buffered", &self.buffer.len()).field("next_page", &self.next_page).finish()
    }
}

impl<T, E> futures_core::Stream for Pages<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((page, future)) = &mut this.pending {
                let page = *page;
                let outcome = match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(outcome) => outcome,
                };
                this.pending = None;
                match outcome {
                    Ok((items, more)) => {
                        this.buffer.extend(items);
                        this.next_page = if more { page.checked_add(1) } else { None };
                    }
                    Err(err) => {
                        this.next_page = None;
                        return Poll::Ready(Some(Err(err)));
                    }
                }
                continue;
            }
            match this.next_page.take() {
                Some(page) => this.pending = Some((page, (this.fetch)(page))),
                None => return Poll::Ready(None),
            }
        }
    }
}
