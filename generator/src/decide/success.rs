//! What a successful call returns, and what the request accepts.
//!
//! Many APIs (Statsig's among them) answer `{"message": "...", "data": ...}`.
//! Callers want the `data`; the `message` stays reachable through
//! `ApiResponse::message`. Only a plain string `message` property counts,
//! and only when every success status has the same body.

use crate::ir::{
    Accept, Api, Envelope, Field, MessageField, Opened, Operation, ResponseBody, SkipSerializing, Success, TypeKind,
    TypeRef, Wrapper,
};

/// The success shape of an operation; `by_status` is the name of the enum
/// used when the success bodies differ.
pub(super) fn success(api: &Api, op: &Operation, by_status: &str) -> Success {
    let mut successes = op.responses.iter().filter(|r| r.status.is_success());
    let Some(first) = successes.next() else { return Success::Plain(ResponseBody::Empty) };
    if successes.any(|r| r.body != first.body) {
        return Success::ByStatus(by_status.to_string());
    }
    match envelope(api, &first.body) {
        Some(envelope) => Success::Envelope(envelope),
        None => Success::Plain(first.body.clone()),
    }
}

/// The envelope a success body is, if it is one: a struct without extra
/// properties that has a string `message`, a required `data`, or both.
fn envelope(api: &Api, body: &ResponseBody) -> Option<Envelope> {
    let ResponseBody::Json(body @ TypeRef::Named(id)) = body else { return None };
    let TypeKind::Struct(s) = &api.ty(*id).kind else { return None };
    if s.additional.is_some() {
        return None;
    }
    let message = s.fields.iter().find(|f| f.wire_name == "message" && is_plain_string(f));
    let data = s.fields.iter().find(|f| f.wire_name == "data" && f.repr.wrapper == Wrapper::Plain && !f.repr.boxed);
    let others = s.fields.iter().filter(|f| Some(*f) != message && Some(*f) != data).count();
    let message_field =
        |f: &Field| MessageField { rust_name: f.rust_name.clone(), optional: f.repr.wrapper != Wrapper::Plain };
    let opened = match (data, message, others) {
        (Some(data), message, 0) => {
            Opened::Data { field: data.rust_name.clone(), ty: data.ty.clone(), message: message.map(message_field) }
        }
        (None, Some(message), 0) => Opened::MessageOnly(message_field(message)),
        (_, Some(message), _) => Opened::Whole(message_field(message)),
        _ => return None,
    };
    Some(Envelope { body: body.clone(), opened })
}

/// A `String` or `Option<String>` that decoding fills.
fn is_plain_string(f: &Field) -> bool {
    f.ty == TypeRef::String && f.repr.wrapper != Wrapper::Nullable && f.repr.serde.skip != SkipSerializing::Always
}

/// `application/json` when every documented body is JSON, else anything.
pub(super) fn accept(op: &Operation) -> Accept {
    let any_json = op.responses.iter().any(|r| matches!(r.body, ResponseBody::Json(_)));
    let any_other = op.responses.iter().any(|r| matches!(r.body, ResponseBody::Text | ResponseBody::Bytes));
    if any_json && !any_other {
        Accept::Json
    } else {
        Accept::Any
    }
}
