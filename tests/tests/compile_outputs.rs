//! Every crate the generator makes from Statsig's upstream documents (taken
//! unmodified: the three Autotune fragments and the full Console API spec)
//! and from each construct fixture compiles, clippy-clean with
//! `-D warnings` and rustdoc-clean. The crates are written under `target/`
//! (never into the source tree) as one throwaway workspace, and checked with
//! the same `cargo` that runs the tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use tests::{generate_file, repo_root, upstream_specs, yaml_files};

fn write_crate(dir: &Path, files: &[(String, String)]) {
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
    }
}

fn cargo(workspace: &Path, target: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let (subcommand, rest) = args.split_first().expect("a subcommand");
    let output = Command::new(cargo)
        .arg(subcommand)
        .arg("--offline")
        .args(rest)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "`cargo {}` failed on the generated crates:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generated_crates_compile_clippy_and_rustdoc_clean() {
    let root = repo_root();
    let base = root.join("target/compile-check");
    let workspace = base.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    let mut members: Vec<String> = Vec::new();
    let mut sources: Vec<(String, PathBuf)> =
        upstream_specs().into_iter().map(|(name, path)| (format!("upstream-{name}"), path)).collect();
    for fixture in yaml_files(&root.join("tests/fixtures/constructs")) {
        let name = fixture.file_stem().unwrap().to_string_lossy().replace('_', "-");
        sources.push((format!("construct-{name}"), fixture));
    }
    for (name, path) in &sources {
        let name = name.replace('_', "-");
        let generated = generate_file(path, &name);
        write_crate(&workspace.join(&name), &generated.files);
        members.push(name);
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    // The same dependency versions as this workspace, already downloaded.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    let target = base.join("target");
    cargo(&workspace, &target, &["clippy", "--workspace", "--quiet", "--", "-D", "warnings"]);
    cargo(&workspace, &target, &["doc", "--workspace", "--no-deps", "--quiet"]);
}
