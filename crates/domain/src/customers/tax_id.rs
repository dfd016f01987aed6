//! Tax identifiers: the Polish NIP and the Russian INN, validated by their checksums so
//! that a typo is caught at the desk, not by the tax office.

use std::fmt;

wire_enum! {
    /// Which national scheme a tax identifier belongs to.
    pub enum TaxIdScheme {
        /// Polish NIP: 10 digits, mod-11 checksum.
        PlNip,
        /// Russian INN: 10 digits (organisations) or 12 (individuals), mod-11 checksums.
        RuInn,
        /// Any other identifier, stored as given (letters, digits, dashes).
        Other,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxId {
    scheme: TaxIdScheme,
    value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    #[error("a NIP has 10 digits (an optional PL prefix, dashes and spaces are ignored)")]
    NipFormat,
    #[error("the NIP checksum does not match; the number is mistyped")]
    NipChecksum,
    #[error("an INN has 10 or 12 digits")]
    InnFormat,
    #[error("the INN checksum does not match; the number is mistyped")]
    InnChecksum,
    #[error("a tax identifier has 1 to 32 letters, digits, dashes or spaces")]
    OtherFormat,
}

const NIP_WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
const INN10_WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_FIRST_WEIGHTS: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_SECOND_WEIGHTS: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

impl TaxId {
    pub fn parse(scheme: TaxIdScheme, input: &str) -> Result<Self, TaxIdError> {
        let value = match scheme {
            TaxIdScheme::PlNip => parse_nip(input)?,
            TaxIdScheme::RuInn => parse_inn(input)?,
            TaxIdScheme::Other => parse_other(input)?,
        };
        Ok(Self { scheme, value })
    }

    pub fn scheme(&self) -> TaxIdScheme {
        self.scheme
    }

    /// The identifier in its canonical, compact form (digits only for NIP and INN).
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for TaxId {
    /// The NIP as it is usually printed, `123-456-32-18`; other schemes as stored.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (
            self.scheme,
            self.value.get(0..3),
            self.value.get(3..6),
            self.value.get(6..8),
            self.value.get(8..10),
        ) {
            (TaxIdScheme::PlNip, Some(a), Some(b), Some(c), Some(d)) => {
                write!(f, "{a}-{b}-{c}-{d}")
            }
            _ => f.write_str(&self.value),
        }
    }
}

fn digits_of(input: &str) -> Option<Vec<u32>> {
    input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_digit(10))
        .collect()
}

fn weighted_sum(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

fn parse_nip(input: &str) -> Result<String, TaxIdError> {
    let trimmed = input.trim();
    let without_prefix = trimmed
        .strip_prefix("PL")
        .or_else(|| trimmed.strip_prefix("pl"))
        .unwrap_or(trimmed);
    let digits = digits_of(without_prefix).ok_or(TaxIdError::NipFormat)?;
    let [body @ .., check] = digits.as_slice() else {
        return Err(TaxIdError::NipFormat);
    };
    if digits.len() != 10 {
        return Err(TaxIdError::NipFormat);
    }
    let remainder = weighted_sum(body, &NIP_WEIGHTS) % 11;
    // A remainder of 10 is never issued as a NIP.
    if remainder == 10 || remainder != *check {
        return Err(TaxIdError::NipChecksum);
    }
    Ok(digits.iter().map(|d| d.to_string()).collect())
}

fn inn_check(digits: &[u32], weights: &[u32]) -> u32 {
    weighted_sum(digits, weights) % 11 % 10
}

fn parse_inn(input: &str) -> Result<String, TaxIdError> {
    let digits = digits_of(input.trim()).ok_or(TaxIdError::InnFormat)?;
    let valid = match digits.as_slice() {
        [body @ .., check] if digits.len() == 10 => inn_check(body, &INN10_WEIGHTS) == *check,
        [body @ .., first, second] if digits.len() == 12 => {
            let first_ok = inn_check(body, &INN12_FIRST_WEIGHTS) == *first;
            let with_first: Vec<u32> = body.iter().copied().chain([*first]).collect();
            first_ok && inn_check(&with_first, &INN12_SECOND_WEIGHTS) == *second
        }
        _ => return Err(TaxIdError::InnFormat),
    };
    if !valid {
        return Err(TaxIdError::InnChecksum);
    }
    Ok(digits.iter().map(|d| d.to_string()).collect())
}

fn parse_other(input: &str) -> Result<String, TaxIdError> {
    let value = input.trim();
    let allowed = value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | ' ' | '/'));
    if value.is_empty() || value.chars().count() > 32 || !allowed {
        return Err(TaxIdError::OtherFormat);
    }
    Ok(value.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_a_valid_nip_in_any_usual_spelling() {
        for spelling in [
            "1234563218",
            "123-456-32-18",
            "PL 123 456 32 18",
            "PL1234563218",
        ] {
            let nip = TaxId::parse(TaxIdScheme::PlNip, spelling).unwrap();
            assert_eq!(nip.value(), "1234563218");
            assert_eq!(nip.to_string(), "123-456-32-18");
        }
    }

    #[test]
    fn rejects_a_malformed_nip() {
        assert_eq!(
            TaxId::parse(TaxIdScheme::PlNip, "1234563219"),
            Err(TaxIdError::NipChecksum)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::PlNip, "123456321"),
            Err(TaxIdError::NipFormat)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::PlNip, "12345632181"),
            Err(TaxIdError::NipFormat)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::PlNip, "12345A3218"),
            Err(TaxIdError::NipFormat)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::PlNip, ""),
            Err(TaxIdError::NipFormat)
        );
    }

    #[test]
    fn validates_both_lengths_of_inn() {
        assert_eq!(
            TaxId::parse(TaxIdScheme::RuInn, "7707083893")
                .unwrap()
                .value(),
            "7707083893"
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::RuInn, "500100732259")
                .unwrap()
                .value(),
            "500100732259"
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::RuInn, "7707083894"),
            Err(TaxIdError::InnChecksum)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::RuInn, "500100732258"),
            Err(TaxIdError::InnChecksum)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::RuInn, "77070838"),
            Err(TaxIdError::InnFormat)
        );
    }

    #[test]
    fn other_identifiers_are_kept_as_given() {
        assert_eq!(
            TaxId::parse(TaxIdScheme::Other, " de123456789 ")
                .unwrap()
                .value(),
            "DE123456789"
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::Other, "a;b"),
            Err(TaxIdError::OtherFormat)
        );
    }

    fn nip_check_digit(body: &[u32]) -> Option<u32> {
        let remainder = weighted_sum(body, &NIP_WEIGHTS) % 11;
        (remainder != 10).then_some(remainder)
    }

    proptest! {
        #[test]
        fn any_nip_with_a_correct_check_digit_is_accepted_and_any_other_digit_refused(
            body in proptest::collection::vec(0u32..10, 9),
            wrong in 1u32..10,
        ) {
            let text: String = body.iter().map(|d| d.to_string()).collect();
            match nip_check_digit(&body) {
                Some(check) => {
                    let correct = format!("{text}{check}");
                    prop_assert!(TaxId::parse(TaxIdScheme::PlNip, &correct).is_ok());
                    let mistyped = format!("{}{}", text, (check + wrong) % 10);
                    prop_assert!(TaxId::parse(TaxIdScheme::PlNip, &mistyped).is_err());
                }
                None => {
                    for check in 0..10 {
                        let candidate = format!("{text}{check}");
                        prop_assert!(TaxId::parse(TaxIdScheme::PlNip, &candidate).is_err());
                    }
                }
            }
        }
    }
}
