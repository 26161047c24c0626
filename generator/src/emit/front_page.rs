//! The crate's front page, for its `lib.rs` docs and its `README.md`:
//! how to build a client and authenticate for this API, one call with its
//! errors, lists, streams and where the examples are.

use super::shared::samples::string_param_text;
use crate::ir::{Api, ClientNew, Passing, SecurityKind};

/// The front page as Markdown lines. Lines that start with `# ` inside the
/// code block are rustdoc's hidden lines (the doc test's wrapper);
/// [`readme`] leaves them out.
pub(super) fn lines(api: &Api, krate: &str, examples: bool) -> Vec<String> {
    let ident = krate.replace('-', "_");
    let mut out = vec![String::new(), "# Quick start".to_string(), String::new()];
    let (client_line, env_note) = client_line(api);
    out.push(format!("Add `{krate}` and Tokio to your crate, then:"));
    out.push(String::new());
    out.push("```rust,no_run".to_string());
    out.push(format!("use {ident}::{{Client, Error}};"));
    out.push(String::new());
    out.push("# async fn run() -> Result<(), Box<dyn std::error::Error>> {".to_string());
    out.push(client_line);
    match call_line(api) {
        Some((call, shown)) => {
            out.push(format!("match {call}.await {{"));
            out.push("    Ok(response) => println!(\"{:#?}\", response.body()),".to_string());
            out.push("    // A status the operation documents, its body decoded.".to_string());
            out.push("    Err(Error::Api { status, body, .. }) => eprintln!(\"{status}: {body:?}\"),".to_string());
            out.push("    Err(other) => return Err(other.into()),".to_string());
            out.push("}".to_string());
            out.push("# Ok(())".to_string());
            out.push("# }".to_string());
            out.push("```".to_string());
            out.push(String::new());
            out.push(format!(
                "Every operation is a method of `Client` ({shown} here) that returns a request builder: set optional parameters on it, then `.await` it."
            ));
        }
        None => {
            out.push("# Ok(())".to_string());
            out.push("# }".to_string());
            out.push("```".to_string());
            out.push(String::new());
            out.push("Every operation is a method of `Client` that returns a request builder: set optional parameters on it, then `.await` it.".to_string());
        }
    }
    if examples && !api.operations.is_empty() {
        out.push(
            "Each has a runnable program in `examples/<operation>.rs` (`cargo run --example <operation>`).".to_string(),
        );
    }
    out.extend(env_note);
    out.extend(authentication(api));
    out.push(String::new());
    out.push("# Errors".to_string());
    out.push(String::new());
    out.push("A call returns [`ApiResult`]: the decoded body with status and headers, or an [`Error`]: `Api` for an error status the operation documents (its body typed), `UnexpectedStatus`, `Decode`, `Validation` (a value breaks a constraint of the document; nothing was sent), `Transport`, `Timeout`, `ResponseTooLarge`. Credentials never appear in their text.".to_string());
    let paged: Vec<&str> =
        api.operations.iter().filter(|op| op.pagination.is_some()).map(|op| op.rust_name.as_str()).take(3).collect();
    let streamed: Vec<&str> =
        api.operations.iter().filter(|op| op.events.is_some()).map(|op| op.rust_name.as_str()).take(3).collect();
    if !paged.is_empty() {
        out.push(String::new());
        out.push("# Lists".to_string());
        out.push(String::new());
        out.push(format!(
            "Lists that page ({}) have `.items()`, a stream of every item across the pages (with `futures_util::StreamExt`), and `.pages()`, a stream of whole responses; both take `max_pages`.",
            code_list(&paged)
        ));
    }
    if !streamed.is_empty() {
        out.push(String::new());
        out.push("# Streams".to_string());
        out.push(String::new());
        out.push(format!(
            "Operations that answer with server-sent events or JSON Lines ({}) have `.events()`, a stream of typed [`Event`]s read as they arrive.",
            code_list(&streamed)
        ));
    }
    out
}

/// The front page for `README.md`: the title, the description, then the
/// page without rustdoc's hidden lines.
pub(super) fn readme(api: &Api, krate: &str, examples: bool, header: &str) -> String {
    let mut text = format!("{header}# {krate}\n\nRust client for {} (API version {}).\n", api.title, api.version);
    if let Some(description) = &api.description {
        text.push_str(&format!("\n{}\n", description.trim()));
    }
    let mut in_code = false;
    for line in lines(api, krate, examples) {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code && (line.starts_with("# ") || line == "#") {
            continue;
        }
        // Headings one level down, under the title; links to the crate's
        // docs become plain code.
        let line = if !in_code && line.starts_with('#') { format!("#{line}") } else { line };
        text.push_str(&line.replace("[`", "`").replace("`]", "`"));
        text.push('\n');
    }
    text
}

fn code_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// How the example builds its client, and a note on the environment
/// variable it reads.
fn client_line(api: &Api) -> (String, Vec<String>) {
    if let Some(constructor) = api.crate_shape.constructors.first() {
        let scheme = &api.security_schemes[constructor.scheme];
        let (function, name) = (&constructor.function, &scheme.env_var);
        let line = if scheme.kind == SecurityKind::Basic {
            format!(
                "let client = Client::{function}(std::env::var(\"{name}_USERNAME\")?, std::env::var(\"{name}_PASSWORD\")?)?;"
            )
        } else {
            format!("let client = Client::{function}(std::env::var(\"{name}\")?)?;")
        };
        return (line, Vec::new());
    }
    match (&api.crate_shape.client_new, &api.base_url) {
        (ClientNew::NoCredential, Some(_)) => ("let client = Client::new()?;".to_string(), Vec::new()),
        _ => (
            "let client = Client::builder().base_url(\"https://api.example.com\").build()?;".to_string(),
            vec![String::new(), "The document names no server: give the client its base URL.".to_string()],
        ),
    }
}

/// `client.op("example-id")` for the front page's operation (whose
/// arguments are all strings), and its name.
fn call_line(api: &Api) -> Option<(String, String)> {
    let op = &api.operations[api.crate_shape.front_page_call?];
    let name = &op.rust_name;
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.repr.passing == Passing::Argument)
        .map(|p| format!("{:?}", string_param_text(p)))
        .collect();
    Some((format!("client.{name}({})", args.join(", ")), format!("`{name}`")))
}

/// The document's ways to authenticate, one line each.
fn authentication(api: &Api) -> Vec<String> {
    let mut out = vec![String::new(), "# Authentication".to_string(), String::new()];
    if api.security_schemes.is_empty() {
        out.push("The document declares no security scheme. An API that wants a token anyway gets it with `Client::builder().bearer_token(token)`; any header with `default_header`.".to_string());
        return out;
    }
    out.push("Each security scheme is a method of [`ClientBuilder`]; an operation sends the credentials of the first of its security alternatives whose credentials are all set:".to_string());
    out.push(String::new());
    let tokens = api.crate_shape.uses(crate::ir::RuntimePart::CredentialToken);
    for scheme in &api.security_schemes {
        let how = match &scheme.kind {
            SecurityKind::ApiKeyHeader(h) => format!("an API key in the `{h}` header"),
            SecurityKind::ApiKeyQuery(q) => format!("an API key in the `{q}` query parameter"),
            SecurityKind::ApiKeyCookie(c) => format!("an API key in the `{c}` cookie"),
            SecurityKind::Bearer => "a bearer token".to_string(),
            SecurityKind::Basic => "a user name and password (basic)".to_string(),
            SecurityKind::Authorization(s) => format!("a whole `Authorization: {s} …` value"),
        };
        let mut line = format!("- `{}`: `.{}(…)`, {how}", scheme.wire_name, scheme.rust_name);
        if let Some(method) = scheme.token_source_method.as_ref().filter(|_| tokens) {
            line.push_str(&format!("; or `.{method}(…)` for tokens that expire"));
        }
        if let Some(flow) = scheme.client_credentials.as_ref().filter(|_| tokens) {
            line.push_str(&format!("; or `.{}(id, secret)` (OAuth2)", flow.method));
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod env_var_tests {
    /// The variable each scheme's credential is read from is one name on
    /// the front page, in the README and in every example (it was
    /// `BEARERAUTH` on the front page and `BEARER_AUTH` in examples).
    #[test]
    fn the_front_page_readme_and_examples_read_one_variable_per_scheme() {
        for (scheme, var) in [
            ("bearerAuth: {type: http, scheme: bearer}", "BEARER_AUTH"),
            ("Api-Key: {type: apiKey, in: header, name: X-Key}", "API_KEY"),
            ("basicAuth: {type: http, scheme: basic}", "BASIC_AUTH_PASSWORD"),
        ] {
            let text = format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://a.example'}}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    {scheme}\nsecurity: [{{{}: []}}]\n",
                scheme.split(':').next().unwrap()
            );
            let options = crate::CrateOptions::for_test("a", true);
            let generated = crate::generate(&text, "a.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
            let file = |name: &str| &generated.files.iter().find(|(path, _)| path == name).expect(name).1;
            let quoted = format!("std::env::var(\"{var}\")");
            for name in ["src/lib.rs", "README.md", "examples/get_a.rs"] {
                assert!(file(name).contains(&quoted), "{name} does not read {var}:\n{}", file(name));
            }
        }
    }
}
