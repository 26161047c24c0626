//! `cargo xtask codegen`: read the spec, run the generator, then write (or
//! in `--check` mode compare) the crate's files.

use generator::cli::{self, Args, Destination, Job};
use generator::CrateOptions;
use std::path::{Path, PathBuf};
use std::time::Instant;

const NAME: &str = "cargo xtask codegen";

/// `cargo xtask codegen`'s flags: the generator's own ([`cli::Args`]);
/// without `--spec`, the crates kept checked in. Help, `--version` and
/// usage errors are clap's (`err.exit()`: stdout and 0, or stderr and 2).
pub fn parse(args: &[String]) -> Result<Args, clap::Error> {
    let parsed = Args::parse(NAME, args)?;
    if !parsed.selection.is_everything() && parsed.spec.is_none() {
        return Err(Args::usage_error(
            NAME,
            "--only and --exclude need --spec and --out (the checked-in crates keep every operation)",
        ));
    }
    Ok(parsed)
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Makes `workspace` a scratch workspace of `members` (folders in it) that
/// builds offline with this workspace's lock file.
pub fn scratch_workspace(root: &Path, workspace: &Path, members: &[String]) -> Result<(), String> {
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", quoted.join(", "));
    std::fs::create_dir_all(workspace).map_err(|e| e.to_string())?;
    std::fs::write(workspace.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
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

/// The crates kept checked in: the Autotune client, and the clients the
/// HTTP tests use for every kind of credential, every kind of body and
/// parameter, every paging style, a matrix of parameters and bodies, and
/// OpenAPI 3.2 (from the security, media, paging, matrix and 3.2 fixtures).
fn checked_in(root: &Path, args: &Args) -> Vec<Job> {
    let job = |spec: &str, out: &str, crate_name: &str, examples: bool| Job {
        spec: root.join(spec),
        label: spec.into(),
        overlays: Vec::new(),
        destination: Destination::Crate {
            out: root.join(out),
            options: CrateOptions {
                crate_name: crate_name.into(),
                spec_label: spec.into(),
                command: "cargo xtask codegen".into(),
                examples: examples && !args.no_examples,
                strict: args.strict,
                selection: generator::Selection::default(),
                overlays: Vec::new(),
                formats: Default::default(),
            },
        },
    };
    let mut autotune = job("openapi/autotune.yaml", "generated", "statsig-autotune", true);
    if let (Some(name), Destination::Crate { options, .. }) = (&args.crate_name, &mut autotune.destination) {
        options.crate_name = name.clone();
    }
    vec![
        autotune,
        job("tests/fixtures/constructs/security.yaml", "tests/clients/security", "security-client", false),
        job("tests/fixtures/constructs/media.yaml", "tests/clients/media", "media-client", false),
        job("tests/fixtures/constructs/paging.yaml", "tests/clients/pages", "pages-client", false),
        job("tests/fixtures/constructs/matrix.yaml", "tests/clients/matrix", "matrix-client", false),
        job("tests/fixtures/constructs/openapi-3-2.yaml", "tests/clients/v32", "v32-client", false),
    ]
}

pub fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let jobs = match &args.spec {
        Some(spec) => match args.job(&label(spec, &root), NAME) {
            Some(job) => vec![job],
            None => Args::usage_error(NAME, "--spec needs --out DIR or --module FILE").exit(),
        },
        None => checked_in(&root, args),
    };
    // Every crate is generated before anything is written or compared, so
    // a failure leaves all of them as they were.
    for line in cli::write_or_check(&jobs, args.check, args.quiet, Some(&root))? {
        let prefix = if args.check { "codegen --check: " } else { "" };
        if !args.quiet {
            println!("{prefix}{line}");
        }
    }
    if args.spec.is_none() {
        runtime_harness(&root, args.check)?;
    }
    if args.check {
        return Ok(());
    }
    if std::env::var_os("XTASK_REPORT_PEAK_MEMORY").is_some() {
        eprintln!("peak-rss-kib {}", peak_rss_kib().unwrap_or(0));
    }
    if !args.quiet {
        println!("codegen: done in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    }
    Ok(())
}

/// The `mod.rs` the `tests` crate runs the runtime's unit tests with
/// (they are not emitted into generated crates): written, or compared.
fn runtime_harness(root: &Path, check: bool) -> Result<(), String> {
    let path = root.join("tests/tests/runtime_unit/mod.rs");
    let wanted = generator::runtime::test_harness();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == wanted {
        return Ok(());
    }
    if check {
        return Err(format!("{} differs from what the generator writes: run `cargo xtask codegen`", path.display()));
    }
    std::fs::create_dir_all(path.parent().unwrap_or(root)).map_err(|e| e.to_string())?;
    std::fs::write(&path, wanted).map_err(|e| format!("{}: {e}", path.display()))
}

/// This process's peak resident set (Linux `VmHWM`), for the benchmarks.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
