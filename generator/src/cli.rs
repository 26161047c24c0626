//! The one command-line front end: the `openapi-client-gen` binary and
//! `cargo xtask codegen` parse the same flags here, describe what to make
//! as [`Job`]s, and write or check the files with [`write_or_check`].

use crate::ir::FormatTypes;
use crate::output::{self, Change};
use crate::{CrateOptions, ModuleOptions, Selection, Stats};
use std::path::{Path, PathBuf};

/// The flags, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub spec: Option<PathBuf>,
    /// OpenAPI Overlay documents applied to the spec first, in order.
    pub overlays: Vec<PathBuf>,
    /// A crate's folder (`--out`).
    pub out: Option<PathBuf>,
    /// One module's file and its path in the including crate (`--module`,
    /// `--module-path`).
    pub module: Option<(PathBuf, String)>,
    pub crate_name: Option<String>,
    pub no_examples: bool,
    pub strict: bool,
    pub check: bool,
    /// Say nothing but errors (no warnings, no summary).
    pub quiet: bool,
    pub selection: Selection,
    /// `--formats text`: string formats stay `String`.
    pub formats: FormatTypes,
}

/// The command line both front ends parse (clap derives its help, its
/// `--version` and its usage errors).
#[derive(Debug, clap::Parser)]
#[command(
    version,
    about = "Generates a typed async Rust client from an OpenAPI 3.0, 3.1 or 3.2 document.",
    after_help = "What the generator cannot represent is left out with a warning (or refuses the document \
                  with --strict). Colour follows the terminal; NO_COLOR turns it off."
)]
struct Flags {
    /// The OpenAPI document (.yaml, .yml or .json).
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// An OpenAPI Overlay 1.0 document applied to the spec before it is
    /// read (repeatable, applied in order): vendor fixes kept beside it.
    #[arg(long, value_name = "FILE", requires = "spec")]
    overlay: Vec<PathBuf>,
    /// Write a crate to DIR: Cargo.toml, src/…, examples/<operation>.rs.
    #[arg(long, value_name = "DIR", conflicts_with = "module", requires = "spec")]
    out: Option<PathBuf>,
    /// Write the client as one module's source to FILE instead of a crate.
    #[arg(long, value_name = "FILE", requires_all = ["module_path", "spec"])]
    module: Option<PathBuf>,
    /// Where the including crate puts the module (crate::api).
    #[arg(long, value_name = "PATH", requires = "module", value_parser = module_path)]
    module_path: Option<String>,
    /// The crate's name (default: the document's file name + `-client`).
    #[arg(long, value_name = "NAME", value_parser = package_name)]
    crate_name: Option<String>,
    /// Leave out examples/<operation>.rs.
    #[arg(long)]
    no_examples: bool,
    /// Refuse the document on any warning.
    #[arg(long)]
    strict: bool,
    /// Compare only; exit non-zero naming each stale file.
    #[arg(long)]
    check: bool,
    /// Keep only the operations these select (repeatable): an operationId,
    /// a method name, a tag or "METHOD /path".
    #[arg(long, value_name = "SELECTOR")]
    only: Vec<String>,
    /// Leave out the operations these select (repeatable).
    #[arg(long, value_name = "SELECTOR")]
    exclude: Vec<String>,
    /// Print errors only.
    #[arg(short, long)]
    quiet: bool,
    /// `typed`: string formats with a Rust type of their own (`uuid`,
    /// `ipv4`, `ipv6`) are that type; `text`: every format is a `String`.
    #[arg(long, value_name = "typed|text", value_parser = ["typed", "text"], default_value = "typed")]
    formats: String,
}

/// A name cargo takes for a package (and whose `_` form is the crate's
/// identifier in the emitted code): ASCII letters, digits, `-` and `_`, not
/// starting with a digit, at most 64 characters.
fn package_name(name: &str) -> Result<String, String> {
    let fits = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if fits && starts && name.len() <= 64 {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{name}` is not a package name cargo takes: use ASCII letters, digits, `-` and `_`, starting with a letter (at most 64 characters)"
        ))
    }
}

/// A Rust path to a module (`crate::api`): identifiers joined by `::`,
/// `crate`, `self` or `super` only where a path may start with them.
fn module_path(path: &str) -> Result<String, String> {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for",
        "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
        "trait", "true", "type", "unsafe", "use", "where", "while", "Self",
    ];
    let identifier = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && s != "_"
            && !KEYWORDS.contains(&s)
    };
    let fits = path.split("::").enumerate().all(|(i, segment)| match segment {
        "crate" | "self" => i == 0,
        "super" => path.split("::").take(i).all(|s| s == "super" || s == "self"),
        _ => identifier(segment),
    });
    if fits {
        Ok(path.to_string())
    } else {
        Err(format!("`{path}` is not a Rust path to a module (such as `crate::api`)"))
    }
}

/// The flags both front ends take, for usage texts that list them.
pub const FLAGS: &str = "\
--spec PATH [--overlay FILE]... --out DIR [--crate-name NAME] [--no-examples] [--strict] [--check] [--only SELECTOR]... [--exclude SELECTOR]... [--formats typed|text] [--quiet]
      make a client crate in DIR from an OpenAPI 3.0, 3.1 or 3.2 document
      (.yaml, .yml or .json): DIR/Cargo.toml, DIR/src/…,
      DIR/examples/<operation>.rs unless --no-examples. What the generator
      cannot represent is left out with a warning, or refuses the document
      with --strict. --check compares only, and exits non-zero naming each
      stale file. --only and --exclude (repeatable) pick operations by
      operationId, method name, tag, or \"METHOD /path\"; schemas that no
      kept operation uses are left out. --formats text keeps every string
      format as String (by default uuid, ipv4 and ipv6 have their types).
  --spec PATH --module FILE --module-path PATH [--strict] [--check] [--only …] [--exclude …]
      write the client as one module's source to FILE, for a crate that
      includes it at PATH (crate::api)";

impl Args {
    /// Parses `args` (without the program's name) as the command `name`.
    /// A request for help or the version, and a usage error, come back as
    /// clap's error: `err.exit()` prints help and version on stdout with
    /// status 0, and a usage error on stderr with status 2.
    pub fn parse(name: &'static str, args: &[String]) -> Result<Args, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let command = Flags::command().name(name).bin_name(name);
        let matches = command.try_get_matches_from(std::iter::once(name.to_string()).chain(args.iter().cloned()))?;
        let flags = Flags::from_arg_matches(&matches)?;
        Ok(Args {
            spec: flags.spec,
            overlays: flags.overlay,
            out: flags.out,
            module: flags.module.zip(flags.module_path),
            crate_name: flags.crate_name,
            no_examples: flags.no_examples,
            strict: flags.strict,
            check: flags.check,
            quiet: flags.quiet,
            selection: Selection { only: flags.only, exclude: flags.exclude },
            formats: if flags.formats == "text" { FormatTypes::Text } else { FormatTypes::Typed },
        })
    }

    /// A usage error of the command `name`, as clap reports it (status 2).
    pub fn usage_error(name: &'static str, message: impl std::fmt::Display) -> clap::Error {
        use clap::CommandFactory;
        Flags::command().name(name).bin_name(name).error(clap::error::ErrorKind::ArgumentConflict, message)
    }

    /// ` --overlay FILE` for each overlay and the flags that change the
    /// output's types, for the regenerating command.
    fn overlay_flags(&self) -> String {
        let overlays: String = self.overlays.iter().map(|path| format!(" --overlay {}", path.display())).collect();
        match self.formats {
            FormatTypes::Typed => overlays,
            FormatTypes::Text => format!("{overlays} --formats text"),
        }
    }

    /// The job the flags describe, when they name a document: `label` is
    /// how file headers name the document, `command` how they name the
    /// command that regenerates it.
    pub fn job(&self, label: &str, command: &str) -> Option<Job> {
        let spec = self.spec.clone()?;
        let destination = match (&self.out, &self.module) {
            (Some(out), _) => {
                let stem = spec.file_stem().map_or_else(|| "api".into(), |s| s.to_string_lossy().into_owned());
                let crate_name = self
                    .crate_name
                    .clone()
                    .unwrap_or_else(|| format!("{}-client", crate::naming::snake_name(&stem, "api").replace('_', "-")));
                Destination::Crate {
                    out: out.clone(),
                    options: CrateOptions {
                        crate_name,
                        spec_label: label.to_string(),
                        command: format!("{command} --spec {label}{}", self.overlay_flags()),
                        examples: !self.no_examples,
                        strict: self.strict,
                        selection: self.selection.clone(),
                        overlays: Vec::new(),
                        formats: self.formats,
                    },
                }
            }
            (None, Some((file, module_path))) => Destination::Module {
                file: file.clone(),
                options: ModuleOptions {
                    module_path: module_path.clone(),
                    spec_label: label.to_string(),
                    strict: self.strict,
                    selection: self.selection.clone(),
                    overlays: Vec::new(),
                    formats: self.formats,
                },
            },
            (None, None) => return None,
        };
        Some(Job { spec, label: label.to_string(), overlays: self.overlays.clone(), destination })
    }
}

/// One document to generate, and where.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    /// The document's name in messages and file headers.
    pub label: String,
    /// Overlays applied to the document first, in order.
    pub overlays: Vec<PathBuf>,
    pub destination: Destination,
}

#[derive(Debug, Clone)]
pub enum Destination {
    /// A crate in a folder, which then holds exactly its files (other
    /// generated files are removed; the user's own are left alone).
    Crate { out: PathBuf, options: CrateOptions },
    /// One module's source in a file; nothing else in its folder is
    /// touched.
    Module { file: PathBuf, options: ModuleOptions },
}

impl Job {
    /// The folder the job writes in.
    pub fn folder(&self) -> PathBuf {
        match &self.destination {
            Destination::Crate { out, .. } => out.clone(),
            Destination::Module { file, .. } => file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        }
    }

    /// How to regenerate it, for a `--check` that fails.
    fn command(&self) -> Option<&str> {
        match &self.destination {
            Destination::Crate { options, .. } => Some(&options.command),
            Destination::Module { .. } => None,
        }
    }
}

/// Generates every job, then (only if all generated) writes their files,
/// or with `check` compares them and fails naming each stale one. Warnings
/// go to stderr; the returned lines are the summaries (or, with `check`,
/// what is up to date). Paths in messages are shown relative to `shown_from`
/// when they are inside it.
pub fn write_or_check(
    jobs: &[Job],
    check: bool,
    quiet: bool,
    shown_from: Option<&Path>,
) -> Result<Vec<String>, String> {
    let shown = |path: &Path| -> String {
        shown_from.and_then(|root| path.strip_prefix(root).ok()).unwrap_or(path).display().to_string()
    };
    let mut planned: Vec<(&Job, Stats, Vec<Change>)> = Vec::new();
    for job in jobs {
        let text = std::fs::read_to_string(&job.spec)
            .map_err(|err| format!("error: cannot read {}: {err}", job.spec.display()))?;
        let overlays =
            job.overlays.iter().map(|path| crate::Overlay::read(path)).collect::<Result<Vec<_>, String>>()?;
        let folder = job.folder();
        let (files, warnings, stats) = match &job.destination {
            Destination::Crate { options, .. } => {
                let options = &crate::CrateOptions { overlays: overlays.clone(), ..options.clone() };
                let generated = crate::generate(&text, &job.label, options).map_err(|f| f.to_string())?;
                (generated.files, generated.warnings, generated.stats)
            }
            Destination::Module { file, options } => {
                let options = &crate::ModuleOptions { overlays, ..options.clone() };
                let generated = crate::generate_module(&text, &job.label, options).map_err(|f| f.to_string())?;
                let name = file.file_name().map_or_else(|| "api.rs".into(), |n| n.to_string_lossy().into_owned());
                (vec![(name, generated.source)], generated.warnings, generated.stats)
            }
        };
        if !warnings.is_empty() && !quiet {
            eprintln!("{}", paint(&warnings.to_string(), colour_on_stderr()));
        }
        let changes = match job.destination {
            Destination::Crate { .. } => output::compare(&folder, &files),
            Destination::Module { .. } => output::compare_files(&folder, &files),
        }
        .map_err(|err| format!("error: cannot read {}: {err}", folder.display()))?;
        planned.push((job, stats, changes));
    }
    if check {
        let mut message = String::new();
        for (job, _, changes) in &planned {
            for change in changes {
                let what = match change {
                    Change::Write { path, existed: true, .. } => format!("{} is stale", shown(path)),
                    Change::Write { path, existed: false, .. } => format!("{} is missing", shown(path)),
                    Change::Remove(path) => format!("{} is no longer generated", shown(path)),
                };
                message.push_str(&format!("error: {what}\n"));
            }
            if let (false, Some(command)) = (changes.is_empty(), job.command()) {
                message.push_str(&format!("run `{command}` to regenerate\n"));
            }
        }
        if !message.is_empty() {
            return Err(message.trim_end().to_string());
        }
        return Ok(planned.iter().map(|(job, _, _)| format!("{} is up to date", shown(&job.folder()))).collect());
    }
    let mut summaries = Vec::new();
    for (job, stats, changes) in &planned {
        let folder = job.folder();
        output::apply(changes).map_err(|err| format!("error: writing {}: {err}", folder.display()))?;
        summaries.push(output::summary(stats, changes.len(), Path::new(&shown(&folder))));
    }
    Ok(summaries)
}

/// Whether to colour what goes to stderr: a terminal, and no `NO_COLOR`.
pub fn colour_on_stderr() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Diagnostics with `error:` in red and `warning:` in yellow when `colour`.
pub fn paint(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    text.lines()
        .map(|line| {
            if let Some(rest) = line.strip_prefix("error:") {
                format!("\x1b[1;31merror\x1b[0m:{rest}")
            } else if let Some(rest) = line.strip_prefix("warning:") {
                format!("\x1b[1;33mwarning\x1b[0m:{rest}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
