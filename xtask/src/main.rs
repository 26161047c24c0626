//! Project tasks. `cargo xtask codegen` regenerates `generated/` from
//! `openapi/autotune.yaml`; `--check` only compares; `--spec/--out` makes a
//! crate from any OpenAPI 3.0 or 3.1 document. `cargo xtask test` runs the whole
//! suite after installing what it needs. `synth-spec`, `bench-build` and
//! `bench-compare` serve the benchmarks (see BENCHMARKS.md).

mod bench_build;
mod bench_compare;
mod codegen;
mod contract;
mod fuzz;
mod invariance;
mod outdated;
mod parity;
mod pypi;
mod real_world;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]
      regenerate generated/ from openapi/autotune.yaml (--check: compare only)
  cargo xtask codegen --spec PATH --out DIR [--crate-name NAME] [--no-examples] [--strict] [--check]
                      [--only SELECTOR]... [--exclude SELECTOR]...
      make a crate from any OpenAPI 3.0 or 3.1 document (.yaml, .yml or
      .json), with examples/<operation>.rs unless --no-examples; an
      operation that uses something unsupported is left out with a
      warning, or the document refused with --strict; --only and --exclude
      pick operations by operationId, tag or \"METHOD /path\" and leave out
      the schemas no kept operation uses
  cargo xtask codegen --spec PATH --module FILE --module-path PATH [--strict] [--check] [--only …] [--exclude …]
      write the client as one module's source to FILE, for a crate that
      includes it at PATH (crate::api); the flags are the same as
      openapi-client-gen's, parsed by one front end (generator::cli, on
      clap: --help, --version, --quiet; usage errors exit 2)
  cargo xtask test [CARGO TEST ARGS...]
      install the pinned npm packages the tests use (when missing), then
      run `cargo test --workspace`
  cargo xtask real-world [--only NAME]
      generate crates from real public API documents (GitHub, Directus,
      Blockfrost, Dialogporten, GitBook, Scalar Galaxy, Statsig), check them
      clippy-clean, then call every operation (GitHub: a slice) against a
      validating Prism mock
  cargo xtask fuzz [--cases N] [--seed S] [--compile K]
      generate N random documents built from the constructs (seeded):
      none may panic, a refusal must say where; then K of the crates must
      be clippy-clean
  cargo xtask parity [--cases N] [--fuzzed K] [--seed S] [--arbitrary-precision]
      decode JSON made from the schemas of our decoding fixture and of K
      fuzzed documents (N cases a type, mutated) with the generated types
      and with serde-derived twins of them: every case must decode alike
  cargo xtask outdated
      list each dependency the generated crates declare whose newest release
      on crates.io is semver-incompatible with it (asks the registry; not a test)
  cargo xtask synth-spec [--shape console|enums] --operations N --schemas M --out PATH
      write a deterministic synthetic document shaped like the Console API
      (or enum-heavy: an enum of its own in every schema)
  cargo xtask bench-build [--operations N] [--schemas M]
      time a from-scratch build of the crate generated for a synthetic document
  cargo xtask bench-compare [--docs autotune,statsig,synth1000,synthenums1000,github] [--build LIST] [--tools LIST] [--runs N]
      ours beside progenitor and openapi-to-rust (installed by hand): codegen
      time and memory, emitted lines, build times; see BENCHMARKS.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        // Help, --version and usage errors: clap's, as the generator's binary.
        Some("codegen") => codegen::parse(&args[1..]).map_or_else(|err| err.exit(), |parsed| codegen::run(&parsed)),
        Some("test") => test::run(&args[1..]),
        Some("real-world") => real_world::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("parity") => parity::run(&args[1..]),
        Some("outdated") => outdated::run(&args[1..]),
        Some("synth-spec") => synth_spec(&args[1..]),
        Some("bench-build") => bench_build::run(&args[1..]),
        Some("bench-compare") => bench_compare::run(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs.
pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

pub fn number_flag(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match flag(args, name) {
        Some(v) => v.parse().map_err(|_| format!("{name} needs a whole number, not `{v}`")),
        None => Ok(default),
    }
}

fn synth_spec(args: &[String]) -> Result<(), String> {
    let operations = number_flag(args, "--operations", 1000)?;
    let schemas = number_flag(args, "--schemas", operations)?;
    let out = flag(args, "--out").ok_or("--out PATH is required")?;
    let doc = match flag(args, "--shape").as_deref() {
        None | Some("console") => xtask::synth::document(operations, schemas),
        Some("enums") => xtask::synth_enums::document(operations, schemas),
        Some(other) => return Err(format!("unknown --shape `{other}`: console (the default) or enums")),
    };
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    std::fs::write(&out, text).map_err(|e| format!("error: cannot write {out}: {e}"))?;
    println!("synth-spec: {operations} operations, {schemas} schemas written to {out}");
    Ok(())
}
