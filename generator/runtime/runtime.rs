//! Support code shared by every operation: responses, errors, credentials
//! and the encoding of parameters. The generator emits this file unchanged
//! into every crate it makes, so the crate depends on crates.io only.

use std::fmt;

/// A credential. `Debug` and `Display` print a redaction, so a key never
/// ends up in a log line, an error message or a panic.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"<redacted>\")")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// A successful response: the decoded body, with the status, the headers
/// and the server's `message`.
///
/// Where the spec wraps a result in a `{message, data}` envelope, the body
/// is the `data` and [`message`](Self::message) the envelope's message.
/// Dereferences to the body, so `response.field` reads the body's field.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    message: Option<String>,
    body: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The `message` the server sent beside the result, when the response
    /// body has a string `message` property.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// What every operation returns: the decoded response, or an [`Error`]
/// whose documented bodies are `E`.
pub type ApiResult<T, E> = Result<ApiResponse<T>, Error<E>>;

/// `.await` on a request builder sends it. (A spec without operations
/// does not use it.)
#[allow(unused_macros)]
macro_rules! into_future {
    ($request:ident, $success:ty, $error:ty) => {
        impl<'a> std::future::IntoFuture for $request<'a> {
            type Output = crate::ApiResult<$success, $error>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use into_future;

/// A field that may be absent, `null`, or a value: the three states an
/// optional, nullable property has on the wire. Absent is skipped when
/// serializing, so a PATCH body can leave a field alone, clear it (`Null`)
/// or set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not present on the wire.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the field is not present.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the field is present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

/// The error of an operation whose documented error responses are `E`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the operation documents.
    Api {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: reqwest::header::HeaderMap,
        /// The decoded error body.
        body: E,
    },
    /// The server answered with a status the operation does not document.
    UnexpectedStatus {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: reqwest::header::HeaderMap,
        /// The raw body, as text.
        body: String,
    },
    /// The body did not decode into the documented type.
    Decode {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The raw body, as text.
        body: String,
        /// JSON path of the value that failed (`data.variants[0].name`).
        path: String,
        /// What was wrong with it.
        message: String,
    },
    /// The request could not be built (a parameter with no textual form, a
    /// header value with a line break, a body that does not serialize).
    InvalidRequest(String),
    /// The body breaks a constraint the spec declares; nothing was sent.
    Validation(ValidationError),
    /// The request did not complete: connection, TLS or timeout failure.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// True when sending the same request again may succeed: a connection
    /// failure or timeout, or a 408, 429 or 5XX answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(err) => err.is_connect() || err.is_timeout(),
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => retryable_status(*status),
            Error::Decode { .. } | Error::InvalidRequest(_) | Error::Validation(_) => false,
        }
    }

    /// True when the request ran out of time (the client's or the request's timeout).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(err) if err.is_timeout())
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::InvalidRequest(_) | Error::Validation(_) => None,
            Error::Transport(err) => err.status(),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, body, .. } => write!(f, "the server answered {status}: {body:?}"),
            Error::UnexpectedStatus { status, body, .. } => write!(f, "the server answered with undocumented status {status}: {body}"),
            Error::Decode { status, path, message, .. } => write!(f, "the {status} response did not decode at `{path}`: {message}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Validation(err) => write!(f, "invalid request: {err}"),
            Error::Transport(err) => write!(f, "request failed: {err}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(err) => Some(err),
            _ => None,
        }
    }
}

/// A value that breaks a constraint of the spec (range, `multipleOf`,
/// number of items, length), found before the request was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value is, in wire names (`variants`, `rules[2].passPercentage`).
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationError {
    /// The same error seen from the enclosing value.
    pub(crate) fn within(mut self, prefix: &str) -> Self {
        self.path = if self.path.starts_with('[') { format!("{prefix}{}", self.path) } else { format!("{prefix}.{}", self.path) };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

impl<E> From<ValidationError> for Error<E> {
    fn from(err: ValidationError) -> Self {
        Error::Validation(err)
    }
}

fn invalid(path: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError { path: path.to_string(), message })
}

/// `minimum`/`maximum` (inclusive unless `exclusive`) and `multipleOf`.
pub(crate) fn check_number(
    path: &str,
    value: f64,
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    multiple_of: Option<f64>,
) -> Result<(), ValidationError> {
    if let Some((min, exclusive)) = minimum {
        if value < min || (exclusive && value == min) {
            return invalid(path, format!("is {value}, below the minimum {min}{}", if exclusive { " (exclusive)" } else { "" }));
        }
    }
    if let Some((max, exclusive)) = maximum {
        if value > max || (exclusive && value == max) {
            return invalid(path, format!("is {value}, above the maximum {max}{}", if exclusive { " (exclusive)" } else { "" }));
        }
    }
    if let Some(step) = multiple_of {
        // Decimal steps such as 0.01 are not exact in binary: compare the
        // quotient with the nearest whole number, with a relative tolerance.
        let quotient = value / step;
        if step > 0.0 && (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
            return invalid(path, format!("is {value}, not a multiple of {step}"));
        }
    }
    Ok(())
}

/// `minItems`/`maxItems`, or `minLength`/`maxLength` with `what` = "characters".
pub(crate) fn check_count(path: &str, count: usize, min: Option<usize>, max: Option<usize>, what: &str) -> Result<(), ValidationError> {
    if let Some(min) = min {
        if count < min {
            return invalid(path, format!("has {count} {what}, fewer than the minimum {min}"));
        }
    }
    if let Some(max) = max {
        if count > max {
            return invalid(path, format!("has {count} {what}, more than the maximum {max}"));
        }
    }
    Ok(())
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(err: reqwest::Error) -> Self {
        Error::Transport(err)
    }
}

/// A body that did not decode; becomes [`Error::Decode`].
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    status: reqwest::StatusCode,
    body: String,
    path: String,
    message: String,
}

impl<E> From<DecodeFailure> for Error<E> {
    fn from(f: DecodeFailure) -> Self {
        Error::Decode { status: f.status, body: f.body, path: f.path, message: f.message }
    }
}

/// A request that could not be built; becomes [`Error::InvalidRequest`].
#[derive(Debug)]
pub(crate) struct RequestFailure(String);

impl<E> From<RequestFailure> for Error<E> {
    fn from(f: RequestFailure) -> Self {
        Error::InvalidRequest(f.0)
    }
}

/// The client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The spec names no absolute server URL, and none was given.
    MissingBaseUrl,
    /// The HTTP client could not be set up (for example, no TLS backend).
    Http(reqwest::Error),
    /// A default header has an invalid name or value.
    InvalidHeader(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no base URL: call `ClientBuilder::base_url`"),
            BuildError::Http(err) => write!(f, "the HTTP client could not be built: {err}"),
            BuildError::InvalidHeader(name) => write!(f, "default header `{name}` has an invalid name or value"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(err) => Some(err),
            BuildError::MissingBaseUrl | BuildError::InvalidHeader(_) => None,
        }
    }
}

/// A string that is not one of an enum's documented values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// The enum's name.
    pub type_name: &'static str,
    /// The string that did not match.
    pub value: String,
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a documented {} value", self.value, self.type_name)
    }
}

impl std::error::Error for ParseEnumError {}

/// When a failed request is sent again, and how long to wait first.
///
/// The default tries up to 3 times in all, for connection errors, timeouts
/// and 408, 429 and 5XX answers, waiting exponentially longer (from 200 ms,
/// at most 10 s, with full jitter) or as long as the server's `Retry-After`
/// says (at most 60 s). Only idempotent methods (GET, HEAD, OPTIONS, PUT,
/// DELETE, TRACE) are retried unless [`RetryPolicy::retry_non_idempotent`]
/// allows POST and PATCH too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: std::time::Duration,
    max_backoff: std::time::Duration,
    max_retry_after: std::time::Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: std::time::Duration::from_millis(200),
            max_backoff: std::time::Duration::from_secs(10),
            max_retry_after: std::time::Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest wait before the second attempt; it doubles after that.
    pub fn initial_backoff(mut self, wait: std::time::Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest computed wait between attempts.
    pub fn max_backoff(mut self, wait: std::time::Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest wait a `Retry-After` header may ask for; a longer one
    /// ends the retries.
    pub fn max_retry_after(mut self, wait: std::time::Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Also retry POST and PATCH, which may apply a change twice.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// A random wait up to the exponential cap for the given attempt (1 is
    /// the first retry): "full jitter", so many clients do not retry in step.
    fn backoff(&self, retry: u32) -> std::time::Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let cap = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return cap;
        }
        std::time::Duration::from_nanos(random_u64() % (nanos + 1))
    }
}

/// A random number from the standard library's hasher seeds (no extra
/// dependency; jitter needs no cryptographic quality).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    hasher.finish()
}

fn retryable_status(status: reqwest::StatusCode) -> bool {
    status == reqwest::StatusCode::REQUEST_TIMEOUT || status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE].contains(method)
}

/// Keeps requests under a server's rate limits on the client's side, so a
/// burst waits instead of drawing 429s.
///
/// Each window allows at most `max` requests in any `period` (a sliding
/// window); a request that would exceed one waits until its oldest request
/// ages out. Every attempt counts, retries included. Clones share their
/// counts, so one limiter can pace several clients that share a quota.
#[derive(Debug, Clone, Default)]
pub struct RateLimiter {
    windows: Vec<(u32, std::time::Duration)>,
    mutations_only: bool,
    sent: std::sync::Arc<std::sync::Mutex<Vec<std::collections::VecDeque<std::time::Instant>>>>,
}

impl RateLimiter {
    /// A limiter without windows: it lets everything through until
    /// [`limit`](Self::limit) adds one.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a window: at most `max` requests in any `period`. A `max` of 0
    /// is read as 1.
    #[must_use]
    pub fn limit(mut self, max: u32, period: std::time::Duration) -> Self {
        self.windows.push((max.max(1), period));
        self.sent = Default::default();
        self
    }

    /// Counts and paces only requests that change something (methods other
    /// than GET, HEAD and OPTIONS).
    #[must_use]
    pub fn mutations_only(mut self) -> Self {
        self.mutations_only = true;
        self
    }

    /// The windows, as `(max, period)`.
    pub fn windows(&self) -> &[(u32, std::time::Duration)] {
        &self.windows
    }

    /// Waits until a request with `method` fits in every window, then
    /// counts it.
    pub(crate) async fn acquire(&self, method: &reqwest::Method) {
        use reqwest::Method;
        if self.windows.is_empty() || (self.mutations_only && [Method::GET, Method::HEAD, Method::OPTIONS].contains(method)) {
            return;
        }
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                sent.resize_with(self.windows.len(), Default::default);
                let now = std::time::Instant::now();
                let mut wait = std::time::Duration::ZERO;
                for ((max, period), times) in self.windows.iter().zip(sent.iter_mut()) {
                    while times.front().is_some_and(|&t| now.duration_since(t) >= *period) {
                        times.pop_front();
                    }
                    if times.len() >= *max as usize {
                        let oldest = times[times.len() - *max as usize];
                        wait = wait.max(*period - now.duration_since(oldest));
                    }
                }
                if wait.is_zero() {
                    sent.iter_mut().for_each(|times| times.push_back(now));
                    return;
                }
                wait
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date
/// (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap, now: std::time::SystemTime) -> Option<std::time::Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(parse_http_date(value)?);
    Some(at.duration_since(now).unwrap_or_default())
}

/// Seconds since the Unix epoch of an IMF-fixdate.
fn parse_http_date(text: &str) -> Option<u64> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().position(|m| *m == month_name)? as u64 + 1;
    let year: u64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y / 400;
    let year_of_era = y % 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Per-request settings that every request builder offers.
#[derive(Debug, Default, Clone)]
pub(crate) struct RequestOptions {
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) headers: Vec<(String, String)>,
}

impl RequestOptions {
    fn apply(self, mut request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, RequestFailure> {
        for (name, value) in self.headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| RequestFailure(format!("`{name}` is not a valid header name")))?;
            let value = reqwest::header::HeaderValue::from_str(&value)
                .map_err(|_| RequestFailure(format!("the value of header `{name}` has a character a header cannot carry")))?;
            request = request.header(name, value);
        }
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        Ok(request)
    }
}

/// `.timeout()` and `.header()` on a request builder.
#[allow(unused_macros)]
macro_rules! request_options {
    ($request:ident) => {
        impl $request<'_> {
            /// A time limit for this request (and each retry of it), instead of the client's.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// An extra header for this request; an invalid name or value fails the request.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use request_options;

/// Sends a request as the client's settings say: per-request options, the
/// default headers the request does not set itself, then retries.
pub(crate) async fn send(
    http: &reqwest::Client,
    request: reqwest::RequestBuilder,
    options: RequestOptions,
    default_headers: &reqwest::header::HeaderMap,
    policy: &RetryPolicy,
    limiter: Option<&RateLimiter>,
) -> Result<RawResponse, SendFailure> {
    let mut request = options.apply(request).map_err(SendFailure::Request)?.build().map_err(SendFailure::Transport)?;
    for (name, value) in default_headers {
        if !request.headers().contains_key(name) {
            request.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let may_retry = policy.max_attempts > 1 && (policy.retry_non_idempotent || is_idempotent(request.method()));
    let mut attempt = 1;
    loop {
        if let Some(limiter) = limiter {
            limiter.acquire(request.method()).await;
        }
        let retry = if may_retry && attempt < policy.max_attempts { request.try_clone() } else { None };
        let Some(next) = retry else {
            return RawResponse::fetch(http, request).await.map_err(SendFailure::Transport);
        };
        let outcome = RawResponse::fetch(http, next).await;
        let wait = match &outcome {
            Ok(raw) if retryable_status(raw.status) => match retry_after(&raw.headers, std::time::SystemTime::now()) {
                Some(wait) if wait > policy.max_retry_after => return outcome.map_err(SendFailure::Transport),
                Some(wait) => wait,
                None => policy.backoff(attempt),
            },
            Err(err) if err.is_connect() || err.is_timeout() => policy.backoff(attempt),
            _ => return outcome.map_err(SendFailure::Transport),
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// Why [`send`] failed; becomes [`Error::InvalidRequest`] or [`Error::Transport`].
#[derive(Debug)]
pub(crate) enum SendFailure {
    Request(RequestFailure),
    Transport(reqwest::Error),
}

impl<E> From<SendFailure> for Error<E> {
    fn from(f: SendFailure) -> Self {
        match f {
            SendFailure::Request(f) => f.into(),
            SendFailure::Transport(err) => Error::Transport(err),
        }
    }
}

/// A page of items and whether the server says there is another.
type PageFuture<'a, T, E> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(Vec<T>, bool), Error<E>>> + Send + 'a>>;

/// Every item of a paginated list: pages are fetched one at a time as the
/// stream is polled, until the server says there is no next page; the first
/// error ends the stream after it is yielded.
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<'a, T, E> {
    fetch: Box<dyn FnMut(i64) -> PageFuture<'a, T, E> + Send + 'a>,
    pending: Option<(i64, PageFuture<'a, T, E>)>,
    buffer: std::collections::VecDeque<T>,
    next_page: Option<i64>,
}

impl<'a, T, E> Pages<'a, T, E> {
    pub(crate) fn new(first_page: i64, fetch: impl FnMut(i64) -> PageFuture<'a, T, E> + Send + 'a) -> Self {
        Self { fetch: Box::new(fetch), pending: None, buffer: Default::default(), next_page: Some(first_page) }
    }
}

// Nothing in `Pages` is pinned structurally: the futures are boxed and the
// items only move in and out of the queue.
impl<T, E> Unpin for Pages<'_, T, E> {}

impl<T, E> fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("buffered", &self.buffer.len()).field("next_page", &self.next_page).finish()
    }
}

impl<T, E> futures_core::Stream for Pages<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
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
                        this.next_page = more.then_some(page + 1);
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

/// A page number of [`Pages`] as the page parameter's type; a page beyond
/// that type's range fails the request (and so ends the stream).
pub(crate) fn page_number<T: TryFrom<i64>>(page: i64) -> Result<T, RequestFailure> {
    T::try_from(page).map_err(|_| RequestFailure(format!("page {page} is beyond the range of the page parameter")))
}

/// Decodes a string enum from a borrowed string where the format allows,
/// so a known value costs no allocation; `from_wire` maps the text.
pub(crate) fn deserialize_enum<'de, D, T>(deserializer: D, from_wire: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct WireVisitor<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for WireVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(WireVisitor(from_wire))
}

/// A response read to the end, waiting to be decoded.
pub(crate) struct RawResponse {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    /// Sends the request once and reads the whole body.
    async fn fetch(http: &reqwest::Client, request: reqwest::Request) -> Result<Self, reqwest::Error> {
        let response = http.execute(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?.to_vec();
        Ok(Self { status, headers, body })
    }

    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn lossy_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }


    /// A documented success whose body is returned as decoded.
    pub(crate) fn ok<T, E>(self, decode: fn(&Self) -> Result<T, DecodeFailure>) -> ApiResult<T, E> {
        self.success(decode, std::convert::identity)
    }

    /// A documented success: the body decoded by `decode`, then `wrap`ped.
    pub(crate) fn success<T, S, E>(self, decode: fn(&Self) -> Result<T, DecodeFailure>, wrap: fn(T) -> S) -> ApiResult<S, E> {
        let body = wrap(decode(&self)?);
        Ok(ApiResponse { status: self.status, headers: self.headers, message: None, body })
    }

    /// A documented success whose body carries a `message`: `open` splits
    /// the decoded body into the result and that message (unwrapping a
    /// `{message, data}` envelope, or keeping a body with more fields whole).
    pub(crate) fn ok_with_message<T, D, E>(
        self,
        decode: fn(&Self) -> Result<T, DecodeFailure>,
        open: fn(T) -> (D, Option<String>),
    ) -> ApiResult<D, E> {
        let (body, message) = open(decode(&self)?);
        Ok(ApiResponse { status: self.status, headers: self.headers, message, body })
    }

    /// A documented error status: the body decoded by `decode`, then `wrap`ped.
    pub(crate) fn failure<T, S, E>(self, decode: fn(&Self) -> Result<T, DecodeFailure>, wrap: fn(T) -> E) -> ApiResult<S, E> {
        let body = wrap(decode(&self)?);
        Err(Error::Api { status: self.status, headers: self.headers, body })
    }

    /// A status the operation does not document.
    pub(crate) fn unexpected<S, E>(self) -> ApiResult<S, E> {
        let body = self.lossy_text();
        Err(Error::UnexpectedStatus { status: self.status, headers: self.headers, body })
    }
}

/// Decodes a JSON body, naming the path of the value that failed.
pub(crate) fn json<T: serde::de::DeserializeOwned>(raw: &RawResponse) -> Result<T, DecodeFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(&raw.body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| DecodeFailure {
        status: raw.status,
        body: raw.lossy_text(),
        path: err.path().to_string(),
        message: err.inner().to_string(),
    })
}

/// A text body.
pub(crate) fn text(raw: &RawResponse) -> Result<String, DecodeFailure> {
    String::from_utf8(raw.body.clone()).map_err(|err| DecodeFailure {
        status: raw.status,
        body: raw.lossy_text(),
        path: String::new(),
        message: err.to_string(),
    })
}

/// A binary body.
pub(crate) fn bytes(raw: &RawResponse) -> Result<Vec<u8>, DecodeFailure> {
    Ok(raw.body.clone())
}

/// A body the operation does not describe; ignored.
pub(crate) fn empty(_: &RawResponse) -> Result<(), DecodeFailure> {
    Ok(())
}

/// The textual form of a scalar parameter value (strings unquoted), or the
/// items of an array, each in textual form.
fn text_values<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<String>, RequestFailure> {
    let value = serde_json::to_value(value).map_err(|err| RequestFailure(format!("`{name}`: {err}")))?;
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        other => Err(RequestFailure(format!("`{name}` has no textual form: {other}"))),
    };
    match &value {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(items) => items.iter().map(scalar).collect(),
        other => Ok(vec![scalar(other)?]),
    }
}

/// Appends a query parameter (`name=a&name=b` for arrays; nothing for `None`).
pub(crate) fn push_query<T: serde::Serialize + ?Sized>(query: &mut Vec<(String, String)>, name: &str, value: &T) -> Result<(), RequestFailure> {
    for text in text_values(name, value)? {
        query.push((name.to_string(), text));
    }
    Ok(())
}

/// Adds a header parameter, unless its value is `None`.
pub(crate) fn with_header<T: serde::Serialize + ?Sized>(request: reqwest::RequestBuilder, name: &str, value: &T) -> Result<reqwest::RequestBuilder, RequestFailure> {
    Ok(match header_value(name, value)? {
        Some(value) => request.header(name, value),
        None => request,
    })
}

/// Adds a JSON body and its content type.
pub(crate) fn with_json_body<T: serde::Serialize + ?Sized>(request: reqwest::RequestBuilder, media_type: &str, body: &T) -> Result<reqwest::RequestBuilder, RequestFailure> {
    Ok(request.header(reqwest::header::CONTENT_TYPE, media_type).body(json_body(body)?))
}

/// A header value (arrays comma-separated), or `None` for `None`.
pub(crate) fn header_value<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<reqwest::header::HeaderValue>, RequestFailure> {
    let values = text_values(name, value)?;
    if values.is_empty() {
        return Ok(None);
    }
    reqwest::header::HeaderValue::from_str(&values.join(","))
        .map(Some)
        .map_err(|_| RequestFailure(format!("header `{name}` has a character a header cannot carry")))
}

/// A credential as a header value, marked sensitive so that `Debug` of the
/// request hides it.
pub(crate) fn secret_header(scheme: &str, value: &str) -> Result<reqwest::header::HeaderValue, RequestFailure> {
    let mut value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| RequestFailure(format!("the `{scheme}` credential has a character a header cannot carry")))?;
    value.set_sensitive(true);
    Ok(value)
}

/// A path parameter, percent-encoded as one path segment.
pub(crate) fn path_segment<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, RequestFailure> {
    let text = text_values(name, value)?.join(",");
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Ok(out)
}

/// Serializes a JSON request body.
pub(crate) fn json_body<T: serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, RequestFailure> {
    serde_json::to_vec(body).map_err(|err| RequestFailure(format!("the body does not serialize: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        let encoded = path_segment("id", "a b/c?d").unwrap();
        assert_eq!(encoded, "a%20b%2Fc%3Fd");
    }

    #[test]
    fn query_arrays_repeat_and_none_is_skipped() {
        let mut query = Vec::new();
        push_query(&mut query, "tag", &["a", "b"]).unwrap();
        push_query(&mut query, "page", &Option::<i64>::None).unwrap();
        push_query(&mut query, "limit", &Some(10)).unwrap();
        assert_eq!(query, vec![("tag".into(), "a".into()), ("tag".into(), "b".into()), ("limit".into(), "10".into())]);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(784_111_777 - 10);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(std::time::Duration::from_secs(7)));
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
        headers.insert(reqwest::header::RETRY_AFTER, "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(std::time::Duration::from_secs(10)));
        headers.insert(reqwest::header::RETRY_AFTER, "Sun, 06 Nov 1994 08:49:17 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(std::time::Duration::ZERO));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let policy = RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(100)).max_backoff(std::time::Duration::from_millis(300));
        for retry in 1..10 {
            assert!(policy.backoff(retry) <= std::time::Duration::from_millis(300));
        }
        assert!(policy.backoff(1) <= std::time::Duration::from_millis(100));
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    }

    #[test]
    fn number_checks_tolerate_decimal_steps() {
        assert!(check_number("p", 0.07, None, None, Some(0.01)).is_ok());
        assert!(check_number("p", 33.33, Some((0.0, false)), Some((100.0, false)), Some(0.01)).is_ok());
        assert_eq!(check_number("p", 0.075, None, None, Some(0.01)).unwrap_err().message, "is 0.075, not a multiple of 0.01");
        assert!(check_number("r", 0.0005, Some((0.001, false)), None, None).is_err());
        assert!(check_number("r", 1.0, None, Some((1.0, true)), None).is_err());
        assert!(check_count("v", 1, Some(2), None, "items").is_err());
        let nested = ValidationError { path: "passPercentage".into(), message: "m".into() }.within("rules[2]");
        assert_eq!(nested.to_string(), "`rules[2].passPercentage` m");
    }

    #[test]
    fn secrets_are_redacted() {
        let secret = Secret::new("console-abc");
        assert_eq!(format!("{secret:?} {secret}"), "Secret(\"<redacted>\") <redacted>");
        assert_eq!(secret.expose(), "console-abc");
    }

    #[test]
    fn nullable_round_trips_three_states() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Patch {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            team: Nullable<String>,
        }
        for (value, json) in [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"team":null}"#),
            (Nullable::Value("a".to_string()), r#"{"team":"a"}"#),
        ] {
            let patch = Patch { team: value };
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }
}
