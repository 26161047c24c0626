//! Every crate the generator makes from Statsig's upstream documents (taken
//! unmodified: the three Autotune fragments and the full Console API spec)
//! and from each construct fixture compiles, clippy-clean with
//! `-D warnings` and rustdoc-clean. The crates are written under `target/`
//! (never into the source tree) as one throwaway workspace, and checked with
//! the same `cargo` that runs the tests.
//!
//! The full Console API crate also gets an example program that decodes
//! every response example of the upstream spec into its generated type;
//! the examples that are inconsistent with their own schemas are listed
//! below, each with the reason.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tests::{generate_file, read, repo_root, upstream_specs, yaml_files, ScratchWorkspace};

/// Response examples of the 2025-03-12 Console API spec that do not match
/// their own schema, by `METHOD path status [example name]`, with why.
/// Everything else must decode.
const INCONSISTENT_EXAMPLES: &[(&str, &str)] = &[
    (
        "DELETE /console/v1/dynamic_configs/{id}/rule/name/{ruleName} 200",
        "`data.rules[0].returnValue` is boolean true, but the schema declares a map",
    ),
    (
        "DELETE /console/v1/dynamic_configs/{id}/rule/{ruleId} 200",
        "`data.rules[0].returnValue` is boolean true, but the schema declares a map",
    ),
    ("DELETE /console/v1/experiments/{id} 200", "the body lacks required `data`"),
    ("DELETE /console/v1/experiments/{id}/overrides 200", "the body lacks required `data`"),
    ("DELETE /console/v1/gates/{id}/overrides 201", "the body lacks required `data`"),
    ("DELETE /console/v1/holdouts/{id} 200", "the body lacks required `data`"),
    ("DELETE /console/v1/holdouts/{id}/overrides 200", "the body lacks required `data`"),
    ("DELETE /console/v1/ingestion 200", "the body lacks required `data`"),
    ("GET /console/v1/audit_logs 200", "`data[0].actionType` is string gate_create, but the schema declares a map"),
    ("GET /console/v1/autotunes/{id} 200", "`data.variants[0]` lacks required `id`"),
    ("GET /console/v1/dynamic_configs 200", "the body lacks required `pagination`"),
    ("GET /console/v1/experiments 200", "the body lacks required `pagination`"),
    ("GET /console/v1/experiments/{id}/overrides 200", "`data.overrides[0]` lacks required `id`"),
    ("GET /console/v1/experiments/{id}/pulse_results 200", "`data.primaryMetrics[0]` lacks required `directionality`"),
    ("GET /console/v1/gates/{id}/overrides 201", "`data` lacks required `environmentOverrides`"),
    ("GET /console/v1/gates/{id}/rules 200", "`data` is an object holding `rules`, but the schema declares an array"),
    ("GET /console/v1/gates/{id}/rules/{ruleID}/pulse_results 200", "`data` lacks required `ds`"),
    ("GET /console/v1/holdouts/{id}/overrides 200", "`data` lacks required `environmentOverrides`"),
    ("GET /console/v1/ingestion 200", "`data` lacks required `data`"),
    ("GET /console/v1/ingestion/events/count 200", "the body lacks required `data`"),
    ("GET /console/v1/ingestion/events/delta 200", "the body lacks required `data`"),
    (
        "GET /console/v1/ingestion/status 200",
        "the example is a bare array, but the schema declares the paginated envelope object",
    ),
    ("GET /console/v1/keys 200", "the body lacks required `pagination`"),
    ("GET /console/v1/metrics 200", "the body lacks required `pagination`"),
    ("GET /console/v1/metrics/{id}/experiments 200", "`data[0]` lacks required `allocation`"),
    ("GET /console/v1/release_pipelines 200", "the body lacks required `pagination`"),
    ("GET /console/v1/reports 200", "`data` is an array, but the schema declares one ReportDto object"),
    ("GET /console/v1/segments 200", "`data[0]` lacks required `createdTime`"),
    ("GET /console/v1/segments/{id} 200", "the body lacks required `data`"),
    ("GET /console/v1/segments/{id}/id_list 200", "the body lacks required `pagination`"),
    ("GET /console/v1/tags 200", "the body lacks required `pagination`"),
    ("GET /console/v1/target_app 200", "the body lacks required `pagination`"),
    ("GET /console/v1/target_app/{id} 200", "the body lacks required `data`"),
    ("GET /console/v1/users/teams 200", "`data[0]` lacks required `id`"),
    ("GET /console/v1/users/teams/{id} 200", "`data` lacks required `id`"),
    ("PATCH /console/v1/autotunes/{id} 200", "`data.variants[0]` lacks required `id`"),
    (
        "PATCH /console/v1/dynamic_configs/{id}/rule/name/{ruleName} 200",
        "`data.rules[0].returnValue` is boolean true, but the schema declares a map",
    ),
    (
        "PATCH /console/v1/dynamic_configs/{id}/rule/{ruleId} 200",
        "`data.rules[0].returnValue` is boolean true, but the schema declares a map",
    ),
    (
        "PATCH /console/v1/dynamic_configs/{id}/rules 200",
        "`data.rules[0].returnValue` is boolean true, but the schema declares a map",
    ),
    ("PATCH /console/v1/experiments/{id} 200", "`data` lacks required `createdTime`"),
    ("PATCH /console/v1/experiments/{id}/overrides 200", "the body lacks required `data`"),
    ("PATCH /console/v1/gates/{id}/overrides 201", "the body lacks required `data`"),
    ("PATCH /console/v1/gates/{id}/rules 200", "`data` lacks required `createdTime`"),
    ("PATCH /console/v1/gates/{id}/rules/{ruleID} 200", "`data` lacks required `createdTime`"),
    ("PATCH /console/v1/holdouts/{id}/overrides 200", "`data` lacks required `environmentOverrides`"),
    ("PATCH /console/v1/ingestion 200", "the body lacks required `data`"),
    ("PATCH /console/v1/keys/{id} 200", "`data` lacks required `description`"),
    ("PATCH /console/v1/users/teams/{id} 200", "`data` lacks required `id`"),
    ("POST /console/v1/autotunes 201", "`data.variants[0]` lacks required `id`"),
    ("POST /console/v1/autotunes/{id} 200", "`data.variants[0]` lacks required `id`"),
    ("POST /console/v1/experiments/{id} 200", "`data` lacks required `createdTime`"),
    ("POST /console/v1/experiments/{id}/overrides 200", "the body lacks required `data`"),
    ("POST /console/v1/gates/{id}/overrides 201", "the body lacks required `data`"),
    ("POST /console/v1/holdouts/{id}/overrides 200", "`data` lacks required `environmentOverrides`"),
    ("POST /console/v1/ingestion 200", "the body lacks required `data`"),
    ("POST /console/v1/ingestion/connection/databricks 200", "the body lacks required `data`"),
    ("POST /console/v1/segments 201 [id_list]", "`data` lacks required `createdTime`"),
    ("POST /console/v1/segments 201 [rule_based]", "`data.rules` is map, but the schema declares a sequence"),
    ("POST /console/v1/segments/{id}/conditional 200", "the body lacks required `data`"),
    ("POST /console/v1/target_app 200", "the body lacks required `data`"),
    ("POST /console/v1/users/teams 200", "`data` lacks required `id`"),
    ("PUT /console/v1/segments/{id}/archive 200", "the body lacks required `data`"),
];

/// Writes `examples/decode_examples.rs` into the crate: it decodes each
/// response example into the operation's generated type and prints one
/// `ok <id>` or `fail <id>: <error>` line per example.
fn write_example_check(spec: &Path, crate_dir: &Path, crate_ident: &str) -> usize {
    let text = read(spec);
    let name = spec.file_name().unwrap().to_string_lossy().into_owned();
    let api = generator::lower_document(&text, &name).unwrap_or_else(|d| panic!("{d}"));
    let mut diags = generator::Diagnostics::new(&name);
    let raw = generator::load::load(&text, &name, &mut diags).unwrap().raw;
    let mut examples: BTreeMap<String, Value> = BTreeMap::new();
    let mut arms = String::new();
    for op in &api.operations {
        for response in &op.responses {
            let generator::ir::ResponseBody::Json(ty) = &response.body else { continue };
            let status = match response.status {
                generator::ir::Status::Code(c) => c.to_string(),
                generator::ir::Status::Range(r) => format!("{r}XX"),
                generator::ir::Status::Default => "default".into(),
            };
            let media_at =
                format!("{}/responses/{status}/content/application~1json", op.origin.trim_start_matches('#'));
            let Some(media) = raw.pointer(&media_at) else { continue };
            let label = format!("{} {} {status}", op.method.as_str(), op.path);
            let mut found: Vec<(String, Value)> = Vec::new();
            if let Some(example) = media.get("example") {
                found.push((label.clone(), example.clone()));
            }
            for (key, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
                found.push((format!("{label} [{key}]"), example["value"].clone()));
            }
            let rust = generator::emit::type_path(&api, ty, crate_ident);
            for (id, example) in found {
                arms.push_str(&format!("        {id:?} => check::<{rust}>(value),\n"));
                examples.insert(id, example);
            }
        }
    }
    let program = format!(
        "//! Decodes every response example of the spec into its generated type.\n\
         fn check<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<(), String> {{\n\
             serde_json::from_value::<T>(value).map(|_| ()).map_err(|e| e.to_string())\n\
         }}\n\n\
         fn main() {{\n\
             let all: Vec<(String, serde_json::Value)> = serde_json::from_str(include_str!(\"examples.json\")).unwrap();\n\
             for (id, value) in all {{\n\
                 let outcome = match id.as_str() {{\n{arms}        other => Err(format!(\"no type for {{other}}\")),\n    }};\n\
                 match outcome {{\n\
                     Ok(()) => println!(\"ok {{id}}\"),\n\
                     Err(err) => println!(\"fail {{id}}: {{err}}\"),\n\
                 }}\n\
             }}\n\
         }}\n"
    );
    let dir = crate_dir.join("examples");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("decode_examples.rs"), program).unwrap();
    let list: Vec<(&String, &Value)> = examples.iter().collect();
    std::fs::write(dir.join("examples.json"), serde_json::to_string(&list).unwrap()).unwrap();
    examples.len()
}

#[test]
fn generated_crates_compile_clippy_and_rustdoc_clean() {
    let root = repo_root();
    let mut workspace = ScratchWorkspace::new("compile-check");
    let mut sources: Vec<(String, PathBuf)> =
        upstream_specs().into_iter().map(|(name, path)| (format!("upstream-{name}"), path)).collect();
    for fixture in yaml_files(&root.join("tests/fixtures/constructs")) {
        let name = fixture.file_stem().unwrap().to_string_lossy().replace('_', "-");
        sources.push((format!("construct-{name}"), fixture));
    }
    for (name, path) in &sources {
        let name = name.replace('_', "-");
        workspace.add_crate(&name, &generate_file(path, &name).files);
    }
    workspace.cargo(&["clippy", "--workspace", "--quiet", "--", "-D", "warnings"]);
    workspace.cargo(&["doc", "--workspace", "--no-deps", "--quiet"]);

    // The full spec's response examples, decoded by the generated types.
    let (full_name, full_spec) = sources.iter().find(|(n, _)| n.ends_with("full_console_api")).unwrap();
    let full_name = full_name.replace('_', "-");
    let total = write_example_check(full_spec, &workspace.dir.join(&full_name), &full_name.replace('-', "_"));
    let report = workspace.cargo(&["run", "--quiet", "-p", &full_name, "--example", "decode_examples"]);
    let failures: BTreeMap<&str, &str> =
        report.lines().filter_map(|l| l.strip_prefix("fail ")).filter_map(|l| l.split_once(": ")).collect();
    let ok = report.lines().filter(|l| l.starts_with("ok ")).count();
    assert_eq!(ok + failures.len(), total, "every example was tried:\n{report}");
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|(id, _)| !INCONSISTENT_EXAMPLES.iter().any(|(known, _)| known == *id))
        .map(|(id, err)| format!("{id}: {err}"))
        .collect();
    assert!(unexpected.is_empty(), "examples that do not decode:\n{}", unexpected.join("\n"));
    let fixed: Vec<&str> =
        INCONSISTENT_EXAMPLES.iter().map(|(id, _)| *id).filter(|id| !failures.contains_key(id)).collect();
    assert!(fixed.is_empty(), "listed as inconsistent but now decoding: {fixed:?}");
    println!("{ok} of {total} response examples of the full spec decode; {} listed as inconsistent", failures.len());
}

/// The Autotune crate with each TLS backend and the optional features,
/// clippy-clean: `native-tls` alone (no rustls), and `tracing`, `gzip` and
/// rustls without a built-in crypto provider together.
#[test]
fn generated_crate_builds_with_each_feature() {
    let mut workspace = ScratchWorkspace::new("feature-check");
    workspace.add_crate("statsig-autotune", &tests::autotune_generated().files);
    for features in [
        &["--no-default-features", "--features", "native-tls"][..],
        &["--no-default-features", "--features", "rustls-no-provider,tracing,gzip"][..],
    ] {
        let mut args = vec!["clippy", "--quiet", "-p", "statsig-autotune"];
        args.extend(features);
        args.extend(["--", "-D", "warnings"]);
        workspace.cargo(&args);
    }
}

/// Statsig's full Console API has a cargo feature per tag: with only
/// `autotunes` (9 of 187 operations), or no tag at all, the crate compiles
/// clippy- and rustdoc-clean (the runtime parts it does not call compiled
/// out), has those operations' methods and not the others'; with
/// `full-serde` every type also implements the other serde direction.
#[test]
fn a_single_tag_feature_compiles_only_its_operations() {
    let (_, full_spec) = upstream_specs().into_iter().find(|(name, _)| *name == "full_console_api").unwrap();
    let generated = generate_file(&full_spec, "console-api");
    let manifest = &generated.files.iter().find(|(p, _)| p == "Cargo.toml").unwrap().1;
    assert!(manifest.contains("default = [\"rustls\", \"all-operations\", \"unreferenced-schemas\"]"), "{manifest}");
    assert!(manifest.contains("\n# The 9 operations tagged `Autotunes`.\nautotunes = []\n"), "{manifest}");
    let mut workspace = ScratchWorkspace::new("tag-feature-check");
    workspace.add_crate("console-api", &generated.files);
    let lib = "//! Uses one tag of the Console API.\n\n/// Reads an Autotune.\npub async fn read(client: &console_api::Client) -> bool {\n    client.get_console_v1_autotunes_by_id(\"id\").await.is_ok()\n}\n";
    let user_manifest = "[package]\nname = \"tag-user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nconsole-api = { path = \"../console-api\", default-features = false, features = [\"rustls\", \"autotunes\"] }\n";
    workspace.add_crate("tag-user", &[("Cargo.toml".into(), user_manifest.into()), ("src/lib.rs".into(), lib.into())]);
    workspace.cargo(&["clippy", "--quiet", "-p", "tag-user", "--", "-D", "warnings"]);
    // The crate itself, with one tag and with none: the runtime parts only
    // other tags' operations use are compiled out with them (no dead code).
    for features in ["rustls,autotunes", "rustls", "rustls,gates,full-serde"] {
        workspace.cargo(&[
            "clippy",
            "--quiet",
            "-p",
            "console-api",
            "--no-default-features",
            "--features",
            features,
            "--",
            "-D",
            "warnings",
        ]);
    }
    workspace.cargo(&[
        "doc",
        "--quiet",
        "--no-deps",
        "-p",
        "console-api",
        "--no-default-features",
        "--features",
        "rustls,autotunes",
    ]);
    // A method of another tag is not there.
    let other = lib.replace("get_console_v1_autotunes_by_id", "get_console_v1_gates_by_id");
    workspace.add_crate("tag-user", &[("src/lib.rs".into(), other)]);
    let output = workspace.cargo_failing(&["check", "--quiet", "-p", "tag-user"]);
    assert!(output.contains("no method named `get_console_v1_gates_by_id`"), "{output}");
    workspace.cargo(&["clippy", "--quiet", "-p", "console-api", "--features", "full-serde", "--", "-D", "warnings"]);
}

/// `rust-version` in the emitted `Cargo.toml` is exactly the newest that
/// any dependency of the emitted crate (every feature on) needs, as this
/// workspace's lock file resolves them: no older toolchain can build it,
/// and it claims no newer one than it needs.
#[test]
fn the_declared_rust_version_is_what_the_dependencies_need() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--all-features", "--locked"])
        .current_dir(repo_root())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages: BTreeMap<&str, &Value> =
        metadata["packages"].as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap(), p)).collect();
    let nodes: BTreeMap<&str, &Value> =
        metadata["resolve"]["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    let root = packages.values().find(|p| p["name"] == "statsig-autotune").unwrap()["id"].as_str().unwrap();
    let version = |text: &str| -> (u32, u32) {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    // Normal (not dev or build) dependencies, transitively.
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![root];
    let mut newest = ((0, 0), String::new());
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if id != root {
            if let Some(rust) = packages[id]["rust_version"].as_str() {
                newest = newest.max((version(rust), packages[id]["name"].as_str().unwrap().to_string()));
            }
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            if dep["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null()) {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let declared = version(generator::emit::RUST_VERSION);
    assert_eq!(
        declared,
        newest.0,
        "the emitted rust-version is {}, but the newest dependency need is {:?} ({})",
        generator::emit::RUST_VERSION,
        newest.0,
        newest.1
    );
    let manifest = read(&repo_root().join("generated/Cargo.toml"));
    assert!(manifest.contains(&format!("rust-version = \"{}\"", generator::emit::RUST_VERSION)));
}

/// A client as one module (`generator::generate_module`, what a build
/// script writes to `OUT_DIR`), included by a crate of its own that
/// declares the dependencies: it compiles clippy-clean.
#[test]
fn a_client_module_included_by_another_crate_compiles() {
    let spec = read(&repo_root().join("openapi/autotune.yaml"));
    let options = generator::ModuleOptions {
        module_path: "crate::api".into(),
        spec_label: "openapi/autotune.yaml".into(),
        strict: true,
        selection: Default::default(),
        overlays: Vec::new(),
        formats: Default::default(),
    };
    let module = generator::generate_module(&spec, "autotune.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
    let manifest = r#"[package]
name = "module-user"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
bytes = "1"
futures-core = "0.3"
hyper = { version = "1", default-features = false }
reqwest = { version = "0.13", default-features = false, features = ["stream", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", default-features = false, features = ["sync", "time"] }
"#;
    let lib = "//! Includes a generated client.\n\n/// The Autotune client.\npub mod api {\n    include!(\"api.rs\");\n}\n\n/// Uses it.\npub fn client() -> Result<api::Client, api::BuildError> {\n    api::Client::new(\"key\")\n}\n";
    let files = vec![
        ("Cargo.toml".to_string(), manifest.to_string()),
        ("src/lib.rs".to_string(), lib.to_string()),
        ("src/api.rs".to_string(), module.source),
    ];
    let mut workspace = ScratchWorkspace::new("module-check");
    workspace.add_crate("module-user", &files);
    workspace.cargo(&["clippy", "--quiet", "-p", "module-user", "--", "-D", "warnings"]);
}
