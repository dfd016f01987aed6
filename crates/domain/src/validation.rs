//! Field-level checks of input: every rule that refuses a value says which field, with a code
//! from one list ([`FieldErrorCode`]) that clients translate, and a message in English. A
//! [`Validator`] collects every error of a request, so the client learns all that is wrong at
//! once.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

wire_enum! {
    /// Why a field was refused. Clients translate these; the API lists them.
    pub enum FieldErrorCode {
        /// Missing or empty.
        Required,
        /// Longer than allowed; the message says how long it may be.
        TooLong,
        /// More entries than allowed.
        TooMany,
        /// Not one of the values allowed, or not of their form.
        InvalidValue,
        /// A JSON value of the wrong type (a number for a string, ...).
        InvalidType,
        /// A field the request does not have.
        UnknownField,
        InvalidEmail,
        InvalidPhone,
        InvalidPostalCode,
        /// A Polish NIP with a wrong check digit or length.
        NipInvalid,
        /// A Russian INN with a wrong check digit or length.
        InnInvalid,
        /// A password too short or too common.
        WeakPassword,
        /// The current password given is not the right one.
        WrongPassword,
        /// Used by another record already.
        Taken,
        /// Listed twice in one request.
        Duplicate,
        /// A date or time later than allowed (now, usually).
        InFuture,
        /// A date earlier than allowed (today, usually).
        InPast,
        /// Names a record that does not exist.
        UnknownReference,
        /// Names a record that is no longer in use.
        Inactive,
        /// A change that would leave no administrator able to sign in.
        SelfLockout,
        /// A permission an API key cannot carry.
        NotGrantable,
        /// Not allowed for this kind of record.
        NotAllowed,
        /// Must be the first day of a month.
        NotFirstOfMonth,
        /// The tariff has no price in force on the day.
        NotInForce,
        /// The change would change nothing.
        Unchanged,
        /// The period has not ended yet.
        NotOver,
        /// Usage older than the operator accepts late (R-22).
        TooOld,
        /// A meter reading lower than the last one.
        LowerThanLast,
        /// A number outside its bounds; the message names them.
        OutOfRange,
        /// Far beyond what is plausible (a meter reading adding more than a ceiling allows).
        Implausible,
        /// A search the server cannot run (too short, too many words).
        InvalidSearch,
        /// A range whose end is before its start.
        InvalidRange,
        /// A code newer than this client; show the message.
        #[serde(other)]
        Unknown,
    }
}

/// Longest code of a tariff, sales point or topic.
pub const MAX_CODE_CHARS: usize = 40;

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field in the request, e.g. `tax_id.value` or `phones[1].value`; query
    /// parameters by their name.
    pub field: String,
    /// Which rule was broken, for translated messages in clients.
    pub code: FieldErrorCode,
    /// The rule in English.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldErrorCode, message: impl Display) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.to_string(),
        }
    }
}

/// Input refused: every field error found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} field(s) refused", .0.len())]
pub struct Invalid(pub Vec<FieldError>);

/// Collects the field errors of one request.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, code: FieldErrorCode, message: impl Display) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Keeps a parsed value, or records why it failed.
    pub fn check<T, E: Display>(
        &mut self,
        field: impl Into<String>,
        code: FieldErrorCode,
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

    /// Required text, trimmed, 1 to `max_chars` characters. Empty when invalid (the input is
    /// refused by [`Validator::finish`] then).
    pub fn text(&mut self, field: &str, value: &str, max_chars: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.fail(field, FieldErrorCode::Required, "must not be empty");
        } else {
            self.no_longer_than(field, trimmed, max_chars);
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
        self.no_longer_than(field, trimmed, max_chars);
        Some(trimmed.to_owned())
    }

    /// A short code operators type and see (a tariff, sales point or topic): trimmed, 1 to
    /// 40 letters, digits, `-`, `_` or `.`.
    pub fn code(&mut self, field: &str, value: &str) -> String {
        let code = value.trim();
        let well_formed = (1..=MAX_CODE_CHARS).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !well_formed {
            self.fail(
                field,
                FieldErrorCode::InvalidValue,
                format!("1 to {MAX_CODE_CHARS} letters, digits, '-', '_' or '.'"),
            );
        }
        code.to_owned()
    }

    /// At most `max` entries in a list.
    pub fn at_most<T>(&mut self, field: &str, entries: &[T], max: usize) {
        if entries.len() > max {
            self.fail(
                field,
                FieldErrorCode::TooMany,
                format!("at most {max} entries"),
            );
        }
    }

    fn no_longer_than(&mut self, field: &str, text: &str, max_chars: usize) {
        if text.chars().count() > max_chars {
            self.fail(
                field,
                FieldErrorCode::TooLong,
                format!("must have at most {max_chars} characters"),
            );
        }
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors recorded, for a caller that filters them.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// Refuses the input if anything was recorded.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error_in_order() {
        let mut v = Validator::new();
        assert_eq!(v.text("name", "  Anna ", 10), "Anna");
        v.text("city", "   ", 10);
        v.text("street", &"ż".repeat(11), 10);
        assert_eq!(v.text("short", &"ż".repeat(10), 10), "ż".repeat(10));
        assert_eq!(v.optional_text("note", Some("  "), 5), None);
        assert_eq!(
            v.optional_text("label", Some(" home "), 5),
            Some("home".into())
        );
        assert_eq!(
            v.check("n", FieldErrorCode::OutOfRange, "12".parse::<u8>()),
            Some(12)
        );
        assert_eq!(
            v.check("m", FieldErrorCode::OutOfRange, "300".parse::<u8>()),
            None
        );
        v.at_most("phones", &[1, 2, 3], 2);
        assert_eq!(v.code("code", " internet-300 "), "internet-300");
        v.code("bad", "a b");
        v.code("long", &"x".repeat(MAX_CODE_CHARS + 1));
        assert!(!v.is_valid());
        let Err(Invalid(errors)) = v.finish() else {
            panic!("the input is invalid")
        };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("city", FieldErrorCode::Required),
                ("street", FieldErrorCode::TooLong),
                ("m", FieldErrorCode::OutOfRange),
                ("phones", FieldErrorCode::TooMany),
                ("bad", FieldErrorCode::InvalidValue),
                ("long", FieldErrorCode::InvalidValue),
            ]
        );
    }

    #[test]
    fn nothing_recorded_is_valid() {
        let mut v = Validator::new();
        v.text("name", "Anna", 10);
        assert!(v.is_valid());
        assert_eq!(v.finish(), Ok(()));
    }

    #[test]
    fn codes_travel_as_snake_case_and_unknown_codes_are_kept_readable() {
        assert_eq!(
            FieldErrorCode::NotFirstOfMonth.as_str(),
            "not_first_of_month"
        );
        let error: FieldError =
            serde_json::from_str(r#"{"field":"x","code":"from_the_future","message":"m"}"#)
                .expect("a field error");
        assert_eq!(error.code, FieldErrorCode::Unknown);
    }
}
