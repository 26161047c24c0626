//! The head of `client.rs` in the emitted crate: the `Client`, its
//! builder, and a method per operation that makes its request builder.

use super::shared::docs::{doc_attrs, doc_paragraphs};
use super::shared::{rust_type, TypePath};
use crate::ir::{Api, ArgKind, Body, ClientNew, Operation, Param, Passing, SecurityKind, SecurityScheme};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The module's `use` line, `Client`, `ClientBuilder` and `impl Client`.
pub fn items(api: &Api) -> [TokenStream; 4] {
    // Types are named `types::Name` here (a spec without operations uses none).
    let import = quote! {
        #[allow(unused_imports)]
        use crate::types;
    };
    [import, client_struct(api), client_builder(api), client_impl(api)]
}

fn scheme_field_type(kind: &SecurityKind) -> TokenStream {
    match kind {
        SecurityKind::Basic => quote! { Option<(String, crate::Secret)> },
        _ => quote! { Option<crate::Secret> },
    }
}

fn client_struct(api: &Api) -> TokenStream {
    let fields = api.security_schemes.iter().map(|s| {
        let name = format_ident!("{}", s.rust_name);
        let ty = scheme_field_type(&s.kind);
        quote! { #name: #ty, }
    });
    // Only operations read these; a spec without any would warn.
    let unused = api.operations.is_empty().then(|| quote! { #[allow(dead_code)] });
    let title = format!("A client for {}.", api.title);
    let docs = doc_paragraphs([Some(title.as_str()), Some("Cheap to clone: clones share one connection pool. Credentials are kept as [`crate::Secret`], which `Debug` prints redacted.")]);
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct Client {
            #unused
            http: reqwest::Client,
            base_url: String,
            #unused
            timeout: Option<std::time::Duration>,
            #unused
            retry: crate::RetryPolicy,
            #unused
            rate_limiter: Option<crate::RateLimiter>,
            #unused
            default_headers: reqwest::header::HeaderMap,
            #(#fields)*
        }
    }
}

fn client_builder(api: &Api) -> TokenStream {
    let fields = api.security_schemes.iter().map(|s| {
        let name = format_ident!("{}", s.rust_name);
        let ty = scheme_field_type(&s.kind);
        quote! { #name: #ty, }
    });
    let setters = api.security_schemes.iter().map(|s| {
        let name = format_ident!("{}", s.rust_name);
        let SecurityScheme { wire_name, kind, doc, .. } = s;
        let how = match kind {
            SecurityKind::ApiKeyHeader(h) => format!("Sent in the `{h}` header."),
            SecurityKind::ApiKeyQuery(q) => format!("Sent as the `{q}` query parameter."),
            SecurityKind::ApiKeyCookie(c) => format!("Sent as the `{c}` cookie."),
            SecurityKind::Bearer => "Sent as `Authorization: Bearer <token>`.".to_string(),
            SecurityKind::Basic => "Sent as `Authorization: Basic`.".to_string(),
        };
        let summary = format!("The credential of the `{wire_name}` security scheme. {how}");
        let docs = doc_paragraphs([Some(summary.as_str()), doc.as_deref()]);
        match kind {
            SecurityKind::Basic => quote! {
                #docs
                pub fn #name(mut self, username: impl Into<String>, password: impl Into<crate::Secret>) -> Self {
                    self.#name = Some((username.into(), password.into()));
                    self
                }
            },
            _ => quote! {
                #docs
                pub fn #name(mut self, credential: impl Into<crate::Secret>) -> Self {
                    self.#name = Some(credential.into());
                    self
                }
            },
        }
    });
    let moves = api.security_schemes.iter().map(|s| format_ident!("{}", s.rust_name));
    let spec_names: Vec<&str> = api.default_headers.iter().map(|(n, _)| n.as_str()).collect();
    let spec_values: Vec<&str> = api.default_headers.iter().map(|(_, v)| v.as_str()).collect();
    let spec_count = proc_macro2::Literal::usize_unsuffixed(spec_names.len());
    let default_header_doc = (!api.default_headers.is_empty()).then(|| {
        let list = api.default_headers.iter().map(|(n, v)| format!("`{n}: {v}`")).collect::<Vec<_>>().join(", ");
        doc_attrs(&format!("\nThe spec asks for {list} on every request; these are sent unless replaced here."))
    });
    let rate_limit_doc = (!api.rate_limits.is_empty()).then(|| {
        quote! {
            #[doc = ""]
            #[doc = " [`Client::documented_rate_limiter`] keeps to the limits the spec documents."]
        }
    });
    let base_url = match &api.base_url {
        Some(_) => quote! { self.base_url.unwrap_or_else(|| Client::DEFAULT_BASE_URL.to_string()) },
        None => quote! { self.base_url.ok_or(crate::BuildError::MissingBaseUrl)? },
    };
    quote! {
        #[doc = " Configures a [`Client`]."]
        #[derive(Debug, Default)]
        #[must_use]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http_client: Option<reqwest::Client>,
            timeout: Option<std::time::Duration>,
            connect_timeout: Option<std::time::Duration>,
            user_agent: Option<String>,
            retry: Option<crate::RetryPolicy>,
            rate_limiter: Option<crate::RateLimiter>,
            default_headers: Vec<(String, String)>,
            #(#fields)*
        }

        impl ClientBuilder {
            #[doc = " The server to talk to, such as `http://127.0.0.1:8080` in tests."]
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.base_url = Some(base_url.into());
                self
            }

            #[doc = " Uses this `reqwest` client (its own settings apply; `connect_timeout`"]
            #[doc = " and `user_agent` are then ignored)."]
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.http_client = Some(client);
                self
            }

            #[doc = " Time limit for each request, from sending to the end of the body."]
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            #[doc = " Time limit for opening a connection."]
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.connect_timeout = Some(timeout);
                self
            }

            #[doc = " The `User-Agent` header; defaults to this crate's name and version."]
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.user_agent = Some(user_agent.into());
                self
            }

            #[doc = " When failed requests are sent again; see [`crate::RetryPolicy`] for the"]
            #[doc = " default. `RetryPolicy::disabled()` turns retries off."]
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.retry = Some(policy);
                self
            }

            #[doc = " Paces requests on the client's side (off by default); see"]
            #[doc = " [`crate::RateLimiter`]."]
            #rate_limit_doc
            pub fn rate_limiter(mut self, limiter: crate::RateLimiter) -> Self {
                self.rate_limiter = Some(limiter);
                self
            }

            #[doc = " A header sent with every request (a request's own value wins)."]
            #default_header_doc
            pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.default_headers.push((name.into(), value.into()));
                self
            }

            #(#setters)*

            #[doc = " Builds the client."]
            pub fn build(self) -> Result<Client, crate::BuildError> {
                let http = match self.http_client {
                    Some(client) => client,
                    None => {
                        let user_agent = self.user_agent.unwrap_or_else(|| concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string());
                        let mut builder = reqwest::Client::builder().user_agent(user_agent);
                        if let Some(timeout) = self.connect_timeout {
                            builder = builder.connect_timeout(timeout);
                        }
                        builder.build().map_err(crate::BuildError::Http)?
                    }
                };
                let base_url = #base_url;
                let mut default_headers = reqwest::header::HeaderMap::new();
                let spec_defaults: [(&str, &str); #spec_count] = [#((#spec_names, #spec_values)),*];
                let given = self.default_headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
                for (name, value) in spec_defaults.into_iter().chain(given) {
                    let invalid = || crate::BuildError::InvalidHeader(name.to_string());
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
                    let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid())?;
                    default_headers.insert(name, value);
                }
                Ok(Client {
                    http,
                    base_url: base_url.trim_end_matches('/').to_string(),
                    timeout: self.timeout,
                    retry: self.retry.unwrap_or_default(),
                    rate_limiter: self.rate_limiter,
                    default_headers,
                    #(#moves: self.#moves,)*
                })
            }
        }
    }
}

fn client_impl(api: &Api) -> TokenStream {
    let default_base = api.base_url.as_ref().map(|url| {
        quote! {
            #[doc = " The server named in the spec."]
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
    let new = match &api.crate_shape.client_new {
        ClientNew::NoCredential => Some(quote! {
            #[doc = " A client with default settings."]
            pub fn new() -> Result<Self, crate::BuildError> {
                Self::builder().build()
            }
        }),
        ClientNew::Credential(scheme) => {
            let name = format_ident!("{}", scheme);
            Some(quote! {
                #[doc = " A client with default settings and the given credential."]
                pub fn new(credential: impl Into<crate::Secret>) -> Result<Self, crate::BuildError> {
                    Self::builder().#name(credential).build()
                }
            })
        }
        ClientNew::Absent => None,
    };
    let appliers = api.security_schemes.iter().map(apply_credential);
    let methods = api.operations.iter().map(|op| client_method(api, op));
    let limiter = documented_rate_limiter(api);
    quote! {
        impl Client {
            #default_base
            #new
            #limiter

            #[doc = " Configures a client."]
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            #[doc = " The server this client talks to."]
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #(#methods)*

            #[doc = " Sends a request with the client's settings (timeout, default headers,"]
            #[doc = " retries) and the request's own options, and reads the response."]
            #[allow(dead_code)]
            async fn execute(
                &self,
                mut request: reqwest::RequestBuilder,
                accept: &'static str,
                options: crate::runtime::RequestOptions,
            ) -> Result<crate::runtime::RawResponse, crate::runtime::SendFailure> {
                request = request.header(reqwest::header::ACCEPT, accept);
                if let Some(timeout) = self.timeout {
                    request = request.timeout(timeout);
                }
                crate::runtime::send(&self.http, request, options, &self.default_headers, &self.retry, self.rate_limiter.as_ref()).await
            }

            #(#appliers)*
        }
    }
}

/// `Client::documented_rate_limiter()`, from the spec's `x-client-rate-limits`.
fn documented_rate_limiter(api: &Api) -> Option<TokenStream> {
    if api.rate_limits.is_empty() {
        return None;
    }
    let listed = api.rate_limits.iter().map(|l| format!("{} requests per {} s", l.requests, l.seconds));
    let doc = format!(
        " A [`crate::RateLimiter`] with the limits the spec documents: {}.",
        listed.collect::<Vec<_>>().join(", ")
    );
    let limits = api.rate_limits.iter().map(|l| {
        let (requests, seconds) = (Literal::u32_unsuffixed(l.requests), Literal::u64_unsuffixed(l.seconds));
        quote! { .limit(#requests, std::time::Duration::from_secs(#seconds)) }
    });
    Some(quote! {
        #[doc = #doc]
        #[doc = " Pass it to [`ClientBuilder::rate_limiter`]; clones share their counts."]
        pub fn documented_rate_limiter() -> crate::RateLimiter {
            crate::RateLimiter::new() #(#limits)*
        }
    })
}

/// A private method that adds one scheme's credential to a request.
fn apply_credential(s: &SecurityScheme) -> TokenStream {
    let field = format_ident!("{}", s.rust_name);
    let method = format_ident!("{}{}", crate::scopes::CREDENTIAL_APPLIER_PREFIX, s.rust_name);
    let scheme = &s.wire_name;
    let apply = match &s.kind {
        SecurityKind::ApiKeyHeader(header) => quote! {
            request.header(#header, crate::runtime::secret_header(#scheme, credential.expose())?)
        },
        SecurityKind::ApiKeyQuery(name) => {
            quote! { request.query(&[(#name, credential.expose())]) }
        }
        SecurityKind::ApiKeyCookie(name) => quote! {
            request.header(reqwest::header::COOKIE, crate::runtime::secret_header(#scheme, &format!("{}={}", #name, credential.expose()))?)
        },
        SecurityKind::Bearer => quote! {
            request.header(reqwest::header::AUTHORIZATION, crate::runtime::secret_header(#scheme, &format!("Bearer {}", credential.expose()))?)
        },
        SecurityKind::Basic => {
            quote! { request.basic_auth(&credential.0, Some(credential.1.expose())) }
        }
    };
    quote! {
        fn #method(&self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, crate::runtime::RequestFailure> {
            Ok(match &self.#field {
                Some(credential) => #apply,
                None => request,
            })
        }
    }
}

fn op_docs(op: &Operation) -> TokenStream {
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    doc_paragraphs([op.summary.as_deref(), op.description.as_deref(), Some(route.as_str())])
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
            ArgKind::IntoString => {
                args.push(quote! { #ident: impl Into<String> });
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
        Some(Body { ty, required: true, .. }) => {
            let ty = rust_type(api, ty, TypePath::Module);
            args.push(quote! { body: #ty });
            inits.push(quote! { body });
        }
        Some(_) => inits.push(quote! { body: None }),
        None => {}
    }
    let docs = op_docs(op);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> #request<'_> {
            #request { client: self, #(#inits,)* options: Default::default() }
        }
    }
}
