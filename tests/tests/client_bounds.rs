//! Safe by default, round two, against adversarial servers on loopback:
//! memory and error text stay bounded whatever a server sends, what a
//! server echoes of a credential is scrubbed in every form, no setting
//! panics, a bad credential is refused by `build()`, a 429 pauses only what
//! the limiter paces, and a call that carries an idempotency key keeps it
//! across its retries.

use serde_json::json;
use statsig_autotune::{BuildError, Client, Error, RateLimiter, RetryPolicy};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "console-Secret-Key-123";

fn client_for(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder().base_url(base_url).statsig_api_key(KEY).retry_policy(policy).build().expect("builds")
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(1)).rate_limited_backoff(Duration::from_millis(1))
}

/// A raw server whose every answer is a 200 with a chunked body that never
/// ends (it stops after 256 MiB, or when the client hangs up); the number
/// of connections it accepted.
async fn endless_body_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                for _ in 0..4096 {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{address}"), connections)
}

// 1. Response size limit

#[tokio::test]
async fn an_endless_body_ends_the_call_at_the_limit_without_a_retry() {
    let (base_url, connections) = endless_body_server().await;
    let client = client_for(&base_url, fast());
    let started = Instant::now();
    let err = client.get_autotune("a").max_response_size(4 << 20).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 0x40_0000, .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.context().attempts, 1);
    assert_eq!(connections.load(Ordering::SeqCst), 1, "a GET that was too large was sent again");
    assert!(err.to_string().contains("larger than the limit of 4194304 bytes"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // The client's default (32 MiB) holds too.
    let err = client.get_autotune("a").await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 0x200_0000, .. }), "{err:?}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_declared_length() {
    let server = MockServer::start().await;
    let big = json!({"message": "ok", "data": {"padding": "x".repeat(2 << 20)}});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(big)).mount(&server).await;
    let client =
        Client::builder().base_url(server.uri()).statsig_api_key(KEY).max_response_size(1 << 20).build().unwrap();
    let err = client.get_autotune("a").await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 0x10_0000, .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    // Within a larger limit for this request, the same body is read (and
    // fails to decode as an Autotune, which says the limit let it through).
    let err = client.get_autotune("a").max_response_size(8 << 20).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn an_error_body_is_kept_up_to_64_kib_and_says_what_was_cut() {
    let server = MockServer::start().await;
    let body = "e".repeat(200 * 1024);
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string(body)).mount(&server).await;
    let client = client_for(&server.uri(), RetryPolicy::disabled());
    let err = client.get_autotune("a").await.unwrap_err();
    let Error::UnexpectedStatus { body, .. } = &err else { panic!("{err:?}") };
    assert!(body.len() < 65 * 1024, "{} bytes kept", body.len());
    assert!(body.ends_with(&format!("… ({} more bytes not kept)", 200 * 1024 - 64 * 1024)), "{}", &body[65000..]);
}

// 2. Bounded, one-line error output

#[tokio::test]
async fn a_deeply_nested_error_body_gives_one_short_line() {
    let server = MockServer::start().await;
    // Every key has a line break in it, too.
    let depth = 200_000;
    let nested = format!("{}1{}", "{\"k\\ny\":".repeat(depth), "}".repeat(depth));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(nested, "application/json"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), RetryPolicy::disabled());
    let err = client.get_autotune("a").await.unwrap_err();
    let shown = err.to_string();
    assert!(shown.chars().count() < 1000, "{} characters: {}", shown.len(), &shown[..300]);
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
}

#[tokio::test]
async fn control_characters_from_a_server_never_break_the_line() {
    let server = MockServer::start().await;
    // A message that would forge a log line and color a terminal, and a
    // decode error that quotes a value with a line break in it.
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"status": 401, "message": "denied\u{1b}[31m\u{2028}ERROR forged line"})),
        )
        .mount(&server)
        .await;
    let forged_value = "{\"message\":\"ok\",\"data\":{\"id\":\"a\",\"isStarted\":\"x\\ny\\u001b\"}}";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(forged_value, "application/json"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), RetryPolicy::disabled());
    let errors = [client.delete_autotune("a").await.unwrap_err().to_string(), {
        let err = client.get_autotune("a").await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        err.to_string()
    }];
    for shown in errors {
        assert!(!shown.chars().any(|c| c.is_control() || c == '\u{2028}'), "{shown:?}");
    }
}

// 3. Redaction of what is decoded

#[tokio::test]
async fn a_key_echoed_in_any_spelling_is_scrubbed_after_decoding_too() {
    let server = MockServer::start().await;
    // JSON escapes spell the key without its bytes appearing in the body.
    let escaped = KEY.replacen('c', "\\u0063", 1);
    let body = format!("{{\"status\":401,\"message\":\"Key: {escaped}\"}}");
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    // Percent-encoded (lower-case hex, `+` for a space) and base64 echoes
    // in another error, of a token the request carries and of the key.
    let token = "tok/with+special chars";
    let percent = "tok%2fwith%2bspecial+chars";
    let base64 = "Y29uc29sZS1TZWNyZXQtS2V5LTEyMw";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("url {percent} basic {base64}==")))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), RetryPolicy::disabled());
    let denied = client.delete_autotune("a").await.unwrap_err();
    let failed = client.get_autotune("a").header("X-Api-Token", token).await.unwrap_err();
    for err in [format!("{denied} {denied:?}"), format!("{failed} {failed:?}")] {
        for form in [KEY, percent, base64] {
            assert!(!err.contains(form), "`{form}` leaked: {err}");
        }
    }
    assert_eq!(denied.server_message(), Some("Key: <redacted>"));
}

// 4. No panic from any setting

#[tokio::test]
async fn the_limiter_and_retries_survive_extreme_settings() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "18446744073709551615"))
        .mount(&server)
        .await;
    let limiter =
        RateLimiter::new().limit(u32::MAX, Duration::MAX).limit(0, Duration::ZERO).limit(1, Duration::from_nanos(1));
    let policy = RetryPolicy::disabled().max_retry_after(Duration::MAX).max_backoff(Duration::MAX);
    let client = Client::builder()
        .base_url(server.uri())
        .statsig_api_key(KEY)
        .retry_policy(policy)
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    // The 429 pauses the limiter for as long as the clock allows: no
    // overflow, and the error comes back.
    let err = client.start_autotune("a").await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    // A read is not held for ever by a paused limiter whose wait is the
    // call's to bound: the total time limit ends it.
    let err = client.get_autotune("a").total_timeout(Duration::from_millis(200)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

// 5. Credentials checked by build()

#[test]
fn a_credential_a_header_cannot_carry_is_refused_by_build() {
    let bad = "key-with\r\nX-Injected: 1";
    let err = Client::builder().statsig_api_key(bad).build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidCredential(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("key-with") && !shown.contains("X-Injected"), "{shown}");
    assert!(shown.contains("STATSIG-API-KEY"), "{shown}");
}

// 6. A pause scoped to what was limited

#[tokio::test]
async fn a_429_on_a_mutation_pauses_mutations_only() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"status": 404, "message": "no"})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"status": 404, "message": "no"})))
        .mount(&server)
        .await;
    let limiter = RateLimiter::new().limit(1000, Duration::from_secs(1)).mutations_only();
    let client = Client::builder()
        .base_url(server.uri())
        .statsig_api_key(KEY)
        .retry_policy(RetryPolicy::disabled())
        .rate_limiter(limiter)
        .build()
        .unwrap();
    // A 429 on a read pauses nothing: the next mutation goes at once.
    assert!(client.get_autotune("a").await.unwrap_err().is_rate_limited());
    let started = Instant::now();
    assert!(client.delete_autotune("a").await.unwrap_err().is_not_found());
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // A 429 on a mutation pauses mutations, and only them.
    assert!(client.start_autotune("a").await.unwrap_err().is_rate_limited());
    let started = Instant::now();
    assert!(client.get_autotune("a").await.unwrap_err().is_not_found());
    assert!(started.elapsed() < Duration::from_secs(5), "a read waited {:?}", started.elapsed());
    let paused = client.delete_autotune("a").total_timeout(Duration::from_millis(500)).await.unwrap_err();
    assert!(paused.is_timeout(), "a mutation went through the pause: {paused:?}");
}

// 7. Idempotency keys

#[tokio::test]
async fn an_idempotency_key_stays_the_same_across_the_attempts_of_a_call() {
    use media_client::types::Item;
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).mount(&server).await;
    let created = ResponseTemplate::new(201).set_body_raw(r#"{"name":"a"}"#, "application/vnd.api+json");
    Mock::given(method("POST")).respond_with(created).mount(&server).await;
    let client = media_client::Client::builder()
        .base_url(server.uri())
        .retry_policy(media_client::RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    // A POST is retried on a 503 because the key makes it safe.
    client.create_item(Item::new("a")).await.expect("created on the third attempt");
    client.create_item(Item::new("b")).await.expect("created");
    client.create_item(Item::new("c")).idempotency_key("caller-key-1").await.expect("created");
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["idempotency-key"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 5);
    assert!(keys[0] == keys[1] && keys[1] == keys[2], "{keys:?}");
    assert_ne!(keys[2], keys[3], "two calls shared a key");
    assert_eq!(keys[4], "caller-key-1");
    for key in &keys[..4] {
        let parts: Vec<usize> = key.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{key}");
        assert_eq!(&key[14..15], "4", "not a version 4 UUID: {key}");
    }
}
