//! Streamed responses on the wire (the client generated from
//! `tests/fixtures/constructs/media.yaml`): server-sent events and JSON
//! Lines from a raw HTTP server on loopback that writes its chunks where
//! the test says (inside a line, inside a character), slowly, or stops.

use futures_util::StreamExt;
use media_client::types::{ChatBody, Chunk};
use media_client::{Client, Error, RetryPolicy, StreamError, StreamOptions};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does on one connection, after the status line.
#[derive(Clone)]
enum Step {
    /// Writes bytes as one chunk of the chunked body.
    Chunk(&'static [u8]),
    /// Waits.
    Sleep(u64),
}

/// A server that answers the n-th connection with `answers[n]` (a content
/// type and steps), then closes it; it records each request's head.
struct StreamServer {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn serve(answers: Vec<(&'static str, Vec<Step>)>) -> StreamServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    tokio::spawn(async move {
        for (content_type, steps) in answers {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: ").and_then(|n| n.trim().parse::<usize>().ok()))
                .unwrap_or(0);
            let mut body = vec![0u8; length];
            let _ = socket.read_exact(&mut body).await;
            seen.lock().unwrap().push(head);
            let status = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            if socket.write_all(status.as_bytes()).await.is_err() {
                continue;
            }
            for step in steps {
                match step {
                    Step::Chunk(bytes) => {
                        let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                        chunk.extend_from_slice(bytes);
                        chunk.extend_from_slice(b"\r\n");
                        if socket.write_all(&chunk).await.is_err() {
                            break;
                        }
                    }
                    Step::Sleep(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    });
    StreamServer { url, requests }
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).retry_policy(RetryPolicy::disabled()).build().unwrap()
}

#[tokio::test]
async fn events_split_anywhere_are_read_whole() {
    // One event per chunk boundary case: inside a field name, inside a
    // two-byte character, between CR and LF; a comment, a multi-line
    // data field and a retry field.
    let steps = vec![
        Step::Chunk(b": keep-alive\r\nda"),
        Step::Chunk(b"ta: caf\xc3"),
        Step::Chunk(b"\xa9\r"),
        Step::Chunk(b"\n\r\nevent: update\ndata: line one\ndata: line two\nid: 7\nretry: 2500\n\n"),
        Step::Chunk(b"data:no space\n\n"),
    ];
    let server = serve(vec![("text/event-stream", steps)]).await;
    let events = client(&server.url).feed().events_with(StreamOptions::default().reconnect(false)).await.unwrap();
    let events: Vec<_> = events.map(Result::unwrap).collect().await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0].data, "café");
    assert_eq!(events[0].event, None);
    assert_eq!(events[1].event.as_deref(), Some("update"));
    assert_eq!(events[1].data, "line one\nline two");
    assert_eq!(events[1].id.as_deref(), Some("7"));
    assert_eq!(events[1].retry, Some(Duration::from_millis(2500)));
    assert_eq!(events[2].data, "no space");
    // The last id carries on to later events.
    assert_eq!(events[2].id.as_deref(), Some("7"));
    let head = &server.requests.lock().unwrap()[0];
    assert!(head.contains("accept: text/event-stream"), "{head}");
}

#[tokio::test]
async fn json_or_events_from_one_operation() {
    let server = serve(vec![(
        "text/event-stream",
        vec![
            Step::Chunk(b"data: {\"index\":0,\"text\":\"Hel\"}\n\n"),
            Step::Chunk(b"data: {\"index\":1,\"text\":\"lo\"}\n\ndata: not json\n\n"),
            Step::Chunk(b"data: [DONE]\n\ndata: {\"index\":9,\"text\":\"after the end\"}\n\n"),
        ],
    )])
    .await;
    let body = ChatBody::new("hi").stream(true);
    let mut events = client(&server.url).chat(body).events().await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.data, Chunk::new(0, "Hel"));
    assert_eq!(first.raw, r#"{"index":0,"text":"Hel"}"#);
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk::new(1, "lo"));
    // Data that does not decode is an error, and the stream goes on.
    match events.next().await.unwrap() {
        Err(StreamError::Decode { raw, .. }) => assert_eq!(raw, "not json"),
        other => panic!("{other:?}"),
    }
    // `[DONE]` ends it.
    assert!(events.next().await.is_none());
    let head = server.requests.lock().unwrap()[0].clone();
    assert!(head.starts_with("post /chat"), "{head}");
    assert!(head.contains("accept: text/event-stream"), "{head}");

    // The plain call asks for JSON and decodes it.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_raw(r#"{"index":0,"text":"Hello"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let whole = client(&server.uri()).chat(ChatBody::new("hi")).await.unwrap();
    assert_eq!(whole.body(), &Chunk::new(0, "Hello"));
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["accept"], "application/json");
}

#[tokio::test]
async fn a_slow_stream_outlives_the_per_attempt_timeout() {
    let mut steps = Vec::new();
    for _ in 0..6 {
        steps.push(Step::Sleep(100));
        steps.push(Step::Chunk(b"data: tick\n\n"));
    }
    let server = serve(vec![("text/event-stream", steps)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .timeout(Duration::from_millis(250))
        .total_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let events = client.feed().events_with(StreamOptions::default().reconnect(false)).await.unwrap();
    let ticks: Vec<_> = events.collect().await;
    assert_eq!(ticks.len(), 6, "{ticks:?}");
    assert!(ticks.iter().all(|t| t.as_ref().is_ok_and(|t| t.data == "tick")));
}

#[tokio::test]
async fn a_stalled_stream_ends_at_the_gap_limit() {
    let server = serve(vec![("text/event-stream", vec![Step::Chunk(b"data: one\n\n"), Step::Sleep(2_000)])]).await;
    let options = StreamOptions::default().gap(Duration::from_millis(150)).reconnect(false);
    let mut events = client(&server.url).feed().events_with(options).await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, "one");
    let started = std::time::Instant::now();
    match events.next().await {
        Some(Err(StreamError::Stalled(gap))) => assert_eq!(gap, Duration::from_millis(150)),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_oversized_event_is_refused() {
    let big: &'static [u8] = Box::leak(format!("data: {}\n\n", "x".repeat(500)).into_bytes().into_boxed_slice());
    let server = serve(vec![("text/event-stream", vec![Step::Chunk(big), Step::Chunk(b"data: small\n\n")])]).await;
    let options = StreamOptions::default().max_event_size(100).reconnect(false);
    let mut events = client(&server.url).feed().events_with(options).await.unwrap();
    assert!(matches!(events.next().await, Some(Err(StreamError::EventTooLarge(100)))));
    assert!(events.next().await.is_none(), "the stream ends after an oversized event");
}

#[tokio::test]
async fn a_dropped_stream_reconnects_with_the_last_event_id() {
    let server = serve(vec![
        ("text/event-stream", vec![Step::Chunk(b"retry: 10\nid: 41\ndata: first\n\n")]),
        ("text/event-stream", vec![Step::Chunk(b"id: 42\ndata: second\n\n")]),
    ])
    .await;
    // GET is safe to repeat: reconnecting is on by default.
    let events = client(&server.url).feed().events_with(StreamOptions::default().max_reconnects(1)).await.unwrap();
    let data: Vec<String> = events.map(|e| e.unwrap().data).collect().await;
    assert_eq!(data, ["first", "second"]);
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    assert!(!requests[0].contains("last-event-id"));
    assert!(requests[1].contains("last-event-id: 41"), "{}", requests[1]);
}

#[tokio::test]
async fn a_post_stream_does_not_reconnect_unless_asked() {
    let server = serve(vec![
        ("text/event-stream", vec![Step::Chunk(b"data: {\"index\":0,\"text\":\"a\"}\n\n")]),
        ("text/event-stream", vec![Step::Chunk(b"data: {\"index\":1,\"text\":\"b\"}\n\n")]),
    ])
    .await;
    let events = client(&server.url).chat(ChatBody::new("hi")).events().await.unwrap();
    assert_eq!(events.count().await, 1);
    assert_eq!(server.requests.lock().unwrap().len(), 1, "a POST was sent again");
}

#[tokio::test]
async fn json_lines_are_read_line_by_line() {
    let server = serve(vec![(
        "application/x-ndjson",
        vec![
            Step::Chunk(b"{\"index\":0,\"text\":\"a\"}\n{\"ind"),
            Step::Chunk(b"ex\":1,\"text\":\"b\"}\r\n\n"),
            Step::Chunk(b"{\"index\":2,\"text\":\"no newline at the end\"}"),
        ],
    )])
    .await;
    let rows = client(&server.url).export_rows().events().await.unwrap();
    let rows: Vec<Chunk> = rows.map(|r| r.unwrap().data).collect().await;
    assert_eq!(rows, [Chunk::new(0, "a"), Chunk::new(1, "b"), Chunk::new(2, "no newline at the end")]);
    let head = &server.requests.lock().unwrap()[0];
    assert!(head.contains("accept: application/x-ndjson"), "{head}");
}

#[tokio::test]
async fn an_error_status_is_decoded_before_any_event() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    let outcome = client(&server.uri()).feed().events().await;
    assert!(matches!(outcome, Err(Error::UnexpectedStatus { .. })), "{outcome:?}");
}
