//! Names for inline types, chosen once every type exists: a type used in
//! one place is named after where it sits; a shared one after what its
//! places have in common. Union variants are named after their types.

use crate::ir::{Api, Format, TypeKind, TypeRef};
use crate::naming;

/// How an inline type may be named: `parent` + `leaf`, or just `leaf` when
/// the type is shared (deduplicated enums).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Candidate {
    pub(super) full: String,
    pub(super) leaf: String,
    pub(super) origin: String,
    pub(super) role: Role,
}

/// What an inline schema is for, when that helps to name a shared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Role {
    Other,
    /// The body of a 2XX response.
    Success,
    /// The body of an error response.
    Error,
}

/// How a type in the arena gets its name.
#[derive(Debug)]
pub(super) enum Naming {
    /// A component schema, named when declared.
    Component(String),
    /// An inline schema, by the places it is used.
    Inline(Vec<Candidate>),
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
pub(super) fn name_inline_types(api: &mut Api, namings: &[Naming]) {
    let mut scope = naming::Scope::with_reserved(crate::scopes::TYPES_MODULE.iter().copied());
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
    let fulls = || candidates.iter().map(|c| c.full.as_str());
    if candidates.iter().all(|c| c.leaf == first.leaf) && !VAGUE_LEAVES.contains(&first.leaf.as_str()) {
        // The leaf its places share (`Address`); when a schema has that
        // name, with the words their parents share, else marked as the
        // inline one (`InlineAddress`), never after one place alone.
        let prefix = common_word_prefix(fulls());
        let leaf = &first.leaf;
        let shared = if prefix.ends_with(leaf.as_str()) { prefix.clone() } else { format!("{prefix}{leaf}") };
        // The words their names end with in common, beyond the leaf
        // (`ExternalMetricContractDtoType`, `KeyCreateContractDtoType`:
        // `ContractDtoType`).
        let tail = common_word_suffix(fulls());
        let names = [leaf.clone(), shared, tail, format!("Inline{leaf}")];
        if let Some(name) = names.into_iter().find(|n| n.len() >= leaf.len() && free(n)) {
            return Some(name);
        }
    }
    let role = first.role;
    if role == Role::Other || candidates.iter().any(|c| c.role != role) {
        // Places with different leaves: the words their names end with in
        // common (`…ShippingAddress`, `…BillingAddress`: `Address`).
        let suffix = common_word_suffix(fulls());
        return (!VAGUE_LEAVES.contains(&suffix.as_str()) && free(&suffix)).then_some(suffix);
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
pub(super) fn common_word_prefix<'a>(names: impl Iterator<Item = &'a str>) -> String {
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

/// The longest run of whole `UpperCamelCase` words that ends every name.
fn common_word_suffix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else { return String::new() };
    let rest: Vec<&str> = names.collect();
    // A tail that starts with a capital starts a word in every name it ends.
    first
        .char_indices()
        .filter(|(_, c)| c.is_ascii_uppercase())
        .map(|(start, _)| &first[start..])
        .find(|tail| rest.iter().all(|n| n.ends_with(tail)))
        .unwrap_or_default()
        .to_string()
}

/// Union variants are named after their types, once all type names are known.
pub(super) fn name_union_variants(api: &mut Api) {
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
        if union.discriminator.is_some() {
            let unknown = ["Unknown", "UnknownVariant", "Other"]
                .into_iter()
                .find(|n| !scope.is_taken(n))
                .map_or_else(|| scope.claim("Unknown", ""), str::to_string);
            union.unknown = Some(unknown);
        }
    }
}

fn type_label(ty: &TypeRef, names: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => names[id.0].clone(),
        TypeRef::String => "String".into(),
        TypeRef::Formatted(Format::Uuid) => "Uuid".into(),
        TypeRef::Formatted(Format::Ipv4) => "Ipv4".into(),
        TypeRef::Formatted(Format::Ipv6) => "Ipv6".into(),
        TypeRef::Formatted(Format::DateTime) => "DateTime".into(),
        TypeRef::Formatted(Format::Date) => "Date".into(),
        TypeRef::Integer(_) => "Integer".into(),
        TypeRef::Number(_) => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::JsonObject => "Object".into(),
        TypeRef::Binary => "Binary".into(),
        TypeRef::List(inner) => format!("{}List", type_label(inner, names)),
        TypeRef::Map(inner) => format!("{}Map", type_label(inner, names)),
        TypeRef::Nullable(inner) => type_label(inner, names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_suffix_is_whole_words() {
        let names = ["GetInvoicesShippingAddress", "PostCustomersBillingAddress"];
        assert_eq!(common_word_suffix(names.into_iter()), "Address");
        assert_eq!(common_word_suffix(["ACardDetails", "BCardDetails"].into_iter()), "CardDetails");
        assert_eq!(common_word_suffix(["Xaddress", "Yaddress"].into_iter()), "");
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
