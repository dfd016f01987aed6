//! The operator console's customer screens: results, the one-window card, the form.

mod card;
mod consents;
mod contact_log;
mod form;
mod list;
mod services;
mod timeline;

pub use card::CustomerCard;
pub use form::CustomerForm;
pub use list::CustomersPage;
