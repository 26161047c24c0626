//! Unit tests of the runtime: encoding, retries, redaction, decoding and
//! the property tests that no input panics.

use super::credentials::base64;
use super::from_json::Slot;
use super::json_reader::Reader;
use super::retry::jitter;
use super::retry::parse_http_date;
use std::time::Duration;

use super::*;

/// A small deterministic generator for the property tests.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 11
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn retry_after_of(value: &str) -> Option<Duration> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::RETRY_AFTER, reqwest::header::HeaderValue::from_str(value).ok()?);
    retry_after(&headers, std::time::SystemTime::now())
}

#[test]
fn path_segments_are_percent_encoded_and_dot_segments_refused() {
    assert_eq!(path_segment("id", "a b/c?d", Style::Simple).unwrap(), "a%20b%2Fc%3Fd");
    for value in ["", ".", ".."] {
        assert!(path_segment("id", value, Style::Simple).unwrap_err().contains("would change the path"), "{value:?}");
    }
    assert_eq!(path_segment("id", "...", Style::Simple).unwrap(), "...");
    assert_eq!(path_segment("id", &[1, 2], Style::Label).unwrap(), ".1,2");
    assert_eq!(path_segment("id", &[1, 2], Style::MatrixExploded).unwrap(), ";id=1;id=2");
    assert_eq!(
        path_segment("id", &serde_json::json!({"a": 1, "b": "x y"}), Style::SimpleExploded).unwrap(),
        "a=1,b=x%20y"
    );
    // A list's separators stay literal (RFC 6570); only its values are encoded.
    assert_eq!(path_segment("id", &["a,b", "c"], Style::Simple).unwrap(), "a%2Cb,c");
    assert_eq!(path_segment("id", &serde_json::json!({"k": "v w"}), Style::Simple).unwrap(), "k,v%20w");
}

#[test]
fn query_parameters_follow_their_style() {
    let pairs = |value: serde_json::Value, style| query_pairs("p", &value, style).unwrap();
    let owned = |list: &[(&str, &str)]| list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(pairs(serde_json::json!(["a", "b"]), Style::Form), owned(&[("p", "a"), ("p", "b")]));
    assert_eq!(pairs(serde_json::json!(["a", "b"]), Style::FormCompact), owned(&[("p", "a,b")]));
    assert_eq!(pairs(serde_json::json!(["a", "b"]), Style::PipeDelimited), owned(&[("p", "a|b")]));
    assert!(pairs(serde_json::json!(null), Style::Form).is_empty());
    let object = serde_json::json!({"role": "admin", "ids": [1, 2]});
    assert_eq!(pairs(object.clone(), Style::Form), owned(&[("ids", "1"), ("ids", "2"), ("role", "admin")]));
    assert_eq!(pairs(object.clone(), Style::FormCompact), owned(&[("p", "ids,1,2,role,admin")]));
    assert_eq!(
        pairs(serde_json::json!({"a": {"b": 1}, "c": "d"}), Style::DeepObject),
        owned(&[("p[a][b]", "1"), ("p[c]", "d")])
    );
    // Lists by index, at any depth (`expand[0]=x`, `items[0][price]=p`).
    assert_eq!(pairs(serde_json::json!(["x", "y"]), Style::DeepObject), owned(&[("p[0]", "x"), ("p[1]", "y")]));
    assert_eq!(
        pairs(serde_json::json!({"items": [{"price": "p"}]}), Style::DeepObject),
        owned(&[("p[items][0][price]", "p")])
    );
    assert_eq!(pairs(object, Style::Json), owned(&[("p", r#"{"ids":[1,2],"role":"admin"}"#)]));
    assert!(query_pairs("p", &serde_json::json!({"a": {"b": 1}}), Style::Form).is_err());
    assert_eq!(
        joined("h", &serde_json::json!({"a": 1, "b": 2}), Style::SimpleExploded).unwrap().as_deref(),
        Some("a=1,b=2")
    );
}

#[test]
fn retry_after_reads_every_http_date_form() {
    let now = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777 - 10);
    let at = |value: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
        retry_after(&headers, now)
    };
    assert_eq!(at("7"), Some(Duration::from_secs(7)));
    // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
    assert_eq!(at("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::from_secs(10)));
    assert_eq!(at("Sunday, 06-Nov-94 08:49:37 GMT"), Some(Duration::from_secs(10)));
    assert_eq!(at("Sun Nov  6 08:49:37 1994"), Some(Duration::from_secs(10)));
    assert_eq!(at("Sun, 06 Nov 1994 08:49:17 GMT"), Some(Duration::ZERO));
    assert_eq!(at("soon"), None);
    assert_eq!(at("99999999999999999999999"), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(at("Fri, 31 Dec 9999 23:59:59 GMT").map(|d| d > Duration::from_secs(1 << 37)), Some(true));
    assert_eq!(at("Sat, 01 Jan 99999 00:00:00 GMT"), None);
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
}

/// Property: no `Retry-After` value, however absurd, and no policy
/// setting makes the retry decision panic or wait past its cap.
#[test]
fn no_retry_after_value_or_policy_panics() {
    let mut rng = Lcg(7);
    let pieces = [
        "Sun,",
        "06",
        "Nov",
        "1994",
        "08:49:37",
        "GMT",
        "-",
        "99999999999999999999",
        "0",
        ":",
        " ",
        "Feb",
        "31",
        "-06-Nov-94",
        "Sunday,",
        "1e9",
        "\t",
        "99:99:99",
        "4294967296",
    ];
    let huge = [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_secs(1),
        Duration::MAX,
        Duration::from_secs(u64::MAX / 2),
    ];
    for case in 0..20_000 {
        let value: String = (0..rng.below(7))
            .map(|_| pieces[rng.below(pieces.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(if case % 3 == 0 { " " } else { "" });
        let policy = RetryPolicy::default()
            .initial_backoff(huge[rng.below(5) as usize])
            .max_backoff(huge[rng.below(5) as usize])
            .max_retry_after(huge[rng.below(5) as usize])
            .rate_limited_backoff(huge[rng.below(5) as usize])
            .max_attempts(rng.next() as u32);
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(header) = reqwest::header::HeaderValue::from_str(&value) {
            headers.insert(reqwest::header::RETRY_AFTER, header);
        }
        let status = [429u16, 503, 500, 408, 404][rng.below(5) as usize];
        let status = reqwest::StatusCode::from_u16(status).unwrap();
        let retry = rng.next() as u32;
        if let Some((wait, _)) = policy.retry_wait(
            Attempted::Status(status, &headers),
            rng.below(2) == 0,
            retry,
            std::time::SystemTime::now(),
        ) {
            if headers.contains_key(reqwest::header::RETRY_AFTER)
                && retry_after(&headers, std::time::SystemTime::now()).is_some()
            {
                assert!(wait <= policy.max_retry_after.saturating_add(Duration::from_secs(1)), "{value:?}: {wait:?}");
            }
        }
        let _ = retry_after_of(&value);
    }
}

#[test]
fn retries_follow_what_the_failure_proves() {
    let policy = RetryPolicy::default();
    let now = std::time::SystemTime::now();
    let empty = reqwest::header::HeaderMap::new();
    let decide = |code: u16, idempotent: bool| {
        policy
            .retry_wait(Attempted::Status(reqwest::StatusCode::from_u16(code).unwrap(), &empty), idempotent, 1, now)
            .map(|(_, why)| why)
    };
    assert_eq!(decide(429, false), Some("rate limited"));
    assert_eq!(decide(429, true), Some("rate limited"));
    for code in [408, 500, 502, 503, 504] {
        assert_eq!(decide(code, true), Some("server error"), "{code}");
        assert_eq!(decide(code, false), None, "{code} on a non-idempotent operation");
    }
    for code in [400, 404, 501, 505, 599] {
        assert_eq!(decide(code, true), None, "{code}");
    }
    // A 429 without Retry-After waits at least the floor.
    for retry in 1..6 {
        assert!(policy.rate_limited_wait(retry) >= Duration::from_secs(1));
    }
}

#[test]
fn backoff_is_capped_and_jittered() {
    let policy =
        RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(300));
    for retry in 1..40 {
        assert!(policy.backoff(retry) <= Duration::from_millis(300));
    }
    assert!(policy.backoff(1) <= Duration::from_millis(100));
    assert_eq!(RetryPolicy::disabled().max_attempts, 1);
    assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    let _ = jitter(Duration::MAX);
    assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
}

#[test]
fn number_checks_tolerate_decimal_steps_and_refuse_nan() {
    assert!(check_number("p", 0.07, None, None, Some(0.01)).is_ok());
    assert!(check_number("p", 33.33, Some((0.0, false)), Some((100.0, false)), Some(0.01)).is_ok());
    assert_eq!(
        check_number("p", 0.075, None, None, Some(0.01)).unwrap_err().message,
        "is 0.075, not a multiple of 0.01"
    );
    assert!(check_number("r", 0.0005, Some((0.001, false)), None, None).is_err());
    assert!(check_number("r", 1.0, None, Some((1.0, true)), None).is_err());
    assert!(check_number("n", f64::NAN, None, None, None).is_err());
    assert!(check_number("n", f64::INFINITY, None, None, None).is_err());
    assert!(check_count("v", 1, Some(2), None, "items").is_err());
    let nested = ValidationError { path: "passPercentage".into(), message: "m".into() }.within("rules[2]");
    assert_eq!(nested.to_string(), "`rules[2].passPercentage` m");
}

#[test]
fn secrets_are_redacted() {
    let secret = Secret::new("console-abc");
    assert_eq!(format!("{secret:?} {secret}"), "Secret(\"<redacted>\") <redacted>");
    assert_eq!(secret.expose(), "console-abc");
    let mut redactor = Redactor::default();
    redactor.add("console-abc");
    redactor.add("a\"b/c d");
    assert_eq!(redactor.text("Key: console-abc."), "Key: <redacted>.");
    assert_eq!(redactor.text(r#"{"k":"a\"b/c d"}"#), r#"{"k":"<redacted>"}"#);
    assert_eq!(redactor.text("?key=a%22b%2Fc%20d"), "?key=<redacted>");
    let body = redactor.bytes(bytes::Bytes::from_static(b"x console-abc y console-abc"));
    assert_eq!(&body[..], b"x <redacted> y <redacted>");
    redactor.add("ab");
    assert_eq!(redactor.text("ab"), "ab", "values too short to search for are left alone");
    assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert_eq!(base64(b"a"), "YQ==");
    assert!(is_credential_header("STATSIG-API-KEY") && is_credential_header("Authorization"));
    assert!(!is_credential_header("STATSIG-API-VERSION") && !is_credential_header("Accept"));
}

#[test]
fn server_messages_are_one_short_line() {
    assert_eq!(server_message(br#"{"message":"Not  found\nhere"}"#).as_deref(), Some("Not found here"));
    assert_eq!(server_message(br#"{"error":{"message":"bad"}}"#).as_deref(), Some("bad"));
    assert_eq!(server_message(b"<html><body>Bad gateway</body></html>"), None);
    let long = format!(r#"{{"detail":"{}"}}"#, "x".repeat(400));
    assert_eq!(server_message(long.as_bytes()).map(|m| m.chars().count()), Some(301));
}

#[test]
fn nullable_round_trips_three_states() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        team: Nullable<String>,
    }
    for (value, json) in [
        (Nullable::Absent, "{}"),
        (Nullable::Null, r#"{"team":null}"#),
        (Nullable::Value("a".to_string()), r#"{"team":"a"}"#),
    ] {
        let patch = Patch { team: value };
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
        assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
    }
}

#[test]
fn nullable_debug_reads_like_an_option() {
    assert_eq!(format!("{:?}", Nullable::Value("x")), r#"Some("x")"#);
    assert_eq!(format!("{:?}", Nullable::<u8>::Null), "Null");
    assert_eq!(format!("{:?}", Nullable::<u8>::Absent), "Absent");
}

/// A struct and its decoder, as the generated code writes them (the
/// lookup a search here, where the generator writes a `match`).
macro_rules! decoded_struct {
    ($ty:ident { $($field:ident: $fty:ty = $wire:literal),* }) => {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct $ty {
            $($field: $fty,)*
        }

        impl FromJson for $ty {
            fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
                let names = [$($wire),*];
                let slot_of: fn(&str) -> Option<usize> = |key| [$($wire),*].iter().position(|name| *name == key);
                $(let mut $field: Option<$fty> = None;)*
                read_object(reader, concat!("struct ", stringify!($ty)), &names, slot_of, &mut [$(&mut $field),*], None)?;
                match ($($field,)*) {
                    ($(Some($field),)*) => Ok(Self { $($field,)* }),
                    _ => Err(unfilled(stringify!($ty))),
                }
            }
        }
    };
}

decoded_struct!(Variant { name: String = "name", weight: Option<i32> = "weight" });
decoded_struct!(Data {
    id: String = "id",
    variants: Vec<Variant> = "variants",
    tags: Option<std::collections::BTreeMap<String, Vec<i32>>> = "tags",
    nested: Option<Box<Data>> = "nested"
});
decoded_struct!(Envelope { message: String = "message", data: Data = "data" });

fn decode<T: FromJson>(text: &str) -> Result<T, JsonError> {
    Reader::read_all(text.as_bytes())
}

#[test]
fn a_decode_error_names_the_path_of_the_value_at_fault() {
    let pretty = "{\n  \"message\": \"ok\",\n  \"data\": {\n    \"id\": \"a\",\n    \"variants\": [\n      {\"weight\": 4}\n    ]\n  }\n}\n";
    // The paths serde_path_to_error gives for the same bodies (but for
    // `[1]`, where serde reads a struct from an array).
    let cases = [
        (r#"{"message":"ok","data":{"id":"a","variants":[{"name":"x"},{"name":42}]}}"#, "data.variants[1].name"),
        (r#"{"message":"ok","data":{"id":"a","variants":[{"name":"x"},{"weight":1}]}}"#, "data.variants[1]"),
        (r#"{"message":"ok","data":{"id":"a","variants":[{"name":"y","weight":1.5}]}}"#, "data.variants[0].weight"),
        (
            r#"{"message":"ok","data":{"id":"a","variants":[{"name":"y","weight":3000000000}]}}"#,
            "data.variants[0].weight",
        ),
        (r#"{"message":"ok","data":{"id":"a","variants":{}}}"#, "data.variants"),
        (r#"{"message":"ok","data":{"id":"a","variants":[ {"name": {"x":1}} ]}}"#, "data.variants[0].name"),
        (r#"{"message":"ok","data":{"id":"a","variants":[ [1] ]}}"#, "data.variants[0]"),
        (r#"{"message":"ok","data":{"variants":[]}}"#, "data"),
        (r#"{"message":"ok"}"#, "."),
        (r#"{"message":"ok","data":{"id":"a","variants":[],"tags":{"k":[1,2,true]}}}"#, "data.tags.k[2]"),
        (r#"{"message":"ok","data":{"id":"a","variants":[],"tags":{"k.y\"z":[1,"x"]}}}"#, "data.tags.k.y\"z[1]"),
        (
            r#"{"message":"ok","data":{"id":"a","variants":[],"nested":{"id":"b","variants":[{"name":null}]}}}"#,
            "data.nested.variants[0].name",
        ),
        (
            r#"{"message":"ok","data":{"id":"a","variants":[],"nested":{"id":"b","variants":[{"name":"n"}"#,
            "data.nested.variants",
        ),
        (
            r#"{"message":"ok","data":{"id":"é","variants":[{"name":"x"},{"name":"ü\n", "weight": "7"}]}}"#,
            "data.variants[1].weight",
        ),
        // A syntax error inside a member the type passes over names it.
        (r#"{"message":"ok","extra":{"a":[1,}]},"data":{}}"#, "extra"),
        ("not json", "."),
        ("", "."),
        ("[1]", "."),
        (pretty, "data.variants[0]"),
    ];
    for (body, path) in cases {
        let failure = json::<Envelope>(&bytes::Bytes::from(body)).unwrap_err();
        assert_eq!(failure.path, path, "{body}: {}", failure.reason);
    }
}

#[test]
fn from_json_decodes_as_serde_derive_does() {
    // An `Option` missing or null is `None`; a `Nullable` keeps the difference.
    // A slot the object never filled gets what a missing member is.
    let settled = |mut slot: Option<Option<i32>>| slot.fill(None, "gone").map(|()| slot);
    assert_eq!(settled(None), Ok(Some(None)));
    assert_eq!(settled(Some(Some(3))), Ok(Some(Some(3))));
    let mut absent: Option<Nullable<i32>> = None;
    assert_eq!(absent.fill(None, "gone"), Ok(()));
    assert_eq!(absent, Some(Nullable::Absent));
    assert_eq!(decode::<Nullable<i32>>("null"), Ok(Nullable::Null));
    assert_eq!(decode::<Nullable<i32>>(" 7 "), Ok(Nullable::Value(7)));
    assert_eq!(decode::<Option<i32>>("null"), Ok(None));
    assert_eq!(None::<String>.fill(None, "id").unwrap_err().to_string(), "missing field `id`");
    assert_eq!(decode::<Variant>(r#"{"weight":1}"#).unwrap_err().to_string(), "missing field `name`");
    // A member twice is an error; the second of an unknown one is passed over.
    let twice = decode::<Variant>(r#"{"name":"a","x":1,"x":2,"name":"b"}"#).unwrap_err();
    assert_eq!(twice.to_string(), "duplicate field `name`");
    // Integers as serde reads them: no fractions, no overflow, no `-0`.
    assert_eq!(decode::<i32>("-5"), Ok(-5));
    assert_eq!(decode::<i64>(&i64::MIN.to_string()), Ok(i64::MIN));
    assert_eq!(decode::<u64>(&u64::MAX.to_string()), Ok(u64::MAX));
    assert_eq!(decode::<u8>("255"), Ok(255));
    let cases = [
        ("1.5", "invalid type: floating point `1.5`, expected i32"),
        ("1e2", "invalid type: floating point `1e2`, expected i32"),
        ("-0", "invalid type: floating point `-0`, expected i32"),
        ("3000000000", "invalid value: integer `3000000000`, expected i32"),
        ("\"7\"", r#"invalid type: string "7", expected i32"#),
    ];
    for (text, reason) in cases {
        assert_eq!(decode::<i32>(text).unwrap_err().reason(), reason);
    }
    assert_eq!(
        decode::<i64>(&u64::MAX.to_string()).unwrap_err().reason(),
        format!("invalid value: integer `{}`, expected i64", u64::MAX)
    );
    assert_eq!(decode::<u64>("-1").unwrap_err().reason(), "invalid value: integer `-1`, expected u64");
    // Floats: bit for bit what serde_json reads.
    for text in
        ["2", "0.1", "-0", "1e-7", "123456789012345678901234567890", "2.2250738585072011e-308", "0.30000000000000004"]
    {
        assert_eq!(
            decode::<f64>(text).map(f64::to_bits),
            serde_json::from_str::<f64>(text).map(f64::to_bits).map_err(|_| JsonError::new("")),
            "{text}"
        );
        assert_eq!(
            decode::<f32>(text).map(f32::to_bits),
            serde_json::from_str::<f32>(text).map(f32::to_bits).map_err(|_| JsonError::new("")),
            "{text}"
        );
    }
    assert!(decode::<f64>("1e400").is_err());
    assert_eq!(decode::<bool>("null").unwrap_err().reason(), "invalid type: null, expected a boolean");
    assert_eq!(decode::<Binary>("\"x\"").map(|b| b.as_bytes().map(<[u8]>::to_vec)), Ok(Some(b"x".to_vec())));
    // Paths name keys and indexes, outermost first.
    let err = decode::<Vec<std::collections::BTreeMap<String, Vec<bool>>>>(r#"[{}, {"k": [true, 1]}]"#).unwrap_err();
    assert_eq!((err.path().as_str(), err.reason()), ("[1].k[1]", "invalid type: integer `1`, expected a boolean"));
    assert_eq!(err.to_string(), "invalid type: integer `1`, expected a boolean at `[1].k[1]`");
    // Any JSON, as serde_json reads it.
    let any = r#"{"z": [1, "two", null], "a": {"b": false}}"#;
    assert_eq!(decode::<serde_json::Value>(any), Ok(serde_json::json!({"a": {"b": false}, "z": [1, "two", null]})));
    // Strings borrowed from the body where they can be; escapes decoded.
    let mut reader = Reader::new(br#""plain" "esc\u0061ped\ud83d\ude00""#);
    assert!(matches!(reader.string("a string"), Ok(std::borrow::Cow::Borrowed("plain"))));
    assert_eq!(reader.string("a string").as_deref(), Ok("escaped\u{1f600}"));
    assert!(decode::<String>(r#""\ud83d""#).is_err());
    // A tag is read ahead: the reader stays at the union's object.
    let mut reader = Reader::new(br#"{"a": [1, {"type": 2}], "type": "cat"}"#);
    assert_eq!(union_tag(&mut reader, "type", "union U", false).as_deref(), Ok("cat"));
    assert_eq!(union_tag(&mut reader, "type", "union U", true).as_deref(), Ok("cat"));
    assert!(decode::<serde_json::Value>(r#"{"type": 1}"#).is_ok());
    assert!(union_tag(&mut Reader::new(br#"{"type": 1}"#), "type", "union U", false).is_err());
    assert_eq!(
        union_tag(&mut Reader::new(b"{}"), "type", "union U", true).unwrap_err().reason(),
        "missing field `type`"
    );
    let unknown = unknown_variant(&mut reader, "type", "cat".into(), true).unwrap();
    // An unknown tag is checked to come once, whatever the variants hold:
    // here, where reading ahead stopped at the first tag; otherwise
    // `union_tag` read the whole object and refused it already.
    let twice = br#"{"type": "x", "type": "y"}"#;
    assert!(unknown_variant(&mut Reader::new(twice), "type", "x".into(), true).is_err());
    assert!(union_tag(&mut Reader::new(twice), "type", "union U", false).is_err());
    assert_eq!((unknown.tag.as_str(), &unknown.value["type"]), ("cat", &serde_json::json!("cat")));
    assert_eq!(decode::<Variant>("[1]").unwrap_err().reason(), "invalid type: sequence, expected struct Variant");
    assert_eq!(decode::<Variant>(r#"{"name":"a"} x"#).unwrap_err().reason(), "trailing characters");
}

#[test]
fn the_reader_accepts_and_refuses_what_serde_json_does() {
    // Random text from JSON's alphabet, some of it well formed: passed
    // over, or decoded as any value, it is accepted exactly when serde_json
    // accepts it, and nothing panics.
    let mut rng = Lcg(7);
    let pieces: [&[u8]; 24] = [
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"\"k\"",
        b"\"\\u00e9\"",
        b"\"\\ud800\"",
        b"\"\\x\"",
        b" ",
        b"\n",
        b"1",
        b"-0",
        b"01",
        b"1.",
        b"1.5e+3",
        b"-",
        b"true",
        b"nul",
        b"null",
        b"\"\x01\"",
        b"\xff",
        b"\"\xc3\xa9\"",
    ];
    let mut agreed = 0;
    for _ in 0..20_000 {
        let len = rng.below(12) as usize;
        let mut text = Vec::new();
        for _ in 0..len {
            text.extend_from_slice(pieces[rng.below(pieces.len() as u64) as usize]);
        }
        let theirs = serde_json::from_slice::<serde::de::IgnoredAny>(&text).is_ok();
        let mut reader = Reader::new(&text);
        let ours = reader.skip().is_ok() && Reader::read_all::<Skipped>(&text).is_ok();
        assert_eq!(ours, theirs, "passing over {:?}", String::from_utf8_lossy(&text));
        let theirs = serde_json::from_slice::<serde_json::Value>(&text).ok();
        assert_eq!(Reader::read_all::<serde_json::Value>(&text).ok(), theirs, "{:?}", String::from_utf8_lossy(&text));
        agreed += usize::from(theirs.is_some());
    }
    assert!(agreed > 500, "only {agreed} well-formed cases");
}

/// Any value, passed over.
struct Skipped;

impl FromJson for Skipped {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        reader.skip().map(|()| Skipped)
    }
}

#[test]
fn nesting_is_refused_past_serde_jsons_limit_and_never_overflows_the_stack() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    // Decoded values nest as deep as serde_json allows them.
    for n in [126, 127, 128, 129] {
        let text = deep(n);
        assert_eq!(
            Reader::read_all::<serde_json::Value>(text.as_bytes()).is_ok(),
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{n}"
        );
    }
    // Passed-over values have no limit, and no depth exhausts the stack.
    let text = format!("{{\"a\":{}}}", deep(1_000_000));
    assert!(decode::<Variant>(&text).unwrap_err().reason().contains("missing field"));
    let unclosed = "[".repeat(1_000_000);
    assert!(decode::<serde_json::Value>(&unclosed).is_err());
    assert!(decode::<Data>(&format!("{{\"extra\":{unclosed}")).is_err());
}

#[test]
fn error_bodies_are_scrubbed_as_decoded_and_in_every_encoding() {
    let mut redactor = Redactor::default();
    redactor.add("console-abc/d e");
    // A JSON escape spells the key without its bytes.
    let body = redactor.error_body(bytes::Bytes::from_static(br#"{"message":"key \u0063onsole-abc\/d e","n":1}"#));
    assert_eq!(&body[..], br#"{"message":"key <redacted>","n":1}"#);
    // Keys too, and a body that is not JSON as bytes.
    let body = redactor.error_body(bytes::Bytes::from_static(br#"{"console-abc/d e":true}"#));
    assert_eq!(&body[..], br#"{"<redacted>":true}"#);
    for form in ["console-abc%2Fd%20e", "console-abc%2fd%20e", "console-abc%2Fd+e", "Y29uc29sZS1hYmMvZCBl"] {
        let text = redactor.text(&format!("echo {form}!"));
        assert_eq!(text, "echo <redacted>!", "{form}");
    }
    // A body with nothing to scrub is left as it was, formatting and all.
    let untouched = bytes::Bytes::from_static(b"{ \"a\" : 1 }");
    assert_eq!(redactor.error_body(untouched.clone()), untouched);
}

#[test]
fn shown_text_is_one_bounded_line() {
    assert_eq!(one_line("a\nb\u{1b}[31m\u{2028}c", 100), "a\\nb\\u{1b}[31m\\u{2028}c");
    assert_eq!(one_line("abcdef", 3), "abc…");
    let kept = capped("é".repeat(10), 5);
    assert!(kept.starts_with("éé… (") && kept.ends_with("more bytes not kept)"), "{kept}");
    // A path through keys with line breaks, deep and long, stays short.
    let mut err = JsonError::new("x");
    for _ in 0..100 {
        err = err.at_key("k\ny");
    }
    let path = err.path();
    assert!(path.chars().count() <= 201 && !path.contains('\n'), "{path}");
    assert!(path.starts_with("k\\ny.k\\ny") && path.contains('…'), "{path}");
}

#[test]
fn no_pause_of_the_limiter_panics() {
    let mut rng = Lcg(0xDEC0DE);
    let extremes = [Duration::ZERO, Duration::from_nanos(1), Duration::from_secs(u64::MAX / 2), Duration::MAX];
    for _ in 0..500 {
        let pick = |rng: &mut Lcg| match rng.below(5) {
            4 => Duration::from_nanos(rng.next()),
            i => extremes[i as usize],
        };
        let mut limiter = RateLimiter::new().limit(rng.next() as u32, pick(&mut rng));
        if rng.below(2) == 0 {
            limiter = limiter.mutations_only();
        }
        for method in [reqwest::Method::GET, reqwest::Method::POST] {
            limiter.pause_for(pick(&mut rng), &method);
        }
        let _ = format!("{limiter:?}");
    }
}

#[test]
fn idempotency_keys_are_version_4_uuids() {
    let keys: Vec<String> = (0..100).map(|_| super::retry::uuid_v4()).collect();
    for key in &keys {
        let parts: Vec<usize> = key.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{key}");
        assert_eq!(&key[14..15], "4", "{key}");
        assert!(matches!(&key[19..20], "8" | "9" | "a" | "b"), "{key}");
    }
    let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len());
}

#[test]
fn a_strict_rfc_3339_date_time_round_trips_byte_identical() {
    for text in [
        "2024-06-01T12:00:00Z",
        "2024-06-01T12:00:00.5+02:00",
        "1969-12-31T23:59:59.999999999123-05:30",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2024-06-01T12:00:00-00:00",
        "2024-06-01T12:00:00+00:00",
    ] {
        let value = DateTime::parse(text).unwrap();
        assert_eq!(value.as_str(), text);
        assert_eq!(serde_json::to_string(&value).unwrap(), format!("\"{text}\""));
        assert_eq!(from_json_slice::<DateTime>(format!("\"{text}\"").as_bytes()).unwrap(), value);
    }
}

#[test]
fn a_sloppy_date_time_is_read_and_kept_in_rfc_3339_spelling() {
    for (sloppy, strict) in [
        ("2024-06-01t12:00:00z", "2024-06-01T12:00:00Z"),
        ("2024-06-01 12:00:00Z", "2024-06-01T12:00:00Z"),
        ("2024-06-01T12:00Z", "2024-06-01T12:00:00Z"),
        ("2024-06-01T12:00:00", "2024-06-01T12:00:00Z"),
        ("2024-06-01T12:00:00,25+0530", "2024-06-01T12:00:00.25+05:30"),
        ("2024-06-01T12:00:00+05", "2024-06-01T12:00:00+05:00"),
    ] {
        assert_eq!(DateTime::parse(sloppy).unwrap().as_str(), strict, "{sloppy}");
    }
}

#[test]
fn a_date_time_is_the_instant_it_names() {
    let noon = DateTime::parse("2024-06-01T12:00:00Z").unwrap();
    assert_eq!(noon.unix_timestamp(), 1_717_243_200);
    let east = DateTime::parse("2024-06-01T14:00:00.25+02:00").unwrap();
    assert_eq!((east.unix_timestamp(), east.nanosecond(), east.offset_seconds()), (1_717_243_200, 250_000_000, 7200));
    assert!(noon < east && noon != east);
    assert_eq!(DateTime::parse("1969-12-31T23:59:59Z").unwrap().unix_timestamp(), -1);
    assert_eq!(DateTime::from_unix(1_717_243_200, 0).unwrap().as_str(), "2024-06-01T12:00:00Z");
    assert_eq!(DateTime::from_unix(-1, 500_000_000).unwrap().as_str(), "1969-12-31T23:59:59.5Z");
    assert_eq!(DateTime::from_unix(253_402_300_800, 0), None);
    assert_eq!(DateTime::from_unix(0, 1_000_000_000), None);
    let before = std::time::UNIX_EPOCH - Duration::from_millis(1500);
    assert_eq!(DateTime::from_system_time(before).unwrap().as_str(), "1969-12-31T23:59:58.5Z");
    assert_eq!(DateTime::parse("1969-12-31T23:59:58.5Z").unwrap().to_system_time(), before);
    // Every day of four centuries (leap years and all) survives the trip.
    let mut day = DateTime::parse("1900-01-01T00:00:00Z").unwrap().unix_timestamp();
    while day < DateTime::parse("2300-01-01T00:00:00Z").unwrap().unix_timestamp() {
        let value = DateTime::from_unix(day, 0).unwrap();
        assert_eq!(DateTime::parse(value.as_str()).unwrap().unix_timestamp(), day);
        day += 86_400;
    }
}

#[test]
fn a_date_time_that_is_not_one_says_why() {
    for (text, reason) in [
        ("2023-02-29T12:00:00Z", "the month has no such day"),
        ("2024-06-01T24:00:00Z", "expected an hour, 00 to 23"),
        ("2024-06-01T12:60:00Z", "expected minutes, 00 to 59"),
        ("2024-06-01T12:00:61Z", "expected seconds, 00 to 60"),
        ("2024-06-01T12:00:00.Z", "expected digits after the decimal point"),
        ("2024-06-01T12:00:00+24:00", "expected the offset's hours"),
        ("2024-06-01T12:00:00Zx", "unexpected text after the offset"),
        ("2024-06-01", "expected `T` between the date and the time"),
        ("24-06-01T12:00:00Z", "expected a four-digit year"),
        ("", "expected a four-digit year"),
        ("2024-06-01T1", "expected an hour, 00 to 23"),
    ] {
        let err = DateTime::parse(text).unwrap_err();
        assert_eq!(err.to_string(), format!("not an RFC 3339 date-time: {reason}"), "{text}");
    }
    let err = from_json_slice::<DateTime>(br#"{"at": 1}"#).unwrap_err();
    assert!(err.to_string().contains("an RFC 3339 date-time"), "{err}");
}

#[test]
fn a_date_is_its_year_month_and_day() {
    let date = Date::parse("2024-02-29").unwrap();
    assert_eq!((date.year(), date.month(), date.day(), date.unix_days()), (2024, 2, 29, 19_782));
    assert_eq!(date.to_string(), "2024-02-29");
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-02-29\"");
    assert_eq!(from_json_slice::<Date>(b"\"2024-02-29\"").unwrap(), date);
    assert_eq!(Date::new(2023, 2, 29), None);
    assert_eq!(Date::new(2024, 2, 29), Some(date));
    assert!(Date::new(2024, 1, 1).unwrap() < date);
    for text in ["2023-02-29", "2024-13-01", "2024-6-1", "2024-06-01T00:00:00Z"] {
        assert!(Date::parse(text).is_err(), "{text}");
    }
}

#[test]
fn no_text_makes_a_date_or_time_parser_panic() {
    let mut rng = Lcg(7);
    let alphabet = b"0123456789-:TtZz .,+";
    for _ in 0..20_000 {
        let n = rng.below(32) as usize;
        let text: String = (0..n).map(|_| char::from(alphabet[rng.below(alphabet.len() as u64) as usize])).collect();
        let _ = DateTime::parse(&text);
        let _ = Date::parse(&text);
    }
}
