//! Likely duplicates: before a customer is registered, the records that are
//! probably the same customer — the same tax id, phone or e-mail, or the same name at the same
//! address — so staff open the existing one instead of making a second.

use super::{Address, EmailEntry, Phone, PhoneEntry};
use crate::search::fold;

wire_enum! {
    /// Why a record is probably the same customer.
    pub enum DuplicateReason {
        /// The same tax id (NIP, PESEL, INN …).
        TaxId,
        /// A phone number in common, however it is spelled.
        Phone,
        /// An e-mail address in common.
        Email,
        /// The same name at the same address.
        NameAndAddress,
    }
}

/// What tells one customer from another, folded so spellings compare equal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    tax_id: Option<String>,
    /// National digits of each phone (`600100200`).
    phones: Vec<String>,
    emails: Vec<String>,
    /// The display name ("Kowalska Anna", a firm's name), folded.
    name: String,
    /// Each address as street, building, apartment and postal code, folded.
    addresses: Vec<String>,
}

impl Identity {
    pub fn new(
        tax_id: Option<&str>,
        display_name: &str,
        phones: &[PhoneEntry],
        emails: &[EmailEntry],
        addresses: &[Address],
    ) -> Self {
        let words = |text: &str| fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
        Self {
            tax_id: tax_id.map(|t| fold(t.trim())).filter(|t| !t.is_empty()),
            phones: phones
                .iter()
                .filter_map(|p| Phone::parse(&p.value).ok())
                .map(|p| p.national_digits().to_owned())
                .collect(),
            emails: emails.iter().map(|e| fold(e.value.trim())).collect(),
            name: words(display_name),
            addresses: addresses
                .iter()
                .map(|a| {
                    words(&format!(
                        "{} {} {} {}",
                        a.street,
                        a.building,
                        a.apartment.as_deref().unwrap_or_default(),
                        a.postal_code
                    ))
                })
                .collect(),
        }
    }

    /// Words to look for candidates by in the search documents: each must occur in a likely
    /// duplicate's. The name's longest word finds records at the same address.
    pub fn search_keys(&self) -> Vec<String> {
        let longest_word = self
            .name
            .split_whitespace()
            .max_by_key(|w| w.chars().count())
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_owned);
        let mut keys: Vec<String> = self
            .tax_id
            .iter()
            .chain(&self.phones)
            .chain(&self.emails)
            .cloned()
            .chain(longest_word)
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Why `other` is probably the same customer; empty when it is not.
    pub fn reasons(&self, other: &Self) -> Vec<DuplicateReason> {
        let shares = |a: &[String], b: &[String]| a.iter().any(|x| b.contains(x));
        let mut reasons = Vec::new();
        if self.tax_id.is_some() && self.tax_id == other.tax_id {
            reasons.push(DuplicateReason::TaxId);
        }
        if shares(&self.phones, &other.phones) {
            reasons.push(DuplicateReason::Phone);
        }
        if shares(&self.emails, &other.emails) {
            reasons.push(DuplicateReason::Email);
        }
        if !self.name.is_empty()
            && self.name == other.name
            && shares(&self.addresses, &other.addresses)
        {
            reasons.push(DuplicateReason::NameAndAddress);
        }
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::AddressKind;

    fn address(street: &str, apartment: Option<&str>) -> Address {
        Address {
            kind: AddressKind::Residence,
            street: street.into(),
            building: "30".into(),
            apartment: apartment.map(Into::into),
            postal_code: "00-116".into(),
            city: "Warszawa".into(),
            country: "PL".into(),
        }
    }

    fn phone(value: &str) -> PhoneEntry {
        PhoneEntry {
            value: value.into(),
            label: None,
        }
    }

    fn email(value: &str) -> EmailEntry {
        EmailEntry {
            value: value.into(),
            label: None,
        }
    }

    #[test]
    fn the_same_person_typed_twice_is_found_by_each_thing_in_common() {
        let anna = Identity::new(
            Some("85010112345"),
            "Kowalska Anna",
            &[phone("+48600555123")],
            &[email("anna@example.pl")],
            &[address("ul. Świętokrzyska", Some("12"))],
        );
        let again = Identity::new(
            None,
            "KOWALSKA  Anna",
            &[phone("600 555 123")],
            &[],
            &[address("ul. Swietokrzyska", Some("12"))],
        );
        assert_eq!(
            anna.reasons(&again),
            [DuplicateReason::Phone, DuplicateReason::NameAndAddress]
        );
        let by_mail = Identity::new(None, "Nowak Jan", &[], &[email("Anna@Example.PL")], &[]);
        assert_eq!(anna.reasons(&by_mail), [DuplicateReason::Email]);
        let by_pesel = Identity::new(Some("85010112345"), "Kowalska-Nowak Anna", &[], &[], &[]);
        assert_eq!(anna.reasons(&by_pesel), [DuplicateReason::TaxId]);
    }

    #[test]
    fn a_namesake_elsewhere_or_a_neighbour_is_not_a_duplicate() {
        let anna = Identity::new(
            None,
            "Kowalska Anna",
            &[],
            &[],
            &[address("ul. Świętokrzyska", Some("12"))],
        );
        let namesake = Identity::new(
            None,
            "Kowalska Anna",
            &[],
            &[],
            &[address("ul. Długa", None)],
        );
        let neighbour = Identity::new(
            None,
            "Nowak Jan",
            &[],
            &[],
            &[address("ul. Świętokrzyska", Some("12"))],
        );
        let next_door = Identity::new(
            None,
            "Kowalska Anna",
            &[],
            &[],
            &[address("ul. Świętokrzyska", Some("14"))],
        );
        for other in [namesake, neighbour, next_door] {
            assert_eq!(anna.reasons(&other), [], "{other:?}");
        }
    }

    #[test]
    fn candidates_are_looked_for_by_each_key_and_the_longest_name_word() {
        let anna = Identity::new(
            Some("5250001233"),
            "Kowalska Anna",
            &[phone("+48 600 555 123")],
            &[email("anna@example.pl")],
            &[],
        );
        assert_eq!(
            anna.search_keys(),
            ["5250001233", "600555123", "anna@example.pl", "kowalska"]
        );
    }
}
