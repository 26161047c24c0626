//! `generated/` and `tests/clients/*/` must be exactly what the generator
//! makes from `openapi/autotune.yaml` and the security and media fixtures
//! now. Reads the tree, never writes it.

use tests::{options_for, read, repo_root};

#[test]
fn checked_in_crates_match_the_generator() {
    let root = repo_root();
    let crates = [
        ("generated", tests::autotune_generated()),
        ("tests/clients/security", tests::fixture_client_generated("security", "security-client")),
        ("tests/clients/media", tests::fixture_client_generated("media", "media-client")),
    ];
    for (dir, generated) in crates {
        let mut stale = Vec::new();
        for (path, contents) in &generated.files {
            let on_disk = std::fs::read_to_string(root.join(dir).join(path)).unwrap_or_default();
            if on_disk != *contents {
                stale.push(path.clone());
            }
        }
        assert!(stale.is_empty(), "{dir}/ is stale ({}); run `cargo xtask codegen`", stale.join(", "));
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    let root = repo_root();
    let spec = read(&root.join("openapi/autotune.yaml"));
    let options = options_for("openapi/autotune.yaml", "statsig-autotune");
    let first = generator::generate(&spec, "openapi/autotune.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
    for _ in 0..3 {
        let again = generator::generate(&spec, "openapi/autotune.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
        assert_eq!(first.files, again.files);
    }
}

#[test]
fn every_autotune_operation_is_a_client_method() {
    let client = read(&repo_root().join("generated/src/client.rs"));
    for method in [
        "list_autotunes",
        "create_autotune",
        "get_autotune",
        "update_autotune",
        "partially_update_autotune",
        "delete_autotune",
        "finish_autotune_early",
        "reset_autotune",
        "start_autotune",
    ] {
        assert!(client.contains(&format!("pub fn {method}(")), "no client method {method}");
    }
}
