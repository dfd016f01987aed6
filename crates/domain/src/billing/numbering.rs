//! Invoice numbers: an unbroken sequence per series and year, written by a
//! configurable pattern such as `FV/{YYYY}/{MM}/{NNNNNN}`.

use chrono::{Datelike, NaiveDate};

/// A number pattern: `{YYYY}` the year, `{MM}` the month, `{NNNNNN}` the sequence number
/// zero-padded to as many digits as there are `N`s, and literal text in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pattern: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberFormatError {
    #[error("the number pattern needs the year ({{YYYY}}) and the sequence number ({{NNNNNN}})")]
    MissingParts,
    #[error("unknown placeholder {0} in the number pattern")]
    UnknownPlaceholder(String),
}

impl NumberFormat {
    /// Checks the pattern: numbers restart each year, so the year must be in the number for
    /// it to stay unique.
    pub fn new(pattern: &str) -> Result<Self, NumberFormatError> {
        let mut year = false;
        let mut sequence = false;
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after
                .find('}')
                .ok_or_else(|| NumberFormatError::UnknownPlaceholder(after.to_owned()))?;
            let name = after.get(..close).unwrap_or_default();
            match name {
                "YYYY" => year = true,
                "MM" => {}
                n if !n.is_empty() && n.chars().all(|c| c == 'N') => sequence = true,
                other => {
                    return Err(NumberFormatError::UnknownPlaceholder(format!(
                        "{{{other}}}"
                    )));
                }
            }
            rest = after.get(close + 1..).unwrap_or_default();
        }
        if year && sequence {
            Ok(Self {
                pattern: pattern.to_owned(),
            })
        } else {
            Err(NumberFormatError::MissingParts)
        }
    }

    /// The number `n` of the sequence, issued on `issued`.
    pub fn format(&self, issued: NaiveDate, n: i64) -> String {
        let mut out = String::with_capacity(self.pattern.len() + 8);
        let mut rest = self.pattern.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after.find('}').unwrap_or(after.len());
            let name = after.get(..close).unwrap_or_default();
            match name {
                "YYYY" => out.push_str(&format!("{:04}", issued.year())),
                "MM" => out.push_str(&format!("{:02}", issued.month())),
                n_s => out.push_str(&format!("{n:0width$}", width = n_s.len())),
            }
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }

    /// The name of the sequence a number issued on `issued` comes from: one per series and
    /// year.
    pub fn sequence(&self, series: &str, issued: NaiveDate) -> String {
        format!("invoice:{series}:{}", issued.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_by_the_pattern() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let invoices = NumberFormat::new("FV/{YYYY}/{MM}/{NNNNNN}").unwrap();
        assert_eq!(invoices.format(day, 123), "FV/2026/11/000123");
        assert_eq!(invoices.format(day, 1_234_567), "FV/2026/11/1234567");
        let corrections = NumberFormat::new("FK/{NNNN}/{YYYY}").unwrap();
        assert_eq!(corrections.format(day, 7), "FK/0007/2026");
        assert_eq!(invoices.sequence("FV", day), "invoice:FV:2026");
        assert_eq!(
            NumberFormat::new("FV/{MM}/{NNNN}"),
            Err(NumberFormatError::MissingParts)
        );
        assert_eq!(
            NumberFormat::new("FV/{YYYY}"),
            Err(NumberFormatError::MissingParts)
        );
        assert!(matches!(
            NumberFormat::new("FV/{YYYY}/{X}/{NN}"),
            Err(NumberFormatError::UnknownPlaceholder(_))
        ));
    }
}
