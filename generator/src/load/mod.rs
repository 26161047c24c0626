//! Text → `openapiv3::OpenAPI`. The only module that knows about YAML and
//! JSON parsers (serde_yaml is deprecated upstream; replacing it touches
//! only this module). OpenAPI 3.1 documents are rewritten into the 3.0
//! forms lowering reads (`v31`) before they are decoded.

pub mod overlay;
pub mod refs;
mod tolerate;
mod v31;
mod v32;
mod yaml;

use crate::diagnostics::{Diagnostics, Pointer, Reported};
use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

/// A parsed document, plus its raw JSON form for the few facts openapiv3
/// drops (such as the siblings of a `$ref`).
#[derive(Debug)]
pub struct Loaded {
    pub doc: OpenAPI,
    pub raw: Value,
    /// Targets of `$ref`s to places other than components, copied into the
    /// components: `(the copy's pointer, the target's pointer)`, to report
    /// problems in a copy where the target is.
    pub moved: refs::Moved,
    /// OpenAPI 3.2's `query` operations, by path (openapiv3's path item has
    /// no field for them; a 3.2 document keeps them in `x-oas-query`).
    pub query_operations: std::collections::BTreeMap<String, openapiv3::Operation>,
}

/// Parses `text` (YAML or JSON; JSON is chosen by a `.json` name or a
/// leading `{`; a UTF-8 byte-order mark is skipped) and checks that it is
/// an OpenAPI 3.0 or 3.1 document.
pub fn load(text: &str, file_name: &str, diags: &mut Diagnostics) -> Result<Loaded, Reported> {
    load_with_overlays(text, file_name, &[], diags)
}

/// [`load`], with `overlays` applied to the document, in order, before
/// anything else reads it.
pub fn load_with_overlays(
    text: &str,
    file_name: &str,
    overlays: &[overlay::Overlay],
    diags: &mut Diagnostics,
) -> Result<Loaded, Reported> {
    let (raw, moved) = normalized(text, file_name, overlays, diags)?;
    // The plain decode is the fast path; on failure, decode again tracking
    // the path, to say where.
    if let Some(doc) = decode_in_parts(&raw) {
        let query_operations = query_operations(&raw, diags);
        return Ok(Loaded { doc, raw, moved, query_operations });
    }
    match serde_path_to_error::deserialize::<_, OpenAPI>(&raw) {
        Ok(doc) => {
            let query_operations = query_operations(&raw, diags);
            Ok(Loaded { doc, raw, moved, query_operations })
        }
        Err(err) => {
            // openapiv3 buffers some maps (paths, responses), which hides
            // the path of the failing value; retry the parts one by one to
            // name each bad one.
            let parts = locate_invalid_parts(&raw);
            let whole = path_to_pointer(Pointer::root(), err.path());
            let mut reported = None;
            for (pointer, message) in parts {
                reported = Some(diags.error_at(pointer, None, format!("not a valid OpenAPI document: {message}")));
            }
            let reported = reported.unwrap_or_else(|| {
                diags.error_at(whole, None, format!("not a valid OpenAPI document: {}", err.inner()))
            });
            diags.relocate(&moved);
            Err(reported)
        }
    }
}

/// The document as JSON in the 3.0 forms openapiv3 decodes: 3.1 rewritten,
/// path items that are references inlined.
/// The `query` operations a 3.2 document's paths hold (`x-oas-query`); one
/// that is not a valid operation is left out with a warning.
fn query_operations(raw: &Value, diags: &mut Diagnostics) -> std::collections::BTreeMap<String, openapiv3::Operation> {
    let mut out = std::collections::BTreeMap::new();
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        let Some(operation) = item.get(v32::QUERY_KEY) else { continue };
        match serde_path_to_error::deserialize::<_, openapiv3::Operation>(operation) {
            Ok(operation) => {
                out.insert(path.clone(), operation);
            }
            Err(err) => {
                let at = path_to_pointer(Pointer::root().join("paths").join(path).join("query"), err.path());
                let mark = diags.mark();
                diags.error_at(at, None, format!("not a valid operation ({}); it is left out", err.inner()));
                diags.downgrade_since(mark);
            }
        }
    }
    out
}

/// With what a 3.2 rewrite moved: `(where it is now, where it was)`.
fn normalized(
    text: &str,
    file_name: &str,
    overlays: &[overlay::Overlay],
    diags: &mut Diagnostics,
) -> Result<(Value, refs::Moved), Reported> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut raw = parse_text(text, file_name, diags)?;
    let mut failed = None;
    for overlay in overlays {
        if let Err(reported) = overlay::apply(&mut raw, overlay, diags) {
            failed = Some(reported);
        }
    }
    if let Some(reported) = failed {
        return Err(reported);
    }
    tolerate::mend(&mut raw, diags);
    let version = check_version(&raw, diags)?;
    inline_path_item_refs(&mut raw, diags);
    // References are resolved before the 3.1 rewrite, which folds
    // `oneOf: [X, {type: 'null'}]` into a nullable `X` and so removes
    // places a reference may point to.
    let mut moved = refs::hoist(&mut raw);
    match version {
        Version::V30 => {}
        Version::V31 => v31::normalize(&mut raw, diags),
        Version::V32 => {
            moved.extend(v32::normalize(&mut raw, diags));
            v31::normalize(&mut raw, diags);
        }
    }
    refs::inline_null_refs(&mut raw);
    Ok((raw, moved))
}

/// The typed document, its two large parts (`paths` and `components`)
/// decoded on two threads; `None` if any part does not decode.
///
/// Decoding the parts on their own also spares a copy: openapiv3 collects
/// a map's `x-` extensions with `#[serde(flatten)]`, which makes serde
/// buffer the whole map before decoding it, and at the top level that map
/// is the whole document.
fn decode_in_parts(raw: &Value) -> Option<OpenAPI> {
    let object = raw.as_object()?;
    let mut shell = serde_json::Map::new();
    for (key, value) in object {
        if key != "paths" && key != "components" {
            shell.insert(key.clone(), value.clone());
        }
    }
    shell.insert("paths".into(), Value::Object(serde_json::Map::new()));
    let (components, rest) = std::thread::scope(|scope| {
        let components = scope.spawn(|| match object.get("components") {
            None | Some(Value::Null) => Some(None),
            Some(value) => openapiv3::Components::deserialize(value).ok().map(Some),
        });
        // A document without `paths` takes the slow path, which says so.
        let paths = object.get("paths").and_then(|value| openapiv3::Paths::deserialize(value).ok());
        let doc = OpenAPI::deserialize(&Value::Object(shell)).ok();
        (components.join().ok().flatten(), paths.zip(doc))
    });
    let (paths, mut doc) = rest?;
    doc.paths = paths;
    doc.components = components?;
    Some(doc)
}

/// Deserializes the value at `at` as a `T`; the pointer and message of the
/// failure, if any.
fn try_part<T: serde::de::DeserializeOwned>(raw: &Value, at: &Pointer) -> Option<(String, String)> {
    let pointer = at.to_string();
    let value = raw.pointer(pointer.trim_start_matches('#'))?;
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(err) => Some((path_to_pointer(at.clone(), err.path()), err.inner().to_string())),
    }
}

/// The innermost invalid parts of a document: responses, then operations,
/// path items and components whose children were all valid.
fn locate_invalid_parts(raw: &Value) -> Vec<(String, String)> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let mut found = Vec::new();
    let root = Pointer::root();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_at = root.join("paths").join(path);
            let before_item = found.len();
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_at = item_at.join(method);
                let before_op = found.len();
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    for code in responses.keys() {
                        let at = op_at.join("responses").join(code);
                        found.extend(try_part::<openapiv3::ReferenceOr<openapiv3::Response>>(raw, &at));
                    }
                }
                if found.len() == before_op {
                    found.extend(try_part::<openapiv3::Operation>(raw, &op_at));
                }
            }
            if found.len() == before_item {
                found.extend(try_part::<openapiv3::ReferenceOr<openapiv3::PathItem>>(raw, &item_at));
            }
        }
    }
    if let Some(components) = raw.get("components").and_then(Value::as_object) {
        let before = found.len();
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            for name in entries.keys() {
                let at = root.join("components").join(kind).join(name);
                found.extend(match kind.as_str() {
                    "schemas" => try_part::<openapiv3::ReferenceOr<openapiv3::Schema>>(raw, &at),
                    "responses" => try_part::<openapiv3::ReferenceOr<openapiv3::Response>>(raw, &at),
                    "parameters" => try_part::<openapiv3::ReferenceOr<openapiv3::Parameter>>(raw, &at),
                    "requestBodies" => try_part::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(raw, &at),
                    "securitySchemes" => try_part::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(raw, &at),
                    _ => None,
                });
            }
        }
        if found.len() == before {
            found.extend(try_part::<openapiv3::Components>(raw, &root.join("components")));
        }
    }
    found.extend(try_part::<openapiv3::Info>(raw, &root.join("info")));
    found
}

/// The document as JSON, before any check or rewriting (YAML or JSON, as
/// [`load`] reads it).
pub fn parse_text(text: &str, file_name: &str, diags: &mut Diagnostics) -> Result<Value, Reported> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json = file_name.ends_with(".json") || text.trim_start().starts_with('{');
    if is_json {
        return serde_json::from_str::<Value>(text).map_err(|err| {
            let at = Some((err.line(), err.column()));
            diags.error_at("#".into(), at, format!("malformed JSON: {err}"))
        });
    }
    yaml::from_str(text).map_err(|err| {
        let at = err.location().map(|l| (l.line(), l.column()));
        diags.error_at("#".into(), at, format!("malformed YAML: {err}"))
    })
}

/// A path item that is a `$ref` to another place in the document (another
/// path, or `components/pathItems` in 3.1) is replaced by what it points
/// to; one that points elsewhere (another file) is left out with a warning.
fn inline_path_item_refs(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else { return };
    let mut resolved = Vec::new();
    for (path, item) in paths {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else { continue };
        let at = Pointer::root().join("paths").join(path);
        // Follow a chain of references, a few steps at most.
        let mut target = reference.to_string();
        let mut found = None;
        for _ in 0..8 {
            let Some(pointer) = target.strip_prefix('#') else { break };
            match raw.pointer(pointer) {
                Some(next) => match next.get("$ref").and_then(Value::as_str) {
                    Some(again) => target = again.to_string(),
                    None => {
                        found = Some(next.clone());
                        break;
                    }
                },
                None => break,
            }
        }
        if found.is_none() {
            diags.warning(
                &at,
                format!("`$ref: {reference}` does not point to a path item in this document; the path is left out"),
            );
        }
        resolved.push((path.clone(), found));
    }
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in resolved {
        match item {
            Some(item) => {
                paths.insert(path, item);
            }
            None => {
                paths.remove(&path);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
    V32,
}

fn check_version(raw: &Value, diags: &mut Diagnostics) -> Result<Version, Reported> {
    let root = Pointer::root();
    let Some(object) = raw.as_object() else {
        return Err(
            diags.error(&root, "the document is not a mapping; an OpenAPI document starts with `openapi: 3.0.x`")
        );
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(diags.error(
            &root.join("swagger"),
            format!("Swagger {swagger} documents are not supported; convert the document to OpenAPI 3.0 first"),
        ));
    }
    match object.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(Version::V30),
        Some(v) if v.starts_with("3.1") => Ok(Version::V31),
        Some(v) if v.starts_with("3.2") => Ok(Version::V32),
        Some(v) => Err(diags.error(
            &root.join("openapi"),
            format!("unsupported OpenAPI version `{v}`; OpenAPI 3.0.x, 3.1.x and 3.2.x are supported"),
        )),
        None => {
            Err(diags
                .error(&root.join("openapi"), "missing required field `openapi` (the version string, e.g. `3.0.3`)"))
        }
    }
}

fn path_to_pointer(base: Pointer, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = base;
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer,
        };
    }
    pointer.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_in_parts_gives_the_document_a_whole_decode_gives() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut files = vec![
            format!("{root}/openapi/autotune.yaml"),
            format!("{root}/../shared/upstream/statsig/full-spec/console-api-20240601.2025-03-12.json"),
        ];
        let fixtures = format!("{root}/tests/fixtures/constructs");
        let mut names: Vec<_> = std::fs::read_dir(&fixtures).unwrap().flatten().map(|e| e.path()).collect();
        names.sort();
        files.extend(names.into_iter().map(|p| p.display().to_string()));
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let (raw, _) = normalized(&text, &file, &[], &mut Diagnostics::new(&file)).unwrap();
            let whole = OpenAPI::deserialize(&raw).unwrap();
            assert_eq!(decode_in_parts(&raw), Some(whole), "{file}");
        }
        // Without `paths` the whole decode reports the error.
        assert_eq!(
            decode_in_parts(&serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}})),
            None
        );
    }

    fn errors(text: &str, name: &str) -> String {
        let mut diags = Diagnostics::new(name);
        assert!(load(text, name, &mut diags).is_err());
        diags.finish().to_string()
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let mut diags = Diagnostics::new("a.yaml");
        let loaded = load(text, "a.yaml", &mut diags).expect("loads");
        assert!(loaded.raw.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn rejects_other_versions_with_location() {
        assert!(errors("swagger: '2.0'\n", "s.yaml").contains("#/swagger: Swagger \"2.0\""));
        assert!(errors("openapi: 4.0.0\n", "s.yaml").contains("#/openapi: unsupported OpenAPI version `4.0.0`"));
        assert!(errors("info: {}\n", "s.yaml").contains("#/openapi: missing required field"));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
        let mut diags = Diagnostics::new("bom.json");
        assert!(load(text, "bom.json", &mut diags).is_ok(), "{}", diags.finish());
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        assert!(errors("openapi: [3.0\n", "s.yaml").starts_with("error: s.yaml:"));
        let json = errors("{\"openapi\": \"3.0.0\",\n \"info\": }", "s.json");
        assert!(json.starts_with("error: s.json:2:"), "{json}");
    }

    #[test]
    fn every_bad_part_is_reported() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1', license: 3}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\ncomponents:\n  schemas:\n    A: {type: object, required: 3}\n";
        let out = errors(text, "s.yaml");
        assert!(out.contains("#/info"), "{out}");
        assert!(out.contains("#/components/schemas/A"), "{out}");
        assert!(out.contains("#/paths/~1a/get/responses/200: "), "{out}");
        assert!(out.ends_with("3 problems found; nothing was written"), "{out}");
    }

    #[test]
    fn structural_errors_point_at_the_field() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\n";
        let out = errors(text, "s.yaml");
        assert!(out.contains("#/paths/~1a/get/responses/200: "), "{out}");
        assert!(out.contains("description"), "{out}");
    }
}
