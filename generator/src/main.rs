//! `openapi-autotune-gen`: the generator as a command, for any OpenAPI 3.0
//! or 3.1 document, with the flags of `cargo xtask codegen --spec … --out …`
//! (`cargo install --path generator`). Both parse and write through
//! [`generator::cli`].

use generator::cli::{self, Args};
use std::process::ExitCode;

fn usage() -> String {
    format!("usage:\n  openapi-autotune-gen {}", cli::FLAGS)
}

fn run(args: &[String]) -> Result<Vec<String>, String> {
    let Some(args) = Args::parse(args).map_err(|err| format!("{err}\n{}", usage()))? else {
        return Ok(vec![usage()]);
    };
    let spec = args.spec.as_ref().ok_or_else(|| format!("--spec is required\n{}", usage()))?;
    let label = spec.file_name().map_or_else(|| "spec".to_string(), |n| n.to_string_lossy().into_owned());
    let job = args.job(&label, "openapi-autotune-gen").expect("a --spec with --out or --module makes a job");
    cli::write_or_check(&[job], args.check, None)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(lines) => {
            lines.iter().for_each(|line| println!("{line}"));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
