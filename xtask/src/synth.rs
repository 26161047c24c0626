//! A deterministic synthetic OpenAPI 3.0 document shaped like Statsig's
//! Console API: CRUD paths per resource, `allOf` envelopes over shared
//! base responses, inline error bodies, shared inline enums, nested inline
//! objects, nullable and optional fields, and `$ref`s between schemas.

use serde_json::{json, Map, Value};

/// The document for `operations` operations (five per resource: list,
/// create, read, update, delete) over `schemas` entity schemas.
pub fn document(operations: usize, schemas: usize) -> Value {
    let schemas = schemas.max(1);
    let mut components = Map::new();
    components.insert(
        "SingleDataResponse".into(),
        json!({
            "type": "object", "required": ["message", "data"],
            "properties": {
                "message": {"type": "string", "description": "A simple string explaining the result of the operation."},
                "data": {"type": "object", "description": "A single result."}
            }
        }),
    );
    components.insert(
        "PaginationResponseMetadataDto".into(),
        json!({
            "type": "object", "required": ["itemsPerPage", "pageNumber", "nextPage", "previousPage"],
            "properties": {
                "itemsPerPage": {"type": "number", "format": "double"},
                "pageNumber": {"type": "number", "format": "double"},
                "totalItems": {"type": "number", "format": "double"},
                "nextPage": {"type": "string", "nullable": true},
                "previousPage": {"type": "string", "nullable": true}
            }
        }),
    );
    components.insert("PaginationResponseWithMessage".into(), json!({
        "type": "object", "required": ["message", "data", "pagination"],
        "properties": {
            "message": {"type": "string"},
            "data": {"type": "array", "items": {"type": "object"}},
            "pagination": {"description": "Where this page is.", "allOf": [{"$ref": "#/components/schemas/PaginationResponseMetadataDto"}]}
        }
    }));
    for i in 0..schemas {
        components.insert(entity(i), entity_schema(i, schemas));
        components.insert(format!("{}CreateDto", entity(i)), create_schema(i));
    }
    let mut paths = Map::new();
    let resources = operations.div_ceil(5);
    let mut remaining = operations;
    for r in 0..resources {
        let name = entity(r % schemas);
        let base = format!("/console/v1/resource{r}");
        let kinds = ["list", "create", "read", "update", "delete"];
        let take = remaining.min(5);
        remaining -= take;
        let mut collection = Map::new();
        let mut item = Map::new();
        // Every operation has an `operationId` (progenitor needs one) and
        // a tag per five resources, as the Console API groups its areas.
        let named = |kind: &str, mut op: Value| {
            op["operationId"] = json!(format!("{kind}_resource{r}"));
            op["tags"] = json!([format!("Area{}", r / 5)]);
            op
        };
        for kind in &kinds[..take] {
            match *kind {
                "list" => collection.insert("get".into(), named(kind, list_op(&name))),
                "create" => collection.insert("post".into(), named(kind, create_op(&name))),
                "read" => item.insert("get".into(), named(kind, single_op(&name, "Read", None))),
                "update" => item
                    .insert("patch".into(), named(kind, single_op(&name, "Update", Some(&format!("{name}CreateDto"))))),
                _ => item.insert("delete".into(), named(kind, delete_op(&name))),
            };
        }
        if !collection.is_empty() {
            paths.insert(base.clone(), Value::Object(collection));
        }
        if !item.is_empty() {
            paths.insert(format!("{base}/{{id}}"), Value::Object(item));
        }
    }
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Synthetic Console API", "version": "1.0.0", "description": format!("{operations} operations over {schemas} schemas.")},
        "servers": [{"url": "https://statsigapi.net"}],
        "security": [],
        "paths": paths,
        "components": {
            "securitySchemes": {"STATSIG-API-KEY": {"type": "apiKey", "name": "STATSIG-API-KEY", "in": "header"}},
            "schemas": components
        }
    })
}

/// The next schema in `i`'s ring of ten (`owner` fields form short
/// cycles, as related resources do; one ring through every schema would be
/// a chain of nested types thousands deep, which no real API has and
/// rustc's drop check does not survive).
pub(crate) fn ring_next(i: usize, schemas: usize) -> usize {
    let start = i / 10 * 10;
    let len = (schemas - start).min(10);
    start + (i - start + 1) % len
}

fn entity(i: usize) -> String {
    format!("Entity{i}Dto")
}

fn entity_schema(i: usize, schemas: usize) -> Value {
    json!({
        "type": "object",
        "description": format!("Entity number {i}."),
        "required": ["id", "name", "status", "createdTime", "lastModifierID", "owner"],
        "properties": {
            "id": {"type": "string", "description": "The ID."},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "archived", "draft"]},
            "window": {"type": "string", "enum": ["1hr", "24hr", "1", "24", "99%"]},
            "count": {"type": "integer", "format": "int64"},
            "ratio": {"type": "number", "format": "double", "minimum": 0, "maximum": 1, "nullable": true},
            "tags": {"type": "array", "items": {"type": "string"}},
            "createdTime": {"type": "number", "format": "double"},
            "lastModifierID": {"type": "string", "nullable": true},
            "team": {"type": "string", "nullable": true},
            "owner": {"nullable": true, "allOf": [{"$ref": format!("#/components/schemas/{}", entity(ring_next(i, schemas)))}]},
            "settings": {
                "type": "object",
                "properties": {
                    "enabled": {"type": "boolean"},
                    "level": {"type": "integer"},
                    "returnValue": {"type": "object", "additionalProperties": {}}
                }
            },
            "rules": {
                "type": "array",
                "items": {
                    "type": "object", "required": ["name", "passPercentage"],
                    "properties": {
                        "name": {"type": "string"},
                        "passPercentage": {"type": "number", "minimum": 0, "maximum": 100},
                        "targetValue": {"nullable": true, "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}, {"type": "number"}]}
                    }
                }
            }
        }
    })
}

fn create_schema(i: usize) -> Value {
    json!({
        "type": "object",
        "description": format!("A new entity number {i}."),
        "required": ["name", "status"],
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "archived", "draft"]},
            "window": {"type": "string", "enum": ["1hr", "24hr", "1", "24", "99%"]},
            "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "ratio": {"type": "number", "minimum": 0.001, "maximum": 1}
        }
    })
}

fn error(status: u16, message: &str) -> Value {
    json!({
        "description": message,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["status", "message"],
            "properties": {"status": {"type": "integer", "enum": [status]}, "message": {"type": "string"}}
        }}}
    })
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
}

fn review_header() -> Value {
    json!({"name": "x-respect-review-settings", "in": "header", "required": false, "schema": {"type": "string"}})
}

fn security() -> Value {
    json!([{"STATSIG-API-KEY": []}])
}

fn envelope(name: &str) -> Value {
    json!({"allOf": [
        {"$ref": "#/components/schemas/SingleDataResponse"},
        {"properties": {"data": {"$ref": format!("#/components/schemas/{name}")}}}
    ]})
}

fn list_op(name: &str) -> Value {
    let paging = |n: &str| json!({"name": n, "in": "query", "required": false, "schema": {"example": 1, "oneOf": [{"type": "string"}, {"type": "number"}], "type": "integer"}});
    json!({
        "summary": format!("List {name}"),
        "parameters": [paging("limit"), paging("page"), review_header()],
        "security": security(),
        "responses": {
            "200": {"description": "Listed.", "content": {"application/json": {"schema": {"allOf": [
                {"$ref": "#/components/schemas/PaginationResponseWithMessage"},
                {"properties": {"data": {"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}}}}
            ]}}}},
            "401": error(401, "Invalid key.")
        }
    })
}

fn create_op(name: &str) -> Value {
    json!({
        "summary": format!("Create {name}"),
        "parameters": [review_header()],
        "security": security(),
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}CreateDto")}}}},
        "responses": {
            "201": {"description": "Created.", "content": {"application/json": {"schema": envelope(name)}}},
            "400": error(400, "Invalid request."),
            "401": error(401, "Invalid key.")
        }
    })
}

fn single_op(name: &str, verb: &str, body: Option<&str>) -> Value {
    let mut op = json!({
        "summary": format!("{verb} {name}"),
        "parameters": [id_param(), review_header()],
        "security": security(),
        "responses": {
            "200": {"description": "Done.", "content": {"application/json": {"schema": envelope(name)}}},
            "401": error(401, "Invalid key."),
            "404": error(404, "Not found.")
        }
    });
    if let Some(body) = body {
        op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}});
    }
    op
}

fn delete_op(name: &str) -> Value {
    json!({
        "summary": format!("Delete {name}"),
        "parameters": [id_param(), review_header()],
        "security": security(),
        "responses": {
            "200": {"description": "Deleted.", "content": {"application/json": {"schema": {"properties": {"message": {"type": "string"}}}}}},
            "401": error(401, "Invalid key."),
            "404": error(404, "Not found.")
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_and_determinism() {
        let doc = super::document(12, 3);
        let ops: usize = doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
        assert_eq!(ops, 12);
        assert_eq!(doc["components"]["schemas"].as_object().unwrap().len(), 3 + 2 * 3);
        assert_eq!(super::document(12, 3), doc);
        assert_eq!(
            (0..12).map(|i| super::ring_next(i, 12)).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 11, 10]
        );
    }
}
