//! A generated client as one module's source, for a build script to write
//! into `OUT_DIR` and a crate to `include!`. The pieces were emitted for
//! the module's path already; this only puts them one after the other.

/// `header`, the root's items, then each `(declaration, rendered body)`
/// and the runtime as inline modules. Their feature gates (`full-serde`,
/// a feature per tag, the runtime's `tracing`) are the including crate's
/// to declare, so unknown `cfg`s are allowed.
pub fn assemble(header: &str, root: &str, modules: &[(&str, &str)], runtime: &str) -> String {
    let mut out = String::from(header);
    out.push_str(root);
    for (declaration, body) in modules {
        out.push_str(&format!("\n#[allow(unexpected_cfgs)]\n{declaration} {{\n{body}}}\n"));
    }
    out.push_str(&format!(
        "\n// Not every spec needs every helper.\n#[allow(unexpected_cfgs, dead_code)]\nmod runtime {{\n{runtime}}}\n"
    ));
    out
}
