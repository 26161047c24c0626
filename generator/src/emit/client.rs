//! `client.rs` of the emitted crate: the `Client`, its builder, and for each
//! operation a method, a request builder and an error enum.

use super::docs::{doc_attrs, doc_paragraphs};
use super::envelope::envelope;
use super::{rust_type, TypePath};
use crate::ir::{
    Api, Body, Field, Operation, Param, ParamLocation, PathSegment, Presence, Response, ResponseBody, SecurityKind,
    SecurityScheme, Status, TypeKind, TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The client's items, then each operation's, made lazily so that only one
/// operation's tokens exist at a time while rendering.
pub fn items(api: &Api) -> impl Iterator<Item = TokenStream> + '_ {
    // Types are named `types::Name` here (a spec without operations uses none).
    let import = quote! {
        #[allow(unused_imports)]
        use crate::types;
    };
    let client = [import, client_struct(api), client_builder(api), client_impl(api)];
    let validating = super::types::validating_types(api);
    let operations = api.operations.iter().map(move |op| {
        let mut tokens = request_builder(api, op, &validating);
        tokens.extend(error_enum(api, op));
        tokens.extend(success_enum(api, op));
        tokens
    });
    client.into_iter().chain(operations)
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
    let new = match api.security_schemes.as_slice() {
        [] => Some(quote! {
            #[doc = " A client with default settings."]
            pub fn new() -> Result<Self, crate::BuildError> {
                Self::builder().build()
            }
        }),
        [scheme] if scheme.kind != SecurityKind::Basic && api.base_url.is_some() => {
            let name = format_ident!("{}", scheme.rust_name);
            Some(quote! {
                #[doc = " A client with default settings and the given credential."]
                pub fn new(credential: impl Into<crate::Secret>) -> Result<Self, crate::BuildError> {
                    Self::builder().#name(credential).build()
                }
            })
        }
        _ => None,
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
    let method = format_ident!("apply_{}", s.rust_name);
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

/// Parameters passed to the client method rather than set on the builder.
fn positional(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required)
}

fn arg_type(api: &Api, ty: &TypeRef) -> (TokenStream, TokenStream) {
    // Strings take `impl Into<String>`, so `&str` and `String` both work.
    match ty {
        TypeRef::String => (quote! { impl Into<String> }, quote! { .into() }),
        other => (rust_type(api, other, TypePath::Module), TokenStream::new()),
    }
}

fn op_docs(op: &Operation) -> TokenStream {
    let route = format!("`{} {}`", op.method, op.path);
    doc_paragraphs([op.summary.as_deref(), op.description.as_deref(), Some(route.as_str())])
}

fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.rust_name);
    let request = format_ident!("{}Request", op.type_prefix);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in positional(op) {
        let ident = format_ident!("{}", p.rust_name);
        let (ty, convert) = arg_type(api, &p.ty);
        args.push(quote! { #ident: #ty });
        if convert.is_empty() {
            inits.push(quote! { #ident });
        } else {
            inits.push(quote! { #ident: #ident #convert });
        }
    }
    for p in op.params.iter().filter(|p| !p.required) {
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

fn success_type(api: &Api, op: &Operation) -> TokenStream {
    if let Some(envelope) = envelope(api, op) {
        return envelope.output(api);
    }
    let bodies: Vec<&ResponseBody> = op.responses.iter().filter(|r| r.status.is_success()).map(|r| &r.body).collect();
    match bodies.as_slice() {
        [] => quote! { () },
        [first, rest @ ..] if rest.iter().all(|b| b == first) => body_type(api, first),
        _ => {
            let ident = format_ident!("{}Success", op.type_prefix);
            quote! { #ident }
        }
    }
}

fn body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote! { () },
        ResponseBody::Json(ty) => rust_type(api, ty, TypePath::Module),
        ResponseBody::Text => quote! { String },
        ResponseBody::Bytes => quote! { Vec<u8> },
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote! { #code }
        }
        Status::Range(r) => {
            let lo = Literal::u16_unsuffixed(r * 100);
            let hi = Literal::u16_unsuffixed(r * 100 + 99);
            quote! { #lo..=#hi }
        }
        Status::Default => quote! { _ },
    }
}

fn request_builder(api: &Api, op: &Operation, validating: &[bool]) -> TokenStream {
    let request = format_ident!("{}Request", op.type_prefix);
    let error = format_ident!("{}Error", op.type_prefix);
    let method_name = &op.rust_name;
    let success = success_type(api, op);
    let output = quote! { crate::ApiResult<#success, #error> };

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.rust_name);
        let ty = rust_type(api, &p.ty, TypePath::Module);
        if p.required {
            fields.push(quote! { #ident: #ty });
            continue;
        }
        fields.push(quote! { #ident: Option<#ty> });
        let (arg, convert) = arg_type(api, &p.ty);
        let place = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let summary = format!("Sets the `{}` {place} parameter.", p.wire_name);
        let docs = doc_paragraphs([Some(summary.as_str()), p.doc.as_deref()]);
        setters.push(quote! {
            #docs
            pub fn #ident(mut self, value: #arg) -> Self {
                self.#ident = Some(value #convert);
                self
            }
        });
    }
    if let Some(Body { ty, required, doc, .. }) = &op.body {
        let ty = rust_type(api, ty, TypePath::Module);
        if *required {
            fields.push(quote! { body: #ty });
        } else {
            fields.push(quote! { body: Option<#ty> });
            let docs = doc_paragraphs([Some("Sets the request body."), doc.as_deref()]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, body: #ty) -> Self {
                    self.body = Some(body);
                    self
                }
            });
        }
    }

    let field_names: Vec<_> = op.params.iter().map(|p| format_ident!("{}", p.rust_name)).collect();
    let body_binding = op.body.as_ref().map(|_| quote! { body, });

    // URL: one `format!` over the literal path pieces and the encoded
    // parameters. Lowering refuses a path whose parameters are not all declared.
    let mut template = String::from("{base_url}");
    let mut encode_path = Vec::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathSegment::Param(wire) => {
                let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && &p.wire_name == wire)
                else {
                    continue;
                };
                let ident = format_ident!("{}", p.rust_name);
                template.push_str(&format!("{{{}}}", p.rust_name));
                encode_path.push(quote! { let #ident = crate::runtime::path_segment(#wire, &#ident)?; });
            }
        }
    }
    let query_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Query).collect();
    let query = (!query_params.is_empty()).then(|| {
        let pushes = query_params.iter().map(|p| {
            let ident = format_ident!("{}", p.rust_name);
            let wire = &p.wire_name;
            quote! { crate::runtime::push_query(&mut query, #wire, &#ident)?; }
        });
        quote! {
            let mut query = Vec::new();
            #(#pushes)*
            request = request.query(&query);
        }
    });
    let headers = op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let wire = &p.wire_name;
        quote! { request = crate::runtime::with_header(request, #wire, &#ident)?; }
    });
    let auth = op.security.iter().map(|scheme| {
        let apply = format_ident!("apply_{}", scheme);
        quote! { request = client.#apply(request)?; }
    });
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        // Spec constraints are checked before anything is sent.
        let validate = match &b.ty {
            TypeRef::Named(id) if validating[id.0] => quote! { body.validate()?; },
            _ => TokenStream::new(),
        };
        if b.required {
            quote! {
                #validate
                request = crate::runtime::with_json_body(request, #media, &body)?;
            }
        } else {
            quote! {
                if let Some(body) = body {
                    #validate
                    request = crate::runtime::with_json_body(request, #media, &body)?;
                }
            }
        }
    });
    let method = format_ident!("{}", op.method);
    let accept = accept_header(op);
    let arms = response_arms(api, op);
    let request_mut = (query.is_some()
        || op.params.iter().any(|p| p.location == ParamLocation::Header)
        || !op.security.is_empty()
        || op.body.is_some())
    .then(|| quote! { mut });

    let pagination = pagination(api, op);
    let struct_doc =
        format!(" A [`Client::{method_name}`] request. Send it with `.send().await`, or just `.await` it.");
    quote! {
        #[doc = #struct_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #request<'a> {
            client: &'a Client,
            #(#fields,)*
            options: crate::runtime::RequestOptions,
        }

        impl #request<'_> {
            #(#setters)*

            #[doc = " Sends the request and decodes the response."]
            pub async fn send(self) -> #output {
                let Self { client, #(#field_names,)* #body_binding options } = self;
                #(#encode_path)*
                let base_url = &client.base_url;
                let url = format!(#template);
                let #request_mut request = client.http.request(reqwest::Method::#method, url);
                #query
                #(#headers)*
                #(#auth)*
                #body
                let raw = client.execute(request, #accept, options).await?;
                match raw.status() {
                    #(#arms)*
                }
            }
        }

        #pagination
        crate::runtime::request_options!(#request);
        crate::runtime::into_future!(#request, #success, #error);
    }
}

/// Whether the operation's request builder has `items()`.
pub(crate) fn paginates(api: &Api, op: &Operation) -> bool {
    page_shape(api, op).is_some()
}

/// The parts of a page-numbered list operation that `items()` reads.
struct PageShape<'a> {
    page: &'a Param,
    /// The success body's `data: [T]` field, and `T`.
    data: &'a Field,
    item: &'a TypeRef,
    /// `pagination`, and its `nextPage`.
    info: &'a Field,
    next: &'a Field,
}

/// A page-numbered list: an integer `page` query parameter, and a success
/// body with `data: [T]` and `pagination.nextPage` (null on the last page),
/// as Statsig's list operations have.
fn page_shape<'a>(api: &'a Api, op: &'a Operation) -> Option<PageShape<'a>> {
    let page = op.params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == "page")?;
    if !matches!(page.ty, TypeRef::Integer(_)) || page.required {
        return None;
    }
    let mut successes = op.responses.iter().filter(|r| r.status.is_success());
    let (Some(success), None) = (successes.next(), successes.next()) else { return None };
    let ResponseBody::Json(TypeRef::Named(body)) = &success.body else { return None };
    let TypeKind::Struct(envelope) = &api.ty(*body).kind else { return None };
    let field = |s: &'a crate::ir::Struct, wire: &str| s.fields.iter().find(|f| f.wire_name == wire);
    let data = field(envelope, "data")?;
    let TypeRef::List(item) = &data.ty else { return None };
    let info = field(envelope, "pagination")?;
    let (TypeRef::Named(info_id), Presence::Required) = (&info.ty, info.presence) else { return None };
    let TypeKind::Struct(info_struct) = &api.ty(*info_id).kind else { return None };
    let next = field(info_struct, "nextPage")?;
    if data.presence != Presence::Required || next.boxed || data.boxed || info.boxed {
        return None;
    }
    Some(PageShape { page, data, item, info, next })
}

/// `items()` for a page-numbered list (see [`page_shape`]).
fn pagination(api: &Api, op: &Operation) -> Option<TokenStream> {
    let PageShape { page, data, item, info, next } = page_shape(api, op)?;
    let request = format_ident!("{}Request", op.type_prefix);
    let error = format_ident!("{}Error", op.type_prefix);
    let item = rust_type(api, item, TypePath::Module);
    let (page_field, data_field, info_field, next_field) = (
        format_ident!("{}", page.rust_name),
        format_ident!("{}", data.rust_name),
        format_ident!("{}", info.rust_name),
        format_ident!("{}", next.rust_name),
    );
    let more = match next.presence {
        Presence::OptionalNullable => quote! { body.#info_field.#next_field.as_option().is_some() },
        Presence::Required => quote! { true },
        Presence::Optional | Presence::RequiredNullable => quote! { body.#info_field.#next_field.is_some() },
    };
    Some(quote! {
        impl<'a> #request<'a> {
            #[doc = " Every item on every page, as a stream: pages are fetched one at a"]
            #[doc = " time as it is polled, from the page set here (or 1) until the"]
            #[doc = " server's `pagination.nextPage` is null; the first error ends it."]
            pub fn items(self) -> crate::Pages<'a, #item, #error> {
                let first = self.#page_field.unwrap_or(1);
                crate::runtime::Pages::new(first, move |page| {
                    let request = self.clone().#page_field(page);
                    Box::pin(async move {
                        let body = request.send().await?.into_body();
                        let more = #more;
                        Ok((body.#data_field, more))
                    })
                })
            }
        }
    })
}

fn accept_header(op: &Operation) -> &'static str {
    let any_json = op.responses.iter().any(|r| matches!(r.body, ResponseBody::Json(_)));
    let any_other = op.responses.iter().any(|r| matches!(r.body, ResponseBody::Text | ResponseBody::Bytes));
    match (any_json, any_other) {
        (true, false) => "application/json",
        _ => "*/*",
    }
}

/// One `status => outcome` arm per documented response; each decodes and
/// wraps the body in one runtime call.
fn response_arms(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let envelope = envelope(api, op);
    let error = format_ident!("{}Error", op.type_prefix);
    let success_enum = format_ident!("{}Success", op.type_prefix);
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.status.is_success()).collect();
    let distinct_success = successes.windows(2).any(|w| w[0].body != w[1].body);
    let mut arms: Vec<TokenStream> = op
        .responses
        .iter()
        .map(|r| {
            let pattern = status_pattern(r.status);
            let variant = format_ident!("{}", r.variant);
            let decode = match r.body {
                ResponseBody::Empty => quote! { empty },
                ResponseBody::Json(_) => quote! { json },
                ResponseBody::Text => quote! { text },
                ResponseBody::Bytes => quote! { bytes },
            };
            let outcome = match (r.status.is_success(), distinct_success, &r.body) {
                (true, false, _) => match &envelope {
                    Some(envelope) => envelope.decode(api),
                    None => quote! { raw.ok(crate::runtime::#decode) },
                },
                (true, true, ResponseBody::Empty) => {
                    quote! { raw.success(crate::runtime::empty, |()| #success_enum::#variant) }
                }
                (true, true, _) => quote! { raw.success(crate::runtime::#decode, #success_enum::#variant) },
                (false, _, ResponseBody::Empty) => quote! { raw.failure(crate::runtime::empty, |()| #error::#variant) },
                (false, _, _) => quote! { raw.failure(crate::runtime::#decode, #error::#variant) },
            };
            quote! { #pattern => #outcome, }
        })
        .collect();
    if !op.responses.iter().any(|r| r.status == Status::Default) {
        arms.push(quote! { _ => raw.unexpected(), });
    }
    arms
}

fn response_doc(r: &Response) -> TokenStream {
    let status = match r.status {
        Status::Code(c) => c.to_string(),
        Status::Range(n) => format!("{n}XX"),
        Status::Default => "Any other status".to_string(),
    };
    doc_attrs(&format!("{status}: {}", r.description.trim()))
}

fn error_enum(api: &Api, op: &Operation) -> TokenStream {
    let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
    let doc = format!(" The error responses documented for [`Client::{}`].", op.rust_name);
    status_enum(api, &format!("{}Error", op.type_prefix), &doc, &errors)
}

fn success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.status.is_success()).collect();
    if !successes.windows(2).any(|w| w[0].body != w[1].body) {
        return None;
    }
    let doc = format!(" The successful responses of [`Client::{}`], which differ by status.", op.rust_name);
    Some(status_enum(api, &format!("{}Success", op.type_prefix), &doc, &successes))
}

/// An enum with a variant per response status, holding its decoded body.
fn status_enum(api: &Api, name: &str, doc: &str, responses: &[&Response]) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants = responses.iter().map(|r| {
        let docs = response_doc(r);
        let variant = format_ident!("{}", r.variant);
        match &r.body {
            ResponseBody::Empty => quote! { #docs #variant, },
            body => {
                let ty = body_type(api, body);
                quote! { #docs #variant(#ty), }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }
    }
}
