//! Timing for the benchmarks (`benches/codegen.rs`, `benches/decoding.rs`).

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median of repeated runs: at least `min_runs`, and more while under ~1 s.
pub fn median<T>(min_runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < min_runs || (started.elapsed() < Duration::from_secs(1) && times.len() < 200) {
        let t = Instant::now();
        black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

/// A duration in milliseconds, two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}
