//! Helpers shared by the workspace tests in `tests/tests/`.
//!
//! The README's code blocks are compiled and run as doctests of this crate.
#![doc = include_str!("../../README.md")]
// The README's build script example is a whole `build.rs`, `fn main` included.
#![allow(clippy::needless_doctest_main)]

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
        strict: false,
        selection: Default::default(),
        overlays: Vec::new(),
        formats: Default::default(),
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

/// A checked-in test client (`security-client`, `media-client`) as
/// `cargo xtask codegen` makes it now from its construct fixture.
pub fn fixture_client_generated(fixture: &str, crate_name: &str) -> Generated {
    let label = format!("tests/fixtures/constructs/{fixture}.yaml");
    let spec = read(&repo_root().join(&label));
    let mut options = options_for(&label, crate_name);
    options.command = "cargo xtask codegen".into();
    generator::generate(&spec, &label, &options).unwrap_or_else(|f| panic!("{f}"))
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

/// A throwaway Cargo workspace under `target/` that holds generated crates
/// (never the source tree), built with this workspace's `Cargo.lock` and
/// offline, into a target directory the compile and contract tests share.
pub struct ScratchWorkspace {
    pub dir: PathBuf,
    pub target: PathBuf,
    members: Vec<String>,
}

impl ScratchWorkspace {
    /// Empties `target/<name>/workspace`.
    pub fn new(name: &str) -> Self {
        let root = repo_root();
        let dir = root.join("target").join(name).join("workspace");
        let _ = std::fs::remove_dir_all(&dir);
        Self { dir, target: root.join("target/compile-check/target"), members: Vec::new() }
    }

    /// Writes a crate's files as a member.
    pub fn add_crate(&mut self, name: &str, files: &[(String, String)]) {
        for (path, contents) in files {
            let path = self.dir.join(name).join(path);
            std::fs::create_dir_all(path.parent().expect("a file has a folder")).unwrap();
            std::fs::write(&path, contents).unwrap();
        }
        if !self.members.iter().any(|m| m == name) {
            self.members.push(name.to_string());
        }
    }

    /// Writes the manifest and the lock file, then runs
    /// `cargo <subcommand> --offline <rest>` in the workspace; panics with
    /// cargo's errors when it fails, else returns its standard output.
    pub fn cargo(&self, args: &[&str]) -> String {
        let output = self.run_cargo(args);
        assert!(
            output.status.success(),
            "`cargo {}` failed on the generated crates:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Like [`Self::cargo`], for a command that must fail: its errors.
    pub fn cargo_failing(&self, args: &[&str]) -> String {
        let output = self.run_cargo(args);
        assert!(!output.status.success(), "`cargo {}` succeeded", args.join(" "));
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    fn run_cargo(&self, args: &[&str]) -> std::process::Output {
        let members: Vec<String> = self.members.iter().map(|m| format!("\"{m}\"")).collect();
        let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
        std::fs::write(self.dir.join("Cargo.toml"), manifest).unwrap();
        // The same dependency versions as this workspace, already downloaded.
        std::fs::copy(repo_root().join("Cargo.lock"), self.dir.join("Cargo.lock")).unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let (subcommand, rest) = args.split_first().expect("a subcommand");
        std::process::Command::new(cargo)
            .arg(subcommand)
            .arg("--offline")
            .args(rest)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs")
    }
}

/// Whether a JSON pointer names a value of `doc`, following the `$ref`s it
/// passes through (an operation of a path item that is a reference is
/// reported where it is written).
pub fn resolves(doc: &Value, pointer: &str) -> bool {
    let mut at = doc;
    for segment in pointer.split('/').skip(1) {
        let mut hops = 0;
        while let Some(target) = at.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            match doc.pointer(target) {
                Some(next) if hops < 8 => (at, hops) = (next, hops + 1),
                _ => return false,
            }
        }
        let key = segment.replace("~1", "/").replace("~0", "~");
        let next = match at {
            Value::Object(map) => map.get(&key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    true
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
