//! Details the strict document model rejects, mended while loading so one
//! of them does not cost the whole document. Each mend is a warning with
//! its pointer.
//!
//! - A number or boolean where OpenAPI wants a string (`version: 1.0`,
//!   `description: 404`, a parameter `name: 2`) is read as its text.
//! - A `$ref` as a callback (`callbacks: {onEvent: {$ref: …}}`), which the
//!   model cannot hold, is left out: the client does not serve callbacks.
//! - A parameter `style` its location does not allow (`style: simple` on
//!   a query parameter) is dropped: the location's default applies.
//! - An `info` without its required `title` or `version` gets a stand-in
//!   (`API`, `unversioned`): the document is still the API.

use crate::diagnostics::{Diagnostics, Pointer};
use serde_json::Value;

/// Keys whose value OpenAPI defines as a string wherever they appear in
/// the document's structure.
const STRING_KEYS: [&str; 11] =
    ["openapi", "description", "summary", "title", "version", "operationId", "name", "url", "pattern", "format", "in"];

/// Keys whose values are data or maps of user names, not structure.
const OPAQUE_KEYS: [&str; 8] =
    ["example", "examples", "default", "enum", "const", "x-examples", "properties", "mapping"];

/// Mends what the model would reject; reports each mend.
pub fn mend(raw: &mut Value, diags: &mut Diagnostics) {
    // Found in a read-only walk that builds no pointer until it finds
    // something to mend (most documents have nothing), then mended.
    let mut found = Vec::new();
    find_strings(raw, &mut Vec::new(), &mut found);
    for (at, key) in found {
        let pointer = at.to_string();
        if let Some(item) = raw.pointer_mut(pointer.trim_start_matches('#')) {
            let text = item.to_string();
            diags.warning(&at, format!("`{key}` must be a string; `{text}` is read as \"{text}\""));
            *item = Value::String(text);
        }
    }
    callback_refs(raw, diags);
    info_fields(raw, diags);
    parameter_styles(raw, diags);
}

/// The styles OpenAPI allows in each parameter location.
fn allowed_styles(location: &str) -> &'static [&'static str] {
    match location {
        "path" => &["matrix", "label", "simple"],
        "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        "header" => &["simple"],
        "cookie" => &["form"],
        _ => &[],
    }
}

/// Drops each parameter style its location does not allow.
fn parameter_styles(raw: &mut Value, diags: &mut Diagnostics) {
    let mut lists: Vec<(Pointer, &mut Value)> = Vec::new();
    if let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (key, value) in item.iter_mut() {
                let at = Pointer::root().join("paths").join(path).join(key);
                if key == "parameters" {
                    lists.push((at, value));
                } else if let Some(parameters) = value.get_mut("parameters") {
                    lists.push((at.join("parameters"), parameters));
                }
            }
        }
    }
    let mut fix = |at: Pointer, parameter: &mut Value| {
        let Some(object) = parameter.as_object_mut() else { return };
        let location = object.get("in").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(style) = object.get("style").and_then(Value::as_str).map(str::to_string) else { return };
        let allowed = allowed_styles(&location);
        if !allowed.is_empty() && !allowed.contains(&style.as_str()) {
            object.remove("style");
            diags.warning(
                &at.join("style"),
                format!(
                    "`style: {style}` is not one a {location} parameter takes ({}); the default is used",
                    allowed.join(", ")
                ),
            );
        }
    };
    for (at, list) in lists {
        if let Some(items) = list.as_array_mut() {
            for (i, parameter) in items.iter_mut().enumerate() {
                fix(at.join(i), parameter);
            }
        }
    }
    let components = raw.get_mut("components").and_then(|c| c.get_mut("parameters")).and_then(Value::as_object_mut);
    for (name, parameter) in components.into_iter().flatten() {
        fix(Pointer::root().join("components").join("parameters").join(name), parameter);
    }
}

/// `info.title` and `info.version`, which the model requires, when absent.
fn info_fields(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(info) = raw.get_mut("info").and_then(Value::as_object_mut) else { return };
    for (key, stand_in) in [("title", "API"), ("version", "unversioned")] {
        if !info.contains_key(key) {
            info.insert(key.to_string(), Value::String(stand_in.to_string()));
            diags.warning(
                &Pointer::root().join("info"),
                format!("`info` has no `{key}`, which OpenAPI requires; it is taken as \"{stand_in}\""),
            );
        }
    }
}

/// One step of a walk: a key or an index.
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The places where a number or boolean stands for a string.
fn find_strings<'v>(value: &'v Value, path: &mut Vec<Step<'v>>, found: &mut Vec<(Pointer, &'static str)>) {
    let at = |path: &[Step<'_>]| {
        path.iter().fold(Pointer::root(), |at, step| match step {
            Step::Key(key) => at.join(key),
            Step::Index(i) => at.join(i),
        })
    };
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                // The `default` response is structure, not data.
                let response = key == "default" && matches!(path.last(), Some(Step::Key("responses")));
                path.push(Step::Key(key));
                if OPAQUE_KEYS.contains(&key.as_str()) && !response {
                    // A schema's `properties` map names properties, whose
                    // values are schemas again.
                    if let (true, Value::Object(properties)) = (key == "properties", item) {
                        for (name, schema) in properties {
                            path.push(Step::Key(name));
                            find_strings(schema, path, found);
                            path.pop();
                        }
                    }
                } else if let Some(string_key) =
                    STRING_KEYS.iter().find(|k| **k == key.as_str()).filter(|_| item.is_number() || item.is_boolean())
                {
                    found.push((at(path), string_key));
                } else {
                    find_strings(item, path, found);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                find_strings(item, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Callbacks that are references, in every operation.
fn callback_refs(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            let Some(callbacks) = operation.get_mut("callbacks").and_then(Value::as_object_mut) else { continue };
            let refs: Vec<String> = callbacks
                .iter()
                .filter(|(_, callback)| callback.get("$ref").is_some())
                .map(|(name, _)| name.clone())
                .collect();
            for name in refs {
                callbacks.remove(&name);
                let at = Pointer::root().join("paths").join(path).join(method).join("callbacks").join(&name);
                diags.warning(&at, "a callback that is a `$ref` is left out (the client does not serve callbacks)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_and_callback_refs_are_mended_with_a_warning_each() {
        let mut doc = json!({
            "info": {"title": "t", "version": 1.0},
            "paths": {"/a": {"get": {
                "description": 404,
                "parameters": [{"name": 2, "in": "query"}],
                "callbacks": {"hook": {"$ref": "#/components/callbacks/Hook"}, "inline": {}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"properties": {"description": {"type": "integer", "example": 5, "title": 7}}},
                    "example": {"version": 3}
                }}}}
            }}}
        });
        let mut diags = Diagnostics::new("t.yaml");
        mend(&mut doc, &mut diags);
        assert_eq!(doc["info"]["version"], json!("1.0"));
        assert_eq!(doc["paths"]["/a"]["get"]["description"], json!("404"));
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0]["name"], json!("2"));
        let schema = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        // A property named `description` is a schema; its `title` is mended, data is not.
        assert_eq!(schema["schema"]["properties"]["description"]["title"], json!("7"));
        assert_eq!(schema["schema"]["properties"]["description"]["example"], json!(5));
        assert_eq!(schema["example"]["version"], json!(3));
        assert_eq!(doc["paths"]["/a"]["get"]["callbacks"], json!({"inline": {}}));
        assert_eq!(diags.items.len(), 5, "{diags}");
        assert!(diags.items.iter().all(|d| d.severity == crate::Severity::Warning));
    }

    #[test]
    fn a_style_the_location_does_not_take_is_dropped() {
        let mut doc = json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "style": "form"}],
            "get": {"parameters": [
                {"name": "q", "in": "query", "style": "simple"},
                {"name": "f", "in": "query", "style": "deepObject"},
                {"name": "h", "in": "header", "style": "form"}
            ]}
        }}, "components": {"parameters": {"C": {"name": "c", "in": "cookie", "style": "pipeDelimited"}}}});
        let mut diags = Diagnostics::new("t.yaml");
        mend(&mut doc, &mut diags);
        let get = &doc["paths"]["/a/{id}"]["get"]["parameters"];
        assert_eq!(get[0], json!({"name": "q", "in": "query"}));
        assert_eq!(get[1]["style"], json!("deepObject"));
        assert!(get[2].get("style").is_none() && doc["paths"]["/a/{id}"]["parameters"][0].get("style").is_none());
        assert!(doc["components"]["parameters"]["C"].get("style").is_none());
        assert_eq!(diags.items.len(), 4, "{diags}");
        assert!(
            diags.to_string().contains(
                "#/paths/~1a~1{id}/get/parameters/0/style: `style: simple` is not one a query parameter takes"
            ),
            "{diags}"
        );
    }

    #[test]
    fn an_info_without_version_or_title_is_mended() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "Messages"}, "paths": {}});
        let mut diags = Diagnostics::new("t.yaml");
        mend(&mut doc, &mut diags);
        assert_eq!(doc["info"], json!({"title": "Messages", "version": "unversioned"}));
        assert_eq!(diags.items.len(), 1, "{diags}");
        assert!(diags.to_string().contains("#/info: `info` has no `version`"), "{diags}");
    }
}
