//! `cargo xtask outdated`: each dependency the generated crates declare
//! (their `Cargo.toml`, as `cargo xtask codegen` writes it) whose newest
//! release on crates.io is not semver-compatible with what they ask for, so
//! that staying behind is a decision. It asks the registry (`cargo info`),
//! so it is a command to run, never a test: a new upstream release must not
//! break CI.

use crate::codegen::workspace_root;
use std::process::Command;

pub fn run(_args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let manifest = root.join("generated/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    let declared = dependencies(&text);
    // Outside the workspace, `cargo info` reports the registry's newest
    // release rather than the locked one.
    let outside = std::env::temp_dir();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("| dependency | generated crates ask for | newest | |");
    println!("|---|---|---|---|");
    let mut behind = 0;
    for (name, requirement) in &declared {
        let output = Command::new(&cargo)
            .args(["info", "--quiet", name])
            .current_dir(&outside)
            .output()
            .map_err(|e| format!("error: cannot run cargo info: {e}"))?;
        let info = String::from_utf8_lossy(&output.stdout);
        let Some(newest) = info
            .lines()
            .find_map(|l| l.strip_prefix("version: "))
            .map(|v| v.split_whitespace().next().unwrap_or(v).to_string())
        else {
            println!("| {name} | {requirement} | (not found: {}) | |", String::from_utf8_lossy(&output.stderr).trim());
            continue;
        };
        let compatible = compatible(requirement, &newest);
        if !compatible {
            behind += 1;
        }
        println!("| {name} | {requirement} | {newest} | {} |", if compatible { "" } else { "**newer, incompatible**" });
    }
    println!("{behind} of {} dependencies have a newer semver-incompatible release", declared.len());
    Ok(())
}

/// `(name, version requirement)` of `[dependencies]` and
/// `[dev-dependencies]`, in order.
fn dependencies(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]" || line == "[dev-dependencies]";
            continue;
        }
        if !in_deps || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else { continue };
        let value = value.trim();
        let version = if value.starts_with('"') {
            value.trim_matches('"').to_string()
        } else {
            value.split("version").nth(1).and_then(|rest| rest.split('"').nth(1)).unwrap_or_default().to_string()
        };
        let name = name.trim().to_string();
        if !version.is_empty() && !out.iter().any(|(n, _)| *n == name) {
            out.push((name, version));
        }
    }
    out
}

/// Whether `newest` satisfies a caret requirement (`"1"`, `"0.12"`): the
/// same major version, or for 0.x the same minor.
fn compatible(requirement: &str, newest: &str) -> bool {
    let numbers = |v: &str| -> Vec<u64> {
        v.trim_start_matches(['^', '=', '~']).split('.').map_while(|p| p.parse().ok()).collect()
    };
    let (want, have) = (numbers(requirement), numbers(newest));
    match (want.as_slice(), have.as_slice()) {
        ([0, minor, ..], [0, have_minor, ..]) => minor == have_minor,
        ([0], [0, ..]) => true,
        ([major, ..], [have_major, ..]) => major == have_major,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_compatibility() {
        assert!(compatible("1", "1.40.0"));
        assert!(!compatible("0.12", "0.13.5"));
        assert!(compatible("0.12", "0.12.28"));
        assert!(!compatible("1", "2.0.0"));
        assert!(compatible("0.3", "0.3.31"));
    }

    #[test]
    fn reads_both_dependency_tables() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nbytes = \"1\"\nreqwest = { version = \"0.12\", default-features = false }\n\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\"] }\n";
        assert_eq!(
            dependencies(manifest),
            [("bytes".to_string(), "1".to_string()), ("reqwest".into(), "0.12".into()), ("tokio".into(), "1".into())]
        );
    }
}
