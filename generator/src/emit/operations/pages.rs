//! `pages()` and `items()` of a paginated list's request builder.

use super::*;

/// `pages()` and `items()` for a paginated list: how to ask for the next
/// page, and where a page's items and the next page's token are.
pub(super) fn pages_fns(
    api: &Api,
    op: &Operation,
    operation: &str,
    request: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
    success_ty: &TokenStream,
    p: &Pagination,
) -> TokenStream {
    let root = root(api);
    let Pagination { style, items, item } = p;
    let item = rust_type(api, item, TypePath::Module);
    let items_ref = match items {
        ItemsAt::Field { name, wrapper } => {
            let field = format_ident!("{}", name);
            match wrapper {
                Wrapper::Plain => quote! { body.#field },
                Wrapper::Option => quote! { body.#field.as_deref().unwrap_or_default() },
                Wrapper::Nullable => quote! { body.#field.as_option().map(Vec::as_slice).unwrap_or_default() },
            }
        }
        ItemsAt::Body => quote! { body },
    };
    let take = match items {
        ItemsAt::Field { name, wrapper } => {
            let field = format_ident!("{}", name);
            match wrapper {
                Wrapper::Plain => quote! { |page| page.into_body().#field },
                Wrapper::Option => quote! { |page| page.into_body().#field.unwrap_or_default() },
                Wrapper::Nullable => quote! { |page| page.into_body().#field.into_option().unwrap_or_default() },
            }
        }
        ItemsAt::Body => quote! { |page| page.into_body() },
    };
    let next_number = |by: TokenStream| quote! { Some(#root::runtime::Next::Number(current.saturating_add(#by))) };
    // A counter's value as the parameter takes it (`first` as a literal of
    // its type), and the current one as an `i64` again.
    let literal = |counter: Counter, value: i64| match counter {
        Counter::Int(_) => Literal::i64_unsuffixed(value),
        Counter::Float(FloatWidth::F64) => Literal::f64_unsuffixed(value as f64),
        Counter::Float(FloatWidth::F32) => Literal::f32_unsuffixed(value as f32),
    };
    let numbered = |param: &Param, counter: Counter, first: i64| {
        let param = format_ident!("{}", param.rust_name);
        let set = match counter {
            Counter::Int(IntWidth::I64) => quote! { request.#param(next.number(#operation)?) },
            Counter::Int(width) => {
                let ty = format_ident!("{}", width.rust_name());
                quote! { request.#param(#root::runtime::page_number::<#ty>(#operation, next.number(#operation)?)?) }
            }
            // A counter declared as a number: whole numbers, sent as such.
            Counter::Float(FloatWidth::F64) => quote! { request.#param(next.number(#operation)? as f64) },
            Counter::Float(FloatWidth::F32) => quote! { request.#param(next.number(#operation)? as f32) },
        };
        let first = Literal::i64_unsuffixed(first);
        let current = match counter {
            Counter::Int(IntWidth::U64) => quote! { |value: u64| i64::try_from(value).unwrap_or(i64::MAX) },
            Counter::Int(_) => quote! { i64::from },
            Counter::Float(_) => quote! { |value| value as i64 },
        };
        let before = quote! { let current = request.#param.map_or(#first, #current); };
        (set, before)
    };
    let mut first = quote! { request };
    let (advance, before, next, total, doc) = match style {
        PageStyle::PageNumber { param, counter, end, first: start, .. }
        | PageStyle::Offset { param, counter, end, first: start } => {
            let offset = matches!(style, PageStyle::Offset { .. });
            let param = op.param(*param);
            let (set, before) = numbered(param, *counter, *start);
            if !offset {
                // The first page is asked for by its number too (the one
                // decided from the parameter, unless set).
                let param = format_ident!("{}", param.rust_name);
                let start = literal(*counter, *start);
                first = quote! { { let first = request.#param.unwrap_or(#start); request.#param(first) } };
            }
            let step = if offset {
                quote! { items as i64 }
            } else {
                quote! { 1 }
            };
            let (more, total, ends) = match end {
                PageEnd::NextPresent(path) => (present(path), None, format!("`{}` is null", path.wire)),
                PageEnd::HasMore(path) => (flag(path), None, format!("`{}` is false", path.wire)),
                PageEnd::Total(path) => (
                    quote! { items > 0 },
                    Some(count(path)),
                    format!("`{}` items have come, or a page is empty", path.wire),
                ),
                PageEnd::EmptyPage => (quote! { items > 0 }, None, "a page is empty".to_string()),
            };
            let next_page = next_number(step);
            let wire = &param.wire_name;
            let doc = if offset {
                format!("Pages are asked for by the `{wire}` offset (the items skipped), from the one set here (or {start}), until {ends}.")
            } else {
                format!("Pages are asked for by the `{wire}` page number, from the one set here (or {start}), until {ends}.")
            };
            (set, before, quote! { if #more { #next_page } else { None } }, total, doc)
        }
        PageStyle::Cursor { param, from } => {
            let param = op.param(*param);
            let wire = &param.wire_name;
            let param = format_ident!("{}", param.rust_name);
            let set = quote! { request.#param(next.cursor(#operation)?) };
            let (next, doc) = match from {
                CursorFrom::Field(path) => {
                    let value = text(path);
                    (
                        quote! { #value.filter(|cursor| !cursor.is_empty()).map(|cursor| #root::runtime::Next::Cursor(cursor.to_string())) },
                        format!("Pages are asked for by the `{wire}` cursor, each from the last page's `{}`, until it is empty.", path.wire),
                    )
                }
                CursorFrom::LastItemId { id, has_more } => {
                    let more = flag(has_more);
                    let id = format_ident!("{}", id);
                    (
                        quote! {
                            if #more { #items_ref.last().map(|item| #root::runtime::Next::Cursor(item.#id.clone())) } else { None }
                        },
                        format!("Pages are asked for by the `{wire}` cursor, each from the last item's `id`, while `{}` is true.", has_more.wire),
                    )
                }
            };
            (set, TokenStream::new(), next, None, doc)
        }
        PageStyle::NextLink(from) => {
            let set = quote! {
                {
                    let mut request = request;
                    request.options.set_next_url(next.url(#operation)?);
                    request
                }
            };
            let (next, doc) = match from {
                LinkFrom::Field(path) => {
                    let value = text(path);
                    (
                        quote! { #root::runtime::url_next(&response, #value) },
                        format!("Each next page is the URL in the last page's `{}`, followed on the client's origin only, until there is none.", path.wire),
                    )
                }
                LinkFrom::LinkHeader => (
                    quote! { #root::runtime::link_next(&response) },
                    "Each next page is the `rel=\"next\"` URL of the last page's `Link` header, followed on the client's origin only, until there is none.".to_string(),
                ),
            };
            (set, TokenStream::new(), next, None, doc)
        }
    };
    let (total_let, total) = match total {
        Some(total) => (quote! { let total = #total; }, quote! { .with_total(total) }),
        None => (TokenStream::new(), TokenStream::new()),
    };
    // Numbered from a `minimum` that may be one below the server's first
    // page: a second page that repeats the first is skipped.
    let ambiguous = matches!(style, PageStyle::PageNumber { start: PageStart::MinimumZero, .. })
        .then(|| quote! { .with_ambiguous_start() });
    let pages_doc = format!(" {doc} The stream stops with an error if the server repeats a page, a cursor or a link.");
    let items_doc = format!(" Every item on every page, as a stream (see [`{request}::pages`]).");
    quote! {
        impl #request {
            #[doc = " Every page of the list, as a stream of whole responses (for totals"]
            #[doc = " and headers), fetched one at a time as it is polled."]
            #[doc = #pages_doc]
            pub fn pages(self) -> #root::Pages<#root::ApiResponse<#success_ty>, #error> {
                #root::runtime::Pages::new(#operation, move |next| {
                    let request = self.clone();
                    Box::pin(async move {
                        let request = match next {
                            None => #first,
                            Some(next) => #advance,
                        };
                        #before
                        let response = request.send().await?;
                        let body = response.body();
                        let items = #items_ref.len();
                        let next = #next;
                        #total_let
                        Ok(#root::runtime::Fetched::of(response, items, next) #total)
                    })
                })
                #ambiguous
            }

            #[doc = #items_doc]
            pub fn items(self) -> #root::Items<#item, #error> {
                #root::runtime::Items::new(self.pages(), #take)
            }
        }
    }
}

/// `body.a.b`, the field a path reaches.
fn access(path: &FieldPath) -> TokenStream {
    let fields = path.fields.iter().map(|f| format_ident!("{}", f));
    quote! { body #(.#fields)* }
}

/// Whether the field holds a value.
fn present(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Nullable => quote! { #value.as_option().is_some() },
        Wrapper::Option | Wrapper::Plain => quote! { #value.is_some() },
    }
}

/// A boolean field, false when absent.
fn flag(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Plain => value,
        Wrapper::Option => quote! { #value.unwrap_or(false) },
        Wrapper::Nullable => quote! { #value.as_option().copied().unwrap_or(false) },
    }
}

/// An integer field, as an `Option` of it.
fn count(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Plain => quote! { Some(#value) },
        Wrapper::Option => value,
        Wrapper::Nullable => quote! { #value.as_option().copied() },
    }
}

/// A string field, as `Option<&str>`.
fn text(path: &FieldPath) -> TokenStream {
    let value = access(path);
    match path.wrapper {
        Wrapper::Plain => quote! { Some(#value.as_str()) },
        Wrapper::Option => quote! { #value.as_deref() },
        Wrapper::Nullable => quote! { #value.as_option().map(String::as_str) },
    }
}
