//! Broken and unsupported documents, grouped by kind of failure under
//! `tests/fixtures/invalid/<kind>/`: each is refused (never a panic), and
//! its full report is a snapshot. Every problem names the file and a JSON
//! pointer.

use tests::{options_for, read, repo_root, yaml_files};

#[test]
fn each_invalid_document_is_refused_with_located_messages() {
    let dir = repo_root().join("tests/fixtures/invalid");
    let mut kinds: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    kinds.sort();
    let mut cases = 0;
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for kind in &kinds {
            for file in yaml_files(kind) {
                let label = file.strip_prefix(repo_root()).unwrap().to_string_lossy().replace('\\', "/");
                let outcome = generator::generate(&read(&file), &label, &options_for(&label, "x"));
                let report = match outcome {
                    Err(generator::Failure::Invalid(diags)) => {
                        for d in &diags.items {
                            assert!(d.pointer.starts_with('#'), "{label}: no pointer in {d:?}");
                        }
                        diags.to_string()
                    }
                    Err(other) => panic!("{label}: expected diagnostics, got {other}"),
                    Ok(_) => panic!("{label}: was accepted"),
                };
                for line in report.lines().filter(|l| l.starts_with("error:")) {
                    assert!(line.starts_with(&format!("error: {label}")), "{line}");
                }
                let kind_name = kind.file_name().unwrap().to_string_lossy().into_owned();
                let case = file.file_stem().unwrap().to_string_lossy().into_owned();
                insta::assert_snapshot!(format!("diagnostics__{kind_name}__{case}"), report);
                cases += 1;
            }
        }
    });
    assert!(cases >= 10, "only {cases} invalid fixtures");
}
