//! The one command-line front end: the `openapi-autotune-gen` binary and
//! `cargo xtask codegen` parse the same flags here, describe what to make
//! as [`Job`]s, and write or check the files with [`write_or_check`].

use crate::output::{self, Change};
use crate::{CrateOptions, ModuleOptions, Selection, Stats};
use std::path::{Path, PathBuf};

/// The flags, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub spec: Option<PathBuf>,
    /// A crate's folder (`--out`).
    pub out: Option<PathBuf>,
    /// One module's file and its path in the including crate (`--module`,
    /// `--module-path`).
    pub module: Option<(PathBuf, String)>,
    pub crate_name: Option<String>,
    pub no_examples: bool,
    pub strict: bool,
    pub check: bool,
    pub selection: Selection,
}

/// The flags both front ends take, for their usage texts.
pub const FLAGS: &str = "\
--spec PATH --out DIR [--crate-name NAME] [--no-examples] [--strict] [--check] [--only SELECTOR]... [--exclude SELECTOR]...
      make a client crate in DIR from an OpenAPI 3.0 or 3.1 document (.yaml,
      .yml or .json): DIR/Cargo.toml, DIR/src/…, DIR/examples/<operation>.rs
      unless --no-examples. What the generator cannot represent is left out
      with a warning, or refuses the document with --strict. --check
      compares only, and exits non-zero naming each stale file. --only and
      --exclude (repeatable) pick operations by operationId, tag, or
      \"METHOD /path\"; schemas that no kept operation uses are left out.
  --spec PATH --module FILE --module-path PATH [--strict] [--check] [--only …] [--exclude …]
      write the client as one module's source to FILE, for a crate that
      includes it at PATH (crate::api)";

impl Args {
    /// Parses the flags. `Ok(None)` is a request for help.
    pub fn parse(args: &[String]) -> Result<Option<Args>, String> {
        let mut parsed = Args::default();
        let mut module_file = None;
        let mut module_path = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
            match arg.as_str() {
                "--spec" => parsed.spec = Some(value("--spec")?.into()),
                "--out" => parsed.out = Some(value("--out")?.into()),
                "--module" => module_file = Some(PathBuf::from(value("--module")?)),
                "--module-path" => module_path = Some(value("--module-path")?),
                "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
                "--no-examples" => parsed.no_examples = true,
                "--strict" => parsed.strict = true,
                "--check" => parsed.check = true,
                "--only" => parsed.selection.only.push(value("--only")?),
                "--exclude" => parsed.selection.exclude.push(value("--exclude")?),
                "-h" | "--help" => return Ok(None),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        parsed.module = match (module_file, module_path) {
            (Some(file), Some(path)) => Some((file, path)),
            (None, None) => None,
            _ => return Err("--module and --module-path go together".into()),
        };
        if parsed.out.is_some() && parsed.module.is_some() {
            return Err("give either --out DIR or --module FILE, not both".into());
        }
        if parsed.spec.is_some() && parsed.out.is_none() && parsed.module.is_none() {
            return Err("--spec needs --out DIR or --module FILE".into());
        }
        if parsed.spec.is_none() && (parsed.out.is_some() || parsed.module.is_some()) {
            return Err("--out and --module need --spec".into());
        }
        Ok(Some(parsed))
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
                        command: format!("{command} --spec {label}"),
                        examples: !self.no_examples,
                        strict: self.strict,
                        selection: self.selection.clone(),
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
                },
            },
            (None, None) => return None,
        };
        Some(Job { spec, label: label.to_string(), destination })
    }
}

/// One document to generate, and where.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    /// The document's name in messages and file headers.
    pub label: String,
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
pub fn write_or_check(jobs: &[Job], check: bool, shown_from: Option<&Path>) -> Result<Vec<String>, String> {
    let shown = |path: &Path| -> String {
        shown_from.and_then(|root| path.strip_prefix(root).ok()).unwrap_or(path).display().to_string()
    };
    let mut planned: Vec<(&Job, Stats, Vec<Change>)> = Vec::new();
    for job in jobs {
        let text = std::fs::read_to_string(&job.spec)
            .map_err(|err| format!("error: cannot read {}: {err}", job.spec.display()))?;
        let folder = job.folder();
        let (files, warnings, stats) = match &job.destination {
            Destination::Crate { options, .. } => {
                let generated = crate::generate(&text, &job.label, options).map_err(|f| f.to_string())?;
                (generated.files, generated.warnings, generated.stats)
            }
            Destination::Module { file, options } => {
                let generated = crate::generate_module(&text, &job.label, options).map_err(|f| f.to_string())?;
                let name = file.file_name().map_or_else(|| "api.rs".into(), |n| n.to_string_lossy().into_owned());
                (vec![(name, generated.source)], generated.warnings, generated.stats)
            }
        };
        if !warnings.is_empty() {
            eprintln!("{warnings}");
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
