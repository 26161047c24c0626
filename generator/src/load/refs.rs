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
            let Some(place) = reference.strip_prefix('#').and_then(|p| locate(raw, p)) else {
                // Nothing there: lowering reports the reference as it is.
                names.insert(reference, String::new());
                continue;
            };
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
    }
    moved
}

/// Where `pointer` leads, following the references on the way (a place
/// an earlier move turned into a reference); `None` when nowhere.
fn locate(raw: &Value, pointer: &str) -> Option<String> {
    let mut at = String::new();
    for segment in pointer.split('/').skip(1) {
        let mut hops = 0;
        while let Some(next) = raw.pointer(&at)?.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            hops += 1;
            if hops > 8 {
                return None;
            }
            at = next.to_string();
        }
        at = format!("{at}/{segment}");
        raw.pointer(&at)?;
    }
    Some(at)
}

/// Every `$ref` to a place that is not a component itself.
fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) if needs_moving(reference) => out.push(reference.clone()),
                    (key, _) if DATA_KEYS.contains(&key) => {}
                    _ => collect(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
        _ => {}
    }
}

/// Points every moved reference at its copy.
fn rewrite(value: &mut Value, names: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(copy) = names.get(reference.as_str()).filter(|copy| !copy.is_empty()) {
                            *reference = copy.clone();
                        }
                    }
                    (key, _) if DATA_KEYS.contains(&key) => {}
                    (_, item) => rewrite(item, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite(item, names)),
        _ => {}
    }
}

/// A local reference that is not `#/components/<section>/<name>`.
fn needs_moving(reference: &str) -> bool {
    let Some(pointer) = reference.strip_prefix("#/") else { return false };
    let segments: Vec<&str> = pointer.split('/').collect();
    !(segments.len() == 3 && segments[0] == "components")
}

/// The component section a target belongs in, by where it is.
fn section_of(reference: &str) -> &'static str {
    let segments: Vec<&str> = reference.trim_start_matches("#/").split('/').collect();
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
    let words: Vec<String> = reference
        .trim_start_matches("#/")
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
}
