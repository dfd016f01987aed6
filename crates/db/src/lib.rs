//! Okno's data layer: one diesel code path over PostgreSQL (production) and SQLite (the
//! embedded default). Queries live with their records, in a module per feature; every
//! multi-row change runs in one transaction ([`write_transaction`]).

mod connection;
mod error;
pub mod schema;
mod stored;

pub mod audit;
pub mod auth;
pub mod backup;
pub mod benefits;
pub mod billing;
pub mod complaints;
pub mod contracts;
pub mod customers;
pub mod documents;
pub mod interactions;
pub mod invoices;
pub mod knowledge;
pub mod notifications;
pub mod online_payments;
pub mod payment_imports;
pub mod payments;
pub mod prepaid_cards;
pub mod reference;
pub mod sequences;
pub mod tariffs;
pub mod tickets;
pub mod tills;
pub mod usage;
pub mod users;

pub use connection::{
    Backend, Database, DatabaseUrl, DbConnection, POSTGRES_MIGRATIONS, PooledConnection,
    SQLITE_MIGRATIONS, discard_if_dead, write_transaction,
};
pub use error::{DbError, DbResult};
pub use stored::{Stored, StoredOpt};

/// Times are stored as UTC without a zone, to the microsecond on both backends.
pub type Timestamp = chrono::NaiveDateTime;

/// Splits rows into owned chunks of at most `size`, for batch inserts: rows with typed enum
/// columns are inserted by value.
fn owned_chunks<T>(rows: Vec<T>, size: usize) -> impl Iterator<Item = Vec<T>> {
    let mut rows = rows.into_iter();
    std::iter::from_fn(move || {
        let chunk: Vec<T> = rows.by_ref().take(size).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
}
