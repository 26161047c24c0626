//! Helpers shared by the workspace tests in `tests/tests/`.
//!
//! The README's code blocks are compiled and run as doctests of this crate.
#![doc = include_str!("../../README.md")]

use generator::{CrateOptions, Generated};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// `shared/`, beside the repository (where CI and every session have it).
pub fn shared_dir() -> PathBuf {
    let dir = repo_root().join("../shared");
    assert!(dir.is_dir(), "{} is missing: the tests read Statsig's upstream documents from it", dir.display());
    dir
}

/// The upstream Statsig documents, by a short name, in a fixed order.
pub fn upstream_specs() -> Vec<(&'static str, PathBuf)> {
    let dir = shared_dir().join("upstream/statsig");
    vec![
        ("finish_experiment_early", dir.join("finish-experiment-early.yaml")),
        ("list_autotune", dir.join("list-autotune.yaml")),
        ("partially_update_autotune", dir.join("partially-update-autotune.yaml")),
        ("full_console_api", dir.join("full-spec/console-api-20240601.2025-03-12.json")),
    ]
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// Options as `cargo xtask codegen --spec <label>` would use them.
pub fn options_for(label: &str, crate_name: &str) -> CrateOptions {
    CrateOptions {
        crate_name: crate_name.to_string(),
        spec_label: label.to_string(),
        command: format!("cargo xtask codegen --spec {label}"),
        examples: false,
    }
}

/// The `statsig-autotune` crate as `cargo xtask codegen` makes it now.
pub fn autotune_generated() -> Generated {
    let spec = read(&repo_root().join("openapi/autotune.yaml"));
    let mut options = options_for("openapi/autotune.yaml", "statsig-autotune");
    options.command = "cargo xtask codegen".into();
    options.examples = true;
    generator::generate(&spec, "openapi/autotune.yaml", &options).unwrap_or_else(|f| panic!("{f}"))
}

/// Generates a crate from a file, panicking with the diagnostics if it fails.
pub fn generate_file(path: &Path, crate_name: &str) -> Generated {
    let label = path.file_name().expect("a file").to_string_lossy().into_owned();
    generator::generate(&read(path), &label, &options_for(&label, crate_name))
        .unwrap_or_else(|failure| panic!("{} did not generate:\n{failure}", path.display()))
}

/// The `.yaml` files of a folder, sorted by name.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
        .collect();
    files.sort();
    files
}

/// JSON equality where numbers compare by value (`1` equals `1.0`), as
/// JSON itself does not tell them apart.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::json_eq;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_eq(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!json_eq(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!json_eq(&json!("1"), &json!(1)));
    }
}
