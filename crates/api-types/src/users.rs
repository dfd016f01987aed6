//! Staff accounts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_point_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// 3 to 64 characters: letters, digits, `.`, `_`, `-`; stored in lower case.
    #[schema(pattern = r"^[A-Za-z0-9._-]{3,64}$")]
    pub username: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub display_name: String,
    /// A staff role.
    #[schema(value_type = crate::allowed::StaffRole)]
    pub role: Role,
    #[serde(default)]
    #[schema(minimum = 1)]
    pub sales_point_id: Option<i64>,
    /// At least 8 characters (the server's `password_min_length`), at most 256, without the
    /// username.
    #[schema(min_length = 8, max_length = 256)]
    pub password: String,
}

/// Changes to a staff account; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// The `version` the change is based on.
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub display_name: Option<String>,
    /// A staff role; nobody changes their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::allowed::StaffRole>)]
    pub role: Option<Role>,
    /// `null` detaches the user from any sales point.
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub sales_point_id: Option<Option<i64>>,
    /// Deactivating a user ends their sessions at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Sets a new password (an administrator's reset): at least 8 characters (the server's
    /// `password_min_length`), at most 256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 8, max_length = 256)]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    pub role: Option<Role>,
    pub sales_point_id: Option<i64>,
    pub active: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
