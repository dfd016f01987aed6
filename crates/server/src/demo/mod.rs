//! Demo data: a head office with two sales points, one staff user per role (password `demo`),
//! a topic classification in three languages, customers — people with Polish and Russian
//! names, organisations with valid NIPs — with consents and months of contact history, the
//! price list, contracts in every state, two billed months, and their messages, a few of
//! which the mail server refused.
//!
//! Everything is generated from a fixed seed, so each run gives the same data relative to its
//! date; customers go through the same validation as the API's. The demo is seeded in one
//! transaction: a failure leaves the database empty, ready to try again.

use okno_db::customers::CustomerRecord;
use okno_db::reference::SalesPointRecord;
use okno_db::users::UserRecord;
use okno_db::{DbConnection, write_transaction};

mod billing;
mod commercial;
mod complaints;
mod contacts;
mod customers;
pub mod generated;
mod knowledge;
mod messages;
mod names;
mod staff;
mod tickets;

pub use customers::seed_customers;
pub use staff::{DEMO_PASSWORD, DEMO_USERS, seed_staff};

use crate::error::ApiResult;
use crate::state::AppState;
use staff::DemoStaff;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        customers: usize,
        interactions: usize,
    },
    AlreadySeeded,
    /// The database holds other data; demo data goes into empty databases only.
    NotEmpty,
}

/// The whole demo: staff, then customers with consents, contacts and contracts, then two
/// billed months. Idempotent: a database that has the demo already is left alone; one with
/// other users or customers is refused.
pub fn seed_demo(state: &AppState, conn: &mut DbConnection) -> ApiResult<SeedOutcome> {
    if SalesPointRecord::find_by_code(conn, "HQ")?.is_some() {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let has_users = !UserRecord::list(conn, &Default::default(), None, 1)?.is_empty();
    let has_customers = !CustomerRecord::list(conn, &Default::default(), None, 1)?.is_empty();
    if has_users || has_customers {
        return Ok(SeedOutcome::NotEmpty);
    }
    let password_hash = state.passwords.hash(DEMO_PASSWORD)?;
    write_transaction(conn, |conn| {
        staff::seed_organisation(conn, &password_hash, state.now())?;
        let outcome = seed_customers(state, conn)?;
        let staff = DemoStaff::load(conn)?;
        if let Some((agent, manager)) = commercial::signers(&staff.principals) {
            billing::seed_billing(state, conn, agent, manager)?;
            messages::seed_delivery_failures(conn, state.now())?;
            complaints::seed_complaints(state, conn, agent, manager)?;
        }
        knowledge::seed_articles(conn, &staff, state.now())?;
        tickets::seed_tickets(state, conn, &staff)?;
        crate::payments::allocation::settle_all(conn, state.now())?;
        Ok(outcome)
    })
}
