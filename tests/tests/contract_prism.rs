//! Contract test: generated clients against Stoplight Prism, a mock server
//! that validates every request against the spec it serves (method, path,
//! parameters, headers, security and body) and rejects what breaks it.
//!
//! For each of Statsig's published documents (the full Console API spec and
//! the three Autotune fragments, unmodified) and for our own
//! `openapi/autotune.yaml`, the generator's contract program calls every
//! client method with sample input made from the spec; every call must get
//! a 2xx. For our own crate, the nine emitted examples run against Prism too.
//!
//! Prism is installed by `cargo xtask test` (`npm ci --prefix tests/prism`,
//! pinned in `tests/prism/package.json`); `PRISM` may name another binary.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tests::{autotune_generated, generate_file, read, repo_root, upstream_specs, ScratchWorkspace};

/// A running `prism mock`, stopped when dropped.
struct Prism {
    child: Child,
    base_url: String,
}

fn prism_binary() -> PathBuf {
    let path = std::env::var_os("PRISM")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("tests/prism/node_modules/.bin/prism"));
    assert!(
        path.exists(),
        "Prism is missing ({}): run the tests with `cargo xtask test`, which installs it (`npm ci --prefix tests/prism`), or set PRISM",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port").port()
}

impl Prism {
    /// Starts Prism on `spec`; its log (each request, and why one was
    /// rejected) goes to `log`.
    fn start(spec: &Path, log: &Path) -> Prism {
        let port = free_port();
        let log = std::fs::File::create(log).expect("the Prism log can be written");
        let child = Command::new(prism_binary())
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            .stdout(log)
            .stderr(Stdio::piped())
            .spawn()
            .expect("prism starts");
        let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = prism.child.try_wait() {
                let mut stderr = String::new();
                prism.child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
                panic!("prism exited ({status}) before listening on {}:\n{stderr}", spec.display());
            }
            assert!(started.elapsed() < Duration::from_secs(120), "prism did not listen within 120 s");
            std::thread::sleep(Duration::from_millis(200));
        }
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One contract program's report: `(operation, status, details)`.
fn parse_report(report: &str) -> Vec<(String, Option<u16>, String)> {
    report
        .lines()
        .map(|line| {
            let (name, rest) = line.split_once(' ').unwrap_or((line, ""));
            let (status, details) = rest.split_once(' ').unwrap_or((rest, ""));
            (name.to_string(), status.parse().ok(), details.to_string())
        })
        .collect()
}

/// The contract program's example name: unique in the workspace, since
/// example binaries of all packages share one folder.
fn contract_example(crate_name: &str) -> String {
    format!("contract_{}", crate_name.replace('-', "_"))
}

/// A crate's files with its contract program added.
fn with_contract(files: &[(String, String)], crate_name: &str, contract: String) -> Vec<(String, String)> {
    let mut files = files.to_vec();
    files.push((format!("examples/{}.rs", contract_example(crate_name)), contract));
    files
}

/// The contract program for a spec. Optional parameters are sent only for
/// our own spec: upstream's `page` and `limit` (`type: integer` beside
/// `oneOf: [string, number]`) accept no value under Prism's validator, since
/// a number in a query string matches both branches of the `oneOf`.
fn contract_source(spec: &Path, crate_name: &str, optional_params: bool) -> String {
    let label = spec.file_name().unwrap().to_string_lossy().into_owned();
    let api = generator::lower_document(&read(spec), &label).unwrap_or_else(|d| panic!("{d}"));
    generator::emit::examples::contract_program(&api, crate_name, optional_params).unwrap_or_else(|e| panic!("{e}"))
}

fn run(binary: &Path, args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    Command::new(binary).args(args).envs(envs.iter().copied()).output().unwrap_or_else(|e| {
        panic!("cannot run {}: {e}", binary.display());
    })
}

#[test]
fn every_client_method_is_accepted_by_prism() {
    let prism = prism_binary();
    let root = repo_root();
    let mut workspace = ScratchWorkspace::new("contract");
    let logs = workspace.dir.parent().expect("the workspace has a parent").to_path_buf();

    // Our crate exactly as checked in (with its examples), and one crate
    // per upstream document; each gets the contract program.
    let ours = root.join("openapi/autotune.yaml");
    let mut crates: Vec<(String, PathBuf)> = vec![("statsig-autotune".into(), ours.clone())];
    let contract = contract_source(&ours, "statsig-autotune", true);
    workspace.add_crate("statsig-autotune", &with_contract(&autotune_generated().files, "statsig-autotune", contract));
    for (name, spec) in upstream_specs() {
        let crate_name = format!("contract-{}", name.replace('_', "-"));
        let generated = generate_file(&spec, &crate_name);
        let contract = contract_source(&spec, &crate_name, false);
        workspace.add_crate(&crate_name, &with_contract(&generated.files, &crate_name, contract));
        crates.push((crate_name, spec));
    }
    workspace.cargo(&["build", "--quiet", "--workspace", "--examples"]);
    let examples = workspace.target.join("debug/examples");

    let mut summary = Vec::new();
    let mut rejected = Vec::new();
    for (crate_name, spec) in &crates {
        let log = logs.join(format!("prism-{crate_name}.log"));
        let server = Prism::start(spec, &log);
        let output = run(&examples.join(contract_example(crate_name)), &[&server.base_url], &[]);
        let report = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{crate_name}: the contract program failed:\n{report}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines = parse_report(&report);
        let accepted = lines.iter().filter(|(_, s, _)| s.is_some_and(|s| (200..300).contains(&s))).count();
        let undecodable = lines.iter().filter(|(_, _, d)| d.starts_with("undecodable")).count();
        for (name, status, details) in &lines {
            if !status.is_some_and(|s| (200..300).contains(&s)) {
                rejected.push(format!("{crate_name} {name}: {status:?} {details}"));
            }
        }
        // Our own spec's examples are consistent with its schemas, so every
        // response decodes as well.
        if spec == &ours {
            assert_eq!(undecodable, 0, "responses of our own spec that do not decode:\n{report}");
        }
        summary.push(format!(
            "{crate_name}: {} operations called, {accepted} accepted with a 2xx ({undecodable} response examples did not decode)",
            lines.len()
        ));
        if spec == &ours {
            summary.push(run_examples(&examples, &server.base_url));
            summary.push(prism_rejects_a_bad_request(&server));
        }
        drop(server);
    }
    println!("Prism ({}):\n{}", prism.display(), summary.join("\n"));
    assert!(
        rejected.is_empty(),
        "requests Prism did not accept with a 2xx (its logs, with the reasons, are in {}):\n{}",
        logs.display(),
        rejected.join("\n")
    );
}

/// Runs the examples `cargo xtask codegen` emitted for our crate against
/// the server; each must exit successfully.
fn run_examples(examples: &Path, base_url: &str) -> String {
    let names: Vec<String> = autotune_generated()
        .files
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("examples/")?.strip_suffix(".rs").map(str::to_string))
        .collect();
    assert_eq!(names.len(), 9, "one example per operation: {names:?}");
    for name in &names {
        let envs = [("STATSIG_AUTOTUNE_BASE_URL", base_url), ("STATSIG_API_KEY", "console-example-key")];
        let output = run(&examples.join(name), &["my_autotune"], &envs);
        assert!(
            output.status.success(),
            "example {name} failed against Prism:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    format!("statsig-autotune: {} examples ran against Prism and succeeded", names.len())
}

/// Proves the server validates: a create body without its required fields,
/// sent by hand, is not accepted.
fn prism_rejects_a_bad_request(server: &Prism) -> String {
    use std::io::Write;
    let address = server.base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("prism accepts connections");
    let body = r#"{"name": "no variants"}"#;
    let request = format!(
        "POST /console/v1/autotunes HTTP/1.1\r\nHost: {address}\r\nSTATSIG-API-KEY: console-x\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("the request is sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("prism answers");
    let status = response.split(' ').nth(1).unwrap_or("");
    assert!(status.starts_with('4'), "prism accepted an invalid create body:\n{response}");
    format!("statsig-autotune: an invalid create body was rejected with {status}")
}
