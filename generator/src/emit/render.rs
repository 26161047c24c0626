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

/// Makes one or more token streams for a file. Token streams cannot cross
/// threads, so a file is described by pieces, each made on the thread
/// that renders it.
pub type Piece<'a> = Box<dyn Fn() -> Vec<TokenStream> + Send + Sync + 'a>;

/// A file to render: its header and its pieces, in order.
pub struct Pieces<'a> {
    pub header: String,
    pub pieces: Vec<Piece<'a>>,
}

/// Renders every item on its own and joins them with one blank line
/// (prettyplease puts none between items); inner attributes (`//!`) come
/// first, without one. An inner `#![cfg(…)]` in a stream (see
/// `shared::gated`) gates each item of that stream instead.
pub fn file(header: &str, streams: impl IntoIterator<Item = TokenStream>) -> Result<String, RenderError> {
    assemble(header, streams.into_iter().map(|stream| vec![render_stream(stream)]))
}

/// Renders files on every core, piece by piece in whatever order the
/// threads take them; each file's text is the same as [`file`] gives for
/// its pieces' streams in order.
pub fn files(files: Vec<Pieces<'_>>) -> Result<Vec<String>, RenderError> {
    let jobs: Vec<(usize, usize)> =
        files.iter().enumerate().flat_map(|(f, file)| (0..file.pieces.len()).map(move |p| (f, p))).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let job = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&(f, p)) = jobs.get(job) else { return done };
            let streams = (files[f].pieces[p])();
            done.push((job, streams.into_iter().map(render_stream).collect::<Vec<_>>()));
        }
    };
    let mut rendered: Vec<Option<Vec<Result<Rendered, String>>>> = (0..jobs.len()).map(|_| None).collect();
    let finished = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut finished = vec![Ok(work())];
        finished.extend(helpers.into_iter().map(|h| h.join()));
        finished
    });
    for outcome in finished {
        // A panic in a thread is a generator bug; report it as one.
        let done = outcome.map_err(|_| RenderError { message: "an emitter panicked".into(), item: String::new() })?;
        for (job, streams) in done {
            rendered[job] = Some(streams);
        }
    }
    let mut rendered = rendered.into_iter().map(Option::unwrap_or_default);
    let mut texts = Vec::with_capacity(files.len());
    for file in &files {
        texts.push(assemble(&file.header, rendered.by_ref().take(file.pieces.len()))?);
    }
    Ok(texts)
}

/// One token stream's text: its inner attributes, then each item's.
struct Rendered {
    inner: String,
    items: Vec<String>,
}

/// The header, then the rendered streams, items one blank line apart; the
/// first stream that did not parse is the error.
fn assemble(
    header: &str,
    pieces: impl IntoIterator<Item = Vec<Result<Rendered, String>>>,
) -> Result<String, RenderError> {
    let rendered: Vec<Result<Rendered, String>> = pieces.into_iter().flatten().collect();
    // Sized once: a file can be megabytes, and growing it by doubling
    // would hold up to twice that.
    let size = rendered
        .iter()
        .flatten()
        .map(|r| r.inner.len() + r.items.iter().map(|i| i.len() + 1).sum::<usize>())
        .sum::<usize>();
    let mut out = String::with_capacity(header.len() + size);
    out.push_str(header);
    let mut first_item = true;
    for (index, rendered) in rendered.into_iter().enumerate() {
        let Rendered { inner, items } =
            rendered.map_err(|message| RenderError { message, item: format!("token stream {index} of the file") })?;
        out.push_str(&inner);
        for item in items {
            if !first_item || out.len() > header.len() {
                out.push('\n');
            }
            first_item = false;
            out.push_str(&item);
        }
    }
    Ok(out)
}

/// Parses and prints one token stream (the parse error's message if it is
/// not Rust).
fn render_stream(stream: TokenStream) -> Result<Rendered, String> {
    // Not cloned for the error message: a shared token stream is deep-
    // copied when parsed, which costs more than the rest of the render.
    let parsed: syn::File = syn::parse2(stream).map_err(|err| err.to_string())?;
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
    let inner = if shell.attrs.is_empty() { String::new() } else { prettyplease::unparse(&shell) };
    shell.attrs.clear();
    let items = items
        .into_iter()
        .map(|item| {
            shell.items = vec![item];
            prettyplease::unparse(&shell)
        })
        .collect();
    Ok(Rendered { inner, items })
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
