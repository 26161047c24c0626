//! The `x-` extensions this generator reads: `x-client-default-headers` and
//! `x-client-rate-limits` at the root, `x-pagination` and `x-idempotent`
//! on an operation.

use super::Lowerer;
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{EndHint, HintParam, PaginationHint, RateLimit};
use serde_json::Value;

impl Lowerer<'_> {
    /// `x-client-default-headers: {Name: value}` at the root: headers the
    /// API wants on every request that are not parameters (Statsig's
    /// `STATSIG-API-VERSION`).
    pub(super) fn default_headers(&mut self) -> Vec<(String, String)> {
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
                _ => {
                    self.diags.error(
                        &at.join(name),
                        "a default header needs a valid header name and a printable string value",
                    );
                }
            }
        }
        headers.sort();
        headers
    }

    /// `x-client-rate-limits: [{requests: 100, seconds: 10}, …]` at the root:
    /// limits the server documents, offered as a ready-made client limiter.
    pub(super) fn rate_limits(&mut self) -> Vec<RateLimit> {
        const KEY: &str = "x-client-rate-limits";
        let Some(value) = self.loaded.doc.extensions.get(KEY) else { return Vec::new() };
        let at = Pointer::root().join(KEY);
        let Some(list) = value.as_array() else {
            self.diags.error(&at, "must be a list of {requests, seconds} objects");
            return Vec::new();
        };
        let mut limits = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let number = |key: &str| entry.get(key).and_then(Value::as_u64).filter(|&n| n > 0);
            let requests = number("requests").and_then(|n| u32::try_from(n).ok());
            match (requests, number("seconds"), entry.as_object().map(|o| o.len())) {
                (Some(requests), Some(seconds), Some(2)) => limits.push(RateLimit { requests, seconds }),
                _ => {
                    self.diags.error(
                        &at.join(i),
                        "a rate limit needs exactly `requests` and `seconds`, both positive integers",
                    );
                }
            }
        }
        limits
    }
}

/// `x-pagination` on an operation: `false` turns page walking off; an
/// object names the parts by wire name:
///
/// ```yaml
/// x-pagination:
///   page: page                  # or `offset: skip`, or `cursor: after`: the query parameter
///   items: data                 # the list field of the success body (left out: the body is the list)
///   next: pagination.nextPage   # page: null or absent on the last page; cursor: the next cursor
///   # or `has-more: hasMore` (false on the last page), `total: total_count`,
///   # `next-link: links.next` (a body field with the next URL), `next-link: Link` (the header)
/// ```
pub(super) fn pagination_hint(
    extensions: &indexmap::IndexMap<String, Value>,
    op_at: &Pointer,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Result<Option<PaginationHint>, Reported> {
    const KEY: &str = "x-pagination";
    const KEYS: [&str; 8] = ["page", "offset", "cursor", "items", "next", "has-more", "total", "next-link"];
    let Some(value) = extensions.get(KEY) else { return Ok(None) };
    let at = op_at.join(KEY);
    let malformed = |diags: &mut crate::diagnostics::Diagnostics| {
        diags.error(
            &at,
            "`x-pagination` must be `false` or an object of wire names: at most one of `page`, `offset` or `cursor`; `items`; and at most one of `next`, `has-more`, `total` or `next-link` (dotted paths; `next-link: Link` for the header)",
        )
    };
    if value == &Value::Bool(false) {
        return Ok(Some(PaginationHint::Off));
    }
    let Some(object) = value.as_object() else { return Err(malformed(diags)) };
    if object.keys().any(|k| !KEYS.contains(&k.as_str())) || object.values().any(|v| !v.is_string()) {
        return Err(malformed(diags));
    }
    let text = |key: &str| object.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let path = |dotted: &str| dotted.split('.').map(str::to_string).collect::<Vec<_>>();
    let params: Vec<(HintParam, &str)> =
        [("page", HintParam::Page), ("offset", HintParam::Offset), ("cursor", HintParam::Cursor)]
            .into_iter()
            .filter_map(|(key, role)| text(key).map(|name| (role, name)))
            .collect();
    let ends: Vec<EndHint> = [
        text("next").map(|p| EndHint::Next(path(p))),
        text("has-more").map(|p| EndHint::HasMore(path(p))),
        text("total").map(|p| EndHint::Total(path(p))),
        text("next-link").map(|p| {
            if p.eq_ignore_ascii_case("link") {
                EndHint::LinkHeader
            } else {
                EndHint::NextLink(path(p))
            }
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (param, end) = match (params.as_slice(), ends.as_slice()) {
        ([], [end @ (EndHint::NextLink(_) | EndHint::LinkHeader)]) => (None, end.clone()),
        ([(role, name)], [end]) => (Some((*role, name.to_string())), end.clone()),
        ([(role @ (HintParam::Page | HintParam::Offset), name)], []) => {
            (Some((*role, name.to_string())), EndHint::EmptyPage)
        }
        _ => return Err(malformed(diags)),
    };
    Ok(Some(PaginationHint::Explicit { param, items: text("items").map(str::to_string), end, at: at.to_string() }))
}

/// `x-idempotent: true|false` on an operation: whether sending it twice has
/// the effect of sending it once, where its method would say otherwise (a
/// PUT that starts something, a POST that only reads).
pub(super) fn idempotent_hint(
    extensions: &indexmap::IndexMap<String, Value>,
    op_at: &Pointer,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Result<Option<bool>, Reported> {
    const KEY: &str = "x-idempotent";
    match extensions.get(KEY) {
        None => Ok(None),
        Some(Value::Bool(idempotent)) => Ok(Some(*idempotent)),
        Some(_) => Err(diags.error(&op_at.join(KEY), "`x-idempotent` must be `true` or `false`")),
    }
}

/// `x-envelope: true|false` on an operation, else at the document's root:
/// `false` keeps a `{message, data}` success body whole instead of opening
/// it.
pub(super) fn envelope_hint(
    op_extensions: &indexmap::IndexMap<String, Value>,
    root_extensions: &indexmap::IndexMap<String, Value>,
    op_at: &Pointer,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Result<Option<bool>, Reported> {
    let Some((value, at)) = op_or_root(op_extensions, root_extensions, "x-envelope", op_at) else { return Ok(None) };
    match value {
        Value::Bool(open) => Ok(Some(*open)),
        _ => Err(diags.error(&at, "`x-envelope` must be `true` or `false`")),
    }
}

/// `x-idempotency-key: Header-Name` on an operation, else at the
/// document's root: the header in which the API takes an idempotency key.
pub(super) fn idempotency_key_hint(
    op_extensions: &indexmap::IndexMap<String, Value>,
    root_extensions: &indexmap::IndexMap<String, Value>,
    op_at: &Pointer,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Result<Option<String>, Reported> {
    let Some((value, at)) = op_or_root(op_extensions, root_extensions, "x-idempotency-key", op_at) else {
        return Ok(None);
    };
    let valid_name =
        |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
    match value {
        Value::String(name) if valid_name(name) => Ok(Some(name.clone())),
        _ => Err(diags.error(&at, "`x-idempotency-key` must name a header (`Idempotency-Key`)")),
    }
}

/// An extension on the operation, else at the document's root, and where
/// it was found.
fn op_or_root<'v>(
    op_extensions: &'v indexmap::IndexMap<String, Value>,
    root_extensions: &'v indexmap::IndexMap<String, Value>,
    key: &str,
    op_at: &Pointer,
) -> Option<(&'v Value, Pointer)> {
    match (op_extensions.get(key), root_extensions.get(key)) {
        (Some(value), _) => Some((value, op_at.join(key))),
        (None, Some(value)) => Some((value, Pointer::root().join(key))),
        (None, None) => None,
    }
}
