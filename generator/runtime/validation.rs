//! Checks of the spec's constraints before a request is sent.

use std::fmt;

/// A value that breaks a constraint of the spec (range, `multipleOf`,
/// number of items, length), found before the request was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value is, in wire names (`variants`, `rules[2].passPercentage`).
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationError {
    #[cfg(not(omit = "validate_nested"))]
    /// The same error seen from the enclosing value.
    pub(crate) fn within(mut self, prefix: &str) -> Self {
        self.path = if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

#[cfg(any(not(omit = "check_number"), not(omit = "check_count")))]
fn invalid(path: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError { path: path.to_string(), message })
}

#[cfg(not(omit = "check_number"))]
/// `minimum`/`maximum` (inclusive unless `exclusive`) and `multipleOf`; a
/// value JSON cannot carry (NaN, infinity) is refused too.
pub(crate) fn check_number(
    path: &str,
    value: f64,
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    multiple_of: Option<f64>,
) -> Result<(), ValidationError> {
    if !value.is_finite() {
        return invalid(path, format!("is {value}, which JSON cannot carry"));
    }
    if let Some((min, exclusive)) = minimum {
        if value < min || (exclusive && value == min) {
            return invalid(
                path,
                format!("is {value}, below the minimum {min}{}", if exclusive { " (exclusive)" } else { "" }),
            );
        }
    }
    if let Some((max, exclusive)) = maximum {
        if value > max || (exclusive && value == max) {
            return invalid(
                path,
                format!("is {value}, above the maximum {max}{}", if exclusive { " (exclusive)" } else { "" }),
            );
        }
    }
    if let Some(step) = multiple_of {
        // Decimal steps such as 0.01 are not exact in binary: compare the
        // quotient with the nearest whole number, with a relative tolerance.
        let quotient = value / step;
        if step > 0.0 && (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
            return invalid(path, format!("is {value}, not a multiple of {step}"));
        }
    }
    Ok(())
}

#[cfg(not(omit = "check_count"))]
/// `minItems`/`maxItems`, or `minLength`/`maxLength` with `what` = "characters".
pub(crate) fn check_count(
    path: &str,
    count: usize,
    min: Option<usize>,
    max: Option<usize>,
    what: &str,
) -> Result<(), ValidationError> {
    if let Some(min) = min {
        if count < min {
            return invalid(path, format!("has {count} {what}, fewer than the minimum {min}"));
        }
    }
    if let Some(max) = max {
        if count > max {
            return invalid(path, format!("has {count} {what}, more than the maximum {max}"));
        }
    }
    Ok(())
}
