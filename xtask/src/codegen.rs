//! `cargo xtask codegen`: read the spec, run the generator, then write (or
//! in `--check` mode compare) the crate's files.

use generator::output::{self as files, Change};
use generator::CrateOptions;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Args {
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    check: bool,
    no_examples: bool,
    strict: bool,
    selection: generator::Selection,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut parsed = Args {
            spec: None,
            out: None,
            crate_name: None,
            check: false,
            no_examples: false,
            strict: false,
            selection: generator::Selection::default(),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--no-examples" => parsed.no_examples = true,
                "--strict" => parsed.strict = true,
                "--spec" => parsed.spec = Some(value("--spec")?.into()),
                "--out" => parsed.out = Some(value("--out")?.into()),
                "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
                "--only" => parsed.selection.only.push(value("--only")?),
                "--exclude" => parsed.selection.exclude.push(value("--exclude")?),
                other => return Err(format!("unknown argument `{other}`\n{}", super::USAGE)),
            }
        }
        if parsed.spec.is_some() != parsed.out.is_some() {
            return Err("--spec and --out go together".into());
        }
        if !parsed.selection.is_everything() && parsed.spec.is_none() {
            return Err(
                "--only and --exclude need --spec and --out (the checked-in crates keep every operation)".into()
            );
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

/// One crate to generate: from which spec, into which folder.
struct Target {
    spec: PathBuf,
    out: PathBuf,
    options: CrateOptions,
}

/// The crates kept checked in: the Autotune client, and the clients the
/// HTTP tests use for every kind of credential and every kind of body and
/// parameter (from the security and media fixtures).
fn checked_in(root: &Path, args: &Args) -> Vec<Target> {
    let target = |spec: &str, out: &str, crate_name: &str, examples: bool| Target {
        spec: root.join(spec),
        out: root.join(out),
        options: CrateOptions {
            crate_name: crate_name.into(),
            spec_label: spec.into(),
            command: "cargo xtask codegen".into(),
            examples: examples && !args.no_examples,
            strict: args.strict,
            selection: generator::Selection::default(),
        },
    };
    let mut autotune = target("openapi/autotune.yaml", "generated", "statsig-autotune", true);
    if let Some(name) = &args.crate_name {
        autotune.options.crate_name = name.clone();
    }
    vec![
        autotune,
        target("tests/fixtures/constructs/security.yaml", "tests/clients/security", "security-client", false),
        target("tests/fixtures/constructs/media.yaml", "tests/clients/media", "media-client", false),
    ]
}

pub fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let targets = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let spec_label = label(spec, &root);
            let stem = spec.file_stem().map_or_else(|| "api".to_string(), |s| s.to_string_lossy().into_owned());
            let crate_name = args
                .crate_name
                .clone()
                .unwrap_or_else(|| format!("{}-client", generator::naming::snake_name(&stem, "api").replace('_', "-")));
            let command = format!("cargo xtask codegen --spec {spec_label}");
            let options = CrateOptions {
                crate_name,
                spec_label,
                command,
                examples: !args.no_examples,
                strict: args.strict,
                selection: args.selection.clone(),
            };
            vec![Target { spec: spec.clone(), out: out.clone(), options }]
        }
        _ => checked_in(&root, args),
    };
    // Every crate is generated before anything is written or compared, so
    // a failure leaves all of them as they were.
    let mut generated = Vec::new();
    for target in &targets {
        let spec = &target.spec;
        let text =
            std::fs::read_to_string(spec).map_err(|err| format!("error: cannot read {}: {err}", spec.display()))?;
        let crate_files = generator::generate(&text, &target.options.spec_label, &target.options)
            .map_err(|failure| failure.to_string())?;
        let changes = files::compare(&target.out, &crate_files.files)
            .map_err(|err| format!("error: cannot read {}: {err}", target.out.display()))?;
        if !crate_files.warnings.is_empty() {
            eprintln!("{}", crate_files.warnings);
        }
        generated.push((target, crate_files.stats, changes));
    }
    if args.check {
        let mut message = String::new();
        for (target, _, changes) in &generated {
            for change in changes {
                let what = match change {
                    Change::Write { path, existed: true, .. } => format!("{} is stale", path.display()),
                    Change::Write { path, existed: false, .. } => format!("{} is missing", path.display()),
                    Change::Remove(path) => format!("{} is no longer generated", path.display()),
                };
                message.push_str(&format!("error: {what}\n"));
            }
            if !changes.is_empty() {
                message.push_str(&format!("run `{}` to regenerate\n", target.options.command));
            }
        }
        if message.is_empty() {
            for (target, _, _) in &generated {
                println!(
                    "codegen --check: {} is up to date",
                    target.out.strip_prefix(&root).unwrap_or(&target.out).display()
                );
            }
            return Ok(());
        }
        return Err(message.trim_end().to_string());
    }
    for (target, stats, changes) in &generated {
        files::apply(changes).map_err(|err| format!("error: writing {}: {err}", target.out.display()))?;
        println!("{}", files::summary(stats, changes.len(), target.out.strip_prefix(&root).unwrap_or(&target.out)));
    }
    if std::env::var_os("XTASK_REPORT_PEAK_MEMORY").is_some() {
        eprintln!("peak-rss-kib {}", peak_rss_kib().unwrap_or(0));
    }
    println!("codegen: done in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// This process's peak resident set (Linux `VmHWM`), for the benchmarks.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
