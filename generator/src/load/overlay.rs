//! OpenAPI Overlay 1.0 documents: changes to a vendor's document (paging
//! hints, names, idempotency keys, fixes) kept beside it instead of edits
//! in it. Each overlay is applied to the parsed document, in the order
//! given, before anything else reads it; its actions in their order.
//!
//! An action selects nodes by a JSONPath (RFC 9535) `target`, then
//! - `remove: true` takes each from the object or array that holds it;
//! - `update` merges into each: into an object, its members (objects
//!   merged member by member, any other value replacing the one there);
//!   into an array, appended (an array's items one by one).
//!
//! A target that selects nothing is a warning (the document may have moved
//! on); a malformed overlay or action is an error that names the overlay
//! file and the action's pointer in it.

use crate::diagnostics::{Diagnostics, Pointer, Reported};
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

/// An overlay document and the name messages give it (its path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub label: String,
    /// YAML or JSON.
    pub text: String,
}

impl Overlay {
    /// Reads the overlay at `path`.
    pub fn read(path: &std::path::Path) -> Result<Self, String> {
        let text =
            std::fs::read_to_string(path).map_err(|err| format!("error: cannot read {}: {err}", path.display()))?;
        Ok(Self { label: path.display().to_string(), text })
    }
}

/// Applies `overlay` to `document`, reporting what is wrong in it to
/// `diags` (under the overlay's name).
pub(super) fn apply(document: &mut Value, overlay: &Overlay, diags: &mut Diagnostics) -> Result<(), Reported> {
    let mut own = Diagnostics::new(&overlay.label);
    let result = apply_parsed(document, overlay, &mut own);
    diags.absorb(own);
    result
}

fn apply_parsed(document: &mut Value, overlay: &Overlay, diags: &mut Diagnostics) -> Result<(), Reported> {
    let text = overlay.text.strip_prefix('\u{feff}').unwrap_or(&overlay.text);
    let parsed = super::parse_text(text, &overlay.label, diags)?;
    let root = Pointer::root();
    match parsed.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.") => {}
        Some(version) => {
            return Err(
                diags.error(&root.join("overlay"), format!("Overlay version `{version}` is not supported; 1.0 is"))
            )
        }
        None => {
            return Err(diags.error(&root, "not an Overlay document: it has no `overlay` version (`overlay: 1.0.0`)"))
        }
    }
    let Some(actions) = parsed.get("actions").and_then(Value::as_array) else {
        return Err(diags.error(&root.join("actions"), "an Overlay needs `actions`, a list"));
    };
    let mut failed = None;
    for (index, action) in actions.iter().enumerate() {
        let at = root.join("actions").join(index);
        if let Err(reported) = apply_action(document, action, &at, diags) {
            failed = Some(reported);
        }
    }
    failed.map_or(Ok(()), Err)
}

fn apply_action(document: &mut Value, action: &Value, at: &Pointer, diags: &mut Diagnostics) -> Result<(), Reported> {
    let Some(target) = action.get("target").and_then(Value::as_str) else {
        return Err(diags.error(&at.join("target"), "an action needs a `target`, a JSONPath expression"));
    };
    let path = JsonPath::parse(target)
        .map_err(|err| diags.error(&at.join("target"), format!("`{target}` is not a JSONPath expression: {err}")))?;
    let mut pointers: Vec<String> =
        path.query_located(document).locations().map(|location| location.to_json_pointer()).collect();
    if pointers.is_empty() {
        diags.warning(
            &at.join("target"),
            format!("`{target}` selects nothing in the document; the action does nothing"),
        );
        return Ok(());
    }
    let remove = action.get("remove").and_then(Value::as_bool).unwrap_or(false);
    match (remove, action.get("update")) {
        (true, _) => {
            // The last first, so the indices of earlier array items hold.
            pointers.sort_by(|a, b| compare_pointers(b, a));
            for pointer in &pointers {
                if !remove_at(document, pointer) {
                    return Err(diags.error(&at.join("target"), "the whole document cannot be removed"));
                }
            }
            Ok(())
        }
        (false, Some(update)) => {
            for pointer in &pointers {
                let node = document.pointer_mut(pointer).expect("a location the query just found");
                match (node, update) {
                    (Value::Object(node), Value::Object(update)) => merge(node, update),
                    (Value::Array(node), Value::Array(items)) => node.extend(items.iter().cloned()),
                    (Value::Array(node), item) => node.push(item.clone()),
                    (Value::Object(_), _) => {
                        return Err(diags.error(
                            &at.join("update"),
                            format!("`{target}` selects an object (at `#{pointer}`), so `update` must be an object"),
                        ))
                    }
                    _ => {
                        return Err(diags.error(
                            &at.join("update"),
                            format!("`{target}` selects a value that is neither object nor array (at `#{pointer}`); update the object that holds it"),
                        ))
                    }
                }
            }
            Ok(())
        }
        (false, None) => Err(diags.error(at, "an action needs `update` or `remove: true`")),
    }
}

/// Merges `update` into `node`: objects member by member, any other value
/// replacing the one there.
fn merge(node: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (node.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge(existing, value),
            _ => {
                node.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Removes the node at `pointer` from its parent; false for the root.
fn remove_at(document: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return false };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            // `retain` keeps the order of the rest, whichever map serde_json uses.
            map.retain(|name, _| *name != key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
        }
        _ => {}
    }
    true
}

/// Orders pointers by their segments, array indices as numbers.
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let segments = |p: &str| -> Vec<(Option<usize>, String)> {
        p.split('/').map(|s| (s.parse::<usize>().ok(), s.to_string())).collect()
    };
    segments(a).cmp(&segments(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Overlay {
        Overlay { label: "fix.yaml".into(), text: text.into() }
    }

    fn applied(mut document: Value, text: &str) -> (Value, String) {
        let mut diags = Diagnostics::new("api.yaml");
        let _ = apply(&mut document, &overlay(text), &mut diags);
        (document, diags.finish().to_string())
    }

    #[test]
    fn updates_merge_into_objects_append_to_arrays_and_removes_remove() {
        let document = json!({
            "info": {"title": "Calls", "version": "1"},
            "tags": [{"name": "calls"}],
            "paths": {
                "/Calls.json": {"get": {"operationId": "listCalls", "parameters": [
                    {"name": "Page", "in": "query", "schema": {"type": "integer"}},
                    {"name": "Internal", "in": "query"},
                    {"name": "PageSize", "in": "query"}
                ]}},
                "/Legacy.json": {"get": {}}
            }
        });
        let (document, report) = applied(
            document,
            r#"
overlay: 1.0.0
info: {title: Paging from 0, version: '1'}
actions:
  - target: $.paths['/Calls.json'].get
    update:
      x-pagination: {page: Page, items: calls}
  - target: $.paths['/Calls.json'].get.parameters[?@.name == 'Page'].schema
    update: {minimum: 0}
  - target: $.paths['/Calls.json'].get.parameters[?@.name == 'Internal']
    remove: true
  - target: $.paths['/Legacy.json']
    remove: true
  - target: $.tags
    update: [{name: legacy}]
  - target: $.info
    update: {title: Calls (patched)}
"#,
        );
        assert_eq!(report, "0 warnings");
        let get = &document["paths"]["/Calls.json"]["get"];
        assert_eq!(get["x-pagination"], json!({"page": "Page", "items": "calls"}));
        assert_eq!(get["parameters"][0]["schema"], json!({"type": "integer", "minimum": 0}));
        let names: Vec<&str> =
            get["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Page", "PageSize"]);
        assert!(document["paths"].get("/Legacy.json").is_none());
        assert_eq!(document["tags"], json!([{"name": "calls"}, {"name": "legacy"}]));
        assert_eq!(document["info"], json!({"title": "Calls (patched)", "version": "1"}));
    }

    #[test]
    fn removing_several_items_of_one_array_keeps_the_right_ones() {
        let (document, _) = applied(
            json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}),
            "overlay: 1.0.0\nactions:\n  - {target: '$.a[?@ > 1 && @ < 11]', remove: true}\n",
        );
        assert_eq!(document, json!({"a": [1, 11]}));
    }

    #[test]
    fn problems_name_the_overlay_and_the_action() {
        let (_, report) = applied(
            json!({"info": {"title": "t"}}),
            "overlay: 1.0.0\nactions:\n  - {target: '$.nothing', update: {a: 1}}\n  - {target: '$[', remove: true}\n  - {target: '$.info.title', update: {a: 1}}\n  - {target: '$.info'}\n",
        );
        assert!(report.contains("warning: fix.yaml: #/actions/0/target: `$.nothing` selects nothing"), "{report}");
        assert!(report.contains("error: fix.yaml: #/actions/1/target: `$[` is not a JSONPath expression"), "{report}");
        assert!(
            report.contains("error: fix.yaml: #/actions/2/update: `$.info.title` selects a value that is neither"),
            "{report}"
        );
        assert!(
            report.contains("error: fix.yaml: #/actions/3: an action needs `update` or `remove: true`"),
            "{report}"
        );
        let (_, report) = applied(json!({}), "openapi: 3.0.0\n");
        assert!(report.contains("error: fix.yaml: #: not an Overlay document"), "{report}");
    }
}
