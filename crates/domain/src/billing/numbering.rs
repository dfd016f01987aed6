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

    /// The sequence number written in `number` by this pattern; `None` when `number` is not
    /// written by it.
    pub fn sequence_number(&self, number: &str) -> Option<i64> {
        let mut pattern = self.pattern.as_str();
        let mut rest = number;
        let mut found = None;
        while let Some(open) = pattern.find('{') {
            rest = rest.strip_prefix(pattern.get(..open)?)?;
            let after = pattern.get(open + 1..)?;
            let close = after.find('}')?;
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let taken = match after.get(..close)? {
                "YYYY" => 4,
                "MM" => 2,
                _ => digits,
            };
            if taken == 0 || digits < taken {
                return None;
            }
            if !matches!(after.get(..close)?, "YYYY" | "MM") {
                found = rest.get(..taken)?.parse().ok();
            }
            rest = rest.get(taken..)?;
            pattern = after.get(close + 1..)?;
        }
        (rest == pattern).then_some(found).flatten()
    }

    /// The numbers of this pattern written in free text (a transfer title), as the pattern
    /// writes them: found whatever the case and whatever separates their parts (`fv
    /// 2026-11-000001`, `FV/2026/11/000001`, `FV2026 11 000001` all read `FV/2026/11/000001`).
    pub fn numbers_in(&self, text: &str) -> Vec<String> {
        // The pattern and the text with only letters and digits, upper case: the pattern's
        // letters must be there, each placeholder's digits in its place.
        let slots = self.slots();
        let compact: Vec<char> = text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let width: usize = slots.iter().map(Slot::width).sum();
        let mut found = Vec::new();
        for start in 0..compact.len() {
            let Some(window) = compact.get(start..start + width) else {
                break;
            };
            if let Some(number) = self.read(&slots, window)
                && !found.contains(&number)
            {
                found.push(number);
            }
        }
        found
    }

    /// The pattern as letters to match and digit places, separators left out.
    fn slots(&self) -> Vec<Slot> {
        let mut slots = Vec::new();
        let mut rest = self.pattern.as_str();
        let literal = |text: &str, slots: &mut Vec<Slot>| {
            slots.extend(
                text.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| Slot::Literal(c.to_ascii_uppercase())),
            );
        };
        while let Some(open) = rest.find('{') {
            literal(rest.get(..open).unwrap_or_default(), &mut slots);
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after.find('}').unwrap_or(after.len());
            slots.push(Slot::Digits(after.get(..close).unwrap_or_default().len()));
            rest = after.get(close + 1..).unwrap_or_default();
        }
        literal(rest, &mut slots);
        slots
    }

    /// The number `window` (compacted text) holds, written as the pattern writes it.
    fn read(&self, slots: &[Slot], window: &[char]) -> Option<String> {
        let mut digits: Vec<String> = Vec::new();
        let mut at = 0;
        for slot in slots {
            match slot {
                Slot::Literal(c) => {
                    if window.get(at) != Some(c) {
                        return None;
                    }
                    at += 1;
                }
                Slot::Digits(n) => {
                    let part: String = window.get(at..at + n)?.iter().collect();
                    if !part.chars().all(|c| c.is_ascii_digit()) {
                        return None;
                    }
                    digits.push(part);
                    at += n;
                }
            }
        }
        // Written back: the literal text between placeholders as the pattern has it.
        let mut out = String::new();
        let mut rest = self.pattern.as_str();
        let mut parts = digits.into_iter();
        while let Some(open) = rest.find('{') {
            out.push_str(rest.get(..open).unwrap_or_default());
            out.push_str(&parts.next()?);
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after.find('}').unwrap_or(after.len());
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Some(out)
    }

    /// The name of the sequence a number issued on `issued` comes from: one per series and
    /// year.
    pub fn sequence(&self, series: &str, issued: NaiveDate) -> String {
        format!("invoice:{series}:{}", issued.year())
    }
}

/// A place in a number pattern with separators left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Literal(char),
    Digits(usize),
}

impl Slot {
    fn width(&self) -> usize {
        match self {
            Self::Literal(_) => 1,
            Self::Digits(n) => *n,
        }
    }
}

/// What is wrong with the numbers issued from one sequence: numbers missing below the
/// last one handed out, numbers used twice, numbers beyond the last one handed out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberingFaults {
    pub missing: Vec<i64>,
    pub twice: Vec<i64>,
    pub beyond: Vec<i64>,
}

impl NumberingFaults {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.twice.is_empty() && self.beyond.is_empty()
    }
}

/// the numbers of a sequence whose counter has handed out `1..=handed_out` must be
/// exactly those, each once.
pub fn numbering_faults(mut used: Vec<i64>, handed_out: i64) -> NumberingFaults {
    used.sort_unstable();
    let mut faults = NumberingFaults::default();
    let mut expected = 1;
    let mut previous = None;
    for n in used {
        if previous == Some(n) {
            if faults.twice.last() != Some(&n) {
                faults.twice.push(n);
            }
            continue;
        }
        previous = Some(n);
        if n > handed_out || n < 1 {
            faults.beyond.push(n);
            continue;
        }
        faults.missing.extend(expected..n);
        expected = n + 1;
    }
    faults.missing.extend(expected..=handed_out);
    faults
}

#[cfg(test)]
mod tests {
    #[test]
    fn invoice_numbers_are_found_in_a_transfer_title_however_written() {
        let format = NumberFormat::new("FV/{YYYY}/{MM}/{NNNNNN}").unwrap_or_else(|e| panic!("{e}"));
        for title in [
            "FV/2026/11/000001",
            "za fakture fv 2026-11-000001 dziekuje",
            "Faktura FV2026 11 000001, konto 100000017",
            "FV.2026.11.000001",
        ] {
            assert_eq!(format.numbers_in(title), ["FV/2026/11/000001"], "{title}");
        }
        assert_eq!(
            format.numbers_in("FV/2026/10/000007 i FV/2026/11/000012"),
            ["FV/2026/10/000007", "FV/2026/11/000012"]
        );
        assert!(format.numbers_in("abonament listopad").is_empty());
        assert!(
            format.numbers_in("FV/2026/11/00001").is_empty(),
            "a digit short"
        );
        let notes = NumberFormat::new("FK/{YYYY}/{NNNNNN}").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            notes.numbers_in("korekta fk-2026-000003"),
            ["FK/2026/000003"]
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_sequence_number_back() {
        let invoices = NumberFormat::new("FV/{YYYY}/{MM}/{NNNNNN}").unwrap();
        assert_eq!(invoices.sequence_number("FV/2026/11/000123"), Some(123));
        assert_eq!(
            invoices.sequence_number("FV/2026/11/1234567"),
            Some(1_234_567)
        );
        assert_eq!(invoices.sequence_number("FK/2026/11/000123"), None);
        assert_eq!(invoices.sequence_number("FV/2026/11/000123/x"), None);
        let corrections = NumberFormat::new("FK/{NNNN}/{YYYY}").unwrap();
        assert_eq!(corrections.sequence_number("FK/0007/2026"), Some(7));
    }

    #[test]
    fn finds_gaps_and_numbers_used_twice() {
        assert!(numbering_faults(vec![3, 1, 2], 3).is_clean());
        assert!(numbering_faults(vec![], 0).is_clean());
        assert_eq!(
            numbering_faults(vec![1, 4, 4, 5, 9], 6),
            NumberingFaults {
                missing: vec![2, 3, 6],
                twice: vec![4],
                beyond: vec![9],
            }
        );
    }

    proptest! {
        #[test]
        fn a_number_written_reads_back(n in 1i64..100_000_000, month in 1u32..=12) {
            let day = NaiveDate::from_ymd_opt(2027, month, 1).unwrap();
            let format = NumberFormat::new("{SERIES}-{YYYY}/{MM}/{NNNNNN}".replace("{SERIES}", "FV").as_str()).unwrap();
            prop_assert_eq!(format.sequence_number(&format.format(day, n)), Some(n));
        }

        #[test]
        fn a_complete_sequence_has_no_faults(count in 0i64..200, seed in any::<u64>()) {
            let mut used: Vec<i64> = (1..=count).collect();
            // Any order.
            let len = used.len();
            if len > 1 {
                used.rotate_left(usize::try_from(seed % len as u64).unwrap_or(0));
            }
            prop_assert!(numbering_faults(used, count).is_clean());
        }
    }

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
