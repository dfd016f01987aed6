//! Liveness and readiness.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` when alive, `ready` or `unavailable` for readiness.
    pub status: String,
    pub version: String,
    /// `postgresql` or `sqlite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}
