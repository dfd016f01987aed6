//! API keys for integrations: created with scopes, the secret shown once, stored hashed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Permission;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The first characters of the key, to tell keys apart in logs and lists.
    pub prefix: String,
    pub scopes: Vec<Permission>,
    pub created_at: DateTime<Utc>,
    pub created_by: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    /// Permissions the key grants, at least one; people, keys and the audit log cannot be
    /// delegated.
    #[schema(value_type = Vec<crate::allowed::ApiKeyScope>, min_items = 1)]
    pub scopes: Vec<Permission>,
}

/// A new key. `secret` is shown this once; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiKey {
    pub key: ApiKey,
    /// Present as `Authorization: Bearer <secret>`.
    pub secret: String,
}
