//! Sign-in: access tokens, rotating refresh tokens, the current principal (R-80..R-82).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Permission, Role};

/// Who is logging in: staff by username, subscribers by account number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Realm {
    #[default]
    Staff,
    Subscriber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Staff username, or a subscriber's account number.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub username: String,
    /// Any password may be tried; none is longer than 256 characters.
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
    #[serde(default)]
    pub realm: Realm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(
        min_length = 1,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub refresh_token: String,
}

/// An access token for `Authorization: Bearer`, and the refresh token that renews it once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one; presenting a spent one revokes the session.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: i64,
    pub principal: Me,
}

/// The kind of principal behind a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    Staff,
    Subscriber,
    Integration,
}

/// The principal the presented credentials belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub kind: PrincipalKind,
    /// Staff user id, customer id of a subscriber, or API key id.
    pub id: i64,
    /// Username, account number, or API key name.
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_point_id: Option<i64>,
    /// For subscribers: their customer record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// For subscribers: the interface language they chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<crate::Language>,
    pub permissions: Vec<Permission>,
    /// When the password was last changed (staff and subscribers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_changed_at: Option<DateTime<Utc>>,
    /// The password is older than the configured maximum age and should be changed (R-82).
    #[serde(default)]
    pub password_change_due: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(max_length = 256)]
    pub current_password: String,
    /// At least 8 characters (the server's `password_min_length`), at most 256, without the
    /// username; different from the current one.
    #[schema(min_length = 8, max_length = 256)]
    pub new_password: String,
}
