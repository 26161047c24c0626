//! `cargo xtask parity`: the generated types' JSON decoding, held against
//! serde's derive. For each document (our decoding fixture, and fuzzed
//! documents we did not choose) it generates the crate, and from the same
//! IR a *twin* of every type with `#[derive(Deserialize, Serialize)]`; then
//! JSON made from the schemas and mutated (members missing, null, of the
//! wrong type, repeated, unknown; numbers at and past every limit; escapes
//! and surrogates; deep nesting; unknown tags) is decoded three ways: by
//! the twin, by the crate's one-pass decoder, and by the crate's public
//! `Deserialize`. All three must give the same value (compared as their
//! serialized JSON) or all fail. `--arbitrary-precision` builds the crates
//! with `serde_json/arbitrary_precision`, as a dependency elsewhere in a
//! user's build can turn it on.
//!
//! The twins' structs refuse an array, as ours do (serde_json lets a
//! derived struct be read from an array of its fields in order; an object
//! schema's value is an object), and read the members they do not name
//! from the object's text rather than through `#[serde(flatten)]`, which
//! buffers values in a way that changes what they accept (unions,
//! nesting); unions try each variant's derive on the union's text.

use crate::codegen::{scratch_workspace, workspace_root};
use crate::fuzz::Rng;
use generator::ir::{Api, Format, Presence, SkipSerializing, TypeKind, TypeRef, Wrapper};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const USAGE: &str = "cargo xtask parity [--cases N] [--fuzzed K] [--seed S] [--arbitrary-precision]";

pub fn run(args: &[String]) -> Result<(), String> {
    let number = |flag: &str, default: u64| -> Result<u64, String> {
        match crate::flag(args, flag) {
            Some(value) => value.parse().map_err(|_| format!("{flag} takes a number\nusage: {USAGE}")),
            None => Ok(default),
        }
    };
    let per_type = number("--cases", 60)? as usize;
    let fuzzed = number("--fuzzed", 6)? as usize;
    let seed = number("--seed", 0x5EED_DEC0)?;
    let precise = args.iter().any(|a| a == "--arbitrary-precision");
    let root = workspace_root();
    let dir = root.join("target/parity");
    let workspace = dir.join(if precise { "precise" } else { "plain" });
    let _ = std::fs::remove_dir_all(&workspace);
    let mut documents = vec![(
        "decoding".to_string(),
        std::fs::read_to_string(root.join("tests/fixtures/parity/decoding.yaml")).map_err(|e| e.to_string())?,
        "decoding.yaml".to_string(),
    )];
    let mut case = 0;
    while documents.len() < fuzzed + 1 && case < fuzzed * 20 {
        let doc = crate::fuzz::document(seed, case);
        case += 1;
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        if generator::lower_document(&text, "fuzzed.json").is_ok_and(|api| !api.types.is_empty()) {
            documents.push((format!("fuzzed-{}", case - 1), text, "fuzzed.json".to_string()));
        }
    }
    let mut members = Vec::new();
    let mut features = Vec::new();
    let mut total_cases = 0;
    for (index, (name, text, file)) in documents.iter().enumerate() {
        let options = generator::CrateOptions {
            crate_name: format!("parity-{name}"),
            spec_label: file.clone(),
            command: "cargo xtask parity".into(),
            examples: false,
            strict: false,
            selection: generator::Selection::default(),
            overlays: Vec::new(),
            formats: Default::default(),
        };
        let generated = generator::generate(text, file, &options).map_err(|e| format!("{name}: {e:?}"))?;
        let api = generator::lower_document(text, file).map_err(|e| format!("{name}: {e:?}"))?;
        let crate_dir = workspace.join(name);
        for (path, contents) in &generated.files {
            let path = crate_dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(&crate_dir)).map_err(|e| e.to_string())?;
            let contents = match path.file_name().and_then(|n| n.to_str()) {
                Some("lib.rs") => format!("{contents}\n#[cfg(test)]\nmod twins;\n#[cfg(test)]\nmod parity;\n"),
                Some("Cargo.toml") => with_test_json(contents, precise),
                _ => contents.clone(),
            };
            std::fs::write(&path, contents).map_err(|e| e.to_string())?;
        }
        std::fs::write(crate_dir.join("src/twins.rs"), twins(&api)).map_err(|e| e.to_string())?;
        std::fs::write(crate_dir.join("src/parity.rs"), harness(&api)).map_err(|e| e.to_string())?;
        let cases = cases(&api, seed ^ index as u64, per_type);
        total_cases += cases.len();
        let lines: String = cases.iter().map(|c| serde_json::to_string(c).expect("strings") + "\n").collect();
        std::fs::write(crate_dir.join("cases.jsonl"), lines).map_err(|e| e.to_string())?;
        members.push(name.clone());
        features.push(format!("parity-{name}/full-serde"));
        for feature in &api.crate_shape.features {
            features.push(format!("parity-{name}/{}", feature.name));
        }
        if api.crate_shape.unreferenced_schemas > 0 && !api.crate_shape.features.is_empty() {
            features.push(format!("parity-{name}/unreferenced-schemas"));
        }
    }
    scratch_workspace(&root, &workspace, &members)?;
    println!(
        "parity: {} documents, {total_cases} cases{}",
        documents.len(),
        if precise { ", serde_json/arbitrary_precision on" } else { "" }
    );
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["test", "--offline", "--quiet", "--workspace", "--lib", "--no-default-features", "--features"])
        .arg(features.join(","))
        .args(["parity::"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the parity crates did not build or run ({status}); they are in {}", workspace.display()));
    }
    summarize(&workspace, &documents, started)
}

/// The crate's manifest, with the `serde_json` features the harness needs
/// (`raw_value` for the twins' unions) and, when asked, `arbitrary_precision`.
fn with_test_json(manifest: &str, precise: bool) -> String {
    let features = if precise { r#"["raw_value", "arbitrary_precision"]"# } else { r#"["raw_value"]"# };
    let dev = format!("serde_json = {{ version = \"1\", features = {features} }}\n");
    match manifest.find("[dev-dependencies]\n") {
        Some(at) => {
            let end = at + "[dev-dependencies]\n".len();
            format!("{}{dev}{}", &manifest[..end], &manifest[end..])
        }
        None => format!("{manifest}\n[dev-dependencies]\n{dev}"),
    }
}

/// Reads every crate's report: counts, the allowed differences, and each
/// disagreement (an error).
fn summarize(workspace: &Path, documents: &[(String, String, String)], started: Instant) -> Result<(), String> {
    let (mut agree_ok, mut agree_err, mut disagreements) = (0, 0, Vec::new());
    for (name, _, _) in documents {
        let report = std::fs::read_to_string(workspace.join(name).join("report.jsonl"))
            .map_err(|e| format!("{name}: no report ({e})"))?;
        for line in report.lines() {
            let row: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            let outcome = |key: &str| -> Result<String, String> {
                match (&row[key]["ok"], &row[key]["err"]) {
                    (value, serde_json::Value::Null) => Ok(value.as_str().unwrap_or_default().to_string()),
                    (_, err) => Err(err.as_str().unwrap_or_default().to_string()),
                }
            };
            let (derive, direct, public) = (outcome("derive"), outcome("direct"), outcome("public"));
            let same = |a: &Result<String, String>, b: &Result<String, String>| match (a, b) {
                (Ok(a), Ok(b)) => a == b,
                (Err(_), Err(_)) => true,
                _ => false,
            };
            if same(&derive, &direct) && same(&derive, &public) {
                if derive.is_ok() {
                    agree_ok += 1;
                } else {
                    agree_err += 1;
                }
                continue;
            }
            disagreements.push(format!(
                "{name} {}: {}\n    derive: {derive:?}\n    direct: {direct:?}\n    public: {public:?}",
                row["type"].as_str().unwrap_or_default(),
                row["text"].as_str().unwrap_or_default().chars().take(300).collect::<String>(),
            ));
        }
    }
    println!(
        "parity: {} agreed ({agree_ok} decoded alike, {agree_err} refused by all three), {} disagreed, in {:.0} s",
        agree_ok + agree_err,
        disagreements.len(),
        started.elapsed().as_secs_f64()
    );
    for line in disagreements.iter().take(20) {
        println!("parity: disagreement in {line}");
    }
    if disagreements.is_empty() {
        Ok(())
    } else {
        Err(format!("{} case(s) decoded differently from serde's derive", disagreements.len()))
    }
}

// ---------------------------------------------------------------------------
// The twins: the same types, with serde's derive.

/// A twin's Rust type for a type reference (paths spelled in full: the
/// document's names may be `Box`, `Vec`, `Option`…).
fn twin_type(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api.types[id.0].name.clone(),
        TypeRef::String | TypeRef::Binary => "::std::string::String".into(),
        TypeRef::Formatted(Format::Uuid) => "::uuid::Uuid".into(),
        TypeRef::Formatted(Format::Ipv4) => "::std::net::Ipv4Addr".into(),
        TypeRef::Formatted(Format::Ipv6) => "::std::net::Ipv6Addr".into(),
        // The crate's own types, through their `Deserialize`.
        TypeRef::Formatted(Format::DateTime) => "crate::DateTime".into(),
        TypeRef::Formatted(Format::Date) => "crate::Date".into(),
        TypeRef::Integer(width) => width.rust_name().into(),
        TypeRef::Number(width) => format!("{width:?}").to_lowercase(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Json => "::serde_json::Value".into(),
        TypeRef::JsonObject => "::serde_json::Map<::std::string::String, ::serde_json::Value>".into(),
        TypeRef::List(inner) => format!("::std::vec::Vec<{}>", twin_type(api, inner)),
        TypeRef::Map(inner) => {
            format!("::std::collections::BTreeMap<::std::string::String, {}>", twin_type(api, inner))
        }
        TypeRef::Nullable(inner) => format!("::std::option::Option<{}>", twin_type(api, inner)),
    }
}

/// `src/twins.rs`: every type of the crate, derived.
fn twins(api: &Api) -> String {
    let mut out = String::from(
        "//! The crate's types with serde's derive, for the parity test.\n#![allow(dead_code, clippy::all)]\n\n\
         /// A present `null` (`Some(None)`) apart from an absent member (`None`).\n\
         fn nullable<'de, D: ::serde::Deserializer<'de>, T: ::serde::Deserialize<'de>>(d: D) -> \
         ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error> {\n    \
         <::std::option::Option<T> as ::serde::Deserialize>::deserialize(d).map(::std::option::Option::Some)\n}\n\n\
         /// An object's members in order, each value's text (a repeated key stays repeated).\n\
         struct Pairs(::std::vec::Vec<(::std::string::String, ::std::boxed::Box<::serde_json::value::RawValue>)>);\n\n\
         impl<'de> ::serde::Deserialize<'de> for Pairs {\n    \
         fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {\n        \
         struct V;\n        \
         impl<'de> ::serde::de::Visitor<'de> for V {\n            \
         type Value = Pairs;\n            \
         fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {\n                f.write_str(\"an object\")\n            }\n            \
         fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<Pairs, A::Error> {\n                \
         let mut pairs = ::std::vec::Vec::new();\n                \
         while let ::std::option::Option::Some(pair) = map.next_entry()? {\n                    pairs.push(pair);\n                }\n                \
         ::std::result::Result::Ok(Pairs(pairs))\n            }\n        }\n        \
         d.deserialize_map(V)\n    }\n}\n\n",
    );
    for def in &api.types {
        let name = &def.name;
        match &def.kind {
            TypeKind::Struct(s) => {
                // The fields, derived; the struct around them reads the
                // object's text once for them and once for the members
                // they do not name (serde's `flatten` would buffer the
                // value in a way that changes what the fields accept).
                let _ = writeln!(
                    out,
                    "#[derive(Debug, ::serde::Deserialize, ::serde::Serialize)]\npub struct {name}Fields {{"
                );
                for (i, f) in s.fields.iter().enumerate() {
                    let inner = twin_type(api, &f.ty);
                    let inner = if f.repr.boxed { format!("::std::boxed::Box<{inner}>") } else { inner };
                    let wire = serde_json::to_string(&f.wire_name).expect("a string");
                    let skip = match f.repr.serde.skip {
                        SkipSerializing::Never => String::new(),
                        SkipSerializing::IfNone | SkipSerializing::IfAbsent => {
                            ", skip_serializing_if = \"::std::option::Option::is_none\"".into()
                        }
                        SkipSerializing::Always => ", skip_serializing".into(),
                    };
                    let (ty, extra) = match f.repr.wrapper {
                        Wrapper::Plain => (inner, String::new()),
                        Wrapper::Option => (format!("::std::option::Option<{inner}>"), String::new()),
                        Wrapper::Nullable => (
                            format!("::std::option::Option<::std::option::Option<{inner}>>"),
                            ", default, deserialize_with = \"nullable\"".into(),
                        ),
                    };
                    let _ = writeln!(out, "    #[serde(rename = {wire}{extra}{skip})]\n    pub f{i}: {ty},");
                }
                out.push_str("}\n\n");
                let rest_ty = s.additional.as_ref().map(|a| twin_type(api, &a.ty));
                let _ = writeln!(
                    out,
                    "#[derive(Debug, ::serde::Serialize)]\npub struct {name} {{\n    #[serde(flatten)]\n    pub fields: {name}Fields,"
                );
                if let Some(ty) = &rest_ty {
                    let _ = writeln!(
                        out,
                        "    #[serde(flatten)]\n    pub rest: ::std::collections::BTreeMap<::std::string::String, {ty}>,"
                    );
                }
                out.push_str("}\n\n");
                let rest = match &rest_ty {
                    Some(ty) => {
                        let known: Vec<String> =
                            s.fields.iter().map(|f| serde_json::to_string(&f.wire_name).expect("a string")).collect();
                        format!(
                            "        let mut rest = ::std::collections::BTreeMap::new();\n        \
                             for (key, value) in ::serde_json::from_str::<Pairs>(raw.get()).map_err(<D::Error as ::serde::de::Error>::custom)?.0 {{\n            \
                             if ![{}].contains(&key.as_str()) {{\n                \
                             rest.insert(key, ::serde_json::from_str::<{ty}>(value.get()).map_err(<D::Error as ::serde::de::Error>::custom)?);\n            }}\n        }}\n        \
                             ::std::result::Result::Ok(Self {{ fields, rest }})\n",
                            known.join(", ")
                        )
                    }
                    None => "        ::std::result::Result::Ok(Self { fields })\n".to_string(),
                };
                let _ = writeln!(
                    out,
                    "impl<'de> ::serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {{\n        \
                     let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(d)?;\n        \
                     if raw.get().starts_with('[') {{\n            \
                     return ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(\"invalid type: sequence, expected struct {name}\"));\n        }}\n        \
                     let fields = ::serde_json::from_str::<{name}Fields>(raw.get()).map_err(<D::Error as ::serde::de::Error>::custom)?;\n{rest}    }}\n}}\n"
                );
            }
            TypeKind::Enum(_) => {
                // Every string decodes: the known values and any other.
                let _ = writeln!(
                    out,
                    "#[derive(Debug, ::serde::Deserialize, ::serde::Serialize)]\n#[serde(transparent)]\npub struct {name}(pub ::std::string::String);\n"
                );
            }
            TypeKind::Union(u) => {
                let types: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| {
                        let ty = twin_type(api, &v.ty);
                        if v.boxed {
                            format!("::std::boxed::Box<{ty}>")
                        } else {
                            ty
                        }
                    })
                    .collect();
                let _ = writeln!(out, "#[derive(Debug, ::serde::Serialize)]\n#[serde(untagged)]\npub enum {name} {{");
                for (i, ty) in types.iter().enumerate() {
                    let _ = writeln!(out, "    V{i}({ty}),");
                }
                if u.discriminator.is_some() {
                    out.push_str("    Unknown(::serde_json::Value),\n");
                }
                out.push_str("}\n\n");
                // Each variant decoded by its own derive, from the union's
                // text (serde's untagged enums buffer numbers in a way that
                // `arbitrary_precision` breaks, which is serde's bug to fix,
                // not a difference to measure).
                let body = match &u.discriminator {
                    None => {
                        let mut body = String::new();
                        for (i, ty) in types.iter().enumerate() {
                            let _ = writeln!(
                                body,
                                "        if let ::std::result::Result::Ok(v) = ::serde_json::from_str::<{ty}>(raw.get()) {{ return ::std::result::Result::Ok(Self::V{i}(v)); }}"
                            );
                        }
                        body.push_str("        ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(\"no variant fits\"))\n");
                        body
                    }
                    Some(property) => {
                        let property = serde_json::to_string(property).expect("a string");
                        let mut body = format!(
                            "        #[derive(::serde::Deserialize)]\n        struct Tag {{ #[serde(rename = {property})] tag: ::std::string::String }}\n        \
                             let tag = ::serde_json::from_str::<Tag>(raw.get()).map_err(<D::Error as ::serde::de::Error>::custom)?.tag;\n        \
                             match tag.as_str() {{\n"
                        );
                        for (i, (v, ty)) in u.variants.iter().zip(&types).enumerate() {
                            let tags: Vec<String> =
                                v.tags.iter().map(|t| serde_json::to_string(t).expect("a string")).collect();
                            let _ = writeln!(
                                body,
                                "            {} => ::serde_json::from_str::<{ty}>(raw.get()).map(Self::V{i}).map_err(<D::Error as ::serde::de::Error>::custom),",
                                tags.join(" | ")
                            );
                        }
                        body.push_str("            _ => ::serde_json::from_str(raw.get()).map(Self::Unknown).map_err(<D::Error as ::serde::de::Error>::custom),\n        }\n");
                        body
                    }
                };
                let _ = writeln!(
                    out,
                    "impl<'de> ::serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {{\n        \
                     let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(d)?;\n{body}    }}\n}}\n"
                );
            }
            TypeKind::Alias(ty) => {
                let _ = writeln!(out, "pub type {name} = {};\n", twin_type(api, ty));
            }
        }
    }
    out
}

/// `src/parity.rs`: decodes each case three ways and writes the outcomes.
fn harness(api: &Api) -> String {
    let arms: String = api
        .types
        .iter()
        .map(|def| {
            let name = &def.name;
            format!("            {:?} => three::<crate::types::{name}, super::twins::{name}>(&text),\n", name)
        })
        .collect();
    format!(
        r#"//! The parity test's harness: each case decoded by the twin (serde's
//! derive), by the one-pass decoder and by the public `Deserialize`.

use serde::{{de::DeserializeOwned, Serialize}};

fn outcome<T: Serialize, E: std::fmt::Display>(result: Result<T, E>) -> serde_json::Value {{
    match result {{
        // As text: with `arbitrary_precision` a value can hold numbers
        // (`1e400`) the reader of the report could not parse.
        Ok(value) => serde_json::json!({{ "ok": serde_json::to_value(value).expect("serializes").to_string() }}),
        Err(err) => serde_json::json!({{ "err": err.to_string() }}),
    }}
}}

fn three<O, T>(text: &str) -> [serde_json::Value; 3]
where
    O: crate::runtime::FromJson + DeserializeOwned + Serialize,
    T: DeserializeOwned + Serialize,
{{
    [
        outcome(serde_json::from_str::<T>(text)),
        outcome(crate::runtime::Reader::read_all::<O>(text.as_bytes())),
        outcome(serde_json::from_str::<O>(text)),
    ]
}}

#[test]
fn parity() {{
    let dir = env!("CARGO_MANIFEST_DIR");
    let cases = std::fs::read_to_string(format!("{{dir}}/cases.jsonl")).expect("the cases");
    let mut report = String::new();
    for line in cases.lines() {{
        let (ty, text): (String, String) = serde_json::from_str(line).expect("a case");
        let [derive, direct, public] = match ty.as_str() {{
{arms}            other => panic!("no type {{other}}"),
        }};
        let row = serde_json::json!({{ "type": ty, "text": text, "derive": derive, "direct": direct, "public": public }});
        report.push_str(&row.to_string());
        report.push('\n');
    }}
    std::fs::write(format!("{{dir}}/report.jsonl"), report).expect("the report");
}}
"#
    )
}

// ---------------------------------------------------------------------------
// The cases: JSON made from the schemas, then mutated.

/// A JSON value as text will be written: numbers and odd strings raw,
/// objects as member lists (so a key can repeat).
#[derive(Debug, Clone)]
enum J {
    Raw(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn write(&self, out: &mut String) {
        match self {
            J::Raw(text) => out.push_str(text),
            J::Str(text) => out.push_str(&serde_json::to_string(text).expect("a string")),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(key).expect("a string"));
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// Every node, by its path of child indexes.
    fn paths(&self, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(at.clone());
        let children: Vec<&J> = match self {
            J::Arr(items) => items.iter().collect(),
            J::Obj(members) => members.iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        };
        for (i, child) in children.into_iter().enumerate() {
            at.push(i);
            child.paths(at, out);
            at.pop();
        }
    }

    fn at_mut(&mut self, path: &[usize]) -> &mut J {
        match (path.split_first(), self) {
            (None, node) => node,
            (Some((i, rest)), J::Arr(items)) => items[*i].at_mut(rest),
            (Some((i, rest)), J::Obj(members)) => members[*i].1.at_mut(rest),
            (Some(_), node) => node,
        }
    }
}

/// Date-times as RFC 3339 writes them, as servers write them instead, and
/// near misses.
const DATE_TIMES: &[&str] = &[
    "2024-06-01T12:00:00Z",
    "2024-06-01T12:00:00.123456789123+02:00",
    "2024-06-01t12:00:00z",
    "2024-06-01 12:00:00",
    "2024-06-01T12:00Z",
    "2024-06-01T12:00:00+0530",
    "2024-06-01T12:00:00-00:00",
    "2024-02-29T23:59:60Z",
    "2023-02-29T12:00:00Z",
    "2024-06-01T24:00:00Z",
    "2024-06-01T12:00:00+24:00",
    "2024-06-01",
    "2024-06-01T12:00:00.Z",
    "24-06-01T12:00:00Z",
];
/// Dates, and near misses.
const DATES: &[&str] = &[
    "2024-06-01",
    "0000-01-01",
    "9999-12-31",
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-6-1",
    "2024-06-01T00:00:00Z",
];
/// The forms a UUID is written in, and near misses.
const UUIDS: &[&str] = &[
    "67e55044-10b1-426f-9247-bb680e5fe0c8",
    "67E55044-10B1-426F-9247-BB680E5FE0C8",
    "00000000-0000-0000-0000-000000000000",
    "67e5504410b1426f9247bb680e5fe0c8",
    "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
    "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
    "67e55044-10b1-426f-9247-bb680e5fe0c",
    "67e55044-10b1-426f-9247-bb680e5fe0cg",
    "67e55044_10b1_426f_9247_bb680e5fe0c8",
];
/// IPv4 addresses and near misses (leading zeros, out of range, short).
const IPV4S: &[&str] =
    &["127.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4 ", "::1"];
/// IPv6 addresses and near misses.
const IPV6S: &[&str] =
    &["::1", "::", "2001:db8::1", "::ffff:192.0.2.1", "2001:DB8::1", "1::2::3", "fe80::1%eth0", "1.2.3.4"];
const STRINGS: &[&str] = &["", "a", "é", "ünï", "with space", "\u{1F600}", "quote \" and \\", "line\nbreak", "\u{0}"];
const RAW_STRINGS: &[&str] = &[
    r#""\u0061\u00e9""#,
    r#""\ud83d\ude00""#,
    r#""\ud800""#,
    r#""\udc00x""#,
    r#""\/\b\f\n\r\t""#,
    r#""\x""#,
    "\"\u{1}\"",
    r#""\u12""#,
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "-0",
    "0.5",
    "-0.0",
    "1.0",
    "1e2",
    "1E+2",
    "2e-3",
    "0.1",
    "0.30000000000000004",
    "123456789012345678901234567890",
    "9007199254740993",
    "1e308",
    "1e309",
    "4.9e-324",
    "1e-400",
    "2.2250738585072011e-308",
    "1.7976931348623157e308",
    "3.4028235e38",
    "3.5e38",
    "127",
    "128",
    "-128",
    "-129",
    "255",
    "256",
    "32767",
    "32768",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "01",
    "1.",
    ".5",
    "+1",
    "-",
];
const WRONG: &[&str] = &["\"text\"", "7", "-2", "1.5", "true", "false", "null", "[]", "{}", "[1,\"a\"]", "{\"k\":1}"];
const KEYS: &[&str] = &["x", "", "é", "a.b", "key with space", "id", "kind", "type", "value"];

/// `per_type` cases for each type of the document: `(type name, text)`.
fn cases(api: &Api, seed: u64, per_type: usize) -> Vec<(String, String)> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        for case in 0..per_type {
            let ty = TypeRef::Named(generator::ir::TypeId(index));
            let mut value = sample(api, &ty, 0, &mut rng);
            // A fifth as generated; the rest mutated once or twice.
            if case % 5 != 0 {
                for _ in 0..1 + rng.below(2) {
                    mutate(api, &mut value, &mut rng);
                }
            }
            let mut text = String::new();
            value.write(&mut text);
            match rng.below(40) {
                0 => text.push_str(" x"),
                1 => {
                    let mut at = rng.below(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    text.truncate(at);
                }
                2 => text = format!(" \n{text}\t "),
                _ => {}
            }
            out.push((def.name.clone(), text));
        }
    }
    out
}

/// A value the type accepts (mostly: its numbers and strings come from the
/// edge lists).
fn sample(api: &Api, ty: &TypeRef, depth: usize, rng: &mut Rng) -> J {
    if depth > 24 {
        return J::Raw("null".into());
    }
    let shallow = depth < 5;
    match ty {
        TypeRef::String | TypeRef::Binary => {
            if rng.chance(15) {
                J::Raw(rng.pick(RAW_STRINGS).to_string())
            } else {
                J::Str(rng.pick(STRINGS).to_string())
            }
        }
        TypeRef::Integer(width) => {
            if rng.chance(50) {
                let (lo, hi) = width.range();
                J::Raw(rng.pick(&[lo, hi, 0, 1, (-1i128).max(lo), 42.min(hi)]).to_string())
            } else {
                J::Raw(rng.pick(NUMBERS).to_string())
            }
        }
        TypeRef::Formatted(format) => {
            let texts = match format {
                Format::Uuid => UUIDS,
                Format::Ipv4 => IPV4S,
                Format::Ipv6 => IPV6S,
                Format::DateTime => DATE_TIMES,
                Format::Date => DATES,
            };
            if rng.chance(10) {
                J::Str(rng.pick(STRINGS).to_string())
            } else {
                J::Str(rng.pick(texts).to_string())
            }
        }
        TypeRef::Number(_) => J::Raw(rng.pick(NUMBERS).to_string()),
        TypeRef::Boolean => J::Raw(rng.pick(&["true", "false"]).to_string()),
        TypeRef::Json => any(rng, depth),
        TypeRef::JsonObject => {
            J::Obj((0..rng.below(3)).map(|_| (rng.pick(KEYS).to_string(), any(rng, depth + 1))).collect())
        }
        TypeRef::List(inner) => {
            let n = if shallow { rng.below(4) } else { 0 };
            J::Arr((0..n).map(|_| sample(api, inner, depth + 1, rng)).collect())
        }
        TypeRef::Map(inner) => {
            let n = if shallow { rng.below(3) } else { 0 };
            J::Obj((0..n).map(|_| (rng.pick(KEYS).to_string(), sample(api, inner, depth + 1, rng))).collect())
        }
        TypeRef::Nullable(inner) => {
            if rng.chance(25) || !shallow {
                J::Raw("null".into())
            } else {
                sample(api, inner, depth + 1, rng)
            }
        }
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                let mut members = Vec::new();
                for f in &s.fields {
                    let required = matches!(f.presence, Presence::Required | Presence::RequiredNullable);
                    let include = required || (shallow && rng.chance(60));
                    if !include {
                        continue;
                    }
                    let nullable = matches!(f.presence, Presence::RequiredNullable | Presence::OptionalNullable);
                    let value = if nullable && (rng.chance(25) || !shallow) {
                        J::Raw("null".into())
                    } else {
                        sample(api, &f.ty, depth + 1, rng)
                    };
                    members.push((f.wire_name.clone(), value));
                }
                match &s.additional {
                    Some(a) if shallow => {
                        for _ in 0..rng.below(3) {
                            members.push((format!("extra-{}", rng.below(5)), sample(api, &a.ty, depth + 1, rng)));
                        }
                    }
                    _ if rng.chance(20) => members.push(("unknown".into(), any(rng, depth + 1))),
                    _ => {}
                }
                if rng.chance(30) {
                    members.reverse();
                }
                J::Obj(members)
            }
            TypeKind::Enum(e) => {
                if rng.chance(80) && !e.variants.is_empty() {
                    J::Str(rng.pick(&e.variants).wire.clone())
                } else {
                    J::Str("not-listed".into())
                }
            }
            TypeKind::Union(u) => {
                if u.variants.is_empty() {
                    return J::Raw("null".into());
                }
                let variant = rng.pick(&u.variants);
                let mut value = sample(api, &variant.ty, depth + 1, rng);
                if let (Some(property), J::Obj(members)) = (&u.discriminator, &mut value) {
                    let tag = if rng.chance(85) && !variant.tags.is_empty() {
                        rng.pick(&variant.tags).clone()
                    } else {
                        "not-a-tag".to_string()
                    };
                    members.retain(|(k, _)| k != property);
                    members.insert(rng.below(members.len() + 1), (property.clone(), J::Str(tag)));
                }
                value
            }
            TypeKind::Alias(inner) => sample(api, inner, depth, rng),
        },
    }
}

/// Any JSON value, small.
fn any(rng: &mut Rng, depth: usize) -> J {
    match if depth > 4 { rng.below(4) } else { rng.below(6) } {
        0 => J::Raw(rng.pick(NUMBERS[..22].as_ref()).to_string()),
        1 => J::Str(rng.pick(STRINGS).to_string()),
        2 => J::Raw(rng.pick(&["true", "false", "null"]).to_string()),
        3 => J::Raw(rng.pick(RAW_STRINGS[..5].as_ref()).to_string()),
        4 => J::Arr((0..rng.below(3)).map(|_| any(rng, depth + 1)).collect()),
        _ => J::Obj((0..rng.below(3)).map(|_| (rng.pick(KEYS).to_string(), any(rng, depth + 1))).collect()),
    }
}

/// Changes one node of the value.
fn mutate(api: &Api, value: &mut J, rng: &mut Rng) {
    let mut paths = Vec::new();
    value.paths(&mut Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let node = value.at_mut(&path);
    match rng.below(10) {
        0 => {
            if let J::Obj(members) = node {
                if !members.is_empty() {
                    let at = rng.below(members.len());
                    members.remove(at);
                }
            }
        }
        1 => *node = J::Raw("null".into()),
        2 => *node = J::Raw(rng.pick(WRONG).to_string()),
        3 => {
            // A member twice: the same value, or another.
            if let J::Obj(members) = node {
                if let Some((key, value)) = members.get(rng.below(members.len().max(1))).cloned() {
                    let again = if rng.chance(50) { value } else { J::Raw(rng.pick(WRONG).to_string()) };
                    members.push((key, again));
                }
            }
        }
        4 => {
            if let J::Obj(members) = node {
                members.push((rng.pick(KEYS).to_string(), any(rng, 3)));
            }
        }
        5 => *node = J::Raw(rng.pick(NUMBERS).to_string()),
        6 => *node = J::Raw(rng.pick(RAW_STRINGS).to_string()),
        7 => {
            // Deep nesting: well inside serde_json's limit, or far past it.
            let depth = *rng.pick(&[3usize, 20, 200, 3000]);
            let open = if rng.chance(50) { "[" } else { "{\"a\":" };
            let close = if open == "[" { "]" } else { "}" };
            *node = J::Raw(format!("{}1{}", open.repeat(depth), close.repeat(depth)));
        }
        8 => {
            // A tagged union's tag changed or removed.
            if let J::Obj(members) = node {
                let tags: Vec<&String> = api
                    .types
                    .iter()
                    .filter_map(|t| match &t.kind {
                        TypeKind::Union(u) => u.discriminator.as_ref(),
                        _ => None,
                    })
                    .collect();
                if let Some(property) = tags.first() {
                    if rng.chance(50) {
                        members.retain(|(k, _)| k != *property);
                    } else {
                        members.push(((*property).clone(), J::Str("not-a-tag".into())));
                    }
                }
            }
        }
        _ => {
            if let J::Arr(items) = node {
                items.push(J::Raw(rng.pick(WRONG).to_string()));
            } else {
                *node = J::Arr(vec![node.clone()]);
            }
        }
    }
}
