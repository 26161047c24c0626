//! The generated client is safe by default on the wire, shown against real
//! servers on loopback (wiremock, a second server as a foreign host, and a
//! raw TCP server that misbehaves): credentials never leave, nothing a
//! server sends panics the client, retries follow what a failure proves,
//! and errors are easy to handle.

use serde_json::{json, Value};
use statsig_autotune::client::GetAutotuneError;
use statsig_autotune::types::*;
use statsig_autotune::{ApiResponse, Client, Error, ErrorContext, RateLimiter, RetryPolicy};
use std::time::{Duration, Instant};
use tracing_core::span as tracing_core_current;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "console-Secret-Key-123";

fn autotune_json(id: &str) -> Value {
    json!({
        "id": id, "description": "d", "isStarted": false, "successEvent": "purchase", "successEventValue": "",
        "explorationWindow": "24hr", "attributionWindow": "2hrs", "winnerThreshold": "95%",
        "variants": [{"name": "red", "json": {}}, {"name": "blue", "json": {}}],
        "lastModifierID": "u1", "lastModifierName": "CONSOLE API"
    })
}

fn single(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": autotune_json(id)}))
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(1)).rate_limited_backoff(Duration::from_millis(1))
}

fn client_for(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().base_url(server.uri()).statsig_api_key(KEY).retry_policy(policy).build().expect("builds")
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn create_body() -> AutotuneCreate {
    AutotuneCreate::new(
        "x",
        vec![VariantInput::new("a", json!(1)), VariantInput::new("b", json!(2))],
        "e",
        ExplorationWindow::V1hr,
        AttributionWindow::V1hr,
        WinnerThreshold::V80Percent,
    )
}

// 1. Redirects

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let (api, foreign) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", format!("{}/steal", foreign.uri())))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/steal", foreign.uri())))
        .mount(&api)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(single("stolen")).mount(&foreign).await;
    let client = client_for(&api, fast());
    for err in [
        client.create_autotune(create_body()).await.map(|_| ()).unwrap_err().map_body(|_| ()),
        client.get_autotune("a").await.map(|_| ()).unwrap_err().map_body(|_| ()),
    ] {
        match &err {
            Error::UnexpectedStatus { status, headers, .. } => {
                assert!(status.is_redirection(), "{status}");
                assert!(headers["location"].to_str().unwrap().ends_with("/steal"));
            }
            other => panic!("expected the redirect itself, got {other:?}"),
        }
    }
    // Neither the key nor the body went to the other host.
    assert_eq!(requests_to(&foreign).await, 0);
}

#[tokio::test]
async fn a_redirect_within_the_same_origin_is_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/console/v1/autotunes/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/console/v1/autotunes/new"))
        .mount(&server)
        .await;
    Mock::given(path("/console/v1/autotunes/new"))
        .and(header("STATSIG-API-KEY", KEY))
        .respond_with(single("new"))
        .mount(&server)
        .await;
    let found = client_for(&server, fast()).get_autotune("old").await.expect("follows");
    assert_eq!(found.id, "new");
}

// 2. Secrets

#[tokio::test]
async fn a_key_the_server_echoes_is_scrubbed_from_every_error() {
    let server = MockServer::start().await;
    let echo = format!("This API requires a valid key, an invalid key was sent. Key: {KEY}");
    // Api (documented 401), UnexpectedStatus (500), Decode (a 200 that
    // does not decode), each echoing the key in its body and a header.
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"status": 401, "message": echo}))
                .insert_header("x-echo", KEY),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500).set_body_string(format!("<html>{echo}</html>")).insert_header("x-echo", KEY),
        )
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": 7, "echo": KEY})))
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::disabled());
    let errors = [
        client.delete_autotune("a").await.map(|_| ()).unwrap_err().map_body(|body| format!("{body:?}")),
        client.get_autotune("a").await.map(|_| ()).unwrap_err().map_body(|body| format!("{body:?}")),
        client.reset_autotune("a").await.map(|_| ()).unwrap_err().map_body(|body| format!("{body:?}")),
    ];
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Api { .. } => "Api",
            Error::UnexpectedStatus { .. } => "UnexpectedStatus",
            Error::Decode { .. } => "Decode",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["Api", "UnexpectedStatus", "Decode"]);
    for err in &errors {
        let printed = format!("{err} {err:?}");
        assert!(!printed.contains(KEY), "the key leaked: {printed}");
        for (_, value) in err.headers().unwrap() {
            assert!(!value.to_str().unwrap_or_default().contains(KEY));
        }
    }
    // The typed body itself is scrubbed, and the message stays readable.
    let Error::Api { body, .. } = &errors[0] else { panic!() };
    assert!(body.contains("Key: <redacted>"), "{body}");
    assert!(errors[0].to_string().contains("Key: <redacted>"), "{}", errors[0]);
}

#[tokio::test]
async fn credentials_in_headers_the_caller_adds_are_redacted_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_string("denied for tok-Default-456 and k-PerRequest-789"))
        .mount(&server)
        .await;
    let builder = Client::builder()
        .base_url(server.uri())
        .default_header("Authorization", "Bearer tok-Default-456")
        .retry_policy(RetryPolicy::disabled());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let request = client.get_autotune("a").header("X-Api-Key", "k-PerRequest-789");
    let request_debug = format!("{request:?}");
    let err = request.await.map(|_| ()).unwrap_err();
    let printed = format!("{builder_debug} {client:?} {request_debug} {err} {err:?}");
    for secret in ["tok-Default-456", "k-PerRequest-789"] {
        assert!(!printed.contains(secret), "{secret} leaked: {printed}");
    }
    // Both were sent.
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["authorization"], "Bearer tok-Default-456");
    assert_eq!(sent.headers["x-api-key"], "k-PerRequest-789");
}

#[tokio::test]
async fn a_query_key_never_shows_in_a_transport_error() {
    let closed = "http://127.0.0.1:9";
    let client = security_client::Client::builder()
        .base_url(closed)
        .query_key("query-Secret-321")
        .cookie_key("cookie-Secret-654")
        .retry_policy(security_client::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.query_and_cookie().await.map(|_| ()).unwrap_err();
    assert!(matches!(err, security_client::Error::Transport { .. }), "{err:?}");
    let printed = format!("{err} {err:?}");
    assert!(!printed.contains("query-Secret-321") && !printed.contains("cookie-Secret-654"), "{printed}");
}

#[tokio::test]
async fn a_key_given_as_the_basic_user_name_is_a_secret_too() {
    // Some payment APIs take their secret key as the basic-auth user name,
    // with an empty password.
    const USER_KEY: &str = "sk_test_UserNameKey42";
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(format!("Invalid API Key provided: {USER_KEY}"))
                .insert_header("x-echo", USER_KEY),
        )
        .mount(&server)
        .await;
    let builder = security_client::Client::builder()
        .base_url(server.uri())
        .basic(USER_KEY, "")
        .retry_policy(security_client::RetryPolicy::disabled());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.bearer_or_basic().await.map(|_| ()).unwrap_err();
    let printed = format!("{builder_debug} {client:?} {err} {err:?}");
    assert!(!printed.contains(USER_KEY), "the user-name key leaked: {printed}");
    for (_, value) in err.headers().unwrap() {
        assert!(!value.to_str().unwrap_or_default().contains(USER_KEY));
    }
    // It was sent, as `user:` in base64.
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["authorization"], "Basic c2tfdGVzdF9Vc2VyTmFtZUtleTQyOg==");
}

#[tokio::test]
async fn every_credential_kind_is_sent_where_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = security_client::Client::builder()
        .base_url(server.uri())
        .header_key("header-key")
        .query_key("query-key")
        .cookie_key("cookie-key")
        .basic("user", "pass")
        .build()
        .unwrap();
    client.uses_root_security().await.unwrap();
    client.query_and_cookie().await.unwrap();
    // Bearer or basic: only basic is set, so basic is sent.
    client.bearer_or_basic().await.unwrap();
    client.is_public().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].headers["x-api-key"], "header-key");
    assert_eq!(sent[1].url.query(), Some("api_key=query-key"));
    assert_eq!(sent[1].headers["cookie"], "session=cookie-key");
    assert_eq!(sent[2].headers["authorization"], "Basic dXNlcjpwYXNz");
    assert!(!sent[3].headers.contains_key("x-api-key"), "a public operation carries no credential");
}

// 3. No panic from anything a server sends

#[tokio::test]
async fn absurd_retry_after_values_never_panic() {
    for value in [
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sat, 01 Jan 99999 00:00:00 GMT",
        "99999999999999999999999999",
        "-1",
        "1e10",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "",
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", value))
            .mount(&server)
            .await;
        let client = client_for(&server, fast().max_retry_after(Duration::from_millis(50)).max_attempts(2));
        let started = Instant::now();
        let err = client.get_autotune("a").await.map(|_| ()).unwrap_err();
        assert!(err.is_rate_limited(), "{value:?}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{value:?} was waited for");
    }
}

#[tokio::test]
async fn a_huge_backoff_setting_never_panics() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RetryPolicy::default().initial_backoff(Duration::MAX).max_backoff(Duration::MAX).max_attempts(2);
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(policy)
        .total_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    // The wait would pass the call's time limit, so it is not started.
    let err = client.get_autotune("a").await.map(|_| ()).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
}

// 4. Path parameters

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client_for(&server, fast());
    for id in ["..", ".", ""] {
        let err = client.delete_autotune(id).await.map(|_| ()).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }), "{id:?}: {err:?}");
        assert!(err.to_string().contains("would change the path's meaning"), "{err}");
    }
    assert_eq!(requests_to(&server).await, 0);
}

// 5. Timeouts

#[test]
fn timeouts_are_set_by_default() {
    let printed = format!("{:?}", Client::builder());
    assert!(printed.contains("timeout: Some(30s)"), "{printed}");
    assert!(printed.contains("connect_timeout: Some(10s)"), "{printed}");
    assert!(printed.contains("total_timeout: Some(120s)"), "{printed}");
}

#[tokio::test]
async fn the_total_timeout_bounds_every_attempt_and_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast().max_attempts(10))
        .timeout(Duration::from_millis(150))
        .total_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.get_autotune("a").await.map(|_| ()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.context().attempts >= 2, "{err:?}");
    // A request's own limit replaces the client's.
    let err = client.get_autotune("a").total_timeout(Duration::from_millis(100)).await.map(|_| ()).unwrap_err();
    assert!(matches!(err, Error::Timeout { limit, .. } if limit == Duration::from_millis(100)), "{err:?}");
}

// 6. Retries by evidence

#[tokio::test]
async fn a_429_on_post_is_retried_then_created() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"message": "created", "data": autotune_json("x")})),
        )
        .mount(&server)
        .await;
    let created = client_for(&server, fast()).create_autotune(create_body()).await.expect("created after a 429");
    assert_eq!(created.status(), 201);
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_timeout_on_an_action_put_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"message": "started"})).set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(single("a").set_delay(Duration::from_secs(2))).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    // Start may have started the experiment: not sent again.
    let err = client.start_autotune("a").await.map(|_| ()).unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(err.context().attempts, 1);
    // A read is sent again.
    let err = client.get_autotune("a").await.map(|_| ()).unwrap_err();
    assert_eq!(err.context().attempts, 3);
    assert_eq!(requests_to(&server).await, 4);
}

#[tokio::test]
async fn a_connection_that_never_opened_is_retried_for_any_method() {
    let client = Client::builder().base_url("http://127.0.0.1:9").retry_policy(fast()).build().unwrap();
    let err = client.create_autotune(create_body()).await.map(|_| ()).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.context().attempts, 3);
    assert!(
        err.to_string().starts_with("create_autotune: request failed")
            && err.to_string().ends_with("(after 3 attempts)"),
        "{err}"
    );
}

#[tokio::test]
async fn only_the_retryable_5xx_statuses_are_retried() {
    for (status, attempts) in [(501, 1), (505, 1), (500, 3), (502, 3), (504, 3)] {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err = client_for(&server, fast()).get_autotune("a").await.map(|_| ()).unwrap_err();
        assert_eq!(err.context().attempts, attempts, "{status}");
        assert_eq!(requests_to(&server).await, attempts as usize, "{status}");
    }
}

#[tokio::test]
async fn a_429_without_retry_after_waits_at_least_the_floor() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(single("a")).mount(&server).await;
    let policy = RetryPolicy::default().rate_limited_backoff(Duration::from_millis(300));
    let started = Instant::now();
    client_for(&server, policy).get_autotune("a").await.expect("succeeds after the wait");
    assert!(started.elapsed() >= Duration::from_millis(300), "waited only {:?}", started.elapsed());
}

/// A server on loopback that closes its first `drops` connections as soon
/// as a request arrives (as a server does to a stale pooled connection),
/// then answers with `body`. Returns its base URL and the connection count.
async fn closing_server(drops: usize, body: String) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        // Bounded: a handful of connections, then the server stops.
        for _ in 0..8 {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buffer = vec![0; 8192];
            let _ = socket.read(&mut buffer).await;
            if n < drops {
                drop(socket);
                continue;
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (url, count)
}

#[tokio::test]
async fn a_connection_closed_under_a_read_is_retried_but_not_under_an_action() {
    let body = json!({"message": "ok", "data": autotune_json("a")}).to_string();
    let (url, connections) = closing_server(1, body).await;
    let client = Client::builder().base_url(url).retry_policy(fast()).build().unwrap();
    assert_eq!(client.get_autotune("a").await.expect("retried after the closed connection").id, "a");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2);

    let (url, connections) = closing_server(1, json!({"message": "started"}).to_string()).await;
    let client = Client::builder().base_url(url).retry_policy(fast()).build().unwrap();
    let err = client.start_autotune("a").await.map(|_| ()).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
}

// 7. Rate limiter

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_runs_on_tokios_clock_and_serves_waiters_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    // Configured after cloning: the clone shares the window.
    let limiter = RateLimiter::new();
    let shared = limiter.clone();
    let limiter = limiter.limit(1, Duration::from_secs(10));
    assert_eq!(shared.windows(), [(1, Duration::from_secs(10))]);
    let client = Client::builder()
        .base_url(server.uri())
        .rate_limiter(shared)
        .timeout(None)
        .connect_timeout(None)
        .total_timeout(None)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for i in 0..4 {
        let (client, order) = (client.clone(), order.clone());
        tasks.push(tokio::spawn(async move {
            client.start_autotune(format!("t{i}")).await.expect("starts");
            order.lock().unwrap().push(i);
        }));
        tokio::task::yield_now().await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    // Four requests, one per 10 s of Tokio's (paused) clock, in arrival order.
    assert!(started.elapsed() >= Duration::from_secs(30), "{:?}", started.elapsed());
    assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3]);
    let printed = format!("{limiter:?}");
    assert!(printed.len() < 200 && printed.contains("1 per 10s"), "{printed}");
}

#[tokio::test]
async fn a_429_pauses_the_rate_limiter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(single("a")).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
        .rate_limiter(RateLimiter::new())
        .build()
        .unwrap();
    assert!(client.get_autotune("a").await.unwrap_err().is_rate_limited());
    // The next call, from the same limiter, waits out the server's second.
    let started = Instant::now();
    client.get_autotune("a").await.expect("succeeds after the pause");
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
}

// 8. Errors

#[tokio::test]
async fn errors_say_status_request_id_retry_after_and_message() {
    let server = MockServer::start().await;
    Mock::given(path("/console/v1/autotunes/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"status": 404, "message": "Autotune Experiment not found."}))
                .insert_header("x-request-id", "req-1"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/console/v1/autotunes/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    Mock::given(path("/console/v1/autotunes/gateway"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html><body><h1>502 Bad Gateway</h1></body></html>"))
        .mount(&server)
        .await;
    Mock::given(path("/console/v1/autotunes/odd"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"unexpected": true}))
                .insert_header("x-request-id", "req-2"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::disabled());

    let missing = client.get_autotune("missing").await.map(|_| ()).unwrap_err();
    assert!(missing.is_not_found() && !missing.is_rate_limited());
    assert_eq!(missing.request_id(), Some("req-1"));
    assert_eq!(missing.to_string(), "get_autotune: the server answered 404 Not Found: Autotune Experiment not found.");
    assert!(matches!(missing.api_body(), Some(GetAutotuneError::NotFound(_))));

    let busy = client.get_autotune("busy").await.map(|_| ()).unwrap_err();
    assert!(busy.is_rate_limited());
    assert_eq!(busy.retry_after(), Some(Duration::from_secs(120)));

    let gateway = client.get_autotune("gateway").await.map(|_| ()).unwrap_err();
    assert_eq!(gateway.to_string(), "get_autotune: the server answered with undocumented status 502 Bad Gateway");

    // A documented status whose body does not match keeps status and headers.
    let odd = client.get_autotune("odd").await.map(|_| ()).unwrap_err();
    assert!(matches!(odd, Error::Decode { .. }), "{odd:?}");
    assert!(odd.is_not_found());
    assert_eq!(odd.request_id(), Some("req-2"));
}

#[tokio::test]
async fn nan_and_out_of_range_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client_for(&server, fast());
    let patch = AutotunePartialUpdate::default().exploration_window_rate(f64::NAN);
    let err = client.partially_update_autotune("a", patch).await.map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("`explorationWindowRate` is NaN"), "{err}");
    let err = client.list_autotunes().page(0).await.map(|_| ()).unwrap_err();
    assert_eq!(err.to_string(), "list_autotunes: invalid request: `page` is 0, below the minimum 1");
    // The validation error is the source.
    let source = std::error::Error::source(&err).expect("a source");
    assert_eq!(source.to_string(), "`page` is 0, below the minimum 1");
    assert_eq!(requests_to(&server).await, 0);
}

// 10. Extension points

#[tokio::test]
async fn a_hook_signs_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(header("x-signature", "sig-1")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    Mock::given(header("x-signature", "sig-2")).respond_with(single("a")).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast())
        .on_request(|request, attempt| {
            let value = format!("sig-{attempt}").parse()?;
            request.headers_mut().insert("x-signature", value);
            Ok(())
        })
        .build()
        .unwrap();
    assert_eq!(client.get_autotune("a").await.expect("the second attempt is signed anew").id, "a");

    let refusing =
        Client::builder().base_url(server.uri()).on_request(|_, _| Err("no signing key".into())).build().unwrap();
    let err = refusing.get_autotune("a").await.map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("no signing key"), "{err}");
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn an_async_hook_awaits_before_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(header("x-signature", "remote-1")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    Mock::given(header("x-signature", "remote-2")).respond_with(single("a")).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast())
        .on_request_async(|mut request, attempt| async move {
            // A signature that takes a round trip to get.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            request.headers_mut().insert("x-signature", format!("remote-{attempt}").parse()?);
            Ok(request)
        })
        .build()
        .unwrap();
    assert_eq!(client.get_autotune("a").await.expect("the second attempt is signed anew").id, "a");
    let refusing = Client::builder()
        .base_url(server.uri())
        .on_request_async(|_, _| async { Err("the signer is down".into()) })
        .build()
        .unwrap();
    let err = refusing.get_autotune("a").await.map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("the signer is down"), "{err}");
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn requests_and_page_streams_can_be_spawned() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    Mock::given(path("/console/v1/autotunes/a")).respond_with(single("a")).mount(&server).await;
    Mock::given(path("/console/v1/autotunes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "message": "listed", "data": [autotune_json("p")],
            "pagination": {"itemsPerPage": 1, "pageNumber": 1, "nextPage": null, "previousPage": null}
        })))
        .mount(&server)
        .await;
    let client = client_for(&server, fast());
    let one = tokio::spawn(client.get_autotune("a").send());
    let all = tokio::spawn(client.list_autotunes().items().collect::<Vec<_>>());
    let response = one.await.unwrap().expect("spawned request");
    // The raw body is kept beside the decoded one.
    let raw: Value = serde_json::from_slice(response.raw_body()).unwrap();
    assert_eq!(raw["data"]["id"], "a");
    assert_eq!(all.await.unwrap().len(), 1);
}

#[test]
fn responses_and_errors_can_be_built_for_fakes() {
    let status = statsig_autotune::reqwest::StatusCode::OK;
    let fake: ApiResponse<u32> = ApiResponse::new(status, Default::default(), 7).with_message("done");
    assert_eq!((*fake, fake.message()), (7, Some("done")));
    let err: Error<GetAutotuneError> = Error::api(
        ErrorContext::new("get_autotune"),
        statsig_autotune::reqwest::StatusCode::NOT_FOUND,
        GetAutotuneError::NotFound(ErrorBody::new(404, "gone")),
    );
    assert!(err.is_not_found());
    assert_eq!(err.to_string(), "get_autotune: the server answered 404 Not Found");
}

/// Records span fields and event messages from the client's `tracing`,
/// and which span is entered (the client records on the current span).
#[derive(Default, Clone)]
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<String>>>, std::sync::Arc<std::sync::Mutex<RecorderSpans>>);

#[derive(Default)]
struct RecorderSpans {
    metadata: Vec<&'static tracing::Metadata<'static>>,
    entered: Vec<tracing::span::Id>,
}

struct FieldText<'a>(&'a mut String);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut FieldText(&mut line));
        self.0.lock().unwrap().push(line);
        let mut spans = self.1.lock().unwrap();
        spans.metadata.push(span.metadata());
        tracing::span::Id::from_u64(spans.metadata.len() as u64)
    }
    fn current_span(&self) -> tracing_core_current::Current {
        let spans = self.1.lock().unwrap();
        match spans.entered.last() {
            Some(id) => tracing_core_current::Current::new(id.clone(), spans.metadata[id.into_u64() as usize - 1]),
            None => tracing_core_current::Current::none(),
        }
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "record".to_string();
        values.record(&mut FieldText(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = "event".to_string();
        event.record(&mut FieldText(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, id: &tracing::span::Id) {
        self.1.lock().unwrap().entered.push(id.clone());
    }
    fn exit(&self, _: &tracing::span::Id) {
        self.1.lock().unwrap().entered.pop();
    }
}

#[tokio::test]
async fn tracing_shows_each_call_its_attempts_and_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(single("a")).mount(&server).await;
    let recorder = Recorder::default();
    let client = client_for(&server, fast());
    let call = client.get_autotune("a").send();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    call.await.expect("succeeds on the second attempt");
    let lines = recorder.0.lock().unwrap().join("\n");
    assert!(
        lines.contains(r#"span request operation="get_autotune" method=GET path="/console/v1/autotunes/{id}""#),
        "{lines}"
    );
    assert!(lines.contains("record attempts=2"), "{lines}");
    assert!(lines.contains("record status=200"), "{lines}");
    assert!(lines.contains(r#"message=retrying attempt=1"#) && lines.contains(r#"reason="server error""#), "{lines}");
}
