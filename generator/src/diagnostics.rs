//! Problems found in a document, collected rather than thrown, so that one
//! run reports all of them, each with the JSON pointer it was found at.

use std::fmt;

/// One problem in the input document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer into the document, as a URI fragment (`#/paths/~1pets/get`).
    pub pointer: String,
    /// Line and column (1-based), where the parser reported them.
    pub line_col: Option<(usize, usize)>,
    pub severity: Severity,
    /// What is wrong, in plain words.
    pub message: String,
    /// The file it is in when that is not the document (an overlay).
    pub file: Option<String>,
}

/// How much a problem costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was left out or represented loosely; the rest is generated.
    Warning,
    /// Nothing is generated.
    Error,
}

/// Proof that a problem was reported. Only [`Diagnostics`] makes one, so a
/// step that gives up (`Err(Reported)`) has always said why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported(());

/// All problems of one run, sorted by location when reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The file name shown in every message.
    pub file: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: impl Into<String>) -> Self {
        Self { file: file.into(), items: Vec::new() }
    }

    /// Records a problem at `pointer`.
    pub fn error(&mut self, pointer: &Pointer, message: impl Into<String>) -> Reported {
        self.error_at(pointer.to_string(), None, message.into())
    }

    /// Records a problem at a pointer given as text, with the line and
    /// column the parser reported.
    pub fn error_at(&mut self, pointer: String, line_col: Option<(usize, usize)>, message: String) -> Reported {
        self.items.push(Diagnostic { pointer, line_col, severity: Severity::Error, message, file: None });
        Reported(())
    }

    /// Records something left out or represented loosely.
    pub fn warning(&mut self, pointer: &Pointer, message: impl Into<String>) {
        let diagnostic = Diagnostic {
            pointer: pointer.to_string(),
            line_col: None,
            severity: Severity::Warning,
            message: message.into(),
            file: None,
        };
        self.items.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether anything stops generation.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// A mark to pass to [`Diagnostics::downgrade_since`].
    pub fn mark(&self) -> usize {
        self.items.len()
    }

    /// Turns the errors recorded since `mark` into warnings: the part they
    /// were found in is left out (or represented loosely) instead of
    /// stopping generation.
    pub fn downgrade_since(&mut self, mark: usize) {
        for d in self.items.iter_mut().skip(mark) {
            d.severity = Severity::Warning;
        }
    }

    /// `--strict`: every warning becomes an error.
    pub fn strict(mut self) -> Self {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
        self
    }

    /// Takes in what was found in another file (an overlay), each problem
    /// naming that file.
    pub fn absorb(&mut self, other: Diagnostics) {
        for mut d in other.items {
            d.file.get_or_insert_with(|| other.file.clone());
            self.items.push(d);
        }
    }

    /// Only the warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// Reports problems found in a copy (`(copy, original)` pointers) at
    /// the original.
    pub fn relocate(&mut self, moved: &[(String, String)]) {
        for d in &mut self.items {
            for (copy, original) in moved {
                if let Some(rest) = d.pointer.strip_prefix(copy.as_str()) {
                    if rest.is_empty() || rest.starts_with('/') {
                        d.pointer = format!("{original}{rest}");
                        break;
                    }
                }
            }
        }
    }

    /// Sorted and deduplicated, so the report is stable.
    pub fn finish(mut self) -> Self {
        self.items.sort();
        self.items.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            let label = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            write!(f, "{label}: {}", d.file.as_deref().unwrap_or(&self.file))?;
            if let Some((line, col)) = d.line_col {
                write!(f, ":{line}:{col}")?;
            }
            writeln!(f, ": {}: {}", d.pointer, d.message)?;
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let errors = self.items.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = self.items.len() - errors;
        if errors > 0 {
            write!(f, "{errors} problem{} found; nothing was written", plural(errors))?;
            if warnings > 0 {
                write!(f, " ({warnings} warning{} too)", plural(warnings))?;
            }
            Ok(())
        } else {
            write!(f, "{warnings} warning{}", plural(warnings))
        }
    }
}

impl std::error::Error for Diagnostics {}

/// A JSON pointer (RFC 6901) being built while walking the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Self(String::new())
    }

    /// The pointer a `$ref` such as `#/components/schemas/Foo` names.
    pub fn from_ref(reference: &str) -> Self {
        Self(reference.trim_start_matches('#').to_string())
    }

    /// This pointer with one more segment, escaped (`~` → `~0`, `/` → `~1`).
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{}", self.0, segment))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_segments() {
        let p = Pointer::root().join("paths").join("/console/v1/{id}").join("a~b");
        assert_eq!(p.to_string(), "#/paths/~1console~1v1~1{id}/a~0b");
    }

    #[test]
    fn report_is_sorted_and_counted() {
        let mut d = Diagnostics::new("spec.yaml");
        d.error(&Pointer::root().join("b"), "second");
        d.error(&Pointer::root().join("a"), "first");
        let text = d.finish().to_string();
        assert_eq!(
            text,
            "error: spec.yaml: #/a: first\nerror: spec.yaml: #/b: second\n2 problems found; nothing was written"
        );
    }
}
