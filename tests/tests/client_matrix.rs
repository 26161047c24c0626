//! A matrix of parameters on the wire (the client generated from
//! `tests/fixtures/constructs/matrix.yaml`, wiremock on loopback): a
//! parameter in each location, of each scalar type and format, in each
//! style, required and optional, with constraints. Each cell's exact bytes
//! are asserted, and each constraint refuses a value before sending. One
//! nested body (an object, a list of objects, a list of lists, nullable map
//! values and list items) goes out in each media kind, and a discriminated
//! response decodes by its tag (one it does not know kept as received).
//! The formats with a type of their own (`uuid`, `ipv4`, `ipv6`) go out in
//! each location as their text and come back typed.

use matrix_client::types::{
    Cat, Circle, Flat, GetPetResponse, GetShapeResponse, HeaderMatrixXObj, Inner, Nested, QueryMatrixE, QueryMatrixJs,
    QueryMatrixObj, QueryMatrixObjDeep, QueryMatrixObjDeepA, Square, SquareType, Type, E,
};
use matrix_client::{Client, Error, RetryPolicy};
use std::collections::BTreeMap;
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
        .add_(3)
        .i32(-5)
        .num(2.5)
        .flt(1.5)
        .b(true)
        .day(matrix_client::Date::new(2026, 12, 2).unwrap())
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
        "add=3",
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

fn nested() -> Nested {
    Nested::new("n")
        .inner(Inner::default().city("Oslo").zip(150))
        .tags(["a", "b"])
        .rows([Inner::default().city("x"), Inner::default().zip(2)])
        .grid([vec![1, 2], vec![3]])
        .notes(BTreeMap::from([("k".to_string(), Some("v".to_string())), ("gone".to_string(), None)]))
        .maybe([Some(1), None])
}

async fn answering(method_name: &str, response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method(method_name)).respond_with(response).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn a_nested_json_body_is_sent_and_read_back_with_its_nulls() {
    let echoed = r#"{"grid":[[1,2],[3]],"inner":{"city":"Oslo","zip":150},"maybe":[1,null],"name":"n","notes":{"gone":null,"k":"v"},"rows":[{"city":"x"},{"zip":2}],"tags":["a","b"]}"#;
    let (server, client) = answering("POST", ResponseTemplate::new(200).set_body_raw(echoed, "application/json")).await;
    let response = client.json_body(nested()).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(String::from_utf8(request.body).unwrap(), echoed);
    assert_eq!(response.body(), &nested());
}

#[tokio::test]
async fn a_nested_form_body_follows_its_encoding() {
    let (server, client) = answering("POST", ResponseTemplate::new(204)).await;
    // `add` would read as `std::ops::Add::add`: its setter is `with_add`.
    let body = Flat::new("n")
        .with_add(true)
        .inner(Inner::default().city("Oslo").zip(150))
        .tags(["a", "b"])
        .rows([Inner::default().city("x"), Inner::default().zip(2)]);
    client.form_body(body).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    // deepObject: brackets for each level, indexes for list items; the
    // comma-joined list keeps its comma percent-encoded in a form body.
    let expected = [
        "add=true",
        "inner%5Bcity%5D=Oslo",
        "inner%5Bzip%5D=150",
        "name=n",
        "rows%5B0%5D%5Bcity%5D=x",
        "rows%5B1%5D%5Bzip%5D=2",
        "tags=a%2Cb",
    ]
    .join("&");
    assert_eq!(String::from_utf8(request.body).unwrap(), expected);
}

#[tokio::test]
async fn a_nested_multipart_body_has_a_part_per_item_typed_by_the_item() {
    let (server, client) = answering("POST", ResponseTemplate::new(204)).await;
    client.multipart_body(nested()).await.unwrap();
    let request = only_request(&server).await;
    let content_type = request.headers["content-type"].to_str().unwrap().to_string();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
    let body = String::from_utf8(request.body).unwrap();
    let part = |name: &str, content_type: Option<&str>, data: &str| {
        let content_type = content_type.map(|t| format!("\r\nContent-Type: {t}")).unwrap_or_default();
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{content_type}\r\n\r\n{data}\r\n")
    };
    // OpenAPI's defaults: text for a scalar, JSON for an object, and a list
    // is a part per item, typed by the item (a list within a list is JSON;
    // a null item has no text form, so no part).
    let (json, text) = (Some("application/json"), Some("text/plain"));
    let expected = [
        part("grid", json, "[1,2]"),
        part("grid", json, "[3]"),
        part("inner", json, r#"{"city":"Oslo","zip":150}"#),
        part("maybe", text, "1"),
        part("name", text, "n"),
        part("notes", json, r#"{"gone":null,"k":"v"}"#),
        part("rows", json, r#"{"city":"x"}"#),
        part("rows", json, r#"{"zip":2}"#),
        part("tags", text, "a"),
        part("tags", text, "b"),
        format!("--{boundary}--\r\n"),
    ]
    .concat();
    assert_eq!(body, expected);
}

#[tokio::test]
async fn a_discriminated_response_decodes_by_its_tag_and_keeps_a_tag_it_does_not_know() {
    let decode = |json: &'static str| async move {
        let (_server, client) =
            answering("GET", ResponseTemplate::new(200).set_body_raw(json, "application/json")).await;
        client.get_pet("p").await.map(|r| r.into_body())
    };
    let cat = decode(r#"{"kind":"cat","lives":9}"#).await.unwrap();
    assert_eq!(cat, GetPetResponse::Cat(Cat::new("cat", 9)));
    // Each payload converts into its union.
    assert_eq!(GetPetResponse::from(Cat::new("cat", 9)), cat);
    // A tag the document does not map is a variant of its own, even where
    // another variant's shape would fit: never read as that variant.
    let wolf = decode(r#"{"kind":"wolf","bark":"loud"}"#).await.unwrap();
    let GetPetResponse::Unknown(unknown) = &wolf else { panic!("{wolf:?}") };
    assert_eq!(unknown.tag, "wolf");
    assert_eq!(unknown.value, serde_json::json!({"kind": "wolf", "bark": "loud"}));
    // A tag that is no string, or none, or twice: an error naming it.
    for (body, reason) in [
        (r#"{"lives":3,"kind":7}"#, "invalid type: integer `7`, expected a string"),
        (r#"{"lives":3}"#, "missing field `kind`"),
        (r#"{"kind":"cat","lives":3,"kind":"dog"}"#, "duplicate field `kind`"),
    ] {
        match decode(body).await {
            Err(Error::Decode { reason: got, .. }) => assert!(got.contains(reason), "{body}: {got}"),
            other => panic!("{body} decoded: {other:?}"),
        }
    }
    // A known tag whose value does not fit its variant is that variant's error.
    match decode(r#"{"kind":"cat","lives":"nine"}"#).await {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "lives"),
        other => panic!("decoded: {other:?}"),
    }
}

#[tokio::test]
async fn an_unmapped_discriminator_selects_by_the_values_its_members_fix() {
    let decode = |json: &'static str| async move {
        let (_server, client) =
            answering("GET", ResponseTemplate::new(200).set_body_raw(json, "application/json")).await;
        client.get_shape("s").await.map(|r| r.into_body())
    };
    // The value `Circle` fixes `type` to, and the one `Square` fixes through its `allOf`.
    let circle = decode(r#"{"type":"shape.circle","radius":1.5}"#).await.unwrap();
    assert_eq!(circle, GetShapeResponse::Circle(Circle::new(Type::ShapeCircle, 1.5)));
    let square = decode(r#"{"type":"shape.square","side":2.0}"#).await.unwrap();
    assert_eq!(square, GetShapeResponse::Square(Square::new(2.0, SquareType::ShapeSquare)));
    // The schema's name selects too (the implicit mapping the specification
    // describes), though the member's own field then holds an unlisted value.
    let named = decode(r#"{"type":"Square","side":3.0}"#).await.unwrap();
    assert_eq!(named, GetShapeResponse::Square(Square::new(3.0, SquareType::Unknown("Square".into()))));
    // A fixed value decides even where the shape would fit the other member.
    let both = decode(r#"{"type":"shape.square","side":1.0,"radius":1.0}"#).await.unwrap();
    assert!(matches!(both, GetShapeResponse::Square(_)), "{both:?}");
}

#[tokio::test]
async fn formats_with_a_type_of_their_own_go_out_as_their_text_and_come_back_typed() {
    use matrix_client::types::Formats;
    use matrix_client::uuid::{uuid, Uuid};
    use std::net::{Ipv4Addr, Ipv6Addr};
    let id = uuid!("67e55044-10b1-426f-9247-bb680e5fe0c8");
    let at = matrix_client::DateTime::parse("2024-06-01T12:00:00.250+02:00").unwrap();
    let body = Formats::new(id, Ipv4Addr::new(192, 0, 2, 1))
        .at(at.clone())
        .on(matrix_client::Date::new(2024, 2, 29).unwrap())
        .v6(Ipv6Addr::LOCALHOST)
        .peers([Uuid::nil()])
        .by_name(BTreeMap::from([("gw".to_string(), "2001:db8::1".parse::<Ipv6Addr>().unwrap())]));
    // Written as each format's canonical text, a date-time as it was read
    // (its offset and fraction digits kept); an uppercase UUID (which
    // `uuid` takes, as serde's derive does) comes back as the same value.
    let sent = r#"{"at":"2024-06-01T12:00:00.250+02:00","by_name":{"gw":"2001:db8::1"},"id":"67e55044-10b1-426f-9247-bb680e5fe0c8","on":"2024-02-29","peers":["00000000-0000-0000-0000-000000000000"],"v4":"192.0.2.1","v6":"::1"}"#;
    let echoed = sent.replace("67e55044-10b1-426f-9247-bb680e5fe0c8", "67E55044-10B1-426F-9247-BB680E5FE0C8");
    let (server, client) = answering("POST", ResponseTemplate::new(200).set_body_raw(echoed, "application/json")).await;
    let response = client
        .formats_matrix(id, Ipv4Addr::new(10, 0, 0, 1), body.clone())
        .ips(vec![Ipv6Addr::LOCALHOST, "2001:db8::2".parse().unwrap()])
        .x_trace(Uuid::nil())
        .session(id)
        .since(matrix_client::DateTime::from_unix(1_717_243_200, 0).unwrap())
        .x_day(matrix_client::Date::new(2024, 6, 1).unwrap())
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/formats/67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(request.url.query(), Some("ip=10.0.0.1&ips=%3A%3A1%2C2001%3Adb8%3A%3A2&since=2024-06-01T12%3A00%3A00Z"));
    assert_eq!(request.headers["x-trace"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(request.headers["x-day"], "2024-06-01");
    assert_eq!(request.headers["cookie"], "session=67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(String::from_utf8(request.body).unwrap(), sent);
    assert_eq!(response.body(), &body);
    // Sent back, a decoded date-time is the text it was read as.
    assert_eq!(serde_json::to_string(&response.body().at).unwrap(), "\"2024-06-01T12:00:00.250+02:00\"");

    // A server's sloppy date-time is read, in RFC 3339's spelling.
    let sloppy = r#"{"at":"2024-06-01 10:00:00.25z","id":"67e55044-10b1-426f-9247-bb680e5fe0c8","v4":"192.0.2.1"}"#;
    let (_server, client) =
        answering("POST", ResponseTemplate::new(200).set_body_raw(sloppy, "application/json")).await;
    let response = client.formats_matrix(id, Ipv4Addr::LOCALHOST, Formats::new(id, Ipv4Addr::LOCALHOST)).await.unwrap();
    let read = response.body().at.as_ref().unwrap();
    assert_eq!((read.as_str(), read.unix_timestamp()), ("2024-06-01T10:00:00.25Z", at.unix_timestamp()));

    // A value that is not of its format is a decode error at its path.
    let bad = r#"{"id":"67e55044-10b1-426f-9247-bb680e5fe0c8","v4":"192.0.2.256"}"#;
    let (_server, client) = answering("POST", ResponseTemplate::new(200).set_body_raw(bad, "application/json")).await;
    let err = client.formats_matrix(id, Ipv4Addr::LOCALHOST, Formats::new(id, Ipv4Addr::LOCALHOST)).await.unwrap_err();
    match err {
        Error::Decode { path, reason, .. } => {
            assert_eq!(path, "v4");
            assert!(reason.contains("expected an IPv4 address"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
