//! Pagination: `Pages`, a stream of every page of a list, and `Items`, a
//! stream of every item on them, for each style an API pages in (page
//! numbers, offsets, cursors, next links in the body or a `Link` header).
//! The generated code says how to ask for the next page; the walk itself
//! (bounds, repeats, order) is here.
#![cfg(not(omit = "pages"))]

use super::{ApiResponse, CallFailure, Error, ErrorContext, Failure};
use std::collections::HashSet;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

#[cfg(not(omit = "page_number_narrow"))]
/// A page number of a page stream as the page parameter's type; a page
/// beyond that type's range fails the request (and so ends the stream).
pub(crate) fn page_number<T: TryFrom<i64>>(operation: &'static str, page: i64) -> Result<T, CallFailure> {
    T::try_from(page).map_err(|_| CallFailure {
        failure: Failure::InvalidRequest(format!("page {page} is beyond the range of the page parameter")),
        context: ErrorContext::new(operation),
    })
}

/// What asks for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Next {
    #[cfg(not(omit = "page_numbers"))]
    /// A page number or an offset, for the page parameter.
    Number(i64),
    #[cfg(not(omit = "page_cursor"))]
    /// A cursor (a token, or the last item's id), for the cursor parameter.
    Cursor(String),
    #[cfg(not(omit = "page_url"))]
    /// A URL the server gave (in the body or a `Link` header), resolved.
    Url(String),
}

impl Next {
    fn wrong(operation: &'static str) -> CallFailure {
        CallFailure {
            failure: Failure::InvalidRequest("a page token of the wrong kind (a bug in the generated code)".into()),
            context: ErrorContext::new(operation),
        }
    }

    #[cfg(not(omit = "page_numbers"))]
    pub(crate) fn number(self, operation: &'static str) -> Result<i64, CallFailure> {
        match self {
            Next::Number(number) => Some(number),
            #[cfg(any(not(omit = "page_cursor"), not(omit = "page_url")))]
            _ => None,
        }
        .ok_or_else(|| Self::wrong(operation))
    }

    #[cfg(not(omit = "page_cursor"))]
    pub(crate) fn cursor(self, operation: &'static str) -> Result<String, CallFailure> {
        match self {
            Next::Cursor(cursor) => Some(cursor),
            #[cfg(any(not(omit = "page_numbers"), not(omit = "page_url")))]
            _ => None,
        }
        .ok_or_else(|| Self::wrong(operation))
    }

    #[cfg(not(omit = "page_url"))]
    pub(crate) fn url(self, operation: &'static str) -> Result<String, CallFailure> {
        match self {
            Next::Url(url) => Some(url),
            #[cfg(any(not(omit = "page_numbers"), not(omit = "page_cursor")))]
            _ => None,
        }
        .ok_or_else(|| Self::wrong(operation))
    }
}

#[cfg(not(omit = "page_link"))]
/// The next page by the URL in a `Link: <…>; rel="next"` header (RFC
/// 8288), resolved against the URL the page came from.
pub(crate) fn link_next<B>(response: &ApiResponse<B>) -> Option<Next> {
    let next = response.headers().get_all(reqwest::header::LINK).iter().find_map(|value| {
        let text = value.to_str().ok()?;
        text.split(',').find_map(|link| {
            let (target, params) = link.trim().split_once('>')?;
            let target = target.trim().strip_prefix('<')?;
            let is_next = params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else { return false };
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.to_string())
        })
    })?;
    url_next(response, Some(next.as_str()))
}

#[cfg(not(omit = "page_url"))]
/// The next page by a URL the body gave (`next`, `@odata.nextLink`…),
/// resolved against the URL the page came from; none when it is absent or
/// empty.
pub(crate) fn url_next<B>(response: &ApiResponse<B>, link: Option<&str>) -> Option<Next> {
    let link = link.map(str::trim).filter(|link| !link.is_empty())?;
    let resolved = match response.url() {
        Some(base) => base.join(link).ok()?,
        None => reqwest::Url::parse(link).ok()?,
    };
    Some(Next::Url(resolved.to_string()))
}

/// One page as the generated code read it.
pub(crate) struct Fetched<P> {
    pub(crate) page: P,
    pub(crate) next: Option<Next>,
    /// The number of items on the page.
    pub(crate) items: usize,
    /// The number of items of the whole list, where the server says it.
    pub(crate) total: Option<u64>,
    /// The body's hash: a server that sends the same page again is stuck.
    pub(crate) fingerprint: u64,
}

impl<B> Fetched<ApiResponse<B>> {
    pub(crate) fn of(page: ApiResponse<B>, items: usize, next: Option<Next>) -> Self {
        let mut hasher = fixed_hasher();
        page.raw_body().hash(&mut hasher);
        let fingerprint = hasher.finish();
        Self { page, next, items, total: None, fingerprint }
    }

    #[cfg(not(omit = "page_total"))]
    /// The same page, with the list's total where the body states one.
    pub(crate) fn with_total<N: Into<i64>>(mut self, total: Option<N>) -> Self {
        self.total = total.and_then(|total| u64::try_from(total.into()).ok());
        self
    }
}

/// A hasher with fixed keys, so hashes made apart compare.
fn fixed_hasher() -> DefaultHasher {
    DefaultHasher::new()
}

type PageFuture<P, E> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Fetched<P>, Error<E>>> + Send>>;

/// Every page of a paginated list, as a stream of whole responses (for
/// totals and headers beside the items): pages are fetched one at a time
/// as the stream is polled, from the page the request asks for, until the
/// server says there is no next one. It stops with an error when the
/// server repeats itself (the same page, cursor or URL again), and after
/// [`max_pages`](Self::max_pages) pages if set; the first error ends it
/// after it is yielded. It owns its request, so it can be moved into a
/// spawned task.
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<P, E> {
    operation: &'static str,
    fetch: Box<dyn FnMut(Option<Next>) -> PageFuture<P, E> + Send>,
    pending: Option<PageFuture<P, E>>,
    /// What asks for the next page: `Some(None)` for the first.
    next: Option<Option<Next>>,
    /// The tokens asked for, hashed.
    asked: HashSet<u64>,
    last_fingerprint: Option<u64>,
    pages: usize,
    items: u64,
    max_pages: Option<usize>,
    /// An error found after a page, yielded after it.
    failed: Option<Error<E>>,
    /// The first page number is only the parameter's `minimum`: a server
    /// that counts from one more answers the first two numbers alike, and
    /// that one repeat is skipped, not an error.
    ambiguous_start: bool,
}

/// Where the walk goes after a page.
struct Step {
    next: Option<Next>,
    /// The page repeats the first (see `ambiguous_start`): not yielded.
    skip: bool,
}

impl<P, E> Pages<P, E> {
    pub(crate) fn new(
        operation: &'static str,
        fetch: impl FnMut(Option<Next>) -> PageFuture<P, E> + Send + 'static,
    ) -> Self {
        Self {
            operation,
            fetch: Box::new(fetch),
            pending: None,
            next: Some(None),
            asked: HashSet::new(),
            last_fingerprint: None,
            pages: 0,
            items: 0,
            max_pages: None,
            failed: None,
            ambiguous_start: false,
        }
    }

    #[cfg(not(omit = "page_ambiguous_start"))]
    /// Pages are numbered from the parameter's `minimum`, which may be one
    /// below the server's first page (the document cannot say which).
    pub(crate) fn with_ambiguous_start(mut self) -> Self {
        self.ambiguous_start = true;
        self
    }

    /// Ends the stream after `pages` pages (0 for none).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    fn stuck(&self, what: &str) -> Error<E> {
        let message = format!("pagination stopped: the server sent {what} again, so the list would never end");
        Error::Pagination { message, context: Box::new(ErrorContext::new(self.operation)) }
    }

    /// Where the walk goes after `fetched`: its next token, or the end; an
    /// error when the server is stuck, with whether the page itself is new
    /// (a repeated page is not yielded again).
    fn advance(&mut self, fetched: &Fetched<P>) -> Result<Step, (Error<E>, bool)> {
        self.pages += 1;
        let repeated = fetched.items > 0 && self.last_fingerprint == Some(fetched.fingerprint);
        // The second page answering as the first: the server counts from
        // one more than the document's minimum.
        let skip = repeated && self.ambiguous_start && self.pages == 2;
        if repeated && !skip {
            return Err((self.stuck("the same page"), false));
        }
        if !skip {
            self.items = self.items.saturating_add(fetched.items as u64);
        }
        self.last_fingerprint = Some(fetched.fingerprint);
        let Some(next) = fetched.next.clone() else { return Ok(Step { next: None, skip }) };
        if fetched.total.is_some_and(|total| self.items >= total) {
            return Ok(Step { next: None, skip });
        }
        let mut hasher = fixed_hasher();
        next.hash(&mut hasher);
        if !self.asked.insert(hasher.finish()) {
            let what = match next {
                #[cfg(not(omit = "page_numbers"))]
                Next::Number(_) => "a page number it had sent",
                #[cfg(not(omit = "page_cursor"))]
                Next::Cursor(_) => "a cursor it had sent",
                #[cfg(not(omit = "page_url"))]
                Next::Url(_) => "a next-page link it had sent",
            };
            return Err((self.stuck(what), true));
        }
        Ok(Step { next: Some(next), skip })
    }
}

// Nothing in `Pages` is pinned structurally: its futures are boxed.
impl<P, E> Unpin for Pages<P, E> {}

impl<P, E> fmt::Debug for Pages<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<P, E> futures_core::Stream for Pages<P, E> {
    type Item = Result<P, Error<E>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        if let Some(future) = &mut this.pending {
            let outcome = match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(outcome) => outcome,
            };
            this.pending = None;
            return Poll::Ready(Some(match outcome {
                Ok(fetched) => match this.advance(&fetched) {
                    Ok(Step { next, skip: true }) => {
                        this.next = next.map(Some);
                        return std::pin::Pin::new(this).poll_next(cx);
                    }
                    Ok(Step { next, skip: false }) => {
                        this.next = next.map(Some);
                        Ok(fetched.page)
                    }
                    // A new page whose next token was seen: the page, then
                    // the error.
                    Err((err, true)) => {
                        (this.next, this.failed) = (None, Some(err));
                        Ok(fetched.page)
                    }
                    Err((err, false)) => {
                        this.next = None;
                        Err(err)
                    }
                },
                Err(err) => {
                    this.next = None;
                    Err(err)
                }
            }));
        }
        if let Some(err) = this.failed.take() {
            return Poll::Ready(Some(Err(err)));
        }
        if this.max_pages.is_some_and(|max| this.pages >= max) {
            return Poll::Ready(None);
        }
        match this.next.take() {
            Some(next) => {
                this.pending = Some((this.fetch)(next));
                std::pin::Pin::new(this).poll_next(cx)
            }
            None => Poll::Ready(None),
        }
    }
}

/// The items of each page, page by page, boxed.
type PageItemsStream<T, E> = std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Vec<T>, Error<E>>> + Send>>;

/// Every item of every page of a paginated list, as a stream (see
/// [`Pages`], which it reads): it ends where the pages end, after
/// [`max_items`](Self::max_items) items if set, and with an error where
/// they do.
#[must_use = "a stream does nothing unless polled"]
pub struct Items<T, E> {
    pages: PageItemsStream<T, E>,
    buffer: std::collections::VecDeque<T>,
    yielded: usize,
    max_items: Option<usize>,
    done: bool,
}

impl<T, E> Items<T, E> {
    pub(crate) fn new<P: 'static>(pages: Pages<P, E>, items: fn(P) -> Vec<T>) -> Self
    where
        T: 'static,
        E: Send + 'static,
    {
        Self {
            pages: Box::pin(PageItems { pages, items }),
            buffer: Default::default(),
            yielded: 0,
            max_items: None,
            done: false,
        }
    }

    /// Ends the stream after `items` items.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = Some(items);
        self
    }
}

impl<T, E> Unpin for Items<T, E> {}

impl<T, E> fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .field("yielded", &self.yielded)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T, E> futures_core::Stream for Items<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            if this.max_items.is_some_and(|max| this.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.pages.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.done = true,
                Poll::Ready(Some(Ok(items))) => this.buffer.extend(items),
                Poll::Ready(Some(Err(err))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(err)));
                }
            }
        }
    }
}

/// The pages' items, page by page.
struct PageItems<P, T, E> {
    pages: Pages<P, E>,
    items: fn(P) -> Vec<T>,
}

impl<P, T, E> Unpin for PageItems<P, T, E> {}

impl<P, T, E> futures_core::Stream for PageItems<P, T, E> {
    type Item = Result<Vec<T>, Error<E>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        std::pin::Pin::new(&mut this.pages).poll_next(cx).map(|page| page.map(|page| page.map(this.items)))
    }
}
