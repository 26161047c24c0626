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
/// Each is read on its own: a description written in HTML is converted
/// without touching the generator's own Markdown beside it (the route's
/// code span would be escaped to `\GET /a\`).
pub fn doc_paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for part in parts.into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()) {
        let sanitized = sanitize(part);
        if sanitized.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitized);
    }
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #[doc = #line] }
    });
    quote! { #(#attrs)* }
}

/// Rewrites Markdown so that rustdoc shows it as prose; a description
/// written in HTML (`<p>…</p>`, links, lists) is converted to Markdown
/// first, its links kept.
pub fn sanitize(text: &str) -> Vec<String> {
    // Whole, or paragraph by paragraph, or line by line where a document
    // mixes HTML into Markdown (converting the whole would escape the
    // Markdown).
    let convert = |part: &str| htmd::convert(part).unwrap_or_else(|_| part.to_string());
    let converted = if has_html(text) {
        convert(text)
    } else {
        let paragraphs: Vec<String> = text
            .split("\n\n")
            .map(|paragraph| {
                if has_html(paragraph) {
                    convert(paragraph)
                } else {
                    let lines: Vec<String> =
                        paragraph.lines().map(|l| if has_html(l) { convert(l) } else { l.to_string() }).collect();
                    lines.join("\n")
                }
            })
            .collect();
        paragraphs.join("\n\n")
    };
    let text = converted.as_str();
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

/// Elements of HTML prose: a description with one of them (outside code
/// spans) and no Markdown of its own is written in HTML.
const HTML_BLOCKS: [&str; 23] = [
    "p",
    "ul",
    "ol",
    "li",
    "div",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "dl",
    "hr",
    "br",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "code",
];

/// Whether `text` is HTML prose (`<p>…</p>`, lists, links, breaks) to
/// convert: a tag outside code spans, and none of Markdown's own marks
/// (which the conversion would escape). `Vec<String>`, `a < b` or a `<br>`
/// beside Markdown do not count.
fn has_html(text: &str) -> bool {
    let markdown = ["**", "](", "\n- ", "\n* ", "\n# ", "```"].iter().any(|mark| text.contains(mark))
        || text.starts_with("- ")
        || text.starts_with("# ");
    if markdown {
        return false;
    }
    let mut in_code = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '`' => in_code = !in_code,
            '<' if !in_code => {
                let name: String = chars[i + 1..]
                    .iter()
                    .skip_while(|c| **c == '/')
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let slash = usize::from(chars.get(i + 1) == Some(&'/'));
                let next = chars.get(i + 1 + slash + name.chars().count());
                if HTML_BLOCKS.contains(&name.as_str()) && next.is_some_and(|c| matches!(c, '>' | ' ' | '/' | '\n')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
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
    fn an_html_description_leaves_the_paragraphs_beside_it_alone() {
        let docs = doc_paragraphs([
            Some("List all customers"),
            Some("<p>Returns a list of your customers.</p>"),
            Some("`GET /v1/customers`"),
        ])
        .to_string();
        assert!(docs.contains("\" `GET /v1/customers`\""), "{docs}");
        assert!(!docs.contains("\\\\`"), "a code span was escaped: {docs}");
        assert!(docs.contains("\" Returns a list of your customers.\""), "{docs}");
    }

    #[test]
    fn html_descriptions_become_markdown() {
        let lines = sanitize(
            "<p>Creates a <strong>customer</strong>. See <a href=\"https://example.com/docs\">the docs</a>.</p><ul><li>one</li><li>two &amp; three</li></ul>",
        );
        assert_eq!(
            lines,
            ["Creates a **customer**. See [the docs](https://example.com/docs).", "", "*   one", "*   two & three"]
        );
        // Angle brackets that are no HTML stay escaped prose.
        assert_eq!(sanitize("A Vec<String> where a < b"), ["A Vec\\<String\\> where a \\< b"]);
        assert!(!has_html("a <b") && !has_html("`<p>` in code") && !has_html("**Note**<p>mixed</p>"));
        // Mixed into Markdown, line by line.
        assert_eq!(
            sanitize("Use **keys**.\n<br /><br />\n<b>Rate limits</b>\nAt most <code>100 / 10 s</code>."),
            ["Use **keys**.", "", "**Rate limits**", "At most `100 / 10 s`."]
        );
        assert!(has_html("<p>a</p>") && has_html("text</p>") && has_html("<ul>\n<li>x</li></ul>"));
    }

    #[test]
    fn prose_is_escaped() {
        let table = [
            ("See [docs](https://x.io/a) now", "See [docs](https://x.io/a) now"),
            ("a [b] c", "a \\[b\\] c"),
            // HTML prose becomes Markdown (a trailing break is dropped).
            ("<b>Bold</b><br />", "**Bold**"),
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
