//! Broken and partly unsupported documents. Those under
//! `tests/fixtures/invalid/<kind>/` are refused (never a panic); those under
//! `tests/fixtures/partial/` generate with warnings (what was left out or
//! represented loosely), and are refused with `strict`. Each full report is
//! a snapshot, and every problem names the file and a JSON pointer.

use tests::{options_for, read, repo_root, resolves, yaml_files};

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

fn label_of(file: &std::path::Path) -> String {
    file.strip_prefix(repo_root()).unwrap().to_string_lossy().replace('\\', "/")
}

/// Each problem points into the document: at a value it has (through
/// the `$ref`s on the way), or at a key missing from an object it has.
fn assert_located(label: &str, text: &str, diags: &generator::Diagnostics) {
    let mut parse = generator::Diagnostics::new(label);
    // A document that does not even parse is reported at its root.
    let Ok(doc) = generator::load::parse_text(text, label, &mut parse) else {
        assert!(diags.items.iter().all(|d| d.pointer == "#" || d.line_col.is_some()), "{label}: {diags}");
        return;
    };
    for d in &diags.items {
        let pointer = d.pointer.strip_prefix('#').unwrap_or_else(|| panic!("{label}: `{}` is no pointer", d.pointer));
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        assert!(
            resolves(&doc, pointer) || resolves(&doc, parent),
            "{label}: `{}` is nowhere in the document: {}",
            d.pointer,
            d.message
        );
    }
}

#[test]
fn each_invalid_document_is_refused_with_located_messages() {
    let dir = repo_root().join("tests/fixtures/invalid");
    let mut kinds: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    kinds.sort();
    let mut cases = 0;
    settings().bind(|| {
        for kind in &kinds {
            for file in yaml_files(kind) {
                let label = label_of(&file);
                let text = read(&file);
                let outcome = generator::generate(&text, &label, &options_for(&label, "x"));
                let report = match outcome {
                    Err(generator::Failure::Invalid(diags)) => {
                        assert_located(&label, &text, &diags);
                        diags.to_string()
                    }
                    Err(other) => panic!("{label}: expected diagnostics, got {other}"),
                    Ok(_) => panic!("{label}: was accepted"),
                };
                let kind_name = kind.file_name().unwrap().to_string_lossy().into_owned();
                let case = file.file_stem().unwrap().to_string_lossy().into_owned();
                insta::assert_snapshot!(format!("diagnostics__{kind_name}__{case}"), report);
                cases += 1;
            }
        }
    });
    assert!(cases >= 9, "only {cases} invalid fixtures");
}

#[test]
fn partly_unsupported_documents_generate_with_warnings_unless_strict() {
    let files = yaml_files(&repo_root().join("tests/fixtures/partial"));
    assert!(files.len() >= 5, "partial fixtures are missing");
    settings().bind(|| {
        for file in files {
            let label = label_of(&file);
            let text = read(&file);
            let generated = generator::generate(&text, &label, &options_for(&label, "x"))
                .unwrap_or_else(|failure| panic!("{label} was refused:\n{failure}"));
            assert!(!generated.warnings.is_empty(), "{label}: no warnings");
            let report = generated.warnings.to_string();
            assert_located(&label, &text, &generated.warnings);
            let stats = generated.stats;
            let summary = format!(
                "{report}\n{} operations generated, {} left out; {} types, {} enums",
                stats.operations, stats.skipped_operations, stats.types, stats.enums
            );
            let case = file.file_stem().unwrap().to_string_lossy().into_owned();
            insta::assert_snapshot!(format!("partial__{case}"), summary);

            let mut strict = options_for(&label, "x");
            strict.strict = true;
            match generator::generate(&text, &label, &strict) {
                Err(generator::Failure::Invalid(diags)) => {
                    // The same problems, each now an error.
                    let as_errors: Vec<generator::Diagnostic> = generated
                        .warnings
                        .items
                        .iter()
                        .map(|d| generator::Diagnostic { severity: generator::Severity::Error, ..d.clone() })
                        .collect();
                    assert_eq!(diags.items, as_errors, "{label}");
                }
                other => panic!("{label}: strict mode accepted it: {:?}", other.map(|g| g.stats)),
            }
        }
    });
}
