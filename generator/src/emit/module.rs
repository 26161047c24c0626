//! A generated crate as one module's source, for a build script to write
//! into `OUT_DIR` and a crate to `include!`: the crate's modules inline,
//! its paths under the module's path, and no crate-level attributes (an
//! included file cannot have them).

/// The crate's files (as [`super::emit`] makes them) as one module whose
/// path in the including crate is `module_path` (`crate::api`).
pub fn assemble(files: &[(String, String)], module_path: &str, header: &str) -> String {
    let file = |name: &str| {
        let text = files.iter().find(|(path, _)| path == name).map_or("", |(_, text)| text.as_str());
        // Without the generated header.
        text.split_once("\n\n").map_or(text, |(_, rest)| rest).to_string()
    };
    let mut out = String::from(header);
    for line in file("src/lib.rs").lines() {
        // A module's own `//!` docs beside the outer ones lib.rs gives it
        // would mix attribute styles: they become plain comments.
        let inline = |name: &str| {
            let body: String = file(&format!("src/{name}.rs"))
                .lines()
                .map(|l| l.strip_prefix("//!").map_or_else(|| l.to_string(), |rest| format!("//{rest}")) + "\n")
                .collect();
            format!("{{\n{body}}}")
        };
        match line.trim() {
            // Crate-level attributes and docs belong to the including crate.
            l if l.starts_with("//!") || l.starts_with("#![") => continue,
            // Their feature gates (`full-serde`, a feature per tag) are
            // the including crate's to declare too.
            "pub mod client;" => {
                out.push_str(&format!("#[allow(unexpected_cfgs)]\npub mod client {}", inline("client")))
            }
            "pub mod types;" => out.push_str(&format!("#[allow(unexpected_cfgs)]\npub mod types {}", inline("types"))),
            "mod runtime;" => {
                // The runtime's `tracing` feature is the including crate's to declare.
                out.push_str(&format!("#[allow(unexpected_cfgs)]\nmod runtime {}", inline("runtime")))
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out.replace("crate::", &format!("{module_path}::")).trim_start_matches('\n').to_string()
}
