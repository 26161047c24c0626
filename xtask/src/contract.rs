//! The wire contract over real documents, the second half of
//! `cargo xtask real-world`: for each document, a contract program (made by
//! the generator, one per crate) calls every operation with sample input
//! against `prism mock --dynamic` (seeded, so each run gets the same
//! responses), which validates each request against the
//! document (method, path, parameters, headers, security, body) and makes
//! each response from the response schema. A call passes when Prism accepts
//! it with a 2xx and the client decodes the response.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Calls each document may fail, by `(crate, operation)`, with why: Prism's
/// own limits, or a document that contradicts itself. Every other call must
/// be accepted and decoded.
pub const EXPECTED_FAILURES: &[(&str, &str, &str)] = &[
    ("directus-client", "password_request", "its only documented response is a 401, so Prism answers 401"),
    ("directus-client", "password_reset", "its only documented response is a 401, so Prism answers 401"),
    (
        "directus-client",
        "register_user_verify_email",
        "its only documented response is a 302 redirect to the app; the client follows no redirect (so no credential leaves) and returns it as `Error::Api` with its typed status",
    ),
    (
        "galaxy-client",
        "create_celestial_body",
        "Prism requires `orbit.planet.id` inside the body, a property the document marks readOnly; the client sends no read-only property (Prism itself lets a top-level read-only `id` be left out, as in create_planet)",
    ),
    (
        "galaxy-client",
        "create_planet",
        "Prism's response generator stops the planet → satellite → orbit → planet recursion with a planet that lacks its required `id`, so the response breaks the document",
    ),
    (
        "galaxy-client",
        "get_planet",
        "Prism's response generator stops the planet → satellite → orbit → planet recursion with a planet that lacks its required `id`",
    ),
    (
        "galaxy-client",
        "update_planet",
        "Prism's response generator stops the planet → satellite → orbit → planet recursion with a planet that lacks its required `id`",
    ),
];

/// Contract programs that are built (so their sample input type-checks)
/// but not run, with why.
pub const NOT_SERVED: &[(&str, &str)] = &[(
    "gitbook-client",
    "Prism does not start on GitBook's document: after 10 minutes at full CPU it was still not listening",
)];

/// The contract program of `crate_name`, as an example of its crate.
pub fn example_name(crate_name: &str) -> String {
    format!("contract_{}", crate_name.replace('-', "_"))
}

/// One call's outcome, from a line of the program's report.
#[derive(Debug)]
struct Outcome {
    operation: String,
    status: Option<u16>,
    details: String,
}

impl Outcome {
    fn parse(line: &str) -> Outcome {
        let (operation, rest) = line.split_once(' ').unwrap_or((line, ""));
        let (status, details) = rest.split_once(' ').unwrap_or((rest, ""));
        Outcome { operation: operation.to_string(), status: status.parse().ok(), details: details.to_string() }
    }

    fn accepted(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn decoded(&self) -> bool {
        self.accepted() && !self.details.starts_with("undecodable")
    }
}

/// What one document's contract came to.
pub struct Summary {
    pub called: usize,
    pub accepted: usize,
    pub decoded: usize,
    /// Failed calls that [`EXPECTED_FAILURES`] does not name.
    pub unexpected: Vec<String>,
}

/// Runs the contract program `program` of `crate_name` against Prism
/// serving `document`; Prism's log goes to `log`.
pub fn run(prism: &Path, program: &Path, crate_name: &str, document: &Path, log: &Path) -> Result<Summary, String> {
    let server = Prism::start(prism, document, log)?;
    let output = Command::new(program)
        .arg(&server.base_url)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    drop(server);
    let report = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{crate_name}: the contract program failed ({}):\n{report}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let outcomes: Vec<Outcome> = report.lines().map(Outcome::parse).collect();
    let expected = |op: &str| EXPECTED_FAILURES.iter().any(|(c, o, _)| *c == crate_name && *o == op);
    let unexpected = outcomes
        .iter()
        .filter(|o| !o.decoded() && !expected(&o.operation))
        .map(|o| format!("{crate_name} {}: {:?} {}", o.operation, o.status, o.details))
        .collect();
    Ok(Summary {
        called: outcomes.len(),
        accepted: outcomes.iter().filter(|o| o.accepted()).count(),
        decoded: outcomes.iter().filter(|o| o.decoded()).count(),
        unexpected,
    })
}

/// A running `prism mock --dynamic`, stopped when dropped.
struct Prism {
    child: Child,
    base_url: String,
}

impl Prism {
    fn start(binary: &Path, document: &Path, log: &Path) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?
            .port();
        let log = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(binary)
            .args(["mock", "--dynamic", "--seed", "contract", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(document)
            .stdout(log)
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = prism.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = prism.child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                return Err(format!("prism exited ({status}) before listening on {}:\n{stderr}", document.display()));
            }
            if started.elapsed() > Duration::from_secs(180) {
                return Err(format!("prism did not listen within 180 s on {}", document.display()));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(prism)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prism as `cargo xtask test` installs it.
pub fn prism_binary(root: &Path) -> PathBuf {
    std::env::var_os("PRISM").map(PathBuf::from).unwrap_or_else(|| root.join("tests/prism/node_modules/.bin/prism"))
}
