//! insta snapshots of generated code: every file of `generated/`, the IR of
//! our spec, and the output for each construct fixture and upstream
//! fragment. A changed snapshot is a code review of the generator's output.

use std::path::Path;
use tests::{generate_file, options_for, read, repo_root, upstream_specs, yaml_files};

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Label a fixture by its path from the repository root, as the xtask does.
fn generate_fixture(path: &Path) -> generator::Generated {
    let label = path.strip_prefix(repo_root()).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    generator::generate(&read(path), &label, &options_for(&label, &format!("{name}-client")))
        .unwrap_or_else(|failure| panic!("{label} did not generate:\n{failure}"))
}

#[test]
fn generated_crate_files() {
    let generated = tests::autotune_generated();
    settings().bind(|| {
        for (path, contents) in &generated.files {
            insta::assert_snapshot!(format!("autotune__{}", path.replace(['/', '.'], "_")), contents);
        }
    });
}

#[test]
fn autotune_ir() {
    let spec = read(&repo_root().join("openapi/autotune.yaml"));
    let api = generator::lower_document(&spec, "openapi/autotune.yaml").unwrap_or_else(|d| panic!("{d}"));
    settings().bind(|| insta::assert_debug_snapshot!("autotune__ir", &*api));
}

#[test]
fn construct_fixtures() {
    let fixtures = yaml_files(&repo_root().join("tests/fixtures/constructs"));
    assert!(fixtures.len() >= 7, "construct fixtures are missing");
    settings().bind(|| {
        for fixture in fixtures {
            let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
            let generated = generate_fixture(&fixture);
            for (path, contents) in &generated.files {
                if path == "src/types.rs" || path == "src/client.rs" {
                    let file = if path == "src/types.rs" { "types" } else { "client" };
                    insta::assert_snapshot!(format!("constructs__{name}__{file}"), contents);
                }
            }
        }
    });
}

#[test]
fn upstream_fragment_types() {
    settings().bind(|| {
        for (name, path) in upstream_specs().into_iter().filter(|(n, _)| *n != "full_console_api") {
            let generated = generate_file(&path, "upstream");
            let types = &generated.files.iter().find(|(p, _)| p == "src/types.rs").unwrap().1;
            insta::assert_snapshot!(format!("upstream__{name}__types"), types);
        }
    });
}
