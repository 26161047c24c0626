//! Operation selection (`--only`, `--exclude`): which operations the crate
//! keeps, and the schemas they reach. Runs between lowering and deciding,
//! so every decision sees only what is kept.

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{Api, Method, TypeId};
use crate::lower::Namings;

/// Which operations to generate. Each selector is an `operationId`, a tag,
/// or `METHOD /path` (`GET /repos/{owner}/{repo}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// When not empty, only the operations one of these selects.
    pub only: Vec<String>,
    /// Operations none of these selects.
    pub exclude: Vec<String>,
}

impl Selection {
    pub fn is_everything(&self) -> bool {
        self.only.is_empty() && self.exclude.is_empty()
    }
}

/// What a selector says, once parsed.
enum Selector<'s> {
    Route(Method, &'s str),
    /// An `operationId` or a tag.
    Name(&'s str),
}

impl<'s> Selector<'s> {
    fn parse(text: &'s str) -> Self {
        match text.trim().split_once(' ') {
            Some((method, path)) if path.trim_start().starts_with('/') => {
                match Method::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(method)) {
                    Some(method) => Selector::Route(method, path.trim()),
                    None => Selector::Name(text.trim()),
                }
            }
            _ => Selector::Name(text.trim()),
        }
    }

    fn selects(&self, op: &crate::ir::Operation) -> bool {
        match self {
            Selector::Route(method, path) => op.method == *method && op.path == *path,
            Selector::Name(name) => {
                op.operation_id.as_deref() == Some(name)
                    || op.rust_name == *name
                    || op.tags.iter().any(|t| t.eq_ignore_ascii_case(name))
            }
        }
    }
}

/// Keeps the selected operations and the types they reach; a selector that
/// selects nothing is an error (a typo would otherwise empty the crate
/// silently). Without a selection, nothing changes: schemas that no
/// operation uses are still generated.
pub fn apply(api: &mut Api, namings: &mut Namings, selection: &Selection, diags: &mut Diagnostics) {
    if selection.is_everything() {
        return;
    }
    let root = Pointer::root();
    for (flag, selectors) in [("--only", &selection.only), ("--exclude", &selection.exclude)] {
        for text in selectors {
            let selector = Selector::parse(text);
            if !api.operations.iter().any(|op| selector.selects(op)) {
                let hint = match closest(api, text) {
                    Some(near) => format!("; did you mean `{near}`?"),
                    None => String::new(),
                };
                diags.error(
                    &root,
                    format!("{flag} `{text}` matches no operationId, method name, tag or `METHOD /path`{hint}"),
                );
            }
        }
    }
    let only: Vec<Selector> = selection.only.iter().map(|s| Selector::parse(s)).collect();
    let exclude: Vec<Selector> = selection.exclude.iter().map(|s| Selector::parse(s)).collect();
    let kept = |op: &crate::ir::Operation| {
        (only.is_empty() || only.iter().any(|s| s.selects(op))) && !exclude.iter().any(|s| s.selects(op))
    };
    let dropped: Vec<&str> = api.operations.iter().filter(|op| !kept(op)).map(|op| op.origin.as_str()).collect();
    namings.forget_places_in(&dropped);
    api.operations.retain(kept);
    let kept_types = prune_types(api);
    namings.retain_types(&kept_types);
}

/// The selector nearest to `text` (an operationId, method name, tag or
/// `METHOD /path`), when one is near enough to be the one meant.
fn closest(api: &Api, text: &str) -> Option<String> {
    // A route whose path exists under another method.
    if let Selector::Route(_, path) = Selector::parse(text) {
        if let Some(op) = api.operations.iter().find(|op| op.path == path) {
            return Some(format!("{} {}", op.method.as_str(), op.path));
        }
    }
    let mut names: Vec<String> = Vec::new();
    for op in &api.operations {
        names.extend(op.operation_id.clone());
        names.push(op.rust_name.clone());
        names.extend(op.tags.iter().cloned());
        names.push(format!("{} {}", op.method.as_str(), op.path));
    }
    let wanted = text.trim().to_ascii_lowercase();
    names
        .into_iter()
        .map(|name| (edit_distance(&wanted, &name.to_ascii_lowercase()), name))
        .filter(|(distance, name)| *distance <= (name.chars().count() / 3).max(2))
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Drops the types no operation reaches and renumbers the rest.
/// Drops the types no kept operation reaches; which of the old arena's
/// types it kept.
fn prune_types(api: &mut Api) -> Vec<bool> {
    let kept = api.reached(api.operations.iter().flat_map(|op| op.type_refs()));
    let mut new_ids: Vec<Option<TypeId>> = vec![None; api.types.len()];
    for (new, old) in kept.iter().enumerate() {
        new_ids[old.0] = Some(TypeId(new));
    }
    let types = std::mem::take(&mut api.types);
    api.types = types.into_iter().enumerate().filter(|(i, _)| new_ids[*i].is_some()).map(|(_, t)| t).collect();
    // Every id left points at a kept type: the kept set is closed under
    // reachability.
    api.for_each_type_ref_mut(|ty| {
        if let Some(id) = ty.named_mut() {
            *id = new_ids[id.0].expect("a reachable type reaches only reachable types");
        }
    });
    new_ids.iter().map(Option::is_some).collect()
}

#[cfg(test)]
mod tests {
    use super::Selection;

    const DOC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}}
  /orders:
    post:
      operationId: placeOrder
      tags: [store]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
      responses:
        "200": {description: ok}
    get:
      operationId: listOrders
      tags: [store]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Order"}}}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}, owner: {$ref: "#/components/schemas/Owner"}}}
    Owner: {type: object, properties: {name: {type: string}}}
    Order: {type: object, properties: {pet: {$ref: "#/components/schemas/Pet"}, note: {type: string}}}
    Unused: {type: object, properties: {a: {type: string}}}
"##;

    fn select(only: &[&str], exclude: &[&str]) -> Result<(Vec<String>, Vec<String>), String> {
        let selection = Selection {
            only: only.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
        };
        let (api, _) = crate::analyze_selected(DOC, "shop.yaml", false, &selection).map_err(|d| d.to_string())?;
        let ops = api.operations.iter().map(|op| op.rust_name.clone()).collect();
        let mut types: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
        types.sort();
        Ok((ops, types))
    }

    #[test]
    fn everything_by_default_unused_schemas_included() {
        let (ops, types) = select(&[], &[]).unwrap();
        assert_eq!(ops, ["list_orders", "list_pets", "place_order"]);
        assert_eq!(types, ["Order", "Owner", "Pet", "Unused"]);
    }

    #[test]
    fn only_by_tag_id_or_route_keeps_what_they_reach() {
        let (ops, types) = select(&["pets"], &[]).unwrap();
        assert_eq!(ops, ["list_pets"]);
        assert_eq!(types, ["Owner", "Pet"]);
        let (ops, types) = select(&["placeOrder", "GET /pets"], &[]).unwrap();
        assert_eq!(ops, ["list_pets", "place_order"]);
        assert_eq!(types, ["Order", "Owner", "Pet"]);
    }

    #[test]
    fn exclude_applies_after_only() {
        let (ops, types) = select(&["store"], &["post /orders"]).unwrap();
        assert_eq!(ops, ["list_orders"]);
        assert_eq!(types, ["Order", "Owner", "Pet"]);
        let (ops, _) = select(&[], &["store"]).unwrap();
        assert_eq!(ops, ["list_pets"]);
    }

    #[test]
    fn a_selector_that_selects_nothing_is_an_error() {
        let report = select(&["pet"], &["DELETE /pets"]).unwrap_err();
        assert!(
            report.contains(
                "--only `pet` matches no operationId, method name, tag or `METHOD /path`; did you mean `pets`?"
            ),
            "{report}"
        );
        assert!(report.contains("--exclude `DELETE /pets` matches no"), "{report}");
        assert!(report.contains("did you mean `GET /pets`?"), "{report}");
        let report = select(&["place_ordr"], &[]).unwrap_err();
        assert!(report.contains("did you mean `place_order`?"), "{report}");
        assert!(!select(&["zzzzzzzz"], &[]).unwrap_err().contains("did you mean"));
    }

    #[test]
    fn a_shared_inline_type_is_named_after_the_operations_kept() {
        // One inline enum in two operations' parameters: named after the
        // first place when both are kept, never after one left out.
        let doc = r##"
openapi: 3.0.3
info: {title: Bank, version: "1"}
paths:
  /accounts:
    get:
      operationId: getAccounts
      parameters: [{name: created, in: query, schema: {type: string, enum: [today, week]}}]
      responses: {"204": {description: ok}}
  /customers:
    get:
      operationId: getCustomers
      parameters: [{name: since, in: query, schema: {type: string, enum: [today, week]}}]
      responses: {"204": {description: ok}}
"##;
        let names = |only: &[&str]| {
            let selection = Selection { only: only.iter().map(|s| s.to_string()).collect(), exclude: Vec::new() };
            let (api, _) = crate::analyze_selected(doc, "bank.yaml", false, &selection).unwrap();
            api.types.iter().map(|t| t.name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(names(&[]), ["GetAccountsCreated"]);
        assert_eq!(names(&["getCustomers"]), ["Since"]);
    }

    #[test]
    fn method_names_select_too() {
        let (ops, _) = select(&["place_order"], &["list_orders"]).unwrap();
        assert_eq!(ops, ["place_order"]);
    }

    #[test]
    fn tags_become_features_that_gate_operations_and_the_types_they_reach() {
        let (api, _) = crate::analyze(DOC, "shop.yaml", false).unwrap();
        let features: Vec<(&str, &str, usize)> =
            api.crate_shape.features.iter().map(|f| (f.name.as_str(), f.tag.as_str(), f.operations)).collect();
        assert_eq!(features, [("pets", "pets", 1), ("store", "store", 2)]);
        let gate = |name: &str| api.types.iter().find(|t| t.name == name).unwrap().features.clone();
        // Pet and Owner are reached by both tags (not by the unused schema).
        assert_eq!(gate("Pet"), ["pets", "store"]);
        assert_eq!(gate("Owner"), ["pets", "store"]);
        assert_eq!(gate("Order"), ["store"]);
        assert_eq!(gate("Unused"), ["unreferenced-schemas"]);
        assert_eq!(api.crate_shape.unreferenced_schemas, 1);
        let op = |name: &str| api.operations.iter().find(|o| o.rust_name == name).unwrap().features.clone();
        assert_eq!(op("list_pets"), ["pets"]);
        assert_eq!(op("place_order"), ["store"]);
    }

    #[test]
    fn serde_follows_the_direction_a_type_travels() {
        let (api, _) = crate::analyze(DOC, "shop.yaml", false).unwrap();
        let directions = |name: &str| {
            let t = api.types.iter().find(|t| t.name == name).unwrap();
            (t.serialize, t.deserialize)
        };
        // Order is sent (placeOrder) and received (listOrders); Pet is both
        // through Order; Unused may go either way.
        assert_eq!(directions("Order"), (true, true));
        assert_eq!(directions("Pet"), (true, true));
        assert_eq!(directions("Unused"), (true, true));
        let (api, _) = crate::analyze_selected(
            DOC,
            "shop.yaml",
            false,
            &Selection { only: vec!["listPets".into(), "placeOrder".into()], exclude: vec![] },
        )
        .unwrap();
        let order = api.types.iter().find(|t| t.name == "Order").unwrap();
        assert_eq!((order.serialize, order.deserialize), (true, false));
        let owner = api.types.iter().find(|t| t.name == "Owner").unwrap();
        assert_eq!((owner.serialize, owner.deserialize), (true, true));
    }
}
