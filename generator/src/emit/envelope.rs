//! How an operation's success body reaches the caller: as decoded, or
//! opened so that the server's `message` sits beside the result.
//!
//! Many APIs (Statsig's among them) answer `{"message": "...", "data": ...}`.
//! Callers want the `data`; the `message` stays reachable through
//! `ApiResponse::message`. Only a plain string `message` property counts,
//! and only when every success status has the same body.

use super::{rust_type, TypePath};
use crate::ir::{Api, Field, Operation, Presence, ResponseBody, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The shape of an operation's (single) success body.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Envelope<'a> {
    /// `{message?, data}`: the caller gets `data`.
    Data { body: &'a TypeRef, data: &'a Field, message: Option<&'a Field> },
    /// `{message}` alone: the caller gets `()`.
    MessageOnly { body: &'a TypeRef, message: &'a Field },
    /// A body with a `message` and other fields: kept whole.
    Whole { body: &'a TypeRef, message: &'a Field },
}

/// The envelope of `op`'s success body, if it has one.
pub(crate) fn envelope<'a>(api: &'a Api, op: &'a Operation) -> Option<Envelope<'a>> {
    let mut successes = op.responses.iter().filter(|r| r.status.is_success());
    let first = successes.next()?;
    if successes.any(|r| r.body != first.body) {
        return None;
    }
    let ResponseBody::Json(body @ TypeRef::Named(id)) = &first.body else { return None };
    let TypeKind::Struct(s) = &api.ty(*id).kind else { return None };
    if s.additional.is_some() {
        return None;
    }
    let message = s.fields.iter().find(|f| f.wire_name == "message" && is_plain_string(f));
    let data = s.fields.iter().find(|f| f.wire_name == "data" && f.presence == Presence::Required && !f.boxed);
    let others = s.fields.iter().filter(|f| Some(*f) != message && Some(*f) != data).count();
    match (data, message, others) {
        (Some(data), message, 0) => Some(Envelope::Data { body, data, message }),
        (None, Some(message), 0) => Some(Envelope::MessageOnly { body, message }),
        (_, Some(message), _) => Some(Envelope::Whole { body, message }),
        _ => None,
    }
}

fn is_plain_string(f: &Field) -> bool {
    f.ty == TypeRef::String && f.presence != Presence::OptionalNullable && !f.skip_serializing
}

impl Envelope<'_> {
    /// The type the caller receives.
    pub(crate) fn output(&self, api: &Api) -> TokenStream {
        match self {
            Envelope::Data { data, .. } => rust_type(api, &data.ty, TypePath::Module),
            Envelope::MessageOnly { .. } => quote! { () },
            Envelope::Whole { body, .. } => rust_type(api, body, TypePath::Module),
        }
    }

    /// `raw.ok_with_message(...)`: decodes the body and splits it.
    pub(crate) fn decode(&self, api: &Api) -> TokenStream {
        let (body, result, message) = match self {
            Envelope::Data { body, data, message } => {
                let data = format_ident!("{}", data.rust_name);
                let message = message.map_or(quote! { None }, |m| take_message(m, false));
                (body, quote! { body.#data }, message)
            }
            Envelope::MessageOnly { body, message } => (body, quote! { () }, take_message(message, false)),
            Envelope::Whole { body, message } => (body, quote! { body }, take_message(message, true)),
        };
        let body_ty = rust_type(api, body, TypePath::Module);
        let open = match self {
            // The message is cloned before the body moves into the result.
            Envelope::Whole { .. } => quote! { { let message = #message; (#result, message) } },
            _ => quote! { (#result, #message) },
        };
        quote! { raw.ok_with_message(crate::runtime::json, |body: #body_ty| #open) }
    }
}

fn take_message(field: &Field, clone: bool) -> TokenStream {
    let name = format_ident!("{}", field.rust_name);
    let value = if clone {
        quote! { body.#name.clone() }
    } else {
        quote! { body.#name }
    };
    match field.presence {
        Presence::Required => quote! { Some(#value) },
        _ => value,
    }
}
