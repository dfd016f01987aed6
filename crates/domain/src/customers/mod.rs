//! Customers: their kinds, identifiers and contact data.

mod account_number;
mod contact_data;
mod details;
mod duplicates;
mod tax_id;

pub(crate) use account_number::luhn_check_digit;
pub use account_number::{AccountNumber, AccountNumberError};
pub use contact_data::{
    Email, EmailError, Phone, PhoneError, PostalCodeError, shown_phone, validate_postal_code,
};
pub use details::{
    Address, CustomerDetails, CustomerInput, EmailEntry, LABEL_MAX_CHARS, MAX_CONTACT_ENTRIES,
    NAME_MAX_CHARS, NOTES_MAX_CHARS, ORGANISATION_NAME_MAX_CHARS, PhoneEntry, check_address,
    check_customer, check_emails, check_phones, default_segment,
};
pub use duplicates::{DuplicateReason, Identity};
pub use tax_id::{TaxId, TaxIdError, TaxIdScheme};

wire_enum! {
    /// A person (individual) or an organisation (institutional client).
    pub enum CustomerKind {
        Person,
        Organisation,
    }
}

wire_enum! {
    /// Customer segment.
    pub enum Segment {
        Household,
        Business,
        Vip,
    }
}

wire_enum! {
    /// Where a customer is in their relationship with the operator.
    pub enum CustomerStatus {
        /// Registered, no service yet.
        Prospect,
        Active,
        /// Services paused (customer request or debt).
        Suspended,
        /// No longer a customer; kept for history and legal retention.
        Closed,
    }
}

wire_enum! {
    /// The language a customer is served in: documents, e-mails, the cabinet.
    pub enum Language {
        En,
        Pl,
        Ru,
    }
}

wire_enum! {
    /// What an address is used for.
    pub enum AddressKind {
        /// Where the customer lives or has its seat.
        Residence,
        /// Where letters go, if not the residence.
        Correspondence,
        /// Where a service is delivered.
        Service,
    }
}

/// The name a customer is shown under: "Last First" for people (the order operators search
/// and sort by), the organisation's name otherwise.
pub fn display_name(
    kind: CustomerKind,
    first_name: Option<&str>,
    last_name: Option<&str>,
    organisation_name: Option<&str>,
) -> String {
    match kind {
        CustomerKind::Person => [last_name, first_name]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        CustomerKind::Organisation => organisation_name.unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_puts_the_surname_first_for_people() {
        assert_eq!(
            display_name(CustomerKind::Person, Some("Anna"), Some("Kowalska"), None),
            "Kowalska Anna"
        );
        assert_eq!(
            display_name(
                CustomerKind::Organisation,
                None,
                None,
                Some("ZUK Sp. z o.o.")
            ),
            "ZUK Sp. z o.o."
        );
    }
}
