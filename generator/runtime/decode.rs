//! Decoding bodies: JSON (with the path of a value at fault), text, bytes
//! and streams, and the server's message in an error body.

#[cfg(any(not(omit = "operations"), not(omit = "json")))]
use super::one_line;
#[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure")))]
use super::ErrorContext;
use std::fmt;

#[cfg(not(omit = "json"))]
/// The longest JSON path an error shows, in characters.
const MAX_PATH_CHARS: usize = 200;
#[cfg(not(omit = "json"))]
/// The longest key a path keeps, in characters.
const MAX_KEY_CHARS: usize = 64;
#[cfg(not(omit = "decode_json"))]
/// The longest reason an error shows, in characters (a decoder quotes
/// values from the body).
const MAX_REASON_CHARS: usize = 300;

#[cfg(not(omit = "operations"))]
/// The server's own words in an error body: a string `message`, `error`,
/// `error_description`, `detail`, `title` or `msg` at the top level or in
/// an `error` object, shortened to one line of at most 300 characters
/// (control characters escaped).
pub(crate) fn server_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    const KEYS: [&str; 6] = ["message", "error_description", "detail", "error", "title", "msg"];
    let pick = |object: &serde_json::Value| KEYS.iter().find_map(|k| object.get(*k)?.as_str().map(str::to_string));
    let text = pick(&value).or_else(|| value.get("error").and_then(pick))?;
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short = one_line(&line, 300);
    (!short.is_empty()).then_some(short)
}

#[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure")))]
/// A body that did not decode.
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    pub(crate) path: String,
    pub(crate) reason: String,
}

#[cfg(any(not(omit = "outcome_by_status"), not(omit = "outcome_envelope"), not(omit = "outcome_failure")))]
/// What [`Error::Decode`](super::Error::Decode) holds.
pub(crate) struct DecodeParts {
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: Box<reqwest::header::HeaderMap>,
    pub(crate) body: String,
    pub(crate) path: String,
    pub(crate) reason: String,
    pub(crate) context: Box<ErrorContext>,
}

#[cfg(not(omit = "decode_json"))]
/// Decodes a JSON body in one pass, naming the path of the value that
/// failed.
pub(crate) fn json<T: super::FromJson>(body: &bytes::Bytes) -> Result<T, DecodeFailure> {
    super::Reader::read_all(body)
        .map_err(|err| DecodeFailure { path: err.path(), reason: one_line(err.reason(), MAX_REASON_CHARS) })
}

#[cfg(not(omit = "json"))]
/// One step of a JSON path: into an object's member, or a list's item.
pub(crate) enum PathStep<'a> {
    Key(&'a str),
    Index(usize),
}

#[cfg(not(omit = "json"))]
/// A key as a path shows it: on one line, at most [`MAX_KEY_CHARS`].
pub(crate) fn path_key(key: &str) -> String {
    one_line(key, MAX_KEY_CHARS)
}

#[cfg(not(omit = "json"))]
/// The path of its steps, outermost first (`data.items[2].name`; `.` for
/// none), at most [`MAX_PATH_CHARS`] long.
pub(crate) fn join_path<'a>(steps: impl Iterator<Item = PathStep<'a>>) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            PathStep::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            PathStep::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    bounded_path(path)
}

#[cfg(not(omit = "json"))]
/// A path of at most [`MAX_PATH_CHARS`]: its start and its end (the value
/// at fault), the middle cut.
fn bounded_path(path: String) -> String {
    let count = path.chars().count();
    if count <= MAX_PATH_CHARS {
        return path;
    }
    let head: String = path.chars().take(MAX_PATH_CHARS / 3).collect();
    let tail: String = path.chars().skip(count - MAX_PATH_CHARS * 2 / 3).collect();
    format!("{head}…{tail}")
}

#[cfg(not(omit = "decode_text"))]
/// A text body.
pub(crate) fn text(body: &bytes::Bytes) -> Result<String, DecodeFailure> {
    String::from_utf8(body.to_vec()).map_err(|err| DecodeFailure { path: String::new(), reason: err.to_string() })
}

#[cfg(not(omit = "decode_bytes"))]
/// A binary body.
pub(crate) fn bytes(body: &bytes::Bytes) -> Result<bytes::Bytes, DecodeFailure> {
    Ok(body.clone())
}

/// A response body as it arrives, chunk by chunk: for large downloads.
#[must_use = "a stream does nothing unless polled"]
pub struct ByteStream(
    pub(crate) std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send>>,
);

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes, reqwest::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

#[cfg(not(omit = "outcome_stream"))]
/// A body read already, as a stream of one chunk.
pub(crate) struct OneChunk(pub(crate) Option<bytes::Bytes>);

#[cfg(not(omit = "outcome_stream"))]
impl futures_core::Stream for OneChunk {
    type Item = Result<bytes::Bytes, reqwest::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().filter(|b| !b.is_empty()).map(Ok))
    }
}

#[cfg(not(omit = "decode_empty"))]
/// A body the operation does not describe; ignored.
pub(crate) fn empty(_: &bytes::Bytes) -> Result<(), DecodeFailure> {
    Ok(())
}
