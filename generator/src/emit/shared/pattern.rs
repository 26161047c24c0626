//! A string that matches a schema's `pattern`: the regular expression is
//! parsed (ECMA-262 patterns are close enough to Rust's syntax for the ones
//! documents use) and walked, taking the first branch of each alternation,
//! the first readable character of each class and the fewest repetitions.
//! The result is checked with the real matcher; a pattern that cannot be
//! parsed, or whose walk does not match, gives `None`.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A sample that `pattern` matches (searched, as JSON Schema does: the
/// pattern is not anchored unless it says so), at least `min_len`
/// characters long when repetitions allow it.
pub(super) fn sample(pattern: &str, min_len: usize) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let matcher = regex::Regex::new(pattern).ok()?;
    // Fewest repetitions first; then more, to reach a minimum length.
    for extra in [0, 1, 4, 16, 64] {
        let mut out = String::new();
        walk(&hir, extra, &mut out)?;
        if matcher.is_match(&out) && out.chars().count() >= min_len {
            return Some(out);
        }
    }
    None
}

/// Whether `text` matches `pattern` (`None` when the pattern is not one
/// Rust's regex reads).
pub(super) fn matches(pattern: &str, text: &str) -> Option<bool> {
    regex::Regex::new(pattern).ok().map(|r| r.is_match(text))
}

fn walk(hir: &Hir, extra: u32, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            // A letter or digit reads better than punctuation or a space.
            let readable = ranges.iter().flat_map(|r| [r.start(), r.end()]).find(|c| c.is_ascii_alphanumeric());
            out.push(readable.or_else(|| ranges.first().map(|r| r.start()))?);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let byte = class.ranges().first()?.start();
            out.push(char::from(byte).is_ascii().then_some(char::from(byte))?);
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(u32::MAX);
            let count = rep.min.saturating_add(extra).min(max);
            for _ in 0..count {
                walk(&rep.sub, extra, out)?;
            }
        }
        HirKind::Capture(capture) => walk(&capture.sub, extra, out)?,
        HirKind::Concat(parts) => {
            for part in parts {
                walk(part, extra, out)?;
            }
        }
        HirKind::Alternation(branches) => walk(branches.first()?, extra, out)?,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn samples_match_their_patterns() {
        for (pattern, want) in [
            (r"^\d+$", "0"),
            (r"^[a-z]{3}-[0-9]{2,4}$", "aaa-00"),
            (r"^(addr|stake)1[a-z0-9]+$", "addr10"),
            (r"^[A-Fa-f0-9]{64}$", &"0".repeat(64)),
            (r"^v\d+\.\d+$", "v0.0"),
        ] {
            assert_eq!(sample(pattern, 0).as_deref(), Some(want), "{pattern}");
        }
        assert_eq!(sample(r"^[a-z]+$", 5).as_deref(), Some("aaaaa"));
        assert_eq!(sample(r"(?<=a)b", 0), None, "look-behind is not read");
    }
}
