//! `cargo bench -p xtask`: the generator's speed (in process, by phase, and
//! as a whole process), its peak memory, how it scales, the size of what it
//! emits (the generated client's decoding: `benches/decoding.rs`). Prints
//! its figures; asserts nothing (see BENCHMARKS.md for the targets and the
//! last recorded figures).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use xtask::timing::{median, ms};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

struct Doc {
    name: String,
    text: String,
    operations: usize,
}

fn documents() -> Vec<Doc> {
    let mut docs = vec![Doc {
        name: "openapi/autotune.yaml".into(),
        text: std::fs::read_to_string(root().join("openapi/autotune.yaml")).unwrap(),
        operations: 9,
    }];
    let full = root().join("../shared/upstream/statsig/full-spec/console-api-20240601.2025-03-12.json");
    if let Ok(text) = std::fs::read_to_string(&full) {
        docs.push(Doc { name: "upstream full Console API".into(), text, operations: 187 });
    }
    for n in [100, 1000, 5000] {
        let text = serde_json::to_string(&xtask::synth::document(n, n)).unwrap();
        docs.push(Doc { name: format!("synthetic {n} ops / {n} schemas"), text, operations: n });
    }
    docs
}

fn options(name: &str) -> generator::CrateOptions {
    generator::CrateOptions {
        crate_name: "bench".into(),
        spec_label: name.into(),
        command: "cargo bench".into(),
        examples: false,
        strict: false,
        selection: Default::default(),
        overlays: Vec::new(),
        formats: Default::default(),
    }
}

fn phases(docs: &[Doc]) -> Vec<(String, Duration)> {
    println!("\n## Generator in process (median ms)\n");
    println!("| document | load | lower | check | decide | emit | render | total | ms per operation |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut totals = Vec::new();
    let crate_target = generator::ir::Target::Crate;
    for doc in docs {
        let file = if doc.text.starts_with('{') { "x.json" } else { "x.yaml" };
        let runs = if doc.operations >= 1000 { 3 } else { 10 };
        let mut diags = generator::Diagnostics::new(file);
        let loaded = generator::load::load(&doc.text, file, &mut diags).unwrap();
        let (mut lowered, namings) = generator::lower::lower(&loaded, &mut diags);
        generator::lower::name_types(&mut lowered, namings);
        let unchecked = lowered.clone();
        generator::check::check(&mut lowered, &mut diags);
        let api = generator::decide::decide(lowered.clone(), &crate_target, Default::default(), &mut diags);
        assert!(diags.is_empty(), "{diags}");
        let crate_options = options(&doc.name);
        let opts = crate_options.emit_options();
        let load = median(runs, || generator::load::load(&doc.text, file, &mut generator::Diagnostics::new(file)));
        let lower = median(runs, || {
            let (mut api, namings) = generator::lower::lower(&loaded, &mut generator::Diagnostics::new(file));
            generator::lower::name_types(&mut api, namings);
            api
        });
        let check = median(runs, || {
            let mut api = unchecked.clone();
            generator::check::check(&mut api, &mut generator::Diagnostics::new(file));
            api
        });
        let decide = median(runs, || {
            generator::decide::decide(
                lowered.clone(),
                &crate_target,
                Default::default(),
                &mut generator::Diagnostics::new(file),
            )
        });
        let emit = median(runs, || generator::emit::tokens(&api, &opts));
        let render =
            median(runs, || generator::emit::render_files(generator::emit::tokens(&api, &opts)).unwrap()) - emit;
        let total = median(runs, || generator::generate(&doc.text, file, &crate_options).unwrap());
        let per_op = total / doc.operations as u32;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.3} |",
            doc.name,
            ms(load),
            ms(lower),
            ms(check),
            ms(decide),
            ms(emit),
            ms(render),
            ms(total),
            per_op.as_secs_f64() * 1e3
        );
        totals.push((doc.name.clone(), total));
    }
    totals
}

fn whole_process(docs: &[Doc]) {
    println!("\n## Generator as a whole process (`xtask codegen --spec … --out …`, release build)\n");
    println!("| document | median wall ms | peak RSS MiB |");
    println!("|---|---|---|");
    let exe = env!("CARGO_BIN_EXE_xtask");
    let scratch = std::env::temp_dir().join("xtask-bench");
    for doc in docs {
        let spec = scratch.join(if doc.text.starts_with('{') { "spec.json" } else { "spec.yaml" });
        std::fs::create_dir_all(&scratch).unwrap();
        std::fs::write(&spec, &doc.text).unwrap();
        let out = scratch.join("out");
        let run = || {
            let output = Command::new(exe)
                .args(["codegen", "--spec"])
                .arg(&spec)
                .arg("--out")
                .arg(&out)
                .env("XTASK_REPORT_PEAK_MEMORY", "1")
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            output
        };
        run();
        let wall = median(if doc.operations >= 1000 { 3 } else { 20 }, run);
        let stderr = String::from_utf8_lossy(&run().stderr).into_owned();
        let peak: f64 =
            stderr.lines().find_map(|l| l.strip_prefix("peak-rss-kib ")).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        println!("| {} | {} | {:.1} |", doc.name, ms(wall), peak / 1024.0);
        let _ = std::fs::remove_dir_all(&out);
    }
}

fn scaling(totals: &[(String, Duration)]) {
    let find = |n: usize| totals.iter().find(|(name, _)| name.starts_with(&format!("synthetic {n} "))).map(|(_, d)| *d);
    if let (Some(t1000), Some(t5000)) = (find(1000), find(5000)) {
        println!(
            "\nScaling: 5,000 operations take {:.2}× the time of 1,000 (linear is 5×; the target is at most 7.5×).",
            t5000.as_secs_f64() / t1000.as_secs_f64()
        );
    }
}

fn code_size() {
    println!("\n## Size of the emitted code\n");
    println!("| document | lines | lines per operation | client.rs lines per operation | types.rs lines per schema |");
    println!("|---|---|---|---|---|");
    for n in [100, 1000] {
        let text = serde_json::to_string(&xtask::synth::document(n, n)).unwrap();
        let generated = generator::generate(&text, "x.json", &options("synthetic")).unwrap();
        let lines = |p: &str| generated.files.iter().find(|(path, _)| path == p).map_or(0, |(_, t)| t.lines().count());
        println!(
            "| synthetic {n} ops / {n} schemas | {} | {:.1} | {:.1} | {:.1} |",
            generated.stats.lines,
            generated.stats.lines as f64 / n as f64,
            lines("src/client.rs") as f64 / n as f64,
            lines("src/types.rs") as f64 / n as f64
        );
    }
}

// A hand-written equivalent of the generated `Autotune` types: what a
// careful person would write with serde derives (the practical limit).
fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    println!("# cargo bench -p xtask (the figures of one run)");
    let docs = documents();
    let totals = phases(&docs);
    scaling(&totals);
    whole_process(&docs);
    code_size();
}
