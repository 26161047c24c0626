//! Sample inputs made from the spec: a typed Rust expression for any value
//! a request carries, valid against what the schema says (ranges,
//! `multipleOf`, lengths, item counts, string formats, enum values). The
//! emitted examples call each operation with them; the contract test sends
//! them to a mock server that validates every request against the spec.

use super::pattern;
use super::{rust_type, TypePath};
use crate::ir::{
    Api, ArgKind, Constraints, FieldInit, FloatWidth, Format, Operation, Param, ParamLocation, Passing, Setter,
    TypeKind, TypeRef, UnionVariant,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// Deeper than this, optional fields are left out (recursive types end).
const MAX_OPTIONAL_DEPTH: usize = 3;

/// Deeper than this, a required field leads back to its own type: no
/// finite value exists (a document that says a node always has a next
/// node), and the sample says so instead of recursing forever.
const MAX_DEPTH: usize = 24;

/// Makes sample expressions for one API, for a program that imports the
/// generated crate's `types` module.
pub(crate) struct Sampler<'a> {
    api: &'a Api,
    /// The crate's name, as the programs that use the samples name it (the
    /// samples stand in an example or test program, not in the crate).
    krate: proc_macro2::Ident,
    /// Also set optional fields (the contract test), not only the required
    /// ones (the examples a reader copies from).
    optional: bool,
    /// Also set optional parameters.
    optional_params: bool,
    named: std::cell::Cell<bool>,
    impossible: std::cell::Cell<bool>,
}

/// A call with sample input: `let body = …;` when there is a body, then the
/// request builder expression.
pub(crate) struct Call {
    pub body: Option<TokenStream>,
    pub request: TokenStream,
}

/// What the expression is passed to: an exact type, or an `impl Into<T>`
/// argument (where `"text"` is enough for a `String`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Exact,
    Into,
}

impl<'a> Sampler<'a> {
    pub(crate) fn new(api: &'a Api, krate: &proc_macro2::Ident, optional: bool, optional_params: bool) -> Self {
        Self {
            api,
            krate: krate.clone(),
            optional,
            optional_params,
            named: std::cell::Cell::new(false),
            impossible: std::cell::Cell::new(false),
        }
    }

    /// Whether a value made so far has no finite form (a required field
    /// that holds its own type): it is `unreachable!()`, and the code after
    /// it is too.
    pub(crate) fn impossible(&self) -> bool {
        self.impossible.get()
    }

    /// `client.op(args…)` with sample arguments (or the expression given
    /// for a required parameter by its Rust name, which is unique where
    /// wire names repeat across locations), then a setter for each
    /// optional parameter (and an optional body) when asked for. A body is
    /// bound first (`let body = …;`), so the call reads on one line.
    pub(crate) fn call(&self, client: TokenStream, op: &Operation, given: &[(String, TokenStream)]) -> Call {
        let method = format_ident!("{}", op.rust_name);
        let mut args = Vec::new();
        for p in op.params.iter().filter(|p| p.repr.passing == Passing::Argument) {
            match given.iter().find(|(name, _)| *name == p.rust_name) {
                Some((_, value)) => args.push(value.clone()),
                None => args.push(self.param(p)),
            }
        }
        let mut setters = Vec::new();
        let mut body_let = None;
        if let Some(body) = op.body.as_ref().filter(|b| b.required || self.optional) {
            let ty = &body.default_content().ty;
            let slot = match body.repr.content_arg {
                ArgKind::Into => Slot::Into,
                ArgKind::Exact | ArgKind::Optional => Slot::Exact,
            };
            let value = self.value(ty, &Constraints::default(), slot, 0, 0);
            // Bytes to pass where an `impl Into<…>` takes them: the crate's
            // `Binary` by name (`"example".into()` could be bytes, a request
            // body or a `Binary`, and only a `Binary` converts to a choice of
            // contents).
            let value = if *ty == TypeRef::Binary && slot == Slot::Exact {
                let krate = &self.krate;
                quote! { #krate::Binary::from("example") }
            } else {
                value
            };
            body_let = Some(quote! { let body = #value; });
            if body.repr.passing == Passing::Argument {
                args.push(quote! { body });
            } else {
                setters.push(quote! { .body(body) });
            }
        }
        if self.optional_params {
            for p in op.params.iter().filter(|p| p.repr.passing == Passing::Setter) {
                let setter = format_ident!("{}", p.rust_name);
                let value = self.param(p);
                setters.push(quote! { .#setter(#value) });
            }
        }
        Call { body: body_let, request: quote! { #client.#method(#(#args),*) #(#setters)* } }
    }

    /// A sample value of `ty`.
    pub(crate) fn sample(&self, ty: &TypeRef) -> TokenStream {
        self.value(ty, &Constraints::default(), Slot::Exact, 0, 0)
    }

    /// Sample values of `ty`: one per variant when it is a union (so that
    /// each of a stream's kinds of event is sent once), else one.
    pub(crate) fn each_variant(&self, ty: &TypeRef) -> Vec<TokenStream> {
        let TypeRef::Named(id) = ty else { return vec![self.value(ty, &Constraints::default(), Slot::Exact, 0, 0)] };
        let TypeKind::Union(u) = &self.api.ty(*id).kind else {
            return vec![self.value(ty, &Constraints::default(), Slot::Exact, 0, 0)];
        };
        self.named.set(true);
        let union = rust_type(self.api, ty, TypePath::Module);
        u.variants.iter().map(|v| self.variant(&union, v, 1, 0)).collect()
    }

    /// `Union::Variant(sample)`, boxed where the variant is.
    fn variant(&self, union: &TokenStream, v: &UnionVariant, depth: usize, salt: usize) -> TokenStream {
        let variant = format_ident!("{}", v.rust_name);
        let inner = self.value(&v.ty, &Constraints::default(), Slot::Exact, depth, salt);
        let inner = if v.boxed {
            quote! { Box::new(#inner) }
        } else {
            inner
        };
        quote! { #union::#variant(#inner) }
    }

    /// Whether any expression made so far names a generated type.
    pub(crate) fn named_types(&self) -> bool {
        self.named.get()
    }

    /// A parameter: strings go to `impl Into<String>` arguments.
    fn param(&self, p: &Param) -> TokenStream {
        let c = &p.constraints;
        match &p.ty {
            // Only string parameters take `impl Into<String>`; the rest take their type.
            TypeRef::String => {
                let text = string_param_text(p);
                quote! { #text }
            }
            TypeRef::Named(id) => match self.text_variant(*id) {
                Some(value) => value,
                None => self.value(&p.ty, c, Slot::Exact, 0, 0),
            },
            _ => self.value(&p.ty, c, Slot::Exact, 0, 0),
        }
    }

    /// A union parameter's string variant with a non-numeric sample: on
    /// the wire a parameter is text, and `1` would match both an integer
    /// and a string variant (`oneOf` wants exactly one).
    fn text_variant(&self, id: crate::ir::TypeId) -> Option<TokenStream> {
        let TypeKind::Union(u) = &self.api.ty(id).kind else { return None };
        if u.variants.first().is_some_and(|v| v.ty == TypeRef::String) {
            return None;
        }
        let v = u.variants.iter().find(|v| v.ty == TypeRef::String)?;
        self.named.set(true);
        let ty = rust_type(self.api, &TypeRef::Named(id), TypePath::Module);
        let variant = format_ident!("{}", v.rust_name);
        Some(quote! { #ty::#variant("example".to_string()) })
    }

    fn value(&self, ty: &TypeRef, c: &Constraints, slot: Slot, depth: usize, salt: usize) -> TokenStream {
        // Only a type that must contain itself has no finite value: a
        // scalar, however deep, is still a value.
        let composite = matches!(ty, TypeRef::Named(id) if !matches!(self.api.ty(*id).kind, TypeKind::Alias(_) | TypeKind::Enum(_)));
        if depth > MAX_DEPTH && composite {
            self.impossible.set(true);
            // Typed, so an `impl Into<T>` argument still knows its `T`.
            let ty = rust_type(self.api, ty, TypePath::Module);
            return quote! { { let value: #ty = unreachable!("the spec allows no finite value of this type"); value } };
        }
        match ty {
            TypeRef::String => {
                let text = sample_string(c, salt);
                match slot {
                    Slot::Into => quote! { #text },
                    Slot::Exact => quote! { #text.to_string() },
                }
            }
            TypeRef::Integer(width) => {
                // Beyond `i32`, an unsuffixed literal passed to `impl Into<_>`
                // would be read as an `i32` and overflow.
                let (lo, hi) = width.range();
                let n = i128::from(sample_integer(c)).clamp(lo, hi);
                let n = match i32::try_from(n) {
                    Ok(small) if small >= 0 || lo < 0 => Literal::i64_unsuffixed(small.into()),
                    _ => format!("{n}{}", width.rust_name()).parse().expect("an integer literal"),
                };
                quote! { #n }
            }
            TypeRef::Number(width) => {
                let x = sample_number(c);
                let x = match width {
                    FloatWidth::F32 => Literal::f32_unsuffixed(x as f32),
                    FloatWidth::F64 => Literal::f64_unsuffixed(x),
                };
                quote! { #x }
            }
            TypeRef::Boolean => quote! { true },
            TypeRef::Formatted(format) => sample_formatted(*format, &sample_string(c, salt), &self.krate),
            // Bytes convert from a string.
            TypeRef::Binary => match slot {
                Slot::Into => quote! { "example" },
                Slot::Exact => quote! { "example".into() },
            },
            TypeRef::Json => quote! { serde_json::json!({}) },
            TypeRef::JsonObject => quote! { serde_json::Map::new() },
            TypeRef::List(item) => {
                // One item, as deep as optional fields go; deeper, only what
                // `minItems` asks for (a recursive tree ends).
                let least = c.min_items.unwrap_or(0);
                let count = if least == 0 && depth >= MAX_OPTIONAL_DEPTH { 0 } else { least.max(1) };
                let count = count.min(c.max_items.unwrap_or(usize::MAX));
                if count == 0 {
                    let item = rust_type(self.api, item, TypePath::Module);
                    return quote! { Vec::<#item>::new() };
                }
                // An `impl IntoIterator<Item = impl Into<T>>` takes `&str`s for strings.
                let item_slot = if **item == TypeRef::String { slot } else { Slot::Exact };
                let item_constraints = c.items.as_deref().cloned().unwrap_or_else(|| Constraints {
                    format: c.format.clone(),
                    pattern: c.pattern.clone(),
                    ..Constraints::default()
                });
                let items =
                    (0..count).map(|i| self.value(item, &item_constraints, item_slot, depth + 1, salt * 10 + i + 1));
                // `Vec::from` rather than `vec!`: prettyplease lays out calls, not macros.
                match slot {
                    Slot::Into => quote! { [#(#items),*] },
                    Slot::Exact => quote! { Vec::from([#(#items),*]) },
                }
            }
            TypeRef::Nullable(inner) => {
                let inner = self.value(inner, c, Slot::Exact, depth, salt);
                quote! { Some(#inner) }
            }
            // Deep down, an empty map (a recursive schema of schemas ends).
            TypeRef::Map(_) if depth >= MAX_OPTIONAL_DEPTH => quote! { std::collections::BTreeMap::new() },
            TypeRef::Map(value) => {
                let value = self.value(value, &Constraints::default(), Slot::Exact, depth + 1, salt);
                quote! { std::collections::BTreeMap::from([("key".to_string(), #value)]) }
            }
            TypeRef::Named(id) => self.named(*id, slot, depth, salt),
        }
    }

    fn named(&self, id: crate::ir::TypeId, slot: Slot, depth: usize, salt: usize) -> TokenStream {
        let def = self.api.ty(id);
        if !matches!(def.kind, TypeKind::Alias(_)) {
            self.named.set(true);
        }
        let ty = rust_type(self.api, &TypeRef::Named(id), TypePath::Module);
        match &def.kind {
            // A list alias is passed as `impl Into<Vec<T>>`, which an array
            // of `&str` is not.
            TypeKind::Alias(inner @ TypeRef::List(_)) => {
                self.value(inner, &Constraints::default(), Slot::Exact, depth, salt)
            }
            TypeKind::Alias(inner) => self.value(inner, &Constraints::default(), slot, depth, salt),
            TypeKind::Enum(e) => match e.variants.first() {
                Some(v) => {
                    let v = format_ident!("{}", v.rust_name);
                    quote! { #ty::#v }
                }
                None => {
                    let catch_all = format_ident!("{}", e.catch_all);
                    quote! { #ty::#catch_all("example".to_string()) }
                }
            },
            TypeKind::Union(u) => {
                // Deep down, the variant likeliest to end (a scalar, a list,
                // a struct without required fields) rather than the first.
                let ends = |v: &&UnionVariant| match &v.ty {
                    TypeRef::Named(id) => match &self.api.ty(*id).kind {
                        TypeKind::Struct(s) if !s.constructor.is_empty() => 2,
                        TypeKind::Union(_) => 2,
                        TypeKind::Struct(_) => 1,
                        TypeKind::Enum(_) | TypeKind::Alias(_) => 0,
                    },
                    _ => 0,
                };
                let chosen =
                    if depth >= MAX_OPTIONAL_DEPTH { u.variants.iter().min_by_key(ends) } else { u.variants.first() };
                let Some(v) = chosen else {
                    return quote! { compile_error!("the generator made a union without variants") };
                };
                self.variant(&ty, v, depth + 1, salt)
            }
            TypeKind::Struct(s) => {
                let args = s
                    .constructor
                    .iter()
                    .filter_map(|name| s.fields.iter().find(|f| &f.rust_name == name))
                    .filter_map(|f| match f.repr.init {
                        FieldInit::Argument(kind) => Some((f, kind)),
                        FieldInit::Empty => None,
                    })
                    .map(|(f, kind)| {
                        let slot = if kind == ArgKind::Into { Slot::Into } else { Slot::Exact };
                        let value = self.value(&f.ty, &f.constraints, slot, depth + 1, salt);
                        match kind {
                            ArgKind::Optional => quote! { Some(#value) },
                            ArgKind::Exact | ArgKind::Into => value,
                        }
                    });
                let start = if s.constructor.is_empty() {
                    quote! { #ty::default() }
                } else {
                    quote! { #ty::new(#(#args),*) }
                };
                let fill = self.optional && depth < MAX_OPTIONAL_DEPTH && def.in_requests;
                // `oneOf: [{required: [a]}, {required: [b]}]`: the first set's
                // fields are set, and none that only another set names.
                let chosen = s.required_sets.first();
                let excluded = |name: &String| {
                    chosen.is_some_and(|set| !set.contains(name))
                        && s.required_sets.iter().skip(1).any(|set| set.contains(name))
                };
                let settable = s
                    .fields
                    .iter()
                    .filter(|f| !excluded(&f.rust_name))
                    .filter_map(|f| f.repr.setter.as_ref().map(|setter| (f, setter)));
                let (chosen_fields, others): (Vec<_>, Vec<_>) =
                    settable.partition(|(f, _)| chosen.is_some_and(|set| set.contains(&f.rust_name)));
                // A body of optional fields only (a PATCH) sets one, so that it says something.
                let take = if fill { usize::MAX } else { usize::from(s.constructor.is_empty() && depth == 0) };
                let others = others.into_iter().take(take.saturating_sub(chosen_fields.len().min(take)));
                let setters = chosen_fields.into_iter().chain(others).map(|(f, Setter { name, .. })| {
                    let setter = format_ident!("{}", name);
                    let value = self.value(&f.ty, &f.constraints, Slot::Into, depth + 1, salt);
                    quote! { .#setter(#value) }
                });
                quote! { #start #(#setters)* }
            }
        }
    }
}

/// The sample text of a string parameter, for every place that writes
/// one (examples, the front page, the contract programs): a path segment
/// that names something reads best as its name (`example-id`), unless the
/// schema says what the value looks like (a pattern, format, example or
/// length), when it is a value the schema accepts.
pub(crate) fn string_param_text(p: &Param) -> String {
    let c = &p.constraints;
    let constrained = c.pattern.is_some()
        || c.format.is_some()
        || c.example.is_some()
        || c.min_length.is_some()
        || c.max_length.is_some();
    if p.location == ParamLocation::Path && !constrained {
        format!("example-{}", p.wire_name.to_ascii_lowercase())
    } else {
        sample_string(c, 0)
    }
}

/// A string the schema accepts: the document's example when it fits,
/// else one that matches the pattern, else one shaped by the format and
/// fitted to the lengths. `salt` keeps the items of one list apart.
/// A value of a format's type, built without parsing at run time: the
/// document's example (or the string sample) when it is one, else a
/// fixed value of the format.
fn sample_formatted(format: Format, text: &str, krate: &proc_macro2::Ident) -> TokenStream {
    match format {
        Format::Uuid => {
            let hex: String = text.chars().filter(|c| *c != '-').collect();
            let hyphens = [8, 13, 18, 23].iter().all(|&i| text.as_bytes().get(i) == Some(&b'-'));
            let value = u128::from_str_radix(&hex, 16)
                .ok()
                .filter(|_| hex.len() == 32 && hyphens && text.len() == 36)
                .unwrap_or(0x0000_0000_0000_4000_8000_0000_0000_0000);
            let hex = format!("{value:032x}");
            let text = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
            // Through the crate's re-export: the program may not depend on
            // `uuid` itself.
            quote! { #krate::uuid::uuid!(#text) }
        }
        // Parsed at run time, from text known to parse: the document's
        // example when it is plain RFC 3339, else a fixed one.
        Format::DateTime => {
            let text = if plain_date_time(text) { text } else { "2024-06-01T12:00:00Z" };
            quote! { #krate::DateTime::parse(#text).expect("an RFC 3339 date-time") }
        }
        Format::Date => {
            let text = if plain_date(text) { text } else { "2024-06-01" };
            quote! { #krate::Date::parse(#text).expect("an RFC 3339 date") }
        }
        Format::Ipv4 => {
            let octets = text.parse::<std::net::Ipv4Addr>().unwrap_or(std::net::Ipv4Addr::LOCALHOST).octets();
            let octets = octets.iter().map(|o| Literal::u8_unsuffixed(*o));
            quote! { std::net::Ipv4Addr::new(#(#octets),*) }
        }
        Format::Ipv6 => {
            let segments = text.parse::<std::net::Ipv6Addr>().unwrap_or(std::net::Ipv6Addr::LOCALHOST).segments();
            // In hex, as addresses are written.
            let segments = segments.iter().map(|&s| {
                let text = if s == 0 { "0".to_string() } else { format!("{s:#x}") };
                text.parse::<TokenStream>().expect("a literal")
            });
            quote! { std::net::Ipv6Addr::new(#(#segments),*) }
        }
    }
}

/// `YYYY-MM-DD` with a month and a day every month has.
fn plain_date(text: &str) -> bool {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| text.get(range).filter(|d| d.bytes().all(|c| c.is_ascii_digit()));
    let number = |range| number(range).and_then(|d| d.parse::<u32>().ok());
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && number(0..4).is_some()
        && number(5..7).is_some_and(|m| (1..=12).contains(&m))
        && number(8..10).is_some_and(|d| (1..=28).contains(&d))
}

/// `YYYY-MM-DDThh:mm:ss`, a fraction or not, then `Z` or `±hh:mm`.
fn plain_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once('T') else { return false };
    let two = |s: &str, max: u32| {
        s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let (clock, offset) = match time.strip_suffix('Z') {
        Some(clock) => (clock, None),
        None if time.len() > 6 && time.is_char_boundary(time.len() - 6) => {
            let (clock, offset) = time.split_at(time.len() - 6);
            (clock, Some(offset))
        }
        None => return false,
    };
    let offset_fits = offset.is_none_or(|o: &str| {
        (o.starts_with('+') || o.starts_with('-')) && o.get(3..4) == Some(":") && two(&o[1..3], 23) && two(&o[4..], 59)
    });
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let parts: Vec<&str> = whole.split(':').collect();
    plain_date(date)
        && offset_fits
        && parts.len() == 3
        && two(parts[0], 23)
        && two(parts[1], 59)
        && two(parts[2], 59)
        && !fraction.is_empty()
        && fraction.bytes().all(|c| c.is_ascii_digit())
}

fn sample_string(c: &Constraints, salt: usize) -> String {
    let fits = |text: &str| {
        let n = text.chars().count();
        c.min_length.is_none_or(|min| n >= min)
            && c.max_length.is_none_or(|max| n <= max)
            && c.pattern.as_deref().is_none_or(|p| pattern::matches(p, text) != Some(false))
    };
    let example = c.example.as_deref().and_then(|e| serde_json::from_str::<serde_json::Value>(e).ok());
    if let Some(serde_json::Value::String(example)) = example {
        if salt == 0 && fits(&example) {
            return example;
        }
    }
    if let Some(text) = c.pattern.as_deref().and_then(|p| pattern::sample(p, c.min_length.unwrap_or(0))) {
        if fits(&text) {
            return text;
        }
    }
    let text = match c.format.as_deref() {
        Some("date-time") => "2024-06-01T12:00:00Z".to_string(),
        Some("date") => "2024-06-01".to_string(),
        Some("time") => "12:00:00Z".to_string(),
        Some("email") => "someone@example.com".to_string(),
        Some("uri" | "url") => "https://example.com/".to_string(),
        Some("uuid") => "00000000-0000-4000-8000-000000000000".to_string(),
        Some("ipv4") => "127.0.0.1".to_string(),
        Some("ipv6") => "::1".to_string(),
        Some("byte") => "ZXhhbXBsZQ==".to_string(),
        _ if salt > 0 => format!("example{salt}"),
        _ => "example".to_string(),
    };
    let mut text = text;
    if let Some(min) = c.min_length {
        while text.chars().count() < min {
            text.push('x');
        }
    }
    if let Some(max) = c.max_length {
        text = text.chars().take(max).collect();
    }
    text
}

/// An integer in range and a multiple of `multipleOf`: the smallest
/// allowed from the minimum (or 1), pulled under the maximum.
fn sample_integer(c: &Constraints) -> i64 {
    if let Some(example) = example_number(c).filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15) {
        return example as i64;
    }
    let lo = c.minimum.map(|m| if c.exclusive_minimum { m.floor() + 1.0 } else { m.ceil() });
    let hi = c.maximum.map(|m| if c.exclusive_maximum { m.ceil() - 1.0 } else { m.floor() });
    let mut x = lo.unwrap_or(1.0);
    if let Some(hi) = hi {
        x = x.min(hi);
    }
    if let Some(step) = c.multiple_of.filter(|s| *s >= 1.0) {
        let up = (x / step).ceil() * step;
        x = if hi.is_some_and(|hi| up > hi) { (x / step).floor() * step } else { up };
    }
    x as i64
}

/// A number in range: the middle of a closed range, else just inside the
/// one bound (or 1), on a multiple of `multipleOf`.
fn sample_number(c: &Constraints) -> f64 {
    if let Some(example) = example_number(c) {
        return example;
    }
    let x = match (c.minimum, c.maximum) {
        (Some(lo), Some(hi)) => (lo + hi) / 2.0,
        (Some(lo), None) => lo + if c.exclusive_minimum { 1.0 } else { 0.0 },
        (None, Some(hi)) if hi > 1.0 || (hi == 1.0 && !c.exclusive_maximum) => 1.0,
        (None, Some(hi)) => hi - if c.exclusive_maximum { 1.0 } else { 0.0 },
        (None, None) => 1.0,
    };
    match c.multiple_of.filter(|s| *s > 0.0) {
        Some(step) => {
            let snapped = (x / step).round() * step;
            let inside = |v: f64| {
                c.minimum.is_none_or(|lo| if c.exclusive_minimum { v > lo } else { v >= lo })
                    && c.maximum.is_none_or(|hi| if c.exclusive_maximum { v < hi } else { v <= hi })
            };
            if inside(snapped) {
                snapped
            } else {
                (x / step).ceil() * step
            }
        }
        None => x,
    }
}

/// The document's numeric example, when it is within range and on step.
fn example_number(c: &Constraints) -> Option<f64> {
    let x = serde_json::from_str::<serde_json::Value>(c.example.as_deref()?).ok()?.as_f64()?;
    let inside = c.minimum.is_none_or(|lo| if c.exclusive_minimum { x > lo } else { x >= lo })
        && c.maximum.is_none_or(|hi| if c.exclusive_maximum { x < hi } else { x <= hi })
        && c.multiple_of.is_none_or(|step| step > 0.0 && ((x / step).round() * step - x).abs() < 1e-9);
    inside.then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formatted_sample_is_the_documents_example_when_it_is_one() {
        let krate = format_ident!("api");
        let sample = |format, text: &str| sample_formatted(format, text, &krate).to_string().replace(' ', "");
        assert_eq!(
            sample(Format::Uuid, "67E55044-10B1-426F-9247-BB680E5FE0C8"),
            r#"api::uuid::uuid!("67e55044-10b1-426f-9247-bb680e5fe0c8")"#
        );
        // Not a hyphenated UUID (the macro would refuse it): the fixed one.
        for text in ["example", "67e5504410b1426f9247bb680e5fe0c8", "{67e55044-10b1-426f-9247-bb680e5fe0c8}"] {
            assert_eq!(sample(Format::Uuid, text), r#"api::uuid::uuid!("00000000-0000-4000-8000-000000000000")"#);
        }
        assert_eq!(sample(Format::Ipv4, "192.0.2.7"), "std::net::Ipv4Addr::new(192,0,2,7)");
        assert_eq!(
            sample(Format::DateTime, "2019-08-24T14:15:22.5+02:00"),
            r#"api::DateTime::parse("2019-08-24T14:15:22.5+02:00").expect("an RFC 3339 date-time")"#.replace(' ', "")
        );
        for text in ["2019-08-24 14:15:22Z", "2019-02-30T00:00:00Z", "2019-08-24T14:15Z", "2019-08-24T14:15:22+2"] {
            assert_eq!(
                sample(Format::DateTime, text),
                r#"api::DateTime::parse("2024-06-01T12:00:00Z").expect("an RFC 3339 date-time")"#.replace(' ', ""),
                "{text}"
            );
        }
        assert_eq!(
            sample(Format::Date, "2019-08-24"),
            r#"api::Date::parse("2019-08-24").expect("an RFC 3339 date")"#.replace(' ', "")
        );
        assert_eq!(
            sample(Format::Date, "24.08.2019"),
            r#"api::Date::parse("2024-06-01").expect("an RFC 3339 date")"#.replace(' ', "")
        );
        assert_eq!(sample(Format::Ipv4, "300.1.1.1"), "std::net::Ipv4Addr::new(127,0,0,1)");
        assert_eq!(sample(Format::Ipv6, "2001:db8::1"), "std::net::Ipv6Addr::new(0x2001,0xdb8,0,0,0,0,0,0x1)");
    }

    #[test]
    fn a_type_that_always_contains_itself_has_a_bounded_sample() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Chain'}\n      responses:\n        '204': {description: ok}\ncomponents:\n  schemas:\n    Chain:\n      type: object\n      required: [next]\n      properties:\n        next: {$ref: '#/components/schemas/Chain'}\n";
        let api = crate::lower_document(text, "chain.yaml").unwrap_or_else(|d| panic!("{d}"));
        let program = crate::emit::examples::contract_program(&api, "chain", true).expect("renders");
        assert!(program.contains("unreachable!"), "{program}");
        // The example a reader runs says so instead (found by the document
        // fuzzer: an impossible value does not compile clippy-clean).
        let options = crate::CrateOptions::for_test("chain", true);
        let generated = crate::generate(text, "chain.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
        let (_, example) = generated.files.iter().find(|(path, _)| path.starts_with("examples/")).expect("an example");
        assert!(example.contains("allows no finite value") && !example.contains("unreachable!"), "{example}");
    }

    #[test]
    fn samples_follow_patterns_examples_and_required_sets() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /files/{file_id}:
    post:
      parameters:
        - {name: file_id, in: path, required: true, schema: {type: string, pattern: '^\d+$'}}
        - {name: lang, in: query, schema: {type: string, example: nb-NO}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                url: {type: string, format: uri}
                html: {type: string}
                note: {type: string}
              oneOf:
                - required: [url]
                - required: [html]
      responses:
        '204': {description: ok}
"#;
        let api = crate::lower_document(text, "sets.yaml").unwrap_or_else(|d| panic!("{d}"));
        let program = crate::emit::examples::contract_program(&api, "sets", true).expect("renders");
        assert!(
            program.contains(r#"post_files_by_file_id("0", body)"#),
            "the path value matches its pattern:\n{program}"
        );
        assert!(program.contains(r#".lang("nb-NO")"#), "the parameter's own example is used:\n{program}");
        assert!(program.contains(".url(") && !program.contains(".html("), "one required set:\n{program}");
        assert!(program.contains(".note("), "other optional fields are still set:\n{program}");
    }

    #[test]
    fn examples_and_the_front_page_send_path_values_that_match_their_pattern() {
        // One sampler for every place a sample is written: the per-operation
        // example's fallback and the front page's call too, not only the
        // contract program.
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /files/{fileId}:
    get:
      operationId: getFile
      parameters:
        - {name: fileId, in: path, required: true, schema: {type: string, pattern: '^\d+$'}}
        - {name: owner, in: query, required: true, schema: {type: string, minLength: 3, pattern: '^[a-z]+$'}}
      responses:
        '204': {description: ok}
"#;
        let options = crate::CrateOptions::for_test("files", true);
        let generated = crate::generate(text, "files.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
        let file = |name: &str| &generated.files.iter().find(|(path, _)| path == name).expect(name).1;
        let example = file("examples/get_file.rs");
        assert!(example.contains(r#"unwrap_or_else(|| "0".to_string())"#), "{example}");
        let front_page = file("src/lib.rs");
        assert!(front_page.contains(r#"client.get_file("0", "aaaaa")"#), "{front_page}");
        for (path, text) in &generated.files {
            assert!(!text.contains("example-fileid"), "{path} sends a value its pattern refuses");
        }
    }

    #[test]
    fn an_example_passes_each_argument_once_where_wire_names_repeat() {
        // A path `id` and a required query `id` (found by the document
        // fuzzer: the example passed the path's value twice, moved).
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://a.example'}]\npaths:\n  /r/{id}:\n    get:\n      operationId: getR\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: id, in: query, required: true, schema: {type: string, example: q1}}\n      responses: {'204': {description: ok}}\n";
        let options = crate::CrateOptions::for_test("r", true);
        let generated = crate::generate(text, "r.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
        let example = &generated.files.iter().find(|(path, _)| path == "examples/get_r.rs").expect("example").1;
        assert!(example.contains(r#"client.get_r(id, "q1")"#), "{example}");
    }

    #[test]
    fn a_binary_body_in_an_example_is_the_crates_binary_by_name() {
        // Two media kinds of bytes: the body is a choice that only a
        // `Binary` converts to (found by the document fuzzer: the example's
        // `"example".into()` had no type to go to).
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://a.example'}]\npaths:\n  /up:\n    put:\n      operationId: upload\n      requestBody:\n        required: true\n        content:\n          application/octet-stream: {schema: {type: string, format: binary}}\n          application/problem+json: {schema: {type: string, format: binary}}\n      responses: {'204': {description: ok}}\n";
        let options = crate::CrateOptions::for_test("up", true);
        let generated = crate::generate(text, "up.yaml", &options).unwrap_or_else(|f| panic!("{f}"));
        let example = &generated.files.iter().find(|(path, _)| path == "examples/upload.rs").expect("example").1;
        assert!(example.contains(r#"let body = up::Binary::from("example");"#), "{example}");
    }

    fn range(lo: Option<f64>, hi: Option<f64>) -> Constraints {
        Constraints { minimum: lo, maximum: hi, ..Constraints::default() }
    }

    #[test]
    fn numbers_land_inside_their_ranges() {
        assert_eq!(sample_number(&range(Some(0.001), Some(1.0))), 0.5005);
        assert_eq!(sample_number(&range(None, Some(0.5))), 0.5);
        assert_eq!(sample_number(&Constraints { multiple_of: Some(0.25), ..range(Some(0.0), Some(1.0)) }), 0.5);
        assert_eq!(sample_integer(&range(Some(10.0), Some(20.0))), 10);
        assert_eq!(sample_integer(&Constraints { exclusive_minimum: true, ..range(Some(0.0), None) }), 1);
        assert_eq!(sample_integer(&range(None, Some(-5.0))), -5);
        assert_eq!(sample_integer(&Constraints { multiple_of: Some(7.0), ..range(Some(10.0), Some(30.0)) }), 14);
    }

    #[test]
    fn strings_follow_format_and_length() {
        let c = |format: &str| Constraints { format: Some(format.into()), ..Constraints::default() };
        assert_eq!(sample_string(&c("date-time"), 0), "2024-06-01T12:00:00Z");
        assert_eq!(sample_string(&c("email"), 0), "someone@example.com");
        assert_eq!(sample_string(&Constraints { min_length: Some(10), ..Constraints::default() }, 0), "examplexxx");
        assert_eq!(sample_string(&Constraints { max_length: Some(3), ..Constraints::default() }, 2), "exa");
        assert_eq!(sample_string(&Constraints::default(), 2), "example2");
    }
}
