//! The request and response types of Okno's REST API (`/api/v1`).
//!
//! Shared by the server, the typed client and the front end, so this crate depends on serde and
//! utoipa only and builds for wasm32. Request types refuse unknown fields; money is integer
//! minor units; times are RFC 3339 UTC and dates ISO 8601.

pub mod allowed;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod cabinet;
pub mod complaints;
pub mod contracts;
pub mod customers;
pub mod health;
pub mod interactions;
pub mod notifications;
pub mod online_payments;
pub mod pagination;
pub mod patch;
pub mod payments;
pub mod problem;
pub mod reference;
pub mod tariffs;
pub mod tickets;
pub mod users;

/// Domain enums that travel over the wire unchanged.
pub use okno_domain::{
    access::{Permission, Role},
    contacts::{Channel, ConsentPurpose, Department, Direction},
    customers::{AddressKind, CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme},
};
pub use pagination::{Page, PageQuery};
pub use problem::{ErrorCode, FieldError, FieldErrorCode, Problem};
