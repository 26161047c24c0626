//! Responses: `ApiResponse`, and the raw response a call decodes.

use super::Error;
#[cfg(not(omit = "operations"))]
use super::{capped, server_message, ErrorContext, Redactor};
#[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure")))]
use super::{DecodeFailure, DecodeParts};
#[cfg(not(omit = "outcome_stream"))]
use super::{ByteStream, OneChunk};
use std::fmt;
#[cfg(not(omit = "operations"))]
use std::sync::Arc;

/// Request-id headers many servers send, looked at after the ones the spec
/// documents.
const COMMON_REQUEST_ID_HEADERS: [&str; 7] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-github-request-id",
    "x-correlation-id",
    "x-trace-id",
];

fn find_request_id(headers: &reqwest::header::HeaderMap, documented: &[&str]) -> Option<String> {
    documented
        .iter()
        .chain(COMMON_REQUEST_ID_HEADERS.iter())
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_string)
}

/// A successful response: the decoded body, with the status, the headers,
/// the server's `message` and the raw body.
///
/// Where the spec wraps a result in a `{message, data}` envelope, the body
/// is the `data` and [`message`](Self::message) the envelope's message.
/// Dereferences to the body, so `response.field` reads the body's field.
/// [`ApiResponse::new`] makes one for tests and fakes.
#[derive(Clone)]
pub struct ApiResponse<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    message: Option<String>,
    request_id: Option<String>,
    raw: bytes::Bytes,
    #[cfg(not(omit = "page_url"))]
    /// Where it came from (after redirects), to resolve relative links.
    /// Kept private: it may carry a credential in its query.
    url: Option<reqwest::Url>,
    body: T,
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("message", &self.message)
            .field("raw_body_len", &self.raw.len())
            .field("body", &self.body)
            .finish()
    }
}

impl<T> ApiResponse<T> {
    /// A response with this status, headers and decoded body (no message,
    /// an empty raw body): for tests and fakes.
    pub fn new(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap, body: T) -> Self {
        let request_id = find_request_id(&headers, &[]);
        Self { status, headers, message: None, request_id, raw: bytes::Bytes::new(), #[cfg(not(omit = "page_url"))] url: None, body }
    }

    /// The same response with the server's message set.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The same response with its raw body set.
    pub fn with_raw_body(mut self, raw: impl Into<bytes::Bytes>) -> Self {
        self.raw = raw.into();
        self
    }

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

    /// The request id the server returned (a header the spec documents as
    /// one, or a common one such as `x-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body as received, before decoding.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw
    }

    #[cfg(not(omit = "page_url"))]
    /// The URL the response came from (after redirects), when it came
    /// from a server.
    pub(crate) fn url(&self) -> Option<&reqwest::Url> {
        self.url.as_ref()
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

#[cfg(not(omit = "operations"))]
/// How much of an error body an error keeps as text.
const KEPT_ERROR_BODY: usize = 64 * 1024;

#[cfg(not(omit = "operations"))]
/// Why an attempt has no response to decode.
pub(crate) enum FetchError {
    /// Connection, TLS, timeout or a body that broke off.
    Transport(reqwest::Error),
    /// The body is larger than the call's limit: it was not read to the
    /// end, and the call is not retried (the same answer would come back).
    TooLarge { status: reqwest::StatusCode, headers: reqwest::header::HeaderMap, limit: usize },
}

#[cfg(not(omit = "operations"))]
impl From<reqwest::Error> for FetchError {
    fn from(err: reqwest::Error) -> Self {
        FetchError::Transport(err)
    }
}

#[cfg(not(omit = "operations"))]
/// A response read to the end, waiting to be decoded.
pub(crate) struct RawResponse {
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
    #[cfg(not(omit = "page_url"))]
    url: reqwest::Url,
    pub(crate) context: ErrorContext,
    /// Scrubs the body's text when it ends up in an error.
    redactor: Arc<Redactor>,
    #[cfg(not(omit = "outcome_stream"))]
    /// A successful response whose body is left to stream.
    unread: Option<reqwest::Response>,
}

#[cfg(not(omit = "operations"))]
impl RawResponse {
    /// Sends one attempt and reads the body, up to `limit` bytes. An error
    /// status's body and headers are scrubbed of credentials first.
    pub(crate) async fn fetch(
        http: &reqwest::Client,
        request: reqwest::Request,
        redactor: &Arc<Redactor>,
        request_id_headers: &[&str],
        stream_success: bool,
        limit: usize,
    ) -> Result<Self, FetchError> {
        let mut response = http.execute(request).await?;
        let status = response.status();
        let mut headers = response.headers().clone();
        #[cfg(not(omit = "page_url"))]
        let url = response.url().clone();
        if stream_success && status.is_success() {
            let mut context = ErrorContext::new("");
            context.request_id = find_request_id(&headers, request_id_headers);
            let redactor = Arc::clone(redactor);
            let body = bytes::Bytes::new();
            return Ok(Self { status, headers, body, #[cfg(not(omit = "page_url"))] url, context, redactor, #[cfg(not(omit = "outcome_stream"))] unread: Some(response) });
        }
        let too_large = |mut headers: reqwest::header::HeaderMap| {
            redactor.headers(&mut headers);
            FetchError::TooLarge { status, headers, limit }
        };
        // A declared length over the limit fails before anything is read.
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large(headers));
        }
        let mut read = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await? {
            if read.len().saturating_add(chunk.len()) > limit {
                return Err(too_large(headers));
            }
            read.extend_from_slice(&chunk);
        }
        let mut body = read.freeze();
        let mut context = ErrorContext::new("");
        if !status.is_success() {
            body = redactor.error_body(body);
            redactor.headers(&mut headers);
            context.server_message = server_message(&body);
        }
        context.request_id = find_request_id(&headers, request_id_headers);
        Ok(Self { status, headers, body, #[cfg(not(omit = "page_url"))] url, context, redactor: Arc::clone(redactor), #[cfg(not(omit = "outcome_stream"))] unread: None })
    }

    #[cfg(not(omit = "status_match"))]
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    #[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure"), not(omit = "outcome_unexpected")))]
    /// The body as text, credentials scrubbed, for an error: at most
    /// 64 KiB of it, saying how much was cut.
    fn lossy_text(&self) -> String {
        capped(self.redactor.text(&String::from_utf8_lossy(&self.body)), KEPT_ERROR_BODY)
    }

    #[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_stream")))]
    fn response<T>(self, message: Option<String>, body: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            message,
            request_id: self.context.request_id,
            raw: self.body,
            #[cfg(not(omit = "page_url"))]
            url: Some(self.url),
            body,
        }
    }

    #[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure")))]
    fn decode_error<E>(self, failure: DecodeFailure) -> Error<E> {
        let DecodeParts { status, headers, body, path, reason, context } = self.decode_parts(failure);
        Error::Decode { status, headers, body, path, reason, context }
    }

    #[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure")))]
    /// The parts of a decode error; not generic, so compiled once rather
    /// than once per operation.
    fn decode_parts(self, failure: DecodeFailure) -> DecodeParts {
        let body = self.lossy_text();
        // The decoder's message may quote the body.
        let (path, reason) = (self.redactor.text(&failure.path), self.redactor.text(&failure.reason));
        DecodeParts {
            status: self.status,
            headers: Box::new(self.headers),
            body,
            path,
            reason,
            context: Box::new(self.context),
        }
    }

    #[cfg(not(omit = "outcome_unexpected"))]
    /// The parts of an unexpected-status error (see [`Self::decode_parts`]).
    fn unexpected_parts(self) -> (reqwest::StatusCode, Box<reqwest::header::HeaderMap>, String, Box<ErrorContext>) {
        let body = self.lossy_text();
        (self.status, Box::new(self.headers), body, Box::new(self.context))
    }

    #[cfg(not(omit = "outcome_ok"))]
    /// A documented success whose body is returned as decoded.
    pub(crate) fn ok<T, E>(self, decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>) -> ApiResult<T, E> {
        self.success(decode, std::convert::identity)
    }

    #[cfg(not(omit = "outcome_by_status"))]
    /// A documented success: the body decoded by `decode`, then `wrap`ped.
    pub(crate) fn success<T, S, E>(
        self,
        decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>,
        wrap: fn(T) -> S,
    ) -> ApiResult<S, E> {
        match decode(&self.body) {
            Ok(body) => Ok(self.response(None, wrap(body))),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    #[cfg(not(omit = "outcome_envelope"))]
    /// A documented success whose body carries a `message`: `open` splits
    /// the decoded body into the result and that message (unwrapping a
    /// `{message, data}` envelope, or keeping a body with more fields whole).
    pub(crate) fn ok_with_message<T, D, E>(
        self,
        decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>,
        open: fn(T) -> (D, Option<String>),
    ) -> ApiResult<D, E> {
        match decode(&self.body) {
            Ok(body) => {
                let (body, message) = open(body);
                Ok(self.response(message, body))
            }
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    #[cfg(not(omit = "outcome_failure"))]
    /// A documented error status: the body decoded by `decode`, then
    /// `wrap`ped. A body that does not decode still keeps status and headers.
    pub(crate) fn failure<T, S, E>(
        self,
        decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>,
        wrap: fn(T) -> E,
    ) -> ApiResult<S, E> {
        match decode(&self.body) {
            Ok(body) => {
                let (status, headers, context) = self.api_parts();
                Err(Error::Api { status, headers, body: wrap(body), context })
            }
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    #[cfg(not(omit = "outcome_failure"))]
    /// What a documented error keeps of the response; not generic, so the
    /// response is taken apart (and the rest dropped) once, not once per
    /// operation and status.
    fn api_parts(self) -> (reqwest::StatusCode, Box<reqwest::header::HeaderMap>, Box<ErrorContext>) {
        (self.status, Box::new(self.headers), Box::new(self.context))
    }

    #[cfg(not(omit = "outcome_stream"))]
    /// A documented success whose body is streamed as it arrives.
    pub(crate) fn stream<E>(mut self) -> ApiResult<ByteStream, E> {
        let stream = match self.unread.take() {
            Some(response) => ByteStream(Box::pin(response.bytes_stream())),
            // Read already (a body that was not left to stream): one chunk.
            None => {
                let body = std::mem::take(&mut self.body);
                ByteStream(Box::pin(OneChunk(Some(body))))
            }
        };
        Ok(self.response(None, stream))
    }

    #[cfg(not(omit = "outcome_unexpected"))]
    /// A status the operation does not document.
    pub(crate) fn unexpected<S, E>(self) -> ApiResult<S, E> {
        let (status, headers, body, context) = self.unexpected_parts();
        Err(Error::UnexpectedStatus { status, headers, body, context })
    }
}
