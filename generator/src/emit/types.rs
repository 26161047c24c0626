//! `types.rs` of the emitted crate: a struct per object schema, an enum per
//! string enum, an enum per `oneOf`/`anyOf`, an alias per other schema.

use super::docs::{doc_attrs, doc_paragraphs};
use super::{rust_type, TypePath};
use crate::ir::{
    Api, Constraints, Field, FloatWidth, IntWidth, Presence, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// One token stream per item, in name order, made lazily so that only one
/// item's tokens exist at a time while rendering.
pub fn items(api: &Api) -> impl Iterator<Item = TokenStream> + '_ {
    let validating = validating_types(api);
    let mut order: Vec<usize> = (0..api.types.len()).collect();
    order.sort_by(|a, b| api.types[*a].name.cmp(&api.types[*b].name));
    order.into_iter().map(move |id| {
        let def = &api.types[id];
        let mut tokens = item(api, def);
        if let TypeKind::Struct(s) = &def.kind {
            if validating[id] {
                tokens.extend(validate_fn(def, s, &validating));
            }
        }
        tokens
    })
}

fn has_constraints(c: &Constraints) -> bool {
    let Constraints { minimum, maximum, multiple_of, min_items, max_items, min_length, max_length, .. } = c;
    minimum.is_some()
        || maximum.is_some()
        || multiple_of.is_some()
        || min_items.is_some()
        || max_items.is_some()
        || min_length.is_some()
        || max_length.is_some()
}

/// The struct a field's value is, or holds in a list.
fn nested_struct(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Named(id) => Some(id.0),
            _ => None,
        },
        _ => None,
    }
}

/// Which types get a `validate()`: structs that requests carry and that
/// declare a checkable constraint, on a field or in a nested struct.
pub(crate) fn validating_types(api: &Api) -> Vec<bool> {
    let mut validating: Vec<bool> = api
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) if t.in_requests => s.fields.iter().any(|f| has_constraints(&f.constraints)),
            _ => false,
        })
        .collect();
    loop {
        let mut changed = false;
        for (i, t) in api.types.iter().enumerate() {
            let TypeKind::Struct(s) = &t.kind else { continue };
            if validating[i] || !t.in_requests {
                continue;
            }
            if s.fields.iter().any(|f| nested_struct(&f.ty).is_some_and(|n| validating[n])) {
                validating[i] = true;
                changed = true;
            }
        }
        if !changed {
            return validating;
        }
    }
}

/// `validate()`: the spec's ranges, `multipleOf`, item counts and lengths,
/// checked before a request is sent, naming the first field that breaks one.
fn validate_fn(def: &TypeDef, s: &Struct, validating: &[bool]) -> TokenStream {
    let ident = format_ident!("{}", def.name);
    let checks = s.fields.iter().filter_map(|f| {
        let field = format_ident!("{}", f.rust_name);
        let wire = &f.wire_name;
        let c = &f.constraints;
        let mut body = TokenStream::new();
        let float = |v: f64| proc_macro2::Literal::f64_unsuffixed(v);
        let opt_f64 = |v: Option<f64>| {
            v.map_or(quote! { None }, |v| {
                let v = float(v);
                quote! { Some(#v) }
            })
        };
        let bound = |v: Option<f64>, exclusive: bool| {
            v.map_or(quote! { None }, |v| {
                let v = float(v);
                quote! { Some((#v, #exclusive)) }
            })
        };
        let opt_usize = |v: Option<usize>| {
            v.map_or(quote! { None }, |v| {
                let v = proc_macro2::Literal::usize_unsuffixed(v);
                quote! { Some(#v) }
            })
        };
        match &f.ty {
            TypeRef::Integer(_) | TypeRef::Number(_)
                if c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some() =>
            {
                let (min, max, step) = (
                    bound(c.minimum, c.exclusive_minimum),
                    bound(c.maximum, c.exclusive_maximum),
                    opt_f64(c.multiple_of),
                );
                let as_f64 = match &f.ty {
                    TypeRef::Number(FloatWidth::F64) => quote! { *value },
                    TypeRef::Integer(IntWidth::I64) => quote! { *value as f64 },
                    _ => quote! { f64::from(*value) },
                };
                body.extend(quote! { crate::runtime::check_number(#wire, #as_f64, #min, #max, #step)?; });
            }
            TypeRef::String if c.min_length.is_some() || c.max_length.is_some() => {
                let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                body.extend(
                    quote! { crate::runtime::check_count(#wire, value.chars().count(), #min, #max, "characters")?; },
                );
            }
            TypeRef::List(_) if c.min_items.is_some() || c.max_items.is_some() => {
                let (min, max) = (opt_usize(c.min_items), opt_usize(c.max_items));
                body.extend(quote! { crate::runtime::check_count(#wire, value.len(), #min, #max, "items")?; });
            }
            _ => {}
        }
        match (&f.ty, nested_struct(&f.ty)) {
            (TypeRef::List(_), Some(n)) if validating[n] => body.extend(quote! {
                for (index, item) in value.iter().enumerate() {
                    item.validate().map_err(|err| err.within(&format!("{}[{}]", #wire, index)))?;
                }
            }),
            (TypeRef::Named(_), Some(n)) if validating[n] => body.extend(quote! {
                value.validate().map_err(|err| err.within(#wire))?;
            }),
            _ => {}
        }
        if body.is_empty() {
            return None;
        }
        Some(match f.presence {
            Presence::Required => quote! { { let value = &self.#field; #body } },
            Presence::Optional | Presence::RequiredNullable => quote! { if let Some(value) = &self.#field { #body } },
            Presence::OptionalNullable => quote! { if let Some(value) = self.#field.as_option() { #body } },
        })
    });
    quote! {
        impl #ident {
            #[doc = " Checks the constraints the spec declares (ranges, `multipleOf`, item"]
            #[doc = " counts, lengths); the client calls it before sending."]
            pub fn validate(&self) -> Result<(), crate::ValidationError> {
                #(#checks)*
                Ok(())
            }
        }
    }
}

fn item(api: &Api, def: &TypeDef) -> TokenStream {
    let TypeDef { name, doc, origin: _, kind, in_requests } = def;
    let ident = format_ident!("{}", name);
    let docs = doc_paragraphs([doc.as_deref()]);
    match kind {
        TypeKind::Struct(s) => {
            let mut tokens = struct_item(api, &ident, docs, s);
            if *in_requests {
                tokens.extend(setters(api, &ident, s));
            }
            tokens
        }
        TypeKind::Enum(e) => enum_item(&ident, name, docs, e),
        TypeKind::Union(u) => union_item(api, &ident, docs, u),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty, TypePath::Local);
            quote! { #docs pub type #ident = #ty; }
        }
    }
}

fn struct_item(api: &Api, ident: &Ident, docs: TokenStream, s: &Struct) -> TokenStream {
    let Struct { fields, constructor, additional } = s;
    let all_optional = fields.iter().all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let default = all_optional.then(|| quote! { Default, });
    let new = constructor_fn(api, ident, fields, constructor, additional.as_ref().map(|(name, _)| name.as_str()));
    // `rename_all = "camelCase"` when it spares more per-field renames than
    // it costs (the usual JSON API), so most fields carry no rename at all.
    let plain_renames = fields.iter().filter(|f| f.rust_name != f.wire_name).count();
    let camel_renames = fields.iter().filter(|f| serde_camel_case(&f.rust_name) != f.wire_name).count();
    let camel = camel_renames < plain_renames;
    let rename_all = camel.then(|| quote! { #[serde(rename_all = "camelCase")] });
    let fields = fields.iter().map(|f| field(api, f, camel));
    let additional = additional.as_ref().map(|(name, ty)| {
        let name = format_ident!("{}", name);
        let ty = rust_type(api, ty, TypePath::Local);
        quote! {
            #[doc = " Properties not named in the schema."]
            #[serde(flatten)]
            pub #name: std::collections::BTreeMap<String, #ty>,
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #rename_all
        pub struct #ident {
            #(#fields)*
            #additional
        }

        #new
    }
}

/// `new(required…)`: every required field as an argument (strings as
/// `impl Into<String>`), every optional one absent. There is no `Default`
/// for such structs, so a newly required field breaks callers' builds
/// instead of being sent empty.
fn constructor_fn(
    api: &Api,
    ident: &Ident,
    fields: &[Field],
    constructor: &[String],
    additional: Option<&str>,
) -> Option<TokenStream> {
    if constructor.is_empty() {
        return None;
    }
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for name in constructor {
        let Some(f) = fields.iter().find(|f| &f.rust_name == name) else { continue };
        let arg = format_ident!("{}", f.rust_name);
        let inner = rust_type(api, &f.ty, TypePath::Local);
        let (ty, value) = match (&f.ty, f.presence, f.boxed) {
            (TypeRef::String, Presence::Required, _) => (quote! { impl Into<String> }, Some(quote! { #arg.into() })),
            (_, Presence::RequiredNullable, true) => (quote! { Option<#inner> }, Some(quote! { #arg.map(Box::new) })),
            (_, Presence::RequiredNullable, false) => (quote! { Option<#inner> }, None),
            (_, _, true) => (inner, Some(quote! { Box::new(#arg) })),
            (_, _, false) => (inner, None),
        };
        args.push(quote! { #arg: #ty });
        inits.push(match value {
            Some(value) => quote! { #arg: #value },
            None => quote! { #arg },
        });
    }
    for f in fields.iter().filter(|f| !constructor.contains(&f.rust_name)) {
        let arg = format_ident!("{}", f.rust_name);
        inits.push(match f.presence {
            Presence::OptionalNullable => quote! { #arg: crate::Nullable::Absent },
            _ => quote! { #arg: None },
        });
    }
    let additional = additional.map(|name| {
        let name = format_ident!("{}", name);
        quote! { #name: Default::default(), }
    });
    let doc = format!(" Creates a `{ident}` from its required fields; the optional ones are absent.");
    let allow = (args.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    Some(quote! {
        impl #ident {
            #[doc = #doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
    })
}

/// Methods a setter must not shadow: the struct's own, and trait methods
/// callers reach by method syntax (`body.clone()` must stay `Clone`'s).
const TAKEN_METHOD_NAMES: &[&str] = &[
    "new",
    "validate",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "to_owned",
    "to_string",
    "into",
    "try_into",
    "from",
    "serialize",
    "deserialize",
    "default",
    "borrow",
    "borrow_mut",
    "type_id",
    "as_ref",
    "as_mut",
];

/// The setter of an optional field of a request type.
pub(crate) fn setter_name(f: &Field) -> Ident {
    let bare = f.rust_name.trim_start_matches("r#");
    if TAKEN_METHOD_NAMES.contains(&bare) {
        format_ident!("with_{}", bare)
    } else {
        format_ident!("{}", f.rust_name)
    }
}

/// Whether [`setters`] gives the field a setter.
pub(crate) fn has_setter(f: &Field) -> bool {
    matches!(f.presence, Presence::Optional | Presence::OptionalNullable) && !f.skip_serializing
}

/// Builder-style setters for a request type's optional fields, each taking
/// `impl Into<T>` (lists: any iterable of `impl Into<T>`), so `AutotuneCreate::new(..).description("…")` reads as
/// one expression. Named after the field (`with_` + field when that name is
/// taken by another method).
fn setters(api: &Api, ident: &Ident, s: &Struct) -> Option<TokenStream> {
    let methods: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| has_setter(f))
        .map(|f| {
            let field = format_ident!("{}", f.rust_name);
            let method = setter_name(f);
            // Lists take any iterable of convertible items (`["a", "b"]`).
            let (arg, value) = match &f.ty {
                TypeRef::List(item) => {
                    let item = rust_type(api, item, TypePath::Local);
                    (
                        quote! { impl IntoIterator<Item = impl Into<#item>> },
                        quote! { value.into_iter().map(Into::into).collect() },
                    )
                }
                ty => {
                    let ty = rust_type(api, ty, TypePath::Local);
                    (quote! { impl Into<#ty> }, quote! { value.into() })
                }
            };
            let value = if f.boxed {
                quote! { Box::new(#value) }
            } else {
                value
            };
            let value = match f.presence {
                Presence::OptionalNullable => quote! { crate::Nullable::Value(#value) },
                _ => quote! { Some(#value) },
            };
            let doc = format!(" Sets `{}`.", f.wire_name);
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: #arg) -> Self {
                    self.#field = #value;
                    self
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return None;
    }
    Some(quote! {
        impl #ident {
            #(#methods)*
        }
    })
}

/// The wire name serde's `rename_all = "camelCase"` gives a field: serde's
/// own rule (PascalCase over `_`, then the first letter lowered).
fn serde_camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => pascal,
    }
}

fn field(api: &Api, f: &Field, camel: bool) -> TokenStream {
    let Field { rust_name, wire_name, doc, ty, presence, boxed, read_only, skip_serializing, constraints } = f;
    let name = format_ident!("{}", rust_name);
    let mut inner = rust_type(api, ty, TypePath::Local);
    if *boxed {
        inner = quote! { Box<#inner> };
    }
    let (ty, serde_attrs) = match presence {
        Presence::Required => (inner, vec![]),
        Presence::Optional => {
            (quote! { Option<#inner> }, vec![quote! { default }, quote! { skip_serializing_if = "Option::is_none" }])
        }
        Presence::RequiredNullable => (quote! { Option<#inner> }, vec![]),
        Presence::OptionalNullable => (
            quote! { crate::Nullable<#inner> },
            vec![quote! { default }, quote! { skip_serializing_if = "crate::Nullable::is_absent" }],
        ),
    };
    let mut serde_attrs = serde_attrs;
    if *skip_serializing {
        serde_attrs.retain(|a| a.to_string() == "default");
        serde_attrs.push(quote! { skip_serializing });
    }
    let serde_name = if camel { serde_camel_case(rust_name) } else { rust_name.clone() };
    if serde_name != *wire_name {
        serde_attrs.insert(0, quote! { rename = #wire_name });
    }
    let serde = (!serde_attrs.is_empty()).then(|| quote! { #[serde(#(#serde_attrs),*)] });
    let notes = constraint_notes(constraints, *presence, *read_only, *skip_serializing);
    let docs = doc_paragraphs([doc.as_deref(), notes.as_deref()]);
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

/// What the spec says about a field beyond its type, as one doc line.
fn constraint_notes(c: &Constraints, presence: Presence, read_only: bool, never_sent: bool) -> Option<String> {
    let Constraints {
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_items,
        max_items,
        min_length,
        max_length,
        format,
        default,
    } = c;
    let mut notes = Vec::new();
    if let Some(format) = format.as_deref().filter(|f| !matches!(*f, "binary" | "password")) {
        notes.push(format!("Format: `{format}`."));
    }
    match (minimum, maximum) {
        (Some(lo), Some(hi)) => notes.push(format!(
            "Range: {lo} {} x {} {hi}.",
            if *exclusive_minimum { "<" } else { "<=" },
            if *exclusive_maximum { "<" } else { "<=" }
        )),
        (Some(lo), None) => {
            notes.push(format!("Minimum: {lo}{}.", if *exclusive_minimum { " (exclusive)" } else { "" }))
        }
        (None, Some(hi)) => {
            notes.push(format!("Maximum: {hi}{}.", if *exclusive_maximum { " (exclusive)" } else { "" }))
        }
        (None, None) => {}
    }
    if let Some(m) = multiple_of {
        notes.push(format!("Multiple of {m}."));
    }
    match (min_items, max_items) {
        (Some(lo), Some(hi)) => notes.push(format!("Between {lo} and {hi} items.")),
        (Some(lo), None) => notes.push(format!("At least {lo} items.")),
        (None, Some(hi)) => notes.push(format!("At most {hi} items.")),
        (None, None) => {}
    }
    match (min_length, max_length) {
        (Some(lo), Some(hi)) => notes.push(format!("Length between {lo} and {hi}.")),
        (Some(lo), None) => notes.push(format!("Length at least {lo}.")),
        (None, Some(hi)) => notes.push(format!("Length at most {hi}.")),
        (None, None) => {}
    }
    if let Some(d) = default {
        notes.push(format!("Server default: `{d}`."));
    }
    if presence == Presence::RequiredNullable {
        notes.push("Always present; may be null.".to_string());
    }
    if never_sent {
        notes.push("Read-only: set by the server and never sent.".to_string());
    } else if read_only {
        notes.push("Read-only: set by the server.".to_string());
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

fn enum_item(ident: &Ident, name: &str, docs: TokenStream, e: &StringEnum) -> TokenStream {
    let StringEnum { variants, catch_all } = e;
    let catch_all = format_ident!("{}", catch_all);
    let names: Vec<Ident> = variants.iter().map(|v| Ident::new(&v.rust_name, Span::call_site())).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| {
        if w.contains('`') {
            doc_attrs(&format!("The value {w}."))
        } else {
            doc_attrs(&format!("`{w}`"))
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident {
            #( #variant_docs #names, )*
            #[doc = " A value the spec does not list (yet), kept as received."]
            #catch_all(String),
        }

        impl #ident {
            #[doc = " Every value the spec lists, in the spec's order."]
            pub const KNOWN: &'static [Self] = &[#(Self::#names),*];

            #[doc = " The value as sent on the wire."]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::#catch_all(value) => value,
                }
            }

            fn known(value: &str) -> Option<Self> {
                match value {
                    #(#wires => Some(Self::#names),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #ident {
            type Err = crate::ParseEnumError;

            #[doc = " Accepts only the values the spec lists."]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::known(value).ok_or_else(|| crate::ParseEnumError { type_name: #name, value: value.to_string() })
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::deserialize_enum(deserializer, |value| {
                    Self::known(value).unwrap_or_else(|| Self::#catch_all(value.to_string()))
                })
            }
        }
    }
}

fn union_item(api: &Api, ident: &Ident, docs: TokenStream, u: &Union) -> TokenStream {
    let Union { variants, discriminator } = u;
    let names: Vec<Ident> = variants.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let types: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let ty = rust_type(api, &v.ty, TypePath::Local);
            if v.boxed {
                quote! { Box<#ty> }
            } else {
                ty
            }
        })
        .collect();
    let Some(property) = discriminator else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #ident {
                #(#names(#types),)*
            }
        };
    };
    // Decoded by hand: serde's internally tagged enums strip the tag before
    // the variant's struct sees it, but the struct declares it as a field.
    let arms = variants.iter().zip(&names).map(|(v, name)| {
        let tags = &v.tags;
        let wrap = if v.boxed {
            quote! { |inner| Self::#name(Box::new(inner)) }
        } else {
            quote! { Self::#name }
        };
        quote! {
            #(Some(#tags))|* => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),
        }
    });
    let variant_docs = variants.iter().map(|v| doc_attrs(&format!("Selected by `{property}`: {}.", v.tags.join(", "))));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #( #variant_docs #names(#types), )*
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(inner) => inner.serialize(serializer),)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_string);
                match tag.as_deref() {
                    #(#arms)*
                    other => Err(serde::de::Error::custom(format_args!("unknown `{}` value {:?}", #property, other))),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::serde_camel_case;

    #[test]
    fn camel_case_matches_serde() {
        let table = [
            ("attribution_window", "attributionWindow"),
            ("id", "id"),
            ("metric_source_id", "metricSourceId"),
            ("type_", "type"),
            ("field_1st", "field1st"),
            ("a", "a"),
        ];
        for (field, wire) in table {
            assert_eq!(serde_camel_case(field), wire, "{field}");
        }
    }
}
