//! A sans-IO OpenAPI 3.0 → Rust client generator.
//!
//! Text goes in; the files of a crate (or diagnostics) come out. The
//! pipeline runs one way: [`load`] → [`lower`] (into the plain-data [`ir`])
//! → [`decide`] (what the crate will be, stored in the IR) → [`check`] →
//! [`emit`] (tokens, rendered by prettyplease). Only the caller touches the
//! disk.

pub mod check;
pub mod decide;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod scopes;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{CrateOptions, RenderError};

use std::fmt;

/// The files of a generated crate and what they hold.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `(path relative to the crate root, contents)`, sorted by path.
    pub files: Vec<(String, String)>,
    pub stats: Stats,
    /// What was left out or represented loosely (never errors).
    pub warnings: Diagnostics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Structs, unions and aliases.
    pub types: usize,
    pub enums: usize,
    pub operations: usize,
    /// Operations left out because they use something unsupported.
    pub skipped_operations: usize,
    /// Lines of all emitted files.
    pub lines: usize,
}

/// Why nothing was generated.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The document is malformed or uses something unsupported.
    Invalid(Diagnostics),
    /// The generator produced code that does not parse (a bug in it).
    Internal(RenderError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Invalid(diags) => diags.fmt(f),
            Failure::Internal(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for Failure {}

/// Loads, lowers, decides and checks a document: the IR and the warnings,
/// or every problem found. Lowering, deciding and checking all run
/// whenever the document loads, so one run reports every problem they can
/// find. With `strict`, warnings count as errors.
pub fn analyze(text: &str, file_name: &str, strict: bool) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new(file_name);
    let Ok(loaded) = load::load(text, file_name, &mut diags) else { return Err(diags.finish()) };
    let mut api = lower::lower(&loaded, &mut diags);
    decide::decide(&mut api, &mut diags);
    check::check(&mut api, &mut diags);
    let diags = if strict { diags.strict() } else { diags };
    if diags.has_errors() {
        Err(diags.finish())
    } else {
        Ok((api, diags.finish()))
    }
}

/// [`analyze`] without `strict`, dropping the warnings: the IR, or every
/// problem found.
pub fn lower_document(text: &str, file_name: &str) -> Result<ir::Api, Diagnostics> {
    analyze(text, file_name, false).map(|(api, _)| api)
}

/// The whole pipeline: document text → the files of a crate.
pub fn generate(text: &str, file_name: &str, options: &CrateOptions) -> Result<Generated, Failure> {
    let (api, warnings) = analyze(text, file_name, options.strict).map_err(Failure::Invalid)?;
    let files = emit::emit(&api, options).map_err(Failure::Internal)?;
    let enums = api.types.iter().filter(|t| matches!(t.kind, ir::TypeKind::Enum(_))).count();
    let stats = Stats {
        types: api.types.len() - enums,
        enums,
        operations: api.operations.len(),
        skipped_operations: api.skipped_operations.len(),
        lines: files.iter().map(|(_, text)| text.lines().count()).sum(),
    };
    Ok(Generated { files, stats, warnings })
}
