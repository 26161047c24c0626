//! OpenAPI 3.2 → 3.1, rewritten in the raw JSON before the 3.1 rewrite
//! runs. What 3.2 adds is mapped to what the generator reads, or left out
//! with a warning and its pointer; a 3.2 document is never refused whole.
//!
//! | 3.2 | becomes |
//! |---|---|
//! | `itemSchema` of a media type (SSE, JSON Lines) | its `schema`: the type of each streamed item (for SSE, of an event's `data`: its `contentSchema` when the item describes the event's fields) |
//! | `$ref` to `#/components/mediaTypes/…` | the media type object it names |
//! | `additionalOperations` with a method 3.1 has (`GET`…) | that method's operation |
//! | the `query` method (or `QUERY` in `additionalOperations`) | an operation sent with `QUERY` |
//! | other `additionalOperations` | left out (a warning) |
//! | a parameter `in: querystring` | left out (a warning) |

use crate::diagnostics::{Diagnostics, Pointer};
use serde_json::{json, Value};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Where a path item keeps its `query` operation for the generator
/// (openapiv3's path item has no such field, but keeps `x-` keys).
pub(super) const QUERY_KEY: &str = "x-oas-query";

/// Rewrites a 3.2 document in place into a 3.1 one; returns what moved,
/// `(where it is now, where it was)`, so problems are reported where the
/// document has them.
pub(super) fn normalize(raw: &mut Value, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let mut moved = Vec::new();
    let Some(document) = raw.as_object_mut() else { return moved };
    document.insert("openapi".into(), json!("3.1.1"));
    document.remove("$self");
    let media_types = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("mediaTypes"))
        .unwrap_or(Value::Null);
    let root = Pointer::root();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            path_item(item, &root.join("paths").join(path), &mut moved, diags);
        }
    }
    media(raw, &media_types, &root, &mut moved, diags);
    moved
}

/// Moves `additionalOperations` with a standard method into place; says
/// what is left out.
fn path_item(item: &mut Value, at: &Pointer, moved: &mut Vec<(String, String)>, diags: &mut Diagnostics) {
    let Some(map) = item.as_object_mut() else { return };
    if let Some(query) = map.remove("query") {
        moved.push((at.join(QUERY_KEY).to_string(), at.join("query").to_string()));
        map.insert(QUERY_KEY.into(), query);
    }
    if let Some(Value::Object(extra)) = map.remove("additionalOperations") {
        for (method, operation) in extra {
            let lower = method.to_ascii_lowercase();
            let op_at = at.join("additionalOperations").join(&method);
            let key = if lower == "query" { QUERY_KEY.to_string() } else { lower.clone() };
            if (METHODS.contains(&lower.as_str()) || lower == "query") && !map.contains_key(&key) {
                moved.push((at.join(&key).to_string(), op_at.to_string()));
                map.insert(key, operation);
            } else {
                diags.warning(&op_at, format!("the `{method}` method is not supported; this operation is left out"));
            }
        }
    }
    for method in METHODS {
        if let Some(Value::Array(params)) = map.get_mut(method).and_then(|op| op.get_mut("parameters")) {
            querystring(params, &at.join(method).join("parameters"), diags);
        }
    }
    if let Some(Value::Array(params)) = map.get_mut("parameters") {
        querystring(params, &at.join("parameters"), diags);
    }
}

fn querystring(params: &mut Vec<Value>, at: &Pointer, diags: &mut Diagnostics) {
    let mut index = 0;
    params.retain(|p| {
        let keep = p.get("in").and_then(Value::as_str) != Some("querystring");
        if !keep {
            diags.warning(
                &at.join(index),
                "a parameter `in: querystring` (the whole query as one value) is not supported; it is left out",
            );
        }
        index += 1;
        keep
    });
}

/// Every `content` map: media types by reference resolved, `itemSchema`
/// made the schema.
fn media(
    value: &mut Value,
    components: &Value,
    at: &Pointer,
    moved: &mut Vec<(String, String)>,
    diags: &mut Diagnostics,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_at = at.join(key);
                if key == "content" {
                    if let Some(content) = child.as_object_mut() {
                        for (name, media_type) in content.iter_mut() {
                            media_type_object(media_type, components, &child_at.join(name), moved, diags);
                        }
                    }
                }
                if !matches!(key.as_str(), "example" | "examples" | "default" | "schema") {
                    media(child, components, &child_at, moved, diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                media(item, components, &at.join(i), moved, diags);
            }
        }
        _ => {}
    }
}

fn media_type_object(
    value: &mut Value,
    components: &Value,
    at: &Pointer,
    moved: &mut Vec<(String, String)>,
    diags: &mut Diagnostics,
) {
    if let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_string) {
        let target = reference.strip_prefix("#/components/mediaTypes/").and_then(|name| components.get(name));
        match target {
            Some(target) => {
                *value = target.clone();
                moved.push((at.to_string(), reference.clone()));
            }
            None => {
                diags.warning(
                    &at.join("$ref"),
                    format!("`{reference}` names no media type in `components/mediaTypes`; the body is any JSON"),
                );
                *value = json!({});
            }
        }
    }
    let Some(map) = value.as_object_mut() else { return };
    if let Some(item) = map.remove("itemSchema") {
        // `schema` would describe the whole stream; the items are what the
        // client reads: for server-sent events, each event's `data`.
        let event_stream = at.to_string().ends_with("/text~1event-stream");
        let item = if event_stream { event_data(&item).unwrap_or(item) } else { item };
        map.insert("schema".into(), item);
        moved.push((at.join("schema").to_string(), at.join("itemSchema").to_string()));
    }
    map.remove("prefixEncoding");
    map.remove("itemEncoding");
}

/// The schema of an event's `data`, when the item schema describes the
/// event's fields (`{event, data, id, retry}`): `data`'s `contentSchema`
/// (JSON text of that schema), or `data` itself when it is not text. A
/// `oneOf`/`anyOf` of such events gives the union of their data, told
/// apart by shape.
fn event_data(item: &Value) -> Option<Value> {
    let data = |event: &Value| -> Option<Value> {
        let data = event.get("properties")?.get("data")?;
        match data.get("contentSchema") {
            Some(schema) => Some(schema.clone()),
            None if data.get("type").and_then(Value::as_str) == Some("string") => Some(json!({"type": "string"})),
            None => Some(data.clone()),
        }
    };
    if let Some(one) = data(item) {
        return Some(one);
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(events)) = item.get(keyword) {
            let members: Option<Vec<Value>> = events.iter().map(data).collect();
            if let Some(members) = members {
                return Some(json!({ keyword: members }));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_methods_and_media_types_take_their_3_1_forms() {
        let mut raw = json!({
            "openapi": "3.2.0",
            "$self": "https://example.com/api",
            "paths": {"/chat": {
                "query": {"responses": {"200": {"description": "ok"}}},
                "additionalOperations": {
                    "POST": {"responses": {"200": {"description": "ok", "content": {
                        "text/event-stream": {"itemSchema": {"type": "object"}}
                    }}}},
                    "COPY": {"responses": {"200": {"description": "ok"}}}
                },
                "get": {
                    "parameters": [{"name": "q", "in": "querystring", "content": {"application/json": {}}}],
                    "responses": {"200": {"description": "ok", "content": {
                        "application/json": {"$ref": "#/components/mediaTypes/Json"}
                    }}}
                }
            }},
            "components": {"mediaTypes": {"Json": {"schema": {"type": "string"}}}}
        });
        let mut diags = Diagnostics::new("a.yaml");
        let moved = normalize(&mut raw, &mut diags);
        assert!(
            moved
                .contains(&("#/paths/~1chat/post".to_string(), "#/paths/~1chat/additionalOperations/POST".to_string())),
            "{moved:?}"
        );
        let chat = &raw["paths"]["/chat"];
        assert_eq!(raw["openapi"], "3.1.1");
        assert_eq!(
            chat["post"]["responses"]["200"]["content"]["text/event-stream"]["schema"],
            json!({"type": "object"})
        );
        assert_eq!(chat["get"]["responses"]["200"]["content"]["application/json"]["schema"], json!({"type": "string"}));
        let event = json!({"type": "object", "properties": {
            "event": {"const": "delta"},
            "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"$ref": "#/x"}}
        }});
        assert_eq!(event_data(&event), Some(json!({"$ref": "#/x"})));
        assert_eq!(
            event_data(&json!({"oneOf": [event.clone(), event]})),
            Some(json!({"oneOf": [{"$ref": "#/x"}, {"$ref": "#/x"}]}))
        );
        assert_eq!(event_data(&json!({"type": "object"})), None);
        assert_eq!(chat["get"]["parameters"], json!([]));
        assert!(chat.get("query").is_none() && chat.get("additionalOperations").is_none());
        // `query` is kept where the loader finds it.
        assert!(chat.get(QUERY_KEY).is_some());
        assert!(moved.contains(&("#/paths/~1chat/x-oas-query".to_string(), "#/paths/~1chat/query".to_string())));
        let report = diags.finish().to_string();
        assert!(!report.contains("`query` method"), "{report}");
        assert!(report.contains("#/paths/~1chat/additionalOperations/COPY: the `COPY` method"), "{report}");
        assert!(report.contains("#/paths/~1chat/get/parameters/0: a parameter `in: querystring`"), "{report}");
    }
}
