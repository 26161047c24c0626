//! `cargo xtask bench-build`: generates the crate for a synthetic document
//! and builds it from scratch (its dependencies included, then the crate
//! alone), printing wall time and the peak memory of the largest compiler
//! process.

use crate::{codegen::workspace_root, number_flag};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub fn run(args: &[String]) -> Result<(), String> {
    let operations = number_flag(args, "--operations", 1000)?;
    let schemas = number_flag(args, "--schemas", operations)?;
    let root = workspace_root();
    let dir = root.join("target/bench-build");
    let _ = std::fs::remove_dir_all(&dir);
    let crate_dir = dir.join("synthetic");
    let doc = xtask::synth::document(operations, schemas);
    let text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    let options = generator::CrateOptions {
        crate_name: "synthetic".into(),
        spec_label: "synthetic.json".into(),
        command: "cargo xtask bench-build".into(),
        examples: false,
        strict: false,
        selection: Default::default(),
        overlays: Vec::new(),
        formats: Default::default(),
    };
    let generated = generator::generate(&text, "synthetic.json", &options).map_err(|f| f.to_string())?;
    for (path, contents) in &generated.files {
        let path = crate_dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(&crate_dir)).map_err(|e| e.to_string())?;
        std::fs::write(&path, contents).map_err(|e| e.to_string())?;
    }
    crate::codegen::scratch_workspace(&root, &dir, &["synthetic".to_string()])?;
    println!(
        "bench-build: {operations} operations, {schemas} schemas: {} lines of Rust ({:.1} per operation)",
        generated.stats.lines,
        generated.stats.lines as f64 / operations.max(1) as f64
    );
    let target = dir.join("target");
    let (seconds, peak) = timed_build(&dir, &target, &["build", "--offline", "--quiet"])?;
    println!(
        "build from scratch (dependencies and crate, debug): {seconds:.1} s, largest process {:.0} MiB",
        peak / 1024.0
    );
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        std::fs::read_to_string(crate_dir.join("src/lib.rs")).map_err(|e| e.to_string())? + "\n",
    )
    .map_err(|e| e.to_string())?;
    let (seconds, _) = timed_build(&dir, &target, &["build", "--offline", "--quiet", "-p", "synthetic"])?;
    println!("rebuild of the generated crate alone (debug): {seconds:.1} s");
    Ok(())
}

/// Wall time of a cargo command, and the peak RSS (KiB) of the largest
/// process it ran, from `/usr/bin/time` when available.
pub(crate) fn timed_build(dir: &Path, target: &Path, args: &[&str]) -> Result<(f64, f64), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let time_tool = Path::new("/usr/bin/time");
    let started = Instant::now();
    let output = if time_tool.exists() {
        Command::new(time_tool)
            .arg("-v")
            .arg(&cargo)
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .output()
    } else {
        Command::new(&cargo).args(args).current_dir(dir).env("CARGO_TARGET_DIR", target).output()
    }
    .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("the build failed:\n{stderr}"));
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    Ok((seconds, peak))
}
