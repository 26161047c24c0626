//! The second synthetic shape, enum-heavy as payment and office-suite APIs
//! are (hundreds of enums): every object schema has its own six-value
//! string enum and shares a four-value one, with range-constrained
//! numbers, nullable fields, string arrays and a `$ref` to the next schema
//! in its ring of ten (as in `synth`: one ring through all would nest
//! types a thousand deep, which rustc's LLVM IR emission overflows its
//! stack on). The operations cycle through list (query parameters, paged
//! response), get, create, patch and put, each with a typed 200 and typed
//! 400/404 bodies.

use serde_json::{json, Map, Value};

/// The document for `operations` operations over `schemas` object schemas.
pub fn document(operations: usize, schemas: usize) -> Value {
    let schemas = schemas.max(1);
    let mut components = Map::new();
    components.insert(
        "Percentile".into(),
        json!({"type": "string", "enum": ["80%", "90%", "95%", "99%"], "description": "A shared percentile."}),
    );
    components.insert(
        "Problem".into(),
        json!({
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": ["invalid", "missing", "conflict"]},
                "message": {"type": "string"},
                "field": {"type": "string", "nullable": true}
            }
        }),
    );
    for i in 0..schemas {
        components.insert(name(i), object(i, schemas));
    }
    let mut paths = Map::new();
    for op in 0..operations {
        let schema = name(op % schemas);
        let resource = op / 5;
        let tag = format!("Area{}", resource / 5);
        let (path, method, operation) = match op % 5 {
            0 => (format!("/things{resource}"), "get", list(&schema)),
            1 => (format!("/things{resource}/{{id}}"), "get", single(&schema, None)),
            2 => (format!("/things{resource}"), "post", single(&schema, Some(&schema))),
            3 => (format!("/things{resource}/{{id}}"), "patch", single(&schema, Some(&schema))),
            _ => (format!("/things{resource}/{{id}}"), "put", single(&schema, Some(&schema))),
        };
        let mut operation = operation;
        operation["operationId"] = json!(format!("op{op}"));
        operation["tags"] = json!([tag]);
        if path.ends_with("{id}") {
            operation["parameters"] =
                json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
        }
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[method] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic enum-heavy API", "version": "1.0.0", "description": format!("{operations} operations over {schemas} schemas, each with its own enum.")},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": components}
    })
}

fn name(i: usize) -> String {
    format!("Thing{i}")
}

fn object(i: usize, schemas: usize) -> Value {
    json!({
        "type": "object",
        "description": format!("Thing number {i}."),
        "required": ["id", "window", "percentile", "score"],
        "properties": {
            "id": {"type": "string"},
            "window": {"type": "string", "enum": ["1hr", "24hr", "48hr", "1", "24", format!("v{i}")]},
            "percentile": {"$ref": "#/components/schemas/Percentile"},
            "score": {"type": "number", "minimum": 0, "maximum": 100},
            "weight": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1000},
            "note": {"type": "string", "nullable": true, "maxLength": 200},
            "labels": {"type": "array", "items": {"type": "string"}},
            "next": {"$ref": format!("#/components/schemas/{}", name(crate::synth::ring_next(i, schemas)))}
        }
    })
}

fn json_body(schema: &str) -> Value {
    json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}})
}

/// One error schema for both statuses: progenitor accepts only one error
/// type per operation, and the comparison needs its crate.
fn errors() -> Value {
    json!({
        "400": {"description": "Invalid.", "content": json_body("Problem")},
        "404": {"description": "Not found.", "content": json_body("Problem")}
    })
}

fn list(schema: &str) -> Value {
    let mut responses = errors();
    responses["200"] = json!({
        "description": "A page.",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["data"],
            "properties": {
                "data": {"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}},
                "nextCursor": {"type": "string", "nullable": true}
            }
        }}}
    });
    json!({
        "parameters": [
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            {"name": "percentile", "in": "query", "schema": {"$ref": "#/components/schemas/Percentile"}}
        ],
        "responses": responses
    })
}

fn single(schema: &str, body: Option<&str>) -> Value {
    let mut responses = errors();
    responses["200"] = json!({"description": "Done.", "content": json_body(schema)});
    let mut op = json!({"responses": responses});
    if let Some(body) = body {
        op["requestBody"] = json!({"required": true, "content": json_body(body)});
    }
    op
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_and_determinism() {
        let doc = super::document(10, 4);
        let ops: usize = doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
        assert_eq!(ops, 10);
        assert_eq!(doc["components"]["schemas"].as_object().unwrap().len(), 4 + 2);
        assert_eq!(super::document(10, 4), doc);
    }
}
