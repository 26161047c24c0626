//! Descriptions → rustdoc attributes that render and never fail: no
//! accidental doctests, no broken intra-doc links, no unbalanced HTML, no
//! bare URLs (each of these is a rustdoc warning or a failing test).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` attributes, one per line, so prettyplease prints
/// them as `///` comments.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #[doc = #line] }
    });
    quote! { #(#attrs)* }
}

/// Doc attributes for text the generator writes itself, which may use
/// intra-doc links: printed as it is, one attribute per line.
pub fn trusted(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #[doc = #line] }
    });
    quote! { #(#attrs)* }
}

/// One line of prose from the document, escaped for rustdoc (for building
/// [`trusted`] text around it).
pub fn escape(text: &str) -> String {
    escape_inline(text)
}

/// Joins optional paragraphs into doc attributes, skipping empty ones.
pub fn doc_paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let parts: Vec<&str> = parts.into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return TokenStream::new();
    }
    doc_attrs(&parts.join("\n\n"))
}

/// Rewrites Markdown so that rustdoc shows it as prose.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    // The indentation of the open list item's text, for its continuation lines.
    let mut list_indent: Option<usize> = None;
    // Tabs render unevenly (and clippy refuses them in docs).
    let text = text.replace('\t', "    ");
    for raw in text.trim().lines() {
        let trimmed = raw.trim();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
            }
            out.push(raw.trim_end().to_string());
            continue;
        }
        if let Some(marker) = ["```", "~~~"].iter().find(|m| trimmed.starts_with(**m)) {
            // An untagged fence would be compiled as a doctest.
            let info = trimmed[marker.len()..].trim();
            let tag = if info.is_empty() || info == "rust" { "text" } else { info };
            out.push(format!("{marker}{tag}"));
            fence = Some(marker.to_string());
            continue;
        }
        // Leading indentation would make an indented code block (a doctest),
        // so lines lose theirs; a list item's continuation lines get the
        // item's, so they stay part of it.
        if trimmed.is_empty() {
            list_indent = None;
            out.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
            out.push(escape_inline(trimmed));
        } else if let Some(width) = list_indent {
            out.push(format!("{}{}", " ".repeat(width), escape_inline(trimmed)));
        } else {
            out.push(escape_inline(trimmed));
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Where a list item's text starts (its marker, `- `, `*   `, `12. `, `3) `,
/// and the spaces after it), if the line starts one.
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && digits < 10 && line[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        return None;
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    // One to four spaces; five or more would start code inside the item.
    (1..=4).contains(&spaces).then_some(marker + spaces)
}

/// Escapes what rustdoc would misread in one line of prose: `[x]` (an
/// intra-doc link), `<b>` (HTML), `~` (strikethrough), bare URLs.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            if let Some(end) = markdown_link_end(&chars, i) {
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
        }
        if let Some(end) = url_end(&chars, i) {
            let url: String = chars[i..end].iter().collect();
            out.push('<');
            out.push_str(&url);
            out.push('>');
            i = end;
            continue;
        }
        match c {
            '[' | ']' | '<' | '>' | '~' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if in_code {
        // An unclosed backtick would swallow the rest of the paragraph.
        out.push('`');
    }
    out
}

/// End (exclusive) of a `[text](http…)` link starting at `start`.
fn markdown_link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = (start + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let target_end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    let target: String = chars[close + 2..target_end].iter().collect();
    (target.starts_with("http://") || target.starts_with("https://")).then_some(target_end + 1)
}

/// End (exclusive) of a bare `http(s)://` URL starting at `start`.
fn url_end(chars: &[char], start: usize) -> Option<usize> {
    let rest: String = chars[start..chars.len().min(start + 8)].iter().collect();
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    let mut end = start;
    while end < chars.len() && !chars[end].is_whitespace() && !matches!(chars[end], '<' | '>' | '"' | '`' | ')') {
        end += 1;
    }
    // Trailing punctuation belongs to the sentence, not the URL.
    while end > start && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
        end -= 1;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_escaped() {
        let table = [
            ("See [docs](https://x.io/a) now", "See [docs](https://x.io/a) now"),
            ("a [b] c", "a \\[b\\] c"),
            ("<b>Bold</b><br />", "\\<b\\>Bold\\</b\\>\\<br /\\>"),
            ("~ 100reqs / 10secs ~", "\\~ 100reqs / 10secs \\~"),
            ("go to https://statsig.com.", "go to <https://statsig.com>."),
            ("`a<b>` stays", "`a<b>` stays"),
            ("unclosed `code", "unclosed `code`"),
            ("configuration’s purpose", "configuration’s purpose"),
            ("a\tb", "a    b"),
        ];
        for (input, expected) in table {
            assert_eq!(sanitize(input), vec![expected.to_string()], "input {input:?}");
        }
    }

    #[test]
    fn list_items_keep_their_continuation_lines() {
        let lines = sanitize("Notes:\n\n- first item\nwraps here\n  - nested\n10. ten\nmore\n*   wide\nwraps\n\nafter");
        assert_eq!(
            lines,
            vec![
                "Notes:",
                "",
                "- first item",
                "  wraps here",
                "- nested",
                "10. ten",
                "    more",
                "*   wide",
                "    wraps",
                "",
                "after"
            ]
        );
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        let lines = sanitize("intro\n\n    indented code\n```\nfn x() {}\n```");
        assert_eq!(lines, vec!["intro", "", "indented code", "```text", "fn x() {}", "```"]);
        assert_eq!(sanitize("```\nopen"), vec!["```text", "open", "```"]);
    }
}
