//! Every example in `openapi/autotune.yaml`, and the JSON on the two seed
//! pages, decodes into the generated types and encodes back to equal JSON
//! (with the `full-serde` feature, which gives every type both directions).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use statsig_autotune::types::*;
use tests::{json_eq, read, repo_root, shared_dir};

fn round_trip<T: DeserializeOwned + Serialize>(what: &str, value: &Value) {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|err| panic!("{what}: does not decode: {err}"));
    let back = serde_json::to_value(&typed).unwrap_or_else(|err| panic!("{what}: does not encode: {err}"));
    assert!(json_eq(value, &back), "{what}: round trip changed the JSON\nbefore: {value}\nafter:  {back}");
}

/// Decodes `value` as the component schema `schema`.
fn round_trip_schema(what: &str, schema: &str, value: &Value) {
    match schema {
        "AutotuneListResponse" => round_trip::<AutotuneListResponse>(what, value),
        "AutotuneResponse" => round_trip::<AutotuneResponse>(what, value),
        "AutotuneCreate" => round_trip::<AutotuneCreate>(what, value),
        "AutotuneFullUpdate" => round_trip::<AutotuneFullUpdate>(what, value),
        "AutotunePartialUpdate" => round_trip::<AutotunePartialUpdate>(what, value),
        "ExperimentStatusUpdate" => round_trip::<ExperimentStatusUpdate>(what, value),
        "MessageResponse" => round_trip::<MessageResponse>(what, value),
        "ErrorBody" => round_trip::<ErrorBody>(what, value),
        other => panic!("{what}: no round-trip case for schema {other}; add one"),
    }
}

/// `(where, schema name, example)` for every media-type example whose
/// schema is a `$ref`, following response `$ref`s.
fn spec_examples(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    let mut visit_media = |at: String, media: &Value| {
        let Some(schema) = media.pointer("/schema/$ref").and_then(Value::as_str) else { return };
        let name = schema.rsplit('/').next().unwrap_or(schema).to_string();
        if let Some(example) = media.get("example") {
            found.push((at.clone(), name.clone(), example.clone()));
        }
        for (key, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
            found.push((format!("{at}/examples/{key}"), name.clone(), example["value"].clone()));
        }
    };
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(op) = op.as_object() else { continue };
            if let Some(media) = op.get("requestBody").and_then(|b| b.pointer("/content/application~1json")) {
                visit_media(format!("{method} {path} request"), media);
            }
            for (status, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                if let Some(media) = response.pointer("/content/application~1json") {
                    visit_media(format!("{method} {path} {status}"), media);
                }
            }
        }
    }
    for (name, response) in doc.pointer("/components/responses").and_then(Value::as_object).into_iter().flatten() {
        if let Some(media) = response.pointer("/content/application~1json") {
            visit_media(format!("#/components/responses/{name}"), media);
        }
    }
    found
}

fn spec_json() -> Value {
    let text = read(&repo_root().join("openapi/autotune.yaml"));
    let mut diags = generator::Diagnostics::new("autotune.yaml");
    generator::load::load(&text, "autotune.yaml", &mut diags).expect("the spec loads").raw
}

#[test]
fn every_example_in_the_spec_round_trips() {
    let examples = spec_examples(&spec_json());
    assert!(examples.len() >= 15, "only {} examples found", examples.len());
    for (at, schema, example) in &examples {
        round_trip_schema(at, schema, example);
    }
}

/// The JSON object that starts at `start` (braces balanced, strings skipped).
fn json_object_at(text: &str, start: usize) -> Value {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        match (in_string, b) {
            (true, b'\\') if !escaped => escaped = true,
            (true, b'"') if !escaped => in_string = false,
            (true, _) => escaped = false,
            (false, b'"') => in_string = true,
            (false, b'{') => depth += 1,
            (false, b'}') => {
                depth -= 1;
                if depth == 0 {
                    return serde_json::from_str(&text[start..=i])
                        .unwrap_or_else(|err| panic!("bad JSON in seed: {err}"));
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced JSON in seed")
}

/// The request body (`--data '{…}'`) and the response that follows it on
/// a seed page.
fn seed_request_and_response(file: &str) -> (Value, Value) {
    let text = read(&shared_dir().join("seeds").join(file));
    let data = text.find("--data '").expect("a curl --data") + "--data '".len();
    let request = json_object_at(&text, data);
    let after = text[data..].find("}'").expect("end of --data") + data + 2;
    let response_start = text[after..].find('{').expect("a response body") + after;
    (request, json_object_at(&text, response_start))
}

#[test]
fn fully_update_seed_round_trips() {
    let (request, response) = seed_request_and_response("001_6a4683fa1c3ebd7e.txt");
    // The page's request also carries keys that are not fields of the body
    // (upstream's example is like that); the server ignores them, and so do
    // the generated types. Exactly those keys are dropped, the rest round-trips.
    let typed: AutotuneFullUpdate = serde_json::from_value(request.clone()).expect("decodes");
    let back = serde_json::to_value(&typed).expect("encodes");
    let mut dropped: Vec<&str> =
        request.as_object().unwrap().keys().filter(|k| back.get(k.as_str()).is_none()).map(String::as_str).collect();
    dropped.sort();
    assert_eq!(dropped, ["id", "idType", "isStarted", "lastModifierID", "lastModifierName"]);
    let mut kept = request.clone();
    for key in &dropped {
        kept.as_object_mut().unwrap().remove(*key);
    }
    assert!(json_eq(&kept, &back), "before: {kept}\nafter: {back}");
    assert_eq!(typed.variants.len(), 2);
    assert_eq!(typed.winner_threshold, WinnerThreshold::V99Percent);

    round_trip::<AutotuneResponse>("fully update seed response", &response);
}

#[test]
fn finish_early_seed_round_trips() {
    let (request, response) = seed_request_and_response("000_9e39670a441406f7.txt");
    round_trip::<ExperimentStatusUpdate>("finish early seed request", &request);
    round_trip::<MessageResponse>("finish early seed response", &response);
    let typed: ExperimentStatusUpdate = serde_json::from_value(request).unwrap();
    assert_eq!(typed.remove_targeting, Some(false));
}

#[test]
fn enums_keep_wire_strings_and_accept_new_values() {
    for window in ExplorationWindow::KNOWN {
        let json = serde_json::to_value(window).unwrap();
        assert_eq!(json, Value::String(window.as_str().to_string()));
        assert_eq!(&window.as_str().parse::<ExplorationWindow>().unwrap(), window);
    }
    assert_eq!(ExplorationWindow::KNOWN.len(), 15);
    assert_eq!(AttributionWindow::KNOWN.len(), 12);
    assert_eq!(WinnerThreshold::KNOWN.len(), 5);
    assert_eq!(ConditionType::KNOWN.len(), 25);
    assert_eq!(WinnerThreshold::V99Percent.to_string(), "99%");
    let new: ExplorationWindow = serde_json::from_str("\"720hr\"").unwrap();
    assert_eq!(new, ExplorationWindow::Unknown("720hr".into()));
    assert_eq!(serde_json::to_string(&new).unwrap(), "\"720hr\"");
    let err = "720hr".parse::<ExplorationWindow>().unwrap_err();
    assert_eq!(err.to_string(), "`720hr` is not a documented ExplorationWindow value");
}

#[test]
fn optional_nullable_fields_keep_absent_null_and_value_apart() {
    let base = serde_json::json!({
        "id": "a", "description": "", "variants": [], "successEvent": "e", "successEventValue": "",
        "explorationWindow": "1hr", "attributionWindow": "1hr", "winnerThreshold": "80%", "isStarted": true,
        "lastModifierID": null, "lastModifierName": "CONSOLE API"
    });
    for team in [None, Some(Value::Null), Some(Value::String("growth".into()))] {
        let mut json = base.clone();
        if let Some(team) = &team {
            json["team"] = team.clone();
        }
        let typed: Autotune = serde_json::from_value(json.clone()).unwrap();
        match &team {
            None => assert!(typed.team.is_absent()),
            Some(Value::Null) => assert!(typed.team.is_null()),
            Some(_) => assert_eq!(typed.team.as_option().map(String::as_str), Some("growth")),
        }
        assert!(json_eq(&json, &serde_json::to_value(&typed).unwrap()));
    }
}

#[test]
fn keyword_and_acronym_fields_keep_their_wire_names() {
    let json = serde_json::json!({
        "type": "unit_id", "operator": "any", "customID": "companyID", "field": null,
        "targetValue": ["a", "b"]
    });
    let condition: TargetingCondition = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(condition.type_, ConditionType::UnitId);
    assert_eq!(condition.custom_id.as_option().map(String::as_str), Some("companyID"));
    assert_eq!(
        condition.target_value,
        statsig_autotune::Nullable::Value(TargetingConditionTargetValue::StringList(vec!["a".into(), "b".into()]))
    );
    assert!(json_eq(&json, &serde_json::to_value(&condition).unwrap()));
}
