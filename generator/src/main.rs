//! `openapi-autotune-gen`: the generator as a command, for any OpenAPI 3.0
//! or 3.1 document, with the flags of `cargo xtask codegen --spec … --out …`
//! (`cargo install --path generator`).

use generator::output::{self, Change};
use generator::{CrateOptions, ModuleOptions};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  openapi-autotune-gen --spec PATH --out DIR [--crate-name NAME] [--no-examples] [--strict] [--check]
                       [--only SELECTOR]... [--exclude SELECTOR]...
      make a client crate in DIR from an OpenAPI 3.0 or 3.1 document (.yaml,
      .yml or .json): DIR/Cargo.toml, DIR/src/…, DIR/examples/<operation>.rs
      unless --no-examples. What the generator cannot represent is left out
      with a warning, or refuses the document with --strict. --check
      compares only, and exits non-zero naming each stale file. --only and
      --exclude (repeatable) pick operations by operationId, tag, or
      \"METHOD /path\"; schemas that no kept operation uses are left out.
  openapi-autotune-gen --spec PATH --module FILE --module-path PATH [--strict] [--check] [--only …] [--exclude …]
      write the client as one module's source to FILE, for a crate that
      includes it at PATH (crate::api)";

struct Args {
    spec: PathBuf,
    out: Option<PathBuf>,
    module: Option<(PathBuf, String)>,
    crate_name: Option<String>,
    examples: bool,
    strict: bool,
    check: bool,
    selection: generator::Selection,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut spec = None;
    let (mut out, mut module, mut module_path, mut crate_name) = (None, None, None, None);
    let (mut examples, mut strict, mut check) = (true, false, false);
    let mut selection = generator::Selection::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--module" => module = Some(PathBuf::from(value("--module")?)),
            "--module-path" => module_path = Some(value("--module-path")?),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--no-examples" => examples = false,
            "--strict" => strict = true,
            "--check" => check = true,
            "--only" => selection.only.push(value("--only")?),
            "--exclude" => selection.exclude.push(value("--exclude")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let spec = spec.ok_or_else(|| format!("--spec is required\n{USAGE}"))?;
    let module = match (module, module_path) {
        (Some(file), Some(path)) => Some((file, path)),
        (None, None) => None,
        _ => return Err(format!("--module and --module-path go together\n{USAGE}")),
    };
    if out.is_some() == module.is_some() {
        return Err(format!("give either --out DIR or --module FILE\n{USAGE}"));
    }
    Ok(Args { spec, out, module, crate_name, examples, strict, check, selection })
}

fn run(args: &Args) -> Result<(), String> {
    let text = std::fs::read_to_string(&args.spec)
        .map_err(|err| format!("error: cannot read {}: {err}", args.spec.display()))?;
    let label = args.spec.file_name().map_or_else(|| "spec".to_string(), |n| n.to_string_lossy().into_owned());
    let (files, warnings, stats, out) = match (&args.out, &args.module) {
        (Some(out), _) => {
            let stem = args.spec.file_stem().map_or_else(|| "api".into(), |s| s.to_string_lossy().into_owned());
            let crate_name = args
                .crate_name
                .clone()
                .unwrap_or_else(|| format!("{}-client", generator::naming::snake_name(&stem, "api").replace('_', "-")));
            let command = format!("openapi-autotune-gen --spec {label}");
            let options = CrateOptions {
                crate_name,
                spec_label: label.clone(),
                command,
                examples: args.examples,
                strict: args.strict,
                selection: args.selection.clone(),
            };
            let generated = generator::generate(&text, &label, &options).map_err(|f| f.to_string())?;
            (generated.files, generated.warnings, generated.stats, out.clone())
        }
        (None, Some((file, module_path))) => {
            let options = ModuleOptions {
                module_path: module_path.clone(),
                spec_label: label.clone(),
                strict: args.strict,
                selection: args.selection.clone(),
            };
            let generated = generator::generate_module(&text, &label, &options).map_err(|f| f.to_string())?;
            let name = file.file_name().map_or_else(|| "api.rs".into(), |n| n.to_string_lossy().into_owned());
            let dir = file.parent().map_or_else(|| PathBuf::from("."), PathBuf::from);
            (vec![(name, generated.source)], generated.warnings, generated.stats, dir)
        }
        (None, None) => unreachable!("parse requires --out or --module"),
    };
    if !warnings.is_empty() {
        eprintln!("{warnings}");
    }
    let changes = if args.module.is_some() {
        // One file: compare it alone, never prune its folder.
        output::compare_files(&out, &files)
    } else {
        output::compare(&out, &files)
    }
    .map_err(|err| format!("error: cannot read {}: {err}", out.display()))?;
    if args.check {
        if changes.is_empty() {
            println!("{} is up to date", out.display());
            return Ok(());
        }
        let stale: Vec<String> = changes
            .iter()
            .map(|c| match c {
                Change::Write { path, existed: true, .. } => format!("error: {} is stale", path.display()),
                Change::Write { path, existed: false, .. } => format!("error: {} is missing", path.display()),
                Change::Remove(path) => format!("error: {} is no longer generated", path.display()),
            })
            .collect();
        return Err(stale.join("\n"));
    }
    output::apply(&changes).map_err(|err| format!("error: writing {}: {err}", out.display()))?;
    println!("{}", output::summary(&stats, changes.len(), &out));
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = parse(&args).and_then(|args| run(&args));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
