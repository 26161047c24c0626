//! The head of `client.rs` in the emitted crate: what the spec says about
//! the client (its `Spec`), the methods of `Client` (its constructors and
//! one per operation, which makes the operation's request builder) and a
//! credential setter per security scheme on `ClientBuilder`. `Client` and
//! `ClientBuilder` themselves live in the runtime.

use super::shared::docs::{self, doc_paragraphs};
use super::shared::{self, body_type, cfg_attr, root, rust_type, TypePath};
use crate::ir::{
    Api, ArgKind, ClientCredentialsFlow, ClientNew, Operation, Param, Passing, RuntimePart, SecurityKind,
    SecurityScheme,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The module's `use` lines, its `Spec`, `impl Client` and `impl ClientBuilder`.
pub fn items(api: &Api) -> [TokenStream; 4] {
    let root = root(api);
    // Types are named `types::Name` here (a spec without operations uses none).
    let import = quote! {
        #[allow(unused_imports)]
        use #root::types;
        pub use #root::runtime::{Client, ClientBuilder};
    };
    [import, spec(api), client_impl(api), builder_impl(api)]
}

/// `SPEC`: the spec's facts the runtime's client needs.
fn spec(api: &Api) -> TokenStream {
    let root = root(api);
    let base_url = match &api.base_url {
        Some(url) => quote! { Some(#url) },
        None => quote! { None },
    };
    let (names, values): (Vec<&str>, Vec<&str>) =
        api.default_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).unzip();
    let request_ids = &api.crate_shape.request_id_headers;
    let schemes = Literal::usize_unsuffixed(api.security_schemes.len());
    // What only calls read: not there when no operation is compiled.
    let for_calls = |field: TokenStream| match shared::part_cfg(api, RuntimePart::Operations) {
        None => TokenStream::new(),
        Some(cfg) => quote! { #cfg #field },
    };
    let request_id_headers = for_calls(quote! { request_id_headers: &[#(#request_ids),*], });
    let user_agent = for_calls(quote! { user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")), });
    quote! {
        #[doc = " What the spec says about the client as a whole."]
        static SPEC: #root::runtime::Spec = #root::runtime::Spec {
            default_base_url: #base_url,
            default_headers: &[#((#names, #values)),*],
            #request_id_headers
            security_schemes: #schemes,
            #user_agent
        };
    }
}

fn client_impl(api: &Api) -> TokenStream {
    let root = root(api);
    let default_base = api.base_url.as_ref().map(|url| {
        quote! {
            #[doc = " The server named in the spec."]
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
    let new = match &api.crate_shape.client_new {
        ClientNew::NoCredential => Some(quote! {
            #[doc = " A client with default settings."]
            pub fn new() -> Result<Self, #root::BuildError> {
                Self::builder().build()
            }
        }),
        ClientNew::Credential(scheme) => {
            let name = format_ident!("{}", scheme);
            Some(quote! {
                #[doc = " A client with default settings and the given credential."]
                pub fn new(credential: impl Into<#root::Secret>) -> Result<Self, #root::BuildError> {
                    Self::builder().#name(credential).build()
                }
            })
        }
        ClientNew::Absent => None,
    };
    let constructors = api.crate_shape.constructors.iter().map(|c| {
        let scheme = &api.security_schemes[c.scheme];
        let function = format_ident!("{}", c.function);
        let setter = format_ident!("{}", scheme.rust_name);
        let doc = format!(" A client with default settings that authenticates with [`ClientBuilder::{setter}`].");
        if scheme.kind == SecurityKind::Basic {
            quote! {
                #[doc = #doc]
                pub fn #function(
                    user: impl Into<#root::Secret>,
                    password: impl Into<#root::Secret>,
                ) -> Result<Self, #root::BuildError> {
                    Self::builder().#setter(user, password).build()
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #function(credential: impl Into<#root::Secret>) -> Result<Self, #root::BuildError> {
                    Self::builder().#setter(credential).build()
                }
            }
        }
    });
    let mut builder_doc = String::from("Configures a client; see [`ClientBuilder`] for the defaults.");
    if !api.default_headers.is_empty() {
        let list = api.default_headers.iter().map(|(n, v)| format!("`{n}: {v}`")).collect::<Vec<_>>().join(", ");
        builder_doc.push_str(&format!(
            "\n\nThe spec asks for {} on every request; these are sent unless replaced with\n[`ClientBuilder::default_header`].",
            docs::escape(&list)
        ));
    }
    if !api.rate_limits.is_empty() {
        builder_doc.push_str("\n\n[`Client::documented_rate_limiter`] keeps to the limits the spec documents.");
    }
    let builder_doc = docs::trusted(&builder_doc);
    let methods = api.operations.iter().map(|op| client_method(api, op));
    let limiter = documented_rate_limiter(api);
    quote! {
        impl Client {
            #default_base
            #new
            #(#constructors)*
            #limiter

            #builder_doc
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(&SPEC)
            }

            #(#methods)*
        }
    }
}

/// A credential setter per security scheme.
fn builder_impl(api: &Api) -> TokenStream {
    let root = root(api);
    let setters = api.security_schemes.iter().enumerate().map(|(index, s)| {
        let SecurityScheme { wire_name, rust_name: _, kind, doc, token_source_method, client_credentials, env_var: _ } = s;
        let rust_name = &s.rust_name;
        let name = format_ident!("{}", rust_name);
        let index = Literal::usize_unsuffixed(index);
        let how = match kind {
            SecurityKind::ApiKeyHeader(h) => format!("Sent in the `{h}` header."),
            SecurityKind::ApiKeyQuery(q) => format!("Sent as the `{q}` query parameter."),
            SecurityKind::ApiKeyCookie(c) => format!("Sent as the `{c}` cookie."),
            SecurityKind::Bearer => "Sent as `Authorization: Bearer <token>`.".to_string(),
            SecurityKind::Basic => "Sent as `Authorization: Basic`.".to_string(),
            SecurityKind::Authorization(scheme) => {
                format!("The whole `Authorization` value for the `{scheme}` scheme (`{scheme} …`), sent as given.")
            }
        };
        let summary = format!("The credential of the `{wire_name}` security scheme. {how}");
        let docs = doc_paragraphs([Some(summary.as_str()), doc.as_deref()]);
        let credential = |variant: TokenStream| quote! { #root::runtime::Credential::#variant };
        match kind {
            SecurityKind::Basic => {
                let value = credential(quote! { Basic(username.into(), password.into()) });
                quote! {
                    #docs
                    pub fn #name(self, username: impl Into<#root::Secret>, password: impl Into<#root::Secret>) -> Self {
                        self.credential(#index, #value)
                    }
                }
            }
            _ => {
                let value = match kind {
                    SecurityKind::ApiKeyHeader(h) => credential(quote! { Header(#h.to_string(), credential.into()) }),
                    SecurityKind::ApiKeyQuery(q) => credential(quote! { Query(#q.to_string(), credential.into()) }),
                    SecurityKind::ApiKeyCookie(c) => credential(quote! { Cookie(#c.to_string(), credential.into()) }),
                    SecurityKind::Authorization(_) => {
                        credential(quote! { Header("Authorization".to_string(), credential.into()) })
                    }
                    SecurityKind::Bearer | SecurityKind::Basic => credential(quote! { Bearer(credential.into()) }),
                };
                // The token setters come with the operations that ask for
                // tokens (decided in `decide::runtime_parts`).
                let tokens_cfg = shared::part_cfg(api, RuntimePart::CredentialToken);
                let token_source = token_source_method.as_ref().filter(|_| tokens_cfg.is_some()).map(|token_method| {
                    let method = format_ident!("{}", token_method);
                    let doc = format!(
                        " The `{wire_name}` scheme's bearer tokens from `source`, asked for before each call that uses it (a secret store, a device flow…)."
                    );
                    quote! {
                        #[doc = #doc]
                        #tokens_cfg
                        pub fn #method(self, source: impl #root::TokenSource + 'static) -> Self {
                            self.token_source(#index, source)
                        }
                    }
                });
                let client_credentials = client_credentials.as_ref().filter(|_| tokens_cfg.is_some()).map(|flow| {
                    let ClientCredentialsFlow { method, token_url, scopes } = flow;
                    let method = format_ident!("{}", method);
                    let doc = format!(
                        " The `{wire_name}` scheme's tokens from OAuth2's client-credentials grant at `{token_url}`, cached and refreshed before they expire. [`ClientCredentials`]({root_path}::ClientCredentials) with other settings goes to [`{token_method}`](Self::{token_method}).",
                        root_path = root.to_string().replace(' ', ""),
                        token_method = token_source_method.as_deref().unwrap_or_default(),
                    );
                    let scope_doc = (!scopes.is_empty()).then(|| {
                        let list = scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
                        let line = format!(" It asks for the scopes the document lists: {list}.");
                        quote! { #[doc = ""] #[doc = #line] }
                    });
                    // No scopes listed: none asked for (an empty array
                    // literal would leave its item type to inference).
                    let scopes = (!scopes.is_empty()).then(|| quote! { .scopes([#(#scopes),*]) });
                    quote! {
                        #[doc = #doc]
                        #scope_doc
                        #tokens_cfg
                        pub fn #method(
                            self,
                            client_id: impl Into<String>,
                            client_secret: impl Into<#root::Secret>,
                        ) -> Self {
                            let grant = #root::ClientCredentials::new(#token_url, client_id, client_secret)#scopes;
                            self.token_source(#index, grant)
                        }
                    }
                });
                quote! {
                    #docs
                    pub fn #name(self, credential: impl Into<#root::Secret>) -> Self {
                        self.credential(#index, #value)
                    }

                    #token_source
                    #client_credentials
                }
            }
        }
    });
    quote! {
        impl ClientBuilder {
            #(#setters)*
        }
    }
}

/// `Client::documented_rate_limiter()`, from the spec's `x-client-rate-limits`.
fn documented_rate_limiter(api: &Api) -> Option<TokenStream> {
    let root = root(api);
    if api.rate_limits.is_empty() {
        return None;
    }
    let listed = api.rate_limits.iter().map(|l| format!("{} requests per {} s", l.requests, l.seconds));
    let doc = format!(
        " A [`RateLimiter`]({}::RateLimiter) with the limits the spec documents: {}.",
        api.crate_shape.target.root(),
        listed.collect::<Vec<_>>().join(", ")
    );
    let limits = api.rate_limits.iter().map(|l| {
        let (requests, seconds) = (Literal::u32_unsuffixed(l.requests), Literal::u64_unsuffixed(l.seconds));
        quote! { .limit(#requests, std::time::Duration::from_secs(#seconds)) }
    });
    Some(quote! {
        #[doc = #doc]
        #[doc = " Pass it to [`ClientBuilder::rate_limiter`]; clones share their counts."]
        pub fn documented_rate_limiter() -> #root::RateLimiter {
            #root::RateLimiter::new() #(#limits)*
        }
    })
}

fn op_docs(op: &Operation) -> TokenStream {
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    let features = (!op.features.is_empty()).then(|| {
        let names: Vec<String> = op.features.iter().map(|f| format!("`{f}`")).collect();
        format!("Compiled with the cargo feature {}.", names.join(" or "))
    });
    let pages = op.pagination.as_ref().map(|p| {
        format!(
            "A paginated list ({}): `.items()` on the request streams every item, `.pages()` every page.",
            p.style.name()
        )
    });
    doc_paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(route.as_str()),
        pages.as_deref(),
        features.as_deref(),
    ])
}

/// The method that starts an operation's request: required parameters
/// (and a required body) as arguments, the rest left for setters.
fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.rust_name);
    let request = format_ident!("{}", op.names.request);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for Param { rust_name, ty, repr, .. } in op.params.iter().filter(|p| p.repr.passing == Passing::Argument) {
        let ident = format_ident!("{}", rust_name);
        let ty = rust_type(api, ty, TypePath::Module);
        match repr.arg {
            ArgKind::Into => {
                args.push(quote! { #ident: impl Into<#ty> });
                inits.push(quote! { #ident: #ident.into() });
            }
            ArgKind::Exact | ArgKind::Optional => {
                args.push(quote! { #ident: #ty });
                inits.push(quote! { #ident });
            }
        }
    }
    for p in op.params.iter().filter(|p| p.repr.passing == Passing::Setter) {
        let ident = format_ident!("{}", p.rust_name);
        inits.push(quote! { #ident: None });
    }
    match &op.body {
        Some(body) if body.repr.passing == Passing::Argument => {
            let ty = body_type(api, body);
            match body.repr.arg {
                ArgKind::Into => {
                    args.push(quote! { body: impl Into<#ty> });
                    inits.push(quote! { body: body.into() });
                }
                ArgKind::Exact | ArgKind::Optional => {
                    args.push(quote! { body: #ty });
                    inits.push(quote! { body });
                }
            }
        }
        Some(_) => inits.push(quote! { body: None }),
        None => {}
    }
    let docs = op_docs(op);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let cfg = cfg_attr(&op.features);
    // The document's required parameters are the arguments, however many.
    let many = (args.len() + 1 > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #docs
        #cfg
        #deprecated
        #many
        pub fn #name(&self, #(#args),*) -> #request {
            #request { client: self.clone(), #(#inits,)* options: Default::default() }
        }
    }
}
