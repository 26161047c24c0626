//! Text a server controls, made safe to show: one line, of bounded length.

/// `text` as one line of at most `max` characters: control characters
/// (line breaks, escape sequences) are escaped, so a server cannot forge a
/// log line or move a terminal's cursor, and a longer text is cut with `…`.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(2)));
    for (shown, ch) in text.chars().enumerate() {
        if shown >= max {
            out.push('…');
            break;
        }
        if ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}') {
            out.extend(ch.escape_default());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(not(omit = "operations"))]
/// `text` cut to at most `max` bytes (on a character boundary), saying how
/// much was cut.
pub(crate) fn capped(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes not kept)", &text[..end], text.len() - end)
}
