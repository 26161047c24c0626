//! The runtime generated clients carry (`generator/runtime/*.rs`, emitted
//! as `src/runtime/` with the parts the crate uses: see `markers`), and the
//! contract between it and the emitted code: which module defines each name
//! the emitted code calls, and which names the crate's root re-exports. This list is the
//! only place those names are written down for the generator; a test
//! checks it against the runtime's source and the emitted code.

mod markers;

use crate::ir::RuntimeGates;
use markers::Outcome;
pub use markers::{always, predicate, simplified};

/// One file of the runtime.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    pub name: &'static str,
    pub source: &'static str,
    /// Names the crate's root re-exports for callers.
    pub public: &'static [&'static str],
    /// Names the emitted code reaches as `runtime::name` (or the other
    /// runtime modules use).
    pub internal: &'static [&'static str],
}

/// What the runtime is and promises, as its module docs.
pub const DOCS: &str = "\
Support code shared by every operation, one module per responsibility.
The generator emits the parts of it this crate's operations and types use
(the crate depends on crates.io only); the operations themselves, in `client.rs`,
only describe their request and decode their response.

Safe by default on the wire: credentials never appear in `Debug` or
`Display` output (nor in text or headers a server echoes back, nor in
URLs), redirects to another origin are not followed, nothing a server
sends can make the client panic, and a failed request is retried only
when the failure shows that sending it again is safe.";

macro_rules! module {
    ($name:literal, public: [$($public:literal),*], internal: [$($internal:literal),*]) => {
        Module {
            name: $name,
            source: include_str!(concat!("../runtime/", $name, ".rs")),
            public: &[$($public),*],
            internal: &[$($internal),*],
        }
    };
}

/// The runtime's modules, in the order `runtime/mod.rs` declares them.
pub const MODULES: &[Module] = &[
    module!("call", public: [], internal: ["Call", "Operation", "RequestOptions", "into_future", "request_options"]),
    module!("client", public: ["AsyncRequestHook", "BuildError", "Client", "ClientBuilder", "RequestHook"], internal: ["Core", "Spec"]),
    module!("credentials", public: ["Secret"], internal: ["Credential", "HeaderList", "Redactor", "append_cookie", "base64", "is_credential_header", "parse_header", "percent_encode"]),
    module!("datetime", public: ["Date", "DateTime", "ParseDateTimeError"], internal: []),
    module!("decode", public: ["ByteStream"], internal: ["DecodeFailure", "DecodeParts", "OneChunk", "PathStep", "bytes", "empty", "join_path", "json", "path_key", "server_message", "text"]),
    module!("describe", public: [], internal: []),
    module!("encoding", public: [], internal: ["BinaryData", "Body", "ChunkStream", "Multipart", "MultipartFields", "form_pairs", "joined", "path_segment", "query_pairs", "value_of"]),
    module!("error", public: ["Error", "ErrorContext", "ParseEnumError"], internal: ["CallFailure", "Failure"]),
    module!("events", public: ["Event", "Events", "StreamError", "StreamOptions"], internal: ["Framing", "Parser", "RawEvent", "Reopen", "ReopenFuture", "json_event", "text_event"]),
    module!("from_json", public: ["JsonError", "from_json_slice"], internal: ["FromJson", "deserialize_from_json", "enum_text", "read_object", "unfilled", "union_tag", "unknown_variant", "via_json"]),
    module!("json_reader", public: [], internal: ["Reader"]),
    module!("limiter", public: ["RateLimiter"], internal: []),
    module!("pages", public: ["Items", "Pages"], internal: ["Fetched", "Next", "link_next", "page_number", "url_next"]),
    module!("response", public: ["ApiResponse", "ApiResult"], internal: ["FetchError", "RawResponse"]),
    module!("retry", public: ["RetryPolicy"], internal: ["Attempted", "connection_closed", "random_u64", "retry_after", "uuid_v4"]),
    module!("style", public: [], internal: ["Style"]),
    module!("text", public: [], internal: ["capped", "one_line"]),
    module!("transcode", public: [], internal: []),
    module!("tokens", public: ["ClientCredentials", "TokenFuture", "TokenSource"], internal: ["add_tokens"]),
    module!("validation", public: ["ValidationError"], internal: ["check_count", "check_number"]),
    module!("values", public: ["Binary", "Nullable", "UnknownVariant"], internal: []),
];

/// The runtime's unit tests. They are not emitted: they run in this
/// workspace's `tests` crate, on the runtime's source here (see
/// [`test_harness`]).
pub const TESTS: &str = include_str!("../runtime/tests.rs");

/// The `runtime/mod.rs` the workspace's `tests` crate compiles the runtime
/// and its unit tests with (`tests/tests/runtime_unit/mod.rs`, written by
/// `cargo xtask codegen`): the emitted `mod.rs`, each module read from
/// `generator/runtime/` itself.
pub fn test_harness() -> String {
    let mut out = String::from(
        "// @generated by `cargo xtask codegen` from generator/src/runtime.rs: the\n\
         // runtime as generated crates carry it, with its unit tests.\n\n",
    );
    for line in mod_rs(false, &complete()).lines() {
        match line.strip_prefix("mod ").and_then(|rest| rest.strip_suffix(';')) {
            Some(name) => out.push_str(&format!("#[path = \"../../../generator/runtime/{name}.rs\"]\n{line}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("\n#[path = \"../../../generator/runtime/tests.rs\"]\nmod tests;\n");
    out
}

/// The runtime a crate carries: each module its code uses, resolved for
/// the parts it uses (see the `markers` module), in the order of [`MODULES`].
pub fn for_crate(gates: &RuntimeGates) -> Vec<Emitted> {
    MODULES
        .iter()
        .filter_map(|module| {
            let resolved = markers::resolve(module.name, module.source, gates);
            let gate = match resolved.module {
                Outcome::Never => return None,
                Outcome::Always => None,
                Outcome::Cfg(predicate) => Some(predicate),
            };
            Some(Emitted { module: *module, gate, source: resolved.source, names: resolved.names })
        })
        .collect()
}

/// The runtime with every part, as its unit tests compile it.
pub fn complete() -> Vec<Emitted> {
    let every: crate::ir::Gate = [Default::default()].into();
    let gates: RuntimeGates = crate::ir::RuntimePart::ALL.iter().map(|p| (*p, every.clone())).collect();
    for_crate(&gates)
}

/// One runtime module as a crate carries it.
#[derive(Debug, Clone)]
pub struct Emitted {
    pub module: Module,
    /// The `cfg` predicate the module is compiled under, if any.
    pub gate: Option<String>,
    /// Its source, markers resolved.
    pub source: String,
    /// The names it defines at the top level, each with its own gate when
    /// it has one.
    names: std::collections::BTreeMap<String, Option<String>>,
}

impl Emitted {
    /// The `cfg` predicate of a name the module defines (`Some(None)`:
    /// always), `None` when it is not kept.
    fn gate_of(&self, name: &str) -> Option<Option<&String>> {
        self.names.get(name).map(|own| own.as_ref().or(self.gate.as_ref()))
    }
}

/// `#[cfg(…)]` for a predicate, or nothing.
fn cfg_line(predicate: Option<&String>) -> String {
    predicate.map_or(String::new(), |p| format!("#[cfg({p})]\n"))
}

/// The names the crate's root re-exports from the runtime, sorted, with
/// their gates (`Client` and `ClientBuilder` come through `client`, where
/// the operations' methods are).
pub fn public_names(runtime: &[Emitted]) -> Vec<(&'static str, Option<String>)> {
    let mut names: Vec<(&str, Option<String>)> = runtime
        .iter()
        .flat_map(|m| m.module.public.iter().filter_map(move |name| Some((*name, m.gate_of(name)?.cloned()))))
        .filter(|(name, _)| !matches!(*name, "Client" | "ClientBuilder"))
        .collect();
    names.sort_unstable();
    names
}

/// The source of `runtime/mod.rs`: its docs, its modules (`mod name;`, or
/// with `inline` each module's source in place, for a client that is one
/// module of another crate) and the names it passes on.
pub fn mod_rs(inline: bool, runtime: &[Emitted]) -> String {
    let mut out: String =
        DOCS.lines().map(|l| if l.is_empty() { "//!\n".to_string() } else { format!("//! {l}\n") }).collect();
    out.push('\n');
    for emitted in runtime {
        out.push_str(&cfg_line(emitted.gate.as_ref()));
        let name = emitted.module.name;
        if inline {
            out.push_str(&format!("mod {name} {{\n{}}}\n", emitted.source));
        } else {
            out.push_str(&format!("mod {name};\n"));
        }
    }
    out.push('\n');
    for emitted in runtime {
        // The helpers are only those the crate calls (see `markers`), but
        // which of them another module imports through this list depends
        // on the same parts: an import list, not code, is allowed to go
        // unused.
        for (visibility, names) in
            [("pub", emitted.module.public), ("#[allow(unused_imports)]\npub(crate)", emitted.module.internal)]
        {
            let mut by_gate: std::collections::BTreeMap<Option<&String>, Vec<&str>> = Default::default();
            for name in names {
                if let Some(gate) = emitted.gate_of(name) {
                    by_gate.entry(gate).or_default().push(name);
                }
            }
            for (gate, names) in by_gate {
                out.push_str(&cfg_line(gate));
                match names.as_slice() {
                    [one] => out.push_str(&format!("{visibility} use {}::{one};\n", emitted.module.name)),
                    many => {
                        out.push_str(&format!("{visibility} use {}::{{{}}};\n", emitted.module.name, many.join(", ")))
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! The contract against the runtime's source and the emitted code.

    use super::*;
    use std::collections::BTreeSet;

    /// The names an item list defines at its top level (macros included).
    fn defined(items: &[syn::Item]) -> BTreeSet<String> {
        items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(i) => Some(i.ident.to_string()),
                syn::Item::Enum(i) => Some(i.ident.to_string()),
                syn::Item::Fn(i) => Some(i.sig.ident.to_string()),
                syn::Item::Type(i) => Some(i.ident.to_string()),
                syn::Item::Trait(i) => Some(i.ident.to_string()),
                syn::Item::Macro(i) => i.ident.as_ref().map(ToString::to_string),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_listed_name_is_defined_in_its_module() {
        for module in MODULES {
            let file = syn::parse_file(module.source).unwrap_or_else(|e| panic!("runtime/{}.rs: {e}", module.name));
            let names = defined(&file.items);
            for name in module.public.iter().chain(module.internal) {
                assert!(
                    names.contains(*name),
                    "runtime/{}.rs does not define `{name}`, which it is listed with",
                    module.name
                );
            }
        }
        let tests = syn::parse_file(TESTS).expect("the runtime's tests parse");
        assert!(!defined(&tests.items).is_empty());
    }

    #[test]
    fn no_module_is_over_600_lines() {
        for module in MODULES {
            let lines = module.source.lines().count();
            assert!(lines <= 600, "runtime/{}.rs has {lines} lines", module.name);
        }
    }

    /// Every `runtime::name` the emitted code calls is listed (and so
    /// re-exported by `runtime/mod.rs`), for fixtures that use every
    /// construct the emitters print.
    #[test]
    fn the_emitted_code_calls_only_listed_names() {
        let listed: BTreeSet<&str> = MODULES.iter().flat_map(|m| m.public.iter().chain(m.internal)).copied().collect();
        let public: BTreeSet<&str> = public_names(&complete()).into_iter().map(|(name, _)| name).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/constructs");
        let mut fixtures: Vec<String> = std::fs::read_dir(&dir)
            .expect("the fixtures folder")
            .map(|entry| std::fs::read_to_string(entry.expect("a fixture").path()).expect("a fixture reads"))
            .collect();
        fixtures.push(include_str!("../../openapi/autotune.yaml").to_string());
        let mut called = BTreeSet::new();
        for text in &fixtures {
            let api = crate::lower_document(text, "fixture.yaml").unwrap_or_else(|d| panic!("{d}"));
            let options = crate::CrateOptions::for_test("fixture", false);
            for (path, text) in crate::emit::emit(&api, &options.emit_options()).expect("the fixture renders") {
                if path.starts_with("src/runtime/") || !path.ends_with(".rs") {
                    continue;
                }
                // Macro arguments are printed as tokens (`crate ::x`).
                let compact = text.replace(" ::", "::").replace(":: ", "::").replace("{ ", "{").replace(", ", ",");
                for (prefix, allowed) in [("crate::runtime::", &listed), ("crate::", &public)] {
                    for rest in compact.split(prefix).skip(1) {
                        let ident = |text: &str| -> String {
                            text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
                        };
                        // `use crate::runtime::{A, B}` names several.
                        let names: Vec<String> = match rest.strip_prefix('{') {
                            Some(group) => group.split('}').next().unwrap_or("").split(',').map(ident).collect(),
                            None => vec![ident(rest)],
                        };
                        for name in names {
                            if prefix == "crate::" && matches!(name.as_str(), "runtime" | "types" | "client") {
                                continue;
                            }
                            assert!(
                                allowed.contains(name.as_str()),
                                "{path} calls `{prefix}{name}`, which the runtime's list lacks"
                            );
                            called.insert(name);
                        }
                    }
                }
            }
        }
        // The fixtures reach the runtime's main entry points.
        for name in ["Call", "Operation", "Spec", "Style", "json", "Multipart", "check_number", "Pages"] {
            assert!(called.contains(name), "no fixture calls `runtime::{name}`");
        }
    }
}
