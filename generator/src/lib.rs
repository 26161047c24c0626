//! A sans-IO OpenAPI 3.0 → Rust client generator.
//!
//! Text goes in; the files of a crate (or diagnostics) come out. The
//! pipeline runs one way: [`load`] → [`lower`] (into the plain-data [`ir`])
//! → [`check`] → [`emit`] (tokens, rendered by prettyplease). Only the
//! caller touches the disk.

pub mod check;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{CrateOptions, RenderError};

use std::fmt;

/// The files of a generated crate and what they hold.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `(path relative to the crate root, contents)`, sorted by path.
    pub files: Vec<(String, String)>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Structs, unions and aliases.
    pub types: usize,
    pub enums: usize,
    pub operations: usize,
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

/// Loads, lowers and checks a document: the IR, or every problem found.
pub fn lower_document(text: &str, file_name: &str) -> Result<ir::Api, Diagnostics> {
    let mut diags = Diagnostics::new(file_name);
    let api = load::load(text, file_name, &mut diags).and_then(|loaded| lower::lower(&loaded, &mut diags));
    match api {
        Some(api) => {
            check::check(&api, &mut diags);
            if diags.is_empty() {
                Ok(api)
            } else {
                Err(diags.finish())
            }
        }
        None => Err(diags.finish()),
    }
}

/// The whole pipeline: document text → the files of a crate.
pub fn generate(text: &str, file_name: &str, options: &CrateOptions) -> Result<Generated, Failure> {
    let api = lower_document(text, file_name).map_err(Failure::Invalid)?;
    let files = emit::emit(&api, options).map_err(Failure::Internal)?;
    let enums = api.types.iter().filter(|t| matches!(t.kind, ir::TypeKind::Enum(_))).count();
    let stats = Stats {
        types: api.types.len() - enums,
        enums,
        operations: api.operations.len(),
        lines: files.iter().map(|(_, text)| text.lines().count()).sum(),
    };
    Ok(Generated { files, stats })
}
