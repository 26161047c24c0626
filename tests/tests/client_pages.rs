//! `items()` and `pages()` in every paging style, on the wire (wiremock on
//! loopback, the client generated from `tests/fixtures/constructs/paging.yaml`):
//! `Link` headers (several rels, relative links, another host refused),
//! offsets with a total, cursors from a field and from the last item's id,
//! a next link in the body, an empty first page, `max_pages` and
//! `max_items`, and a server that repeats itself.

use futures_util::StreamExt;
use pages_client::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    (server, client)
}

fn named(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

/// The query strings the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests.iter().map(|r| r.url.query().unwrap_or_default().to_string()).collect()
}

async fn ids<T, F>(stream: impl futures_util::Stream<Item = Result<T, Error<F>>>, id: fn(&T) -> String) -> Vec<String>
where
    F: std::fmt::Debug,
{
    stream.map(|item| id(&item.expect("an item"))).collect().await
}

#[tokio::test]
async fn link_headers_are_followed_with_several_rels_and_relative_links() {
    let (server, client) = setup().await;
    let base = server.uri();
    // Page 1 names its next page absolutely among other rels; page 2 by a
    // relative link; page 3 has no next.
    let first = ResponseTemplate::new(200).set_body_json(named(&["a", "b"])).insert_header(
        "link",
        format!(r#"<{base}/repos?page=1>; rel="first", <{base}/repos?page=2&per_page=2>; rel="next", <{base}/repos?page=3>; rel="last""#),
    );
    let second = ResponseTemplate::new(200)
        .set_body_json(named(&["c", "d"]))
        .insert_header("link", r#"</repos?page=3&per_page=2>; rel="next", </repos?page=1>; rel="prev first""#);
    let third =
        ResponseTemplate::new(200).set_body_json(named(&["e"])).insert_header("link", r#"</repos?page=2>; rel="prev""#);
    Mock::given(path("/repos")).and(query_param("page", "2")).respond_with(second).mount(&server).await;
    Mock::given(path("/repos")).and(query_param("page", "3")).respond_with(third).mount(&server).await;
    Mock::given(path("/repos")).and(query_param_is_missing("page")).respond_with(first).mount(&server).await;
    let all = ids(client.list_repos().per_page(2).items(), |r| r.id.clone()).await;
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["per_page=2", "page=2&per_page=2", "page=3&per_page=2"]);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let (server, client) = setup().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named(&["x"])))
        .mount(&elsewhere)
        .await;
    let page = ResponseTemplate::new(200)
        .set_body_json(named(&["a"]))
        .insert_header("link", format!(r#"<{}/repos?page=2>; rel="next""#, elsewhere.uri()));
    Mock::given(path("/repos")).respond_with(page).mount(&server).await;
    let outcomes: Vec<_> = client.list_repos().items().collect().await;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert_eq!(outcomes[0].as_ref().unwrap().id, "a");
    let err = outcomes[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("refused to follow a next-page link to another origin"), "{err}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the other host was called");
}

#[tokio::test]
async fn offsets_advance_by_the_items_received_until_the_total() {
    let (server, client) = setup().await;
    let page = |skip: &str, ids: &[&str]| {
        Mock::given(path("/events"))
            .and(query_param("$skip", skip))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total_count": 5, "events": named(ids)})))
    };
    page("0", &["a", "b"]).mount(&server).await;
    page("2", &["c", "d"]).mount(&server).await;
    page("4", &["e"]).mount(&server).await;
    let all = ids(client.list_events().skip(0).limit(2).items(), |e| e.id.clone()).await;
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await.len(), 3, "a page past the total was asked for");
}

#[tokio::test]
async fn cursors_come_from_the_last_items_id_while_has_more() {
    let (server, client) = setup().await;
    let page = |after: Option<&str>, ids: &[&str], more: bool| {
        let matcher = Mock::given(path("/charges"));
        let matcher = match after {
            Some(after) => matcher.and(query_param("starting_after", after)),
            None => matcher.and(query_param_is_missing("starting_after")),
        };
        matcher.respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": named(ids), "has_more": more})))
    };
    page(None, &["ch_1", "ch_2"], true).mount(&server).await;
    page(Some("ch_2"), &["ch_3"], false).mount(&server).await;
    let all = ids(client.list_charges().items(), |c| c.id.clone()).await;
    assert_eq!(all, ["ch_1", "ch_2", "ch_3"]);
}

#[tokio::test]
async fn a_cursor_the_server_repeats_ends_the_stream_with_an_error() {
    let (server, client) = setup().await;
    let stuck = json!({"files": named(&["f"]), "nextPageToken": "same"});
    Mock::given(path("/files"))
        .and(query_param("pageToken", "same"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"files": named(&["g"]), "nextPageToken": "same"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/files")).respond_with(ResponseTemplate::new(200).set_body_json(stuck)).mount(&server).await;
    let outcomes: Vec<_> = client.list_files().items().collect().await;
    let (items, errors): (Vec<_>, Vec<_>) = outcomes.into_iter().partition(Result::is_ok);
    assert_eq!(items.len(), 2, "the two pages' items come first");
    assert_eq!(errors.len(), 1);
    let err = errors.into_iter().next().unwrap().unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert!(err.to_string().contains("a cursor it had sent"), "{err}");
    assert_eq!(queries(&server).await.len(), 2, "the stuck cursor was asked for again");
}

#[tokio::test]
async fn cursors_come_from_a_field_until_it_is_absent() {
    let (server, client) = setup().await;
    Mock::given(path("/files"))
        .and(query_param("pageToken", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"files": named(&["c"])})))
        .mount(&server)
        .await;
    Mock::given(path("/files"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"files": named(&["a", "b"]), "nextPageToken": "t2"})),
        )
        .mount(&server)
        .await;
    let all = ids(client.list_files().items(), |f| f.id.clone()).await;
    assert_eq!(all, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_next_link_in_the_body_is_followed() {
    let (server, client) = setup().await;
    let next = format!("{}/users?$skiptoken=abc", server.uri());
    Mock::given(path("/users"))
        .and(query_param("$skiptoken", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": named(&["u3"])})))
        .mount(&server)
        .await;
    Mock::given(path("/users"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": named(&["u1", "u2"]), "@odata.nextLink": next})),
        )
        .mount(&server)
        .await;
    let all = ids(client.list_users().items(), |u| u.id.clone()).await;
    assert_eq!(all, ["u1", "u2", "u3"]);
}

#[tokio::test]
async fn an_empty_first_page_ends_the_stream_at_once() {
    let (server, client) = setup().await;
    Mock::given(path("/tracks")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    let all = ids(client.list_tracks().items(), |t| t.id.clone()).await;
    assert!(all.is_empty());
    assert_eq!(queries(&server).await.len(), 1);
}

#[tokio::test]
async fn page_numbers_count_up_until_an_empty_page_and_a_repeated_page_is_an_error() {
    let (server, client) = setup().await;
    Mock::given(path("/tracks"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(path("/tracks"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named(&["c"])))
        .mount(&server)
        .await;
    Mock::given(path("/tracks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named(&["a", "b"])))
        .mount(&server)
        .await;
    let all = ids(client.list_tracks().items(), |t| t.id.clone()).await;
    assert_eq!(all, ["a", "b", "c"]);
    // A server that ignores the page number sends the same page again.
    let stuck = MockServer::start().await;
    Mock::given(path("/tracks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named(&["a"])))
        .mount(&stuck)
        .await;
    let client = Client::builder().base_url(stuck.uri()).build().unwrap();
    let outcomes: Vec<_> = client.list_tracks().items().collect().await;
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes[1].as_ref().unwrap_err().to_string().contains("the same page"), "{:?}", outcomes[1]);
}

#[tokio::test]
async fn max_pages_and_max_items_bound_the_walk() {
    let (server, client) = setup().await;
    // An endless list: every page has a next one.
    for page in 1..=10 {
        let ids = [format!("{page}a"), format!("{page}b")];
        let body = json!([{"id": ids[0]}, {"id": ids[1]}]);
        // The first page is asked for by its number too.
        Mock::given(path("/tracks"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let pages: Vec<_> = client.list_tracks().pages().max_pages(2).collect().await;
    assert_eq!(pages.len(), 2);
    let first = pages[0].as_ref().unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.len(), 2);
    assert_eq!(queries(&server).await.len(), 2);
    let items = ids(client.list_tracks().items().max_items(3), |t| t.id.clone()).await;
    assert_eq!(items, ["1a", "1b", "2a"]);
}

// A paging simulator: a loopback server that holds N items and pages them
// the way an API declares, answering from the query it is sent (pages
// counted from 0, next URIs, opaque tokens, offsets), not from a script of
// the requests we expect. `items()` must yield every item exactly once.

/// A request's query parameters.
type Query = std::collections::HashMap<String, String>;

/// Answers each request with what `page` computes from its query.
struct Simulated(Box<dyn Fn(&Query) -> Value + Send + Sync>);

impl wiremock::Respond for Simulated {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let query: Query = request.url.query_pairs().into_owned().collect();
        ResponseTemplate::new(200).set_body_json((self.0)(&query))
    }
}

/// The ids of items `from..to` of `total` (as many as there are).
fn slice(from: usize, size: usize, total: usize) -> Vec<Value> {
    (from..(from + size).min(total)).map(|i| json!({"id": i.to_string()})).collect()
}

fn expected(total: usize) -> Vec<String> {
    (0..total).map(|i| i.to_string()).collect()
}

async fn simulated(
    at: &str,
    page: impl Fn(&std::collections::HashMap<String, String>) -> Value + Send + Sync + 'static,
) -> (MockServer, Client) {
    let (server, client) = setup().await;
    Mock::given(path(at)).respond_with(Simulated(Box::new(page))).mount(&server).await;
    (server, client)
}

fn number(query: &Query, name: &str, default: usize) -> usize {
    query.get(name).map_or(default, |v| v.parse().expect("a number"))
}

#[tokio::test]
async fn pages_from_zero_with_next_uris_lose_no_item() {
    // A telephony API: `Page` counts from 0 (`minimum: 0`), and each page
    // carries the relative URI of the next (with a token), null on the last.
    for total in [0, 1, 2, 5, 6] {
        let (server, client) = simulated("/Calls.json", move |query| {
            let page = number(query, "Page", 0);
            let size = number(query, "PageSize", 50);
            let next = ((page + 1) * size < total)
                .then(|| format!("/Calls.json?Page={}&PageSize={size}&PageToken=PA{}", page + 1, (page + 1) * size));
            json!({"calls": slice(page * size, size, total), "page": page, "page_size": size,
                   "first_page_uri": format!("/Calls.json?Page=0&PageSize={size}"), "next_page_uri": next})
        })
        .await;
        let all = ids(client.list_calls().page_size(2).items(), |c| c.id.clone()).await;
        assert_eq!(all, expected(total), "{total} items");
        // The first request asks for no page: the server's own first.
        assert_eq!(queries(&server).await[0], "PageSize=2");
    }
}

#[tokio::test]
async fn page_numbers_start_where_the_parameter_says() {
    // `page` has `minimum: 0`: the first page is 0, not 1.
    for total in [0, 1, 3, 4, 9] {
        let (server, client) = simulated("/logs", move |query| {
            let size = number(query, "size", 10);
            Value::Array(slice(number(query, "page", 0) * size, size, total))
        })
        .await;
        let all = ids(client.list_logs().size(3).items(), |l| l.id.clone()).await;
        assert_eq!(all, expected(total), "{total} items");
        assert_eq!(queries(&server).await[0], "page=0&size=3");
    }
}

#[tokio::test]
async fn dropshot_lists_follow_page_tokens() {
    // Dropshot: an opaque `page_token`, `next_page` null on the last page.
    for total in [0, 1, 4, 5] {
        let (_server, client) = simulated("/instances", move |query| {
            let limit = number(query, "limit", 100);
            let from = query.get("page_token").map_or(0, |t| t.strip_prefix("tok-").unwrap().parse().unwrap());
            let next = (from + limit < total).then(|| format!("tok-{}", from + limit));
            json!({"items": slice(from, limit, total), "next_page": next})
        })
        .await;
        let all = ids(client.list_instances().limit(2).items(), |i| i.id.clone()).await;
        assert_eq!(all, expected(total), "{total} items");
    }
}

#[tokio::test]
async fn an_optional_items_field_named_by_x_pagination_pages_by_offset() {
    // `articles` is absent on an empty page.
    for total in [0, 1, 7] {
        let (_server, client) = simulated("/articles", move |query| {
            let from = number(query, "from", 0);
            let page = slice(from, 3, total);
            if page.is_empty() {
                json!({"total": total})
            } else {
                json!({"articles": page, "total": total})
            }
        })
        .await;
        let all = ids(client.list_articles().items(), |a| a.id.clone()).await;
        assert_eq!(all, expected(total), "{total} items");
    }
}

#[tokio::test]
async fn a_server_that_counts_from_one_despite_minimum_zero_loses_and_repeats_nothing() {
    // `page` says `minimum: 0`, but this server's first page is 1 (and it
    // answers 0 as 1), as a CMS documents in prose only: the repeated
    // second page is skipped, not yielded again nor taken for a stuck server.
    for total in [1, 3, 4, 9] {
        let (server, client) = simulated("/logs", move |query| {
            let size = number(query, "size", 10);
            let page = number(query, "page", 1).max(1);
            Value::Array(slice((page - 1) * size, size, total))
        })
        .await;
        let all = ids(client.list_logs().size(3).items(), |l| l.id.clone()).await;
        assert_eq!(all, expected(total), "{total} items");
        assert_eq!(queries(&server).await[..2], ["page=0&size=3", "page=1&size=3"]);
    }
    // A repeat anywhere else is still a server that is stuck.
    let (_server, client) = simulated("/logs", |query| {
        let page = number(query, "page", 0).min(1);
        Value::Array(slice(page * 2, 2, 9))
    })
    .await;
    let outcomes: Vec<_> = client.list_logs().size(2).items().collect().await;
    assert!(outcomes.last().unwrap().as_ref().is_err_and(|e| e.to_string().contains("the same page")), "{outcomes:?}");
}

#[tokio::test]
async fn an_offset_declared_as_a_number_pages_too() {
    // `offset` and `limit` are `type: number`: whole numbers on the wire.
    for total in [0, 2, 5] {
        let (server, client) = simulated("/connectors", move |query| {
            let from = number(query, "offset", 0);
            let limit = number(query, "limit", 30);
            json!({"connectors": slice(from, limit, total), "total_count": total})
        })
        .await;
        let all = ids(client.list_connectors().limit(2.0).items(), |c| c.id.clone()).await;
        assert_eq!(all, expected(total), "{total} items");
        if total > 2 {
            assert_eq!(queries(&server).await[1], "limit=2&offset=2");
        }
    }
}
