//! Every Rust identifier the generator emits is made here: sanitising wire
//! names, escaping keywords and keeping names unique within one scope.
//!
//! Wire names are never changed; only the Rust side is. All functions are
//! pure, so the same spec always yields the same names.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords (strict and reserved, all editions). A snake_case name that
/// equals one gets a trailing underscore.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Reads a plural acronym (`IDs`, `URLs`) as one word, so `holdoutIDs`
/// becomes `holdout_ids` rather than `holdout_i_ds`.
fn join_plural_acronyms(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let plural_s = chars.get(i + run) == Some(&'s');
        let ends_word = chars.get(i + run + 1).is_none_or(|c| !c.is_ascii_lowercase());
        if run >= 2 && plural_s && ends_word {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(char::to_ascii_lowercase));
            out.push('s');
            i += run + 1;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Turns punctuation that carries meaning into words before case
/// conversion, so `99%` and `99` or `+1` and `-1` stay distinct.
fn spell_out_symbols(raw: &str) -> String {
    let raw = join_plural_acronyms(raw);
    let mut out = String::with_capacity(raw.len() + 8);
    for (i, c) in raw.chars().enumerate() {
        match c {
            '%' => out.push_str(" percent "),
            '+' => out.push_str(" plus "),
            '-' if i == 0 => out.push_str(" minus "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '*' => out.push_str(" star "),
            '.' => out.push(' '),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Keeps only characters valid in an identifier (ASCII alphanumerics and
/// `_`): non-ASCII letters are dropped so identifiers stay ASCII.
fn ascii_ident_chars(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// `UpperCamelCase` type name for a schema or other wire name.
pub fn type_name(raw: &str) -> String {
    let camel = ascii_ident_chars(&join_plural_acronyms(&ascii_letters(raw)).to_upper_camel_case());
    let name = if camel.is_empty() {
        "Type".to_string()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Type{camel}")
    } else {
        camel
    };
    // A prelude name the emitted code refers to unqualified.
    if crate::scopes::TYPES_MODULE.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// Latin letters with accents as their ASCII letter (`Ünïcode` is
/// `Unicode`), before case conversion: a letter dropped after it would
/// leave the name starting in lower case (`ncode`). Other non-ASCII
/// characters part words.
fn ascii_letters(raw: &str) -> String {
    const FOLDS: [(&str, char); 16] = [
        ("àáâãäåā", 'a'),
        ("ÀÁÂÃÄÅĀ", 'A'),
        ("èéêëē", 'e'),
        ("ÈÉÊËĒ", 'E'),
        ("ìíîïī", 'i'),
        ("ÌÍÎÏĪ", 'I'),
        ("òóôõöøō", 'o'),
        ("ÒÓÔÕÖØŌ", 'O'),
        ("ùúûüū", 'u'),
        ("ÙÚÛÜŪ", 'U'),
        ("ç", 'c'),
        ("Ç", 'C'),
        ("ñ", 'n'),
        ("Ñ", 'N'),
        ("ýÿ", 'y'),
        ("Ý", 'Y'),
    ];
    raw.chars()
        .map(|c| match FOLDS.iter().find(|(from, _)| from.contains(c)) {
            _ if c.is_ascii() => c,
            Some((_, to)) => *to,
            None => ' ',
        })
        .collect()
}

/// `UpperCamelCase` variant name for an enum value such as `1hr`, `99%`, `+1`.
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_string();
    }
    let camel = ascii_ident_chars(&spell_out_symbols(&ascii_letters(raw)).to_upper_camel_case());
    if camel.is_empty() {
        "Value".to_string()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel == "Self" {
        "SelfValue".to_string()
    } else {
        camel
    }
}

/// `snake_case` name for a field, parameter or method.
pub fn snake_name(raw: &str, fallback: &str) -> String {
    let snake = ascii_ident_chars(&spell_out_symbols(raw).to_snake_case());
    let snake = snake.trim_matches('_').to_string();
    let name = if snake.is_empty() {
        fallback.to_string()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}_{snake}")
    } else {
        snake
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Methods of the binary operator traits: a method that takes `self` and
/// one value and returns `Self` (a setter) would be read as one of them.
pub const OPERATOR_METHODS: [&str; 10] = ["add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor"];

/// [`snake_name`] for a parameter, which also names its request builder's
/// setter: an operator method's name gets a trailing `_` (`add_`).
pub fn param_name(raw: &str) -> String {
    let name = snake_name(raw, "param");
    if OPERATOR_METHODS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Crude English singular for naming the item type of an array property:
/// `variants` → `variant`, `rules` → `rule`; otherwise `<name>Item`.
pub fn singular(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    let keeps_s = ["ss", "us", "is", "ics"].iter().any(|end| lower.ends_with(end));
    if lower.ends_with("ies") && raw.len() > 3 {
        format!("{}y", &raw[..raw.len() - 3])
    } else if lower.ends_with('s') && !keeps_s && raw.len() > 1 {
        raw[..raw.len() - 1].to_string()
    } else {
        format!("{raw}Item")
    }
}

/// The environment variable a credential is read from in examples and on
/// the front page: the scheme's name in `SHOUTY_SNAKE_CASE`.
pub fn env_var(scheme: &str) -> String {
    let name = ascii_ident_chars(&ascii_letters(scheme).to_shouty_snake_case());
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("CREDENTIAL_{name}")
    } else {
        name
    }
}

/// Hands out unique names within one scope (a module, a struct's fields, an
/// enum's variants). A taken name gets the smallest free numeric suffix.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope whose names must also avoid `reserved`.
    pub fn with_reserved<S: AsRef<str>>(reserved: impl IntoIterator<Item = S>) -> Self {
        Self { taken: reserved.into_iter().map(|name| name.as_ref().to_string()).collect() }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims a setter's (or a request parameter's) name: `wanted`, unless
    /// the type's own methods take it or it reads as an operator's method
    /// (`add`, which clippy takes for `std::ops::Add`), when it is
    /// `with_<wanted>`; numbered when that is taken too. The one rule for
    /// struct setters and request builders alike.
    pub fn claim_method(&mut self, wanted: &str) -> String {
        let wanted = if self.is_taken(wanted) || OPERATOR_METHODS.contains(&wanted) {
            format!("with_{wanted}")
        } else {
            wanted.to_string()
        };
        self.claim(&wanted, "_")
    }

    /// Claims `wanted`, or `wanted` + `sep` + the first free number from 2.
    pub fn claim(&mut self, wanted: &str, sep: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        // `type_` (a keyword escaped) numbers as `type_2`, not `type__2`,
        // which is not snake case.
        let stem = match wanted.strip_suffix(sep) {
            Some(stem) if !sep.is_empty() && !stem.is_empty() => stem,
            _ => wanted,
        };
        (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_names_stay_snake_case() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("type_", "_"), "type_");
        assert_eq!(scope.claim("type_", "_"), "type_2");
        assert_eq!(scope.claim("type_", "_"), "type_3");
        assert_eq!(scope.claim("Item", ""), "Item");
        assert_eq!(scope.claim("Item", ""), "Item2");
    }

    #[test]
    fn variant_names_for_awkward_values() {
        let table = [
            ("1hr", "V1hr"),
            ("1hrs", "V1hrs"),
            ("24", "V24"),
            ("99%", "V99Percent"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("", "Empty"),
            ("min", "Min"),
            ("app_version", "AppVersion"),
            ("Self", "SelfValue"),
            ("self", "SelfValue"),
            ("é", "E"),
            ("Ünïcode", "Unicode"),
            ("a.b", "AB"),
        ];
        for (raw, expected) in table {
            assert_eq!(variant_name(raw), expected, "variant for {raw:?}");
        }
    }

    #[test]
    fn type_names() {
        let table = [
            ("AutotuneCreateDto", "AutotuneCreateDto"),
            ("autotune_create_dto", "AutotuneCreateDto"),
            ("STATSIG-API-KEY", "StatsigApiKey"),
            ("holdoutIDs", "HoldoutIds"),
            ("2fa", "Type2fa"),
            ("Option", "OptionType"),
            ("Into", "IntoType"),
            ("", "Type"),
            ("naïve", "Naive"),
        ];
        for (raw, expected) in table {
            assert_eq!(type_name(raw), expected, "type for {raw:?}");
        }
    }

    #[test]
    fn snake_names() {
        let table = [
            ("explorationWindow", "exploration_window"),
            ("metricSourceID", "metric_source_id"),
            ("holdoutIDs", "holdout_ids"),
            ("URLsAndIDs", "urls_and_ids"),
            ("IDsuffix", "i_dsuffix"),
            ("type", "type_"),
            ("self", "self_"),
            ("x-respect-review-settings", "x_respect_review_settings"),
            ("STATSIG-API-KEY", "statsig_api_key"),
            ("1st", "field_1st"),
            ("$ref", "ref_"),
            ("", "field"),
        ];
        for (raw, expected) in table {
            assert_eq!(snake_name(raw, "field"), expected, "snake for {raw:?}");
        }
    }

    #[test]
    fn singulars() {
        let table = [
            ("variants", "variant"),
            ("inlineTargetingRules", "inlineTargetingRule"),
            ("entries", "entry"),
            ("status", "statusItem"),
            ("data", "dataItem"),
            ("analytics", "analyticsItem"),
        ];
        for (raw, expected) in table {
            assert_eq!(singular(raw), expected, "singular of {raw:?}");
        }
    }

    #[test]
    fn scope_suffixes_deterministically() {
        let mut scope = Scope::with_reserved(["Client"]);
        assert_eq!(scope.claim("Client", ""), "Client2");
        assert_eq!(scope.claim("Foo", ""), "Foo");
        assert_eq!(scope.claim("Foo", ""), "Foo2");
        assert_eq!(scope.claim("Foo", ""), "Foo3");
        assert_eq!(scope.claim("id", "_"), "id");
        assert_eq!(scope.claim("id", "_"), "id_2");
    }
}
