//! Library side of the project tasks, shared by the `xtask` binary and the
//! benchmarks.

pub mod synth;
pub mod synth_enums;
pub mod timing;
