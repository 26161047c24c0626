//! Tokens → source text, through `syn` and `prettyplease` (not a
//! shelled-out rustfmt, so the text does not depend on the machine).

use proc_macro2::TokenStream;
use std::fmt;

/// Emitted tokens that do not parse as Rust: a generator bug, reported
/// with the offending item instead of a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
    pub item: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internal error: the generator emitted invalid Rust ({}) in:\n{}", self.message, self.item)
    }
}

impl std::error::Error for RenderError {}

/// Renders every item on its own and joins them with one blank line
/// (prettyplease puts none between items); inner attributes (`//!`) come
/// first, without one. An inner `#![cfg(…)]` in a stream (see
/// `shared::gated`) gates each item of that stream instead.
pub fn file(header: &str, streams: impl IntoIterator<Item = TokenStream>) -> Result<String, RenderError> {
    let mut out = String::from(header);
    let mut first_item = true;
    for (index, stream) in streams.into_iter().enumerate() {
        // Not cloned for the error message: a shared token stream is deep-
        // copied when parsed, which costs more than the rest of the render.
        let parsed: syn::File = syn::parse2(stream).map_err(|err| RenderError {
            message: err.to_string(),
            item: format!("token stream {index} of the file"),
        })?;
        let mut shell = parsed;
        let mut items = std::mem::take(&mut shell.items);
        let (gates, attrs): (Vec<syn::Attribute>, Vec<syn::Attribute>) =
            std::mem::take(&mut shell.attrs).into_iter().partition(|a| a.path().is_ident("cfg"));
        shell.attrs = attrs;
        for gate in gates {
            let outer = syn::Attribute { style: syn::AttrStyle::Outer, ..gate };
            for item in &mut items {
                if let Some(attrs) = item_attrs(item) {
                    let after_docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
                    attrs.insert(after_docs, outer.clone());
                }
            }
        }
        if !shell.attrs.is_empty() {
            out.push_str(&prettyplease::unparse(&shell));
        }
        shell.attrs.clear();
        for item in items {
            if !first_item || out.len() > header.len() {
                out.push('\n');
            }
            first_item = false;
            shell.items = vec![item];
            out.push_str(&prettyplease::unparse(&shell));
        }
    }
    Ok(out)
}

/// The attributes of the items emitters make.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    match item {
        Item::Const(i) => Some(&mut i.attrs),
        Item::Enum(i) => Some(&mut i.attrs),
        Item::Fn(i) => Some(&mut i.attrs),
        Item::Impl(i) => Some(&mut i.attrs),
        Item::Macro(i) => Some(&mut i.attrs),
        Item::Mod(i) => Some(&mut i.attrs),
        Item::Static(i) => Some(&mut i.attrs),
        Item::Struct(i) => Some(&mut i.attrs),
        Item::Trait(i) => Some(&mut i.attrs),
        Item::Type(i) => Some(&mut i.attrs),
        Item::Use(i) => Some(&mut i.attrs),
        _ => None,
    }
}
