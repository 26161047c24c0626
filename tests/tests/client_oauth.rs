//! OAuth2 client credentials on the wire (the client generated from
//! `tests/fixtures/constructs/security.yaml`, whose `oauth` scheme has a
//! client-credentials flow): a wiremock token endpoint and API, the token
//! cached, refreshed before it expires, and a failing endpoint reported
//! without the client secret.

use security_client::{Client, ClientCredentials, Error, RetryPolicy, Secret, TokenFuture, TokenSource};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cr3t-client";

async fn api(server: &MockServer) {
    Mock::given(method("GET")).and(path("/reports")).respond_with(ResponseTemplate::new(204)).mount(server).await;
}

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": access, "token_type": "Bearer", "expires_in": expires_in
    }))
}

fn client(server: &MockServer, grant: ClientCredentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .oauth_token_source(grant)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn authorizations(requests: &[wiremock::Request], at: &str) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.url.path() == at)
        .map(|r| r.headers.get("authorization").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_token_is_fetched_once_and_reused() {
    let server = MockServer::start().await;
    api(&server).await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials&scope=reports.read"))
        .respond_with(token("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let grant = ClientCredentials::new(format!("{}/token", server.uri()), "my-app", SECRET).scopes(["reports.read"]);
    let client = client(&server, grant);
    client.read_reports().await.unwrap();
    client.read_reports().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(authorizations(&requests, "/reports"), ["Bearer tok-1", "Bearer tok-1"]);
    // RFC 6749 §2.3.1: the client authenticates with basic auth.
    let basic = format!("Basic {}", base64(&format!("my-app:{SECRET}")));
    assert_eq!(authorizations(&requests, "/token"), [basic]);
}

#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    api(&server).await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(token("tok-1", 100))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/token")).respond_with(token("tok-2", 100)).mount(&server).await;
    // A token of 100 s is replaced 90 s before it expires: the second call,
    // a little over 10 s later, gets a new one.
    let grant = ClientCredentials::new(format!("{}/token", server.uri()), "my-app", SECRET)
        .refresh_before(Duration::from_secs(90));
    let client = client(&server, grant);
    client.read_reports().await.unwrap();
    client.read_reports().await.unwrap();
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(11)).await;
    tokio::time::resume();
    client.read_reports().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(authorizations(&requests, "/reports"), ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_failing_token_endpoint_stops_the_call_without_leaking_the_secret() {
    let server = MockServer::start().await;
    api(&server).await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": format!("unknown secret {SECRET}")
        })))
        .mount(&server)
        .await;
    let grant = ClientCredentials::new(format!("{}/token", server.uri()), "my-app", SECRET);
    let client = client(&server, grant);
    let err = client.read_reports().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("401") && shown.contains("invalid_client"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    let requests = server.received_requests().await.unwrap();
    assert!(authorizations(&requests, "/reports").is_empty(), "the API was called without a token");
}

/// Any other token source: asked before each call.
struct Counting(AtomicUsize);

impl TokenSource for Counting {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Secret::from(format!("custom-{n}")))
        })
    }
}

#[tokio::test]
async fn any_token_source_is_asked_before_each_call() {
    let server = MockServer::start().await;
    api(&server).await;
    let client =
        Client::builder().base_url(server.uri()).oauth_token_source(Counting(AtomicUsize::new(0))).build().unwrap();
    client.read_reports().await.unwrap();
    client.read_reports().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(authorizations(&requests, "/reports"), ["Bearer custom-1", "Bearer custom-2"]);
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}
