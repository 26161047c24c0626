//! The `x-` extensions this generator reads: `x-client-default-headers` and
//! `x-client-rate-limits` at the root, `x-pagination` and `x-idempotent`
//! on an operation.

use super::Lowerer;
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{EndHint, PaginationHint, RateLimit};
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
///   page: page                  # the page-number query parameter
///   items: data                 # the list field of the success body
///   next: pagination.nextPage   # null or absent on the last page
///   # or instead of `next`: `has-more: hasMore` (false on the last page)
/// ```
pub(super) fn pagination_hint(
    extensions: &indexmap::IndexMap<String, Value>,
    op_at: &Pointer,
    diags: &mut crate::Diagnostics,
) -> Result<Option<PaginationHint>, Reported> {
    const KEY: &str = "x-pagination";
    let Some(value) = extensions.get(KEY) else { return Ok(None) };
    let at = op_at.join(KEY);
    let malformed = |diags: &mut crate::Diagnostics| {
        diags.error(
            &at,
            "`x-pagination` must be `false` or {page, items, next} (or {page, items, has-more}), each a wire name; `next` and `has-more` may be dotted paths",
        )
    };
    if value == &Value::Bool(false) {
        return Ok(Some(PaginationHint::Off));
    }
    let Some(object) = value.as_object() else { return Err(malformed(diags)) };
    let text = |key: &str| object.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let path = |dotted: &str| dotted.split('.').map(str::to_string).collect::<Vec<_>>();
    let end = match (text("next"), text("has-more")) {
        (Some(next), None) => EndHint::Next(path(next)),
        (None, Some(more)) => EndHint::HasMore(path(more)),
        _ => return Err(malformed(diags)),
    };
    match (text("page"), text("items"), object.len()) {
        (Some(page), Some(items), 3) => Ok(Some(PaginationHint::Explicit {
            page: page.to_string(),
            items: items.to_string(),
            end,
            at: at.to_string(),
        })),
        _ => Err(malformed(diags)),
    }
}

/// `x-idempotent: true|false` on an operation: whether sending it twice has
/// the effect of sending it once, where its method would say otherwise (a
/// PUT that starts something, a POST that only reads).
pub(super) fn idempotent_hint(
    extensions: &indexmap::IndexMap<String, Value>,
    op_at: &Pointer,
    diags: &mut crate::Diagnostics,
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
    diags: &mut crate::Diagnostics,
) -> Result<Option<bool>, Reported> {
    const KEY: &str = "x-envelope";
    let (value, at) = match (op_extensions.get(KEY), root_extensions.get(KEY)) {
        (Some(value), _) => (value, op_at.join(KEY)),
        (None, Some(value)) => (value, Pointer::root().join(KEY)),
        (None, None) => return Ok(None),
    };
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
    diags: &mut crate::Diagnostics,
) -> Result<Option<String>, Reported> {
    const KEY: &str = "x-idempotency-key";
    let (value, at) = match (op_extensions.get(KEY), root_extensions.get(KEY)) {
        (Some(value), _) => (value, op_at.join(KEY)),
        (None, Some(value)) => (value, Pointer::root().join(KEY)),
        (None, None) => return Ok(None),
    };
    let valid_name =
        |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
    match value {
        Value::String(name) if valid_name(name) => Ok(Some(name.clone())),
        _ => Err(diags.error(&at, "`x-idempotency-key` must name a header (`Idempotency-Key`)")),
    }
}
