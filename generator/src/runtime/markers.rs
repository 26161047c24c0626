//! The runtime's part markers, resolved for one crate.
//!
//! A piece of the runtime that only some clients need carries
//! `#[cfg(not(omit = "part"))]` (or `#[cfg(any(not(omit = "a"), not(omit =
//! "b")))]` when either part needs it, `all(…)` when both do; `#![…]` at
//! the top of a file for a whole module; `#[cfg(omit = "part")]` on what
//! stands in when the part is left out). Compiled as written, as the runtime's own unit tests
//! compile it, nothing is omitted. For a crate, `decide` says which parts
//! its code uses and under which cargo features
//! ([`crate::ir::CrateShape::runtime_parts`]); each marker is then removed
//! (the part is always used), turned into the features' `#[cfg]`, or
//! removed with the piece it marks (nothing uses it). So a crate carries
//! the runtime it calls and no dead code to hide.

use crate::ir::{Gate, RuntimeGates, RuntimePart};
use proc_macro2::LineColumn;
use std::collections::BTreeMap;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// A resolved runtime file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// When the module is compiled (`Never`: it is not emitted).
    pub module: Outcome,
    pub source: String,
    /// The top-level names kept, each with its own `cfg` predicate when it
    /// has one.
    pub names: BTreeMap<String, Option<String>>,
}

/// A marker's condition: parts used (`not(omit = "x")`), all of some
/// conditions or any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Condition {
    Used(RuntimePart),
    /// `omit = "x"`: the part is not used (for the code that replaces it).
    Omitted(RuntimePart),
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

impl Condition {
    /// The condition `text` (a `cfg` predicate, blanks removed) states, and
    /// the text after it.
    fn parse(text: &str) -> Option<(Condition, &str)> {
        let part = |name: &str| {
            RuntimePart::named(name)
                .unwrap_or_else(|| panic!("generator bug: the runtime marks a part `{name}` the IR does not know"))
        };
        if let Some(rest) = text.strip_prefix("not(omit=\"") {
            let (name, rest) = rest.split_once("\")")?;
            return Some((Condition::Used(part(name)), rest));
        }
        if let Some(rest) = text.strip_prefix("omit=\"") {
            let (name, rest) = rest.split_once('"')?;
            return Some((Condition::Omitted(part(name)), rest));
        }
        let (all, mut rest) = match (text.strip_prefix("all("), text.strip_prefix("any(")) {
            (Some(rest), _) => (true, rest),
            (_, Some(rest)) => (false, rest),
            _ => return None,
        };
        let mut parts = Vec::new();
        loop {
            let (part, after) = Condition::parse(rest)?;
            parts.push(part);
            match after.as_bytes().first() {
                Some(b',') => rest = &after[1..],
                Some(b')') => {
                    let condition = if all { Condition::All(parts) } else { Condition::Any(parts) };
                    return Some((condition, &after[1..]));
                }
                _ => return None,
            }
        }
    }

    /// Whether it uses `omit = …` (a part left out) anywhere.
    fn negative(&self) -> bool {
        match self {
            Condition::Used(_) => false,
            Condition::Omitted(_) => true,
            Condition::All(parts) | Condition::Any(parts) => parts.iter().any(Condition::negative),
        }
    }

    /// When a condition without `omit = …` holds for a crate whose code
    /// uses `gates`: `None` never.
    fn gate(&self, gates: &RuntimeGates) -> Option<Gate> {
        match self {
            Condition::Used(part) => gates.get(part).cloned(),
            Condition::Omitted(_) => unreachable!("a negative condition has no gate"),
            Condition::Any(parts) => {
                let held: Vec<Gate> = parts.iter().filter_map(|p| p.gate(gates)).collect();
                (!held.is_empty()).then(|| simplified(held.into_iter().flatten().collect()))
            }
            Condition::All(parts) => parts.iter().try_fold([Default::default()].into(), |acc: Gate, part| {
                let gate = part.gate(gates)?;
                let product =
                    acc.iter().flat_map(|a| gate.iter().map(move |b| a.union(b).cloned().collect())).collect();
                Some(simplified(product))
            }),
        }
    }

    /// When it holds for a crate whose code uses `gates`.
    pub(crate) fn outcome(&self, gates: &RuntimeGates) -> Outcome {
        if !self.negative() {
            return match self.gate(gates) {
                None => Outcome::Never,
                Some(gate) if always(&gate) => Outcome::Always,
                Some(gate) => Outcome::Cfg(predicate(&gate)),
            };
        }
        match self {
            Condition::Used(_) => unreachable!("a positive condition is handled above"),
            Condition::Omitted(part) => match Condition::Used(*part).outcome(gates) {
                Outcome::Never => Outcome::Always,
                Outcome::Always => Outcome::Never,
                Outcome::Cfg(predicate) => Outcome::Cfg(format!("not({predicate})")),
            },
            Condition::All(parts) | Condition::Any(parts) => {
                let all = matches!(self, Condition::All(_));
                let (absorbing, neutral) =
                    if all { (Outcome::Never, Outcome::Always) } else { (Outcome::Always, Outcome::Never) };
                let mut predicates = Vec::new();
                for part in parts {
                    match part.outcome(gates) {
                        Outcome::Cfg(predicate) => predicates.push(predicate),
                        outcome if outcome == absorbing => return absorbing,
                        _ => {}
                    }
                }
                match predicates.as_slice() {
                    [] => neutral,
                    [one] => Outcome::Cfg(one.clone()),
                    many => Outcome::Cfg(format!("{}({})", if all { "all" } else { "any" }, many.join(", "))),
                }
            }
        }
    }
}

/// When a marked piece is compiled in a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Never,
    Always,
    /// Under this `cfg` predicate.
    Cfg(String),
}

/// The condition a marker states, if `attr` is one.
pub(crate) fn marker(attr: &syn::Attribute) -> Option<Condition> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let text = attr.meta.require_list().ok()?.tokens.to_string().replace(' ', "");
    match Condition::parse(&text) {
        Some((condition, "")) => Some(condition),
        _ if text.contains("omit") => panic!("generator bug: a runtime marker that does not parse: cfg({text})"),
        _ => None,
    }
}

/// A gate without the feature sets that another of its sets is within
/// (`a` or `a and b` is `a`).
pub fn simplified(gate: Gate) -> Gate {
    gate.iter().filter(|set| !gate.iter().any(|other| other != *set && other.is_subset(set))).cloned().collect()
}

/// Whether a gate always holds.
pub fn always(gate: &Gate) -> bool {
    gate.iter().any(std::collections::BTreeSet::is_empty)
}

/// The gate's `cfg` predicate (`feature = "a"`, `any(all(…), …)`).
pub fn predicate(gate: &Gate) -> String {
    let sets: Vec<String> = gate
        .iter()
        .map(|set| {
            let features: Vec<String> = set.iter().map(|f| format!("feature = \"{f}\"")).collect();
            match features.as_slice() {
                [one] => one.clone(),
                _ => format!("all({})", features.join(", ")),
            }
        })
        .collect();
    match sets.as_slice() {
        [one] => one.clone(),
        _ => format!("any({})", sets.join(", ")),
    }
}

/// One marked piece of the source.
struct Marked {
    /// The attribute's byte range.
    attr: (usize, usize),
    /// The marked piece's byte range, attributes included.
    node: (usize, usize),
    condition: Condition,
    /// The top-level item's name, for an item of the file.
    name: Option<String>,
}

struct Finder<'a> {
    offsets: &'a Offsets<'a>,
    found: Vec<Marked>,
    depth: usize,
}

impl Finder<'_> {
    fn check(&mut self, attrs: &[syn::Attribute], node: &dyn quote::ToTokens, name: Option<String>) {
        for attr in attrs {
            if let Some(condition) = marker(attr) {
                if matches!(attr.style, syn::AttrStyle::Inner(_)) {
                    continue;
                }
                let attr = self.offsets.range(attr.span());
                let node = self.offsets.range(node.span());
                let name = if self.depth == 0 { name.clone() } else { None };
                self.found.push(Marked { attr, node, condition, name });
            }
        }
    }
}

/// The name a top-level item defines, for the module's re-exports.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(i) => Some(i.ident.to_string()),
        syn::Item::Enum(i) => Some(i.ident.to_string()),
        syn::Item::Fn(i) => Some(i.sig.ident.to_string()),
        syn::Item::Type(i) => Some(i.ident.to_string()),
        syn::Item::Trait(i) => Some(i.ident.to_string()),
        syn::Item::Const(i) => Some(i.ident.to_string()),
        syn::Item::Static(i) => Some(i.ident.to_string()),
        syn::Item::Macro(i) => i.ident.as_ref().map(ToString::to_string),
        _ => None,
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        self.check(item_attrs(item), item, item_name(item));
        self.depth += 1;
        syn::visit::visit_item(self, item);
        self.depth -= 1;
    }
    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs: &[syn::Attribute] = match item {
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            _ => &[],
        };
        self.check(attrs, item, None);
        syn::visit::visit_impl_item(self, item);
    }
    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        if let syn::TraitItem::Fn(f) = item {
            self.check(&f.attrs, item, None);
        }
        syn::visit::visit_trait_item(self, item);
    }
    fn visit_variant(&mut self, node: &'ast syn::Variant) {
        self.check(&node.attrs, node, None);
        syn::visit::visit_variant(self, node);
    }
    fn visit_field(&mut self, node: &'ast syn::Field) {
        self.check(&node.attrs, node, None);
        syn::visit::visit_field(self, node);
    }
    fn visit_arm(&mut self, node: &'ast syn::Arm) {
        self.check(&node.attrs, node, None);
        syn::visit::visit_arm(self, node);
    }
    fn visit_local(&mut self, node: &'ast syn::Local) {
        self.check(&node.attrs, node, None);
        syn::visit::visit_local(self, node);
    }
    fn visit_field_value(&mut self, node: &'ast syn::FieldValue) {
        self.check(&node.attrs, node, None);
        syn::visit::visit_field_value(self, node);
    }
    fn visit_stmt(&mut self, node: &'ast syn::Stmt) {
        match node {
            syn::Stmt::Expr(expr, _) => {
                let attrs: &[syn::Attribute] = match expr {
                    syn::Expr::If(e) => &e.attrs,
                    syn::Expr::Call(e) => &e.attrs,
                    syn::Expr::MethodCall(e) => &e.attrs,
                    syn::Expr::Block(e) => &e.attrs,
                    syn::Expr::Match(e) => &e.attrs,
                    syn::Expr::Assign(e) => &e.attrs,
                    syn::Expr::ForLoop(e) => &e.attrs,
                    syn::Expr::While(e) => &e.attrs,
                    syn::Expr::Macro(e) => &e.attrs,
                    _ => &[],
                };
                self.check(attrs, node, None);
            }
            syn::Stmt::Macro(m) => self.check(&m.attrs, node, None),
            _ => {}
        }
        syn::visit::visit_stmt(self, node);
    }
}

/// Line starts, to turn spans into byte offsets.
struct Offsets<'a> {
    text: &'a str,
    lines: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Offsets { text, lines }
    }

    fn byte(&self, at: LineColumn) -> usize {
        let start = self.lines[at.line - 1];
        let line = &self.text[start..];
        start + line.char_indices().nth(at.column).map_or(line.len(), |(i, _)| i)
    }

    fn range(&self, span: proc_macro2::Span) -> (usize, usize) {
        (self.byte(span.start()), self.byte(span.end()))
    }
}

/// The module's own marker (`#![cfg(not(omit = …))]` at its top), if any.
fn module_marker(file: &syn::File) -> Option<Condition> {
    file.attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Inner(_))).find_map(marker)
}

/// Resolves a runtime file's markers for a crate whose code uses `gates`.
pub(crate) fn resolve(name: &str, source: &str, gates: &RuntimeGates) -> Resolved {
    let file = syn::parse_file(source).unwrap_or_else(|e| panic!("generator bug: runtime/{name}.rs: {e}"));
    let offsets = Offsets::new(source);
    let module_condition = module_marker(&file);
    let module = module_condition.as_ref().map_or(Outcome::Always, |condition| condition.outcome(gates));
    let mut finder = Finder { offsets: &offsets, found: Vec::new(), depth: 0 };
    finder.visit_file(&file);
    let mut names: BTreeMap<String, Option<String>> =
        file.items.iter().filter_map(item_name).map(|n| (n, None)).collect();

    // (start, end, replacement), outermost first.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // Where removed pieces end that were the last of a one-line list.
    let mut ends_line: Vec<usize> = Vec::new();
    let mut marked = finder.found;
    marked.sort_by_key(|m| (m.node.0, std::cmp::Reverse(m.node.1)));
    for m in marked {
        if edits.iter().any(|(start, end, text)| text.is_empty() && *start <= m.node.0 && m.node.1 <= *end) {
            continue; // inside a piece already removed
        }
        match m.condition.outcome(gates) {
            Outcome::Never => {
                if let Some(name) = &m.name {
                    names.remove(name);
                }
                let (start, end, last) = widen(source, m.node, true);
                edits.push((start, end, String::new()));
                if last {
                    ends_line.push(end);
                }
            }
            Outcome::Always => {
                let (start, end, _) = widen(source, m.attr, false);
                edits.push((start, end, String::new()));
            }
            Outcome::Cfg(predicate) => {
                edits.push((m.attr.0, m.attr.1, format!("#[cfg({predicate})]")));
                if let Some(name) = &m.name {
                    names.insert(name.clone(), Some(predicate));
                }
            }
        }
    }
    // Removals that touch (the comma between two fields both removed) are
    // one removal.
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut merged: Vec<(usize, usize, String)> = Vec::with_capacity(edits.len());
    for edit in edits {
        match merged.last_mut() {
            Some(last) if last.2.is_empty() && edit.2.is_empty() && edit.0 <= last.1 => last.1 = last.1.max(edit.1),
            _ => merged.push(edit),
        }
    }
    // A one-line list that loses its last element loses the comma before
    // it (`Pair { a: 1 }`, not `Pair { a: 1, }`).
    for (start, end, text) in &mut merged {
        let before = source[..*start].trim_end_matches(' ');
        if text.is_empty() && ends_line.contains(end) && before.ends_with(',') {
            *start = before.len() - 1;
        }
    }
    let mut edits = merged;
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = source.to_string();
    for (start, end, text) in edits {
        out.replace_range(start..end, &text);
    }
    // The module's own marker goes; its gate is on its `mod` line.
    if let Some(start) = out.find("#![cfg(").filter(|_| module_condition.is_some()) {
        let end = start + out[start..].find('\n').map_or(out.len() - start, |n| n + 1);
        out.replace_range(start..end, "");
    }
    Resolved { module, source: tidy(&out), names }
}

/// The text with the blank lines a removed piece leaves behind gone: one
/// blank line at most between items, none after an opening brace or
/// before a closing one (as rustfmt writes the runtime's sources).
fn tidy(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            let after_open = out.last().is_none_or(|prev| prev.trim().is_empty() || prev.trim_end().ends_with('{'));
            let before_close = lines.get(i + 1).is_some_and(|next| next.trim_start().starts_with('}'));
            if after_open || before_close {
                continue;
            }
        }
        out.push(line);
    }
    let mut tidied = out.join("\n");
    tidied.push('\n');
    tidied
}

/// A range widened to whole lines when only blanks share them with it:
/// for a removed piece, also its trailing comma and the `//` comment lines
/// right above it; and whether the piece was the last of a one-line list
/// (so the comma before it goes too, once touching removals are merged).
fn widen(text: &str, (mut start, mut end): (usize, usize), piece: bool) -> (usize, usize, bool) {
    let mut last_in_line = false;
    if piece {
        let rest = &text[end..];
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if rest[blanks..].starts_with(',') {
            end += blanks + 1;
        } else {
            last_in_line = !rest[blanks..].starts_with('\n');
        }
    }
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
    let whole_lines = text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty();
    if !whole_lines && !last_in_line && text[end..].starts_with(' ') {
        // Within a line: the blank after it goes too.
        end += 1;
    }
    if whole_lines {
        start = line_start;
        end = line_end;
        while piece && start > 0 {
            let above = text[..start - 1].rfind('\n').map_or(0, |n| n + 1);
            let line = text[above..start].trim();
            if line.starts_with("//") && !line.starts_with("//!") && !line.starts_with("///") {
                start = above;
            } else {
                break;
            }
        }
    }
    (start, end, last_in_line && !whole_lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::RuntimePart;

    fn gates(parts: &[(RuntimePart, &[&[&str]])]) -> RuntimeGates {
        parts
            .iter()
            .map(|(part, sets)| (*part, sets.iter().map(|set| set.iter().map(|f| f.to_string()).collect()).collect()))
            .collect()
    }

    const SOURCE: &str = r#"//! A module.

use super::Always;
#[cfg(not(omit = "page_cursor"))]
use super::Cursor;

/// Kept always.
pub(crate) fn kept() {}

#[cfg(not(omit = "page_cursor"))]
/// Only with cursors.
pub(crate) fn cursors() {}

// Why links are read this way.
#[cfg(not(omit = "page_link"))]
/// Only with links.
pub(crate) fn links() {}

pub(crate) enum Next {
    #[cfg(not(omit = "page_cursor"))]
    Cursor(String),
    #[cfg(not(omit = "page_link"))]
    Url(String),
}

pub(crate) fn either(next: Next) -> u8 {
    #[cfg(omit = "page_link")]
    let x = 1;
    #[cfg(not(omit = "page_link"))]
    let x = 2;
    match next {
        #[cfg(not(omit = "page_cursor"))]
        Next::Cursor(_) => x,
        #[cfg(any(not(omit = "page_cursor"), all(not(omit = "page_link"), not(omit = "page_url"))))]
        _ => 0,
    }
}

pub(crate) fn literal() -> Pair {
    Pair { a: 1, #[cfg(not(omit = "page_link"))] b: 2, #[cfg(not(omit = "page_cursor"))] c: 3 }
}
"#;

    #[test]
    fn a_part_used_always_loses_its_marker_and_an_unused_one_its_piece() {
        let gates = gates(&[(RuntimePart::PageCursor, &[&[]])]);
        let resolved = resolve("test", SOURCE, &gates);
        assert_eq!(
            resolved.source,
            r#"//! A module.

use super::Always;
use super::Cursor;

/// Kept always.
pub(crate) fn kept() {}

/// Only with cursors.
pub(crate) fn cursors() {}

pub(crate) enum Next {
    Cursor(String),
}

pub(crate) fn either(next: Next) -> u8 {
    let x = 1;
    match next {
        Next::Cursor(_) => x,
        _ => 0,
    }
}

pub(crate) fn literal() -> Pair {
    Pair { a: 1, c: 3 }
}
"#
        );
        assert_eq!(resolved.module, Outcome::Always);
        assert_eq!(
            resolved.names.keys().map(String::as_str).collect::<Vec<_>>(),
            ["Next", "cursors", "either", "kept", "literal"]
        );
        // The last field of a one-line literal takes the comma before it.
        let none = resolve("test", SOURCE, &RuntimeGates::new());
        assert!(none.source.contains("    Pair { a: 1 }\n"), "{}", none.source);
    }

    #[test]
    fn a_part_used_under_features_gets_their_cfg_and_its_absence_the_negation() {
        let gates = gates(&[
            (RuntimePart::PageCursor, &[&[]]),
            (RuntimePart::PageLink, &[&["links"], &["more", "full-serde"]]),
            (RuntimePart::PageUrl, &[&["links"]]),
        ]);
        let resolved = resolve("test", SOURCE, &gates);
        let links = r#"any(all(feature = "full-serde", feature = "more"), feature = "links")"#;
        assert!(resolved
            .source
            .contains(&format!("// Why links are read this way.\n#[cfg({links})]\n/// Only with links.\n")));
        assert!(resolved
            .source
            .contains(&format!("    #[cfg(not({links}))]\n    let x = 1;\n    #[cfg({links})]\n    let x = 2;")));
        // `any` with a part always used holds always; `all` is the product.
        assert!(resolved.source.contains("        Next::Cursor(_) => x,\n        _ => 0,\n"));
        assert_eq!(resolved.names["links"], Some(links.to_string()));
        assert_eq!(resolved.names["kept"], None);
    }

    #[test]
    fn the_complete_runtime_is_its_sources_without_their_markers() {
        let every: Gate = [Default::default()].into();
        let gates: RuntimeGates = RuntimePart::ALL.iter().map(|p| (*p, every.clone())).collect();
        for module in crate::runtime::MODULES {
            let resolved = resolve(module.name, module.source, &gates);
            let file = syn::parse_file(module.source).expect("a runtime module parses");
            let mut expected = String::new();
            // The indentation of a stand-in for an omitted part being
            // skipped (`#[cfg(omit = …)]`), up to the line that ends it.
            let mut skipping: Option<usize> = None;
            for line in module.source.lines() {
                let trimmed = line.trim();
                let indent = line.len() - line.trim_start().len();
                if let Some(at) = skipping {
                    if indent == at && (trimmed == "}" || trimmed.ends_with(';') || trimmed.ends_with(',')) {
                        skipping = None;
                    }
                    continue;
                }
                if trimmed.starts_with("#[cfg(omit") {
                    skipping = Some(indent);
                    // Its docs go with it.
                    while expected.lines().last().is_some_and(|l| l.trim_start().starts_with("///")) {
                        let cut = expected.trim_end_matches('\n').rfind('\n').map_or(0, |n| n + 1);
                        expected.truncate(cut);
                    }
                    continue;
                }
                let positive = trimmed.starts_with("#[cfg(") && trimmed.ends_with(")]") && trimmed.contains("omit");
                let inner = trimmed.starts_with("#![cfg(") && module_marker(&file).is_some();
                if !positive && !inner {
                    // Markers within a line (fields of a struct literal).
                    let mut line = line.to_string();
                    while let Some(at) = line.find(" #[cfg(").filter(|_| line.contains("omit = ")) {
                        let end = at + line[at..].find(")] ").expect("an inline marker ends") + 3;
                        line.replace_range(at + 1..end, "");
                    }
                    expected.push_str(&line);
                    expected.push('\n');
                }
            }
            let expected = tidy(&expected);
            assert_eq!(resolved.source, expected, "runtime/{}.rs", module.name);
        }
    }

    #[test]
    fn every_part_is_marked_somewhere_in_the_runtime() {
        let sources: String = crate::runtime::MODULES.iter().map(|m| m.source).collect();
        for part in RuntimePart::ALL {
            assert!(
                sources.contains(&format!("omit = \"{}\"", part.name())),
                "no runtime code is marked with the part `{}`",
                part.name()
            );
        }
    }
}
