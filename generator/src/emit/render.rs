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
/// first, without one.
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
        let items = std::mem::take(&mut shell.items);
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
