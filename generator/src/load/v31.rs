//! OpenAPI 3.1 → the OpenAPI 3.0 forms lowering reads, rewritten in the raw
//! JSON before it is decoded. What 3.1 can say that 3.0 cannot is mapped
//! to its nearest 3.0 meaning, or reported with its pointer:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: "null"` | `nullable: true, enum: [null]` (only null) |
//! | `type: [T, U]` | `anyOf: [{type: T}, {type: U}]` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` in a schema | `example: a` |
//! | numeric `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with siblings | `allOf: [{$ref}]` beside the siblings |
//! | `contentEncoding: base64` / `contentMediaType` on a string | `format: byte` / `format: binary` |
//! | `prefixItems` without `items` | `items: anyOf` the prefix items (a warning: tuples become lists) |
//! | `true` / `false` schemas | `{}` / `{not: {}}` |
//! | `webhooks` | left out (a warning) |
//! | `$dynamicRef: '#a'` to a component's `$dynamicAnchor: a` | `$ref` to that component (the recursive tree); otherwise any JSON (a warning) |
//! | a `mutualTLS` security scheme | left out of the schemes and requirements (a warning): TLS is the HTTP client's |

use crate::diagnostics::{Diagnostics, Pointer};
use serde_json::{json, Map, Value};

/// Rewrites a 3.1 document in place.
pub(super) fn normalize(raw: &mut Value, diags: &mut Diagnostics) {
    let root = Pointer::root();
    let Some(document) = raw.as_object_mut() else { return };
    if document.remove("webhooks").is_some() {
        diags.warning(
            &root.join("webhooks"),
            "webhooks are requests the API sends, not operations a client calls; they are left out",
        );
    }
    document.remove("jsonSchemaDialect");
    document.entry("paths").or_insert_with(|| json!({}));
    document.insert("openapi".into(), json!("3.0.3"));
    // 3.1 licenses may have only an SPDX identifier.
    if let Some(license) = document.get_mut("info").and_then(|i| i.get_mut("license")).and_then(Value::as_object_mut) {
        if !license.contains_key("name") {
            let name = license.get("identifier").cloned().unwrap_or_else(|| json!("unknown"));
            license.insert("name".into(), name);
        }
    }
    mutual_tls(raw, diags);
    dynamic_refs(raw, diags);
    walk(raw, &root, diags);
}

/// `mutualTLS` schemes are the TLS layer's, which the caller configures on
/// the HTTP client; the requirements keep their other schemes.
fn mutual_tls(raw: &mut Value, diags: &mut Diagnostics) {
    let at = Pointer::root().join("components").join("securitySchemes");
    let Some(schemes) = raw.pointer_mut("/components/securitySchemes").and_then(Value::as_object_mut) else { return };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &mutual {
        schemes.remove(name);
        diags.warning(
            &at.join(name),
            "a `mutualTLS` scheme is met by the TLS connection, not a header: give the client a reqwest::Client with your identity (`ClientBuilder::http_client`); it is left out of the security requirements",
        );
    }
    if mutual.is_empty() {
        return;
    }
    // An alternative that was only `mutualTLS` needs no credential of the
    // client's: it goes last, so that a credential the caller sets is sent.
    let strip = |security: &mut Value| {
        if let Some(alternatives) = security.as_array_mut() {
            let (mut kept, mut emptied) = (Vec::new(), Vec::new());
            for mut alternative in alternatives.drain(..) {
                let before = alternative.as_object().map_or(0, |a| a.len());
                if let Some(map) = alternative.as_object_mut() {
                    map.retain(|name, _| !mutual.contains(name));
                }
                let after = alternative.as_object().map_or(0, |a| a.len());
                if after == 0 && before > 0 {
                    emptied.push(alternative);
                } else {
                    kept.push(alternative);
                }
            }
            kept.extend(emptied);
            *alternatives = kept;
        }
    };
    if let Some(security) = raw.get_mut("security") {
        strip(security);
    }
    if let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut() {
                if let Some(security) = operation.get_mut("security") {
                    strip(security);
                }
            }
        }
    }
}

/// `$dynamicRef: '#name'` refers to the component that declares
/// `$dynamicAnchor: name` (the pattern of a recursive tree whose nodes an
/// extension may widen): it becomes a plain `$ref` to that component.
fn dynamic_refs(raw: &mut Value, diags: &mut Diagnostics) {
    let mut anchors = std::collections::BTreeMap::new();
    if let Some(schemas) = raw.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            if let Some(anchor) = schema.get("$dynamicAnchor").and_then(Value::as_str) {
                anchors.entry(anchor.to_string()).or_insert_with(|| name.clone());
            }
        }
    }
    if mentions_dynamic(raw) {
        rewrite_dynamic(raw, &anchors, &Pointer::root(), diags);
    }
}

/// Whether any object has `$dynamicRef` or `$dynamicAnchor` (most
/// documents have neither, and are not walked with pointers).
fn mentions_dynamic(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.contains_key("$dynamicRef") || map.contains_key("$dynamicAnchor") || map.values().any(mentions_dynamic)
        }
        Value::Array(items) => items.iter().any(mentions_dynamic),
        _ => false,
    }
}

fn rewrite_dynamic(
    value: &mut Value,
    anchors: &std::collections::BTreeMap<String, String>,
    at: &Pointer,
    diags: &mut Diagnostics,
) {
    match value {
        Value::Object(map) => {
            map.remove("$dynamicAnchor");
            if let Some(reference) = map.remove("$dynamicRef") {
                let anchor = reference.as_str().and_then(|r| r.strip_prefix('#')).unwrap_or_default();
                match anchors.get(anchor) {
                    Some(component) => {
                        map.insert("$ref".into(), json!(format!("#/components/schemas/{component}")));
                    }
                    None => diags.warning(
                        &at.join("$dynamicRef"),
                        format!(
                            "`$dynamicRef: {reference}` names no component's `$dynamicAnchor`; the value is any JSON"
                        ),
                    ),
                }
            }
            // In a map of names (properties, responses) a key is a name:
            // a property or response called `default` is not data.
            let names = names_map(at);
            for (key, child) in map.iter_mut() {
                if names || !matches!(key.as_str(), "example" | "examples" | "default" | "const" | "enum") {
                    rewrite_dynamic(child, anchors, &at.join(key), diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                rewrite_dynamic(item, anchors, &at.join(i), diags);
            }
        }
        _ => {}
    }
}

/// Walks the document outside schemas, normalizing every schema it meets
/// (`schema` of parameters, media types and headers; component schemas).
/// Examples and defaults are data, not schemas, and are left alone.
fn walk(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            let in_components = at.to_string() == "#/components";
            for (key, child) in map.iter_mut() {
                let child_at = at.join(key);
                match key.as_str() {
                    "schema" => schema(child, &child_at, diags),
                    "schemas" if in_components => {
                        if let Some(schemas) = child.as_object_mut() {
                            for (name, s) in schemas.iter_mut() {
                                schema(s, &child_at.join(name), diags);
                            }
                        }
                    }
                    // The `default` response is structure, not data.
                    "example" | "examples" | "default" if !names_map(at) => {}
                    _ => walk(child, &child_at, diags),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &at.join(i), diags);
            }
        }
        _ => {}
    }
}

/// Whether the object at `at` maps names to objects (properties,
/// responses…: `refs::NAME_MAPS`), so that its keys are names, never
/// keywords.
fn names_map(at: &Pointer) -> bool {
    let at = at.to_string();
    super::refs::NAME_MAPS.iter().any(|key| at.strip_suffix(key).is_some_and(|rest| rest.ends_with('/')))
}

/// Keywords whose values are schemas, one or a list or a map of them.
const ONE_SCHEMA: [&str; 8] =
    ["items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames"];
const SCHEMA_LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];
const SCHEMA_MAPS: [&str; 4] = ["properties", "$defs", "patternProperties", "dependentSchemas"];

/// Siblings of a `$ref` that only annotate it; others wrap it in `allOf`.
const REF_ANNOTATIONS: [&str; 3] = ["$ref", "description", "summary"];

fn schema(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    // Boolean schemas.
    match value {
        Value::Bool(true) => *value = json!({}),
        Value::Bool(false) => *value = json!({"not": {}}),
        _ => {}
    }
    let Some(map) = value.as_object_mut() else { return };
    for key in ONE_SCHEMA {
        if let Some(child) = map.get_mut(key) {
            if !(key == "additionalProperties" && child.is_boolean()) {
                schema(child, &at.join(key), diags);
            }
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            for (i, item) in items.iter_mut().enumerate() {
                schema(item, &at.join(key).join(i), diags);
            }
        }
    }
    for key in SCHEMA_MAPS {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            for (name, child) in children.iter_mut() {
                schema(child, &at.join(key).join(name), diags);
            }
        }
    }
    types(map);
    if let Some(constant) = map.remove("const") {
        map.entry("enum").or_insert_with(|| json!([constant]));
    }
    if let Some(Value::Array(examples)) = map.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), limit);
            map.insert(exclusive.into(), json!(true));
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("string") && !map.contains_key("format") {
        if map.get("contentEncoding").and_then(Value::as_str) == Some("base64") {
            map.insert("format".into(), json!("byte"));
        } else if map.get("contentMediaType").and_then(Value::as_str).is_some_and(|m| !m.contains("json")) {
            map.insert("format".into(), json!("binary"));
        }
    }
    if let Some(Value::Array(prefix)) = map.remove("prefixItems") {
        if !map.contains_key("items") {
            diags.warning(
                &at.join("prefixItems"),
                "a tuple (`prefixItems`) is read as a list whose items may be any of its item schemas",
            );
            let items = if prefix.len() == 1 {
                prefix.into_iter().next().unwrap_or_default()
            } else {
                json!({"anyOf": prefix})
            };
            map.insert("items".into(), items);
        }
    }
    if map.contains_key("$ref") && map.keys().any(|k| !REF_ANNOTATIONS.contains(&k.as_str())) {
        let reference = map.remove("$ref").unwrap_or_default();
        let mut all_of = vec![json!({"$ref": reference})];
        if let Some(Value::Array(existing)) = map.remove("allOf") {
            all_of.extend(existing);
        }
        map.insert("allOf".into(), Value::Array(all_of));
    }
}

/// `type` lists and `type: "null"` in their 3.0 forms.
fn types(map: &mut Map<String, Value>) {
    let kinds: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => return,
    };
    let nullable = kinds.iter().any(|k| k == "null");
    let others: Vec<&String> = kinds.iter().filter(|k| *k != "null").collect();
    if nullable {
        map.insert("nullable".into(), json!(true));
    }
    match others.as_slice() {
        [] => {
            map.remove("type");
            map.insert("enum".into(), json!([null]));
        }
        [one] => {
            map.insert("type".into(), json!(one));
        }
        many => {
            map.remove("type");
            let branches: Vec<Value> = many.iter().map(|t| json!({"type": t})).collect();
            map.insert("anyOf".into(), Value::Array(branches));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_refs_and_mutual_tls() {
        let (raw, report) = normalized(json!({
            "openapi": "3.1.0",
            "security": [{"mtls": []}, {"key": [], "mtls": []}],
            "paths": {"/a": {"get": {"security": [{"mtls": []}], "responses": {}}}},
            "components": {
                "securitySchemes": {"mtls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "in": "header", "name": "k"}},
                "schemas": {
                    "Node": {"$dynamicAnchor": "node", "type": "object",
                             "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}}},
                    "Lost": {"properties": {"x": {"$dynamicRef": "#nowhere"}}}
                }
            }
        }));
        assert_eq!(
            raw["components"]["schemas"]["Node"]["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/Node"})
        );
        assert!(raw["components"]["schemas"]["Node"].get("$dynamicAnchor").is_none());
        assert!(raw["components"]["securitySchemes"].get("mtls").is_none());
        assert_eq!(raw["security"], json!([{"key": []}, {}]));
        assert_eq!(raw["paths"]["/a"]["get"]["security"], json!([{}]));
        assert!(report.contains("#/components/securitySchemes/mtls: a `mutualTLS` scheme"), "{report}");
        assert!(
            report.contains("#/components/schemas/Lost/properties/x/$dynamicRef: `$dynamicRef: \"#nowhere\"`"),
            "{report}"
        );
    }

    fn normalized(document: Value) -> (Value, String) {
        let mut raw = document;
        let mut diags = Diagnostics::new("x.json");
        normalize(&mut raw, &mut diags);
        (raw, diags.finish().to_string())
    }

    #[test]
    fn schemas_take_their_3_0_forms() {
        let (raw, report) = normalized(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "license": {"identifier": "MIT"}},
            "webhooks": {"ping": {}},
            "components": {"schemas": {
                "A": {"type": ["string", "null"], "examples": ["x"]},
                "B": {"type": "null"},
                "C": {"type": ["integer", "boolean"]},
                "D": {"const": "fixed", "exclusiveMinimum": 3},
                "E": {"$ref": "#/components/schemas/A", "readOnly": true},
                "F": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                "G": {"type": "object", "properties": {"p": {"type": ["number", "null"]}, "q": true}},
                "H": {"type": "string", "contentMediaType": "image/png"}
            }}
        }));
        let s = &raw["components"]["schemas"];
        assert_eq!(raw["openapi"], "3.0.3");
        assert_eq!(raw["paths"], json!({}));
        assert_eq!(raw["info"]["license"]["name"], "MIT");
        assert!(raw.get("webhooks").is_none());
        assert_eq!(s["A"], json!({"type": "string", "nullable": true, "example": "x"}));
        assert_eq!(s["B"], json!({"nullable": true, "enum": [null]}));
        assert_eq!(s["C"], json!({"anyOf": [{"type": "integer"}, {"type": "boolean"}]}));
        assert_eq!(s["D"], json!({"enum": ["fixed"], "minimum": 3, "exclusiveMinimum": true}));
        assert_eq!(s["E"], json!({"allOf": [{"$ref": "#/components/schemas/A"}], "readOnly": true}));
        assert_eq!(s["F"]["items"], json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
        assert_eq!(s["G"]["properties"]["p"], json!({"type": "number", "nullable": true}));
        assert_eq!(s["G"]["properties"]["q"], json!({}));
        assert_eq!(s["H"]["format"], "binary");
        assert!(report.contains("#/webhooks: webhooks are requests"), "{report}");
        assert!(report.contains("#/components/schemas/F/prefixItems: a tuple"), "{report}");
    }
}
