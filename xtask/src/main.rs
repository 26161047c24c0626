//! Project tasks. `cargo xtask codegen` regenerates `generated/` from
//! `openapi/autotune.yaml`; `--check` only compares; `--spec/--out` makes a
//! crate from any OpenAPI 3.0 document.

mod codegen;
mod files;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]
      regenerate generated/ from openapi/autotune.yaml (--check: compare only)
  cargo xtask codegen --spec PATH --out DIR [--crate-name NAME] [--check]
      make a crate from any OpenAPI 3.0 document (.yaml, .yml or .json)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::Args::parse(&args[1..]).and_then(|a| codegen::run(&a)),
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
