//! openapiv3 document → [`crate::ir::Api`]. Schemas are lowered in `schema`,
//! operations in `operation`; this module owns the shared state and the
//! final pass that names inline types, picks union variant names and boxes
//! recursive fields. Every map iterated here is ordered, and every list is
//! sorted at the end, so the IR never depends on hash or key order.

mod operation;
mod schema;
mod view;

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};
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
}

impl NameCtx {
    fn new(parent: &str, leaf: &str) -> Self {
        Self { parent: parent.to_string(), leaf: leaf.to_string() }
    }

    fn full(&self) -> String {
        format!("{}{}", self.parent, naming::type_name(&self.leaf))
    }

    fn child(&self, leaf: &str) -> Self {
        Self { parent: self.full(), leaf: leaf.to_string() }
    }

    fn items(&self) -> Self {
        Self { parent: self.parent.clone(), leaf: naming::singular(&self.leaf) }
    }
}

struct Lowerer<'a> {
    loaded: &'a Loaded,
    diags: &'a mut Diagnostics,
    types: Vec<TypeDef>,
    naming: Vec<Naming>,
    components: BTreeMap<String, TypeId>,
    /// Inline string enums by their values, so identical ones are shared.
    inline_enums: BTreeMap<Vec<String>, TypeId>,
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
        inline_enums: BTreeMap::new(),
        in_progress: BTreeSet::new(),
    };
    lowerer.declare_components();
    lowerer.lower_components();
    let security_schemes = lowerer.lower_security_schemes();
    let operations = lowerer.lower_operations(&security_schemes);
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
    };
    name_inline_types(&mut api, &lowerer.naming);
    name_union_variants(&mut api);
    box_recursive_fields(&mut api);
    skip_read_only_in_requests(&mut api);
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

    fn alloc(&mut self, naming: Naming, origin: Pointer) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            doc: None,
            origin: origin.to_string(),
            kind: TypeKind::Alias(TypeRef::Json),
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

/// Names every inline type. Enums shared by several places take their leaf
/// name (`ExplorationWindow`) when it is free; everything else takes its
/// full candidate (`AutotuneExperimentDtoVariant`). Claims happen in a
/// sorted order, so names never depend on traversal order.
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
    // Structs and unions first, then enums (most shared first), each by
    // their first candidate.
    inline.sort_by(|(ia, a), (ib, b)| {
        let enum_a = matches!(api.types[*ia].kind, TypeKind::Enum(_));
        let enum_b = matches!(api.types[*ib].kind, TypeKind::Enum(_));
        (enum_a, std::cmp::Reverse(a.len()), &a[0]).cmp(&(enum_b, std::cmp::Reverse(b.len()), &b[0]))
    });
    for (i, candidates) in inline {
        let first = &candidates[0];
        let is_enum = matches!(api.types[i].kind, TypeKind::Enum(_));
        let shared_leaf = candidates.iter().all(|c| c.leaf == first.leaf);
        let name = if is_enum && shared_leaf && !scope.is_taken(&first.leaf) {
            scope.claim(&first.leaf, "")
        } else {
            scope.claim(&first.full, "")
        };
        api.types[i].name = name;
        api.types[i].origin = first.origin.clone();
    }
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

/// `readOnly` properties are set by the server and must not be sent. In a
/// type that a request body or parameter can carry, they are never
/// serialized; in response-only types they still are, so a decoded response
/// encodes back to what was received.
fn skip_read_only_in_requests(api: &mut Api) {
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
        if let TypeKind::Struct(s) = &mut api.types[id.0].kind {
            for field in &mut s.fields {
                field.skip_serializing = field.read_only;
            }
        }
    }
}

/// A field (or union variant) whose type leads back to its own struct
/// without passing through a `Vec` or map has infinite size; box it.
fn box_recursive_fields(api: &mut Api) {
    let direct: Vec<Vec<TypeId>> = api.types.iter().map(|t| direct_children(&t.kind)).collect();
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                stack.extend(direct[at.0].iter().copied());
            }
        }
        false
    };
    for i in 0..api.types.len() {
        let me = TypeId(i);
        let mut kind = std::mem::replace(&mut api.types[i].kind, TypeKind::Alias(TypeRef::Json));
        match &mut kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let TypeRef::Named(t) = field.ty {
                        field.boxed = reaches(t, me);
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let TypeRef::Named(t) = variant.ty {
                        variant.boxed = reaches(t, me);
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
        api.types[i].kind = kind;
    }
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
