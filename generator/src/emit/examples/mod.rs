//! Runnable programs that call the client: one example per operation
//! (`examples/<operation>.rs`, for readers and `cargo run --example`), and
//! the contract program that calls every operation once (for testing
//! against a mock server that validates requests).

mod paging;
mod streams;

use super::render::{self, Piece, RenderError};
use super::shared::samples::{string_param_text, Call, Sampler};
use crate::ir::{Api, Operation, ParamLocation, SecurityKind, TypeRef};
use heck::ToShoutySnakeCase;
pub use paging::paging_program;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
pub use streams::stream_program;

/// The environment variable that names the server in examples.
fn base_url_var(crate_name: &str) -> String {
    format!("{}_BASE_URL", crate_name.to_shouty_snake_case())
}

/// `examples/<operation>.rs` for every operation, each as a piece to render.
pub(crate) fn files<'a>(api: &'a Api, crate_name: &str) -> Vec<(String, Piece<'a>)> {
    api.operations
        .iter()
        .map(|op| {
            let crate_name = crate_name.to_string();
            let piece: Piece<'a> = Box::new(move || example(api, op, &crate_name, &crate_name.replace('-', "_")));
            (format!("examples/{}.rs", op.rust_name), piece)
        })
        .collect()
}

/// Environment variables with the credentials of each security scheme, and
/// the builder call that takes them.
fn credentials_from_env(api: &Api) -> (Vec<String>, Vec<TokenStream>) {
    let mut vars = Vec::new();
    let mut sets = Vec::new();
    for scheme in &api.security_schemes {
        let setter = format_ident!("{}", scheme.rust_name);
        let var = scheme.env_var.clone();
        match scheme.kind {
            SecurityKind::Basic => {
                let (user, password) = (format!("{var}_USERNAME"), format!("{var}_PASSWORD"));
                sets.push(quote! {
                    if let (Ok(user), Ok(password)) = (std::env::var(#user), std::env::var(#password)) {
                        builder = builder.#setter(user, password);
                    }
                });
                vars.extend([user, password]);
            }
            _ => {
                sets.push(quote! {
                    if let Ok(credential) = std::env::var(#var) {
                        builder = builder.#setter(credential);
                    }
                });
                vars.push(var);
            }
        }
    }
    (vars, sets)
}

fn example(api: &Api, op: &Operation, crate_name: &str, krate: &str) -> Vec<TokenStream> {
    let krate_ident = format_ident!("{}", krate);
    let url_var = base_url_var(crate_name);
    let (vars, credentials) = credentials_from_env(api);
    let sampler = Sampler::new(api, &krate_ident, false, false);
    let paginated = op.pagination.is_some();

    // Path parameters come from the command line, in path order.
    let path_params: Vec<_> =
        op.params.iter().filter(|p| p.location == ParamLocation::Path && p.ty == TypeRef::String).collect();
    let mut bindings = Vec::new();
    let mut overrides = Vec::new();
    for (i, p) in path_params.iter().enumerate() {
        let ident = format_ident!("{}", p.rust_name);
        let position = proc_macro2::Literal::usize_unsuffixed(i + 1);
        let fallback = string_param_text(p);
        bindings.push(quote! {
            let #ident = std::env::args().nth(#position).unwrap_or_else(|| #fallback.to_string());
        });
        overrides.push((p.rust_name.clone(), quote! { #ident }));
    }
    let Call { body, request: call } = sampler.call(quote! { client }, op, &overrides);
    let run = if paginated {
        quote! {
            #body
            let mut items = #call.items();
            let mut count = 0;
            while let Some(item) = items.next().await {
                let item = item?;
                println!("{item:#?}");
                count += 1;
            }
            println!("{count} items");
        }
    } else {
        quote! {
            #body
            let response = #call.await?;
            println!("{} {}", response.status(), response.message().unwrap_or_default());
            println!("{:#?}", response.body());
        }
    };

    let title = op.summary.clone().unwrap_or_else(|| op.rust_name.clone());
    let args: String = path_params.iter().map(|p| format!(" <{}>", p.wire_name)).collect();
    let args = if args.is_empty() { String::new() } else { format!(" --{args}") };
    let env: String = vars.iter().map(|v| format!("{v}=… ")).collect();
    let server = match &api.base_url {
        Some(url) => format!("The server is `{url}`, or `{url_var}` when set (a local mock, say)."),
        None => format!("The server is `{url_var}`."),
    };
    let docs = [
        format!(" {title}: `{} {}`.", op.method.as_str(), op.path),
        String::new(),
        " ```sh".to_string(),
        format!(" {env}cargo run --example {}{args}", op.rust_name),
        " ```".to_string(),
        String::new(),
        format!(" {server}"),
        " The inputs are sample values made from the spec's schemas; change them to your own.".to_string(),
    ];
    let deprecated = op.deprecated.then(|| quote! { #[allow(deprecated)] });
    if sampler.impossible() {
        // A required input the document allows no finite value of (a field
        // that always holds its own type): nothing to call it with.
        let why = format!(
            "`{}` needs an input that the spec allows no finite value of (a required field holds its own type); change the spec to call it.",
            op.rust_name
        );
        return vec![
            quote! { #(#![doc = #docs])* },
            quote! {
                fn main() {
                    eprintln!(#why);
                    std::process::exit(1);
                }
            },
        ];
    }
    let base_url = quote! {
        if let Ok(url) = std::env::var(#url_var) {
            builder = builder.base_url(url);
        }
    };
    let mut imports = Vec::new();
    if paginated {
        imports.push(quote! { use futures_util::StreamExt; });
    }
    if sampler.named_types() {
        imports.push(quote! { use #krate_ident::types; });
    }
    vec![
        quote! { #(#![doc = #docs])* },
        quote! { #(#imports)* },
        quote! {
            #[tokio::main]
            #deprecated
            async fn main() -> Result<(), Box<dyn std::error::Error>> {
                let mut builder = #krate_ident::Client::builder();
                #base_url
                #(#credentials)*
                let client = builder.build()?;
                #(#bindings)*
                #run
                Ok(())
            }
        },
    ]
}

/// `server`, a wiremock server on loopback, and `client`, the crate's
/// client pointed at it with placeholder credentials and no retries: how
/// the programs that run against a local server start.
fn loopback_client(api: &Api, krate: &proc_macro2::Ident) -> TokenStream {
    let credentials = placeholder_credentials(api);
    quote! {
        let server = wiremock::MockServer::start().await;
        let client = #krate::Client::builder()
            .base_url(server.uri())
            .retry_policy(#krate::RetryPolicy::disabled())
            #(#credentials)*
            .build()
            .expect("the client builds");
    }
}

/// A builder call per security scheme setting a placeholder credential,
/// for the programs that run against a local server.
fn placeholder_credentials(api: &Api) -> Vec<TokenStream> {
    api.security_schemes
        .iter()
        .map(|s| {
            let setter = format_ident!("{}", s.rust_name);
            match s.kind {
                SecurityKind::Basic => quote! { .#setter("contract", "contract-test-secret") },
                _ => quote! { .#setter("contract-test-secret") },
            }
        })
        .collect()
}

/// A program that calls every operation once with sample input (optional
/// fields of bodies set too, and optional parameters when
/// `optional_params`) against the base URL given as its first argument,
/// with every credential set to a placeholder and retries off. It prints
/// one line per operation: `<name> <status>`, then for a failure what came
/// back.
pub fn contract_program(api: &Api, crate_name: &str, optional_params: bool) -> Result<String, RenderError> {
    let krate = crate_name.replace('-', "_");
    let k = format_ident!("{}", krate);
    let sampler = Sampler::new(api, &k, true, optional_params);
    let credentials = placeholder_credentials(api);
    let calls: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| {
            let name = &op.rust_name;
            let Call { body, request } = sampler.call(quote! { client }, op, &[]);
            quote! {
                {
                    #body
                    report(#name, #request.send().await);
                }
            }
        })
        .collect();
    let import = sampler.named_types().then(|| quote! { use #k::types; });
    let items = vec![
        quote! { #![doc = " Calls every operation once with sample input; prints `<operation> <status> [details]`."] },
        quote! { #import },
        quote! {
            #[tokio::main]
            #[allow(deprecated)]
            async fn main() {
                let base_url = std::env::args().nth(1).expect("the server's base URL as the first argument");
                let client = #k::Client::builder()
                    .base_url(base_url)
                    .retry_policy(#k::RetryPolicy::disabled())
                    #(#credentials)*
                    .build()
                    .expect("the client builds");
                #(#calls)*
            }
        },
        quote! {
            fn report<T, E: std::fmt::Debug>(name: &str, result: #k::ApiResult<T, E>) {
                match result {
                    Ok(response) => println!("{name} {}", response.status().as_u16()),
                    Err(#k::Error::Decode { status, path, reason, .. }) => {
                        println!("{name} {} undecodable at `{path}`: {reason}", status.as_u16())
                    }
                    Err(#k::Error::Api { status, body, .. }) => println!("{name} {} {body:?}", status.as_u16()),
                    Err(#k::Error::UnexpectedStatus { status, body, .. }) => println!("{name} {} {body}", status.as_u16()),
                    Err(other) => println!("{name} failed: {other}"),
                }
            }
        },
    ];
    render::file("", items)
}

/// A regular expression for the paths a template matches: `{x}` matches
/// one segment.
/// The pairs of a path template's literal query (`/v1/models?beta=true`
/// carries `beta=true`), as `&[(name, value)]` for a program to match.
fn literal_query(template: &str) -> TokenStream {
    let query = template.split_once('?').map_or("", |(_, query)| query);
    let pairs = query.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        quote! { (#name, #value) }
    });
    quote! { &[#(#pairs),*] }
}

/// A regular expression for the path a template matches (its literal
/// query, if any, aside: see [`literal_query`]).
fn path_pattern(template: &str) -> String {
    let template = template.split_once('?').map_or(template, |(path, _)| path);
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..open]));
        match rest[open..].find('}') {
            Some(close) => {
                pattern.push_str("[^/]+");
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    pattern
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_patterns_match_one_segment_per_parameter() {
        assert_eq!(super::path_pattern("/a.b/{id}/c"), r"^/a\.b/[^/]+/c$");
        assert_eq!(super::path_pattern("/x/{broken"), r"^/x/\{broken$");
        assert_eq!(super::path_pattern("/v1/models?beta=true"), r"^/v1/models$");
        assert_eq!(super::literal_query("/v1/models?beta=true&x").to_string(), r#"& [("beta" , "true") , ("x" , "")]"#);
    }
}
