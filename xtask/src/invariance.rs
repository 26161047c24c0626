//! Pointer invariance: a document and the same document with every
//! repeated inline schema, response and parameter replaced by a `$ref` to
//! its first place (a JSON pointer into `paths` as often as not, as
//! generated documents write them) must give the same client: the same
//! operations, with the same parameters, bodies, responses and paging, and
//! the same types as the wire sees them (names aside: a type reached
//! through a reference may be named after the place it refers to).

use generator::ir::{Api, Decided, Operation, ResponseBody, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// How a named type is followed when its shape is described.
const MAX_DEPTH: usize = 4;

/// `document` (its label `label`) rewritten and both analysed: how many
/// places became references, and the differences (none when it holds).
pub fn check(text: &str, label: &str) -> Result<(usize, Vec<String>), String> {
    let mut diags = generator::Diagnostics::new(label);
    let raw = generator::load::parse_text(text, label, &mut diags).map_err(|_| diags.to_string())?;
    let mut rewritten = raw.clone();
    let replaced = refs_to_first_places(&mut rewritten);
    let rewritten_text = serde_json::to_string(&rewritten).map_err(|e| e.to_string())?;
    let (before, _) = generator::analyze(text, label, false).map_err(|d| format!("{label}: {d}"))?;
    let (after, _) = generator::analyze(&rewritten_text, label, false)
        .map_err(|d| format!("{label} with pointers: refused:\n{d}"))?;
    Ok((replaced, differences(&before, &after)))
}

/// What kind of object a place holds, so that a reference never crosses
/// kinds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Schema,
    Response,
    Parameter,
}

/// Replaces every repeated schema, response and parameter (outside the
/// component sections, whose entries are named already) by a `$ref` to
/// the first place it stands, in document order.
pub fn refs_to_first_places(doc: &mut Value) -> usize {
    let mut first: BTreeMap<(Kind, String), String> = BTreeMap::new();
    let mut replacements: Vec<(String, String)> = Vec::new();
    visit(doc, String::new(), None, &mut first, &mut replacements);
    for (at, target) in &replacements {
        if let Some(slot) = doc.pointer_mut(at) {
            *slot = serde_json::json!({ "$ref": format!("#{target}") });
        }
    }
    replacements.len()
}

fn visit(
    value: &Value,
    at: String,
    kind: Option<Kind>,
    first: &mut BTreeMap<(Kind, String), String>,
    replacements: &mut Vec<(String, String)>,
) {
    if let (Some(kind), Value::Object(map)) = (kind, value) {
        let named_component = at.matches('/').count() == 3 && at.starts_with("/components/");
        if !map.contains_key("$ref") && !named_component {
            let key = (kind, serde_json::to_string(value).unwrap_or_default());
            match first.get(&key) {
                // A repeat: it becomes a reference, and what is inside it
                // is the first place's.
                Some(target) => {
                    replacements.push((at, target.clone()));
                    return;
                }
                None => {
                    first.insert(key, at.clone());
                }
            }
        }
    }
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => {
            let in_names = at.ends_with("/properties");
            for (key, child) in map {
                let here = format!("{at}/{}", escape(key));
                // Extensions hold what their vendor means, not document
                // structure (GitHub's `x-github-breaking-changes` patches).
                if key.starts_with("x-") && !in_names {
                    continue;
                }
                let child_kind = if in_names {
                    Some(Kind::Schema)
                } else {
                    match key.as_str() {
                        "example" | "examples" | "default" | "enum" | "const" | "x-examples"
                            if kind == Some(Kind::Schema) =>
                        {
                            continue
                        }
                        "example" | "examples" => continue,
                        "schema" | "items" | "additionalProperties" | "not" => Some(Kind::Schema),
                        "allOf" | "oneOf" | "anyOf" | "properties" => None,
                        "responses" => None,
                        _ if at.ends_with("/responses") => Some(Kind::Response),
                        _ => None,
                    }
                };
                // Members of composition lists are schemas.
                if let ("allOf" | "oneOf" | "anyOf" | "parameters", Value::Array(items)) = (key.as_str(), child) {
                    let member = if key == "parameters" { Kind::Parameter } else { Kind::Schema };
                    for (i, item) in items.iter().enumerate() {
                        visit(item, format!("{here}/{i}"), Some(member), first, replacements);
                    }
                    continue;
                }
                visit(child, here, child_kind, first, replacements);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(item, format!("{at}/{i}"), None, first, replacements);
            }
        }
        _ => {}
    }
}

/// What differs between the two clients, operation by operation.
fn differences(before: &Decided, after: &Decided) -> Vec<String> {
    let key = |op: &Operation| format!("{} {}", op.method.as_str(), op.path);
    let after_ops: BTreeMap<String, &Operation> = after.operations.iter().map(|op| (key(op), op)).collect();
    let mut out = Vec::new();
    for op in &before.operations {
        let Some(other) = after_ops.get(&key(op)) else {
            out.push(format!("{}: left out once its repeats are references", key(op)));
            continue;
        };
        let (a, b) = (describe(before, op), describe(after, other));
        if a != b {
            let line = a.lines().zip(b.lines()).find(|(x, y)| x != y).map(|(x, y)| {
                // Where they part, with a little before and after.
                let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
                let window = |s: &str| s.chars().skip(at.saturating_sub(60)).take(140).collect::<String>();
                format!("`…{}…` became `…{}…`", window(x), window(y))
            });
            out.push(format!("{}: {}", key(op), line.unwrap_or_else(|| "differs".into())));
        }
    }
    if after.operations.len() > before.operations.len() {
        out.push(format!("{} operations before, {} after", before.operations.len(), after.operations.len()));
    }
    out
}

/// An operation as the wire sees it, a line per part.
fn describe(api: &Api, op: &Operation) -> String {
    let mut lines = vec![format!("name {}", op.rust_name)];
    for p in &op.params {
        lines.push(format!("param {:?} {} {} {}", p.location, p.wire_name, p.required, shape(api, &p.ty, 0)));
    }
    for content in op.body.iter().flat_map(|b| &b.contents) {
        lines.push(format!("body {} {}", content.media_type, shape(api, &content.ty, 0)));
    }
    for r in &op.responses {
        let body = match &r.body {
            ResponseBody::Json(ty) => shape(api, ty, 0),
            other => format!("{other:?}"),
        };
        lines.push(format!("response {:?} {body}", r.status));
    }
    lines.push(format!("paging {:?}", op.pagination.as_ref().map(|p| p.style.name())));
    lines.join("\n")
}

/// A type as the wire sees it, named types followed `MAX_DEPTH` deep.
fn shape(api: &Api, ty: &TypeRef, depth: usize) -> String {
    match ty {
        // Aliases are followed before the depth is cut: a reference to a
        // repeated `{type: string}` is an alias of `String`.
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => shape(api, inner, depth),
            _ if depth >= MAX_DEPTH => "…".to_string(),
            TypeKind::Struct(s) => {
                let mut fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| format!("{}:{:?}:{}", f.wire_name, f.presence, shape(api, &f.ty, depth + 1)))
                    .collect();
                fields.sort();
                let rest = s.additional.as_ref().map(|a| format!(" ..{}", shape(api, &a.ty, depth + 1)));
                format!("{{{}{}}}", fields.join(", "), rest.unwrap_or_default())
            }
            TypeKind::Enum(e) => {
                let values: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
                format!("enum[{}]", values.join("|"))
            }
            TypeKind::Union(u) => {
                let mut variants: Vec<String> = u.variants.iter().map(|v| shape(api, &v.ty, depth + 1)).collect();
                variants.sort();
                format!("union({})", variants.join(" | "))
            }
        },
        TypeRef::List(inner) => format!("[{}]", shape(api, inner, depth)),
        TypeRef::Map(inner) => format!("map<{}>", shape(api, inner, depth)),
        TypeRef::Nullable(inner) => format!("{}?", shape(api, inner, depth)),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn repeats_become_references_to_their_first_place() {
        let mut doc = json!({"paths": {
            "/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}}}
            }},
            "/b": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}}}
            }}
        }});
        let replaced = super::refs_to_first_places(&mut doc);
        assert_eq!(doc["paths"]["/b"]["get"]["parameters"][0], json!({"$ref": "#/paths/~1a/get/parameters/0"}));
        assert_eq!(doc["paths"]["/b"]["get"]["responses"]["200"], json!({"$ref": "#/paths/~1a/get/responses/200"}));
        // The first places keep their content; a repeat inside them refers
        // to an earlier place.
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0]["schema"], json!({"type": "string"}));
        // `x`'s `{type: string}` repeats the parameter's schema.
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["x"],
            json!({"$ref": "#/paths/~1a/get/parameters/0/schema"})
        );
        assert_eq!(replaced, 3);
    }
}
