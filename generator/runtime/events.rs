//! Streamed responses read as they arrive: server-sent events
//! (`text/event-stream`) and JSON Lines (`application/x-ndjson`,
//! `application/jsonl`, `application/json-seq`), each item decoded as the
//! type the document gives it.
//!
//! Time limits bound the gap between two chunks, not the whole stream (a
//! stream may last minutes); an event larger than its limit ends the
//! stream with an error. Server-sent events reconnect with `Last-Event-ID`
//! when the connection drops, for calls that are safe to repeat (or when
//! asked for).
#![cfg(not(omit = "events"))]

use super::decode::ByteStream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// One event of a stream: its data decoded, with the event's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event` field (`None` for the default, `message`).
    pub event: Option<String>,
    /// The `id` field, sent back as `Last-Event-ID` on reconnecting.
    pub id: Option<String>,
    /// The `retry` field: how long to wait before reconnecting.
    pub retry: Option<Duration>,
    /// The data, decoded.
    pub data: T,
    /// The data as sent (a JSON Lines item's line).
    pub raw: String,
}

/// How a stream is read. The defaults: 60 s at most between two chunks,
/// 1 MiB per event, `[DONE]` ends the stream, up to 3 reconnections for
/// calls safe to repeat.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    gap: Option<Duration>,
    max_event_size: usize,
    done: Vec<String>,
    reconnect: Option<bool>,
    max_reconnects: u32,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            gap: Some(Duration::from_secs(60)),
            max_event_size: 1 << 20,
            done: vec!["[DONE]".to_string()],
            reconnect: None,
            max_reconnects: 3,
        }
    }
}

impl StreamOptions {
    /// The longest wait for the next chunk (keep-alive comments count);
    /// `None` waits for ever.
    pub fn gap(mut self, gap: impl Into<Option<Duration>>) -> Self {
        self.gap = gap.into();
        self
    }

    /// The largest event (or line) read, in bytes.
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// Data that ends the stream instead of being an event (`[DONE]`, as
    /// LLM APIs send); replaces the default list.
    pub fn done_markers(mut self, markers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.done = markers.into_iter().map(Into::into).collect();
        self
    }

    /// Reconnect (with `Last-Event-ID`) when a server-sent event stream's
    /// connection drops: on by default for calls safe to repeat (GET…),
    /// off for the others unless asked for here.
    pub fn reconnect(mut self, reconnect: bool) -> Self {
        self.reconnect = Some(reconnect);
        self
    }

    /// The most reconnections in one stream.
    pub fn max_reconnects(mut self, times: u32) -> Self {
        self.max_reconnects = times;
        self
    }
}

/// Why a stream ended early.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed while reading.
    Transport(reqwest::Error),
    /// Nothing arrived within the gap limit.
    Stalled(Duration),
    /// An event (or line) grew past the size limit.
    EventTooLarge(usize),
    /// An event's data did not decode into the documented type; the
    /// stream goes on.
    Decode {
        /// The data as sent.
        raw: String,
        /// What was wrong with it.
        reason: String,
    },
    /// Reconnecting failed (the server's answer, or the last try).
    Reconnect(String),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(err) => write!(f, "the stream failed: {err}"),
            StreamError::Stalled(gap) => write!(f, "nothing arrived on the stream for {gap:?}"),
            StreamError::EventTooLarge(limit) => write!(f, "an event is larger than the limit of {limit} bytes"),
            StreamError::Decode { reason, .. } => write!(f, "an event's data does not decode: {reason}"),
            StreamError::Reconnect(why) => write!(f, "the stream could not reconnect: {why}"),
        }
    }
}

impl std::error::Error for StreamError {}

/// One field line's effect on the event being read.
#[derive(Debug, Default)]
struct Pending {
    #[cfg(not(omit = "events_sse"))]
    event: Option<String>,
    data: String,
    #[cfg(not(omit = "events_sse"))]
    has_data: bool,
    #[cfg(not(omit = "events_sse"))]
    id: Option<String>,
    #[cfg(not(omit = "events_sse"))]
    retry: Option<Duration>,
}

/// An event as parsed, before its data is decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawEvent {
    pub(crate) event: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) retry: Option<Duration>,
    pub(crate) data: String,
}

/// The framing a stream uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    #[cfg(not(omit = "events_sse"))]
    ServerSent,
    #[cfg(not(omit = "events_lines"))]
    Lines,
}

impl Framing {
    /// Whether a stream broken off can be opened again from the last
    /// event id (server-sent events have ids; JSON lines do not).
    fn resumes(self) -> bool {
        match self {
            #[cfg(not(omit = "events_sse"))]
            Framing::ServerSent => true,
            #[cfg(not(omit = "events_lines"))]
            Framing::Lines => false,
        }
    }

    /// Whether a last record without its line end counts: a JSON line does;
    /// an unfinished server-sent event does not (the format says so).
    fn ends_at_eof(self) -> bool {
        match self {
            #[cfg(not(omit = "events_sse"))]
            Framing::ServerSent => false,
            #[cfg(not(omit = "events_lines"))]
            Framing::Lines => true,
        }
    }
}

/// Turns bytes, as they arrive, into events: lines end at LF, CR or CRLF
/// (a CR at the end of one chunk and an LF at the start of the next are
/// one line end); a line is decoded only once it is whole, so a character
/// split between chunks is read whole.
#[derive(Debug)]
pub(crate) struct Parser {
    framing: Framing,
    line: Vec<u8>,
    after_cr: bool,
    pending: Pending,
    /// The last `id` seen: every later event carries it.
    last_id: Option<String>,
    limit: usize,
}

impl Parser {
    pub(crate) fn new(framing: Framing, limit: usize) -> Self {
        Self { framing, line: Vec::new(), after_cr: false, pending: Pending::default(), last_id: None, limit }
    }

    /// Reads a chunk; the events it completes are pushed to `out`.
    pub(crate) fn feed(&mut self, chunk: &[u8], out: &mut Vec<RawEvent>) -> Result<(), StreamError> {
        for &byte in chunk {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    self.line_end(&line, out);
                }
                _ => {
                    self.after_cr = false;
                    self.line.push(byte);
                    if self.line.len() + self.pending.data.len() > self.limit {
                        return Err(StreamError::EventTooLarge(self.limit));
                    }
                }
            }
        }
        Ok(())
    }

    /// The end of the body: a JSON line without its newline still counts;
    /// an unfinished server-sent event does not (the format says so).
    pub(crate) fn finish(&mut self, out: &mut Vec<RawEvent>) {
        if self.framing.ends_at_eof() && !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_end(&line, out);
        }
    }

    pub(crate) fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    fn line_end(&mut self, line: &[u8], out: &mut Vec<RawEvent>) {
        let text = String::from_utf8_lossy(line);
        match self.framing {
            #[cfg(not(omit = "events_lines"))]
            Framing::Lines => {
                // `application/json-seq` starts each record with RS.
                let text = text.trim_start_matches('\u{1e}').trim();
                if !text.is_empty() {
                    out.push(RawEvent { event: None, id: None, retry: None, data: text.to_string() });
                }
            }
            #[cfg(not(omit = "events_sse"))]
            Framing::ServerSent => self.field(&text, out),
        }
    }

    #[cfg(not(omit = "events_sse"))]
    fn field(&mut self, line: &str, out: &mut Vec<RawEvent>) {
        if line.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            if let Some(id) = pending.id {
                self.last_id = Some(id);
            }
            if pending.has_data {
                let mut data = pending.data;
                data.pop();
                out.push(RawEvent { event: pending.event, id: self.last_id.clone(), retry: pending.retry, data });
            }
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match name {
            "event" => self.pending.event = Some(value.to_string()),
            "data" => {
                self.pending.data.push_str(value);
                self.pending.data.push('\n');
                self.pending.has_data = true;
            }
            "id" if !value.contains('\0') => self.pending.id = Some(value.to_string()),
            "retry" => {
                if let Ok(ms) = value.parse::<u64>() {
                    self.pending.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
    }
}

/// Opens the stream again, from the last event id: the same request, sent
/// once more.
pub(crate) type Reopen = Box<dyn Fn(Option<String>) -> ReopenFuture + Send>;
pub(crate) type ReopenFuture = Pin<Box<dyn Future<Output = Result<ByteStream, String>> + Send>>;

type Step<T> = Pin<Box<dyn Future<Output = Option<(Result<Event<T>, StreamError>, Reader<T>)>> + Send>>;

/// A stream of decoded events. It ends when the server closes it (after
/// reconnecting, when that is on), at a done marker, or after an error
/// other than a decode error.
#[must_use = "a stream does nothing unless polled"]
pub struct Events<T> {
    reader: Option<Reader<T>>,
    step: Option<Step<T>>,
}

impl<T> fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Events")
    }
}

/// The state a stream's next step owns.
struct Reader<T> {
    body: ByteStream,
    parser: Parser,
    ready: std::collections::VecDeque<RawEvent>,
    options: StreamOptions,
    decode: fn(&str) -> Result<T, String>,
    reopen: Option<Reopen>,
    reconnects: u32,
    retry: Duration,
    ended: bool,
}

impl<T: Send + 'static> Events<T> {
    /// Reads `body` with `framing`; `reopen` (for server-sent events)
    /// sends the request again when the connection drops and `reconnect`
    /// (the call's default, which the options may change) allows it.
    pub(crate) fn new(
        body: ByteStream,
        framing: Framing,
        options: StreamOptions,
        decode: fn(&str) -> Result<T, String>,
        reopen: Option<Reopen>,
        safe_to_repeat: bool,
    ) -> Self {
        let reconnect = framing.resumes() && options.reconnect.unwrap_or(safe_to_repeat);
        let reader = Reader {
            body,
            parser: Parser::new(framing, options.max_event_size),
            ready: Default::default(),
            reopen: reopen.filter(|_| reconnect),
            options,
            decode,
            reconnects: 0,
            retry: Duration::from_secs(1),
            ended: false,
        };
        Self { reader: Some(reader), step: None }
    }
}

impl<T: Send + 'static> Reader<T> {
    /// The next event, or `None` at the end.
    async fn next(mut self) -> Option<(Result<Event<T>, StreamError>, Self)> {
        loop {
            if let Some(raw) = self.ready.pop_front() {
                if let Some(retry) = raw.retry {
                    self.retry = retry;
                }
                if self.options.done.contains(&raw.data) {
                    return None;
                }
                let event = match (self.decode)(&raw.data) {
                    Ok(data) => Ok(Event { event: raw.event, id: raw.id, retry: raw.retry, data, raw: raw.data }),
                    Err(reason) => Err(StreamError::Decode { raw: raw.data, reason }),
                };
                return Some((event, self));
            }
            if self.ended {
                return None;
            }
            let chunk = match self.options.gap {
                Some(gap) => match tokio::time::timeout(gap, next_chunk(&mut self.body)).await {
                    Ok(chunk) => chunk,
                    Err(_) => {
                        self.ended = true;
                        return Some((Err(StreamError::Stalled(gap)), self));
                    }
                },
                None => next_chunk(&mut self.body).await,
            };
            let mut out = Vec::new();
            match chunk {
                Some(Ok(bytes)) => {
                    if let Err(err) = self.parser.feed(&bytes, &mut out) {
                        self.ended = true;
                        return Some((Err(err), self));
                    }
                }
                Some(Err(err)) if self.reopen.is_none() => {
                    self.ended = true;
                    return Some((Err(StreamError::Transport(err)), self));
                }
                // A dropped connection: reconnect when allowed.
                Some(Err(_)) | None if self.reopen.is_some() && self.reconnects < self.options.max_reconnects => {
                    self.reconnects += 1;
                    tokio::time::sleep(self.retry).await;
                    let reopen = self.reopen.as_ref().map(|reopen| reopen(self.parser.last_id().map(str::to_string)));
                    match reopen {
                        Some(future) => match future.await {
                            Ok(body) => {
                                let last_id = self.parser.last_id.take();
                                self.parser = Parser::new(self.parser.framing, self.options.max_event_size);
                                self.parser.last_id = last_id;
                                self.body = body;
                            }
                            Err(why) => {
                                self.ended = true;
                                return Some((Err(StreamError::Reconnect(why)), self));
                            }
                        },
                        None => self.ended = true,
                    }
                }
                Some(Err(err)) => {
                    self.ended = true;
                    return Some((Err(StreamError::Transport(err)), self));
                }
                None => {
                    self.parser.finish(&mut out);
                    self.ended = true;
                }
            }
            self.ready.extend(out);
        }
    }
}

async fn next_chunk(body: &mut ByteStream) -> Option<Result<bytes::Bytes, reqwest::Error>> {
    std::future::poll_fn(|cx| body.poll_next_chunk(cx)).await
}

impl ByteStream {
    fn poll_next_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<bytes::Bytes, reqwest::Error>>> {
        futures_core::Stream::poll_next(self.0.as_mut(), cx)
    }
}

// Nothing in `Events` is pinned structurally: its future is boxed.
impl<T> Unpin for Events<T> {}

impl<T: Send + 'static> futures_core::Stream for Events<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.step.is_none() {
            let Some(reader) = self.reader.take() else { return Poll::Ready(None) };
            self.step = Some(Box::pin(reader.next()));
        }
        let Some(step) = self.step.as_mut() else { return Poll::Ready(None) };
        match step.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(outcome) => {
                self.step = None;
                match outcome {
                    Some((item, reader)) => {
                        self.reader = Some(reader);
                        Poll::Ready(Some(item))
                    }
                    None => Poll::Ready(None),
                }
            }
        }
    }
}

#[cfg(not(omit = "events_json"))]
/// An event's data as JSON of type `T`.
pub(crate) fn json_event<T: super::FromJson>(data: &str) -> Result<T, String> {
    super::Reader::read_all(data.as_bytes()).map_err(|err| err.to_string())
}

#[cfg(not(omit = "events_text"))]
/// An event's data as text.
pub(crate) fn text_event(data: &str) -> Result<String, String> {
    Ok(data.to_string())
}
