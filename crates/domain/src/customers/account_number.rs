//! The customer account number: printed on invoices, read out over the phone, typed by
//! cashiers. Eight digits of sequence and a Luhn check digit, so that a mistyped digit or two
//! swapped neighbours are caught before a payment lands on the wrong account.

use std::fmt;

/// Smallest sequence value; keeps every account number nine digits long with no leading zero.
const FIRST_SEQUENCE: u64 = 10_000_000;
const SEQUENCE_DIGITS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountNumberError {
    #[error("an account number has 9 digits")]
    Length,
    #[error("an account number has digits only")]
    NotDigits,
    #[error("the check digit does not match; the number is mistyped")]
    CheckDigit,
    #[error("the account number sequence is exhausted")]
    Exhausted,
}

impl AccountNumber {
    /// The account number for the `n`-th customer (n starts at 1).
    pub fn from_sequence(n: u64) -> Result<Self, AccountNumberError> {
        let body = FIRST_SEQUENCE
            .checked_add(n)
            .filter(|body| *body < FIRST_SEQUENCE * 10)
            .ok_or(AccountNumberError::Exhausted)?
            .to_string();
        let check = luhn_check_digit(&body);
        Ok(Self(format!("{body}{check}")))
    }

    /// Reads an account number as typed, ignoring spaces and dashes.
    pub fn parse(input: &str) -> Result<Self, AccountNumberError> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(AccountNumberError::NotDigits);
        }
        if compact.len() != SEQUENCE_DIGITS + 1 {
            return Err(AccountNumberError::Length);
        }
        let (body, check) = compact.split_at(SEQUENCE_DIGITS);
        if luhn_check_digit(body).to_string() != check {
            return Err(AccountNumberError::CheckDigit);
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Luhn (mod 10) check digit of a string of ASCII digits.
pub(crate) fn luhn_check_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(position, digit)| {
            if position % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_numbers_are_nine_digits_with_a_check_digit() {
        assert_eq!(
            AccountNumber::from_sequence(1).unwrap().as_str(),
            "100000017"
        );
        assert_eq!(
            AccountNumber::from_sequence(2).unwrap().as_str(),
            "100000025"
        );
        assert_eq!(
            AccountNumber::parse("1000-0001 7").unwrap().as_str(),
            "100000017"
        );
    }

    #[test]
    fn rejects_what_is_not_an_account_number() {
        assert_eq!(
            AccountNumber::parse("100000018"),
            Err(AccountNumberError::CheckDigit)
        );
        assert_eq!(
            AccountNumber::parse("10000001"),
            Err(AccountNumberError::Length)
        );
        assert_eq!(
            AccountNumber::parse("1000000a7"),
            Err(AccountNumberError::NotDigits)
        );
        assert_eq!(
            AccountNumber::from_sequence(90_000_000),
            Err(AccountNumberError::Exhausted)
        );
    }

    proptest! {
        #[test]
        fn every_issued_number_reads_back(n in 1u64..89_999_999) {
            let number = AccountNumber::from_sequence(n).unwrap();
            prop_assert_eq!(AccountNumber::parse(number.as_str()), Ok(number));
        }

        #[test]
        fn a_single_mistyped_digit_is_caught(n in 1u64..89_999_999, position in 0usize..9, delta in 1u32..10) {
            let number = AccountNumber::from_sequence(n).unwrap();
            let typo: String = number.as_str().chars().enumerate().map(|(i, c)| {
                if i == position {
                    char::from_digit((c.to_digit(10).unwrap() + delta) % 10, 10).unwrap()
                } else {
                    c
                }
            }).collect();
            prop_assert!(AccountNumber::parse(&typo).is_err());
        }
    }
}
