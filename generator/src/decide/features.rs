//! Per-tag cargo features: a user who calls a few of an API's operations
//! compiles only those and the types they reach.
//!
//! Each tag of the document becomes a feature (all on by default). An
//! operation is compiled when any of its tags' features is on; one without
//! tags always is. A type is compiled when an operation that reaches it
//! is; a type that an untagged operation reaches, or that every feature's
//! operations reach, always is. Schemas that no operation uses (and what
//! they hold) have the feature `unreferenced-schemas`, on by default. An API whose
//! operations carry fewer than two tags gets no features: one feature
//! would gate everything.

use crate::ir::{Api, CrateFeature, UNREFERENCED_SCHEMAS as UNREFERENCED};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Feature names the emitted `Cargo.toml` defines itself.
const RESERVED: &[&str] = &[
    "default",
    "all-operations",
    "rustls",
    "rustls-no-provider",
    "rustls-tls",
    "rustls-tls-native-roots",
    "native-tls",
    "gzip",
    "tracing",
    "full-serde",
    UNREFERENCED,
];

/// Decides the crate's tag features (and how many schemas no operation
/// uses) and which features compile each operation and type.
pub(super) fn assign(api: &mut Api) -> (Vec<CrateFeature>, usize) {
    let tags: BTreeSet<String> = api.operations.iter().flat_map(|op| op.tags.iter().cloned()).collect();
    if tags.len() < 2 {
        api.operations.iter_mut().for_each(|op| op.features.clear());
        api.types.iter_mut().for_each(|t| t.features.clear());
        return (Vec::new(), 0);
    }
    let by_tag = feature_names(tags.iter().map(String::as_str));
    let mut features: BTreeMap<&String, CrateFeature> = by_tag
        .iter()
        .map(|(tag, name)| (name, CrateFeature { name: name.clone(), tag: tag.to_string(), operations: 0 }))
        .collect();
    for op in &mut api.operations {
        let mut own: Vec<String> = op.tags.iter().filter_map(|t| by_tag.get(t.as_str()).cloned()).collect();
        own.sort();
        own.dedup();
        for name in &own {
            if let Some(feature) = features.get_mut(name) {
                feature.operations += 1;
            }
        }
        op.features = own;
    }
    // The features of the operations that reach each type; `None` once an
    // always-compiled operation reaches it.
    let mut gates: Vec<Option<BTreeSet<String>>> = vec![Some(BTreeSet::new()); api.types.len()];
    for op in &api.operations {
        for id in api.reached(op.type_refs()) {
            match (&mut gates[id.0], op.features.is_empty()) {
                (gate @ Some(_), true) => *gate = None,
                (Some(set), false) => set.extend(op.features.iter().cloned()),
                (None, _) => {}
            }
        }
    }
    // A schema no operation uses, and everything it holds, is compiled by
    // its own feature (on by default): a crate that enables a few tags
    // does not pay for the rest of the document's schemas.
    let (unused, held) = api.held_by_unused();
    for id in held {
        if let Some(set) = &mut gates[id.0] {
            set.insert(UNREFERENCED.to_string());
        }
    }
    let every = features.len() + usize::from(unused > 0);
    for (def, gate) in api.types.iter_mut().zip(gates) {
        def.features = match gate {
            Some(set) if set.len() < every => set.into_iter().collect(),
            _ => Vec::new(),
        };
    }
    (features.into_values().collect(), unused)
}

/// A cargo feature name per tag (`Feature Flags` → `feature-flags`), unique
/// and clear of the features the crate defines itself.
fn feature_names<'t>(tags: impl Iterator<Item = &'t str>) -> BTreeMap<&'t str, String> {
    let mut scope = naming::Scope::with_reserved(RESERVED.iter());
    tags.map(|tag| {
        // A snake-case name starts with a letter (never a digit), as cargo
        // wants; a keyword's trailing `_` is dropped.
        let kebab = naming::snake_name(tag, "tag").trim_end_matches('_').replace('_', "-");
        (tag, scope.claim(&kebab, "-"))
    })
    .collect()
}
