//! `cargo xtask bench-compare`: our generator side by side with progenitor
//! and openapi-to-rust on the same documents, in one run, so the ratios
//! compare like with like. Run by hand (never in CI): the two other
//! generators are installed by hand (`cargo install cargo-progenitor`,
//! `cargo install openapi-to-rust`) and the builds take many minutes.
//!
//! Per document and generator: codegen wall time (median of several runs)
//! and peak memory of the whole process; emitted lines of Rust; and, for
//! the documents asked for with `--build`, the emitted crate's build from
//! scratch (dependencies included, fresh target directory), of the crate
//! alone (after `cargo clean -p`) and after a one-line change, with the peak
//! memory of the largest process. Ours is also built alone with only its
//! largest tag's feature.

use crate::bench_build::timed_build;
use crate::codegen::workspace_root;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const USAGE: &str = "cargo xtask bench-compare [--docs autotune,statsig,synth1000,synthenums1000,github] [--build autotune,statsig,synth1000,synthenums1000] [--tools ours,progenitor,openapi-to-rust] [--runs N]";

/// A generator under comparison.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Ours,
    Progenitor,
    OpenapiToRust,
}

impl Tool {
    const ALL: [Tool; 3] = [Tool::Ours, Tool::Progenitor, Tool::OpenapiToRust];

    fn name(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::Progenitor => "progenitor",
            Tool::OpenapiToRust => "openapi-to-rust",
        }
    }
}

/// Wall seconds and peak memory (MiB) of a step, or why it failed.
type Measured = Result<(f64, f64), String>;

/// What one generator did with one document.
struct Outcome {
    tool: Tool,
    /// Median wall seconds and peak RSS (MiB) of the codegen process, or why
    /// it failed.
    codegen: Measured,
    lines: usize,
    crate_dir: PathBuf,
    builds: Option<Builds>,
}

struct Builds {
    /// Dependencies and the crate, in a fresh target directory.
    scratch: Measured,
    /// The crate alone, after `cargo clean -p` (dependencies built).
    alone: Measured,
    /// The crate after a one-line change (incremental).
    touch: Measured,
    /// Ours: the crate alone with only its largest tag's feature.
    one_tag: Option<(String, Measured)>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut docs = vec!["autotune", "statsig", "synth1000", "synthenums1000", "github"];
    let mut builds: Vec<String> =
        vec!["autotune".into(), "statsig".into(), "synth1000".into(), "synthenums1000".into()];
    let mut runs = 5usize;
    let mut tools: Vec<Tool> = Tool::ALL.to_vec();
    let mut iter = args.iter();
    let mut doc_list = None;
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--docs" => doc_list = Some(value("--docs")?),
            "--build" => builds = value("--build")?.split(',').map(str::to_string).filter(|s| !s.is_empty()).collect(),
            "--tools" => {
                let names = value("--tools")?;
                tools = Tool::ALL.into_iter().filter(|t| names.split(',').any(|n| n == t.name())).collect();
                if tools.first() != Some(&Tool::Ours) {
                    return Err(format!("--tools must include ours (the ratios are ours over the others)\n{USAGE}"));
                }
            }
            "--runs" => runs = value("--runs")?.parse().map_err(|_| format!("--runs needs a number\n{USAGE}"))?,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let doc_list = doc_list.unwrap_or_default();
    if !doc_list.is_empty() {
        docs = doc_list.split(',').collect();
    }
    let root = workspace_root();
    let dir = root.join("target/bench-compare");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).map_err(|e| e.to_string())?;
    let ours = build_our_binary(&root)?;
    println!("bench-compare: {} ({} codegen runs each)", machine(), runs.max(1));
    let mut report = String::new();
    for doc in &docs {
        let spec = prepare_document(&root, &dir, doc)?;
        let mut outcomes = Vec::new();
        for &tool in &tools {
            let crate_dir = dir.join(doc).join(tool.name());
            let codegen = codegen(tool, &ours, &spec, &crate_dir, runs.max(1));
            let lines = if codegen.is_ok() { rust_lines(&crate_dir) } else { 0 };
            outcomes.push(Outcome { tool, codegen, lines, crate_dir, builds: None });
        }
        if builds.iter().any(|b| b == doc) {
            for outcome in outcomes.iter_mut().filter(|o| o.codegen.is_ok()) {
                outcome.builds = Some(build(outcome.tool, &outcome.crate_dir));
            }
        }
        let table = table(doc, &outcomes);
        println!("{table}");
        report.push_str(&table);
    }
    std::fs::write(dir.join("report.md"), &report).map_err(|e| e.to_string())?;
    println!("bench-compare: the tables are in {}", dir.join("report.md").display());
    Ok(())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cores} cores, {rustc}")
}

/// Our generator's binary, built in release.
fn build_our_binary(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "-p", "openapi-autotune-gen", "--bin", "openapi-client-gen"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building openapi-client-gen failed".into());
    }
    Ok(root.join("target/release/openapi-client-gen"))
}

/// The document as a JSON file every generator reads.
fn prepare_document(root: &Path, dir: &Path, doc: &str) -> Result<PathBuf, String> {
    let value = match doc {
        "autotune" => yaml_to_json(&root.join("openapi/autotune.yaml"))?,
        "statsig" => {
            yaml_to_json(&root.join("../shared/upstream/statsig/full-spec/console-api-20240601.2025-03-12.json"))?
        }
        "synth1000" => xtask::synth::document(1000, 1000),
        "synthenums1000" => xtask::synth_enums::document(1000, 1000),
        "github" => {
            crate::test::install_npm_packages(&root.join("tests/real-world"))?;
            yaml_to_json(&root.join("tests/real-world/node_modules/@octokit/openapi/generated/api.github.com.json"))?
        }
        other => return Err(format!("unknown document `{other}`\n{USAGE}")),
    };
    let path = dir.join("docs").join(format!("{doc}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    Ok(path)
}

fn yaml_to_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut diags = generator::Diagnostics::new(path.display().to_string());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    generator::load::parse_text(&text, &name, &mut diags).map_err(|_| diags.to_string())
}

/// Runs the generator `runs` times into a fresh folder: the median wall
/// time and the largest peak RSS.
fn codegen(tool: Tool, ours: &Path, spec: &Path, out: &Path, runs: usize) -> Measured {
    let mut walls = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        let (program, args): (PathBuf, Vec<String>) = match tool {
            Tool::Ours => (
                ours.to_path_buf(),
                vec!["--spec".into(), path(spec), "--out".into(), path(out), "--no-examples".into()],
            ),
            Tool::Progenitor => (
                "cargo".into(),
                ["progenitor", "-i", &path(spec), "-o", &path(out), "-n", "compared", "-v", "0.1.0"]
                    .map(String::from)
                    .to_vec(),
            ),
            Tool::OpenapiToRust => openapi_to_rust_command(spec, out),
        };
        let started = Instant::now();
        let output = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(&program)
            .args(&args)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        let wall = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let why = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim().to_string();
            return Err(why.chars().take(120).collect());
        }
        walls.push(wall);
        peak = peak.max(max_rss_kib(&stderr) / 1024.0);
    }
    if tool == Tool::OpenapiToRust {
        wrap_openapi_to_rust(out)?;
    }
    walls.sort_by(f64::total_cmp);
    Ok((walls[walls.len() / 2], peak))
}

/// openapi-to-rust's direct mode: loose modules into a folder.
fn openapi_to_rust_command(spec: &Path, out: &Path) -> (PathBuf, Vec<String>) {
    let args = ["generate", &path(spec), "--output-dir", &path(&out.join("src")), "--module-name", "compared"];
    ("openapi-to-rust".into(), args.map(String::from).to_vec())
}

/// openapi-to-rust writes loose modules (`mod.rs`, `client.rs`,
/// `types.rs`) and a `REQUIRED_DEPS.toml`; a crate around them makes its
/// output buildable like the others'.
fn wrap_openapi_to_rust(out: &Path) -> Result<(), String> {
    let src = out.join("src");
    let deps = std::fs::read_to_string(src.join("REQUIRED_DEPS.toml"))
        .map_err(|e| format!("openapi-to-rust wrote no REQUIRED_DEPS.toml: {e}"))?;
    let manifest =
        format!("[package]\nname = \"compared\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n{deps}\n");
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::rename(src.join("mod.rs"), src.join("lib.rs")).map_err(|e| format!("no mod.rs: {e}"))?;
    std::fs::remove_file(src.join("REQUIRED_DEPS.toml")).map_err(|e| e.to_string())
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn max_rss_kib(time_output: &str) -> f64 {
    time_output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Lines of Rust under the crate's `src/`.
fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.join("src")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                total += std::fs::read_to_string(&p).map_or(0, |t| t.lines().count());
            }
        }
    }
    total
}

/// Builds the crate in a workspace of its own: from scratch, then after a
/// one-line change; ours also with only its first tag's feature.
fn build(tool: Tool, crate_dir: &Path) -> Builds {
    let workspace = crate_dir.with_file_name(format!("{}-workspace", tool.name()));
    let _ = std::fs::remove_dir_all(&workspace);
    let member = workspace.join("member");
    if let Err(err) = copy_dir(crate_dir, &member) {
        let failed: Measured = Err(err);
        return Builds { scratch: failed.clone(), alone: failed.clone(), touch: failed, one_tag: None };
    }
    let _ = std::fs::write(workspace.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"member\"]\n");
    let target = workspace.join("target");
    let package = package_name(&member);
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--quiet"];
        args.extend(extra);
        timed_build(&workspace, &target, &args).map(kib_to_mib)
    };
    let clean = || timed_build(&workspace, &target, &["clean", "--quiet", "-p", &package]).map(|_| ());
    // The same work on each side: the others' crates build reqwest without
    // TLS and every operation, so ours is built without a TLS feature and
    // with every operation and schema.
    let same_work = every_operation(&member);
    let same: Vec<&str> = match tool {
        Tool::Ours if same_work.is_empty() => vec!["--no-default-features"],
        Tool::Ours => vec!["--no-default-features", "--features", &same_work],
        Tool::Progenitor | Tool::OpenapiToRust => Vec::new(),
    };
    let scratch = build(&same);
    let alone = clean().and_then(|()| build(&same));
    let lib = member.join("src/lib.rs");
    let touch = append_line(&lib).and_then(|()| build(&same));
    let one_tag = (tool == Tool::Ours).then(|| largest_feature(&member)).flatten().map(|feature| {
        let result = clean().and_then(|()| build(&["--no-default-features", "--features", &feature]));
        (feature, result)
    });
    Builds { scratch, alone, touch, one_tag }
}

/// Our features that compile every operation and schema (`all-operations`,
/// `unreferenced-schemas`: those the manifest has; none for a crate without
/// tag features); with `--no-default-features`, no TLS stack.
fn every_operation(member: &Path) -> String {
    let manifest = std::fs::read_to_string(member.join("Cargo.toml")).unwrap_or_default();
    let has = |name: &str| manifest.contains(&format!("\n{name} = "));
    ["all-operations", "unreferenced-schemas"].into_iter().filter(|n| has(n)).collect::<Vec<_>>().join(",")
}

/// The package name in a crate's manifest.
fn package_name(member: &Path) -> String {
    let manifest = std::fs::read_to_string(member.join("Cargo.toml")).unwrap_or_default();
    let line = manifest.lines().find(|l| l.starts_with("name = ")).unwrap_or("name = \"compared\"");
    line.split('"').nth(1).unwrap_or("compared").to_string()
}

fn kib_to_mib((seconds, kib): (f64, f64)) -> (f64, f64) {
    (seconds, kib / 1024.0)
}

fn append_line(file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    std::fs::write(file, text + "\n").map_err(|e| e.to_string())
}

/// The tag feature of our emitted `Cargo.toml` with the most operations
/// (its comment says how many): the costliest single tag.
fn largest_feature(member: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(member.join("Cargo.toml")).ok()?;
    let lines: Vec<&str> = manifest.lines().collect();
    lines
        .windows(2)
        .filter_map(|pair| {
            let count: usize = pair[0].strip_prefix("# The ")?.split(' ').next()?.parse().ok()?;
            let name = pair[1].strip_suffix(" = []")?;
            Some((count, name.to_string()))
        })
        .max_by_key(|(count, _)| *count)
        .map(|(_, name)| name)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The document's table: each generator's figures and their ratio to
/// progenitor's (and openapi-to-rust's for codegen).
fn table(doc: &str, outcomes: &[Outcome]) -> String {
    let mut out = format!(
        "\n### {doc}\n\n| generator | codegen ms | codegen MiB | lines | from scratch s | peak MiB | crate alone s | crate alone peak MiB | rebuild after a change s | one tag: crate alone s |\n|---|---|---|---|---|---|---|---|---|---|\n"
    );
    let fmt = |r: &Measured, scale: f64, which: usize| match r {
        Ok((a, b)) => format!("{:.1}", if which == 0 { a * scale } else { *b }),
        Err(_) => "failed".to_string(),
    };
    for o in outcomes {
        let none = || "—".to_string();
        let (scratch_s, scratch_m, alone_s, alone_m, touch_s, one) = match &o.builds {
            Some(b) => (
                fmt(&b.scratch, 1.0, 0),
                fmt(&b.scratch, 1.0, 1),
                fmt(&b.alone, 1.0, 0),
                fmt(&b.alone, 1.0, 1),
                fmt(&b.touch, 1.0, 0),
                b.one_tag.as_ref().map_or_else(none, |(f, r)| format!("{} (`{f}`)", fmt(r, 1.0, 0))),
            ),
            None => (none(), none(), none(), none(), none(), none()),
        };
        let lines = if o.codegen.is_ok() { o.lines.to_string() } else { "—".into() };
        out.push_str(&format!(
            "| {} | {} | {} | {lines} | {scratch_s} | {scratch_m} | {alone_s} | {alone_m} | {touch_s} | {one} |\n",
            o.tool.name(),
            fmt(&o.codegen, 1000.0, 0),
            fmt(&o.codegen, 1.0, 1),
        ));
    }
    for o in outcomes {
        if let Err(why) = &o.codegen {
            out.push_str(&format!("\n{} failed on {doc}: {why}\n", o.tool.name()));
        }
        if let Some(b) = &o.builds {
            for (what, r) in [("from scratch", &b.scratch), ("alone", &b.alone), ("after a change", &b.touch)] {
                if let Err(why) = r {
                    let first: String = why.lines().take(3).collect::<Vec<_>>().join(" / ");
                    out.push_str(&format!("\n{}'s crate failed to build {what}: {first}\n", o.tool.name()));
                }
            }
        }
    }
    out.push_str(&ratios(outcomes));
    out
}

/// Ours over each other generator, for every figure both have.
fn ratios(outcomes: &[Outcome]) -> String {
    let ours = &outcomes[0];
    let mut out = String::new();
    for other in &outcomes[1..] {
        let mut parts = Vec::new();
        if let (Ok(a), Ok(b)) = (&ours.codegen, &other.codegen) {
            parts.push(format!("codegen time {:.2}×, memory {:.2}×", a.0 / b.0, a.1 / b.1));
            parts.push(format!("lines {:.2}×", ours.lines as f64 / other.lines.max(1) as f64));
        }
        if let (Some(a), Some(b)) = (&ours.builds, &other.builds) {
            if let (Ok(a), Ok(b)) = (&a.scratch, &b.scratch) {
                parts.push(format!("build from scratch {:.2}× time, {:.2}× peak memory", a.0 / b.0, a.1 / b.1));
            }
            if let (Ok(a), Ok(b)) = (&a.alone, &b.alone) {
                parts.push(format!("crate alone {:.2}× time, {:.2}× peak memory", a.0 / b.0, a.1 / b.1));
            }
            if let (Ok(a), Ok(b)) = (&a.touch, &b.touch) {
                parts.push(format!("rebuild {:.2}×", a.0 / b.0));
            }
        }
        if !parts.is_empty() {
            out.push_str(&format!("\nours / {}: {}.\n", other.tool.name(), parts.join("; ")));
        }
    }
    if let Some(Builds { alone: Ok(full), one_tag: Some((feature, Ok(one))), .. }) = &ours.builds {
        out.push_str(&format!(
            "\nours, the crate alone with only `{feature}` (its largest tag): {:.2}× the crate alone with every feature.\n",
            one.0 / full.0
        ));
    }
    out
}
