//! Each operation's items in `client.rs`: its request builder (with
//! `items()` for a paginated list), its error enum and, when the success
//! bodies differ by status, its success enum.

mod events;
mod pages;
mod responses;

use super::shared::checks::constraint_checks;
use super::shared::docs::{doc_attrs, doc_paragraphs};
use super::shared::{body_type, gated, root, rust_type, TypePath};
use crate::ir::{
    Api, ArgKind, BodyContent, Counter, CursorFrom, Envelope, EventStream, FieldPath, FloatWidth, Framing, IntWidth,
    ItemsAt, LinkFrom, MediaKind, MessageField, Opened, Operation, OperationNames, PageEnd, PageStart, PageStyle,
    Pagination, Param, ParamLocation, ParamRepr, Passing, PathSegment, Response, ResponseBody, Status, Style, Success,
    TypeRef, Wrapper,
};
use events::events_fns;
use pages::pages_fns;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use responses::{error_enum, response_arms, success_enum};

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

/// How a parameter is added to the call: the method for its location, and
/// the style argument when it is not the location's default (`form`,
/// exploded, for queries; `simple` for paths and headers; cookies are
/// comma-joined unless JSON).
fn param_call(root: &TokenStream, location: ParamLocation, style: Style) -> (proc_macro2::Ident, Option<TokenStream>) {
    let default = crate::ir::default_style(location, style);
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
    // A client without schemes has no credentials to choose from.
    let security = api.crate_shape.uses(crate::ir::RuntimePart::Credentials).then(|| {
        let alternatives = security.iter().map(|together| {
            let indexes = together.iter().map(|scheme| Literal::usize_unsuffixed(scheme.0));
            quote! { &[#(#indexes),*] }
        });
        quote! { security: &[#(#alternatives),*], }
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
                #[cfg(feature = "tracing")]
                path: #path,
                idempotent: #idempotent,
                accept: #accept,
                #security
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
