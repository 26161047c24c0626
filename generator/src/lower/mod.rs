//! openapiv3 document → [`crate::ir::Api`]. Schemas are lowered in `schema`,
//! operations in `operation`; this module owns the shared state and the
//! final pass that names inline types, picks union variant names and boxes
//! recursive fields. Every map iterated here is ordered, and every list is
//! sorted at the end, so the IR never depends on hash or key order.

mod operation;
mod schema;
mod view;

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{Api, RateLimit, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Loaded;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// How an inline type may be named: `parent` + `leaf`, or just `leaf` when
/// the type is shared (deduplicated enums).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    full: String,
    leaf: String,
    origin: String,
    role: Role,
}

/// What an inline schema is for, when that helps to name a shared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Other,
    /// The body of a 2XX response.
    Success,
    /// The body of an error response.
    Error,
}

#[derive(Debug)]
enum Naming {
    Component(String),
    Inline(Vec<Candidate>),
}

/// Where an inline schema sits, for naming it: `parent` is the (candidate)
/// name of the enclosing type or operation, `leaf` the raw wire name.
#[derive(Debug, Clone)]
struct NameCtx {
    parent: String,
    leaf: String,
    role: Role,
}

impl NameCtx {
    fn new(parent: &str, leaf: &str) -> Self {
        Self { parent: parent.to_string(), leaf: leaf.to_string(), role: Role::Other }
    }

    fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    fn full(&self) -> String {
        format!("{}{}", self.parent, naming::type_name(&self.leaf))
    }

    fn candidate(&self, at: &Pointer) -> Candidate {
        Candidate { full: self.full(), leaf: naming::type_name(&self.leaf), origin: at.to_string(), role: self.role }
    }

    fn child(&self, leaf: &str) -> Self {
        Self::new(&self.full(), leaf)
    }

    fn items(&self) -> Self {
        Self::new(&self.parent, &naming::singular(&self.leaf))
    }
}

struct Lowerer<'a> {
    loaded: &'a Loaded,
    diags: &'a mut Diagnostics,
    types: Vec<TypeDef>,
    naming: Vec<Naming>,
    components: BTreeMap<String, TypeId>,
    /// Inline enums, structs and unions by their shape, so identical ones are shared.
    inline_shapes: BTreeMap<String, TypeId>,
    /// Component schemas being lowered, to refuse unrepresentable cycles.
    in_progress: BTreeSet<String>,
}

/// Lowers a loaded document. Returns `None` when any diagnostic was raised.
pub fn lower(loaded: &Loaded, diags: &mut Diagnostics) -> Option<Api> {
    let mut lowerer = Lowerer {
        loaded,
        diags,
        types: Vec::new(),
        naming: Vec::new(),
        components: BTreeMap::new(),
        inline_shapes: BTreeMap::new(),
        in_progress: BTreeSet::new(),
    };
    lowerer.declare_components();
    lowerer.lower_components();
    let security_schemes = lowerer.lower_security_schemes();
    let operations = lowerer.lower_operations(&security_schemes);
    let default_headers = lowerer.default_headers();
    let rate_limits = lowerer.rate_limits();
    if !lowerer.diags.is_empty() {
        return None;
    }
    let doc = &loaded.doc;
    let mut api = Api {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        base_url: doc.servers.first().and_then(server_url),
        types: lowerer.types,
        operations,
        security_schemes,
        default_headers,
        rate_limits,
    };
    name_inline_types(&mut api, &lowerer.naming);
    name_union_variants(&mut api);
    box_recursive_fields(&mut api);
    mark_request_types(&mut api);
    Some(api)
}

/// The server URL with its variables replaced by their defaults, when it is
/// absolute (a relative URL cannot be a default base URL).
fn server_url(server: &openapiv3::Server) -> Option<String> {
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    let url = url.trim_end_matches('/').to_string();
    (url.starts_with("http://") || url.starts_with("https://")).then_some(url)
}

impl Lowerer<'_> {
    /// Every component schema gets its id and name before anything is
    /// lowered, so forward and circular `$ref`s resolve.
    fn declare_components(&mut self) {
        let Some(components) = &self.loaded.doc.components else {
            return;
        };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        let mut scope = naming::Scope::new();
        for key in keys {
            let name = scope.claim(&naming::type_name(key), "");
            let id = self
                .alloc(Naming::Component(name.clone()), Pointer::root().join("components").join("schemas").join(key));
            self.types[id.0].name = name;
            self.components.insert(key.clone(), id);
        }
    }

    /// `x-client-default-headers: {Name: value}` at the root: headers the
    /// API wants on every request that are not parameters (Statsig's
    /// `STATSIG-API-VERSION`).
    fn default_headers(&mut self) -> Vec<(String, String)> {
        const KEY: &str = "x-client-default-headers";
        let Some(value) = self.loaded.doc.extensions.get(KEY) else { return Vec::new() };
        let at = Pointer::root().join(KEY);
        let Some(map) = value.as_object() else {
            self.diags.error(&at, "must map header names to string values");
            return Vec::new();
        };
        let mut headers = Vec::new();
        for (name, value) in map {
            let valid_name =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            match value.as_str() {
                Some(text) if valid_name && text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) => {
                    headers.push((name.clone(), text.to_string()));
                }
                _ => self
                    .diags
                    .error(&at.join(name), "a default header needs a valid header name and a printable string value"),
            }
        }
        headers.sort();
        headers
    }

    /// `x-client-rate-limits: [{requests: 100, seconds: 10}, …]` at the root:
    /// limits the server documents, offered as a ready-made client limiter.
    fn rate_limits(&mut self) -> Vec<RateLimit> {
        const KEY: &str = "x-client-rate-limits";
        let Some(value) = self.loaded.doc.extensions.get(KEY) else { return Vec::new() };
        let at = Pointer::root().join(KEY);
        let Some(list) = value.as_array() else {
            self.diags.error(&at, "must be a list of {requests, seconds} objects");
            return Vec::new();
        };
        let mut limits = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let number = |key: &str| entry.get(key).and_then(serde_json::Value::as_u64).filter(|&n| n > 0);
            let requests = number("requests").and_then(|n| u32::try_from(n).ok());
            match (requests, number("seconds"), entry.as_object().map(|o| o.len())) {
                (Some(requests), Some(seconds), Some(2)) => limits.push(RateLimit { requests, seconds }),
                _ => self
                    .diags
                    .error(&at.join(i), "a rate limit needs exactly `requests` and `seconds`, both positive integers"),
            }
        }
        limits
    }

    fn alloc(&mut self, naming: Naming, origin: Pointer) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            doc: None,
            origin: origin.to_string(),
            kind: TypeKind::Alias(TypeRef::Json),
            in_requests: false,
        });
        self.naming.push(naming);
        id
    }

    /// The component id a `$ref` names, or a diagnostic.
    fn resolve_schema_ref(&mut self, reference: &str, at: &Pointer) -> Option<(TypeId, String)> {
        match reference.strip_prefix("#/components/schemas/") {
            Some(key) if !key.contains('/') => match self.components.get(key) {
                Some(id) => Some((*id, key.to_string())),
                None => {
                    self.diags.error(at, format!("`$ref: {reference}` points to a schema that does not exist"));
                    None
                }
            },
            _ if !reference.starts_with('#') => {
                self.diags.error(
                    at,
                    format!("external `$ref: {reference}` is not supported; bundle the document into one file first"),
                );
                None
            }
            _ => {
                self.diags.error(at, format!("`$ref: {reference}` must point to `#/components/schemas/<name>`"));
                None
            }
        }
    }

    /// The value at `pointer` in the raw document (for `$ref` siblings).
    fn raw_at(&self, pointer: &Pointer) -> Option<&serde_json::Value> {
        let p = pointer.to_string();
        self.loaded.raw.pointer(p.trim_start_matches('#'))
    }
}

/// Leaves too vague to name a shared type on their own.
const VAGUE_LEAVES: &[&str] = &["Response", "Body", "Item", "Value", "Data", "Object"];

/// Names every inline type. A type used in one place takes its full
/// candidate (`AutotuneExperimentDtoVariant`). A shared one (identical
/// inline schemas collapse into one type) takes, in order: the leaf all its
/// places share (`ExplorationWindow`, `Settings`); for response bodies, a
/// name from their role (`Entity3DtoResponse`, `ErrorBody`, with the
/// operations' common prefix when they have one); else its first candidate.
/// Claims happen in a sorted order, so names never depend on traversal.
fn name_inline_types(api: &mut Api, namings: &[Naming]) {
    let mut scope = naming::Scope::new();
    for naming in namings {
        if let Naming::Component(name) = naming {
            scope.claim(name, "");
        }
    }
    let mut inline: Vec<(usize, Vec<Candidate>)> = namings
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n {
            Naming::Inline(c) => {
                let mut c = c.clone();
                c.sort();
                Some((i, c))
            }
            Naming::Component(_) => None,
        })
        .collect();
    // Types with a fixed name (single-use structs and unions) first, then
    // the ones that may take a shorter name (enums, shared types), most
    // shared first, each by their first candidate.
    let is_enum: Vec<bool> = api.types.iter().map(|t| matches!(t.kind, TypeKind::Enum(_))).collect();
    let flexible = |i: usize, c: &[Candidate]| c.len() > 1 || is_enum[i];
    inline.sort_by(|(ia, a), (ib, b)| {
        (flexible(*ia, a), std::cmp::Reverse(a.len()), &a[0]).cmp(&(
            flexible(*ib, b),
            std::cmp::Reverse(b.len()),
            &b[0],
        ))
    });
    for (i, candidates) in inline {
        let first = &candidates[0];
        let wanted = if !flexible(i, &candidates) {
            first.full.clone()
        } else {
            shared_name(api, i, &candidates, &scope).unwrap_or_else(|| first.full.clone())
        };
        api.types[i].name = scope.claim(&wanted, "");
        api.types[i].origin = first.origin.clone();
    }
}

fn shared_name(api: &Api, id: usize, candidates: &[Candidate], scope: &naming::Scope) -> Option<String> {
    let first = &candidates[0];
    let free = |name: &str| !name.is_empty() && !scope.is_taken(name);
    if candidates.iter().all(|c| c.leaf == first.leaf)
        && !VAGUE_LEAVES.contains(&first.leaf.as_str())
        && free(&first.leaf)
    {
        return Some(first.leaf.clone());
    }
    let role = first.role;
    if role == Role::Other || candidates.iter().any(|c| c.role != role) {
        return None;
    }
    if role == Role::Success {
        if let Some(name) = named_after_payload(api, id) {
            if free(&name) {
                return Some(name);
            }
        }
    }
    let suffix = if role == Role::Error { "ErrorBody" } else { "Response" };
    let prefix = common_word_prefix(candidates.iter().map(|c| c.full.as_str()));
    [format!("{prefix}{suffix}"), suffix.to_string()].into_iter().find(|n| free(n))
}

/// `<Component>Response` (or `<Component>ListResponse`) for a body whose
/// only field of a component type is that component (an envelope).
fn named_after_payload(api: &Api, id: usize) -> Option<String> {
    let TypeKind::Struct(s) = &api.types[id].kind else { return None };
    let mut payloads = s.fields.iter().filter_map(|f| match &f.ty {
        TypeRef::Named(t) => Some((t, "")),
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Named(t) => Some((t, "List")),
            _ => None,
        },
        _ => None,
    });
    let (target, list) = payloads.next()?;
    if payloads.next().is_some() {
        return None;
    }
    let name = &api.types[target.0].name;
    (!name.is_empty()).then(|| format!("{name}{list}Response"))
}

/// The longest run of whole `UpperCamelCase` words that starts every name.
fn common_word_prefix<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let split = |name: &'a str| -> Vec<&'a str> {
        let starts: Vec<usize> = name.char_indices().filter(|(_, c)| c.is_ascii_uppercase()).map(|(i, _)| i).collect();
        let mut words = Vec::new();
        for (k, start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(name.len());
            words.push(&name[*start..end]);
        }
        words
    };
    let mut names = names.map(split);
    let Some(mut prefix) = names.next() else { return String::new() };
    for words in names {
        let same = prefix.iter().zip(&words).take_while(|(a, b)| a == b).count();
        prefix.truncate(same);
    }
    prefix.concat()
}

/// Union variants are named after their types, once all type names are known.
fn name_union_variants(api: &mut Api) {
    let names: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
    for def in &mut api.types {
        let TypeKind::Union(union) = &mut def.kind else {
            continue;
        };
        let mut scope = naming::Scope::new();
        for variant in &mut union.variants {
            let wanted = match (&variant.ty, variant.tags.first()) {
                (_, Some(tag)) if union.discriminator.is_some() => naming::variant_name(tag),
                (ty, _) => type_label(ty, &names),
            };
            variant.rust_name = scope.claim(&wanted, "");
        }
    }
}

fn type_label(ty: &TypeRef, names: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => names[id.0].clone(),
        TypeRef::String => "String".into(),
        TypeRef::Integer(_) => "Integer".into(),
        TypeRef::Number(_) => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::JsonObject => "Object".into(),
        TypeRef::List(inner) => format!("{}List", type_label(inner, names)),
        TypeRef::Map(inner) => format!("{}Map", type_label(inner, names)),
    }
}

/// Marks the types a request body or parameter can carry (they get
/// `validate()`), and skips their `readOnly` properties when serializing:
/// those are set by the server and must not be sent. Response-only types
/// still serialize them, so a decoded response encodes back to what was
/// received.
fn mark_request_types(api: &mut Api) {
    let mut stack: Vec<TypeId> = Vec::new();
    let push_named = |ty: &TypeRef, stack: &mut Vec<TypeId>| {
        let mut ty = ty;
        while let TypeRef::List(inner) | TypeRef::Map(inner) = ty {
            ty = inner;
        }
        if let TypeRef::Named(id) = ty {
            stack.push(*id);
        }
    };
    for op in &api.operations {
        if let Some(body) = &op.body {
            push_named(&body.ty, &mut stack);
        }
        for param in &op.params {
            push_named(&param.ty, &mut stack);
        }
    }
    let mut sent = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !sent.insert(id) {
            continue;
        }
        match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    push_named(&field.ty, &mut stack);
                }
                if let Some((_, ty)) = &s.additional {
                    push_named(ty, &mut stack);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| push_named(&v.ty, &mut stack)),
            TypeKind::Alias(ty) => push_named(ty, &mut stack),
            TypeKind::Enum(_) => {}
        }
    }
    for id in sent {
        api.types[id.0].in_requests = true;
        if let TypeKind::Struct(s) = &mut api.types[id.0].kind {
            for field in &mut s.fields {
                field.skip_serializing = field.read_only;
            }
        }
    }
}

/// A field (or union variant) whose type leads back to its own struct
/// without passing through a `Vec` or map has infinite size; box it. Such
/// a field points into its own strongly connected component of the
/// "contains directly" graph, found once for all types (Tarjan), so this
/// stays linear however long the cycles are.
fn box_recursive_fields(api: &mut Api) {
    let direct: Vec<Vec<TypeId>> = api.types.iter().map(|t| direct_children(&t.kind)).collect();
    let component = strongly_connected_components(&direct);
    let cyclic = |from: TypeId, to: TypeId| component[from.0] == component[to.0];
    for i in 0..api.types.len() {
        let me = TypeId(i);
        match &mut api.types[i].kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let TypeRef::Named(t) = field.ty {
                        field.boxed = cyclic(t, me);
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let TypeRef::Named(t) = variant.ty {
                        variant.boxed = cyclic(t, me);
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// The component index of every node (iterative Tarjan): two nodes share
/// an index exactly when each reaches the other.
fn strongly_connected_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut next_index, mut next_component) = (Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&TypeId(child)) = edges[node].get(*edge) {
                *edge += 1;
                if index[child] == UNSEEN {
                    work.push((child, 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(index[child]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_mutual_reachability() {
        let id = TypeId;
        // 0 → 1 → 2 → 0 is a ring; 3 → 0 hangs off it; 4 points to itself.
        let edges = vec![vec![id(1)], vec![id(2)], vec![id(0)], vec![id(0)], vec![id(4)]];
        let c = strongly_connected_components(&edges);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }

    #[test]
    fn common_prefix_is_whole_words() {
        let names = ["GetThingNotFound", "GetThingsUnauthorized"];
        assert_eq!(common_word_prefix(names.into_iter()), "Get");
        assert_eq!(
            common_word_prefix(["ReadAutotuneNotFound", "ReadAutotuneUnauthorized"].into_iter()),
            "ReadAutotune"
        );
    }
}
