//! Billing (R-20..R-28): billing runs and their workers, invoices and correction notes, the
//! customer account, prepaid charging, usage and meter readings. The rules themselves live in
//! `okno_domain::billing`; this module reads and writes what they need.

pub mod account;
pub mod check;
pub mod corrections;
pub mod inputs;
pub mod invoices;
pub mod issue;
pub mod prepaid;
pub mod runs;
pub mod usage;
pub mod view;

pub use runs::{ActiveRuns, WorkReport, finish, spawn_workers, start, view, work, work_on};
