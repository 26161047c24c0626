//! The decide phase: everything about what the crate will contain that the
//! document does not say outright, computed once and stored in the IR
//! (see the *Decided* fields of [`crate::ir`]), so the emitters only print
//! and the IR snapshot shows each choice.
//!
//! Passes run in order, each reading what the earlier ones decided:
//! boxing, which types requests carry, field and parameter
//! representations, validation, then per operation its names, success
//! shape, `Accept` header, pagination and idempotency, then the cargo
//! features, and last the crate-wide shape.

mod features;
mod fields;
mod pagination;
mod recursion;
mod requests;
mod runtime_parts;
mod success;
mod validation;

use crate::diagnostics::Diagnostics;
use crate::ir::{
    Api, ClientNew, Constructor, CrateShape, Decided, FormatTypes, MediaKind, Method, OperationNames, ResponseBody,
    SecurityKind, Success, Target, TypeRef,
};
use crate::{naming, scopes};

/// Completes a lowered and checked [`Api`] for `target`, once: nothing
/// after it changes what it decided. Problems found here (an
/// `x-pagination` that does not fit its operation) are reported to `diags`.
pub fn decide(mut api: Api, target: &Target, formats: FormatTypes, diags: &mut Diagnostics) -> Decided {
    if formats == FormatTypes::Text {
        // Before anything is decided of the types they hold.
        api.for_each_type_ref_mut(TypeRef::formats_as_text);
    }
    decide_in_place(&mut api, target, diags);
    Decided::seal(api)
}

fn decide_in_place(api: &mut Api, target: &Target, diags: &mut Diagnostics) {
    for scheme in &mut api.security_schemes {
        scheme.env_var = naming::env_var(&scheme.wire_name);
    }
    recursion::box_recursive_fields(api);
    union_conversions(api);
    tags_held_by_variants(api);
    requests::mark_directions(api);
    mark_multipart_bodies(api);
    // The operations' own types live in `client.rs` beside `Client`; the
    // body choice is named first, since how a body is given depends on it.
    // No public name is in both `client::` and `types::`: the schemas'
    // names are taken here too (OpenAI's `types::CreateChatCompletionRequest`
    // is a body; its builder is `client::CreateChatCompletionBuilder`).
    let type_names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    let reserved = scopes::CLIENT_MODULE.iter().chain(scopes::TYPES_MODULE).copied().chain(type_names);
    let mut client_types = naming::Scope::with_reserved(reserved);
    let mut success_enums = Vec::with_capacity(api.operations.len());
    for op in &mut api.operations {
        let (names, success_enum, body_choice) = operation_names(&op.type_prefix, &mut client_types);
        op.names = names;
        success_enums.push(success_enum);
        if let Some(body) = op.body.as_mut().filter(|b| b.contents.len() > 1) {
            body.choice = Some(body_choice);
        }
    }
    fields::represent(api);
    validation::mark_validating(api);
    for op in &mut api.operations {
        // OpenAPI's `default` covers every status the operation does not
        // list, successes included.
        op.default_success = !op.responses.iter().any(|r| r.status.is_success())
            && op.responses.iter().any(|r| r.status == crate::ir::Status::Default);
    }
    let mut unpaged_lists = Vec::new();
    for (i, success_enum) in success_enums.iter().enumerate() {
        let op = &api.operations[i];
        let success = success::success(api, op, success_enum);
        let accept = success::accept(op);
        let pagination::Decision { pagination, missed } = pagination::pagination(api, op, &success, diags);
        if missed {
            unpaged_lists.push(op.origin.clone());
        }
        let idempotency_key = idempotency_key(op);
        // A call that carries a key is applied once, however often it is sent.
        let idempotent =
            op.idempotent_hint.unwrap_or_else(|| idempotency_key.is_some() || idempotent_method(op.method));
        let op = &mut api.operations[i];
        op.idempotent = idempotent;
        op.idempotency_key = idempotency_key;
        // A binary success can also be streamed as it arrives.
        op.streams = matches!(success, Success::Plain(ResponseBody::Bytes));
        // A success offered as events is also read event by event.
        let events = op.success_responses().find_map(|r| r.stream.clone());
        op.events = events;
        op.success = success;
        op.accept = accept;
        op.pagination = pagination;
    }
    api.crate_shape = match target {
        Target::Crate => {
            let (features, unreferenced_schemas) = features::assign(api);
            CrateShape { features, unreferenced_schemas, full_serde: true, ..crate_shape(api, target) }
        }
        // A module that another crate includes has no cargo features of its
        // own: every operation and type is compiled, each type with only
        // the serde direction it needs.
        Target::Module { .. } => crate_shape(api, target),
    };
    api.crate_shape.unpaged_lists = unpaged_lists;
    api.crate_shape.runtime_parts = runtime_parts::used(api);
}

/// The request builder, error enum, success enum and body choice of an
/// operation: one prefix for all, each with its usual suffix or, when a
/// schema has that name, another; the prefix numbered when another
/// operation has it.
fn operation_names(prefix: &str, scope: &mut naming::Scope) -> (OperationNames, String, String) {
    let name = |p: &str, (usual, other): (&str, &str), scope: &naming::Scope| {
        [usual, other].map(|s| format!("{p}{s}")).into_iter().find(|n| !scope.is_taken(n))
    };
    let prefix = std::iter::once(prefix.to_string())
        .chain((2..).map(|n| format!("{prefix}{n}")))
        .find(|p| scopes::OPERATION_SUFFIXES.iter().all(|&suffixes| name(p, suffixes, scope).is_some()))
        .expect("an unbounded range always yields a free prefix");
    let [request, error, success, body] = scopes::OPERATION_SUFFIXES.map(|suffixes| {
        let chosen = name(&prefix, suffixes, scope).expect("the prefix was chosen for being free");
        scope.claim(&chosen, "")
    });
    (OperationNames { request, error }, success, body)
}

/// The structs that are a multipart body write their properties as parts.
fn mark_multipart_bodies(api: &mut Api) {
    let bodies: Vec<usize> = api
        .operations
        .iter()
        .flat_map(|op| op.body.iter().flat_map(|b| &b.contents))
        .filter(|c| c.kind == MediaKind::Multipart)
        .filter_map(|c| match c.ty {
            TypeRef::Named(id) => Some(id.0),
            _ => None,
        })
        .collect();
    for id in bodies {
        if matches!(api.types[id].kind, crate::ir::TypeKind::Struct(_)) {
            api.types[id].multipart = true;
        }
    }
}

/// The header parameter that carries the operation's idempotency key: the
/// one `x-idempotency-key` names (lowering gave it a parameter), else one
/// named `Idempotency-Key`, the IETF draft's name that payment APIs use.
fn idempotency_key(op: &crate::ir::Operation) -> Option<String> {
    let wanted = op.idempotency_key_hint.as_deref().unwrap_or("Idempotency-Key");
    op.params
        .iter()
        .find(|p| p.location == crate::ir::ParamLocation::Header && p.wire_name.eq_ignore_ascii_case(wanted))
        .map(|p| p.wire_name.clone())
}

/// RFC 9110 §9.2.2: the methods whose repetition has the effect of one.
fn idempotent_method(method: Method) -> bool {
    match method {
        Method::Get | Method::Head | Method::Options | Method::Put | Method::Delete | Method::Trace | Method::Query => {
            true
        }
        Method::Post | Method::Patch => false,
    }
}

/// Documented response headers that name a request id (`X-Request-Id`,
/// `x-amzn-RequestId`, `X-GitHub-Request-Id`, `Correlation-Id`…).
fn request_id_headers(api: &Api) -> Vec<String> {
    let mut names: Vec<String> = api
        .operations
        .iter()
        .flat_map(|op| &op.responses)
        .flat_map(|r| &r.headers)
        .filter(|name| {
            let compact: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            compact.ends_with("requestid") || compact.ends_with("correlationid") || compact.ends_with("traceid")
        })
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// What the whole crate needs, from what is left of the operations.
fn crate_shape(api: &Api, target: &Target) -> CrateShape {
    // The compiler walks nested types (drop check, auto traits) one level
    // of recursion per type; a long chain of distinct types that contain
    // each other (a ring of `owner` fields across a thousand schemas)
    // passes the default limit of 128. A chain is never longer than the
    // number of types.
    let recursion_limit = (api.types.len() > 48)
        .then(|| u32::try_from((2 * api.types.len() + 128).next_power_of_two()).unwrap_or(u32::MAX));
    let client_new = match api.security_schemes.as_slice() {
        [] => ClientNew::NoCredential,
        [scheme] if scheme.kind != SecurityKind::Basic && api.base_url.is_some() => {
            ClientNew::Credential(scheme.rust_name.clone())
        }
        _ => ClientNew::Absent,
    };
    let paginates = api.operations.iter().any(|op| op.pagination.is_some());
    // One constructor per way to authenticate; an operation of the same
    // name keeps it.
    let constructors = match api.base_url {
        Some(_) => api
            .security_schemes
            .iter()
            .enumerate()
            .map(|(scheme, s)| Constructor { function: format!("with_{}", s.rust_name), scheme })
            .filter(|c| !api.operations.iter().any(|op| op.rust_name == c.function))
            .collect(),
        None => Vec::new(),
    };
    // The front page's call: one whose arguments are all strings (an id in
    // the path, say) and that needs no body; a read (GET) first, one item
    // before a list.
    let front_page_call = api
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| !op.deprecated && op.body.as_ref().is_none_or(|b| !b.required))
        .filter(|(_, op)| op.params.iter().filter(|p| p.required).all(|p| p.ty == TypeRef::String))
        .min_by_key(|(_, op)| (op.method != Method::Get, op.pagination.is_some()))
        .map(|(index, _)| index);
    CrateShape {
        recursion_limit,
        client_new,
        constructors,
        front_page_call,
        paginates,
        request_id_headers: request_id_headers(api),
        features: Vec::new(),
        unreferenced_schemas: 0,
        full_serde: false,
        target: target.clone(),
        unpaged_lists: Vec::new(),
        runtime_parts: Default::default(),
    }
}

/// A union converts `From` each payload type only one of its variants has,
/// as Rust sees the types: an alias (`pub type Id = String`) is the type
/// it names.
fn union_conversions(api: &mut Api) {
    let mut decided = Vec::new();
    for (i, def) in api.types.iter().enumerate() {
        if let crate::ir::TypeKind::Union(u) = &def.kind {
            let types: Vec<TypeRef> = u.variants.iter().map(|v| rust_identity(api, &v.ty, 0)).collect();
            let me = rust_identity(api, &TypeRef::Named(crate::ir::TypeId(i)), 0);
            // A union that holds itself has `From<Self>` from core.
            let froms: Vec<bool> =
                types.iter().map(|t| *t != me && types.iter().filter(|u| *u == t).count() == 1).collect();
            decided.push((i, froms));
        }
    }
    for (i, froms) in decided {
        if let crate::ir::TypeKind::Union(u) = &mut api.types[i].kind {
            for (v, from) in u.variants.iter_mut().zip(froms) {
                v.from = from;
            }
        }
    }
}

/// A tagged union whose every variant is a struct declaring the tag
/// property reads ahead only to the tag's first occurrence.
fn tags_held_by_variants(api: &mut Api) {
    use crate::ir::TypeKind;
    let held: Vec<(usize, bool)> = api
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, def)| match &def.kind {
            TypeKind::Union(u) => {
                let property = u.discriminator.as_ref()?;
                let holds = |ty: &TypeRef| match ty {
                    TypeRef::Named(id) => match &api.ty(*id).kind {
                        TypeKind::Struct(s) => s.fields.iter().any(|f| &f.wire_name == property),
                        _ => false,
                    },
                    _ => false,
                };
                Some((i, u.variants.iter().all(|v| holds(&v.ty))))
            }
            _ => None,
        })
        .collect();
    for (i, holds) in held {
        if let TypeKind::Union(u) = &mut api.types[i].kind {
            u.variants_hold_tag = holds;
        }
    }
}

/// `ty` with every alias replaced by what it names (within lists, maps and
/// nullable items too): two refs are the same Rust type exactly when these
/// are equal.
fn rust_identity(api: &Api, ty: &TypeRef, depth: usize) -> TypeRef {
    if depth > 32 {
        return ty.clone();
    }
    match ty {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            crate::ir::TypeKind::Alias(inner) => rust_identity(api, inner, depth + 1),
            _ => ty.clone(),
        },
        TypeRef::List(inner) => TypeRef::List(Box::new(rust_identity(api, inner, depth + 1))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(rust_identity(api, inner, depth + 1))),
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(rust_identity(api, inner, depth + 1))),
        other => other.clone(),
    }
}
