//! A matrix of parameters on the wire (the client generated from
//! `tests/fixtures/constructs/matrix.yaml`, wiremock on loopback): a
//! parameter in each location, of each scalar type and format, in each
//! style, required and optional, with constraints. Each cell's exact bytes
//! are asserted, and each constraint refuses a value before sending.

use matrix_client::types::{
    HeaderMatrixXObj, QueryMatrixE, QueryMatrixJs, QueryMatrixObj, QueryMatrixObjDeep, QueryMatrixObjDeepA, E,
};
use matrix_client::{Client, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    (server, client)
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

#[tokio::test]
async fn every_query_cell_is_sent_as_its_style_says() {
    let (server, client) = setup().await;
    client
        .query_matrix(7, "hi there")
        .s_opt("ü")
        .i32(-5)
        .num(2.5)
        .flt(1.5)
        .b(true)
        .day("2026-12-02")
        .e(QueryMatrixE::DarkBlue)
        .arr(vec!["a b".into(), "c&d".into()])
        .arr_csv(vec![1, 2])
        .arr_space(vec!["u".into(), "v".into()])
        .arr_pipe(vec!["p".into(), "q".into()])
        .arr_deep(vec!["x".into(), "y".into()])
        .obj(QueryMatrixObj::default().x(1).y("z"))
        .obj_csv(QueryMatrixObj::default().x(1).y("z"))
        .obj_deep(QueryMatrixObjDeep::default().a(QueryMatrixObjDeepA::default().b(3)).l(["m", "n"]))
        .js(QueryMatrixJs::default().k([1, 2]))
        .await
        .unwrap();
    let request = only_request(&server).await;
    let expected = [
        "arr=a+b",
        "arr=c%26d",
        "arr_csv=1%2C2",
        "arr_deep%5B0%5D=x",
        "arr_deep%5B1%5D=y",
        "arr_pipe=p%7Cq",
        "arr_space=u+v",
        "b=true",
        "day=2026-12-02",
        "e=dark+blue",
        "flt=1.5",
        "i32=-5",
        "i64=7",
        "js=%7B%22k%22%3A%5B1%2C2%5D%7D",
        "num=2.5",
        "x=1",
        "y=z",
        "obj_csv=x%2C1%2Cy%2Cz",
        "obj_deep%5Ba%5D%5Bb%5D=3",
        "obj_deep%5Bl%5D%5B0%5D=m",
        "obj_deep%5Bl%5D%5B1%5D=n",
        "s=hi+there",
        "s_opt=%C3%BC",
    ]
    .join("&");
    assert_eq!(request.url.query(), Some(expected.as_str()));
    // Only the required ones.
    let (server, client) = setup().await;
    client.query_matrix(1, "x").await.unwrap();
    assert_eq!(only_request(&server).await.url.query(), Some("i64=1&s=x"));
}

#[tokio::test]
async fn every_path_cell_is_sent_as_its_style_says() {
    let (server, client) = setup().await;
    let (lbl, mtx, mtxx) = (vec!["x".into(), "y".into()], vec!["m".into(), "n".into()], vec!["m".into(), "n".into()]);
    client.path_matrix(vec![1, 2], false, E::AB, 42, lbl, mtx, mtxx, 1.5, "a b/c").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/path/a%20b%2Fc/42/1.5/false/a%2Fb/1,2/.x,y/;mtx=m,n/;mtxx=m;mtxx=n");
}

#[tokio::test]
async fn every_header_and_cookie_cell_is_sent_as_its_style_says() {
    let (server, client) = setup().await;
    let obj = HeaderMatrixXObj::default().k("v").n(1);
    client
        .header_matrix("v")
        .x_i(3)
        .x_n(0.5)
        .x_b(true)
        .x_arr(vec!["a".into(), "b".into()])
        .x_obj(obj.clone())
        .x_obj_c(obj)
        .await
        .unwrap();
    let request = only_request(&server).await;
    let header = |name: &str| request.headers[name].to_str().unwrap().to_string();
    assert_eq!(
        [
            header("x-s"),
            header("x-i"),
            header("x-n"),
            header("x-b"),
            header("x-arr"),
            header("x-obj"),
            header("x-obj-c")
        ],
        ["v", "3", "0.5", "true", "a,b", "k=v,n=1", "k,v,n,1"]
    );
    let (server, client) = setup().await;
    client.cookie_matrix("abc").i(5).b(false).arr(vec!["a".into(), "b".into()]).await.unwrap();
    assert_eq!(only_request(&server).await.headers["cookie"], "arr=a,b; b=false; i=5; s=abc");
}

#[tokio::test]
async fn each_constraint_refuses_a_value_before_sending() {
    let (server, client) = setup().await;
    let refused = [
        client.query_matrix(1, "").await.map(|_| ()).map_err(|e| e.map_body(|_| ())),
        client.query_matrix(0, "x").await.map(|_| ()).map_err(|e| e.map_body(|_| ())),
        client.query_matrix(1, "x").i32(6).await.map(|_| ()).map_err(|e| e.map_body(|_| ())),
        client.query_matrix(1, "x").num(2.3).await.map(|_| ()).map_err(|e| e.map_body(|_| ())),
        client.query_matrix(1, "x").arr(vec!["a".into(); 4]).await.map(|_| ()).map_err(|e| e.map_body(|_| ())),
        client.query_matrix(1, "x").num(f64::NAN).await.map(|_| ()).map_err(|e| e.map_body(|_| ())),
        client
            .path_matrix(vec![], true, E::C, 0, vec![], vec![], vec![], 1.0, "s")
            .await
            .map(|_| ())
            .map_err(|e| e.map_body(|_| ())),
        client
            .path_matrix(vec![], true, E::C, 1, vec![], vec![], vec![], -1.0, "s")
            .await
            .map(|_| ())
            .map_err(|e| e.map_body(|_| ())),
    ];
    for (i, outcome) in refused.into_iter().enumerate() {
        assert!(matches!(outcome, Err(Error::Validation { .. })), "case {i}: {outcome:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "a value out of range was sent");
}
