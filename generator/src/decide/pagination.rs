//! Paginated lists, which get `items()` and `pages()`: streams over every
//! page, in whichever style the API pages.
//!
//! The rules, by shape (names are compared on their letters and digits
//! alone, without case):
//! - **the items**: the operation has one success response, and what a
//!   call returns is a list, or a struct with exactly one required list
//!   field (else exactly one list field, which may be absent or null);
//! - **cursor**: an optional string query parameter named like a cursor
//!   (`cursor`, `after`, `starting_after`, `page_token`, `continuation`…),
//!   or a page parameter that is text (a token, not a number), fed from a
//!   string field of the body (`next_cursor`, `nextPageToken`, `next_page`,
//!   `cursor`…) or, for `starting_after`/`after`/`after_id` with a
//!   `has_more` boolean, from the last item's `id`;
//! - **page number**: an optional integer (or number) query parameter named like a page
//!   (`page`, `pageNumber`, `page_num`, `pageNo`), ending on a field that
//!   holds a value while another page follows (`nextPage`, `next`) or a
//!   boolean that is false on the last page (`hasMore`, `hasNextPage`,
//!   `more`); else, where the response documents a `Link` header, by its
//!   `rel="next"` link; else on a total (`total_count`, `total`…) or an
//!   empty page;
//! - **offset**: an optional integer (or number) query parameter named `offset`,
//!   `skip`, `$skip` or `start`, ending on a total or an empty page;
//! - **next link**: without such a parameter, a string field with the next
//!   page's URL (`next`, `nextLink`, `@odata.nextLink`, in the body or one
//!   of its required objects), or a documented `Link` header.
//!
//! `x-pagination` on the operation overrides the rules: `false` turns them
//! off, an object names the parts (see `lower::extensions`). A list that
//! looks paginated but fits no style is counted, so the summary can say so.

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{
    Api, Counter, CursorFrom, EndHint, Envelope, Field, FieldPath, HintParam, ItemsAt, LinkFrom, Opened, Operation,
    PageEnd, PageStart, PageStyle, Pagination, PaginationHint, Param, ParamId, ParamLocation, ResponseBody, Struct,
    Success, TypeKind, TypeRef, Wrapper,
};

const PAGE_NAMES: &[&str] = &["page", "pagenumber", "pagenum", "pageno"];
const OFFSET_NAMES: &[&str] = &["offset", "skip", "start", "startindex"];
const CURSOR_NAMES: &[&str] = &[
    "cursor",
    "after",
    "startingafter",
    "pagetoken",
    "continuation",
    "continuationtoken",
    "nexttoken",
    "nextcursor",
    "marker",
    "afterid",
];
/// Cursor parameters that take the last item's id.
const AFTER_ITEM_NAMES: &[&str] = &["after", "startingafter", "afterid"];
const NEXT_PAGE_NAMES: &[&str] = &["nextpage", "next"];
const HAS_MORE_NAMES: &[&str] = &["hasmore", "hasnextpage", "more"];
const TOTAL_NAMES: &[&str] = &["total", "totalcount", "totalresults", "totalitems", "totalsize", "count"];
const NEXT_CURSOR_NAMES: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nextpage",
    "cursor",
    "next",
    "nexttoken",
    "continuationtoken",
    "endcursor",
    "nextmarker",
];
const NEXT_LINK_NAMES: &[&str] =
    &["next", "nextlink", "odatanextlink", "nexturl", "nextpageurl", "nextpageuri", "nexturi"];

/// How `items()` walks `op`'s pages, if it is a paginated list; whether it
/// looks like one that fits no style.
pub(super) fn pagination(api: &Api, op: &Operation, success: &Success, diags: &mut Diagnostics) -> Decision {
    let list = List::of(api, op, success);
    match &op.pagination_hint {
        Some(PaginationHint::Off) => Decision { pagination: None, missed: false },
        Some(PaginationHint::Explicit { param, items, end, at }) => {
            let found = list.as_ref().and_then(|list| explicit(api, op, list, param.as_ref(), items.as_deref(), end));
            if found.is_none() {
                diags.error(
                    &Pointer::from_ref(at),
                    "`x-pagination` does not match the operation: it must have one success response, and its parameter must be an optional query parameter (an integer for `page` and `offset`, a string for `cursor`), `items` a list field of the one success body (or left out when the body is the list), and the end a field reached through required struct fields",
                );
            }
            Decision { pagination: found, missed: false }
        }
        None => {
            let found = list.as_ref().and_then(|list| by_shape(api, op, list));
            // A list that asks for pages but fits no style; an operation
            // that returns a single object is not one.
            let missed = found.is_none() && list.as_ref().is_some_and(|l| l.has_lists) && looks_paginated(op);
            Decision { pagination: found, missed }
        }
    }
}

/// What was decided for one operation.
pub(super) struct Decision {
    pub(super) pagination: Option<Pagination>,
    /// It has a page, offset or cursor parameter or a `Link` header, but no
    /// style fits.
    pub(super) missed: bool,
}

/// What a call of the operation returns, when that can be a page.
struct List<'a> {
    /// The body's struct, when it is one.
    body: Option<&'a Struct>,
    /// The items, when there is one place they can be.
    items: Option<(ItemsAt, TypeRef)>,
    /// It is a list, or holds one or more.
    has_lists: bool,
    link_header: bool,
}

impl<'a> List<'a> {
    fn of(api: &'a Api, op: &Operation, success: &Success) -> Option<Self> {
        let mut successes = op.success_responses();
        let (Some(response), None) = (successes.next(), successes.next()) else { return None };
        let returned = match success {
            Success::Plain(ResponseBody::Json(ty)) => ty,
            Success::Envelope(Envelope { opened: Opened::Data { ty, .. }, .. }) => ty,
            Success::Envelope(Envelope { body, opened: Opened::Whole(_) }) => body,
            _ => return None,
        };
        let link_header = response.headers.iter().any(|h| h.eq_ignore_ascii_case("link"));
        let returned = unaliased(api, returned);
        let body = match returned {
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Struct(s) => Some(s),
                _ => None,
            },
            _ => None,
        };
        let items = match (returned, body) {
            (TypeRef::List(item), _) => Some((ItemsAt::Body, (**item).clone())),
            (_, Some(body)) => {
                // The one required list; else the one list, absent or null
                // on an empty page.
                let only = |fields: Vec<&'a Field>| match fields.as_slice() {
                    [field] => Some(*field),
                    _ => None,
                };
                let required = only(body.fields.iter().filter(|f| is_items(api, f)).collect());
                let any = || only(body.fields.iter().filter(|f| is_list(api, f)).collect());
                required.or_else(any).and_then(|field| match unaliased(api, &field.ty) {
                    TypeRef::List(item) => {
                        let wrapper = field.repr.wrapper;
                        Some((ItemsAt::Field { name: field.rust_name.clone(), wrapper }, (**item).clone()))
                    }
                    _ => None,
                })
            }
            _ => None,
        };
        let has_lists = items.is_some() || body.is_some_and(|b| b.fields.iter().any(|f| is_list(api, f)));
        Some(Self { body, items, has_lists, link_header })
    }

    /// A field of the body (or of one of its required struct fields) whose
    /// name is one of `names` and that `fits`.
    fn field(&self, api: &Api, names: &[&str], fits: impl Fn(&Field) -> bool) -> Option<FieldPath> {
        let body = self.body?;
        let own = body.fields.iter().map(|f| (None, f));
        let nested =
            body.fields.iter().filter(|f| f.repr.wrapper == Wrapper::Plain && !f.repr.boxed).flat_map(|outer| {
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
            let wanted = !f.repr.boxed && names.contains(&normalized(&f.wire_name).as_str()) && fits(f);
            wanted.then(|| FieldPath {
                fields: outer.iter().chain([&f]).map(|f| f.rust_name.clone()).collect(),
                wire: outer.iter().chain([&f]).map(|f| f.wire_name.as_str()).collect::<Vec<_>>().join("."),
                wrapper: f.repr.wrapper,
            })
        })
    }
}

/// Names compare on their letters and digits, without case.
fn normalized(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).collect()
}

fn by_shape(api: &Api, op: &Operation, list: &List) -> Option<Pagination> {
    let (items, item) = list.items.clone()?;
    let named = |names: &'static [&'static str]| move |wire: &str| names.contains(&normalized(wire).as_str());
    // Through aliases: a field or parameter whose schema is a `$ref` to
    // `{type: integer}` is an integer.
    let is_string = |f: &Field| *unaliased(api, &f.ty) == TypeRef::String;
    let is_integer = |f: &Field| matches!(unaliased(api, &f.ty), TypeRef::Integer(_));
    let is_boolean = |f: &Field| *unaliased(api, &f.ty) == TypeRef::Boolean;
    // A page "number" that is text is a token the server hands out.
    let cursor_named = |wire: &str| named(CURSOR_NAMES)(wire) || named(PAGE_NAMES)(wire);
    let cursor = op.params.iter().find(|p| cursor_param(api, p, cursor_named)).and_then(|cursor| {
        let from = match list.field(api, NEXT_CURSOR_NAMES, is_string) {
            Some(path) => CursorFrom::Field(path),
            None => {
                let takes_an_id = AFTER_ITEM_NAMES.contains(&normalized(&cursor.wire_name).as_str());
                let has_more = list.field(api, HAS_MORE_NAMES, is_boolean)?;
                let id = takes_an_id.then(|| item_id(api, &item)).flatten()?;
                CursorFrom::LastItemId { id, has_more }
            }
        };
        Some(PageStyle::Cursor { param: param_id(op, cursor), from })
    });
    // A URL string the body gives for the next page.
    let next_link = list.field(api, NEXT_LINK_NAMES, |f| is_string(f) && f.repr.wrapper != Wrapper::Plain);
    // A cursor parameter that nothing feeds leaves the other styles.
    let style = if let Some(cursor) = cursor {
        cursor
    } else if let Some(path) = next_link {
        // The API's own way forward (`next_page_uri`, `next`) wins over
        // counting pages or offsets, which guesses where pages start.
        PageStyle::NextLink(LinkFrom::Field(path))
    } else if let Some((param, counter, first)) =
        op.params.iter().find_map(|p| counter_param(api, op, p, named(PAGE_NAMES)))
    {
        let (first, start) = first.unwrap_or((1, PageStart::Assumed));
        let next_page = list.field(api, NEXT_PAGE_NAMES, |f| f.repr.wrapper != Wrapper::Plain);
        let has_more = || list.field(api, HAS_MORE_NAMES, is_boolean);
        match (next_page, list.link_header) {
            (Some(path), _) => PageStyle::PageNumber { param, counter, end: PageEnd::NextPresent(path), first, start },
            (None, _) if has_more().is_some() => {
                PageStyle::PageNumber { param, counter, end: PageEnd::HasMore(has_more()?), first, start }
            }
            (None, true) => PageStyle::NextLink(LinkFrom::LinkHeader),
            (None, false) => {
                PageStyle::PageNumber { param, counter, end: counted_end(api, list, is_integer), first, start }
            }
        }
    } else if let Some((param, counter, first)) =
        op.params.iter().find_map(|p| counter_param(api, op, p, named(OFFSET_NAMES)))
    {
        let end = match list.field(api, HAS_MORE_NAMES, is_boolean) {
            Some(path) => PageEnd::HasMore(path),
            None => counted_end(api, list, is_integer),
        };
        PageStyle::Offset { param, counter, end, first: first.map_or(0, |(first, _)| first) }
    } else if list.link_header {
        PageStyle::NextLink(LinkFrom::LinkHeader)
    } else {
        return None;
    };
    Some(Pagination { style, items, item })
}

/// A total the body states, else an empty page.
fn counted_end(api: &Api, list: &List, is_integer: impl Fn(&Field) -> bool) -> PageEnd {
    list.field(api, TOTAL_NAMES, is_integer).map_or(PageEnd::EmptyPage, PageEnd::Total)
}

/// It asks for a page, an offset or a cursor, or documents a `Link` header.
fn looks_paginated(op: &Operation) -> bool {
    let names: Vec<&str> = PAGE_NAMES.iter().chain(OFFSET_NAMES).chain(CURSOR_NAMES).copied().collect();
    let success_links = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .any(|r| r.headers.iter().any(|h| h.eq_ignore_ascii_case("link")));
    success_links
        || op
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Query && names.contains(&normalized(&p.wire_name).as_str()))
}

fn explicit(
    api: &Api,
    op: &Operation,
    list: &List,
    param: Option<&(HintParam, String)>,
    items: Option<&str>,
    end: &EndHint,
) -> Option<Pagination> {
    let (items, item) = match (items, &list.items) {
        (None, Some((ItemsAt::Body, item))) => (ItemsAt::Body, item.clone()),
        (Some(wire), _) => {
            // Optional or nullable too: absent or null on an empty page.
            let field = list.body?.fields.iter().find(|f| f.wire_name == wire && is_list(api, f))?;
            let TypeRef::List(item) = unaliased(api, &field.ty) else { return None };
            (ItemsAt::Field { name: field.rust_name.clone(), wrapper: field.repr.wrapper }, (**item).clone())
        }
        (None, _) => return None,
    };
    let path = |wire: &[String]| list.body.and_then(|body| field_path(api, body, wire));
    let page_end = |end: &EndHint| -> Option<PageEnd> {
        Some(match end {
            EndHint::Next(wire) => {
                let (path, _) = path(wire)?;
                // A field that is always present cannot say "no next page".
                (path.wrapper != Wrapper::Plain).then_some(PageEnd::NextPresent(path))?
            }
            EndHint::HasMore(wire) => {
                let (path, ty) = path(wire)?;
                (ty == TypeRef::Boolean).then_some(PageEnd::HasMore(path))?
            }
            EndHint::Total(wire) => {
                let (path, ty) = path(wire)?;
                matches!(ty, TypeRef::Integer(_)).then_some(PageEnd::Total(path))?
            }
            EndHint::EmptyPage => PageEnd::EmptyPage,
            EndHint::NextLink(_) | EndHint::LinkHeader => return None,
        })
    };
    let wire_param = |wire: &str| op.params.iter().find(|p| p.wire_name == wire);
    let style = match (param, end) {
        (None, EndHint::LinkHeader) => PageStyle::NextLink(LinkFrom::LinkHeader),
        (None, EndHint::NextLink(wire)) => {
            let (path, ty) = path(wire)?;
            (ty == TypeRef::String).then_some(PageStyle::NextLink(LinkFrom::Field(path)))?
        }
        (Some((HintParam::Page, wire)), end) => {
            let (param, counter, first) = counter_param(api, op, wire_param(wire)?, |_| true)?;
            let (first, start) = first.unwrap_or((1, PageStart::Assumed));
            PageStyle::PageNumber { param, counter, end: page_end(end)?, first, start }
        }
        (Some((HintParam::Offset, wire)), end) => {
            let (param, counter, first) = counter_param(api, op, wire_param(wire)?, |_| true)?;
            PageStyle::Offset { param, counter, end: page_end(end)?, first: first.map_or(0, |(first, _)| first) }
        }
        (Some((HintParam::Cursor, wire)), EndHint::Next(next)) => {
            let cursor = wire_param(wire).filter(|p| cursor_param(api, p, |_| true))?;
            let (path, ty) = path(next)?;
            (ty == TypeRef::String)
                .then(|| PageStyle::Cursor { param: param_id(op, cursor), from: CursorFrom::Field(path) })?
        }
        _ => return None,
    };
    Some(Pagination { style, items, item })
}

/// An optional integer (or number) query parameter whose wire name
/// `matches`: its Rust name, type, and the first value it declares (see
/// `declared_first`).
fn counter_param(
    api: &Api,
    op: &Operation,
    p: &Param,
    matches: impl Fn(&str) -> bool,
) -> Option<(ParamId, Counter, Option<First>)> {
    let counter = match *unaliased(api, &p.ty) {
        TypeRef::Integer(width) => Counter::Int(width),
        TypeRef::Number(width) => Counter::Float(width),
        _ => return None,
    };
    (p.location == ParamLocation::Query && !p.required && matches(&p.wire_name))
        .then(|| (param_id(op, p), counter, declared_first(p)))
}

/// The link to one of `op`'s own parameters.
fn param_id(op: &Operation, p: &Param) -> ParamId {
    let index = op.params.iter().position(|q| std::ptr::eq(q, p));
    ParamId(index.expect("generator bug: a paging parameter that is not the operation's"))
}

/// A first page or offset a parameter declares, and how.
type First = (i64, PageStart);

/// Where a page number or offset starts, as its parameter says: its
/// `default` (what the server assumes when none is sent), else its
/// `minimum` (the lowest it takes, raised by one when exclusive).
fn declared_first(p: &Param) -> Option<First> {
    let whole = |value: f64| (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64);
    let constraints = &p.constraints;
    let default = constraints.default.as_deref().and_then(|text| text.trim().parse::<f64>().ok()).and_then(whole);
    let minimum = constraints.minimum.and_then(|min| {
        let lowest = if constraints.exclusive_minimum { min.floor() + 1.0 } else { min.ceil() };
        whole(lowest)
    });
    let from_minimum = |first: i64| (first, if first == 0 { PageStart::MinimumZero } else { PageStart::Declared });
    default.map(|first| (first, PageStart::Declared)).or(minimum.map(from_minimum))
}

/// An optional string query parameter whose wire name `matches`.
fn cursor_param(api: &Api, p: &Param, matches: impl Fn(&str) -> bool) -> bool {
    *unaliased(api, &p.ty) == TypeRef::String
        && p.location == ParamLocation::Query
        && !p.required
        && matches(&p.wire_name)
}

/// The Rust name of an item's required string `id`.
fn item_id(api: &Api, item: &TypeRef) -> Option<String> {
    let TypeRef::Named(id) = unaliased(api, item) else { return None };
    let TypeKind::Struct(s) = &api.ty(*id).kind else { return None };
    let field = s.fields.iter().find(|f| f.wire_name == "id" && *unaliased(api, &f.ty) == TypeRef::String)?;
    (field.repr.wrapper == Wrapper::Plain).then(|| field.rust_name.clone())
}

/// A required, unboxed list field.
fn is_items(api: &Api, f: &Field) -> bool {
    is_list(api, f) && f.repr.wrapper == Wrapper::Plain
}

/// An unboxed list field (through aliases).
fn is_list(api: &Api, f: &Field) -> bool {
    matches!(unaliased(api, &f.ty), TypeRef::List(_)) && !f.repr.boxed
}

/// A type through the aliases that name it.
fn unaliased<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..32 {
        match ty {
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
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
    Some((FieldPath { fields, wire: wire_path.join("."), wrapper: f.repr.wrapper }, unaliased(api, &f.ty).clone()))
}

#[cfg(test)]
mod tests {
    use super::normalized;
    use crate::ir::{CursorFrom, LinkFrom, PageEnd, PageStyle};

    /// The style of the one operation of a document whose `GET /a` takes
    /// `params` (YAML flow lists), answers `body` and carries `extension`.
    fn style_of(params: &str, body: &str, extension: &str) -> Option<PageStyle> {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: listA\n{extension}      parameters: [{params}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {body}\n"
        );
        let api = crate::lower_document(&text, "paging.yaml").unwrap_or_else(|d| panic!("{d}"));
        api.operations[0].pagination.clone().map(|p| p.style)
    }

    const LIST: &str = "{type: object, required: [data, links], properties: {data: {type: array, items: {type: string}}, next_cursor: {type: string}, links: {type: object, required: [next], properties: {next: {type: string, nullable: true}}}, total: {type: integer}}}";

    #[test]
    fn explicit_forms_name_every_style() {
        let cursor = "{name: after, in: query, schema: {type: string}}";
        let skip = "{name: from, in: query, schema: {type: integer}}";
        let found = style_of(cursor, LIST, "      x-pagination: {cursor: after, items: data, next: next_cursor}\n");
        assert!(matches!(found, Some(PageStyle::Cursor { from: CursorFrom::Field(_), .. })), "{found:?}");
        let found = style_of(skip, LIST, "      x-pagination: {offset: from, items: data, total: total}\n");
        assert!(matches!(found, Some(PageStyle::Offset { end: PageEnd::Total(_), .. })), "{found:?}");
        let found = style_of("", LIST, "      x-pagination: {next-link: Link, items: data}\n");
        assert_eq!(found, Some(PageStyle::NextLink(LinkFrom::LinkHeader)));
        let found = style_of("", LIST, "      x-pagination: {next-link: links.next, items: data}\n");
        assert!(matches!(found, Some(PageStyle::NextLink(LinkFrom::Field(_)))), "{found:?}");
        // By shape, the same cursor parameter finds its field.
        let found = style_of(cursor, LIST, "");
        assert!(matches!(found, Some(PageStyle::Cursor { from: CursorFrom::Field(_), .. })), "{found:?}");
    }

    #[test]
    fn a_list_that_fits_no_style_is_counted() {
        let text = include_str!("../../../tests/fixtures/constructs/pagination.yaml");
        let api = crate::lower_document(text, "pagination.yaml").unwrap_or_else(|d| panic!("{d}"));
        // `listTwo` has two list fields; `listOff` opted out and is not counted.
        assert_eq!(api.crate_shape.unpaged_lists, ["#/paths/~1two-lists/get"]);
        let paginated: Vec<&str> =
            api.operations.iter().filter(|op| op.pagination.is_some()).map(|op| op.rust_name.as_str()).collect();
        assert_eq!(paginated, ["list_always_next", "list_cursors", "list_custom", "list_flags"]);
    }

    #[test]
    fn names_compare_on_letters_and_digits() {
        assert_eq!(normalized("page_Number"), "pagenumber");
        assert_eq!(normalized("has-more"), "hasmore");
        assert_eq!(normalized("@odata.nextLink"), "odatanextlink");
        assert_eq!(normalized("$skip"), "skip");
    }
}
