//! Liveness, readiness, and the ledger check.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use okno_domain::billing::LedgerInvariant;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` when alive, `ready` or `unavailable` for readiness.
    pub status: String,
    pub version: String,
    /// `postgresql` or `sqlite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// What the ledger check found: every invariant of money and numbering checked over the
/// whole database; clean when `findings` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LedgerCheck {
    pub checked_at: DateTime<Utc>,
    /// Invoices and correction notes checked.
    pub invoices: i64,
    /// Number sequences checked.
    pub sequences: i64,
    pub findings: Vec<LedgerFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LedgerFinding {
    pub invariant: LedgerInvariant,
    pub detail: String,
}
