//! Okno's business rules as plain functions over plain types.
//!
//! Nothing here performs I/O or knows about HTTP or SQL: the server and the database layer call
//! into this crate, and the front end (wasm32) reuses its parsers and formatters. Rules from
//! `domain.md` are cited by their number (`R-xx`) where they are decided.

#[macro_use]
mod wire_enum;

pub mod access;
pub mod benefits;
pub mod billing;
pub mod calendar;
pub mod clock;
pub mod complaints;
pub mod contacts;
pub mod contracts;
pub mod customers;
pub mod format;
pub mod money;
pub mod notifications;
pub mod payments;
pub mod search;
pub mod tariffs;
pub mod tickets;
pub mod validation;
