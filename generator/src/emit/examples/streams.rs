//! The stream contract program: every operation that answers with a
//! stream of events (server-sent events or JSON lines) is called with
//! sample input against a loopback server that sends one sample event of
//! each kind the document describes (one per variant of a union), then
//! the end marker. The call passes when the server saw the request it
//! expected (method, path, `Accept`) and every event came back decoded to
//! the JSON that was sent.

use super::super::render::{self, RenderError};
use super::super::shared::samples::{Call, Sampler};
use crate::ir::{Api, Framing};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The program, or `None` when no operation streams. It needs the crate's
/// `full-serde` feature (to send what it will receive), `wiremock`,
/// `futures-util` and `tokio` (with `macros` and `rt-multi-thread`).
pub fn stream_program(api: &Api, crate_name: &str) -> Result<Option<String>, RenderError> {
    let krate = crate_name.replace('-', "_");
    let k = format_ident!("{}", krate);
    let sampler = Sampler::new(api, &k, true, false);
    let start = super::loopback_client(api, &k);
    let calls: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|op| op.events.as_ref().map(|events| (op, events)))
        .map(|(op, events)| {
            let name = &op.rust_name;
            let media_type = &events.media_type;
            let server_sent = events.framing == Framing::ServerSent;
            let method = op.method.as_str();
            let path = super::path_pattern(&op.path);
            let query = super::literal_query(&op.path);
            let samples = sampler.each_variant(&events.item);
            let Call { body, request } = sampler.call(quote! { client }, op, &[]);
            quote! {
                {
                    let sent = Vec::from([#(serde_json::to_value(#samples).expect("a sample serializes")),*]);
                    let expected = Expected { method: #method, path: #path, query: #query, media_type: #media_type, server_sent: #server_sent };
                    serve(&server, &expected, &sent).await;
                    #body
                    failed += check(#name, #request.events().await, &sent).await;
                }
            }
        })
        .collect();
    if calls.is_empty() {
        return Ok(None);
    }
    let import = sampler.named_types().then(|| quote! { use #k::types; });
    let items = vec![
        quote! { #![doc = " Calls every streaming operation against a loopback server sending sample events; prints `<operation> <events>`."] },
        quote! { #import },
        quote! { use futures_util::StreamExt; },
        quote! {
            /// The request a call must make for the server to answer it.
            struct Expected {
                method: &'static str,
                path: &'static str,
                /// The path template's own query (`?beta=true`).
                query: &'static [(&'static str, &'static str)],
                media_type: &'static str,
                server_sent: bool,
            }
        },
        quote! {
            #[tokio::main]
            #[allow(deprecated)]
            async fn main() {
                #start
                let mut failed = 0;
                #(#calls)*
                if failed > 0 {
                    eprintln!("{failed} streaming call(s) failed");
                    std::process::exit(1);
                }
            }
        },
        quote! {
            /// Answers only the expected request, with `sent` framed as the
            /// media type frames it (and `[DONE]` after server-sent events).
            async fn serve(server: &wiremock::MockServer, expected: &Expected, sent: &[serde_json::Value]) {
                use wiremock::matchers::{header, method, path_regex};
                server.reset().await;
                let mut body = String::new();
                for (i, value) in sent.iter().enumerate() {
                    let data = serde_json::to_string(value).expect("JSON serializes");
                    if expected.server_sent {
                        body.push_str(&format!("id: {i}\ndata: {data}\n\n"));
                    } else {
                        body.push_str(&data);
                        body.push('\n');
                    }
                }
                if expected.server_sent {
                    body.push_str("data: [DONE]\n\n");
                }
                let response = wiremock::ResponseTemplate::new(200)
                    .insert_header("content-type", expected.media_type)
                    .set_body_string(body);
                let mut mock = wiremock::Mock::given(method(expected.method))
                    .and(path_regex(expected.path))
                    .and(header("accept", expected.media_type));
                for (name, value) in expected.query {
                    mock = mock.and(wiremock::matchers::query_param(*name, *value));
                }
                mock.respond_with(response).mount(server).await;
            }
        },
        quote! {
            /// 0 when every event came back as it was sent, else 1 (and why).
            async fn check<T: serde::Serialize + Send + 'static, E: std::fmt::Debug>(
                name: &str,
                opened: Result<#k::Events<T>, #k::Error<E>>,
                sent: &[serde_json::Value],
            ) -> usize {
                let mut events = match opened {
                    Ok(events) => events,
                    Err(err) => {
                        println!("{name} failed: {err}");
                        return 1;
                    }
                };
                let mut received = Vec::new();
                while let Some(event) = events.next().await {
                    match event {
                        Ok(event) => received.push(serde_json::to_value(&event.data).expect("an event serializes")),
                        Err(err) => {
                            println!("{name} event {} failed: {err}", received.len() + 1);
                            return 1;
                        }
                    }
                }
                if let Some(i) = (0..sent.len().max(received.len())).find(|&i| sent.get(i) != received.get(i)) {
                    println!("{name} event {} differs: sent {:?}, received {:?}", i + 1, sent.get(i), received.get(i));
                    return 1;
                }
                println!("{name} {}", received.len());
                0
            }
        },
    ];
    render::file("", items).map(Some)
}
