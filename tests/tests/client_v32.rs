//! OpenAPI 3.2 on the wire (the client generated from
//! `tests/fixtures/constructs/openapi-3-2.yaml`): the `query` method sent
//! as `QUERY` with its body, events typed by `itemSchema` (the data itself,
//! or an event's `data` by its `contentSchema`), an operation from
//! `additionalOperations` answering through a `components/mediaTypes`
//! entry with a `$dynamicRef` tree, and a `mutualTLS` scheme that leaves
//! the API key to the caller.

use futures_util::StreamExt;
use v32_client::types::{CompleteBody, CompleteResponseEvent, Node, SearchCompletionsBody};
use v32_client::{Client, RetryPolicy, StreamOptions};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap()
}

#[tokio::test]
async fn the_query_method_is_sent_with_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/completions"))
        .and(body_json(serde_json::json!({"text": "hel"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(["hello", "help"]))
        .mount(&server)
        .await;
    let found = client(&server).search_completions(SearchCompletionsBody::new("hel")).await.unwrap();
    assert_eq!(found.body(), &["hello".to_string(), "help".to_string()]);
}

#[tokio::test]
async fn events_are_typed_by_their_item_schema() {
    let server = MockServer::start().await;
    let stream = "data: {\"delta\":\"Hel\",\"finish\":null}\n\ndata: {\"delta\":\"lo\",\"finish\":\"stop\"}\n\n";
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(stream, "text/event-stream"))
        .mount(&server)
        .await;
    let changes = "event: changed\ndata: {\"name\":\"root\",\"children\":[{\"name\":\"leaf\"}]}\n\n";
    Mock::given(method("GET"))
        .and(path("/changes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(changes, "text/event-stream"))
        .mount(&server)
        .await;
    let client = client(&server);
    let events = client.complete(CompleteBody::new("hi")).events().await.unwrap();
    let deltas: Vec<CompleteResponseEvent> = events.map(|e| e.unwrap().data).collect().await;
    assert_eq!(deltas.len(), 2);
    assert_eq!(deltas[1].delta, "lo");
    assert_eq!(deltas[1].finish, v32_client::Nullable::Value("stop".to_string()));
    // The item schema describes the event's fields; its data is a Node.
    let options = StreamOptions::default().reconnect(false);
    let mut changes = client.watch_changes().events_with(options).await.unwrap();
    let event = changes.next().await.unwrap().unwrap();
    assert_eq!(event.event.as_deref(), Some("changed"));
    assert_eq!(event.data.children.as_ref().map(|c| c[0].name.as_str()), Some("leaf"));
}

#[tokio::test]
async fn an_additional_operation_decodes_a_dynamic_ref_tree() {
    let server = MockServer::start().await;
    let tree = serde_json::json!({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]});
    Mock::given(method("GET"))
        .and(path("/trees/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tree))
        .mount(&server)
        .await;
    let root: Node = client(&server).get_tree("t1").await.unwrap().into_body();
    let grandchild = &root.children.as_ref().unwrap()[0].children.as_ref().unwrap()[0];
    assert_eq!(grandchild.name, "c");
}

#[tokio::test]
async fn mutual_tls_leaves_the_api_key_to_the_caller() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "a"})))
        .mount(&server)
        .await;
    // With the key set, it is sent; without it, the request relies on the
    // TLS connection (the client's identity, configured on reqwest).
    let keyed = Client::builder().base_url(server.uri()).key("k-123").build().unwrap();
    keyed.get_tree("t").await.unwrap();
    client(&server).get_tree("t").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["x-key"], "k-123");
    assert!(!requests[1].headers.contains_key("x-key"));
}
