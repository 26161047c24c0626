//! The generated crates' runtime, compiled from `generator/runtime/` with
//! its unit tests (encoding, retries, redaction, the JSON reader against
//! serde_json, the property tests that no input panics). They run here,
//! once, instead of shipping in every generated crate.

// Each generated crate uses the part of the runtime its document needs;
// this crate uses none of it outside the tests, and has no `tracing`
// feature.
// `runtime_unit/mod.rs` is written by `cargo xtask codegen`, not formatted.
#[allow(dead_code, unused_imports, unused_macros, unexpected_cfgs)]
#[rustfmt::skip]
#[path = "runtime_unit/mod.rs"]
mod runtime;
