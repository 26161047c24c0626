//! How each field and parameter is represented in Rust. [`field_repr`] is
//! the one place where a property's [`Presence`] becomes a Rust type, serde
//! attributes, a constructor argument and a setter; everything downstream
//! reads the [`FieldRepr`] it makes.

use super::validation;
use crate::ir::{
    Api, ArgKind, Body, BodyRepr, Field, FieldInit, FieldRepr, FieldSerde, Param, ParamRepr, PartKind, Passing,
    Presence, Setter, SetterArg, SkipSerializing, Struct, StructRepr, TypeKind, TypeRef, Wrapper,
};
use crate::{naming, scopes};

/// Decides the representation of every struct field, parameter and
/// request body.
pub(super) fn represent(api: &mut Api) {
    for def in &mut api.types {
        let (in_requests, multipart) = (def.in_requests, def.multipart);
        if let TypeKind::Struct(s) = &mut def.kind {
            represent_struct(s, in_requests, multipart);
        }
    }
    for op in &mut api.operations {
        for param in &mut op.params {
            param.repr = param_repr(param);
        }
        if let Some(body) = &mut op.body {
            body.repr = body_repr(body);
        }
    }
}

fn represent_struct(s: &mut Struct, in_requests: bool, multipart: bool) {
    // `rename_all = "camelCase"` when it spares more per-field renames than
    // it costs (the usual JSON API), so most fields carry no rename at all.
    let plain_renames = s.fields.iter().filter(|f| f.rust_name != f.wire_name).count();
    let camel_renames = s.fields.iter().filter(|f| serde_camel_case(&f.rust_name) != f.wire_name).count();
    let camel = camel_renames < plain_renames;
    // Setters are methods beside `new`, `validate` and trait methods, and
    // beside each other.
    let mut setters = naming::Scope::with_reserved(scopes::struct_method_names());
    for field in &mut s.fields {
        let in_constructor = s.constructor.contains(&field.rust_name);
        let boxed = field.repr.boxed;
        field.repr = field_repr(field, in_requests, in_constructor, camel, &mut setters);
        field.repr.boxed = boxed;
        field.repr.part = multipart.then(|| part_kind(&field.ty));
    }
    // `Default` when `new` would take nothing: no field is required.
    let derives_default = s.fields.iter().all(|f| f.repr.init == FieldInit::Empty);
    s.repr = StructRepr { rename_all_camel_case: camel, derives_default };
}

/// The representation of one field of a struct.
///
/// | presence | Rust type | serde | `new` |
/// |---|---|---|---|
/// | required | `T` | always written | argument |
/// | optional | `Option<T>` | default, skipped when `None` | `None` |
/// | required, nullable | `Option<T>` | always written (`null`) | `Option<T>` argument |
/// | optional, nullable | `Nullable<T>` | default, skipped when absent | `Absent` |
///
/// A read-only field of a type that requests carry is never written and
/// has no setter: the server sets it. Optional fields of such types get a
/// setter.
fn field_repr(
    field: &Field,
    in_requests: bool,
    in_constructor: bool,
    camel: bool,
    setters: &mut naming::Scope,
) -> FieldRepr {
    let (wrapper, default, skip) = match field.presence {
        Presence::Required => (Wrapper::Plain, false, SkipSerializing::Never),
        Presence::Optional => (Wrapper::Option, true, SkipSerializing::IfNone),
        Presence::RequiredNullable => (Wrapper::Option, false, SkipSerializing::Never),
        Presence::OptionalNullable => (Wrapper::Nullable, true, SkipSerializing::IfAbsent),
    };
    let never_sent = field.read_only && in_requests;
    let skip = if never_sent { SkipSerializing::Always } else { skip };
    let serde_name = if camel { serde_camel_case(&field.rust_name) } else { field.rust_name.clone() };
    let rename = (serde_name != field.wire_name).then(|| field.wire_name.clone());
    let init = match field.presence {
        _ if !in_constructor => FieldInit::Empty,
        Presence::Required if converts(&field.ty) => FieldInit::Argument(ArgKind::Into),
        Presence::RequiredNullable => FieldInit::Argument(ArgKind::Optional),
        _ => FieldInit::Argument(ArgKind::Exact),
    };
    let optional = matches!(field.presence, Presence::Optional | Presence::OptionalNullable);
    let setter = (in_requests && optional && !never_sent).then(|| {
        let takes = if matches!(field.ty, TypeRef::List(_)) { SetterArg::Items } else { SetterArg::Into };
        Setter { name: setters.claim_method(&field.rust_name), takes }
    });
    // Only what requests carry is checked before sending.
    let checks = if in_requests { validation::plan(&field.ty, &field.constraints) } else { Vec::new() };
    FieldRepr { wrapper, boxed: false, serde: FieldSerde { rename, default, skip }, init, setter, checks, part: None }
}

/// How a multipart body writes a field of type `ty`.
fn part_kind(ty: &TypeRef) -> PartKind {
    match ty {
        TypeRef::Binary => PartKind::File,
        TypeRef::List(item) if **item == TypeRef::Binary => PartKind::Files,
        _ => PartKind::Value,
    }
}

/// Required parameters are arguments of the client method, the others
/// setters; strings are taken as `impl Into<String>`.
fn param_repr(param: &Param) -> ParamRepr {
    let passing = if param.required { Passing::Argument } else { Passing::Setter };
    let arg = if converts(&param.ty) { ArgKind::Into } else { ArgKind::Exact };
    ParamRepr { passing, arg, checks: validation::plan(&param.ty, &param.constraints) }
}

/// A required body is an argument of the client method, an optional one
/// the `body` setter's. Either takes `impl Into` where anything converts.
fn body_repr(body: &Body) -> BodyRepr {
    let passing = if body.required { Passing::Argument } else { Passing::Setter };
    let content_converts = converts(&body.default_content().ty);
    let arg = if body.choice.is_some() || content_converts { ArgKind::Into } else { ArgKind::Exact };
    // Through a choice, only the default content's exact type has a `From`.
    let content_arg = if body.choice.is_none() && content_converts { ArgKind::Into } else { ArgKind::Exact };
    BodyRepr { passing, arg, content_arg }
}

/// Strings and bytes are taken as `impl Into<…>`: `&str`, `Vec<u8>` and the
/// like convert.
fn converts(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Binary)
}

/// The wire name serde's `rename_all = "camelCase"` gives a field: serde's
/// own rule (PascalCase over `_`, then the first letter lowered).
fn serde_camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => pascal,
    }
}

#[cfg(test)]
mod tests {
    use super::serde_camel_case;

    #[test]
    fn camel_case_matches_serde() {
        let table = [
            ("attribution_window", "attributionWindow"),
            ("id", "id"),
            ("metric_source_id", "metricSourceId"),
            ("type_", "type"),
            ("field_1st", "field1st"),
            ("a", "a"),
        ];
        for (field, wire) in table {
            assert_eq!(serde_camel_case(field), wire, "{field}");
        }
    }

    /// A second opinion: serde's own `rename_all = "camelCase"` on fields
    /// named as the generator names them (keywords with a trailing `_`,
    /// digits after an underscore, runs of underscores, a leading one).
    #[test]
    fn camel_case_matches_serdes_derive() {
        #[derive(serde::Serialize, Default)]
        #[serde(rename_all = "camelCase")]
        #[allow(non_snake_case)]
        struct Names {
            attribution_window: u8,
            id: u8,
            metric_source_id: u8,
            type_: u8,
            field_1st: u8,
            a: u8,
            x_2y: u8,
            a__b: u8,
            _leading: u8,
            http_url_2_x: u8,
            already_camelCase: u8,
        }
        let value = serde_json::to_value(Names::default()).expect("serializes");
        let keys: Vec<&String> = value.as_object().expect("an object").keys().collect();
        let fields = [
            "attribution_window",
            "id",
            "metric_source_id",
            "type_",
            "field_1st",
            "a",
            "x_2y",
            "a__b",
            "_leading",
            "http_url_2_x",
            "already_camelCase",
        ];
        for field in fields {
            let ours = serde_camel_case(field);
            assert!(keys.contains(&&ours), "{field}: we say `{ours}`, serde says one of {keys:?}");
        }
    }

    #[test]
    fn a_wire_name_a_method_takes_is_named_by_one_rule_in_a_query_and_a_body() {
        // `from` is a trait method (`From::from`): the query parameter's
        // setter and the body field's are both `with_from`.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: send\n      parameters: [{name: from, in: query, schema: {type: integer}}]\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {from: {type: string}, add: {type: string}}}\n      responses: {'204': {description: ok}}\n";
        let api = crate::lower_document(text, "names.yaml").unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(api.operations[0].params[0].rust_name, "with_from");
        let crate::ir::TypeRef::Named(id) = &api.operations[0].body.as_ref().unwrap().default_content().ty else {
            panic!("a named body")
        };
        let crate::ir::TypeKind::Struct(body) = &api.ty(*id).kind else { panic!("a struct") };
        let setters: Vec<&str> =
            body.fields.iter().filter_map(|f| f.repr.setter.as_ref()).map(|s| s.name.as_str()).collect();
        assert_eq!(setters, ["with_add", "with_from"]);
    }
}
