//! Each operation's items in `client.rs`: its request builder (with
//! `items()` for a paginated list), its error enum and, when the success
//! bodies differ by status, its success enum.

use super::shared::checks::constraint_checks;
use super::shared::docs::{doc_attrs, doc_paragraphs};
use super::shared::{body_type, gated, root, rust_type, TypePath};
use crate::ir::{
    Api, ArgKind, BodyContent, Counter, CursorFrom, Envelope, EventStream, FieldPath, FloatWidth, Framing, IntWidth,
    ItemsAt, LinkFrom, MediaKind, MessageField, Opened, Operation, OperationNames, PageEnd, PageStart, PageStyle,
    Pagination, Param, ParamLocation, ParamRepr, Passing, PathSegment, Response, ResponseBody, Status, Style, Success,
    TypeRef, Wrapper,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The request builder, error enum and success enum of one operation.
pub fn items(api: &Api, op: &Operation) -> TokenStream {
    let mut tokens = request_builder(api, op);
    tokens.extend(error_enum(api, op));
    tokens.extend(success_enum(api, op));
    gated(&op.features, tokens)
}

/// The type a successful call gives the caller.
fn success_type(api: &Api, success: &Success) -> TokenStream {
    match success {
        Success::Plain(body) => response_type(api, body),
        Success::Envelope(Envelope { body, opened }) => match opened {
            Opened::Data { ty, .. } => rust_type(api, ty, TypePath::Module),
            Opened::MessageOnly(_) => quote! { () },
            Opened::Whole(_) => rust_type(api, body, TypePath::Module),
        },
        Success::ByStatus(name) => {
            let ident = format_ident!("{}", name);
            quote! { #ident }
        }
    }
}

fn response_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote! { () },
        ResponseBody::Json(ty) => rust_type(api, ty, TypePath::Module),
        ResponseBody::Text => quote! { String },
        ResponseBody::Bytes => quote! { bytes::Bytes },
    }
}

/// What a setter or argument of type `ty` accepts, and how the value is
/// converted.
fn arg_type(api: &Api, ty: &TypeRef, arg: ArgKind) -> (TokenStream, TokenStream) {
    match arg {
        ArgKind::Into => {
            let ty = rust_type(api, ty, TypePath::Module);
            (quote! { impl Into<#ty> }, quote! { .into() })
        }
        ArgKind::Exact | ArgKind::Optional => (rust_type(api, ty, TypePath::Module), TokenStream::new()),
    }
}

/// The match pattern of a status. A range leaves out the codes in it the
/// operation documents on their own (`2XX` beside `200` is `201..=299`),
/// so no two arms overlap.
fn status_pattern(status: Status, responses: &[Response]) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote! { #code }
        }
        Status::Range(r) => {
            let mut own: Vec<u16> = responses
                .iter()
                .filter_map(|other| match other.status {
                    Status::Code(code) if code / 100 == r => Some(code),
                    _ => None,
                })
                .collect();
            own.sort_unstable();
            let mut pieces = Vec::new();
            let mut lo = r * 100;
            for code in own.into_iter().chain([r * 100 + 100]) {
                if code > lo {
                    let (a, b) = (Literal::u16_unsuffixed(lo), Literal::u16_unsuffixed(code - 1));
                    pieces.push(if code - 1 == lo {
                        quote! { #a }
                    } else {
                        quote! { #a..=#b }
                    });
                }
                lo = code + 1;
            }
            quote! { #(#pieces)|* }
        }
        Status::Default => quote! { _ },
    }
}

/// How a parameter is added to the call: the method for its location, and
/// the style argument when it is not the location's default (`form`,
/// exploded, for queries; `simple` for paths and headers; cookies are
/// comma-joined unless JSON).
fn param_call(root: &TokenStream, location: ParamLocation, style: Style) -> (proc_macro2::Ident, Option<TokenStream>) {
    let default = match location {
        ParamLocation::Query => Style::Form,
        ParamLocation::Path | ParamLocation::Header => Style::Simple,
        // Cookies are comma-joined unless JSON, whatever their style.
        ParamLocation::Cookie if style != Style::Json => style,
        ParamLocation::Cookie => Style::FormCompact,
    };
    let base = match location {
        ParamLocation::Path => "path_segment",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    if style == default {
        return (format_ident!("{}", base), None);
    }
    // The runtime's variant of the same enum.
    let variant = format_ident!("{}", style_variant(style));
    (format_ident!("{}_styled", base), Some(quote! { #root::runtime::Style::#variant }))
}

/// The name of a style's variant, as the runtime (which defines the same
/// enum) spells it.
fn style_variant(style: Style) -> &'static str {
    match style {
        Style::Form => "Form",
        Style::FormCompact => "FormCompact",
        Style::Simple => "Simple",
        Style::SimpleExploded => "SimpleExploded",
        Style::SpaceDelimited => "SpaceDelimited",
        Style::PipeDelimited => "PipeDelimited",
        Style::DeepObject => "DeepObject",
        Style::Json => "Json",
        Style::Label => "Label",
        Style::LabelExploded => "LabelExploded",
        Style::Matrix => "Matrix",
        Style::MatrixExploded => "MatrixExploded",
    }
}

/// Statements that check (when it validates) and attach a body content
/// bound to `body` (a reference).
fn attach_body(api: &Api, content: &BodyContent) -> TokenStream {
    let BodyContent { media_type, kind, ty, encoding, form_styles: _ } = content;
    let validate = match ty {
        TypeRef::Named(id) if api.ty(*id).validates => quote! { call.check(body.validate()); },
        _ => TokenStream::new(),
    };
    let attach = match kind {
        MediaKind::Json => quote! { call.json_body(#media_type, body); },
        MediaKind::Form if content.form_styles.is_empty() => quote! { call.form_body(#media_type, body, &[]); },
        MediaKind::Form => {
            let root = root(api);
            let styles = content.form_styles.iter().map(|(property, style)| {
                let variant = format_ident!("{}", style_variant(*style));
                quote! { (#property, #root::runtime::Style::#variant) }
            });
            quote! { call.form_body(#media_type, body, &[#(#styles),*]); }
        }
        MediaKind::Multipart => {
            let (parts, types): (Vec<&str>, Vec<&str>) = encoding.iter().map(|(p, t)| (p.as_str(), t.as_str())).unzip();
            quote! { call.multipart_body(#media_type, body, &[#((#parts, #types)),*]); }
        }
        MediaKind::Text => quote! { call.text_body(#media_type, body); },
        MediaKind::Binary => quote! { call.binary_body(#media_type, body); },
    };
    quote! { #validate #attach }
}

/// The enum of a body that can be sent in several media types: a variant
/// per kind, and `From` the default content's type.
fn body_choice(api: &Api, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let name = body.choice.as_ref()?;
    let ident = format_ident!("{}", name);
    let variants = body.contents.iter().map(|c| {
        let variant = format_ident!("{}", c.kind.variant());
        let ty = rust_type(api, &c.ty, TypePath::Module);
        let doc = format!(" Sent as `{}`.", c.media_type);
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let default = body.default_content();
    let default_variant = format_ident!("{}", default.kind.variant());
    let default_ty = rust_type(api, &default.ty, TypePath::Module);
    let doc = format!(" The body of [`Client::{}`], in one of the media types it accepts.", op.rust_name);
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[allow(clippy::large_enum_variant)]
        pub enum #ident {
            #(#variants)*
        }

        impl From<#default_ty> for #ident {
            fn from(body: #default_ty) -> Self {
                Self::#default_variant(body)
            }
        }
    })
}

fn request_builder(api: &Api, op: &Operation) -> TokenStream {
    let root = root(api);
    let Operation {
        rust_name,
        type_prefix: _,
        method,
        path,
        path_segments,
        summary: _,
        description: _,
        deprecated: _,
        params,
        body,
        responses: _,
        security,
        origin: _,
        // The operation's cargo features gate all its items (`items`).
        operation_id: _,
        tags: _,
        features: _,
        pagination_hint: _,
        idempotent_hint: _,
        envelope_hint: _,
        idempotency_key_hint: _,
        idempotency_key,
        idempotent,
        names,
        success,
        pagination,
        accept,
        streams,
        events,
        default_success: _,
    } = op;
    let OperationNames { request, error } = names;
    let request = format_ident!("{}", request);
    let error = format_ident!("{}", error);
    let success_ty = success_type(api, success);
    let output = quote! { #root::ApiResult<#success_ty, #error> };

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut checks = Vec::new();
    for p in params {
        let Param { rust_name, wire_name, location, ty, required: _, doc, style: _, constraints: _, repr } = p;
        let ParamRepr { passing, arg, checks: param_checks } = repr;
        let ident = format_ident!("{}", rust_name);
        let ty_tokens = rust_type(api, ty, TypePath::Module);
        // The spec's constraints are checked before anything is sent.
        let param_checks = constraint_checks(&root, ty, param_checks, wire_name);
        if !param_checks.is_empty() {
            let calls = param_checks.iter().map(|check| quote! { call.check(#check); });
            checks.push(match passing {
                Passing::Argument => quote! { { let value = &#ident; #(#calls)* } },
                Passing::Setter => quote! { if let Some(value) = &#ident { #(#calls)* } },
            });
        }
        if *passing == Passing::Argument {
            fields.push(quote! { #ident: #ty_tokens });
            continue;
        }
        fields.push(quote! { #ident: Option<#ty_tokens> });
        let (arg, convert) = arg_type(api, ty, *arg);
        let summary = format!("Sets the `{wire_name}` {} parameter.", location.as_str());
        let docs = doc_paragraphs([Some(summary.as_str()), doc.as_deref()]);
        setters.push(quote! {
            #docs
            pub fn #ident(mut self, value: #arg) -> Self {
                self.#ident = Some(value #convert);
                self
            }
        });
    }
    if let Some(body) = body {
        let ty = body_type(api, body);
        if body.required {
            fields.push(quote! { body: #ty });
        } else {
            fields.push(quote! { body: Option<#ty> });
            let docs = doc_paragraphs([Some("Sets the request body."), body.doc.as_deref()]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, body: impl Into<#ty>) -> Self {
                    self.body = Some(body.into());
                    self
                }
            });
        }
    }

    let field_names: Vec<_> = params.iter().map(|p| format_ident!("{}", p.rust_name)).collect();
    let body_binding = body.as_ref().map(|_| quote! { body, });

    // The path: one `format!` over the literal pieces and the encoded
    // parameters. Lowering gives every `{name}` of the template a parameter.
    let mut template = String::new();
    let mut encode_path = Vec::new();
    for segment in path_segments {
        match segment {
            PathSegment::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathSegment::Param(id) => {
                let p = op.param(*id);
                let wire = &p.wire_name;
                let ident = format_ident!("{}", p.rust_name);
                template.push_str(&format!("{{{}}}", p.rust_name));
                let (method, style) = param_call(&root, p.location, p.style);
                let style = style.map(|s| quote! { , #s });
                encode_path.push(quote! { let #ident = call.#method(#wire, &#ident #style); });
            }
        }
    }
    let set_path = if encode_path.is_empty() {
        quote! { call.set_path(#template.to_string()); }
    } else {
        quote! { call.set_path(format!(#template)); }
    };
    let others = params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let wire = &p.wire_name;
        let (method, style) = param_call(&root, p.location, p.style);
        let style = style.map(|s| quote! { , #s });
        quote! { call.#method(#wire, &#ident #style); }
    });
    let send_body = body.as_ref().map(|b| {
        let attach = match &b.choice {
            None => attach_body(api, b.default_content()),
            Some(name) => {
                let ident = format_ident!("{}", name);
                let arms = b.contents.iter().map(|c| {
                    let variant = format_ident!("{}", c.kind.variant());
                    let attach = attach_body(api, c);
                    quote! { #ident::#variant(body) => { #attach } }
                });
                quote! { match body { #(#arms)* } }
            }
        };
        if b.required {
            quote! {
                let body = &body;
                #attach
            }
        } else {
            quote! {
                if let Some(body) = &body {
                    #attach
                }
            }
        }
    });
    let is_query = *method == crate::ir::Method::Query;
    let method = format_ident!("{}", method.as_str());
    let security = security.iter().map(|together| {
        let indexes = together.iter().map(|scheme| Literal::usize_unsuffixed(scheme.0));
        quote! { &[#(#indexes),*] }
    });
    let idempotency_key = match idempotency_key {
        Some(header) => quote! { Some(#header) },
        None => quote! { None },
    };
    let operation = |method: TokenStream| {
        quote! {
            #root::runtime::Operation {
                name: #rust_name,
                method: #method,
                path: #path,
                idempotent: #idempotent,
                accept: #accept,
                security: &[#(#security),*],
                idempotency_key: #idempotency_key,
            }
        }
    };
    // `QUERY` has no constant in `reqwest::Method`: it is made once, from
    // its name (a valid token, so the fallback is never taken).
    let operation_static = if is_query {
        let value = operation(quote! { reqwest::Method::from_bytes(b"QUERY").unwrap_or(reqwest::Method::POST) });
        quote! {
            static OPERATION: std::sync::LazyLock<#root::runtime::Operation> = std::sync::LazyLock::new(|| #value);
        }
    } else {
        let value = operation(quote! { reqwest::Method::#method });
        quote! { static OPERATION: #root::runtime::Operation = #value; }
    };
    let arms = response_arms(api, op, false);
    let send_stream = streams.then(|| {
        let arms = response_arms(api, op, true);
        let output = quote! { #root::ApiResult<#root::ByteStream, #error> };
        quote! {
            #[doc = " Sends the request and returns the body unread, as a stream of"]
            #[doc = " chunks (for large downloads); errors are decoded as with `send`."]
            pub async fn send_stream(self) -> #output {
                let raw = self.into_call().send_streaming().await?;
                #arms
            }
        }
    });
    let events = events.as_ref().map(|e| events_fns(api, op, &error, *idempotent, e));
    let pagination = pagination.as_ref().map(|p| pages_fns(api, op, rust_name, &request, &error, &success_ty, p));
    let choice = body_choice(api, op);
    let struct_doc = format!(" A [`Client::{rust_name}`] request. Send it with `.send().await`, or just `.await` it.");
    quote! {
        #[doc = #struct_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #request {
            client: Client,
            #(#fields,)*
            options: #root::runtime::RequestOptions,
        }

        impl #request {
            #(#setters)*

            #[doc = " Sends the request and decodes the response."]
            pub async fn send(self) -> #output {
                let raw = self.into_call().send().await?;
                #arms
            }

            #send_stream

            #events

            fn into_call(self) -> #root::runtime::Call {
                #operation_static
                let Self { client, #(#field_names,)* #body_binding options } = self;
                let mut call = client.call(&OPERATION, options);
                // Checked before a path parameter's name is bound to its
                // encoded segment.
                #(#checks)*
                #(#encode_path)*
                #set_path
                #(#others)*
                #send_body
                call
            }
        }

        #pagination
        #root::runtime::request_options!(#request);
        #root::runtime::into_future!(#request, #success_ty, #error);
        #choice
    }
}

/// `pages()` and `items()` for a paginated list: how to ask for the next
/// page, and where a page's items and the next page's token are.
fn pages_fns(
    api: &Api,
    op: &Operation,
    operation: &str,
    request: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
    success_ty: &TokenStream,
    p: &Pagination,
) -> TokenStream {
    let root = root(api);
    let Pagination { style, items, item } = p;
    let item = rust_type(api, item, TypePath::Module);
    let items_ref = match items {
        ItemsAt::Field { name, wrapper } => {
            let field = format_ident!("{}", name);
            match wrapper {
                Wrapper::Plain => quote! { body.#field },
                Wrapper::Option => quote! { body.#field.as_deref().unwrap_or_default() },
                Wrapper::Nullable => quote! { body.#field.as_option().map(Vec::as_slice).unwrap_or_default() },
            }
        }
        ItemsAt::Body => quote! { body },
    };
    let take = match items {
        ItemsAt::Field { name, wrapper } => {
            let field = format_ident!("{}", name);
            match wrapper {
                Wrapper::Plain => quote! { |page| page.into_body().#field },
                Wrapper::Option => quote! { |page| page.into_body().#field.unwrap_or_default() },
                Wrapper::Nullable => quote! { |page| page.into_body().#field.into_option().unwrap_or_default() },
            }
        }
        ItemsAt::Body => quote! { |page| page.into_body() },
    };
    let next_number = |by: TokenStream| quote! { Some(#root::runtime::Next::Number(current.saturating_add(#by))) };
    // A counter's value as the parameter takes it (`first` as a literal of
    // its type), and the current one as an `i64` again.
    let literal = |counter: Counter, value: i64| match counter {
        Counter::Int(_) => Literal::i64_unsuffixed(value),
        Counter::Float(FloatWidth::F64) => Literal::f64_unsuffixed(value as f64),
        Counter::Float(FloatWidth::F32) => Literal::f32_unsuffixed(value as f32),
    };
    let numbered = |param: &Param, counter: Counter, first: i64| {
        let param = format_ident!("{}", param.rust_name);
        let set = match counter {
            Counter::Int(IntWidth::I64) => quote! { request.#param(next.number(#operation)?) },
            Counter::Int(IntWidth::I32) => {
                quote! { request.#param(#root::runtime::page_number::<i32>(#operation, next.number(#operation)?)?) }
            }
            // A counter declared as a number: whole numbers, sent as such.
            Counter::Float(FloatWidth::F64) => quote! { request.#param(next.number(#operation)? as f64) },
            Counter::Float(FloatWidth::F32) => quote! { request.#param(next.number(#operation)? as f32) },
        };
        let first = Literal::i64_unsuffixed(first);
        let current = match counter {
            Counter::Int(_) => quote! { i64::from },
            Counter::Float(_) => quote! { |value| value as i64 },
        };
        let before = quote! { let current = request.#param.map_or(#first, #current); };
        (set, before)
    };
    let mut first = quote! { request };
    let (advance, before, next, total, doc) = match style {
        PageStyle::PageNumber { param, counter, end, first: start, .. }
        | PageStyle::Offset { param, counter, end, first: start } => {
            let offset = matches!(style, PageStyle::Offset { .. });
            let param = op.param(*param);
            let (set, before) = numbered(param, *counter, *start);
            if !offset {
                // The first page is asked for by its number too (the one
                // decided from the parameter, unless set).
                let param = format_ident!("{}", param.rust_name);
                let start = literal(*counter, *start);
                first = quote! { { let first = request.#param.unwrap_or(#start); request.#param(first) } };
            }
            let step = if offset {
                quote! { items as i64 }
            } else {
                quote! { 1 }
            };
            let (more, total, ends) = match end {
                PageEnd::NextPresent(path) => (present(path), None, format!("`{}` is null", path.wire)),
                PageEnd::HasMore(path) => (flag(path), None, format!("`{}` is false", path.wire)),
                PageEnd::Total(path) => (
                    quote! { items > 0 },
                    Some(count(path)),
                    format!("`{}` items have come, or a page is empty", path.wire),
                ),
                PageEnd::EmptyPage => (quote! { items > 0 }, None, "a page is empty".to_string()),
            };
            let next_page = next_number(step);
            let wire = &param.wire_name;
            let doc = if offset {
                format!("Pages are asked for by the `{wire}` offset (the items skipped), from the one set here (or {start}), until {ends}.")
            } else {
                format!("Pages are asked for by the `{wire}` page number, from the one set here (or {start}), until {ends}.")
            };
            (set, before, quote! { if #more { #next_page } else { None } }, total, doc)
        }
        PageStyle::Cursor { param, from } => {
            let param = op.param(*param);
            let wire = &param.wire_name;
            let param = format_ident!("{}", param.rust_name);
            let set = quote! { request.#param(next.cursor(#operation)?) };
            let (next, doc) = match from {
                CursorFrom::Field(path) => {
                    let value = text(path);
                    (
                        quote! { #value.filter(|cursor| !cursor.is_empty()).map(|cursor| #root::runtime::Next::Cursor(cursor.to_string())) },
                        format!("Pages are asked for by the `{wire}` cursor, each from the last page's `{}`, until it is empty.", path.wire),
                    )
                }
                CursorFrom::LastItemId { id, has_more } => {
                    let more = flag(has_more);
                    let id = format_ident!("{}", id);
                    (
                        quote! {
                            if #more { #items_ref.last().map(|item| #root::runtime::Next::Cursor(item.#id.clone())) } else { None }
                        },
                        format!("Pages are asked for by the `{wire}` cursor, each from the last item's `id`, while `{}` is true.", has_more.wire),
                    )
                }
            };
            (set, TokenStream::new(), next, None, doc)
        }
        PageStyle::NextLink(from) => {
            let set = quote! {
                {
                    let mut request = request;
                    request.options.set_next_url(next.url(#operation)?);
                    request
                }
            };
            let (next, doc) = match from {
                LinkFrom::Field(path) => {
                    let value = text(path);
                    (
                        quote! { #root::runtime::url_next(&response, #value) },
                        format!("Each next page is the URL in the last page's `{}`, followed on the client's origin only, until there is none.", path.wire),
                    )
                }
                LinkFrom::LinkHeader => (
                    quote! { #root::runtime::link_next(&response) },
                    "Each next page is the `rel=\"next\"` URL of the last page's `Link` header, followed on the client's origin only, until there is none.".to_string(),
                ),
            };
            (set, TokenStream::new(), next, None, doc)
        }
    };
    let (total_let, total) = match total {
        Some(total) => (quote! { let total = #total; }, quote! { .with_total(total) }),
        None => (TokenStream::new(), TokenStream::new()),
    };
    // Numbered from a `minimum` that may be one below the server's first
    // page: a second page that repeats the first is skipped.
    let ambiguous = matches!(style, PageStyle::PageNumber { start: PageStart::MinimumZero, .. })
        .then(|| quote! { .with_ambiguous_start() });
    let pages_doc = format!(" {doc} The stream stops with an error if the server repeats a page, a cursor or a link.");
    let items_doc = format!(" Every item on every page, as a stream (see [`{request}::pages`]).");
    quote! {
        impl #request {
            #[doc = " Every page of the list, as a stream of whole responses (for totals"]
            #[doc = " and headers), fetched one at a time as it is polled."]
            #[doc = #pages_doc]
            pub fn pages(self) -> #root::Pages<#root::ApiResponse<#success_ty>, #error> {
                #root::runtime::Pages::new(#operation, move |next| {
                    let request = self.clone();
                    Box::pin(async move {
                        let request = match next {
                            None => #first,
                            Some(next) => #advance,
                        };
                        #before
                        let response = request.send().await?;
                        let body = response.body();
                        let items = #items_ref.len();
                        let next = #next;
                        #total_let
                        Ok(#root::runtime::Fetched::of(response, items, next) #total)
                    })
                })
                #ambiguous
            }

            #[doc = #items_doc]
            pub fn items(self) -> #root::Items<#item, #error> {
                #root::runtime::Items::new(self.pages(), #take)
            }
        }
    }
}

/// `body.a.b`, the field a path reaches.
fn access(path: &FieldPath) -> TokenStream {
    let fields = path.fields.iter().map(|f| format_ident!("{}", f));
    quote! { body #(.#fields)* }
}

/// Whether the field holds a value.
fn present(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Nullable => quote! { #value.as_option().is_some() },
        Wrapper::Option | Wrapper::Plain => quote! { #value.is_some() },
    }
}

/// A boolean field, false when absent.
fn flag(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Plain => value,
        Wrapper::Option => quote! { #value.unwrap_or(false) },
        Wrapper::Nullable => quote! { #value.as_option().copied().unwrap_or(false) },
    }
}

/// An integer field, as an `Option` of it.
fn count(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Plain => quote! { Some(#value) },
        Wrapper::Option => value,
        Wrapper::Nullable => quote! { #value.as_option().copied() },
    }
}

/// A string field, as `Option<&str>`.
fn text(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Plain => quote! { Some(#value.as_str()) },
        Wrapper::Option => quote! { #value.as_deref() },
        Wrapper::Nullable => quote! { #value.as_option().map(String::as_str) },
    }
}

/// `events()` and `events_with()`: the call sent asking for its streamed
/// media type, read item by item (`open_events` sends it, and again on
/// reconnecting).
fn events_fns(
    api: &Api,
    op: &Operation,
    error: &proc_macro2::Ident,
    idempotent: bool,
    events: &EventStream,
) -> TokenStream {
    let root = root(api);
    let item = rust_type(api, &events.item, TypePath::Module);
    let decode = match events.item {
        TypeRef::String => quote! { #root::runtime::text_event },
        _ => quote! { #root::runtime::json_event::<#item> },
    };
    let framing = format_ident!("{}", events.framing.variant());
    let media_type = &events.media_type;
    let arms = response_arms(api, op, true);
    let what = match events.framing {
        Framing::ServerSent => "its server-sent events",
        Framing::Lines => "its JSON lines",
    };
    let doc = format!(" Sends the request asking for `{media_type}` and reads {what} as they arrive, each decoded");
    let output = quote! { Result<#root::Events<#item>, #root::Error<#error>> };
    quote! {
        #[doc = #doc]
        #[doc = " (with [`StreamOptions`](crate::StreamOptions)' defaults); an error status is decoded as with `send`."]
        pub async fn events(self) -> #output {
            self.events_with(#root::StreamOptions::default()).await
        }

        #[doc = " [`events`](Self::events) read with `options`: time and size limits, done markers, reconnecting."]
        pub async fn events_with(self, options: #root::StreamOptions) -> #output {
            let again = self.clone();
            let reopen: #root::runtime::Reopen = Box::new(move |last_id| {
                let request = again.clone();
                Box::pin(async move {
                    request.open_events(last_id).await.map(#root::ApiResponse::into_body).map_err(|err| err.to_string())
                })
            });
            let body = self.open_events(None).await?.into_body();
            Ok(#root::runtime::Events::new(
                body,
                #root::runtime::Framing::#framing,
                options,
                #decode,
                Some(reopen),
                #idempotent,
            ))
        }

        async fn open_events(mut self, last_event_id: Option<String>) -> #root::ApiResult<#root::ByteStream, #error> {
            self.options.add_header("accept".to_string(), #media_type.to_string());
            if let Some(id) = last_event_id {
                self.options.add_header("last-event-id".to_string(), id);
            }
            let raw = self.into_call().send_streaming().await?;
            #arms
        }
    }
}

/// `match raw.status()` with one `status => outcome` arm per documented
/// response; each decodes and wraps the body in one runtime call. With
/// `stream`, successes are streamed instead of decoded. With no status to
/// tell apart (nothing documented, or `default` alone) the outcome itself.
fn response_arms(api: &Api, op: &Operation, stream: bool) -> TokenStream {
    let root = root(api);
    let error = format_ident!("{}", op.names.error);
    let outcome = |r: &Response, success: bool| {
        let variant = format_ident!("{}", r.variant);
        let decode = match r.body {
            ResponseBody::Empty => quote! { empty },
            ResponseBody::Json(_) => quote! { json },
            ResponseBody::Text => quote! { text },
            ResponseBody::Bytes => quote! { bytes },
        };
        match (success, &op.success, &r.body) {
            (true, _, _) if stream => quote! { raw.stream() },
            (true, Success::Envelope(envelope), _) => open_envelope(api, envelope),
            (true, Success::Plain(_), _) => quote! { raw.ok(#root::runtime::#decode) },
            (true, Success::ByStatus(name), body) => {
                let success_enum = format_ident!("{}", name);
                match body {
                    ResponseBody::Empty => {
                        quote! { raw.success(#root::runtime::empty, |()| #success_enum::#variant) }
                    }
                    _ => quote! { raw.success(#root::runtime::#decode, #success_enum::#variant) },
                }
            }
            (false, _, ResponseBody::Empty) => quote! { raw.failure(#root::runtime::empty, |()| #error::#variant) },
            (false, _, _) => quote! { raw.failure(#root::runtime::#decode, #error::#variant) },
        }
    };
    let mut arms = Vec::new();
    for r in &op.responses {
        if op.default_success && r.status == Status::Default {
            // `default` alone: a 2XX is the call's result.
            let success = outcome(r, true);
            arms.push(quote! { 200..=299 => #success, });
        }
        let outcome = outcome(r, r.status.is_success());
        if r.status == Status::Default && arms.is_empty() && op.responses.len() == 1 {
            return outcome;
        }
        let pattern = status_pattern(r.status, &op.responses);
        if pattern.is_empty() {
            // A range whose every code is documented on its own.
            continue;
        }
        arms.push(quote! { #pattern => #outcome, });
    }
    if !op.responses.iter().any(|r| r.status == Status::Default) {
        if arms.is_empty() {
            return quote! { raw.unexpected() };
        }
        arms.push(quote! { _ => raw.unexpected(), });
    }
    quote! {
        match raw.status() {
            #(#arms)*
        }
    }
}

/// `raw.ok_with_message(...)`: decodes the body and splits it into the
/// result and the server's message.
fn open_envelope(api: &Api, envelope: &Envelope) -> TokenStream {
    let root = root(api);
    let Envelope { body, opened } = envelope;
    let (result, message) = match opened {
        Opened::Data { field, ty: _, message } => {
            let data = format_ident!("{}", field);
            let message = message.as_ref().map_or(quote! { None }, |m| take_message(m, false));
            (quote! { body.#data }, message)
        }
        Opened::MessageOnly(message) => (quote! { () }, take_message(message, false)),
        Opened::Whole(message) => (quote! { body }, take_message(message, true)),
    };
    let body_ty = rust_type(api, body, TypePath::Module);
    let open = match opened {
        // The message is cloned before the body moves into the result.
        Opened::Whole(_) => quote! { { let message = #message; (#result, message) } },
        Opened::Data { .. } | Opened::MessageOnly(_) => quote! { (#result, #message) },
    };
    quote! { raw.ok_with_message(#root::runtime::json, |body: #body_ty| #open) }
}

fn take_message(field: &MessageField, clone: bool) -> TokenStream {
    let name = format_ident!("{}", field.rust_name);
    let value = if clone {
        quote! { body.#name.clone() }
    } else {
        quote! { body.#name }
    };
    if field.optional {
        value
    } else {
        quote! { Some(#value) }
    }
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
    // A newer spec may document more errors: callers keep a catch-all arm.
    status_enum(api, &op.names.error, &doc, &errors, true)
}

fn success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let Success::ByStatus(name) = &op.success else { return None };
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.status.is_success()).collect();
    let doc = format!(" The successful responses of [`Client::{}`], which differ by status.", op.rust_name);
    Some(status_enum(api, name, &doc, &successes, false))
}

/// An enum with a variant per response status, holding its decoded body.
fn status_enum(api: &Api, name: &str, doc: &str, responses: &[&Response], non_exhaustive: bool) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants = responses.iter().map(|r| {
        let docs = response_doc(r);
        let variant = format_ident!("{}", r.variant);
        match &r.body {
            ResponseBody::Empty => quote! { #docs #variant, },
            body => {
                let ty = response_type(api, body);
                quote! { #docs #variant(#ty), }
            }
        }
    });
    let non_exhaustive = non_exhaustive.then(|| quote! { #[non_exhaustive] });
    // Variants hold the documented bodies as they are.
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #non_exhaustive
        #[allow(clippy::large_enum_variant)]
        pub enum #ident {
            #(#variants)*
        }
    }
}
