//! One call of an operation: what the generated code describes (its
//! `Operation`, path, parameters and body), then sending it, with retries,
//! time limits and the rate limiter.
#![cfg(not(omit = "operations"))]

use super::{
    append_cookie, parse_header, retry_after, uuid_v4, Attempted, Body, CallFailure, Client, Core, ErrorContext,
    Failure, FetchError, HeaderList, RawResponse, Redactor,
};
#[cfg(not(omit = "credential_token"))]
use super::add_tokens;
use std::sync::Arc;
use std::time::Duration;

/// What the runtime needs to know about an operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The client method's name.
    pub(crate) name: &'static str,
    pub(crate) method: reqwest::Method,
    /// The path template, for traces.
    #[cfg(feature = "tracing")]
    pub(crate) path: &'static str,
    /// Sending it twice has the effect of sending it once, so a failure
    /// that may have reached the server can be retried.
    pub(crate) idempotent: bool,
    pub(crate) accept: &'static str,
    #[cfg(not(omit = "credentials"))]
    /// Its security requirements: alternatives, each the schemes (by
    /// index) whose credentials go together.
    pub(crate) security: &'static [&'static [usize]],
    /// The header that carries an idempotency key, when the API takes one
    /// for this operation: each call sends a fresh key (unless the caller
    /// gave one) and every retry of the call the same.
    pub(crate) idempotency_key: Option<&'static str>,
}

impl Operation {
    #[cfg(not(omit = "credentials"))]
    /// The schemes (by index) whose credentials a call sends: the first
    /// security alternative whose credentials are all set (an empty one,
    /// anonymous access, counts as set), else none.
    pub(crate) fn credentials_to_send(&self, core: &Core) -> &'static [usize] {
        let set = |i: &usize| matches!(core.credentials.get(*i), Some(Some(_)));
        self.security.iter().find(|together| together.iter().all(set)).copied().unwrap_or_default()
    }
}

/// Per-request settings that every request builder offers.
#[derive(Debug, Default, Clone)]
pub(crate) struct RequestOptions {
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_response_size: Option<usize>,
    headers: HeaderList,
    #[cfg(not(omit = "page_url"))]
    /// A page stream's next page, by the URL the server gave.
    next_url: Option<String>,
}

/// `.timeout()`, `.total_timeout()` and `.header()` on a request builder.
#[allow(unused_macros)]
macro_rules! request_options {
    ($request:ident) => {
        impl $request {
            /// A time limit for each attempt of this request, instead of the client's.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// A time limit for the whole call (attempts and waits), instead of the client's.
            pub fn total_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.set_total_timeout(timeout);
                self
            }

            /// The largest response body this request reads, in bytes, instead
            /// of the client's (a larger one fails the call; a streamed download
            /// has no limit).
            pub fn max_response_size(mut self, bytes: usize) -> Self {
                self.options.set_max_response_size(bytes);
                self
            }

            /// An extra header for this request; an invalid name or value fails the
            /// request. A credential header's value is redacted from errors.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.add_header(name.into(), value.into());
                self
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use request_options;

impl RequestOptions {
    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    pub(crate) fn set_total_timeout(&mut self, timeout: Duration) {
        self.total_timeout = Some(timeout);
    }

    pub(crate) fn set_max_response_size(&mut self, bytes: usize) {
        self.max_response_size = Some(bytes);
    }

    #[cfg(not(omit = "page_url"))]
    /// Sends the request to `url` (a next-page link) instead of its path
    /// and query: the link carries them. Only a URL on the client's origin
    /// is followed.
    pub(crate) fn set_next_url(&mut self, url: String) {
        self.next_url = Some(url);
    }

    pub(crate) fn add_header(&mut self, name: String, value: String) {
        self.headers.0.push((name, value));
    }
}

/// `.await` on a request builder sends it. (A spec without operations
/// does not use it.) It is invoked in `client.rs`, whose parent is the
/// client's root (the crate, or the module that includes the client), so
/// `super::ApiResult` names the root's re-export either way.
#[allow(unused_macros)]
macro_rules! into_future {
    ($request:ident, $success:ty, $error:ty) => {
        impl std::future::IntoFuture for $request {
            type Output = super::ApiResult<$success, $error>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use into_future;

/// A request being described by an operation's `send`: path, query,
/// headers and body. The first problem is kept and ends the call before
/// anything is sent.
pub(crate) struct Call {
    pub(crate) client: Client,
    pub(crate) operation: &'static Operation,
    pub(crate) options: RequestOptions,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) failure: Option<Failure>,
}

impl Call {
    /// Sends the call (retrying as the policy allows) and reads the response.
    pub(crate) async fn send(self) -> Result<RawResponse, CallFailure> {
        self.send_with(false).await
    }

    #[cfg(not(omit = "outcome_stream"))]
    /// Like [`Call::send`], but a successful response's body is left unread,
    /// to be streamed ([`RawResponse::stream`]).
    pub(crate) async fn send_streaming(self) -> Result<RawResponse, CallFailure> {
        self.send_with(true).await
    }

    async fn send_with(self, stream_success: bool) -> Result<RawResponse, CallFailure> {
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "request",
            operation = self.operation.name,
            method = %self.operation.method,
            path = self.operation.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let future = self.send_inner(stream_success);
        #[cfg(feature = "tracing")]
        let future = tracing::Instrument::instrument(future, span);
        future.await
    }

    async fn send_inner(self, stream_success: bool) -> Result<RawResponse, CallFailure> {
        let core = Arc::clone(&self.client.core);
        let operation = self.operation;
        let mut redactor = Arc::clone(&core.redactor);
        let prepared = match self.prepare(&core, &mut redactor) {
            Ok(prepared) => prepared,
            Err(failure) => {
                let failure = failure.redacted(&redactor);
                return Err(CallFailure { failure, context: ErrorContext::new(operation.name) });
            }
        };
        // Tokens are asked for only for a request that is well formed.
        #[cfg(not(omit = "credential_token"))]
        let prepared = match add_tokens(&core, operation, prepared.request, &mut redactor).await {
            Ok(request) => Prepared { request, ..prepared },
            Err(failure) => return Err(CallFailure { failure, context: ErrorContext::new(operation.name) }),
        };
        let Prepared { request, timeout, total, max_body } = prepared;
        let exchange = Exchange {
            core: &core,
            operation,
            redactor: &redactor,
            timeout,
            total,
            max_body,
            stream_success,
            attempts: Default::default(),
        };
        let Some(total) = total else { return exchange.run(request).await };
        match tokio::time::timeout(total, exchange.run(request)).await {
            Ok(outcome) => outcome,
            Err(_) => {
                let attempts = exchange.attempts.load(std::sync::atomic::Ordering::Relaxed);
                let context = ErrorContext::new(operation.name).with_attempts(attempts);
                Err(CallFailure { failure: Failure::Timeout(total), context })
            }
        }
    }

    /// The request of the first attempt, with its time limits; or the
    /// first problem found while describing it.
    fn prepare(
        self,
        core: &Core,
        redactor: &mut Arc<Redactor>,
    ) -> Result<Prepared, Failure> {
        let Call { client: _, operation, options, path, query, headers, cookies, body, failure } = self;
        if let Some(failure) = failure {
            return Err(failure);
        }
        #[cfg(not(omit = "page_url"))]
        let url = match &options.next_url {
            Some(next) => same_origin_link(&core.base_url, next)?,
            None => request_url(&core.base_url, &path, &query)?,
        };
        #[cfg(omit = "page_url")]
        let url = request_url(&core.base_url, &path, &query)?;
        let mut request = reqwest::Request::new(operation.method.clone(), url);
        let map = request.headers_mut();
        map.insert(reqwest::header::ACCEPT, reqwest::header::HeaderValue::from_static(operation.accept));
        let given = headers.iter().map(|(name, value)| (*name, value.as_str()));
        let extra = options.headers.0.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        for (name, value) in given.chain(extra) {
            let (name, value) = parse_header(name, value, Arc::make_mut(redactor)).map_err(Failure::InvalidRequest)?;
            map.insert(name, value);
        }
        for (name, value) in &core.default_headers {
            if !map.contains_key(name) {
                map.insert(name.clone(), value.clone());
            }
        }
        if !cookies.is_empty() {
            let text: Vec<String> = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
            append_cookie(map, &text.join("; ")).map_err(Failure::InvalidRequest)?;
        }
        if let Some(body) = body {
            // A content type the request sets itself (another media type
            // the operation accepts, say) wins.
            if !map.contains_key(reqwest::header::CONTENT_TYPE) {
                let content_type = reqwest::header::HeaderValue::from_str(&body.content_type)
                    .map_err(|_| Failure::InvalidRequest("the body's content type is not a valid header".into()))?;
                map.insert(reqwest::header::CONTENT_TYPE, content_type);
            }
            *request.body_mut() = Some(body.data.into_reqwest().map_err(Failure::InvalidRequest)?);
        }
        #[cfg(not(omit = "credentials"))]
        for index in operation.credentials_to_send(core) {
            if let Some(Some(credential)) = core.credentials.get(*index) {
                credential.apply(&mut request).map_err(Failure::InvalidRequest)?;
            }
        }
        // One key for the call, which every retry (a copy of this request)
        // sends again; a key the caller gave is kept.
        if let Some(name) = operation.idempotency_key {
            if !request.headers().contains_key(name) {
                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Failure::InvalidRequest(format!("`{name}` is not a valid header name")))?;
                let key = reqwest::header::HeaderValue::from_str(&uuid_v4())
                    .map_err(|_| Failure::InvalidRequest("an idempotency key is not a valid header".into()))?;
                request.headers_mut().insert(name, key);
            }
        }
        let timeout = options.timeout.or(core.timeout);
        let total = options.total_timeout.or(core.total_timeout);
        let max_body = options.max_response_size.unwrap_or(core.max_response_size);
        Ok(Prepared { request, timeout, total, max_body })
    }
}

/// The operation's URL: the path (parameters filled in) under the base
/// URL, with the query.
fn request_url(base_url: &str, path: &str, query: &[(String, String)]) -> Result<reqwest::Url, Failure> {
    let url = format!("{base_url}{path}");
    let mut url =
        reqwest::Url::parse(&url).map_err(|err| Failure::InvalidRequest(format!("`{url}` is not a valid URL: {err}")))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    }
    Ok(url)
}

#[cfg(not(omit = "page_url"))]
/// A next-page link the server gave, if it is on the client's origin
/// (scheme, host and port): the client's credentials go nowhere else.
fn same_origin_link(base_url: &str, link: &str) -> Result<reqwest::Url, Failure> {
    let url = reqwest::Url::parse(link)
        .map_err(|err| Failure::InvalidRequest(format!("the next-page link is not a valid URL: {err}")))?;
    let base = reqwest::Url::parse(base_url)
        .map_err(|err| Failure::InvalidRequest(format!("`{base_url}` is not a valid URL: {err}")))?;
    let origin =
        |u: &reqwest::Url| (u.scheme().to_string(), u.host_str().map(str::to_string), u.port_or_known_default());
    if origin(&url) != origin(&base) {
        let shown = url.host_str().unwrap_or("no host");
        return Err(Failure::InvalidRequest(format!(
            "refused to follow a next-page link to another origin ({}://{shown})",
            url.scheme()
        )));
    }
    Ok(url)
}

/// A described request, its time limits and its body size limit.
struct Prepared {
    request: reqwest::Request,
    /// Per attempt.
    timeout: Option<Duration>,
    /// For the whole call.
    total: Option<Duration>,
    /// The largest body read.
    max_body: usize,
}

/// The attempts of one call.
struct Exchange<'a> {
    core: &'a Core,
    operation: &'static Operation,
    redactor: &'a Arc<Redactor>,
    /// Per attempt.
    timeout: Option<Duration>,
    /// For the whole call.
    total: Option<Duration>,
    /// The largest body read.
    max_body: usize,
    /// Leave a successful response's body unread.
    stream_success: bool,
    /// Attempts started, read when the call's time limit cuts it short.
    attempts: std::sync::atomic::AtomicU32,
}

impl Exchange<'_> {
    async fn run(&self, request: reqwest::Request) -> Result<RawResponse, CallFailure> {
        let core = self.core;
        let policy = &core.retry;
        let idempotent = self.operation.idempotent || policy.retry_non_idempotent;
        let started = tokio::time::Instant::now();
        let mut context = ErrorContext::new(self.operation.name);
        let mut attempt: u32 = 1;
        // A streamed body cannot be copied: its one attempt is the last.
        let streamed = request.try_clone().is_none();
        let mut original = Some(request);
        loop {
            if let Some(limiter) = &core.rate_limiter {
                let waited = limiter.acquire(&self.operation.method).await;
                #[cfg(feature = "tracing")]
                if !waited.is_zero() {
                    tracing::debug!(waited_ms = waited.as_millis() as u64, "waited for the rate limiter");
                }
                let _ = waited;
            }
            let next = if streamed { original.take() } else { original.as_ref().and_then(reqwest::Request::try_clone) };
            let Some(mut next) = next else {
                let failure = Failure::InvalidRequest("a streamed body can be sent only once".into());
                return Err(CallFailure { failure, context });
            };
            // A streamed answer may last longer than an attempt: the limit
            // covers its status and headers only (a stream bounds the gap
            // between chunks itself).
            if let (Some(timeout), false) = (self.timeout, self.stream_success) {
                *next.timeout_mut() = Some(timeout);
            }
            context.attempts = attempt;
            self.attempts.store(attempt, std::sync::atomic::Ordering::Relaxed);
            if let Some(hook) = &core.hook {
                if let Err(err) = hook(&mut next, attempt) {
                    let message = self.redactor.text(&format!("the on_request hook refused the request: {err}"));
                    return Err(CallFailure { failure: Failure::InvalidRequest(message), context });
                }
            }
            if let Some(hook) = &core.async_hook {
                next = match hook(next, attempt).await {
                    Ok(request) => request,
                    Err(err) => {
                        let message =
                            self.redactor.text(&format!("the on_request_async hook refused the request: {err}"));
                        return Err(CallFailure { failure: Failure::InvalidRequest(message), context });
                    }
                };
            }
            #[cfg(feature = "tracing")]
            tracing::Span::current().record("attempts", attempt);
            let fetch = RawResponse::fetch(
                &core.http,
                next,
                self.redactor,
                core.request_id_headers,
                self.stream_success,
                self.max_body,
            );
            let fetched = match (self.timeout, self.stream_success) {
                (Some(timeout), true) => match tokio::time::timeout(timeout, fetch).await {
                    Ok(fetched) => fetched,
                    Err(_) => return Err(CallFailure { failure: Failure::Timeout(timeout), context }),
                },
                _ => fetch.await,
            };
            // An answer too large to read would be as large again.
            let outcome = match fetched {
                Ok(raw) => Ok(raw),
                Err(FetchError::Transport(err)) => Err(err),
                Err(FetchError::TooLarge { status, headers, limit }) => {
                    let failure = Failure::TooLarge { status, headers: Box::new(headers), limit };
                    return Err(CallFailure { failure, context });
                }
            };
            if let (Ok(raw), Some(limiter)) = (&outcome, &core.rate_limiter) {
                if raw.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                    if let Some(wait) = retry_after(&raw.headers, std::time::SystemTime::now()) {
                        limiter.pause_for(wait.min(policy.max_retry_after), &self.operation.method);
                    }
                }
            }
            let decision = if attempt < policy.max_attempts && !streamed {
                let attempted = match &outcome {
                    Ok(raw) => Attempted::Status(raw.status, &raw.headers),
                    Err(err) => Attempted::Transport(err),
                };
                policy.retry_wait(attempted, idempotent, attempt, std::time::SystemTime::now())
            } else {
                None
            };
            // A wait that would end after the call's time limit is not started.
            let decision = decision
                .filter(|(wait, _)| self.total.is_none_or(|total| started.elapsed().saturating_add(*wait) < total));
            let Some((wait, _reason)) = decision else {
                #[cfg(feature = "tracing")]
                if let Ok(raw) = &outcome {
                    tracing::Span::current().record("status", raw.status.as_u16());
                }
                return match outcome {
                    Ok(mut raw) => {
                        raw.context.operation = self.operation.name;
                        raw.context.attempts = attempt;
                        Ok(raw)
                    }
                    Err(err) => Err(CallFailure { failure: Failure::Transport(self.redactor.error(err)), context }),
                };
            };
            #[cfg(feature = "tracing")]
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, reason = _reason, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}
