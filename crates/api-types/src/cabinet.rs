//! The subscriber's self-service cabinet: activation and the subscriber's own view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A one-time code that lets a customer set their cabinet password; shown once to the staff
/// member, who hands it over (letter, SMS, at the desk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActivationCode {
    pub account_number: String,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub account_number: String,
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub activation_code: String,
    /// At least 8 characters (the server's `password_min_length`), at most 256, without the
    /// account number.
    #[schema(min_length = 8, max_length = 256)]
    pub password: String,
}

/// What subscribers may change about themselves; the rest goes through the operator.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// The `version` the change is based on.
    pub version: i64,
    /// At most 10, each address once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 10)]
    pub emails: Option<Vec<crate::customers::EmailEntry>>,
    /// At most 10, each number once however it is spelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 10)]
    pub phones: Option<Vec<crate::customers::PhoneEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<crate::Language>,
}
