//! The paging simulator program: every paginated list is walked with
//! `items()` against a loopback server that holds a few items and pages
//! them the way the list's decided style says (pages counted from the
//! decided first one, offsets, cursors and last-item ids, next links in the
//! body or a `Link` header), answering from the query each request carries,
//! as a real API does, not from a script of the requests expected. Each
//! item (told apart by a string field where it has one) must come back
//! exactly once, in order.

use super::super::render::{self, RenderError};
use super::super::shared::samples::{Call, Sampler};
use crate::ir::{
    Api, CursorFrom, Envelope, FieldPath, ItemsAt, LinkFrom, Opened, Operation, PageEnd, PageStyle, Pagination,
    ResponseBody, Success, TypeKind, TypeRef, Wrapper,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Items each simulated list holds, and a page's size.
const ITEMS: usize = 5;
const PAGE_SIZE: usize = 2;

/// The program, or `None` when no list pages. It needs the crate's
/// `full-serde` feature (to serialize its samples), `wiremock`,
/// `futures-util` and `tokio` (with `macros` and `rt-multi-thread`).
pub fn paging_program(api: &Api, crate_name: &str) -> Result<Option<String>, RenderError> {
    let krate = crate_name.replace('-', "_");
    let k = format_ident!("{}", krate);
    let sampler = Sampler::new(api, &k, false, false);
    let start = super::loopback_client(api, &k);
    let mut skipped = Vec::new();
    let calls: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref().map(|p| (op, p)))
        .filter_map(|(op, p)| match plan(api, op, p) {
            Some(plan) => Some(call(&sampler, op, p, plan)),
            None => {
                skipped.push(op.rust_name.clone());
                None
            }
        })
        .collect();
    if calls.is_empty() {
        return Ok(None);
    }
    let skipped = skipped.len();
    let items = ITEMS;
    let size = PAGE_SIZE;
    let import = sampler.named_types().then(|| quote! { use #k::types; });
    let program = vec![
        quote! { #![doc = " Walks every paginated list against a loopback server that pages a few items as the list declares; prints `<operation> <items>`."] },
        quote! { #import },
        quote! { use futures_util::StreamExt; },
        quote! { use serde_json::Value; },
        quote! {
            /// How the simulated server pages.
            #[allow(dead_code)]
            enum Style {
                /// A page number from `first`.
                Page { param: &'static str, first: i64 },
                /// An offset from `first`.
                Offset { param: &'static str, first: i64 },
                /// An opaque cursor the body hands out (`""` on the last page).
                Cursor { param: &'static str, next: &'static [&'static str] },
                /// The last item's id, while a boolean says more follow.
                AfterId { param: &'static str },
                /// A next URL in the body (null on the last page).
                LinkField { next: &'static [&'static str] },
                /// A next URL in a `Link` header.
                LinkHeader,
            }
        },
        quote! {
            /// How the last page shows, besides the style's own token.
            #[allow(dead_code)]
            enum End {
                /// A field holds the next page's number (null on the last).
                Next(&'static [&'static str]),
                HasMore(&'static [&'static str]),
                Total(&'static [&'static str]),
                EmptyPage,
            }
        },
        quote! {
            /// One list, as the simulator serves it.
            struct Plan {
                path: &'static str,
                /// The query the path template itself carries
                /// (`/v1/models?beta=true`): matched, and kept on next links.
                literal_query: &'static [(&'static str, &'static str)],
                style: Style,
                end: End,
                /// Wire path of the items in the body (empty: the body).
                items: &'static [&'static str],
                /// A string field of each item set to its number, to tell
                /// the items apart.
                id: Option<&'static str>,
                page: Value,
                item: Value,
            }
        },
        quote! {
            struct Simulator(std::sync::Arc<Plan>);

            impl wiremock::Respond for Simulator {
                fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
                    let plan = &self.0;
                    let query: std::collections::HashMap<String, String> = request.url.query_pairs().into_owned().collect();
                    let number = |name: &str, default: i64| query.get(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(default);
                    let from = match &plan.style {
                        Style::Page { param, first } => (number(param, *first) - first).max(0) as usize * #size,
                        Style::Offset { param, first } => (number(param, *first) - first).max(0) as usize,
                        Style::Cursor { param, .. } => query.get(*param).and_then(|c| c.strip_prefix("c-")).and_then(|n| n.parse().ok()).unwrap_or(0),
                        Style::AfterId { param } => query.get(*param).and_then(|id| id.strip_prefix("item-")).and_then(|n| n.parse::<usize>().ok()).map_or(0, |n| n + 1),
                        Style::LinkField { .. } | Style::LinkHeader => number("sim_from", 0) as usize,
                    };
                    let to = (from + #size).min(#items);
                    let more = to < #items;
                    let page_items: Vec<Value> = (from.min(#items)..to)
                        .map(|i| {
                            // Each item differs from the others, so no two pages
                            // look alike (the client takes a repeated page for a
                            // server that ignores where it asked to start).
                            let mut item = plan.item.clone();
                            match (plan.id, &mut item) {
                                (Some(id), _) => item[id] = Value::String(format!("item-{i}")),
                                (None, Value::Object(members)) => {
                                    members.insert("simulated_item".to_string(), Value::from(i));
                                }
                                (None, Value::String(text)) => *text = format!("item-{i}"),
                                (None, Value::Number(_)) => item = Value::from(i),
                                (None, _) => {}
                            }
                            item
                        })
                        .collect();
                    let mut body = plan.page.clone();
                    set(&mut body, plan.items, Value::Array(page_items));
                    let literal: String = plan.literal_query.iter().map(|(name, value)| format!("{name}={value}&")).collect();
                    let next_url = format!("{}?{literal}sim_from={to}", request.url.path());
                    match &plan.style {
                        Style::Cursor { next, .. } => set(&mut body, next, Value::String(if more { format!("c-{to}") } else { String::new() })),
                        Style::LinkField { next } => set(&mut body, next, if more { Value::String(next_url.clone()) } else { Value::Null }),
                        _ => {}
                    }
                    match &plan.end {
                        End::Next(at) => {
                            let next = match &plan.style {
                                Style::Page { param, first } => number(param, *first) + 1,
                                _ => to as i64,
                            };
                            let value = match get(&plan.page, at) {
                                Some(Value::String(_)) => Value::String(next.to_string()),
                                _ => Value::from(next),
                            };
                            set(&mut body, at, if more { value } else { Value::Null });
                        }
                        End::HasMore(at) => set(&mut body, at, Value::Bool(more)),
                        End::Total(at) => set(&mut body, at, Value::from(#items)),
                        End::EmptyPage => {}
                    }
                    let mut response = wiremock::ResponseTemplate::new(200).set_body_json(body);
                    if matches!(plan.style, Style::LinkHeader) && more {
                        response = response.insert_header("link", format!("<{next_url}>; rel=\"next\"").as_str());
                    }
                    response
                }
            }
        },
        quote! {
            fn get<'a>(value: &'a Value, at: &[&str]) -> Option<&'a Value> {
                at.iter().try_fold(value, |value, key| value.get(key))
            }
        },
        quote! {
            /// Sets the member at `at` (its objects made where missing).
            fn set(value: &mut Value, at: &[&str], to: Value) {
                let Some((last, through)) = at.split_last() else {
                    *value = to;
                    return;
                };
                let mut value = value;
                for key in through {
                    if !value.get(key).is_some_and(Value::is_object) {
                        value[key] = Value::Object(Default::default());
                    }
                    value = &mut value[key];
                }
                value[last] = to;
            }
        },
        quote! {
            /// 0 when the walk yielded every item once, in order; else 1 (and why).
            async fn check<T: serde::Serialize, E: std::fmt::Debug>(
                name: &str,
                plan: &Plan,
                items: impl futures_util::Stream<Item = Result<T, #k::Error<E>>>,
            ) -> usize {
                let mut items = std::pin::pin!(items);
                let mut seen = Vec::new();
                while let Some(item) = items.next().await {
                    match item {
                        Ok(item) => {
                            let item = serde_json::to_value(&item).expect("an item serializes");
                            seen.push(plan.id.and_then(|id| item.get(id)).and_then(Value::as_str).map(str::to_string));
                        }
                        Err(err) => {
                            println!("{name} failed after {} items: {err}", seen.len());
                            return 1;
                        }
                    }
                    if seen.len() > 3 * #items {
                        println!("{name} does not end: {} items", seen.len());
                        return 1;
                    }
                }
                let expected: Vec<Option<String>> = (0..#items).map(|i| plan.id.map(|_| format!("item-{i}"))).collect();
                if seen != expected {
                    println!("{name} yielded {seen:?}, expected {expected:?}");
                    return 1;
                }
                println!("{name} {}", seen.len());
                0
            }
        },
        quote! {
            #[tokio::main]
            #[allow(deprecated)]
            async fn main() {
                #start
                let mut failed = 0;
                let mut walked = 0;
                #(#calls)*
                println!("{walked} lists walked, {} not simulated", #skipped);
                if failed > 0 {
                    eprintln!("{failed} list(s) failed");
                    std::process::exit(1);
                }
            }
        },
    ];
    render::file("", program).map(Some)
}

/// What the simulator needs of one list, where the IR says it.
struct ListPlan {
    style: TokenStream,
    end: TokenStream,
    items: Vec<String>,
    id: Option<String>,
    body_ty: TypeRef,
}

/// The plan for `op`'s list; `None` where its body is not one the program
/// can sample (a success that is not JSON).
fn plan(api: &Api, op: &Operation, p: &Pagination) -> Option<ListPlan> {
    // The body as sent, and the wire path from it to what `items` is
    // relative to (the opened envelope's `data`).
    let (body_ty, prefix, returned) = match &op.success {
        Success::Plain(ResponseBody::Json(ty)) => (ty.clone(), Vec::new(), ty.clone()),
        Success::Envelope(Envelope { body, opened: Opened::Whole(_) }) => (body.clone(), Vec::new(), body.clone()),
        Success::Envelope(Envelope { body, opened: Opened::Data { field, ty, .. } }) => {
            let wire = struct_of(api, body)?.fields.iter().find(|f| f.rust_name == *field)?.wire_name.clone();
            (body.clone(), vec![wire], ty.clone())
        }
        _ => return None,
    };
    let wire = |path: &FieldPath| -> Vec<String> {
        prefix.iter().cloned().chain(path.wire.split('.').map(str::to_string)).collect()
    };
    let items = match &p.items {
        ItemsAt::Body => prefix.clone(),
        ItemsAt::Field { name, .. } => {
            let field = struct_of(api, &returned)?.fields.iter().find(|f| f.rust_name == *name)?;
            prefix.iter().cloned().chain([field.wire_name.clone()]).collect()
        }
    };
    let list = |at: Vec<String>| quote! { &[#(#at),*] };
    let param_wire = |id: &crate::ir::ParamId| op.param(*id).wire_name.clone();
    let end_of = |end: &PageEnd| match end {
        PageEnd::NextPresent(path) => {
            let at = list(wire(path));
            quote! { End::Next(#at) }
        }
        PageEnd::HasMore(path) => {
            let at = list(wire(path));
            quote! { End::HasMore(#at) }
        }
        PageEnd::Total(path) => {
            let at = list(wire(path));
            quote! { End::Total(#at) }
        }
        PageEnd::EmptyPage => quote! { End::EmptyPage },
    };
    let (style, end) = match &p.style {
        PageStyle::PageNumber { param, end, first, .. } => {
            let param = param_wire(param);
            (quote! { Style::Page { param: #param, first: #first } }, end_of(end))
        }
        PageStyle::Offset { param, end, first, .. } => {
            let param = param_wire(param);
            (quote! { Style::Offset { param: #param, first: #first } }, end_of(end))
        }
        PageStyle::Cursor { param, from: CursorFrom::Field(path) } => {
            let param = param_wire(param);
            let next = list(wire(path));
            (quote! { Style::Cursor { param: #param, next: #next } }, quote! { End::EmptyPage })
        }
        PageStyle::Cursor { param, from: CursorFrom::LastItemId { has_more, .. } } => {
            let param = param_wire(param);
            let at = list(wire(has_more));
            (quote! { Style::AfterId { param: #param } }, quote! { End::HasMore(#at) })
        }
        PageStyle::NextLink(LinkFrom::Field(path)) => {
            let next = list(wire(path));
            (quote! { Style::LinkField { next: #next } }, quote! { End::EmptyPage })
        }
        PageStyle::NextLink(LinkFrom::LinkHeader) => (quote! { Style::LinkHeader }, quote! { End::EmptyPage }),
    };
    // The item's `id` (the cursor takes it), else its first required
    // string field, tells the items apart.
    let id = struct_of(api, &p.item).and_then(|item| {
        let strings = || item.fields.iter().filter(|f| f.ty == TypeRef::String && f.repr.wrapper == Wrapper::Plain);
        strings().find(|f| f.wire_name == "id").or_else(|| strings().next()).map(|f| f.wire_name.clone())
    });
    Some(ListPlan { style, end, items, id, body_ty })
}

/// One list's walk.
fn call(sampler: &Sampler, op: &Operation, p: &Pagination, plan: ListPlan) -> TokenStream {
    let ListPlan { style, end, items, id, body_ty } = plan;
    let name = &op.rust_name;
    let page = sampler.sample(&body_ty);
    let item = sampler.sample(&p.item);
    let id = match id {
        Some(id) => quote! { Some(#id) },
        None => quote! { None },
    };
    // A template may carry a query of its own (`/v1/models?beta=true`):
    // the path is matched as a path, that query by its pairs.
    let path = super::path_pattern(&op.path);
    let literal_query = super::literal_query(&op.path);
    let Call { body, request } = sampler.call(quote! { client }, op, &[]);
    quote! {
        {
            let plan = std::sync::Arc::new(Plan {
                path: #path,
                literal_query: #literal_query,
                style: #style,
                end: #end,
                items: &[#(#items),*],
                id: #id,
                page: serde_json::to_value(#page).expect("a sample serializes"),
                item: serde_json::to_value(#item).expect("a sample serializes"),
            });
            server.reset().await;
            let mut mock = wiremock::Mock::given(wiremock::matchers::path_regex(plan.path));
            for (name, value) in plan.literal_query {
                mock = mock.and(wiremock::matchers::query_param(*name, *value));
            }
            mock.respond_with(Simulator(plan.clone())).mount(&server).await;
            #body
            failed += check(#name, &plan, #request.items()).await;
            walked += 1;
        }
    }
}

/// The struct a type is, through aliases.
fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a crate::ir::Struct> {
    let mut ty = ty;
    for _ in 0..16 {
        let TypeRef::Named(id) = ty else { return None };
        match &api.ty(*id).kind {
            TypeKind::Struct(s) => return Some(s),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}
