//! One call of an operation: what the generated code describes (its
//! `Operation`, path, parameters and body), then sending it, with retries,
//! time limits and the rate limiter.

use super::{
    append_cookie, call_tokens, form_pairs, joined, parse_header, path_segment, query_pairs, retry_after, uuid_v4,
    value_of, Attempted, Binary, Body, CallFailure, Client, Core, Credential, ErrorContext, Failure, FetchError,
    HeaderList, Multipart, MultipartFields, RawResponse, Redactor, Secret, Style, ValidationError,
};
use std::sync::Arc;
use std::time::Duration;

/// What the runtime needs to know about an operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The client method's name.
    pub(crate) name: &'static str,
    pub(crate) method: reqwest::Method,
    /// The path template, for traces.
    pub(crate) path: &'static str,
    /// Sending it twice has the effect of sending it once, so a failure
    /// that may have reached the server can be retried.
    pub(crate) idempotent: bool,
    pub(crate) accept: &'static str,
    /// Its security requirements: alternatives, each the schemes (by
    /// index) whose credentials go together.
    pub(crate) security: &'static [&'static [usize]],
    /// The header that carries an idempotency key, when the API takes one
    /// for this operation: each call sends a fresh key (unless the caller
    /// gave one) and every retry of the call the same.
    pub(crate) idempotency_key: Option<&'static str>,
}

impl Operation {
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
    fn fail(&mut self, failure: Failure) {
        self.failure.get_or_insert(failure);
    }

    /// A path parameter, percent-encoded as one path segment. A value that
    /// would change what the path means (empty, `.` or `..`) is refused.
    pub(crate) fn path_segment<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> String {
        self.path_segment_styled(name, value, Style::Simple)
    }

    /// A path parameter in the given style (`label`, `matrix`, exploded).
    pub(crate) fn path_segment_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> String {
        match path_segment(name, value, style) {
            Ok(segment) => segment,
            Err(message) => {
                self.fail(Failure::InvalidRequest(message));
                String::new()
            }
        }
    }

    /// The path below the base URL, its parameters already encoded.
    pub(crate) fn set_path(&mut self, path: String) {
        self.path = path;
    }

    /// A query parameter in `form` style, exploded (`name=a&name=b` for a
    /// list, a parameter per property for an object; nothing for `None`).
    pub(crate) fn query<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.query_styled(name, value, Style::Form)
    }

    /// A query parameter in the given style.
    pub(crate) fn query_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| query_pairs(name, &value, style)) {
            Ok(pairs) => self.query.extend(pairs),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A header parameter (`simple` style: lists comma-separated; nothing for `None`).
    pub(crate) fn header<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.header_styled(name, value, Style::Simple)
    }

    /// A header parameter in the given style.
    pub(crate) fn header_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| joined(name, &value, style)) {
            Ok(Some(text)) => self.headers.push((name, text)),
            Ok(None) => {}
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A cookie parameter (`form` style; nothing for `None`).
    pub(crate) fn cookie<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.cookie_styled(name, value, Style::FormCompact)
    }

    /// A cookie parameter in the given style.
    pub(crate) fn cookie_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| joined(name, &value, style)) {
            Ok(Some(text)) => self.cookies.push((name, text)),
            Ok(None) => {}
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A JSON body with its media type.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::bytes(media_type, bytes.into())),
            Err(err) => self.fail(Failure::InvalidRequest(format!("the body does not serialize: {err}"))),
        }
    }

    /// An `application/x-www-form-urlencoded` body: the value's properties
    /// as fields (lists repeat the name; objects and lists of objects as
    /// JSON text).
    /// A form body; `styles` are the styles the document's `encoding` gives
    /// some of its properties.
    pub(crate) fn form_body<T: serde::Serialize + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
        styles: &[(&str, Style)],
    ) {
        let encoded = value_of("body", body).and_then(|value| form_pairs(&value, styles)).map(|pairs| {
            let mut serializer = reqwest::Url::parse("x:").expect("a valid URL");
            serializer.query_pairs_mut().extend_pairs(pairs);
            serializer.query().unwrap_or_default().to_string()
        });
        match encoded {
            Ok(text) => self.body = Some(Body::bytes(media_type, text.into())),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A text body (`text/plain`, `text/csv`…).
    pub(crate) fn text_body(&mut self, media_type: &'static str, body: &str) {
        self.body = Some(Body::bytes(media_type, body.to_string().into()));
    }

    /// A binary body: the bytes or the stream as they are, with its own
    /// content type if it has one, else the operation's.
    pub(crate) fn binary_body(&mut self, media_type: &'static str, body: &Binary) {
        let content_type = body.content_type.clone().unwrap_or_else(|| media_type.to_string());
        self.body = Some(Body { content_type, data: body.data.clone() });
    }

    /// A `multipart/form-data` body: a part per property (see [`Multipart`]),
    /// with part content types from the spec's `encoding`.
    pub(crate) fn multipart_body<T: MultipartFields + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
        encoding: &'static [(&'static str, &'static str)],
    ) {
        let mut form = Multipart { parts: Vec::new(), encoding, failure: None };
        body.write_parts(&mut form);
        match form.into_body(media_type) {
            Ok(body) => self.body = Some(body),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// The outcome of a check of the spec's constraints on a value.
    pub(crate) fn check(&mut self, outcome: Result<(), ValidationError>) {
        if let Err(err) = outcome {
            self.fail(Failure::Validation(err));
        }
    }

    /// Sends the call (retrying as the policy allows) and reads the response.
    pub(crate) async fn send(self) -> Result<RawResponse, CallFailure> {
        self.send_with(false).await
    }

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
        let tokens = match call_tokens(&core, operation).await {
            Ok(tokens) => tokens,
            Err(failure) => return Err(CallFailure { failure, context: ErrorContext::new(operation.name) }),
        };
        let prepared = match self.prepare(&core, &mut redactor, &tokens) {
            Ok(prepared) => prepared,
            Err(failure) => {
                let failure = failure.redacted(&redactor);
                return Err(CallFailure { failure, context: ErrorContext::new(operation.name) });
            }
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
        tokens: &[(usize, Secret)],
    ) -> Result<Prepared, Failure> {
        let Call { client: _, operation, options, path, query, headers, cookies, body, failure } = self;
        if let Some(failure) = failure {
            return Err(failure);
        }
        let url = match &options.next_url {
            Some(next) => same_origin_link(&core.base_url, next)?,
            None => {
                let url = format!("{}{}", core.base_url, path);
                let mut url = reqwest::Url::parse(&url)
                    .map_err(|err| Failure::InvalidRequest(format!("`{url}` is not a valid URL: {err}")))?;
                if !query.is_empty() {
                    url.query_pairs_mut()
                        .extend_pairs(query.iter().map(|(name, value)| (name.as_str(), value.as_str())));
                }
                url
            }
        };
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
        for index in operation.credentials_to_send(core) {
            match core.credentials.get(*index) {
                Some(Some(Credential::Token(_))) => {
                    if let Some((_, token)) = tokens.iter().find(|(i, _)| i == index) {
                        Arc::make_mut(redactor).add(token.expose());
                        Credential::Bearer(token.clone()).apply(&mut request).map_err(Failure::InvalidRequest)?;
                    }
                }
                Some(Some(credential)) => credential.apply(&mut request).map_err(Failure::InvalidRequest)?,
                _ => {}
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
