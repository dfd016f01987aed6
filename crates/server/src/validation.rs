//! Collects every field error of a request, so the client learns all that is wrong at once.

use std::fmt::Display;

use okno_api_types::FieldError;

use crate::error::ApiError;

#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, code: &str, message: impl Display) {
        self.errors.push(FieldError {
            field: field.into(),
            code: code.into(),
            message: message.to_string(),
        });
    }

    /// Keeps a parsed value, or records why it failed.
    pub fn check<T, E: Display>(
        &mut self,
        field: impl Into<String>,
        code: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(field, code, error);
                None
            }
        }
    }

    /// Required text, trimmed, 1 to `max_chars` characters. Empty when invalid (the request
    /// is refused by [`Validator::finish`] then).
    pub fn text(&mut self, field: &str, value: &str, max_chars: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.fail(field, "required", "must not be empty");
        } else if trimmed.chars().count() > max_chars {
            self.fail(
                field,
                "too_long",
                format!("must have at most {max_chars} characters"),
            );
        }
        trimmed.to_owned()
    }

    /// Optional text, trimmed; blank counts as absent.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max_chars: usize,
    ) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        if trimmed.chars().count() > max_chars {
            self.fail(
                field,
                "too_long",
                format!("must have at most {max_chars} characters"),
            );
        }
        Some(trimmed.to_owned())
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors recorded, for a caller that filters them.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// Refuses the request if anything was recorded.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error() {
        let mut v = Validator::new();
        assert_eq!(v.text("name", "  Anna ", 10), "Anna");
        v.text("city", "   ", 10);
        v.text("street", &"x".repeat(11), 10);
        assert_eq!(v.optional_text("note", Some("  "), 5), None);
        assert_eq!(v.check("n", "bad", "12".parse::<u8>()), Some(12));
        assert_eq!(v.check("m", "bad", "x".parse::<u8>()), None);
        let Err(ApiError::Validation(errors)) = v.finish() else {
            panic!("invalid")
        };
        let fields: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("city", "required"), ("street", "too_long"), ("m", "bad")]
        );
    }
}
