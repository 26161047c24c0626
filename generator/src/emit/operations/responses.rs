//! How a response becomes the call's result: the `match` on its status,
//! envelopes opened, and the error and success enums.

use super::*;

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

/// `match raw.status()` with one `status => outcome` arm per documented
/// response; each decodes and wraps the body in one runtime call. With
/// `stream`, successes are streamed instead of decoded. With no status to
/// tell apart (nothing documented, or `default` alone) the outcome itself.
pub(super) fn response_arms(api: &Api, op: &Operation, stream: bool) -> TokenStream {
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
        if !op.matches_status() {
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

pub(super) fn error_enum(api: &Api, op: &Operation) -> TokenStream {
    let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
    let doc = format!(" The error responses documented for [`Client::{}`].", op.rust_name);
    // A newer spec may document more errors: callers keep a catch-all arm.
    status_enum(api, &op.names.error, &doc, &errors, true)
}

pub(super) fn success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
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
