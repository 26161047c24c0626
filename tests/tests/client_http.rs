//! The generated client against a real HTTP server on loopback (wiremock):
//! method, path, query, headers and body of every operation, and how each
//! kind of response comes back.

use serde_json::{json, Value};
use statsig_autotune::client::{GetAutotuneError, PartiallyUpdateAutotuneError};
use statsig_autotune::types::*;
use statsig_autotune::{Client, Error};
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "console-test-key";

fn autotune_json(id: &str) -> Value {
    json!({
        "id": id, "description": "d", "isStarted": false, "successEvent": "purchase", "successEventValue": "",
        "explorationWindow": "24hr", "attributionWindow": "2hrs", "winnerThreshold": "95%",
        "variants": [{"name": "red", "id": "v1", "json": {"color": "red"}}, {"name": "blue", "id": "v2", "json": {}}],
        "winner": null, "team": null, "lastModifierID": "u1", "lastModifierName": "CONSOLE API"
    })
}

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).statsig_api_key(KEY).build().expect("client builds");
    (server, client)
}

/// Matchers every request must meet: the API key and JSON accepted.
fn authed(m: wiremock::MockBuilder) -> wiremock::MockBuilder {
    m.and(header("STATSIG-API-KEY", KEY)).and(header("accept", "application/json"))
}

#[tokio::test]
async fn list_sends_paging_and_decodes_the_page() {
    let (server, client) = setup().await;
    let page = json!({
        "message": "Autotune Experiments listed successfully.",
        "data": [autotune_json("a"), autotune_json("b")],
        "pagination": {"itemsPerPage": 2, "pageNumber": 3, "totalItems": 9, "nextPage": "/console/v1/autotunes?page=4", "previousPage": null}
    });
    authed(Mock::given(method("GET")).and(path("/console/v1/autotunes")))
        .and(query_param("page", "3"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .expect(1)
        .mount(&server)
        .await;
    let response = client.list_autotunes().page(3).limit(2).await.expect("lists");
    assert_eq!(response.status(), 200);
    // A body with more than `{message, data}` stays whole; its message is still at hand.
    assert_eq!(response.message(), Some("Autotune Experiments listed successfully."));
    assert_eq!(response.data.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(response.pagination.next_page.as_deref(), Some("/console/v1/autotunes?page=4"));
    assert_eq!(response.data[0].exploration_window, ExplorationWindow::V24hr);
}

#[tokio::test]
async fn create_posts_the_body_and_decodes_201() {
    let (server, client) = setup().await;
    // Optional fields through setters taking `impl Into<T>`.
    let body = AutotuneCreate::new(
        "exp",
        vec![VariantInput::new("red", json!({"color": "red"})), VariantInput::new("blue", json!({}))],
        "purchase",
        ExplorationWindow::V24hr,
        AttributionWindow::V2hrs,
        WinnerThreshold::V95Percent,
    )
    .exploration_window_rate(0.5)
    .description("Which color sells?")
    .feature_list(["country", "device"]);
    let expected_body = json!({
        "name": "exp", "successEvent": "purchase", "explorationWindow": "24hr", "attributionWindow": "2hrs",
        "winnerThreshold": "95%", "explorationWindowRate": 0.5, "description": "Which color sells?", "featureList": ["country", "device"],
        "variants": [{"name": "red", "json": {"color": "red"}}, {"name": "blue", "json": {}}]
    });
    authed(Mock::given(method("POST")).and(path("/console/v1/autotunes")))
        .and(header("content-type", "application/json"))
        .and(header("x-respect-review-settings", "true"))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"message": "created", "data": autotune_json("exp")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = client.create_autotune(body).x_respect_review_settings("true").await.expect("creates");
    assert_eq!(created.status(), 201);
    // The `{message, data}` envelope is opened: the body is the Autotune.
    assert_eq!(created.message(), Some("created"));
    assert_eq!(created.id, "exp");
    assert!(created.body().winner.is_null());
}

#[tokio::test]
async fn every_id_operation_hits_its_method_and_path() {
    let (server, client) = setup().await;
    let message = |m: &str| ResponseTemplate::new(200).set_body_json(json!({ "message": m }));
    let single = ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": autotune_json("x y")}));
    // The ID is percent-encoded as one path segment.
    let id_path = "/console/v1/autotunes/x%20y";
    for (verb, route, response) in [
        ("GET", id_path.to_string(), single.clone()),
        ("POST", id_path.to_string(), single.clone()),
        ("PATCH", id_path.to_string(), single.clone()),
        ("DELETE", id_path.to_string(), message("deleted")),
        ("PUT", format!("{id_path}/make_decision"), message("decided")),
        ("PUT", format!("{id_path}/reset"), message("reset")),
        ("PUT", format!("{id_path}/start"), message("started")),
    ] {
        authed(Mock::given(method(verb)).and(path(route))).respond_with(response).expect(1).mount(&server).await;
    }
    let full = AutotuneFullUpdate::new(
        vec![VariantInput::new("a", json!(1)), VariantInput::new("b", json!(2))],
        "purchase",
        ExplorationWindow::V1hr,
        AttributionWindow::V1hr,
        WinnerThreshold::V80Percent,
    );
    let patch = AutotunePartialUpdate::default().description("new");
    let decision = ExperimentStatusUpdate::new("group", "because");
    assert_eq!(client.get_autotune("x y").await.unwrap().id, "x y");
    assert_eq!(client.update_autotune("x y", full).await.unwrap().id, "x y");
    assert_eq!(client.partially_update_autotune("x y", patch).await.unwrap().id, "x y");
    assert_eq!(client.delete_autotune("x y").await.unwrap().message(), Some("deleted"));
    assert_eq!(client.finish_autotune_early("x y", decision).await.unwrap().message(), Some("decided"));
    assert_eq!(client.reset_autotune("x y").await.unwrap().message(), Some("reset"));
    assert_eq!(client.start_autotune("x y").send().await.unwrap().message(), Some("started"));
}

#[tokio::test]
async fn patch_sends_only_the_fields_set() {
    let (server, client) = setup().await;
    Mock::given(method("PATCH"))
        .and(path("/console/v1/autotunes/a"))
        .and(body_json(json!({"description": "only this"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": autotune_json("a")})))
        .expect(1)
        .mount(&server)
        .await;
    let patch = AutotunePartialUpdate { description: Some("only this".into()), ..Default::default() };
    client.partially_update_autotune("a", patch).await.expect("patches");
}

#[tokio::test]
async fn documented_errors_come_back_typed() {
    let (server, client) = setup().await;
    let not_found = json!({"status": 404, "message": "Not Found. The requested resource could not be found."});
    Mock::given(method("GET"))
        .and(path("/console/v1/autotunes/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&not_found).insert_header("x-request-id", "r1"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/console/v1/autotunes/bad"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"status": 400, "message": "Invalid request."})))
        .mount(&server)
        .await;
    match client.get_autotune("missing").await {
        Err(Error::Api { status, headers, body: GetAutotuneError::NotFound(body), .. }) => {
            assert_eq!(status, 404);
            assert_eq!(headers["x-request-id"], "r1");
            assert_eq!(body.status, 404);
            assert_eq!(body.message, "Not Found. The requested resource could not be found.");
        }
        other => panic!("expected a typed 404, got {other:?}"),
    }
    match client.partially_update_autotune("bad", AutotunePartialUpdate::default()).await {
        Err(Error::Api { body: PartiallyUpdateAutotuneError::BadRequest(body), .. }) => assert_eq!(body.status, 400),
        other => panic!("expected a typed 400, got {other:?}"),
    }
}

#[tokio::test]
async fn undocumented_status_keeps_status_headers_and_body() {
    // Without retries: the 503's `Retry-After: 7` would be honoured.
    let (server, client) = setup_with(statsig_autotune::RetryPolicy::disabled()).await;
    Mock::given(method("PUT"))
        .and(path("/console/v1/autotunes/a/start"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down").insert_header("retry-after", "7"))
        .mount(&server)
        .await;
    match client.start_autotune("a").await {
        Err(Error::UnexpectedStatus { status, headers, body, .. }) => {
            assert_eq!(status, 503);
            assert_eq!(headers["retry-after"], "7");
            assert_eq!(body, "upstream down");
        }
        other => panic!("expected an unexpected-status error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_decode_names_the_failing_field() {
    let (server, client) = setup().await;
    let mut broken = autotune_json("a");
    broken["variants"][1]["name"] = json!(42);
    Mock::given(method("GET"))
        .and(path("/console/v1/autotunes/a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": broken})))
        .mount(&server)
        .await;
    match client.get_autotune("a").await {
        Err(Error::Decode { status, path, body, reason, .. }) => {
            assert_eq!(status, 200);
            // The path is the wire path, through the envelope the client opened.
            assert_eq!(path, "data.variants[1].name");
            assert!(reason.contains("invalid type"), "{reason}");
            assert!(body.contains("\"name\":42"), "{body}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn a_union_no_variant_fits_names_the_path_and_why_each_variant_refused() {
    let text = r#"{"type": "user_id", "targetValue": [1, "a"]}"#;
    let err = serde_json::from_str::<TargetingCondition>(text).unwrap_err().to_string();
    assert!(err.contains("the value fits no variant of `TargetingConditionTargetValue`"), "{err}");
    // Each variant's reason, with the path within it, and the union's place.
    assert!(err.contains("`StringList`: invalid type: integer `1`, expected a string at `[0]`"), "{err}");
    assert!(err.contains("`NumberList`: invalid type: string \"a\", expected f64 at `[1]`"), "{err}");
    assert!(err.contains("at `targetValue`"), "{err}");
}

#[tokio::test]
async fn the_api_key_never_shows_in_debug_output() {
    let (server, client) = setup_with(fast_retries()).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string("boom")).mount(&server).await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"status": 401, "message": "bad key"})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    let refused = Client::builder().base_url("http://127.0.0.1:9").statsig_api_key(KEY).build().unwrap();
    let one_variant = AutotuneCreate::new(
        "x",
        vec![VariantInput::new("only", json!({}))],
        "e",
        ExplorationWindow::V1hr,
        AttributionWindow::V1hr,
        WinnerThreshold::V80Percent,
    );
    // One error of every kind: UnexpectedStatus, Api, Decode, Transport,
    // Validation, InvalidRequest.
    let errors = [
        client.get_autotune("a").await.map(|_| ()).unwrap_err().to_string_and_debug(),
        client.delete_autotune("a").await.map(|_| ()).unwrap_err().to_string_and_debug(),
        client.start_autotune("a").await.map(|_| ()).unwrap_err().to_string_and_debug(),
        refused.get_autotune("a").await.map(|_| ()).unwrap_err().to_string_and_debug(),
        client.create_autotune(one_variant).await.map(|_| ()).unwrap_err().to_string_and_debug(),
        client.reset_autotune("a").header("x-bad", "line\nbreak").await.map(|_| ()).unwrap_err().to_string_and_debug(),
    ];
    let kinds: Vec<&str> = errors.iter().map(|e| e.split(['{', '(', ' ']).next().unwrap()).collect();
    assert_eq!(kinds, ["UnexpectedStatus", "Api", "Decode", "Transport", "Validation", "InvalidRequest"]);
    let printed = format!("{client:?} {refused:?} {errors:?}");
    assert!(!printed.contains(KEY), "the key leaked: {printed}");
    assert!(printed.contains("<redacted>"));
    // And the server did receive it.
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["STATSIG-API-KEY"], KEY);
}

/// `Debug` (which starts with the variant's name), then `Display`.
trait Printed {
    fn to_string_and_debug(&self) -> String;
}

impl<E: std::fmt::Debug> Printed for Error<E> {
    fn to_string_and_debug(&self) -> String {
        format!("{self:?} / {self}")
    }
}

#[tokio::test]
async fn the_user_agent_names_the_crate() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(header_exists("user-agent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client.reset_autotune("a").await.expect("resets");
    let requests = server.received_requests().await.unwrap();
    let agent = requests[0].headers["user-agent"].to_str().unwrap().to_string();
    assert!(agent.starts_with("statsig-autotune/"), "{agent}");
}

#[tokio::test]
async fn default_base_url_is_statsigs() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://statsigapi.net");
    let client = Client::new("k").unwrap();
    assert_eq!(client.base_url(), "https://statsigapi.net");
    let client = Client::builder().base_url("http://127.0.0.1:1/").build().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:1");
}

fn fast_retries() -> statsig_autotune::RetryPolicy {
    statsig_autotune::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1))
}

async fn setup_with(policy: statsig_autotune::RetryPolicy) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).statsig_api_key(KEY).retry_policy(policy).build().unwrap();
    (server, client)
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_then_succeeds() {
    let (server, client) = setup_with(fast_retries()).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": autotune_json("a")})))
        .mount(&server)
        .await;
    let found = client.get_autotune("a").await.expect("succeeds after the retry");
    assert_eq!(found.id, "a");
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_503_that_persists_exhausts_the_attempts() {
    let (server, client) = setup_with(fast_retries().max_attempts(3)).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let err = client.get_autotune("a").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.is_retryable());
    assert_eq!(err.context().attempts, 3);
    assert!(err.to_string().ends_with("(after 3 attempts)"), "{err}");
    assert_eq!(requests_to(&server).await, 3);
}

#[tokio::test]
async fn post_is_not_retried_unless_allowed() {
    let body = || {
        AutotuneCreate::new(
            "x",
            vec![VariantInput::new("a", json!(1)), VariantInput::new("b", json!(2))],
            "e",
            ExplorationWindow::V1hr,
            AttributionWindow::V1hr,
            WinnerThreshold::V80Percent,
        )
    };
    let (server, client) = setup_with(fast_retries()).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    assert!(client.create_autotune(body()).await.is_err());
    assert_eq!(requests_to(&server).await, 1, "POST was retried by default");

    let (server, client) = setup_with(fast_retries().retry_non_idempotent(true)).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
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
    assert_eq!(client.create_autotune(body()).await.unwrap().status(), 201);
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let policy = fast_retries().max_retry_after(std::time::Duration::from_secs(5));
    let (server, client) = setup_with(policy).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let err = client.get_autotune("a").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn a_slow_answer_times_out_per_request() {
    let (server, client) = setup_with(statsig_autotune::RetryPolicy::disabled()).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_millis(500)))
        .mount(&server)
        .await;
    let err = client.get_autotune("a").timeout(std::time::Duration::from_millis(50)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn version_default_and_extra_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(header("STATSIG-API-VERSION", "20240601"))
        .and(header("x-trace", "t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).statsig_api_key(KEY).build().unwrap();
    client.reset_autotune("a").header("x-trace", "t1").await.expect("sent with both headers");

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(header("STATSIG-API-VERSION", "20991231"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client =
        Client::builder().base_url(server.uri()).default_header("STATSIG-API-VERSION", "20991231").build().unwrap();
    client.reset_autotune("a").await.expect("the caller's version wins");
    let bad = client.reset_autotune("a").header("bad header", "x").await.unwrap_err();
    assert!(matches!(bad, Error::InvalidRequest { .. }), "{bad:?}");
}

#[test]
fn builder_and_client_debug_redact_the_key() {
    let builder = Client::builder().statsig_api_key(KEY);
    let printed = format!("{builder:?}");
    assert!(!printed.contains(KEY) && printed.contains("<redacted>"), "{printed}");
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(KEY));
    let invalid = Client::builder().default_header("bad name", "x").build().unwrap_err();
    assert!(!invalid.to_string().contains(KEY));
}

#[tokio::test]
async fn constraints_are_checked_before_sending() {
    let (server, client) = setup().await;
    let one_variant = AutotuneCreate::new(
        "x",
        vec![VariantInput::new("only", json!({}))],
        "e",
        ExplorationWindow::V1hr,
        AttributionWindow::V1hr,
        WinnerThreshold::V80Percent,
    );
    match client.create_autotune(one_variant).await {
        Err(Error::Validation { source: err, .. }) => {
            assert_eq!(err.path, "variants");
            assert_eq!(err.to_string(), "`variants` has 1 items, fewer than the minimum 2");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let patch = AutotunePartialUpdate { exploration_window_rate: Some(1.5), ..Default::default() };
    let err = client.partially_update_autotune("a", patch).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "partially_update_autotune: invalid request: `explorationWindowRate` is 1.5, above the maximum 1"
    );
    assert!(!err.is_retryable());
    assert_eq!(requests_to(&server).await, 0, "an invalid request was sent");
}

fn page_json(page: usize, ids: &[&str], last: bool) -> Value {
    json!({
        "message": "listed",
        "data": ids.iter().map(|id| autotune_json(id)).collect::<Vec<_>>(),
        "pagination": {
            "itemsPerPage": 2, "pageNumber": page, "totalItems": 5,
            "nextPage": if last { Value::Null } else { json!(format!("/console/v1/autotunes?page={}", page + 1)) },
            "previousPage": null
        }
    })
}

#[tokio::test]
async fn items_streams_every_page_until_the_last() {
    use futures_util::StreamExt;
    let (server, client) = setup().await;
    for (page, ids, last) in [(1, vec!["a", "b"], false), (2, vec!["c", "d"], false), (3, vec!["e"], true)] {
        Mock::given(method("GET"))
            .and(path("/console/v1/autotunes"))
            .and(query_param("page", page.to_string()))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_json(page, &ids, last)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<String> = client.list_autotunes().limit(2).items().map(|item| item.unwrap().id).collect().await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn items_stop_at_the_first_error() {
    use futures_util::StreamExt;
    let (server, client) = setup_with(statsig_autotune::RetryPolicy::disabled()).await;
    Mock::given(method("GET"))
        .and(query_param("page", "4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(4, &["x"], false)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page", "5"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"status": 401, "message": "bad key"})))
        .mount(&server)
        .await;
    let outcomes: Vec<_> = client.list_autotunes().page(4).items().collect().await;
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0].as_ref().unwrap().id, "x");
    assert!(matches!(&outcomes[1], Err(Error::Api { status, .. }) if *status == 401));
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn the_rate_limiter_makes_a_burst_wait_for_its_window() {
    let server = MockServer::start().await;
    let window = std::time::Duration::from_millis(400);
    let limiter = statsig_autotune::RateLimiter::new().limit(2, window);
    let client = Client::builder()
        .base_url(server.uri())
        .statsig_api_key(KEY)
        .rate_limiter(limiter)
        .build()
        .expect("client builds");
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let started = std::time::Instant::now();
    for id in ["a", "b", "c"] {
        client.start_autotune(id).await.expect("starts");
    }
    // Two fit in the window; the third waited for the first to age out.
    assert!(started.elapsed() >= window, "3 requests took only {:?}", started.elapsed());
    assert_eq!(requests_to(&server).await, 3);
}

#[tokio::test]
async fn a_mutations_only_limiter_lets_reads_through() {
    let server = MockServer::start().await;
    let limiter = statsig_autotune::RateLimiter::new().limit(1, std::time::Duration::from_secs(3600)).mutations_only();
    let client =
        Client::builder().base_url(server.uri()).statsig_api_key(KEY).rate_limiter(limiter).build().expect("builds");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": autotune_json("a")})))
        .mount(&server)
        .await;
    // With one request an hour, a second read would wait if reads counted.
    let reads = async {
        for _ in 0..3 {
            client.get_autotune("a").await.expect("reads succeed");
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), reads).await.expect("reads are not paced");
    assert_eq!(requests_to(&server).await, 3);
}

#[test]
fn the_documented_rate_limiter_has_the_specs_limits() {
    let windows = Client::documented_rate_limiter().windows();
    let secs = std::time::Duration::from_secs;
    assert_eq!(windows, [(100, secs(10)), (900, secs(900))]);
}
