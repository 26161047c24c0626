//! A sans-IO OpenAPI 3.0/3.1 → Rust client generator.
//!
//! Text goes in; the files of a crate (or diagnostics) come out. The
//! pipeline runs one way: [`load`] → [`lower`] (into the plain-data [`ir`])
//! → [`select`] (the operations asked for) → [`check`] (leaves out what
//! cannot be generated) → [`decide`] (what the crate will be, stored in
//! the IR, once) → [`emit`] (tokens) → render (prettyplease). Each step
//! only reads what the steps before it made; only the caller touches the
//! disk.

pub mod check;
pub mod cli;
pub mod decide;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod output;
pub mod runtime;
pub mod scopes;
pub mod select;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use emit::{EmitOptions, RenderError};
pub use load::overlay::Overlay;
pub use select::Selection;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Structs, unions and aliases.
    pub types: usize,
    pub enums: usize,
    pub operations: usize,
    /// Operations left out because they use something unsupported.
    pub skipped_operations: usize,
    /// Paginated lists, by the style they page in (`page number`,
    /// `cursor`…), sorted.
    pub paginated: Vec<(&'static str, usize)>,
    /// Operations (their pointers) that look like paginated lists but fit
    /// no style, so they have no `items()`.
    pub unpaged_lists: Vec<String>,
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

/// Loads, lowers, checks and decides a document for a crate: the decided
/// IR and the warnings, or every problem found. Lowering, checking and
/// deciding all run whenever the document loads, so one run reports every
/// problem they can find. With `strict`, warnings count as errors.
pub fn analyze(text: &str, file_name: &str, strict: bool) -> Result<(ir::Decided, Diagnostics), Diagnostics> {
    analyze_selected(text, file_name, strict, &Selection::default())
}

/// [`analyze`], keeping only the operations `selection` selects and the
/// schemas they reach.
pub fn analyze_selected(
    text: &str,
    file_name: &str,
    strict: bool,
    selection: &Selection,
) -> Result<(ir::Decided, Diagnostics), Diagnostics> {
    analyze_for(text, file_name, &[], strict, selection, &ir::Target::Crate, ir::FormatTypes::default())
}

/// Every step up to emitting, in order, for `target`.
fn analyze_for(
    text: &str,
    file_name: &str,
    overlays: &[Overlay],
    strict: bool,
    selection: &Selection,
    target: &ir::Target,
    formats: ir::FormatTypes,
) -> Result<(ir::Decided, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new(file_name);
    let Ok(loaded) = load::load_with_overlays(text, file_name, overlays, &mut diags) else {
        return Err(diags.finish());
    };
    analyze_loaded(&loaded, diags, strict, selection, target, formats)
}

/// The steps after loading, in order: lower, select, check, decide.
fn analyze_loaded(
    loaded: &load::Loaded,
    mut diags: Diagnostics,
    strict: bool,
    selection: &Selection,
    target: &ir::Target,
    formats: ir::FormatTypes,
) -> Result<(ir::Decided, Diagnostics), Diagnostics> {
    let (mut api, mut namings) = lower::lower(loaded, &mut diags);
    select::apply(&mut api, &mut namings, selection, &mut diags);
    lower::name_types(&mut api, namings);
    check::check(&mut api, &mut diags);
    let api = decide::decide(api, target, formats, &mut diags);
    diags.relocate(&loaded.moved);
    let diags = if strict { diags.strict() } else { diags };
    if diags.has_errors() {
        Err(diags.finish())
    } else {
        Ok((api, diags.finish()))
    }
}

/// Settings that are not in the spec.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// The package name in the emitted `Cargo.toml`.
    pub crate_name: String,
    /// The spec's path as shown in each file's header.
    pub spec_label: String,
    /// The command that regenerates the crate, shown in each file's header.
    pub command: String,
    /// Also emit `examples/<operation>.rs`, one runnable program per
    /// operation (and the dev-dependencies they use).
    pub examples: bool,
    /// Refuse the document on any warning (an operation left out, a schema
    /// represented as any JSON value), not only on errors.
    pub strict: bool,
    /// The operations to generate (all by default).
    pub selection: Selection,
    /// OpenAPI Overlay documents applied to the document first, in order.
    pub overlays: Vec<Overlay>,
    /// Whether string formats get Rust types of their own, or stay text.
    pub formats: ir::FormatTypes,
}

impl CrateOptions {
    /// The options the generator's own unit tests generate with: crate
    /// `name` from `name.yaml`, every operation, warnings allowed.
    #[cfg(test)]
    pub(crate) fn for_test(name: &str, examples: bool) -> Self {
        Self {
            crate_name: name.into(),
            spec_label: format!("{name}.yaml"),
            command: "test".into(),
            examples,
            strict: false,
            selection: Selection::default(),
            overlays: Vec::new(),
            formats: ir::FormatTypes::default(),
        }
    }

    /// What emitting the crate takes of these.
    pub fn emit_options(&self) -> EmitOptions {
        EmitOptions {
            crate_name: self.crate_name.clone(),
            spec_label: self.spec_label.clone(),
            command: self.command.clone(),
            examples: self.examples,
        }
    }
}

/// How [`generate_module`] writes a client as one module.
#[derive(Debug, Clone)]
pub struct ModuleOptions {
    /// Where the including crate puts the module (`crate::api`).
    pub module_path: String,
    /// The spec's path as shown in the module's header.
    pub spec_label: String,
    /// Refuse the document on any warning.
    pub strict: bool,
    /// The operations to generate (all by default).
    pub selection: Selection,
    /// OpenAPI Overlay documents applied to the document first, in order.
    pub overlays: Vec<Overlay>,
    /// Whether string formats get Rust types of their own, or stay text.
    pub formats: ir::FormatTypes,
}

/// A client as one module's source.
#[derive(Debug, Clone)]
pub struct GeneratedModule {
    pub source: String,
    pub stats: Stats,
    pub warnings: Diagnostics,
    /// The `#![recursion_limit]` the including crate needs, when the API's
    /// types nest deeper than the compiler's default allows.
    pub recursion_limit: Option<u32>,
}

/// The whole pipeline for a build script: document text → a client as one
/// module's source, to write to `$OUT_DIR` and include (see the README).
/// The including crate depends on what a generated crate does (`reqwest`
/// with the `stream` feature and a TLS backend, `serde` with `derive`,
/// `serde_json` with `raw_value`, `tokio` with `sync` and `time`,
/// `bytes`, `futures-core`, `hyper`; `uuid` with `serde` when the document
/// has `format: uuid`).
pub fn generate_module(text: &str, file_name: &str, options: &ModuleOptions) -> Result<GeneratedModule, Failure> {
    let target = ir::Target::Module { path: options.module_path.clone() };
    let (api, warnings) =
        analyze_for(text, file_name, &options.overlays, options.strict, &options.selection, &target, options.formats)
            .map_err(Failure::Invalid)?;
    let header = format!(
        "// @generated by `generator::generate_module` from {}.\n// Do not edit by hand: change the spec, then rebuild.\n\n",
        options.spec_label
    );
    let source = emit::module_source(&api, &header).map_err(Failure::Internal)?;
    let stats = Stats { lines: source.lines().count(), ..stats(&api, &[]) };
    Ok(GeneratedModule { source, stats, warnings, recursion_limit: api.crate_shape.recursion_limit })
}

/// [`analyze`] without `strict`, dropping the warnings: the IR, or every
/// problem found.
pub fn lower_document(text: &str, file_name: &str) -> Result<ir::Decided, Diagnostics> {
    analyze(text, file_name, false).map(|(api, _)| api)
}

/// The whole pipeline: document text → the files of a crate.
pub fn generate(text: &str, file_name: &str, options: &CrateOptions) -> Result<Generated, Failure> {
    let mut diags = Diagnostics::new(file_name);
    let Ok(loaded) = load::load_with_overlays(text, file_name, &options.overlays, &mut diags) else {
        return Err(Failure::Invalid(diags.finish()));
    };
    generate_loaded(&loaded, diags, options)
}

/// [`generate`] from a document [`load::load`] read (with what it
/// reported in `diags`): every step after loading, the same ones.
pub fn generate_loaded(
    loaded: &load::Loaded,
    diags: Diagnostics,
    options: &CrateOptions,
) -> Result<Generated, Failure> {
    let (api, warnings) =
        analyze_loaded(loaded, diags, options.strict, &options.selection, &ir::Target::Crate, options.formats)
            .map_err(Failure::Invalid)?;
    let files = emit::emit(&api, &options.emit_options()).map_err(Failure::Internal)?;
    Ok(Generated { stats: stats(&api, &files), files, warnings })
}

/// What a generation holds, with the lines of `files`.
fn stats(api: &ir::Api, files: &[(String, String)]) -> Stats {
    let enums = api.types.iter().filter(|t| matches!(t.kind, ir::TypeKind::Enum(_))).count();
    Stats {
        types: api.types.len() - enums,
        enums,
        operations: api.operations.len(),
        skipped_operations: api.skipped_operations.len(),
        paginated: {
            let mut styles = std::collections::BTreeMap::new();
            for op in api.operations.iter().filter_map(|op| op.pagination.as_ref()) {
                *styles.entry(op.style.name()).or_insert(0) += 1;
            }
            styles.into_iter().collect()
        },
        unpaged_lists: api.crate_shape.unpaged_lists.clone(),
        lines: files.iter().map(|(_, text)| text.lines().count()).sum(),
    }
}
