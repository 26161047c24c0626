//! What a successful call returns, and what the request accepts.
//!
//! Many APIs (Statsig's among them) answer `{"message": "...", "data": ...}`.
//! Callers want the `data`; the `message` stays reachable through
//! `ApiResponse::message`. Only a plain string `message` property counts,
//! and only when every success status has the same body; `x-envelope:
//! false` keeps the body whole.

use crate::ir::{
    Api, Envelope, Field, MessageField, Opened, Operation, ResponseBody, SkipSerializing, Success, TypeKind, TypeRef,
    Wrapper,
};

/// The success shape of an operation; `by_status` is the name of the enum
/// used when the success bodies differ.
pub(super) fn success(api: &Api, op: &Operation, by_status: &str) -> Success {
    let mut successes = op.success_responses();
    let Some(first) = successes.next() else { return Success::Plain(ResponseBody::Empty) };
    if successes.any(|r| r.body != first.body) {
        return Success::ByStatus(by_status.to_string());
    }
    let opened = if op.envelope_hint == Some(false) { None } else { envelope(api, &first.body) };
    match opened {
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

/// The media types the responses document, each once, in status order
/// (a request that lists them gets a body it can read, and a validating
/// server no 406); `*/*` when none documents a body.
pub(super) fn accept(op: &Operation) -> String {
    let mut types: Vec<&str> = Vec::new();
    for media_type in op.responses.iter().flat_map(|r| &r.media_types) {
        if !types.iter().any(|t| t.eq_ignore_ascii_case(media_type)) {
            types.push(media_type);
        }
    }
    if types.is_empty() {
        "*/*".to_string()
    } else {
        types.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::Success;

    fn success_of(root_extension: &str, op_extension: &str) -> Success {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{root_extension}paths:\n  /a:\n    get:\n      operationId: getA\n{op_extension}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [data]\n                properties:\n                  message: {{type: string}}\n                  data: {{type: integer}}\n"
        );
        let api = crate::lower_document(&text, "envelope.yaml").unwrap_or_else(|d| panic!("{d}"));
        api.operations[0].success.clone()
    }

    #[test]
    fn x_envelope_false_keeps_the_body_whole() {
        assert!(matches!(success_of("", ""), Success::Envelope(_)));
        assert!(matches!(success_of("", "      x-envelope: false\n"), Success::Plain(_)));
        assert!(matches!(success_of("x-envelope: false\n", ""), Success::Plain(_)));
        // The operation's word beats the root's.
        assert!(matches!(success_of("x-envelope: false\n", "      x-envelope: true\n"), Success::Envelope(_)));
        // A value that is not a boolean costs the operation, with a warning.
        let (api, warnings) = crate::analyze(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-envelope: maybe\npaths:\n  /a:\n    get:\n      responses:\n        '204': {description: ok}\n",
            "envelope.yaml",
            false,
        )
        .unwrap_or_else(|d| panic!("{d}"));
        assert!(api.operations.is_empty());
        assert!(warnings.to_string().contains("#/x-envelope: `x-envelope` must be `true` or `false`"), "{warnings}");
    }
}
