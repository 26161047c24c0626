//! The names the generated crate defines itself, scope by scope. Every name
//! made from the document is claimed in a `naming::Scope` that reserves the
//! names of its scope here, so a document can never collide with them. The
//! emitters and the runtime define exactly these names; a test compares
//! this module with the emitted code, so the lists cannot drift.

/// Names `types.rs` and `client.rs` use unqualified: the Rust 2021 prelude's
/// types, traits and variants, and `Self`. A schema of such a name gets a
/// suffix (`Result` → `ResultType`).
pub const TYPES_MODULE: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToOwned",
    "ToString",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "TryFrom",
    "TryInto",
    "FromIterator",
];

/// Each operation's own types in `client.rs`, by suffix after its prefix:
/// the request builder, the error enum, the success enum and the body
/// choice; the second suffix when a schema already has the first's name.
pub const OPERATION_SUFFIXES: [(&str, &str); 4] =
    [("Request", "Builder"), ("Error", "CallError"), ("Success", "Outcome"), ("Body", "Content")];

/// Types `client.rs` defines besides each operation's own, the runtime's
/// it re-exports, the module alias it imports and its `SPEC`.
pub const CLIENT_MODULE: &[&str] = &["Client", "ClientBuilder", "types", "SPEC"];

/// Methods of traits the generated types implement, which callers reach by
/// method syntax: an inherent method of the same name would hide them
/// (`request.clone()` must stay `Clone`'s).
pub const TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "hash",
    "cmp",
    "partial_cmp",
    "to_owned",
    "to_string",
    "into",
    "try_into",
    "from",
    "try_from",
    "borrow",
    "borrow_mut",
    "type_id",
    "serialize",
    "deserialize",
    "default",
    "as_ref",
    "as_mut",
    "into_future",
];

/// `Client`'s own associated functions and methods, in the runtime and in
/// `client.rs` (`DEFAULT_BASE_URL` cannot collide: operation names are
/// snake case).
pub const CLIENT_METHODS: &[&str] = &["new", "builder", "base_url", "documented_rate_limiter", "call"];

/// `Client`'s fields.
pub const CLIENT_FIELDS: &[&str] = &["core"];

/// `ClientBuilder`'s fields and methods.
pub const CLIENT_BUILDER: &[&str] = &[
    "spec",
    "base_url",
    "http_client",
    "timeout",
    "connect_timeout",
    "total_timeout",
    "max_response_size",
    "user_agent",
    "retry",
    "retry_policy",
    "rate_limiter",
    "default_headers",
    "default_header",
    "bearer_token",
    "token_source",
    "credentials",
    "credential",
    "hook",
    "on_request",
    "async_hook",
    "on_request_async",
    "new",
    "build",
];

/// What a request builder defines besides its parameters: its fields
/// (`client`, `body`, `options`), methods (`into_call`, `send`,
/// `send_stream`, `items`, `pages`, `body`, and the runtime's `timeout`,
/// `total_timeout`, `max_response_size` and `header`), and the locals of
/// `into_call` and `send`.
pub const REQUEST_BUILDER: &[&str] = &[
    "client",
    "body",
    "options",
    "into_call",
    "send",
    "send_stream",
    "events",
    "events_with",
    "open_events",
    "items",
    "pages",
    "timeout",
    "total_timeout",
    "max_response_size",
    "header",
    "into_future",
    "call",
    "raw",
];

/// Methods of a struct besides its setters.
pub const STRUCT_METHODS: &[&str] = &["new", "validate"];

/// Names a security scheme may not take: it becomes a method of
/// `ClientBuilder`.
pub fn credential_names() -> impl Iterator<Item = &'static str> {
    CLIENT_BUILDER.iter().chain(TRAIT_METHODS).copied()
}

/// Names an operation may not take as a method of `Client`.
pub fn client_method_names() -> impl Iterator<Item = &'static str> {
    CLIENT_METHODS.iter().chain(TRAIT_METHODS).copied()
}

/// Names a parameter may not take on a request builder.
pub fn request_builder_names() -> impl Iterator<Item = &'static str> {
    REQUEST_BUILDER.iter().chain(TRAIT_METHODS).copied()
}

/// Names a setter may not take on a struct.
pub fn struct_method_names() -> impl Iterator<Item = &'static str> {
    STRUCT_METHODS.iter().chain(TRAIT_METHODS).copied()
}

#[cfg(test)]
mod tests {
    //! The lists above against what the emitters and the runtime define.

    use super::*;
    use std::collections::BTreeSet;

    /// Every runtime module's items, as one file.
    fn runtime_file() -> syn::File {
        let mut modules = crate::runtime::MODULES
            .iter()
            .map(|m| syn::parse_file(m.source).unwrap_or_else(|e| panic!("runtime/{}.rs: {e}", m.name)));
        let mut file = modules.next().expect("the runtime has modules");
        modules.for_each(|m| file.items.extend(m.items));
        file
    }

    const FIXTURES: [&str; 3] = [
        include_str!("../../tests/fixtures/constructs/collisions.yaml"),
        include_str!("../../tests/fixtures/constructs/security.yaml"),
        include_str!("../../tests/fixtures/constructs/operations.yaml"),
    ];

    fn generated(text: &str) -> (crate::ir::Decided, syn::File, syn::File) {
        let api = crate::lower_document(text, "fixture.yaml").unwrap_or_else(|d| panic!("{d}"));
        let options = crate::CrateOptions::for_test("fixture", false);
        let files = crate::emit::emit(&api, &options.emit_options()).unwrap();
        let file = |name: &str| {
            let text = &files.iter().find(|(path, _)| path == name).expect("the file is emitted").1;
            syn::parse_file(text).expect("the emitted file parses")
        };
        let (client, types) = (file("src/client.rs"), file("src/types.rs"));
        (api, client, types)
    }

    fn struct_fields(file: &syn::File, name: &str) -> Vec<String> {
        file.items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) if s.ident == name => Some(&s.fields),
                _ => None,
            })
            .flat_map(|fields| fields.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)))
            .collect()
    }

    /// The functions of every `impl` block for `name`, with their bodies.
    fn impl_fns<'f>(file: &'f syn::File, name: &str) -> Vec<&'f syn::ImplItemFn> {
        file.items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) if i.trait_.is_none() => Some(i),
                _ => None,
            })
            .filter(|i| matches!(&*i.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name)))
            .flat_map(|i| i.items.iter())
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    fn names(fns: &[&syn::ImplItemFn]) -> Vec<String> {
        fns.iter().map(|f| f.sig.ident.to_string()).collect()
    }

    /// The names `let` binds at the top level of a function body.
    fn locals(f: &syn::ImplItemFn) -> Vec<String> {
        let mut out = Vec::new();
        for stmt in &f.block.stmts {
            if let syn::Stmt::Local(local) = stmt {
                let mut pats = vec![&local.pat];
                while let Some(pat) = pats.pop() {
                    match pat {
                        syn::Pat::Ident(p) => out.push(p.ident.to_string()),
                        syn::Pat::Struct(s) => pats.extend(s.fields.iter().map(|f| &*f.pat)),
                        _ => {}
                    }
                }
            }
        }
        out
    }

    fn assert_within(what: &str, found: &[String], allowed: &BTreeSet<String>) {
        for name in found {
            assert!(allowed.contains(name), "{what} defines `{name}`, which `scopes` does not list");
        }
    }

    fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        names.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn emitted_names_are_the_declared_ones() {
        let runtime = runtime_file();
        for text in FIXTURES {
            let (api, client, types) = generated(text);
            let schemes: Vec<&str> = api.security_schemes.iter().map(|s| s.rust_name.as_str()).collect();
            let both = |name: &str| {
                let mut fns = names(&impl_fns(&client, name));
                fns.extend(names(&impl_fns(&runtime, name)));
                fns
            };

            assert_within("Client", &struct_fields(&runtime, "Client"), &set(CLIENT_FIELDS.iter().copied()));

            let mut allowed = set(CLIENT_BUILDER.iter().copied().chain(schemes.iter().copied()));
            // A bearer scheme's token-source and client-credentials helpers.
            for scheme in &api.security_schemes {
                allowed.extend(scheme.token_source_method.clone());
                allowed.extend(scheme.client_credentials.as_ref().map(|flow| flow.method.clone()));
            }
            assert_within("ClientBuilder", &struct_fields(&runtime, "ClientBuilder"), &allowed);
            assert_within("ClientBuilder", &both("ClientBuilder"), &allowed);

            let mut allowed = set(client_method_names());
            allowed.extend(api.operations.iter().map(|op| op.rust_name.clone()));
            // `with_<scheme>` constructors, which decide leaves out where an
            // operation has the name.
            allowed.extend(api.crate_shape.constructors.iter().map(|c| c.function.clone()));
            assert_within("Client", &both("Client"), &allowed);

            for op in &api.operations {
                let request = &op.names.request;
                let params = op.params.iter().map(|p| p.rust_name.as_str());
                let allowed = set(REQUEST_BUILDER.iter().copied().chain(params));
                assert_within(request, &struct_fields(&client, request), &allowed);
                let fns = impl_fns(&client, request);
                assert_within(request, &names(&fns), &allowed);
                // `into_call` binds the parameters as locals beside its own.
                for f in fns.into_iter().filter(|f| f.sig.ident == "into_call" || f.sig.ident == "send") {
                    assert_within(&format!("{request}::{}", f.sig.ident), &locals(f), &allowed);
                }
            }

            let mut module = set(CLIENT_MODULE.iter().copied());
            for op in &api.operations {
                let request = &op.names.request;
                let Some(prefix) = request.strip_suffix("Request").or_else(|| request.strip_suffix("Builder")) else {
                    panic!("{request}")
                };
                module.extend(OPERATION_SUFFIXES.iter().flat_map(|(a, b)| [a, b]).map(|s| format!("{prefix}{s}")));
            }
            let defined: Vec<String> = client
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some(s.ident.to_string()),
                    syn::Item::Enum(e) => Some(e.ident.to_string()),
                    syn::Item::Static(s) => Some(s.ident.to_string()),
                    _ => None,
                })
                .collect();
            assert_within("client.rs", &defined, &module);
            // No public name is in both modules.
            for def in &api.types {
                assert!(!defined.contains(&def.name), "`{}` is in both `client::` and `types::`", def.name);
            }

            for def in &api.types {
                let crate::ir::TypeKind::Struct(s) = &def.kind else { continue };
                let setters = s.fields.iter().filter_map(|f| f.repr.setter.as_ref()).map(|s| s.name.as_str());
                let allowed = set(STRUCT_METHODS.iter().copied().chain(setters));
                assert_within(&def.name, &names(&impl_fns(&types, &def.name)), &allowed);
            }
        }
    }

    #[test]
    fn runtime_request_builder_methods_are_declared() {
        let runtime = crate::runtime::MODULES.iter().find(|m| m.name == "call").expect("the call module").source;
        let start = runtime.find("macro_rules! request_options").expect("the runtime defines request_options!");
        let body = &runtime[start..];
        let body = &body[..body.find("\n}\n").expect("the macro ends")];
        let defined: Vec<String> = body
            .split("pub fn ")
            .skip(1)
            .map(|rest| rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect())
            .collect();
        assert!(!defined.is_empty());
        assert_within("request_options!", &defined, &set(REQUEST_BUILDER.iter().copied()));
    }
}
