//! Errors: `Error` for a failed call, its context, and `ParseEnumError`.

use super::{connection_closed, one_line, retry_after, ValidationError};
#[cfg(not(omit = "operations"))]
use super::Redactor;
use std::fmt;
use std::time::Duration;

/// What every error says about the call it ended. [`ErrorContext::new`]
/// makes one for tests and fakes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorContext {
    /// The operation: the client method's name.
    pub operation: &'static str,
    /// Attempts made, retries included (0 when nothing was sent).
    pub attempts: u32,
    /// The server's own message from an error body (its `message`,
    /// `error`, `detail`…), when it sent one.
    pub server_message: Option<String>,
    /// The request id the server returned, when it sent one.
    pub request_id: Option<String>,
}

impl ErrorContext {
    /// The context of a call of `operation` that sent nothing.
    pub fn new(operation: &'static str) -> Self {
        Self { operation, attempts: 0, server_message: None, request_id: None }
    }

    /// The same context after `attempts` attempts.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The same context with the server's message.
    pub fn with_server_message(mut self, message: impl Into<String>) -> Self {
        self.server_message = Some(message.into());
        self
    }
}

/// The error of an operation whose documented error responses are `E`.
///
/// Every variant carries an [`ErrorContext`] (operation, attempts, the
/// server's message and request id). Bodies and headers the server sent
/// have the client's credentials scrubbed out, and `Display` gives one
/// readable line (never a body dump or an HTML page).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the operation documents.
    Api {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The decoded error body.
        body: E,
        context: Box<ErrorContext>,
    },
    /// The server answered with a status the operation does not document.
    UnexpectedStatus {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers (a redirect's `Location` among them).
        headers: Box<reqwest::header::HeaderMap>,
        /// The raw body, as text.
        body: String,
        context: Box<ErrorContext>,
    },
    /// The body did not decode into the documented type.
    Decode {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The raw body, as text.
        body: String,
        /// JSON path of the value that failed (`data.variants[0].name`).
        path: String,
        /// What was wrong with it.
        reason: String,
        context: Box<ErrorContext>,
    },
    /// The request could not be built (a parameter with no textual form, a
    /// path parameter such as `..`, a header value with a line break, a
    /// body that does not serialize); nothing was sent.
    InvalidRequest {
        /// What is wrong.
        message: String,
        context: Box<ErrorContext>,
    },
    /// A value breaks a constraint the spec declares; nothing was sent.
    Validation { source: ValidationError, context: Box<ErrorContext> },
    /// The request did not complete: connection, TLS or timeout failure.
    Transport { source: reqwest::Error, context: Box<ErrorContext> },
    /// The call's total time limit passed (attempts, retries and waits).
    Timeout {
        /// The limit.
        limit: Duration,
        context: Box<ErrorContext>,
    },
    /// A page stream stopped: the server repeated a page, cursor or link
    /// (the list would never end).
    Pagination {
        /// What happened.
        message: String,
        context: Box<ErrorContext>,
    },
    /// The response body is larger than the call's size limit
    /// ([`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size));
    /// it was not read to the end, and the call was not retried.
    ResponseTooLarge {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The limit, in bytes.
        limit: usize,
        context: Box<ErrorContext>,
    },
}

/// The longest part of an error's `Display` that a server or a caller
/// controls, in characters.
const MAX_SHOWN_CHARS: usize = 300;

fn retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

impl<E> Error<E> {
    /// A documented error answer, for tests and fakes.
    pub fn api(context: ErrorContext, status: reqwest::StatusCode, body: E) -> Self {
        Error::Api { status, headers: Box::default(), body, context: Box::new(context) }
    }

    /// An undocumented answer, for tests and fakes.
    pub fn unexpected_status(context: ErrorContext, status: reqwest::StatusCode, body: impl Into<String>) -> Self {
        Error::UnexpectedStatus { status, headers: Box::default(), body: body.into(), context: Box::new(context) }
    }

    /// The same error with its documented body mapped: to handle the errors
    /// of several operations as one type (`err.map_body(|_| ())`, or into an
    /// enum of your own).
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api { status, headers, body, context } => Error::Api { status, headers, body: f(body), context },
            Error::UnexpectedStatus { status, headers, body, context } => {
                Error::UnexpectedStatus { status, headers, body, context }
            }
            Error::Decode { status, headers, body, path, reason, context } => {
                Error::Decode { status, headers, body, path, reason, context }
            }
            Error::InvalidRequest { message, context } => Error::InvalidRequest { message, context },
            Error::Validation { source, context } => Error::Validation { source, context },
            Error::Transport { source, context } => Error::Transport { source, context },
            Error::Timeout { limit, context } => Error::Timeout { limit, context },
            Error::ResponseTooLarge { status, headers, limit, context } => {
                Error::ResponseTooLarge { status, headers, limit, context }
            }
            Error::Pagination { message, context } => Error::Pagination { message, context },
        }
    }

    /// The call's context: operation, attempts, server message, request id.
    pub fn context(&self) -> &ErrorContext {
        match self {
            Error::Api { context, .. }
            | Error::UnexpectedStatus { context, .. }
            | Error::Decode { context, .. }
            | Error::InvalidRequest { context, .. }
            | Error::Validation { context, .. }
            | Error::Transport { context, .. }
            | Error::Timeout { context, .. }
            | Error::ResponseTooLarge { context, .. }
            | Error::Pagination { context, .. } => context,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest { .. }
            | Error::Validation { .. }
            | Error::Timeout { .. }
            | Error::Pagination { .. } => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. }
            | Error::ResponseTooLarge { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The documented error body, when the server sent one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// True for a 404 answer.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::NOT_FOUND)
    }

    /// True for a 429 answer.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(self.headers()?, std::time::SystemTime::now())
    }

    /// The request id the server returned (a header the spec documents as
    /// one, or a common one such as `x-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.context().request_id.as_deref()
    }

    /// The server's own message from the error body, when it sent one.
    pub fn server_message(&self) -> Option<&str> {
        self.context().server_message.as_deref()
    }

    /// True when sending the same request again may succeed: a connection
    /// failure or timeout, or a 408, 429, 500, 502, 503 or 504 answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_connect() || source.is_timeout() || connection_closed(source),
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => retryable_status(*status),
            Error::Timeout { .. } => true,
            Error::Decode { .. }
            | Error::InvalidRequest { .. }
            | Error::Validation { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Pagination { .. } => false,
        }
    }

    /// True when the call ran out of time (an attempt's or the whole call's limit).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    /// One line of bounded length: what a server sent (a message, a JSON
    /// path or key, a decoder's quote of the body) is cut and has its
    /// control characters escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |text: &str| one_line(text, MAX_SHOWN_CHARS);
        let context = self.context();
        write!(f, "{}: ", context.operation)?;
        match self {
            Error::Api { status, .. } => write!(f, "the server answered {status}")?,
            Error::UnexpectedStatus { status, .. } => {
                write!(f, "the server answered with undocumented status {status}")?
            }
            Error::Decode { status, path, reason, .. } if path.is_empty() || path == "." => {
                write!(f, "the {status} response did not decode: {}", shown(reason))?
            }
            Error::Decode { status, path, reason, .. } => {
                write!(f, "the {status} response did not decode at `{}`: {}", shown(path), shown(reason))?
            }
            Error::InvalidRequest { message, .. } => write!(f, "invalid request: {}", shown(message))?,
            Error::Validation { source, .. } => write!(f, "invalid request: {}", shown(&source.to_string()))?,
            Error::Transport { source, .. } => write!(f, "request failed: {}", shown(&source.to_string()))?,
            Error::Timeout { limit, .. } => write!(f, "no answer within the call's time limit of {limit:?}")?,
            Error::ResponseTooLarge { status, limit, .. } => {
                write!(f, "the {status} response is larger than the limit of {limit} bytes")?
            }
            Error::Pagination { message, .. } => f.write_str(&shown(message))?,
        }
        if let (Error::Api { .. } | Error::UnexpectedStatus { .. }, Some(message)) = (self, &context.server_message) {
            write!(f, ": {}", shown(message))?;
        }
        if context.attempts > 1 {
            write!(f, " (after {} attempts)", context.attempts)?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Validation { source, .. } => Some(source),
            _ => None,
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

#[cfg(not(omit = "operations"))]
/// A call that ended before a response could be decoded.
#[derive(Debug)]
pub(crate) struct CallFailure {
    pub(crate) failure: Failure,
    pub(crate) context: ErrorContext,
}

#[cfg(not(omit = "operations"))]
#[derive(Debug)]
pub(crate) enum Failure {
    InvalidRequest(String),
    #[cfg(not(omit = "validate_call"))]
    Validation(ValidationError),
    Transport(reqwest::Error),
    Timeout(Duration),
    TooLarge { status: reqwest::StatusCode, headers: Box<reqwest::header::HeaderMap>, limit: usize },
}

#[cfg(not(omit = "operations"))]
impl Failure {
    pub(crate) fn redacted(self, redactor: &Redactor) -> Self {
        match self {
            Failure::InvalidRequest(message) => Failure::InvalidRequest(redactor.text(&message)),
            Failure::Transport(err) => Failure::Transport(redactor.error(err)),
            other => other,
        }
    }
}

#[cfg(not(omit = "operations"))]
impl<E> From<CallFailure> for Error<E> {
    fn from(f: CallFailure) -> Self {
        let context = Box::new(f.context);
        match f.failure {
            Failure::InvalidRequest(message) => Error::InvalidRequest { message, context },
            #[cfg(not(omit = "validate_call"))]
            Failure::Validation(source) => Error::Validation { source, context },
            Failure::Transport(source) => Error::Transport { source, context },
            Failure::Timeout(limit) => Error::Timeout { limit, context },
            Failure::TooLarge { status, headers, limit } => Error::ResponseTooLarge { status, headers, limit, context },
        }
    }
}
