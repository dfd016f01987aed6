//! Virtual accounts: an operator's bank gives each customer an account number of
//! their own — the bank's sort code and the operator's code at the bank, then the customer's
//! account number — so a transfer names its customer by where it was sent, whatever its
//! title says. Polish NRB inside an IBAN: `PL`, two check digits (ISO 7064 MOD 97-10), 24
//! digits.

use crate::customers::AccountNumber;

/// Digits after the check digits: the bank's eight-digit sort code and the operator's code.
const BBAN_DIGITS: usize = 24;
/// The customer's account number, zero-padded, takes the rest: at least its nine digits.
const ACCOUNT_DIGITS: usize = 9;
/// `PL` as IBAN check digits count it (P = 25, L = 21).
const COUNTRY_DIGITS: &str = "2521";

/// The operator's virtual accounts: the digits every one of them starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualAccounts {
    prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VirtualAccountsError {
    #[error("the prefix is the bank's 8-digit sort code and the operator's code: 8 to 15 digits")]
    Prefix,
}

/// The account the customer with `account_number` pays to: their virtual account where the
/// operator has them, else the operator's own `bank_account`.
pub fn pay_to(
    accounts: Option<&VirtualAccounts>,
    bank_account: &str,
    account_number: &str,
) -> String {
    match (accounts, AccountNumber::parse(account_number)) {
        (Some(accounts), Ok(number)) => accounts.iban_of(&number),
        _ => bank_account.to_owned(),
    }
}

impl VirtualAccounts {
    /// `prefix`: the digits after the check digits that the bank gave the operator (spaces
    /// allowed), e.g. `1090 1014 7001`.
    pub fn new(prefix: &str) -> Result<Self, VirtualAccountsError> {
        let prefix: String = prefix.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let fits = (8..=BBAN_DIGITS - ACCOUNT_DIGITS).contains(&prefix.len());
        if !fits || !prefix.chars().all(|c| c.is_ascii_digit()) {
            return Err(VirtualAccountsError::Prefix);
        }
        Ok(Self { prefix })
    }

    /// The customer's virtual account as an IBAN, in groups of four as printed.
    pub fn iban_of(&self, account: &AccountNumber) -> String {
        let width = BBAN_DIGITS - self.prefix.len();
        let bban = format!("{}{:0>width$}", self.prefix, account.as_str());
        let check = 98 - mod97(&format!("{bban}{COUNTRY_DIGITS}00"));
        let compact = format!("PL{check:02}{bban}");
        let mut grouped = String::with_capacity(compact.len() + 7);
        for (i, c) in compact.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                grouped.push(' ');
            }
            grouped.push(c);
        }
        grouped
    }

    /// The customer whose virtual account `iban` is: its check digits hold, it starts with the
    /// prefix, and the rest is an account number (its own check digit holds too).
    pub fn account_of(&self, iban: &str) -> Option<AccountNumber> {
        let compact: String = iban.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let compact = compact.to_ascii_uppercase();
        let digits = compact.strip_prefix("PL").unwrap_or(&compact);
        if digits.len() != BBAN_DIGITS + 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (check, bban) = digits.split_at(2);
        if mod97(&format!("{bban}{COUNTRY_DIGITS}{check}")) != 1 {
            return None;
        }
        let rest = bban.strip_prefix(self.prefix.as_str())?;
        let trimmed = rest.trim_start_matches('0');
        AccountNumber::parse(trimmed).ok()
    }

    /// The customers' virtual accounts written anywhere in `text` (a statement's fields): 26
    /// digits in a row, maybe after `PL`, maybe in groups.
    pub fn accounts_in(&self, text: &str) -> Vec<AccountNumber> {
        let mut found: Vec<AccountNumber> = Vec::new();
        let mut digits = String::new();
        let mut flush = |digits: &mut String| {
            // A run longer than one account may be two written together: try every window.
            for start in 0..digits.len().saturating_sub(BBAN_DIGITS + 1) {
                if let Some(window) = digits.get(start..start + BBAN_DIGITS + 2)
                    && let Some(account) = self.account_of(window)
                    && !found.contains(&account)
                {
                    found.push(account);
                }
            }
            digits.clear();
        };
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !matches!(c, ' ' | '-') {
                flush(&mut digits);
            }
        }
        flush(&mut digits);
        found
    }
}

/// The remainder of a long decimal number by 97, a digit at a time.
fn mod97(digits: &str) -> u32 {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |rest, d| (rest * 10 + d) % 97)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn accounts() -> VirtualAccounts {
        VirtualAccounts::new("1090 1014 7001").unwrap()
    }

    #[test]
    fn a_customers_virtual_account_is_a_valid_iban_that_leads_back_to_them() {
        let customer = AccountNumber::parse("100000017").unwrap();
        let iban = accounts().iban_of(&customer);
        assert_eq!(iban.len(), 34, "{iban}");
        assert!(
            iban.starts_with("PL") && iban.contains("1090 1014 7001 0001 0000 0017"),
            "{iban}"
        );
        assert_eq!(accounts().account_of(&iban), Some(customer.clone()));
        // The operator's own account (another prefix) and a mistyped digit lead nowhere.
        assert_eq!(
            accounts().account_of("PL61 1090 1014 0000 0712 1981 2874"),
            None
        );
        let mistyped = iban.replacen("0017", "0018", 1);
        assert_eq!(accounts().account_of(&mistyped), None);
        assert_eq!(
            accounts().accounts_in(&format!(
                "Przelew na {}; tytul FV/2026/11/1",
                iban.to_lowercase()
            )),
            [customer]
        );
    }

    #[test]
    fn a_prefix_is_eight_to_fifteen_digits() {
        assert!(VirtualAccounts::new("1090101").is_err());
        assert!(VirtualAccounts::new("1090101470011234").is_err());
        assert!(VirtualAccounts::new("1090 10x4").is_err());
        assert!(VirtualAccounts::new("109010147001123").is_ok());
    }

    proptest! {
        #[test]
        fn every_customer_has_one_virtual_account_and_back(n in 1_u64..89_999_999, prefix in "[0-9]{8,15}") {
            let accounts = VirtualAccounts::new(&prefix).unwrap();
            let customer = AccountNumber::from_sequence(n).unwrap();
            let iban = accounts.iban_of(&customer);
            prop_assert_eq!(accounts.account_of(&iban), Some(customer.clone()));
            prop_assert_eq!(accounts.accounts_in(&iban), vec![customer]);
        }
    }
}
