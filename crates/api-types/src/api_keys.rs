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
    /// What the key may do. A key made before a permission was withheld from keys does not
    /// list it: it no longer grants it.
    pub scopes: Vec<Permission>,
    pub created_at: DateTime<Utc>,
    pub created_by: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// From this moment the key is refused (401 `invalid_token`); absent, it works until
    /// revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
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
    /// From this moment the key is refused; later than now and at most five years ahead.
    /// Absent, the key works until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new key. `secret` is shown this once; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiKey {
    pub key: ApiKey,
    /// Present as `Authorization: Bearer <secret>`.
    pub secret: String,
}
