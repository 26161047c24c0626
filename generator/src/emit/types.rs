//! `types.rs` of the emitted crate: a struct per object schema, an enum per
//! string enum, an enum per `oneOf`/`anyOf`, an alias per other schema.
//! Every choice (field representations, setters, validation) comes decided
//! in the IR; this module prints it.

use super::shared::checks::constraint_checks;
use super::shared::docs::{doc_attrs, doc_paragraphs};
use super::shared::{gated, root, rust_type, TypePath};
use crate::ir::{
    Additional, Api, ArgKind, Constraints, Field, FieldInit, FieldRepr, FieldSerde, PartKind, Setter, SetterArg,
    SkipSerializing, StringEnum, Struct, StructRepr, TypeDef, TypeKind, TypeRef, Union, Wrapper,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The types in the order they are printed: by name.
pub fn in_order(api: &Api) -> impl Iterator<Item = &TypeDef> + '_ {
    let mut order: Vec<&TypeDef> = api.types.iter().collect();
    order.sort_by(|a, b| a.name.cmp(&b.name));
    order.into_iter()
}

/// A type's items.
pub fn item(api: &Api, def: &TypeDef) -> TokenStream {
    let TypeDef { name, doc, origin: _, kind, in_requests: _, validates, multipart, serialize, deserialize, features } =
        def;
    let ident = format_ident!("{}", name);
    let docs = doc_paragraphs([doc.as_deref()]);
    let serde = Directions { serialize: *serialize, deserialize: *deserialize, full_serde: api.crate_shape.full_serde };
    let tokens = match kind {
        TypeKind::Struct(s) => {
            let mut tokens = struct_item(api, &ident, docs, s, serde);
            tokens.extend(setters(api, &ident, s));
            if *validates {
                tokens.extend(validate_fn(api, &ident, s));
            }
            if *multipart {
                tokens.extend(multipart_parts(&root(api), &ident, s));
            }
            tokens
        }
        TypeKind::Enum(e) => enum_item(&root(api), &ident, name, docs, e, serde),
        TypeKind::Union(u) => union_item(api, &ident, docs, u, serde),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty, TypePath::Local);
            quote! { #docs pub type #ident = #ty; }
        }
    };
    gated(features, tokens)
}

/// Which serde traits a type implements: what is only sent is never
/// decoded and what is only received is never encoded, so neither needs
/// the other's code — unless the crate's `full-serde` feature asks for both.
#[derive(Clone, Copy)]
struct Directions {
    serialize: bool,
    deserialize: bool,
    /// The crate has the `full-serde` feature.
    full_serde: bool,
}

/// Whether a serde item is in the crate.
#[derive(Clone, Copy)]
enum Gate {
    Always,
    /// Behind the `full-serde` feature.
    FullSerde,
    Never,
}

impl Directions {
    /// Where an item of a direction the type does (`needed`) or does not
    /// need goes.
    fn gate(self, needed: bool) -> Gate {
        match (needed, self.full_serde) {
            (true, _) => Gate::Always,
            (false, true) => Gate::FullSerde,
            (false, false) => Gate::Never,
        }
    }

    /// The `Serialize` derive when the type always has it (to join the
    /// other derives), and a `cfg_attr` that adds it under `full-serde`
    /// when it does not. (`Deserialize` is written by hand: see
    /// [`from_json_impls`].)
    fn serialize_derive(self) -> (TokenStream, TokenStream) {
        match self.gate(self.serialize) {
            Gate::Always => (quote! { serde::Serialize, }, TokenStream::new()),
            Gate::FullSerde => {
                (TokenStream::new(), quote! { #[cfg_attr(feature = "full-serde", derive(serde::Serialize))] })
            }
            Gate::Never => (TokenStream::new(), TokenStream::new()),
        }
    }

    /// `#[serde(…)]` attributes, which only the `Serialize` derive reads:
    /// as they are, behind `full-serde` as the derive is, or none.
    fn serde_attr(self, attrs: TokenStream) -> TokenStream {
        match self.gate(self.serialize) {
            Gate::Always => quote! { #[serde(#attrs)] },
            Gate::FullSerde => quote! { #[cfg_attr(feature = "full-serde", serde(#attrs))] },
            Gate::Never => TokenStream::new(),
        }
    }

    /// A type's hand-written serde items (impls, macro calls): each it
    /// needs, and under `full-serde` the others behind that feature's `cfg`.
    fn impls(self, serialize: Vec<TokenStream>, deserialize: Vec<TokenStream>) -> TokenStream {
        let gated = |needed: bool, items: Vec<TokenStream>| match self.gate(needed) {
            Gate::Always => quote! { #(#items)* },
            Gate::FullSerde => quote! { #(#[cfg(feature = "full-serde")] #items)* },
            Gate::Never => TokenStream::new(),
        };
        let serialize = gated(self.serialize, serialize);
        let deserialize = gated(self.deserialize, deserialize);
        quote! { #serialize #deserialize }
    }
}

/// A decoded type's `FromJson` (its value read from the JSON text, one
/// non-generic function) and its `Deserialize`, which reads any format's
/// value as JSON text and calls it.
fn from_json_impls(root: &TokenStream, ident: &Ident, body: TokenStream) -> Vec<TokenStream> {
    vec![
        quote! {
            impl #root::runtime::FromJson for #ident {
                fn from_json(reader: &mut #root::runtime::Reader<'_>) -> Result<Self, #root::runtime::JsonError> {
                    #body
                }
            }
        },
        quote! { #root::runtime::deserialize_from_json!(#ident); },
    ]
}

/// The value type of a field as declared: boxed when it breaks a cycle.
fn value_type(api: &Api, ty: &TypeRef, boxed: bool) -> TokenStream {
    let ty = rust_type(api, ty, TypePath::Local);
    if boxed {
        quote! { Box<#ty> }
    } else {
        ty
    }
}

fn struct_item(api: &Api, ident: &Ident, docs: TokenStream, s: &Struct, serde: Directions) -> TokenStream {
    let root = root(api);
    let Struct { fields, constructor: _, additional, required_sets: _, repr } = s;
    let StructRepr { rename_all_camel_case, derives_default } = repr;
    let default = derives_default.then(|| quote! { Default, });
    let rename_all = rename_all_camel_case.then(|| serde.serde_attr(quote! { rename_all = "camelCase" }));
    let new = constructor_fn(api, ident, s);
    let declared = fields.iter().map(|f| field(api, f, serde));
    let extra = additional.as_ref().map(|Additional { rust_name, ty }| {
        let name = format_ident!("{}", rust_name);
        let ty = rust_type(api, ty, TypePath::Local);
        let flatten = serde.serde_attr(quote! { flatten });
        quote! {
            #[doc = " Properties not named in the schema."]
            #flatten
            pub #name: std::collections::BTreeMap<String, #ty>,
        }
    });
    let (serialize, optional) = serde.serialize_derive();
    let decode = serde.impls(Vec::new(), from_json_impls(&root, ident, struct_from_json(api, ident, s)));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #serialize)]
        #optional
        #rename_all
        pub struct #ident {
            #(#declared)*
            #extra
        }

        #decode

        #new
    }
}

/// A field's declared type: its value type, boxed when it breaks a cycle,
/// in its wrapper.
fn declared_type(api: &Api, f: &Field) -> TokenStream {
    let root = root(api);
    let inner = value_type(api, &f.ty, f.repr.boxed);
    match f.repr.wrapper {
        Wrapper::Plain => inner,
        Wrapper::Option => quote! { Option<#inner> },
        Wrapper::Nullable => quote! { #root::Nullable<#inner> },
    }
}

/// The body of a struct's `from_json`: a slot per field, filled by the
/// runtime's one object reader (the wire names sorted, each with its
/// slot), the members no field names kept as additional properties or
/// passed over; then a missing field is an error unless it is optional.
/// The reading loop is the runtime's, not each struct's: a struct costs
/// its table and one call per field.
fn struct_from_json(api: &Api, ident: &Ident, s: &Struct) -> TokenStream {
    let root = root(api);
    let expected = format!("struct {ident}");
    let slots: Vec<Ident> = (0..s.fields.len()).map(|i| format_ident!("f{}", i)).collect();
    let types = s.fields.iter().map(|f| declared_type(api, f));
    // Typed as the turbofish of `None`: a declared `Option<…>` of a
    // complex field type trips clippy's `type_complexity`.
    let slots_decl = quote! { #(let mut #slots = None::<#types>;)* };
    let wires: Vec<&str> = s.fields.iter().map(|f| f.wire_name.as_str()).collect();
    let names = s.fields.iter().map(|f| format_ident!("{}", f.rust_name));
    let indexes = (0..s.fields.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let slot_of = if s.fields.is_empty() {
        quote! { |_| None }
    } else {
        quote! {
            |key| match key {
                #(#wires => Some(#indexes),)*
                _ => None,
            }
        }
    };
    let (rest_slot, rest_arg, rest_field) = match &s.additional {
        Some(a) => {
            let name = format_ident!("{}", a.rust_name);
            (
                Some(quote! { let mut rest = std::collections::BTreeMap::new(); }),
                quote! { Some(&mut rest) },
                Some(quote! { #name: rest, }),
            )
        }
        None => (None, quote! { None }, None),
    };
    // Every slot is full once `read_object` returns: one match takes the
    // values out (no call per field).
    let build = if s.fields.is_empty() {
        quote! { Ok(Self { #rest_field }) }
    } else {
        quote! {
            match (#(#slots,)*) {
                (#(Some(#slots),)*) => Ok(Self { #(#names: #slots,)* #rest_field }),
                _ => Err(#root::runtime::unfilled(#expected)),
            }
        }
    };
    quote! {
        #slots_decl
        #rest_slot
        #root::runtime::read_object(
            reader,
            #expected,
            &[#(#wires),*],
            #slot_of,
            &mut [#(&mut #slots),*],
            #rest_arg,
        )?;
        #build
    }
}

/// `new(required…)`: every required field as an argument, every optional
/// one empty. There is no `Default` for such structs, so a newly required
/// field breaks callers' builds instead of being sent empty.
fn constructor_fn(api: &Api, ident: &Ident, s: &Struct) -> Option<TokenStream> {
    let root = root(api);
    let Struct { fields, constructor, additional, required_sets: _, repr: _ } = s;
    if constructor.is_empty() {
        return None;
    }
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for name in constructor {
        // Lowering lists fields it made; decide makes each an argument.
        let f = fields.iter().find(|f| &f.rust_name == name).expect("generator bug: a constructor field that is not");
        let FieldInit::Argument(kind) = f.repr.init else {
            panic!("generator bug: constructor field `{name}` is not an argument")
        };
        let arg = format_ident!("{}", f.rust_name);
        let inner = rust_type(api, &f.ty, TypePath::Local);
        let (ty, value) = match (kind, f.repr.boxed) {
            (ArgKind::Into, _) => (quote! { impl Into<#inner> }, Some(quote! { #arg.into() })),
            (ArgKind::Optional, true) => (quote! { Option<#inner> }, Some(quote! { #arg.map(Box::new) })),
            (ArgKind::Optional, false) => (quote! { Option<#inner> }, None),
            (ArgKind::Exact, true) => (inner, Some(quote! { Box::new(#arg) })),
            (ArgKind::Exact, false) => (inner, None),
        };
        args.push(quote! { #arg: #ty });
        inits.push(match value {
            Some(value) => quote! { #arg: #value },
            None => quote! { #arg },
        });
    }
    for f in fields.iter().filter(|f| f.repr.init == FieldInit::Empty) {
        let arg = format_ident!("{}", f.rust_name);
        inits.push(match f.repr.wrapper {
            Wrapper::Nullable => quote! { #arg: #root::Nullable::Absent },
            Wrapper::Option | Wrapper::Plain => quote! { #arg: None },
        });
    }
    let additional = additional.as_ref().map(|a| {
        let name = format_ident!("{}", a.rust_name);
        quote! { #name: Default::default(), }
    });
    let doc = " Creates the value from its required fields; the optional ones are absent.";
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

/// Builder-style setters for the fields that have one, each taking
/// `impl Into<T>` (lists: any iterable of `impl Into<T>`), so
/// `AutotuneCreate::new(..).description("…")` reads as one expression.
fn setters(api: &Api, ident: &Ident, s: &Struct) -> Option<TokenStream> {
    let root = root(api);
    let methods: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let Setter { name, takes } = f.repr.setter.as_ref()?;
            let field = format_ident!("{}", f.rust_name);
            let method = format_ident!("{}", name);
            let (arg, value) = match takes {
                SetterArg::Items => {
                    let TypeRef::List(item) = &f.ty else { return None };
                    let item = rust_type(api, item, TypePath::Local);
                    (
                        quote! { impl IntoIterator<Item = impl Into<#item>> },
                        quote! { value.into_iter().map(Into::into).collect() },
                    )
                }
                SetterArg::Into => {
                    let ty = rust_type(api, &f.ty, TypePath::Local);
                    (quote! { impl Into<#ty> }, quote! { value.into() })
                }
            };
            let value = if f.repr.boxed {
                quote! { Box::new(#value) }
            } else {
                value
            };
            let value = match f.repr.wrapper {
                Wrapper::Nullable => quote! { #root::Nullable::Value(#value) },
                Wrapper::Option | Wrapper::Plain => quote! { Some(#value) },
            };
            let doc = format!(" Sets `{}`.", f.wire_name);
            Some(quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: #arg) -> Self {
                    self.#field = #value;
                    self
                }
            })
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

/// `validate()`: the spec's ranges, `multipleOf`, item counts and lengths
/// (and a JSON form for every floating-point value), checked before a
/// request is sent, naming the first field that breaks one.
fn validate_fn(api: &Api, ident: &Ident, s: &Struct) -> TokenStream {
    let root = root(api);
    let checks = s.fields.iter().filter_map(|f| {
        let field = format_ident!("{}", f.rust_name);
        let wire = &f.wire_name;
        let mut body = TokenStream::new();
        for check in constraint_checks(&root, &f.ty, &f.repr.checks, wire) {
            body.extend(quote! { #check?; });
        }
        let nested_validates = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => api.ty(*id).validates,
            _ => false,
        };
        match &f.ty {
            TypeRef::List(item) if nested_validates(item) => body.extend(quote! {
                for (index, item) in value.iter().enumerate() {
                    item.validate().map_err(|err| err.within(&format!("{}[{}]", #wire, index)))?;
                }
            }),
            ty @ TypeRef::Named(_) if nested_validates(ty) => body.extend(quote! {
                value.validate().map_err(|err| err.within(#wire))?;
            }),
            _ => {}
        }
        if body.is_empty() {
            return None;
        }
        Some(match f.repr.wrapper {
            Wrapper::Plain => quote! { { let value = &self.#field; #body } },
            Wrapper::Option => quote! { if let Some(value) = &self.#field { #body } },
            Wrapper::Nullable => quote! { if let Some(value) = self.#field.as_option() { #body } },
        })
    });
    quote! {
        impl #ident {
            #[doc = " Checks the constraints the spec declares (ranges, `multipleOf`, item"]
            #[doc = " counts, lengths) and that every number has a JSON form (not NaN or"]
            #[doc = " infinite); the client calls it before sending."]
            pub fn validate(&self) -> Result<(), #root::ValidationError> {
                #(#checks)*
                Ok(())
            }
        }
    }
}

/// The struct as a multipart body: a part per property (a file part for
/// bytes, one per item for a list), in field order.
fn multipart_parts(root: &TokenStream, ident: &Ident, s: &Struct) -> TokenStream {
    let parts = s.fields.iter().map(|f| {
        let field = format_ident!("{}", f.rust_name);
        let wire = &f.wire_name;
        let add = match f.repr.part {
            Some(PartKind::File) => quote! { form.file(#wire, value); },
            Some(PartKind::Files) => quote! {
                for file in value {
                    form.file(#wire, file);
                }
            },
            Some(PartKind::Value) | None => quote! { form.value(#wire, value); },
        };
        match f.repr.wrapper {
            Wrapper::Plain => quote! { { let value = &self.#field; #add } },
            Wrapper::Option => quote! { if let Some(value) = &self.#field { #add } },
            Wrapper::Nullable => quote! { if let Some(value) = self.#field.as_option() { #add } },
        }
    });
    let additional = s.additional.as_ref().map(|a| {
        let name = format_ident!("{}", a.rust_name);
        quote! {
            for (key, value) in &self.#name {
                form.value(key, value);
            }
        }
    });
    quote! {
        impl #root::runtime::MultipartFields for #ident {
            fn write_parts(&self, form: &mut #root::runtime::Multipart) {
                #(#parts)*
                #additional
            }
        }
    }
}

fn field(api: &Api, f: &Field, serde: Directions) -> TokenStream {
    // The type is `declared_type`'s, which the decoder's slots share.
    let Field { rust_name, wire_name: _, doc, ty: _, presence: _, read_only, constraints, repr } = f;
    let FieldRepr { wrapper: _, boxed: _, serde: field_serde, init: _, setter: _, checks: _, part: _ } = repr;
    // `default` is for decoding, which `from_json` does by the IR.
    let FieldSerde { rename, default: _, skip } = field_serde;
    let name = format_ident!("{}", rust_name);
    let ty = declared_type(api, f);
    let mut serde_attrs = Vec::new();
    if let Some(wire) = rename {
        serde_attrs.push(quote! { rename = #wire });
    }
    match skip {
        SkipSerializing::Never => {}
        SkipSerializing::IfNone => serde_attrs.push(quote! { skip_serializing_if = "Option::is_none" }),
        SkipSerializing::IfAbsent => {
            let path = format!("{}::Nullable::is_absent", api.crate_shape.target.root());
            serde_attrs.push(quote! { skip_serializing_if = #path })
        }
        SkipSerializing::Always => serde_attrs.push(quote! { skip_serializing }),
    }
    let serde_attr = (!serde_attrs.is_empty()).then(|| serde.serde_attr(quote! { #(#serde_attrs),* }));
    let notes = constraint_notes(constraints, repr, *read_only);
    let docs = doc_paragraphs([doc.as_deref(), notes.as_deref()]);
    quote! {
        #docs
        #serde_attr
        pub #name: #ty,
    }
}

/// What the spec says about a field beyond its type, as one doc line.
fn constraint_notes(c: &Constraints, repr: &FieldRepr, read_only: bool) -> Option<String> {
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
        pattern: _,
        example: _,
        items: _,
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
    // An `Option` without a serde default: the field is present, maybe null.
    if repr.wrapper == Wrapper::Option && !repr.serde.default {
        notes.push("Always present; may be null.".to_string());
    }
    if repr.serde.skip == SkipSerializing::Always {
        notes.push("Read-only: set by the server and never sent.".to_string());
    } else if read_only {
        notes.push("Read-only: set by the server.".to_string());
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

fn enum_item(
    root: &TokenStream,
    ident: &Ident,
    name: &str,
    docs: TokenStream,
    e: &StringEnum,
    serde: Directions,
) -> TokenStream {
    let StringEnum { variants, catch_all } = e;
    let catch_all = format_ident!("{}", catch_all);
    let names: Vec<Ident> = variants.iter().map(|v| Ident::new(&v.rust_name, Span::call_site())).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let impls = serde.impls(
        vec![quote! {
            impl serde::Serialize for #ident {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }],
        vec![
            quote! {
                impl #root::runtime::FromJson for #ident {
                    fn from_json(reader: &mut #root::runtime::Reader<'_>) -> Result<Self, #root::runtime::JsonError> {
                        let text = #root::runtime::enum_text(reader)?;
                        Ok(match Self::known(&text) {
                            Some(known) => known,
                            None => Self::#catch_all(text.into_owned()),
                        })
                    }
                }
            },
            // A string in any format, self-describing or not.
            quote! {
                impl<'de> serde::Deserialize<'de> for #ident {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                        Ok(match Self::known(&text) {
                            Some(known) => known,
                            None => Self::#catch_all(text),
                        })
                    }
                }
            },
        ],
    );
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
            type Err = #root::ParseEnumError;

            #[doc = " Accepts only the values the spec lists."]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::known(value).ok_or_else(|| #root::ParseEnumError { type_name: #name, value: value.to_string() })
            }
        }

        #impls
    }
}

/// `From<payload>` for each variant whose payload type is its own (and
/// `From<&str>` for a `String` one).
fn union_conversions(api: &Api, ident: &Ident, u: &Union) -> TokenStream {
    let impls = u.variants.iter().filter(|v| v.from).map(|v| {
        let name = format_ident!("{}", v.rust_name);
        let payload = rust_type(api, &v.ty, TypePath::Local);
        let wrap = if v.boxed {
            quote! { Box::new(value) }
        } else {
            quote! { value }
        };
        let from_str = (v.ty == TypeRef::String && !v.boxed).then(|| {
            quote! {
                impl From<&str> for #ident {
                    fn from(value: &str) -> Self {
                        Self::#name(value.to_string())
                    }
                }
            }
        });
        quote! {
            impl From<#payload> for #ident {
                fn from(value: #payload) -> Self {
                    Self::#name(#wrap)
                }
            }

            #from_str
        }
    });
    quote! { #(#impls)* }
}

fn union_item(api: &Api, ident: &Ident, docs: TokenStream, u: &Union, serde: Directions) -> TokenStream {
    let root = root(api);
    let Union { variants, discriminator, unknown, variants_hold_tag } = u;
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
    let conversions = union_conversions(api, ident, u);
    let (Some(property), Some(unknown)) = (discriminator, unknown) else {
        // Variants are the spec's types as they are: boxing the large ones
        // would make every match on them clumsier.
        let (serialize, optional) = serde.serialize_derive();
        let untagged = serde.serde_attr(quote! { untagged });
        let labels = names.iter().map(Ident::to_string);
        let no_fit = format!("the value fits no variant of `{ident}`");
        // The first variant the value fits, each read from the union's own
        // text in turn; why each refused it is kept for the error.
        let decode = serde.impls(
            Vec::new(),
            from_json_impls(
                &root,
                ident,
                quote! {
                    let start = reader.mark();
                    let mut tried = Vec::new();
                    #(
                        match <#types as #root::runtime::FromJson>::from_json(reader) {
                            Ok(inner) => return Ok(Self::#names(inner)),
                            Err(err) => tried.push((#labels, err)),
                        }
                        reader.rewind(start);
                    )*
                    Err(#root::runtime::JsonError::no_variant(#no_fit, &tried))
                },
            ),
        );
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #serialize)]
            #optional
            #untagged
            #[allow(clippy::large_enum_variant)]
            pub enum #ident {
                #(#names(#types),)*
            }

            #decode

            #conversions
        };
    };
    // Decoded by hand: serde's internally tagged enums strip the tag before
    // the variant's struct sees it, but the struct declares it as a field.
    let arms = variants.iter().zip(&names).zip(&types).map(|((v, name), ty)| {
        let tags = &v.tags;
        quote! {
            #(#tags)|* => <#ty as #root::runtime::FromJson>::from_json(reader).map(Self::#name),
        }
    });
    let unknown = format_ident!("{}", unknown);
    let variant_docs = variants.iter().map(|v| doc_attrs(&format!("Selected by `{property}`: {}.", v.tags.join(", "))));
    let unknown_doc =
        doc_attrs(&format!("A `{property}` the document does not list (a newer server's variant), kept as received."));
    let expected = format!("union {ident}");
    let impls = serde.impls(
        vec![quote! {
            impl serde::Serialize for #ident {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(Self::#names(inner) => inner.serialize(serializer),)*
                        Self::#unknown(inner) => inner.serialize(serializer),
                    }
                }
            }
        }],
        from_json_impls(
            &root,
            ident,
            quote! {
                let tag = #root::runtime::union_tag(reader, #property, #expected, #variants_hold_tag)?;
                match &*tag {
                    #(#arms)*
                    _ => #root::runtime::unknown_variant(reader, #property, tag, #variants_hold_tag).map(Self::#unknown),
                }
            },
        ),
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #ident {
            #( #variant_docs #names(#types), )*
            #unknown_doc
            #unknown(#root::runtime::UnknownVariant),
        }

        #impls

        #conversions
    }
}
