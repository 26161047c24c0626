//! Bodies and parameters beyond JSON, byte for byte on the wire: the
//! client generated from `tests/fixtures/constructs/media.yaml` against
//! wiremock on loopback. Multipart (boundary, part headers, file names,
//! the spec's `encoding`), form, binary, CBOR and text bodies; an
//! operation offering three media kinds; binary, text and `+json`
//! responses; and parameters in every style.

use media_client::client::{CreateItemBody, GetBlobError};
use media_client::types::{Item, SearchOpts, SearchRange, SubmitFormBody, UploadBody, UploadBodyMeta};
use media_client::{Binary, Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_bytes, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    (server, client)
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

/// The boundary a `multipart/form-data` content type names.
fn boundary(request: &wiremock::Request) -> String {
    let content_type = request.headers["content-type"].to_str().unwrap().to_string();
    let (media, boundary) = content_type.split_once("; boundary=").expect("a boundary");
    assert_eq!(media, "multipart/form-data");
    boundary.to_string()
}

/// One part as it must appear on the wire.
fn part(boundary: &str, name: &str, file_name: Option<&str>, content_type: &str, data: &str) -> String {
    let file = file_name.map(|f| format!("; filename=\"{f}\"")).unwrap_or_default();
    format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\nContent-Type: {content_type}\r\n\r\n{data}\r\n"
    )
}

#[tokio::test]
async fn multipart_parts_carry_names_files_and_content_types() {
    let (server, client) = setup().await;
    Mock::given(method("POST")).and(path("/upload")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let body = UploadBody::new(Binary::new(&b"\x89PNG"[..]).file_name("a \"b\".png"))
        .title("Title")
        .tags(["x", "y"])
        .meta(UploadBodyMeta::default().size(3))
        .attachments([Binary::new("one"), Binary::new("two").file_name("two.txt").content_type("text/plain")]);
    assert_eq!(client.upload(body).await.unwrap().status(), 201);
    let request = only_request(&server).await;
    let b = boundary(&request);
    assert!(b.len() >= 16, "an unguessable boundary: {b}");
    let expected = [
        part(&b, "attachments", Some("attachments"), "application/octet-stream", "one"),
        part(&b, "attachments", Some("two.txt"), "text/plain", "two"),
        // The spec's `encoding` gives the file part its content type; the
        // quote in the file name is escaped.
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG\r\n"
        ),
        part(&b, "meta", None, "application/json", r#"{"size":3}"#),
        part(&b, "tags", None, "text/plain", "x"),
        part(&b, "tags", None, "text/plain", "y"),
        part(&b, "title", None, "text/plain", "Title"),
        format!("--{b}--\r\n"),
    ];
    let mut expected_bytes = Vec::new();
    for piece in &expected {
        // `\u{89}` stands for the raw byte 0x89 of the file's first byte.
        expected_bytes.extend(piece.chars().map(|c| c as u32 as u8));
    }
    assert_eq!(request.body, expected_bytes, "{}", String::from_utf8_lossy(&request.body));
}

#[tokio::test]
async fn a_streamed_file_part_is_sent_in_full_and_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let chunks = futures_util::stream::iter(vec![Ok::<_, std::io::Error>("chunk-1 "), Ok("chunk-2")]);
    let body = UploadBody::new(Binary::stream(chunks).file_name("big.bin"));
    let err = client.upload(body).await.map(|_| ()).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // A 503 on POST is not retried anyway; the stream could not be.
    assert_eq!(err.context().attempts, 1);
    let request = only_request(&server).await;
    let b = boundary(&request);
    let expected = part(&b, "file", Some("big.bin"), "image/png", "chunk-1 chunk-2") + &format!("--{b}--\r\n");
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/form"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_bytes(&b"age=30&colors=red&colors=blue&name=Jo+%26+Ann%3D%F0%9F%98%80"[..]))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = SubmitFormBody::new("Jo & Ann=😀").age(30).colors(["red", "blue"]);
    client.submit_form(body).await.expect("the form is accepted");
}

#[tokio::test]
async fn binary_bodies_are_sent_as_they_are() {
    let (server, client) = setup().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let bytes = vec![0u8, 159, 146, 150, 255];
    client.put_blob("a", bytes.clone()).await.unwrap();
    client.put_blob("b", Binary::new(bytes.clone()).content_type("image/png")).await.unwrap();
    let chunks = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(vec![1u8, 2]), Ok(vec![3u8])]);
    client.put_blob("c", Binary::stream(chunks)).await.unwrap();
    client.submit_cbor(vec![0xa1u8, 0x61, 0x61, 0x01]).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/blobs/a");
    assert_eq!(requests[0].headers["content-type"], "application/octet-stream");
    assert_eq!(requests[0].body, bytes);
    assert_eq!(requests[1].headers["content-type"], "image/png");
    assert_eq!(requests[2].body, [1, 2, 3]);
    assert_eq!(requests[3].headers["content-type"], "application/cbor");
    assert_eq!(requests[3].body, [0xa1, 0x61, 0x61, 0x01]);
}

#[tokio::test]
async fn text_bodies_and_responses() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/markdown"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<h1>Hi</h1>", "text/html"))
        .mount(&server)
        .await;
    let html = client.render_markdown("# Hi").await.unwrap();
    assert_eq!(html.body(), "<h1>Hi</h1>");
    // The other media type the operation accepts, by the request's own header.
    client.render_markdown("# Hi").header("Content-Type", "text/x-markdown").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["content-type"], "text/plain");
    assert_eq!(requests[0].body, b"# Hi");
    assert_eq!(requests[1].headers["content-type"], "text/x-markdown");
}

#[tokio::test]
async fn one_operation_three_media_kinds() {
    let (server, client) = setup().await;
    let created = ResponseTemplate::new(201).set_body_raw(r#"{"name":"a","count":2}"#, "application/vnd.api+json");
    Mock::given(method("POST")).and(path("/items")).respond_with(created).mount(&server).await;
    // JSON by default; a `+json` response decodes as JSON.
    let item = client.create_item(Item::new("a").count(2)).await.unwrap();
    assert_eq!(item.count, Some(2));
    client.create_item(CreateItemBody::Form(Item::new("a").count(2))).await.unwrap();
    client.create_item(CreateItemBody::Multipart(Item::new("a"))).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["content-type"], "application/json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[0].body).unwrap(),
        json!({"name": "a", "count": 2})
    );
    assert_eq!(requests[1].headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(requests[1].body, b"count=2&name=a");
    let b = boundary(&requests[2]);
    assert_eq!(
        String::from_utf8_lossy(&requests[2].body),
        part(&b, "name", None, "text/plain", "a") + &format!("--{b}--\r\n")
    );
}

#[tokio::test]
async fn binary_responses_as_bytes_or_a_stream() {
    use futures_util::StreamExt;
    let (server, client) = setup().await;
    let payload: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    Mock::given(path("/blobs/big"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(payload.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(path("/blobs/gone"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw(r#"{"title":"Gone","status":404}"#, "application/problem+json"),
        )
        .mount(&server)
        .await;
    let whole = client.get_blob("big").await.unwrap();
    assert_eq!(whole.body().as_ref(), payload.as_slice());
    let mut stream = client.get_blob("big").send_stream().await.unwrap().into_body();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, payload);
    // Errors are decoded as usual, `+json` included.
    match client.get_blob("gone").send_stream().await {
        Err(Error::Api { body: GetBlobError::NotFound(problem), .. }) => assert_eq!(problem.title, "Gone"),
        other => panic!("expected the documented 404, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn parameters_in_every_style() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("a,b\n1,2\n", "text/csv"))
        .expect(1)
        .mount(&server)
        .await;
    let filter = [("status".to_string(), json!("open"))].into_iter().collect();
    let csv = client
        .search()
        .filter(filter)
        .range(SearchRange::default().with_from(1).to(5))
        .opts(SearchOpts::default().sort("name").desc(true))
        .ids(vec![1, 2, 3])
        .words(vec!["a b".to_string(), "c".to_string()])
        .session("s1")
        .theme("dark")
        .x_ids(vec![4, 5])
        .await
        .unwrap();
    assert_eq!(csv.body(), "a,b\n1,2\n");
    let request = only_request(&server).await;
    assert_eq!(request.headers["cookie"], "session=s1; theme=dark");
    assert_eq!(request.headers["x-ids"], "4,5");
    assert_eq!(
        request.url.query(),
        Some(
            "filter=%7B%22status%22%3A%22open%22%7D&ids=1%2C2%2C3&desc=true&sort=name&range%5Bfrom%5D=1&range%5Bto%5D=5&words=a+b%7Cc"
        )
    );
}

#[tokio::test]
async fn a_json_body_matches_the_schema() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(body_json(json!({"name": "x"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"name": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    client.create_item(Item::new("x")).await.unwrap();
}

#[tokio::test]
async fn accept_lists_the_media_types_the_responses_document() {
    let (server, client) = setup().await;
    let created = ResponseTemplate::new(201).set_body_raw(r#"{"name":"a"}"#, "application/vnd.api+json");
    Mock::given(method("POST")).and(path("/items")).respond_with(created).mount(&server).await;
    client.create_item(Item::new("a")).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["accept"], "application/vnd.api+json");
}

#[tokio::test]
async fn a_default_only_response_is_the_result_of_a_2xx_and_an_error_otherwise() {
    use media_client::client::GetHealthError;
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"status": "down"})))
        .mount(&server)
        .await;
    let health = client.get_health().await.expect("a 200 is the result");
    assert_eq!(health.status, "ok");
    match client.get_health().await.unwrap_err() {
        Error::Api { status, body: GetHealthError::Default(body), .. } => {
            assert_eq!(status, 503);
            assert_eq!(body.status, "down");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_bounded_numeric_path_parameter_is_checked_then_sent() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/orders/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "shipped"})))
        .mount(&server)
        .await;
    assert_eq!(client.get_order(42).await.unwrap().status, "shipped");
    let err = client.get_order(0).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "an out-of-range id was sent");
}

#[tokio::test]
async fn form_fields_follow_the_documents_encoding() {
    use media_client::types::{CreateCustomerBody, CreateCustomerBodyAddress};
    let (server, client) = setup().await;
    Mock::given(method("POST")).and(path("/customers")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let body = CreateCustomerBody::new("a@b.c")
        .metadata(
            [("order_id".to_string(), "6735".to_string())].into_iter().collect::<std::collections::BTreeMap<_, _>>(),
        )
        .preferred_locales(["en", "fr"])
        .address(CreateCustomerBodyAddress::default().city("Oslo").lines(["1 Main St", "Apt 2"]))
        .extra([("k".to_string(), json!([1]))].into_iter().collect::<std::collections::BTreeMap<_, _>>());
    client.create_customer(body).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    let expected = [
        "address%5Bcity%5D=Oslo",
        "address%5Blines%5D%5B0%5D=1+Main+St",
        "address%5Blines%5D%5B1%5D=Apt+2",
        "email=a%40b.c",
        "extra=%7B%22k%22%3A%5B1%5D%7D",
        "metadata%5Border_id%5D=6735",
        "preferred_locales%5B0%5D=en",
        "preferred_locales%5B1%5D=fr",
    ]
    .join("&");
    assert_eq!(String::from_utf8(request.body).unwrap(), expected);
}

#[tokio::test]
async fn a_bearer_token_works_where_the_document_declares_no_scheme() {
    // The media document names no security scheme, as some APIs that need
    // a token do; the token is sent, and echoed back it is redacted.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("bad token: sk-test-123"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("sk-test-123")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("sk-test-123"));
    let err = client.get_health().await.unwrap_err();
    let request = only_request(&server).await;
    assert_eq!(request.headers["authorization"], "Bearer sk-test-123");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("sk-test-123"), "{shown}");
}
