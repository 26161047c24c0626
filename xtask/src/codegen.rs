//! `cargo xtask codegen`: read the spec, run the generator, then write (or
//! in `--check` mode compare) the crate's files.

use crate::files::{self, Change};
use generator::CrateOptions;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Args {
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    check: bool,
    no_examples: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut parsed = Args { spec: None, out: None, crate_name: None, check: false, no_examples: false };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--no-examples" => parsed.no_examples = true,
                "--spec" => parsed.spec = Some(value("--spec")?.into()),
                "--out" => parsed.out = Some(value("--out")?.into()),
                "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
                other => return Err(format!("unknown argument `{other}`\n{}", super::USAGE)),
            }
        }
        if parsed.spec.is_some() != parsed.out.is_some() {
            return Err("--spec and --out go together".into());
        }
        Ok(parsed)
    }
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `path` relative to the workspace root when it is inside it, so file
/// headers are the same on every machine.
fn label(path: &Path, root: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match absolute.strip_prefix(&root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let (spec, out, options) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let spec_label = label(spec, &root);
            let stem = spec.file_stem().map_or_else(|| "api".to_string(), |s| s.to_string_lossy().into_owned());
            let crate_name = args
                .crate_name
                .clone()
                .unwrap_or_else(|| format!("{}-client", generator::naming::snake_name(&stem, "api").replace('_', "-")));
            let command = format!("cargo xtask codegen --spec {spec_label}");
            (spec.clone(), out.clone(), CrateOptions { crate_name, spec_label, command, examples: !args.no_examples })
        }
        _ => (
            root.join("openapi/autotune.yaml"),
            root.join("generated"),
            CrateOptions {
                crate_name: args.crate_name.clone().unwrap_or_else(|| "statsig-autotune".into()),
                spec_label: "openapi/autotune.yaml".into(),
                command: "cargo xtask codegen".into(),
                examples: !args.no_examples,
            },
        ),
    };
    let text = std::fs::read_to_string(&spec).map_err(|err| format!("error: cannot read {}: {err}", spec.display()))?;
    let generated = generator::generate(&text, &options.spec_label, &options).map_err(|failure| failure.to_string())?;
    let changes =
        files::compare(&out, &generated.files).map_err(|err| format!("error: cannot read {}: {err}", out.display()))?;
    if args.check {
        if changes.is_empty() {
            println!("codegen --check: {} is up to date ({} files)", out.display(), generated.files.len());
            return Ok(());
        }
        let mut message = String::new();
        for change in &changes {
            let what = match change {
                Change::Write { path, existed: true, .. } => format!("{} is stale", path.display()),
                Change::Write { path, existed: false, .. } => format!("{} is missing", path.display()),
                Change::Remove(path) => format!("{} is no longer generated", path.display()),
            };
            message.push_str(&format!("error: {what}\n"));
        }
        message.push_str(&format!("run `{}` to regenerate", options.command));
        return Err(message);
    }
    files::apply(&changes).map_err(|err| format!("error: writing {}: {err}", out.display()))?;
    if std::env::var_os("XTASK_REPORT_PEAK_MEMORY").is_some() {
        eprintln!("peak-rss-kib {}", peak_rss_kib().unwrap_or(0));
    }
    let s = generated.stats;
    println!(
        "codegen: {} types, {} enums, {} operations, {} lines; {} file(s) changed in {} in {:.1} ms",
        s.types,
        s.enums,
        s.operations,
        s.lines,
        changes.len(),
        out.strip_prefix(&root).unwrap_or(&out).display(),
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// This process's peak resident set (Linux `VmHWM`), for the benchmarks.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
