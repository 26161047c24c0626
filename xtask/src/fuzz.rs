//! `cargo xtask fuzz`: a structure-aware document fuzzer. Each case is a
//! random OpenAPI document built from the constructs real documents use
//! (nested `allOf`/`oneOf`/`anyOf` with cycles through components and
//! through JSON pointers into operations, names chosen to collide, every
//! security scheme and OAuth2 flow, empty and odd parameter sets, every
//! kind of body and response), seeded so every run of a seed is alike.
//! Each is generated in process: none may panic (a stack overflow aborts
//! the run, after its seed was printed), a refusal must say where, and
//! the emitted Rust must parse. Then a batch of the generated crates is
//! checked clippy-clean (`-D warnings`) in one scratch workspace. A failing
//! case is kept as a fixture (`tests/fixtures/fuzz/`).

use crate::codegen::{scratch_workspace, workspace_root};
use serde_json::{json, Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const USAGE: &str = "cargo xtask fuzz [--cases N] [--seed S] [--compile K]";

/// xorshift64*: small, deterministic (the parity test's cases use it too).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names that collide with each other (case, separators), with Rust
/// keywords and prelude types, and with the generated crate's own names.
const TYPE_NAMES: &[&str] = &[
    "Item",
    "item",
    "ITEM",
    "Item_",
    "Type",
    "Self",
    "self",
    "crate",
    "Box",
    "Option",
    "Result",
    "String",
    "Vec",
    "Client",
    "Error",
    "types",
    "a-b",
    "a_b",
    "A B",
    "123abc",
    "Ünïcode",
    "default",
    "Default",
    "Value",
    "Json",
    "Nullable",
    "Page",
    "Request",
    "Response",
    "ItemList",
    "Secret",
];
const PROPERTY_NAMES: &[&str] = &[
    "id",
    "type",
    "Type",
    "self",
    "ref",
    "a-b",
    "a_b",
    "aB",
    "AB",
    "default",
    "from",
    "into",
    "match",
    "async",
    "await",
    "1st",
    "@odata.nextLink",
    "data",
    "next",
    "has_more",
    "page",
    "_",
    "__",
    " ",
    "x",
    "value",
    "items",
    "new",
    "validate",
    "clone",
    "kind",
    "name",
    "Name",
    "NAME",
];
const ENUM_VALUES: &[&str] = &["a", "A", "a-b", "a_b", "", "1", "-1", "+1", "self", "Self", "é", "Unknown", "null"];
const PARAM_NAMES: &[&str] = &[
    "id",
    "Id",
    "ID",
    "page",
    "Page",
    "offset",
    "cursor",
    "limit",
    "from",
    "type",
    "self",
    "a-b",
    "a_b",
    "client",
    "body",
    "options",
    "send",
    "items",
    "header",
    "X-Request-Id",
    "filter[name]",
    "q",
    "",
];
const OPERATION_IDS: &[&str] = &[
    "list",
    "List",
    "list_",
    "get-item",
    "getItem",
    "get_item",
    "send",
    "builder",
    "new",
    "client",
    "default",
    "with_bearer",
    "items",
    "Ünïcode op",
    "1st",
];
const SCHEME_NAMES: &[&str] = &[
    "oauth",
    "oauth_client_credentials",
    "oauth2",
    "OAuth2",
    "api_key",
    "apiKey",
    "api-key",
    "bearer",
    "Bearer",
    "basic",
    "token_source",
    "bearer_token_source",
    "machine",
    "builder",
    "build",
];
const MEDIA: &[&str] = &[
    "application/json",
    "application/json",
    "application/problem+json",
    "text/plain",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/event-stream",
    "application/x-ndjson",
];

/// Builds one document.
struct Builder {
    rng: Rng,
    /// Component schema names, once chosen.
    schemas: Vec<String>,
    v31: bool,
}

impl Builder {
    fn schema(&mut self, depth: usize) -> Value {
        let deep = depth >= 4;
        let kind = if deep { self.rng.below(6) } else { self.rng.below(14) };
        let mut schema = match kind {
            0 => self.string(),
            1 => {
                json!({"type": "integer", "format": self.rng.pick(&["int32", "int64", "uint64"]), "minimum": self.rng.pick(&[0, 1, -5])})
            }
            2 => json!({"type": "number", "maximum": 1.5}),
            3 => json!({"type": "boolean"}),
            4 | 5 if !self.schemas.is_empty() => {
                json!({"$ref": format!("#/components/schemas/{}", self.rng.pick(&self.schemas.clone()))})
            }
            4 | 5 => json!({}),
            6 | 7 => self.object(depth),
            8 => json!({"type": "array", "items": self.schema(depth + 1)}),
            9 => json!({"type": "object", "additionalProperties": self.schema(depth + 1)}),
            10 => self.all_of(depth),
            11 | 12 => self.union(depth),
            _ => json!({"nullable": true, "allOf": [self.schema(depth + 1)]}),
        };
        if self.rng.chance(15) {
            if self.v31 {
                if let Some(ty) = schema.get("type").cloned().filter(Value::is_string) {
                    schema["type"] = json!([ty, "null"]);
                }
            } else {
                schema["nullable"] = json!(true);
            }
        }
        if self.rng.chance(20) {
            schema["description"] = json!(self
                .rng
                .pick(&["A <b>bold</b> claim", "Use `x`", "see https://example.com", "[link](#x)", "```\ncode\n```"])
                .to_string());
        }
        schema
    }

    fn string(&mut self) -> Value {
        match self.rng.below(5) {
            0 => {
                let n = 1 + self.rng.below(5);
                let values: Vec<&str> = (0..n).map(|_| *self.rng.pick(ENUM_VALUES)).collect();
                json!({"type": "string", "enum": values})
            }
            1 => {
                json!({"type": "string", "format": self.rng.pick(&["date-time", "date", "uuid", "ipv4", "ipv6", "byte", "binary", "email", "uri"])})
            }
            2 => {
                json!({"type": "string", "pattern": self.rng.pick(&["^\\d+$", "^[a-z]{2,4}$", "(a|b)*"]), "minLength": 1})
            }
            _ => json!({"type": "string", "maxLength": self.rng.pick(&[1, 64])}),
        }
    }

    fn object(&mut self, depth: usize) -> Value {
        let mut properties = Map::new();
        for _ in 0..self.rng.below(6) {
            let name = self.rng.pick(PROPERTY_NAMES).to_string();
            let schema = self.schema(depth + 1);
            properties.insert(name, schema);
        }
        let names: Vec<String> = properties.keys().cloned().collect();
        let required: Vec<&String> = names.iter().filter(|_| self.rng.chance(50)).collect();
        let mut object = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            object["required"] = json!(required);
        }
        match self.rng.below(4) {
            0 => object["additionalProperties"] = json!(false),
            1 => object["additionalProperties"] = self.schema(depth + 1),
            _ => {}
        }
        object
    }

    fn all_of(&mut self, depth: usize) -> Value {
        let n = 1 + self.rng.below(3);
        let members: Vec<Value> =
            (0..n).map(|_| if self.rng.chance(50) { self.object(depth + 1) } else { self.schema(depth + 1) }).collect();
        let mut schema = json!({"allOf": members});
        if self.rng.chance(30) {
            schema["properties"] = json!({"extra": {"type": "string"}});
        }
        schema
    }

    fn union(&mut self, depth: usize) -> Value {
        let keyword = if self.rng.chance(60) { "oneOf" } else { "anyOf" };
        let n = 1 + self.rng.below(4);
        let tagged = self.rng.chance(35);
        let members: Vec<Value> = (0..n)
            .map(|i| {
                if tagged {
                    let tag = ENUM_VALUES[i % ENUM_VALUES.len()];
                    let mut object = self.object(depth + 1);
                    object["properties"]["type"] = json!({"type": "string", "enum": [tag]});
                    object["required"] = json!(["type"]);
                    object
                } else {
                    self.schema(depth + 1)
                }
            })
            .collect();
        let mut schema = json!({ keyword: members });
        if tagged {
            schema["discriminator"] = json!({"propertyName": "type"});
        }
        schema
    }

    fn parameters(&mut self, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        // Path parameters, each declared unless the case leaves one out.
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            if !self.rng.chance(8) {
                out.push(json!({"name": name, "in": "path", "required": true, "schema": self.path_schema()}));
            }
            rest = &rest[open + close + 1..];
        }
        for _ in 0..self.rng.below(5) {
            let location = *self.rng.pick(&["query", "query", "header", "cookie"]);
            let mut param = json!({
                "name": self.rng.pick(PARAM_NAMES),
                "in": location,
                "required": self.rng.chance(30),
                "schema": match self.rng.below(5) {
                    0 => json!({"type": "array", "items": {"type": "string"}}),
                    1 => json!({"type": "integer", "minimum": self.rng.pick(&[0, 1])}),
                    2 => json!({"type": "object", "properties": {"a": {"type": "string"}}}),
                    3 => self.string(),
                    _ => json!({"type": "string"}),
                },
            });
            if self.rng.chance(20) {
                param["style"] =
                    json!(self.rng.pick(&["form", "spaceDelimited", "pipeDelimited", "deepObject", "simple"]));
                param["explode"] = json!(self.rng.chance(50));
            }
            out.push(param);
        }
        out
    }

    fn path_schema(&mut self) -> Value {
        match self.rng.below(4) {
            0 => json!({"type": "integer", "format": "int64"}),
            1 => json!({"type": "string", "pattern": "^\\d+$"}),
            2 => json!({"type": "string", "enum": ["a", "b"]}),
            _ => json!({"type": "string"}),
        }
    }

    fn content(&mut self) -> Value {
        let mut content = Map::new();
        for _ in 0..1 + self.rng.below(2) {
            let media = *self.rng.pick(MEDIA);
            let schema = match media {
                "application/octet-stream" => json!({"type": "string", "format": "binary"}),
                "text/plain" => json!({"type": "string"}),
                "application/x-www-form-urlencoded" | "multipart/form-data" => self.object(2),
                _ => self.schema(1),
            };
            content.insert(media.to_string(), json!({ "schema": schema }));
        }
        Value::Object(content)
    }

    fn responses(&mut self) -> Value {
        let mut responses = Map::new();
        for _ in 0..self.rng.below(4) {
            let status = *self.rng.pick(&["200", "201", "204", "default", "4XX", "404", "2XX", "500"]);
            let mut response = json!({"description": "a response"});
            if status != "204" && self.rng.chance(75) {
                response["content"] = self.content();
            }
            if self.rng.chance(15) {
                response["headers"] =
                    json!({"Link": {"schema": {"type": "string"}}, "X-Next": {"schema": {"type": "string"}}});
            }
            responses.insert(status.to_string(), response);
        }
        Value::Object(responses)
    }

    fn security_schemes(&mut self) -> Map<String, Value> {
        let mut schemes = Map::new();
        for _ in 0..self.rng.below(5) {
            let name = self.rng.pick(SCHEME_NAMES).to_string();
            let scopes = if self.rng.chance(40) { json!({}) } else { json!({"read": "Read", "write:all": "Write"}) };
            let scheme = match self.rng.below(9) {
                0 => json!({"type": "apiKey", "in": "header", "name": "X-Api-Key"}),
                1 => json!({"type": "apiKey", "in": "query", "name": "api_key"}),
                2 => json!({"type": "apiKey", "in": "cookie", "name": "session"}),
                3 => json!({"type": "http", "scheme": "bearer"}),
                4 => json!({"type": "http", "scheme": "basic"}),
                5 => json!({"type": "http", "scheme": "digest"}),
                6 => {
                    json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": scopes}}})
                }
                7 => json!({"type": "oauth2", "flows": {
                    "authorizationCode": {"authorizationUrl": "https://auth.example.com/a", "tokenUrl": "https://auth.example.com/t", "scopes": scopes},
                    "implicit": {"authorizationUrl": "https://auth.example.com/a", "scopes": {}},
                    "password": {"tokenUrl": "https://auth.example.com/t", "scopes": {}},
                    "clientCredentials": {"tokenUrl": "https://auth.example.com/t", "scopes": {}}
                }}),
                _ => {
                    json!({"type": "openIdConnect", "openIdConnectUrl": "https://auth.example.com/.well-known/openid-configuration"})
                }
            };
            schemes.insert(name, scheme);
        }
        schemes
    }

    fn document(&mut self) -> Value {
        let version = if self.v31 { "3.1.0" } else { "3.0.3" };
        let count = 1 + self.rng.below(6);
        self.schemas = (0..count).map(|_| self.rng.pick(TYPE_NAMES).to_string()).collect();
        self.schemas.sort();
        self.schemas.dedup();
        let mut schemas = Map::new();
        for name in self.schemas.clone() {
            let schema = self.schema(0);
            schemas.insert(name, schema);
        }
        let security_schemes = self.security_schemes();
        let scheme_names: Vec<String> = security_schemes.keys().cloned().collect();
        let mut paths = Map::new();
        for i in 0..1 + self.rng.below(5) {
            let template = self.rng.pick(&[
                "/r{n}",
                "/r{n}/{id}",
                "/r{n}/{id}/{Id}",
                "/r{n}/{a-b}/x",
                "/r{n}/{from}",
                "/r{n}.json",
            ]);
            let path = template.replace("{n}", &i.to_string());
            let mut item = Map::new();
            for _ in 0..1 + self.rng.below(3) {
                let method = *self.rng.pick(&["get", "get", "post", "put", "patch", "delete", "head", "options"]);
                let mut op = json!({"parameters": self.parameters(&path), "responses": self.responses()});
                if self.rng.chance(70) {
                    op["operationId"] = json!(self.rng.pick(OPERATION_IDS));
                }
                if matches!(method, "post" | "put" | "patch") && self.rng.chance(70) {
                    op["requestBody"] = json!({"required": self.rng.chance(50), "content": self.content()});
                }
                if !scheme_names.is_empty() && self.rng.chance(40) {
                    op["security"] = if self.rng.chance(25) {
                        json!([])
                    } else {
                        let a = self.rng.pick(&scheme_names).clone();
                        let b = self.rng.pick(&scheme_names).clone();
                        json!([{a: []}, {b: ["read"]}])
                    };
                }
                item.insert(method.to_string(), op);
            }
            paths.insert(path, Value::Object(item));
        }
        let mut doc = json!({
            "openapi": version,
            "info": {"title": "Fuzzed", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": security_schemes},
        });
        if self.rng.chance(50) {
            doc["servers"] =
                json!([{"url": "https://{region}.example.com/v1", "variables": {"region": {"default": "eu"}}}]);
        }
        if let Some(first) = scheme_names.first() {
            if self.rng.chance(60) {
                doc["security"] = json!([{ first: [] }]);
            }
        }
        self.point_into_operations(&mut doc);
        doc
    }

    /// Replaces a few schemas with `$ref`s to others' places anywhere in
    /// the document (into operations' content, properties, items), as
    /// generated documents do: cycles through pointers included.
    fn point_into_operations(&mut self, doc: &mut Value) {
        let mut places = Vec::new();
        schema_places(doc, String::new(), &mut places);
        if places.len() < 2 {
            return;
        }
        for _ in 0..self.rng.below(4) {
            let target = self.rng.pick(&places).clone();
            let at = self.rng.pick(&places).clone();
            if at == target || target.starts_with(&format!("{at}/")) {
                continue;
            }
            // Percent-encoded, as a URI fragment may write it.
            let reference = if self.rng.chance(30) {
                format!("#{}", target.replace('{', "%7B").replace('}', "%7D"))
            } else {
                format!("#{target}")
            };
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = json!({ "$ref": reference });
            }
        }
    }
}

/// Pointers of values that are schemas (under `schema`, `properties`,
/// `items`, `components/schemas`).
fn schema_places(value: &Value, at: String, out: &mut Vec<String>) {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = format!("{at}/{}", escape(key));
                let is_schema =
                    key == "schema" || key == "items" || at.ends_with("/properties") || at == "/components/schemas";
                if is_schema && item.is_object() {
                    out.push(here.clone());
                }
                if !matches!(key.as_str(), "enum" | "example" | "examples" | "default") {
                    schema_places(item, here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                schema_places(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The document of case `case` of `seed`.
pub fn document(seed: u64, case: usize) -> Value {
    let mut rng = Rng(seed ^ (case as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let v31 = rng.chance(40);
    Builder { rng, schemas: Vec::new(), v31 }.document()
}

pub fn run(args: &[String]) -> Result<(), String> {
    let number = |flag: &str, default: u64| -> Result<u64, String> {
        match crate::flag(args, flag) {
            Some(value) => value.parse().map_err(|_| format!("{flag} takes a number\nusage: {USAGE}")),
            None => Ok(default),
        }
    };
    let cases = number("--cases", 300)? as usize;
    let seed = number("--seed", 0x0A0A_5EED)?;
    let compile = number("--compile", 6)? as usize;
    let root = workspace_root();
    let started = Instant::now();
    let (mut generated, mut refused, mut failures) = (Vec::new(), 0, Vec::new());
    let found = root.join("target/fuzz/found");
    for case in 0..cases {
        let doc = document(seed, case);
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        // A stack overflow aborts the process: the case is on disk first.
        std::fs::create_dir_all(&found).map_err(|e| e.to_string())?;
        std::fs::write(found.join("current.json"), &text).map_err(|e| e.to_string())?;
        let name = format!("fuzz-{case}");
        let options = generator::CrateOptions {
            crate_name: name.clone(),
            spec_label: format!("{name}.json"),
            command: "cargo xtask fuzz".into(),
            examples: case % 5 == 0,
            strict: false,
            selection: generator::Selection::default(),
            overlays: Vec::new(),
            formats: Default::default(),
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &format!("{name}.json"), &options)));
        match outcome {
            Ok(Ok(crate_files)) => {
                let mut files = crate_files.files;
                // The document beside its crate, to keep as a fixture when
                // the crate fails to build.
                files.push(("document.json".to_string(), text.clone()));
                generated.push((name, files));
            }
            Ok(Err(generator::Failure::Invalid(diags))) => {
                if let Some(d) = diags.items.iter().find(|d| d.pointer.is_empty() || !d.pointer.starts_with('#')) {
                    failures.push((case, format!("a refusal that says no place: {}", d.message), text.clone()));
                }
                refused += 1;
            }
            Ok(Err(generator::Failure::Internal(err))) => failures.push((case, format!("invalid Rust: {err}"), text)),
            Err(_) => failures.push((case, "the generator panicked".to_string(), text)),
        }
    }
    let _ = std::fs::remove_file(found.join("current.json"));
    println!(
        "fuzz: {cases} documents (seed {seed:#x}) in {:.1} s: {} generated, {refused} refused with their places, {} failed",
        started.elapsed().as_secs_f64(),
        generated.len(),
        failures.len()
    );
    for (case, why, text) in &failures {
        let file = found.join(format!("case-{case}.json"));
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
        println!("fuzz: case {case}: {why} ({})", file.display());
    }
    if !failures.is_empty() {
        return Err(format!("{} fuzzed document(s) failed; they are in {}", failures.len(), found.display()));
    }
    if compile > 0 {
        compile_batch(&root, &generated, compile)?;
    }
    Ok(())
}

/// Checks `count` of the generated crates, spread over the run, clippy-clean.
fn compile_batch(root: &Path, generated: &[(String, Vec<(String, String)>)], count: usize) -> Result<(), String> {
    let dir = root.join("target/fuzz");
    let workspace = dir.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    let step = (generated.len() / count.max(1)).max(1);
    let chosen: Vec<&(String, Vec<(String, String)>)> = generated.iter().step_by(step).take(count).collect();
    for (name, files) in &chosen {
        for (path, contents) in files {
            let path = workspace.join(name).join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(&workspace)).map_err(|e| e.to_string())?;
            std::fs::write(&path, contents).map_err(|e| e.to_string())?;
        }
    }
    let members: Vec<String> = chosen.iter().map(|(name, _)| name.clone()).collect();
    scratch_workspace(root, &workspace, &members)?;
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["clippy", "--offline", "--workspace", "--all-targets", "--", "-D", "warnings"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("fuzzed crates are not clippy-clean ({status}); they are in {}", workspace.display()));
    }
    println!("fuzz: {} generated crates clippy-clean in {:.0} s", chosen.len(), started.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn documents_are_seeded_and_hold_every_construct() {
        assert_eq!(super::document(7, 3), super::document(7, 3));
        assert_ne!(super::document(7, 3), super::document(7, 4));
        let texts: Vec<String> = (0..200).map(|case| super::document(0x0A0A_5EED, case).to_string()).collect();
        let somewhere = |needle: &str| texts.iter().any(|t| t.contains(needle));
        for construct in [
            "\"allOf\"",
            "\"oneOf\"",
            "\"anyOf\"",
            "\"discriminator\"",
            "\"$ref\":\"#/paths/",
            "%7B",
            "\"clientCredentials\"",
            "\"openIdConnect\"",
            "\"scheme\":\"basic\"",
            "\"in\":\"cookie\"",
            "\"deepObject\"",
            "multipart/form-data",
            "text/event-stream",
            "\"3.1.0\"",
            "\"security\":[]",
        ] {
            assert!(somewhere(construct), "no document holds {construct}");
        }
    }
}
