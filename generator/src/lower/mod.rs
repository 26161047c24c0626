//! openapiv3 document → [`crate::ir::Api`]: what the document says, with
//! final Rust names. Schemas are lowered in `schema` (and `compose` for
//! `allOf`), operations in `operation`, `parameters` and `media`, security
//! schemes in `security`, root extensions in `extensions`; inline types get
//! their names in `inline_names` once all are known.
//!
//! Every map iterated here is ordered, and every list is sorted, so the IR
//! never depends on hash or key order. What cannot be lowered costs as
//! little as possible: an operation that uses it is left out, a component
//! schema becomes any JSON value, each with a warning that says where and
//! why; the rest of the document is still generated.

mod all_of;
mod compose;
mod extensions;
mod inline_names;
mod media;
mod member_names;
mod operation;
mod parameters;
mod schema;
mod security;
mod shape_key;
mod view;

use crate::diagnostics::{Diagnostics, Pointer, Reported};
use crate::ir::{Api, CrateShape, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Loaded;
use crate::naming;
use inline_names::{Candidate, Naming, Role};
use openapiv3::ReferenceOr;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    inline_shapes: HashMap<shape_key::ShapeKey, TypeId>,
    /// Component schemas that admit null: a reference to one is nullable.
    nullable_components: BTreeSet<TypeId>,
    /// The components whose properties an inline `allOf` merge is lowering
    /// now: one that would merge them again (through a property) never
    /// ends, and is refused.
    merging: Vec<String>,
    /// The unions (their pointers) whose base-and-union `allOf`s are being
    /// distributed now: one met again inside its own variants is refused.
    distributing: Vec<String>,
}

/// How each type of the arena is to be named (parallel to `Api::types`):
/// inline types are named by their places once selection has dropped the
/// places in operations the crate leaves out ([`name_types`]).
#[derive(Debug, Default)]
pub struct Namings(Vec<Naming>);

impl Namings {
    /// Keeps the entries of the types `kept` says (as selection prunes the
    /// arena, in the same order).
    pub fn retain_types(&mut self, kept: &[bool]) {
        let mut index = 0;
        self.0.retain(|_| {
            index += 1;
            kept[index - 1]
        });
    }

    /// Forgets the places inside the operations at `dropped` (their
    /// pointers), so that no type is named after an operation the crate
    /// leaves out; a type placed only there keeps its places.
    pub fn forget_places_in(&mut self, dropped: &[&str]) {
        let inside = |origin: &str| {
            dropped
                .iter()
                .any(|op| origin.strip_prefix(op).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
        };
        for naming in &mut self.0 {
            if let Naming::Inline(candidates) = naming {
                if candidates.iter().any(|c| !inside(&c.origin)) {
                    candidates.retain(|c| !inside(&c.origin));
                }
            }
        }
    }
}

/// Names every type by its naming: inline types by their places, then
/// union variants by their types.
pub fn name_types(api: &mut Api, namings: Namings) {
    inline_names::name_inline_types(api, &namings.0);
    inline_names::name_union_variants(api);
}

/// Lowers a loaded document. What cannot be lowered is reported to `diags`
/// and left out of the result. Types are named by [`name_types`], after
/// selection.
pub fn lower(loaded: &Loaded, diags: &mut Diagnostics) -> (Api, Namings) {
    let mut lowerer = Lowerer {
        loaded,
        diags,
        types: Vec::new(),
        naming: Vec::new(),
        components: BTreeMap::new(),
        inline_shapes: HashMap::new(),
        nullable_components: BTreeSet::new(),
        merging: Vec::new(),
        distributing: Vec::new(),
    };
    lowerer.declare_components();
    lowerer.find_nullable_components();
    lowerer.lower_components();
    let security_schemes = lowerer.lower_security_schemes();
    let (operations, skipped_operations) = lowerer.lower_operations(&security_schemes);
    let default_headers = lowerer.default_headers();
    let rate_limits = lowerer.rate_limits();
    let doc = &loaded.doc;
    let api = Api {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        license: doc.info.license.as_ref().map(|l| l.name.trim().to_string()).filter(|l| is_spdx(l)),
        homepage: doc.info.contact.as_ref().and_then(|c| c.url.clone()).filter(|u| u.starts_with("https://")),
        base_url: doc.servers.first().and_then(server_url),
        types: lowerer.types,
        operations,
        security_schemes,
        default_headers,
        rate_limits,
        skipped_operations,
        crate_shape: CrateShape::default(),
    };
    (api, Namings(lowerer.naming))
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
        let mut scope = naming::Scope::with_reserved(crate::scopes::TYPES_MODULE.iter().copied());
        for key in keys {
            let name = scope.claim(&naming::type_name(key), "");
            let id = self
                .alloc(Naming::Component(name.clone()), Pointer::root().join("components").join("schemas").join(key));
            self.types[id.0].name = name;
            self.components.insert(key.clone(), id);
        }
    }

    /// The components whose schema admits null (`nullable`, a branch that
    /// is only null, an annotation of `allOf` that says so), and those that
    /// are a `$ref` to one.
    fn find_nullable_components(&mut self) {
        let Some(components) = &self.loaded.doc.components else { return };
        let mut aliases = Vec::new();
        for (key, schema) in &components.schemas {
            let id = self.components[key.as_str()];
            match schema {
                ReferenceOr::Item(schema) => {
                    let view = view::View::of(schema);
                    let null_annotation = view
                        .all_of
                        .iter()
                        .any(|m| self.says_nullable(*m) && self.substance(*m, 0) == view::Substance::Nothing);
                    if view.admits_null() || null_annotation {
                        self.nullable_components.insert(id);
                    }
                }
                ReferenceOr::Reference { reference } => {
                    let target = reference.strip_prefix("#/components/schemas/").and_then(|k| self.components.get(k));
                    if let Some(target) = target {
                        aliases.push((id, *target));
                    }
                }
            }
        }
        // Aliases of nullable components, to a fixed point.
        while aliases
            .iter()
            .any(|(id, target)| self.nullable_components.contains(target) && !self.nullable_components.contains(id))
        {
            for (id, target) in &aliases {
                if self.nullable_components.contains(target) {
                    self.nullable_components.insert(*id);
                }
            }
        }
    }

    fn alloc(&mut self, naming: Naming, origin: Pointer) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            doc: None,
            origin: origin.to_string(),
            kind: TypeKind::Alias(TypeRef::Json),
            in_requests: false,
            validates: false,
            multipart: false,
            serialize: false,
            deserialize: false,
            features: Vec::new(),
        });
        self.naming.push(naming);
        id
    }

    /// The component id a `$ref` names, or a diagnostic.
    fn resolve_schema_ref(&mut self, reference: &str, at: &Pointer) -> Result<(TypeId, String), Reported> {
        match reference.strip_prefix("#/components/schemas/") {
            Some(key) if !key.contains('/') => match self.components.get(key) {
                Some(id) => Ok((*id, key.to_string())),
                None => {
                    Err(self.diags.error(at, format!("`$ref: {reference}` points to a schema that does not exist")))
                }
            },
            _ if !reference.starts_with('#') => Err(self.diags.error(
                at,
                format!("external `$ref: {reference}` is not supported; bundle the document into one file first"),
            )),
            _ => Err(self.diags.error(at, format!("`$ref: {reference}` must point to `#/components/schemas/<name>`"))),
        }
    }

    /// The value at `pointer` in the raw document (for `$ref` siblings).
    fn raw_at(&self, pointer: &Pointer) -> Option<&serde_json::Value> {
        let p = pointer.to_string();
        self.loaded.raw.pointer(p.trim_start_matches('#'))
    }
}

/// A license expression cargo accepts: SPDX identifiers joined by `OR`,
/// `AND` or `WITH` (`MIT`, `Apache-2.0 OR MIT`), not a name in prose.
fn is_spdx(text: &str) -> bool {
    let id = |word: &str| {
        !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'))
            && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && word.chars().any(|c| c.is_ascii_digit() || c == '-' || word.len() <= 5)
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.iter().enumerate().all(|(i, w)| if i % 2 == 1 { matches!(*w, "OR" | "AND" | "WITH") } else { id(w) })
        && words.len() % 2 == 1
}

#[cfg(test)]
mod license_tests {
    #[test]
    fn only_spdx_expressions_become_the_crate_license() {
        for ok in ["MIT", "Apache-2.0", "MIT OR Apache-2.0", "BSD-3-Clause", "GPL-2.0+ WITH Classpath-exception-2.0"] {
            assert!(super::is_spdx(ok), "{ok}");
        }
        for not in ["Apache 2.0", "Proprietary", "", "MIT OR", "Copyright (c) Example"] {
            assert!(!super::is_spdx(not), "{not}");
        }
    }
}
