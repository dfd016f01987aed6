//! API scenarios through okno-client against a real server, each on SQLite and PostgreSQL.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly by design"
)]

mod auth;
mod bad_input;
mod billing;
mod cabinet;
mod complaints;
mod consents;
mod contracts;
mod customers;
mod demo;
mod exposure;
mod generated;
mod interactions;
mod knowledge;
mod message_templates;
mod notifications;
mod online_payments;
mod openapi;
mod outbox;
mod password_reset;
mod payments;
mod role_matrix;
mod sign_in_limits;
mod staff;
mod tickets;
