//! `$ref`s to any JSON pointer in the document, not only to a component
//! (`#/components/schemas/Request/properties/user`, a response of another
//! operation `#/paths/~1a/get/responses/401`). The document model reads
//! only component references, so each such target is moved into the
//! components (a schema, response, parameter, request body or header,
//! named from where it is defined), its place holds a reference to it, and
//! every reference to it points there: the target and its users share one
//! type. A reference inside a moved target is handled the same way, so
//! cycles through such references become cycles between components, which
//! lowering handles. Problems found in a moved target are reported where
//! it was.

use crate::diagnostics::Pointer;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where copies went: `(the copy's pointer, the target's pointer)`.
pub type Moved = Vec<(String, String)>;

/// Keys whose values are data, not document structure: a `$ref` there is
/// an example's text.
const DATA_KEYS: [&str; 6] = ["example", "examples", "default", "enum", "const", "x-examples"];

/// Rounds of copying at most (a copy can hold references to more targets).
const MAX_ROUNDS: usize = 16;

/// Moves every target of a non-component reference into the components.
pub fn hoist(raw: &mut Value) -> Moved {
    let mut moved: Moved = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut values: BTreeMap<String, Value> = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        let mut pending = Vec::new();
        collect(raw, &mut pending);
        pending.retain(|reference| !names.contains_key(reference));
        pending.sort();
        pending.dedup();
        if pending.is_empty() {
            break;
        }
        // The deepest first: a target inside another moves before it.
        pending.sort_by_key(|reference| std::cmp::Reverse(reference.matches('/').count()));
        for reference in pending {
            let Some(place) = fragment(&reference).and_then(|p| locate(raw, &p)) else {
                // Nothing there: lowering reports the reference as it is.
                names.insert(reference, String::new());
                continue;
            };
            // A target that is a value, not an object (a `description`
            // written as `$ref` to another's text): the reference is
            // replaced by a copy of it.
            if let Some(value) = raw.pointer(&place).filter(|target| !target.is_object()) {
                values.insert(reference.clone(), value.clone());
                names.insert(reference, String::new());
                continue;
            }
            // A target that is itself a reference (a response that is
            // `$ref: '#/components/responses/Error'`): the reference points
            // where that one does, a component or, in the next round, the
            // place that is moved.
            if let Some(onward) = raw.pointer(&place).and_then(|t| t.get("$ref")).and_then(Value::as_str) {
                let onward = onward.to_string();
                let loops = onward == reference || names.get(&onward).is_some_and(|to| *to == reference);
                names.insert(reference, if loops { String::new() } else { onward });
                continue;
            }
            let section = section_of(&reference);
            let name = free_name(raw, section, &base_name(&reference));
            let copy = Pointer::root().join("components").join(section).join(&name).to_string();
            let Some(target) = raw
                .pointer_mut(&place)
                .map(|slot| std::mem::replace(slot, serde_json::json!({ "$ref": copy.clone() })))
            else {
                names.insert(reference, String::new());
                continue;
            };
            let Some(components) = raw
                .as_object_mut()
                .map(|root| root.entry("components").or_insert_with(|| Value::Object(Default::default())))
                .and_then(Value::as_object_mut)
                .map(|components| components.entry(section).or_insert_with(|| Value::Object(Default::default())))
                .and_then(Value::as_object_mut)
            else {
                names.insert(reference, String::new());
                continue;
            };
            components.insert(name.clone(), target);
            moved.push((copy.clone(), format!("#{place}")));
            names.insert(reference, copy);
        }
        rewrite(raw, &names);
        substitute(raw, &values);
    }
    moved
}

/// Replaces each plain `{"$ref": …}` to a component schema that admits
/// only null (`nullable: true, enum: [null]`, 3.1's `type: 'null'` once
/// normalized) by a copy of it: a union member that refers to null is
/// then null, as the same member written inline is.
pub fn inline_null_refs(raw: &mut Value) {
    let null_only = |schema: &Value| {
        let only_null_values =
            || schema.get("enum").and_then(Value::as_array).is_some_and(|v| v.iter().all(Value::is_null));
        // `type: 'null'` as a 3.0 document may write it, too.
        schema.get("type").and_then(Value::as_str) == Some("null")
            || (schema.get("nullable") == Some(&Value::Bool(true)) && only_null_values())
    };
    let Some(schemas) = raw.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let values: BTreeMap<String, Value> = schemas
        .iter()
        .filter(|(_, schema)| null_only(schema))
        .map(|(name, schema)| (format!("#/components/schemas/{name}"), schema.clone()))
        .collect();
    if !values.is_empty() {
        substitute(raw, &values);
    }
}

/// Replaces each plain `{"$ref": …}` to a value in `values` by the value.
fn substitute(value: &mut Value, values: &BTreeMap<String, Value>) {
    if values.is_empty() {
        return;
    }
    walk_refs(value, false, &mut |node| {
        let plain = node.as_object().is_some_and(|map| map.len() == 1);
        match node.get("$ref").and_then(Value::as_str).and_then(|r| values.get(r)).filter(|_| plain) {
            Some(target) => {
                *node = target.clone();
                true
            }
            None => false,
        }
    });
}

/// Calls `visit` on each object that holds a `$ref` (outside data, and
/// not as a name in a map of names), then walks into it unless `visit`
/// replaced it.
fn walk_refs(value: &mut Value, in_name_map: bool, visit: &mut impl FnMut(&mut Value) -> bool) {
    let holds_ref = !in_name_map && value.get("$ref").is_some_and(Value::is_string);
    if holds_ref && visit(value) {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if !is_data(key, in_name_map) {
                    walk_refs(item, !in_name_map && NAME_MAPS.contains(&key.as_str()), visit);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk_refs(item, false, visit)),
        _ => {}
    }
}

/// A reference's JSON pointer: after `#`, with percent-encoding undone (a
/// URI fragment writes `{` as `%7B`); `None` for another document's.
fn fragment(reference: &str) -> Option<String> {
    let encoded = reference.strip_prefix('#')?;
    if !encoded.contains('%') {
        return Some(encoded.to_string());
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Where `pointer` leads, following the references on the way (a place
/// an earlier move turned into a reference); `None` when nowhere.
fn locate(raw: &Value, pointer: &str) -> Option<String> {
    let mut at = String::new();
    for segment in pointer.split('/').skip(1) {
        let mut hops = 0;
        while let Some(next) = raw.pointer(&at)?.get("$ref").and_then(Value::as_str).and_then(fragment) {
            hops += 1;
            if hops > 8 {
                return None;
            }
            at = next;
        }
        at = format!("{at}/{segment}");
        raw.pointer(&at)?;
    }
    Some(at)
}

/// Keys whose values map names to objects: there a key is a name (a
/// property called `default`, the `default` response), never a keyword.
pub(super) const NAME_MAPS: [&str; 4] = ["properties", "patternProperties", "responses", "$defs"];

/// Whether `key`, in an object that is a name map or not, holds data.
fn is_data(key: &str, in_name_map: bool) -> bool {
    !in_name_map && DATA_KEYS.contains(&key)
}

/// Every `$ref` to a place that is not a component itself.
fn collect(value: &Value, out: &mut Vec<String>) {
    collect_in(value, false, out);
}

fn collect_in(value: &Value, in_name_map: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) if !in_name_map && needs_moving(reference) => {
                        out.push(reference.clone())
                    }
                    (key, _) if is_data(key, in_name_map) => {}
                    (key, _) => collect_in(item, !in_name_map && NAME_MAPS.contains(&key), out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_in(item, false, out)),
        _ => {}
    }
}

/// Points every moved reference at its copy.
fn rewrite(value: &mut Value, names: &BTreeMap<String, String>) {
    walk_refs(value, false, &mut |node| {
        if let Some(Value::String(reference)) = node.get_mut("$ref") {
            if let Some(copy) = names.get(reference.as_str()).filter(|copy| !copy.is_empty()) {
                *reference = copy.clone();
            }
        }
        false
    });
}

/// A local reference that is not `#/components/<section>/<name>`.
fn needs_moving(reference: &str) -> bool {
    let Some(pointer) = reference.strip_prefix("#/") else { return false };
    let segments: Vec<&str> = pointer.split('/').collect();
    !(segments.len() == 3 && segments[0] == "components")
}

/// The component section a target belongs in, by where it is.
fn section_of(reference: &str) -> &'static str {
    let pointer = fragment(reference).unwrap_or_default();
    let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let last = segments.last().copied().unwrap_or_default();
    let before = segments.len().checked_sub(2).map(|i| segments[i]).unwrap_or_default();
    match (before, last) {
        ("responses", _) => "responses",
        ("parameters", _) => "parameters",
        ("headers", _) => "headers",
        (_, "requestBody") => "requestBodies",
        _ => "schemas",
    }
}

/// A name from where the target is defined: its path's words, without the
/// document's structure (`paths`, `properties`, `content`…).
fn base_name(reference: &str) -> String {
    const STRUCTURE: [&str; 12] = [
        "paths",
        "components",
        "schemas",
        "properties",
        "content",
        "schema",
        "responses",
        "parameters",
        "requestBody",
        "headers",
        "items",
        "application~1json",
    ];
    let pointer = fragment(reference).unwrap_or_default();
    let words: Vec<String> = pointer
        .trim_start_matches('/')
        .split('/')
        .filter(|segment| !STRUCTURE.contains(segment))
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let joined = words.join("_");
    let cleaned: String = joined.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let trimmed = cleaned.trim_matches('_');
    if trimmed.is_empty() {
        "Referenced".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `base`, or `base_2`, `base_3`… when the section has it already.
fn free_name(raw: &Value, section: &str, base: &str) -> String {
    let taken = |name: &str| raw.pointer(&format!("/components/{section}/{name}")).is_some();
    std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|name| !taken(name))
        .expect("an unbounded range always yields a free name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_anywhere_become_components_named_from_where_they_are() {
        let mut doc = json!({
            "paths": {
                "/a": {"get": {"responses": {
                    "401": {"description": "no"},
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req/properties/user"}}}}
                }}},
                "/b": {"get": {"responses": {"401": {"$ref": "#/paths/~1a/get/responses/401"}}}}
            },
            "components": {"schemas": {"Req": {"properties": {
                "user": {"type": "string"},
                "tree": {"properties": {"children": {"items": {"$ref": "#/components/schemas/Req/properties/tree"}}}},
                "example": {"example": {"$ref": "#/not/a/ref"}}
            }}}}
        });
        let moved = hoist(&mut doc);
        assert_eq!(doc.pointer("/components/schemas/Req_user"), Some(&json!({"type": "string"})));
        // The target's place refers to it too: one type for both.
        assert_eq!(
            doc.pointer("/components/schemas/Req/properties/user/$ref"),
            Some(&json!("#/components/schemas/Req_user"))
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/Req_user"))
        );
        assert_eq!(doc.pointer("/components/responses/a_get_401"), Some(&json!({"description": "no"})));
        assert_eq!(doc.pointer("/paths/~1a/get/responses/401/$ref"), Some(&json!("#/components/responses/a_get_401")));
        assert_eq!(doc.pointer("/paths/~1b/get/responses/401/$ref"), Some(&json!("#/components/responses/a_get_401")));
        // A target that refers to itself becomes a component that does.
        assert_eq!(
            doc.pointer("/components/schemas/Req_tree/properties/children/items/$ref"),
            Some(&json!("#/components/schemas/Req_tree"))
        );
        // Data is left alone.
        assert_eq!(doc.pointer("/components/schemas/Req/properties/example/example/$ref"), Some(&json!("#/not/a/ref")));
        assert_eq!(moved.len(), 3, "{moved:?}");
        assert!(moved
            .contains(&("#/components/schemas/Req_user".into(), "#/components/schemas/Req/properties/user".into())));
    }

    #[test]
    fn chains_percent_encoding_and_names_like_keywords_are_followed() {
        let mut doc = json!({
            "paths": {
                "/a/{id}": {"get": {
                    "parameters": [{"name": "id", "in": "path"}],
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"properties": {"default": {"type": "string"}}}}}},
                        "default": {"$ref": "#/components/responses/Unexpected"}
                    }
                }},
                "/b": {"get": {
                    "parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}],
                    "responses": {
                        "200": {"content": {"application/json": {"schema":
                            {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema"}}}},
                        "default": {"$ref": "#/paths/~1a~1{id}/get/responses/default"}
                    }
                }}
            },
            "components": {"responses": {"Unexpected": {"description": "any"}}}
        });
        hoist(&mut doc);
        // A reference to a reference points where that one does.
        assert_eq!(
            doc.pointer("/paths/~1b/get/responses/default/$ref"),
            Some(&json!("#/components/responses/Unexpected"))
        );
        // `%7B` is `{`.
        assert_eq!(
            doc.pointer("/paths/~1b/get/parameters/0/$ref"),
            Some(&json!("#/components/parameters/a__id__get_0"))
        );
        assert_eq!(
            doc.pointer("/paths/~1b/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/a__id__get_200"))
        );
        assert_eq!(fragment("#/a~1%7Bb%7D/%25"), Some("/a~1{b}/%".to_string()));
        // A reference to a text is the text.
        let mut doc = json!({"components": {"schemas": {
            "Kind": {"type": "string", "description": "What to include."},
            "List": {"type": "array", "description": {"$ref": "#/components/schemas/Kind/description"}}
        }}});
        hoist(&mut doc);
        assert_eq!(doc.pointer("/components/schemas/List/description"), Some(&json!("What to include.")));
        assert_eq!(doc.pointer("/components/schemas/Kind/description"), Some(&json!("What to include.")));
        // A null member referred to, in a property named `default`, is null.
        let mut doc = json!({"components": {"schemas": {
            "Null": {"type": "null"},
            "Themes": {"properties": {"default": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Null"}]}}}
        }}});
        inline_null_refs(&mut doc);
        assert_eq!(
            doc.pointer("/components/schemas/Themes/properties/default/oneOf/1"),
            Some(&json!({"type": "null"}))
        );
        assert_eq!(fragment("other.yaml#/a"), None);
    }
}
