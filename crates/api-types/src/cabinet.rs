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
    pub account_number: String,
    pub activation_code: String,
    /// At least 8 characters.
    pub password: String,
}

/// What subscribers may change about themselves; the rest goes through the operator.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// The `version` the change is based on.
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<crate::customers::EmailEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<crate::customers::PhoneEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<crate::Language>,
}
