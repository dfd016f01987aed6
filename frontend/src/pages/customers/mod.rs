//! The operator console's customer screens: results, the one-window card, the form.

mod card;
mod consents;
mod contact_log;
mod form;
mod list;
mod messages;
mod services;
mod timeline;

use okno_api_types::AddressKind;
use okno_api_types::customers::Address;

pub use card::CustomerCard;
pub use form::CustomerForm;
pub use list::CustomersPage;

/// An address of `kind` with nothing filled in yet, in Poland.
pub fn blank_address(kind: AddressKind) -> Address {
    Address {
        kind,
        street: String::new(),
        building: String::new(),
        apartment: None,
        postal_code: String::new(),
        city: String::new(),
        country: "PL".into(),
    }
}
