//! `cargo xtask test`: the whole test suite on a fresh clone. It installs
//! what the tests need that `cargo test` does not fetch itself (the pinned
//! npm packages under `tests/prism` when missing or stale; every crate of
//! the lock file, which the offline builds of generated crates use), then
//! runs `cargo test --workspace` with any extra arguments.

use crate::codegen::workspace_root;
use std::path::Path;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    install_npm_packages(&root.join("tests/prism"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Generated crates are built offline with this workspace's lock file,
    // some with features (native-tls, tracing) nothing else here enables.
    let fetched = Command::new(&cargo)
        .args(["fetch", "--locked", "--quiet"])
        .current_dir(&root)
        .status()
        .map_err(|err| format!("error: cannot run cargo: {err}"))?;
    if !fetched.success() {
        return Err(format!("cargo fetch failed ({fetched})"));
    }
    let status = Command::new(cargo)
        .args(["test", "--workspace"])
        .args(args)
        .current_dir(&root)
        .status()
        .map_err(|err| format!("error: cannot run cargo: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed ({status})"))
    }
}

/// `npm ci` in `dir` unless its `node_modules` already matches its lock
/// file (npm records the installed tree in `node_modules/.package-lock.json`).
pub fn install_npm_packages(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if let (Some(lock), Some(installed)) = (modified(&lock), modified(&installed)) {
        if installed >= lock {
            return Ok(());
        }
    }
    println!("xtask test: installing the pinned npm packages of {} (npm ci)", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .status()
        .map_err(|err| {
            format!("error: cannot run npm ({err}); the contract test needs Node.js and npm (e.g. `apt-get install nodejs npm`)")
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm ci --prefix {}` failed ({status})", dir.display()))
    }
}
