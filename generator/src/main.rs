//! `openapi-client-gen`: the generator as a command, for any OpenAPI 3.0,
//! 3.1 or 3.2 document, with the flags of `cargo xtask codegen --spec …
//! --out …` (`cargo install --path generator`). Both parse and write
//! through [`generator::cli`].

use generator::cli::{self, Args};
use std::process::ExitCode;

const NAME: &str = "openapi-client-gen";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Help and --version print on stdout and exit 0; usage errors exit 2.
    let args = Args::parse(NAME, &args).unwrap_or_else(|err| err.exit());
    let Some(spec) = args.spec.as_ref() else {
        Args::usage_error(NAME, "--spec PATH is required, with --out DIR or --module FILE").exit()
    };
    let label = spec.file_name().map_or_else(|| "spec".to_string(), |n| n.to_string_lossy().into_owned());
    let Some(job) = args.job(&label, NAME) else {
        Args::usage_error(NAME, "--spec needs --out DIR or --module FILE").exit()
    };
    match cli::write_or_check(&[job], args.check, args.quiet, None) {
        Ok(lines) => {
            if !args.quiet {
                lines.iter().for_each(|line| println!("{line}"));
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{}", cli::paint(&message, cli::colour_on_stderr()));
            ExitCode::FAILURE
        }
    }
}
