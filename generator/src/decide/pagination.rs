//! Page-numbered lists, which get `items()`: a stream over every page.
//!
//! The rule, by shape (names are compared without case, `_` or `-`):
//! - **the page**: an optional integer query parameter named like a page
//!   number (`page`, `pageNumber`, `page_num`, `pageNo`);
//! - **the items**: the operation has one success response, a JSON struct
//!   with exactly one required list field;
//! - **the end of pages**: a field of that struct, or of one of its required
//!   struct fields, that either holds a value exactly while another page
//!   follows (a nullable or optional field named `nextPage` or `next`), or
//!   is a boolean named `hasMore`, `hasNextPage` or `more` that is false on
//!   the last page.
//!
//! `x-pagination` on the operation overrides the rule: `false` turns it
//! off, an object names the three parts (see `lower::extensions`).

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{
    Api, EndHint, EndOfPages, Field, FieldPath, Operation, Pagination, PaginationHint, ParamLocation, ResponseBody,
    Struct, TypeKind, TypeRef, Wrapper,
};

const PAGE_NAMES: &[&str] = &["page", "pagenumber", "pagenum", "pageno"];
const NEXT_NAMES: &[&str] = &["nextpage", "next"];
const HAS_MORE_NAMES: &[&str] = &["hasmore", "hasnextpage", "more"];

/// How `items()` walks `op`'s pages, if it is a paginated list.
pub(super) fn pagination(api: &Api, op: &Operation, diags: &mut Diagnostics) -> Option<Pagination> {
    match &op.pagination_hint {
        Some(PaginationHint::Off) => None,
        Some(PaginationHint::Explicit { page, items, end, at }) => {
            let found = explicit(api, op, page, items, end);
            if found.is_none() {
                diags.error(
                    &Pointer::from_ref(at),
                    "`x-pagination` does not match the operation: `page` must name an optional integer query parameter, `items` a required list field of the one success body, and `next` or `has-more` a field reached through required struct fields",
                );
            }
            found
        }
        None => by_shape(api, op),
    }
}

/// Names compare without case and separators.
fn normalized(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect()
}

fn by_shape(api: &Api, op: &Operation) -> Option<Pagination> {
    let (page, width) =
        op.params.iter().find_map(|p| page_param(p, |wire| PAGE_NAMES.contains(&normalized(wire).as_str())))?;
    let body = success_struct(api, op)?;
    let mut lists = body.fields.iter().filter(|f| is_items(f));
    let (Some(items), None) = (lists.next(), lists.next()) else { return None };
    let TypeRef::List(item) = &items.ty else { return None };
    let end = end_by_shape(api, body)?;
    Some(Pagination {
        page_param: page,
        page_width: width,
        items_field: items.rust_name.clone(),
        item: (**item).clone(),
        end,
    })
}

fn explicit(api: &Api, op: &Operation, page: &str, items: &str, end: &EndHint) -> Option<Pagination> {
    let (page, width) = op.params.iter().find_map(|p| page_param(p, |wire| wire == page))?;
    let body = success_struct(api, op)?;
    let items = body.fields.iter().find(|f| f.wire_name == items && is_items(f))?;
    let TypeRef::List(item) = &items.ty else { return None };
    let end = match end {
        EndHint::Next(path) => {
            let (path, _) = field_path(api, body, path)?;
            // A field that is always present cannot say "no next page".
            (path.wrapper != Wrapper::Plain).then_some(EndOfPages::NextPresent(path))?
        }
        EndHint::HasMore(path) => {
            let (path, ty) = field_path(api, body, path)?;
            (ty == TypeRef::Boolean).then_some(EndOfPages::HasMore(path))?
        }
    };
    Some(Pagination {
        page_param: page,
        page_width: width,
        items_field: items.rust_name.clone(),
        item: (**item).clone(),
        end,
    })
}

/// An optional integer query parameter whose wire name `matches`.
fn page_param(p: &crate::ir::Param, matches: impl Fn(&str) -> bool) -> Option<(String, crate::ir::IntWidth)> {
    match p.ty {
        TypeRef::Integer(width) if p.location == ParamLocation::Query && !p.required && matches(&p.wire_name) => {
            Some((p.rust_name.clone(), width))
        }
        _ => None,
    }
}

/// The struct of the operation's only success response.
fn success_struct<'a>(api: &'a Api, op: &Operation) -> Option<&'a Struct> {
    let mut successes = op.responses.iter().filter(|r| r.status.is_success());
    let (Some(success), None) = (successes.next(), successes.next()) else { return None };
    let ResponseBody::Json(TypeRef::Named(body)) = &success.body else { return None };
    match &api.ty(*body).kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// A required, unboxed list field.
fn is_items(f: &Field) -> bool {
    matches!(f.ty, TypeRef::List(_)) && f.repr.wrapper == Wrapper::Plain && !f.repr.boxed
}

/// The end-of-pages field by name: in the body first, then in its required
/// struct fields, in field order.
fn end_by_shape(api: &Api, body: &Struct) -> Option<EndOfPages> {
    let own = body.fields.iter().map(|f| (None, f));
    let nested = body.fields.iter().filter(|f| f.repr.wrapper == Wrapper::Plain && !f.repr.boxed).flat_map(|outer| {
        let inner = match &outer.ty {
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Struct(s) => s.fields.as_slice(),
                _ => &[],
            },
            _ => &[],
        };
        inner.iter().map(move |f| (Some(outer), f))
    });
    own.chain(nested).find_map(|(outer, f)| {
        if f.repr.boxed {
            return None;
        }
        let path = FieldPath {
            fields: outer.iter().chain([&f]).map(|f| f.rust_name.clone()).collect(),
            wire: outer.iter().chain([&f]).map(|f| f.wire_name.as_str()).collect::<Vec<_>>().join("."),
            wrapper: f.repr.wrapper,
        };
        let name = normalized(&f.wire_name);
        if NEXT_NAMES.contains(&name.as_str()) && f.repr.wrapper != Wrapper::Plain {
            Some(EndOfPages::NextPresent(path))
        } else if HAS_MORE_NAMES.contains(&name.as_str()) && f.ty == TypeRef::Boolean {
            Some(EndOfPages::HasMore(path))
        } else {
            None
        }
    })
}

/// The field a path of wire names reaches from `body`, through required,
/// unboxed struct fields, and its type.
fn field_path(api: &Api, body: &Struct, wire_path: &[String]) -> Option<(FieldPath, TypeRef)> {
    let (last, through) = wire_path.split_last()?;
    let mut current = body;
    let mut fields = Vec::new();
    for wire in through {
        let f = current
            .fields
            .iter()
            .find(|f| &f.wire_name == wire && f.repr.wrapper == Wrapper::Plain && !f.repr.boxed)?;
        let TypeRef::Named(id) = &f.ty else { return None };
        let TypeKind::Struct(s) = &api.ty(*id).kind else { return None };
        fields.push(f.rust_name.clone());
        current = s;
    }
    let f = current.fields.iter().find(|f| &f.wire_name == last && !f.repr.boxed)?;
    fields.push(f.rust_name.clone());
    Some((FieldPath { fields, wire: wire_path.join("."), wrapper: f.repr.wrapper }, f.ty.clone()))
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn names_compare_without_case_or_separators() {
        assert_eq!(normalized("page_Number"), "pagenumber");
        assert_eq!(normalized("has-more"), "hasmore");
        assert_eq!(normalized("nextPage"), "nextpage");
    }
}
