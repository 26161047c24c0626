//! The generator never panics and never depends on key order:
//! - documents whose maps are reordered give byte-identical output;
//! - mutated documents (keys dropped, values retyped, subtrees duplicated,
//!   `$ref`s pointed elsewhere) give output or diagnostics, never a panic
//!   and never code that fails to render.
//!
//! The mutation count is bounded for the normal run; set
//! `GENERATOR_MUTATION_CASES` for a longer one, e.g.
//! `GENERATOR_MUTATION_CASES=20000 cargo test --release -p tests --test robustness`.

use generator::{load, Failure};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use tests::{options_for, read, repo_root, resolves, upstream_specs, yaml_files};

/// Reverses every ordered map openapiv3 keeps, deep into schemas.
fn reverse_schema(schema: &mut Schema) {
    let props = match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&mut o.properties),
        SchemaKind::Any(a) => Some(&mut a.properties),
        _ => None,
    };
    if let Some(props) = props {
        props.reverse();
        for p in props.values_mut() {
            if let ReferenceOr::Item(s) = p {
                reverse_schema(s);
            }
        }
    }
}

fn shuffled_output(text: &str, name: &str, reverse: bool) -> Vec<(String, String)> {
    let mut diags = generator::Diagnostics::new(name);
    let mut loaded = load::load(text, name, &mut diags).expect("loads");
    if reverse {
        let doc = &mut loaded.doc;
        doc.paths.paths.reverse();
        if let Some(components) = &mut doc.components {
            components.schemas.reverse();
            components.security_schemes.reverse();
            components.parameters.reverse();
            components.responses.reverse();
            for schema in components.schemas.values_mut() {
                if let ReferenceOr::Item(s) = schema {
                    reverse_schema(s);
                }
            }
        }
        for item in doc.paths.paths.values_mut() {
            if let ReferenceOr::Item(item) = item {
                item.parameters.reverse();
                let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
                for op in ops.into_iter().flatten() {
                    op.parameters.reverse();
                    op.responses.responses.reverse();
                }
            }
        }
    }
    // The same steps `generate` runs after loading.
    match generator::generate_loaded(&loaded, diags, &options_for(name, "x")) {
        Ok(generated) => generated.files,
        Err(failure) => panic!("{name}: {failure}"),
    }
}

#[test]
fn reordering_the_document_does_not_change_the_output() {
    let mut specs = vec![repo_root().join("openapi/autotune.yaml")];
    specs.extend(yaml_files(&repo_root().join("tests/fixtures/constructs")));
    specs.extend(upstream_specs().into_iter().map(|(_, p)| p));
    for path in specs {
        let text = read(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let forward = shuffled_output(&text, &name, false);
        let backward = shuffled_output(&text, &name, true);
        for ((path_a, a), (path_b, b)) in forward.iter().zip(&backward) {
            assert_eq!(path_a, path_b);
            assert!(a == b, "{name}: {path_a} depends on key order");
        }
    }
}

/// xorshift64*: a small deterministic generator, so every run mutates alike.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// JSON pointers of every value in the document.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn mutate(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    let other = all[rng.below(all.len())].clone();
    let replacement = match rng.below(6) {
        0 => Value::Null,
        1 => Value::from("text"),
        2 => Value::from(-1),
        3 => Value::Array(vec![]),
        4 => serde_json::json!({"$ref": format!("#{other}")}),
        _ => doc.pointer(&other).cloned().unwrap_or(Value::Null),
    };
    match rng.below(3) {
        // Drop the key.
        0 if !target.is_empty() => {
            let (parent, key) = target.rsplit_once('/').unwrap();
            let key = key.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        // Retype, duplicate or re-point the value.
        _ => {
            if let Some(slot) = doc.pointer_mut(&target) {
                *slot = replacement;
            }
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let cases: usize = std::env::var("GENERATOR_MUTATION_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let mut seeds: Vec<(String, Value)> = Vec::new();
    let mut sources = vec![repo_root().join("openapi/autotune.yaml")];
    sources.extend(yaml_files(&repo_root().join("tests/fixtures/constructs")));
    for path in sources {
        let mut diags = generator::Diagnostics::new("seed");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // As written (before 3.1 documents are rewritten), so mutations
        // reach every construct.
        let raw = load::parse_text(&read(&path), &name, &mut diags).expect("seed parses");
        seeds.push((name, raw));
    }
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let (mut generated, mut refused) = (0, 0);
    for case in 0..cases {
        let (name, seed) = &seeds[case % seeds.len()];
        let mut doc = seed.clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut doc, &mut rng);
        }
        let text = serde_json::to_string(&doc).unwrap();
        // To find the case that brings a process down (a stack overflow
        // cannot be caught), `ROBUSTNESS_DUMP=FILE` keeps each mutant there.
        if let Some(dump) = std::env::var_os("ROBUSTNESS_DUMP") {
            std::fs::write(dump, &text).unwrap();
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            generator::generate(&text, "mutant.json", &options_for("mutant.json", "m"))
        }));
        match outcome {
            Ok(Ok(crate_files)) => {
                assert_is_a_crate(&crate_files, case, name);
                generated += 1;
            }
            Ok(Err(Failure::Invalid(diags))) => {
                assert_refusal_says_where(&diags, &doc, case, name);
                refused += 1;
            }
            Ok(Err(Failure::Internal(err))) => panic!("case {case} ({name}): emitted invalid Rust:\n{err}\n{text}"),
            Err(_) => panic!("case {case} ({name}): the generator panicked on:\n{text}"),
        }
    }
    println!("{cases} mutated documents: {generated} generated, {refused} refused with diagnostics");
    // About 30 % of these mutants generate (the rest break the document
    // model); far fewer would mean the generator refuses what it should
    // take, none refused that the mutations miss what is checked.
    assert!(refused > 0, "no mutation was refused: the mutations do not reach what is validated");
    assert!(generated * 6 > cases, "only {generated} of {cases} mutated documents generated");
}

/// A generated crate has its library, client and manifest, and counts the
/// operations it emitted.
fn assert_is_a_crate(generated: &generator::Generated, case: usize, name: &str) {
    for file in ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/types.rs", "src/runtime/mod.rs"] {
        assert!(generated.files.iter().any(|(path, _)| path == file), "case {case} ({name}): no {file}");
    }
    let client = &generated.files.iter().find(|(path, _)| path == "src/client.rs").unwrap().1;
    let builders = client.matches("#[must_use = \"a request does nothing").count();
    assert_eq!(builders, generated.stats.operations, "case {case} ({name}): request builders against the count");
}

/// A refusal has at least one error, and each error points into the
/// document: at a value it has, or at a missing key of an object it has.
fn assert_refusal_says_where(diags: &generator::Diagnostics, doc: &Value, case: usize, name: &str) {
    let errors: Vec<_> = diags.items.iter().filter(|d| d.severity == generator::Severity::Error).collect();
    assert!(!errors.is_empty(), "case {case} ({name}): refused without an error:\n{diags}");
    for d in errors {
        let pointer =
            d.pointer.strip_prefix('#').unwrap_or_else(|| panic!("case {case}: `{}` is no pointer", d.pointer));
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        let found = resolves(doc, pointer) || resolves(doc, parent);
        assert!(found, "case {case} ({name}): `{}` is nowhere in the document: {}", d.pointer, d.message);
    }
}
