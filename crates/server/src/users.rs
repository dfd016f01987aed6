//! Staff accounts: who they are, their role and sales point, their password.

use okno_api_types::users::{NewUser, User, UserPatch};
use okno_api_types::{ErrorCode, FieldError};
use okno_db::auth::SessionRecord;
use okno_db::users::{NewUserRow, UserChanges, UserRecord};
use okno_db::{DbConnection, Stored};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::auth::passwords::check_policy;
use crate::error::{ApiError, ApiResult};
use crate::reference::check_sales_point;
use crate::state::AppState;
use crate::time::{from_db, to_db};

pub fn to_api(user: UserRecord) -> User {
    User {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        sales_point_id: user.sales_point_id,
        active: user.active,
        created_at: from_db(user.created_at),
        password_changed_at: from_db(user.password_changed_at),
        version: user.version,
    }
}

fn valid_username(username: &str) -> bool {
    (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Creates a staff user after checking username, role, sales point and password policy.
/// `principal` is who does it, for the audit log; `None` for the command line.
pub fn add(
    state: &AppState,
    conn: &mut DbConnection,
    input: &NewUser,
    principal: Option<&Principal>,
) -> ApiResult<UserRecord> {
    let mut v = Validator::new();
    let username = input.username.trim().to_lowercase();
    if !valid_username(&username) {
        v.fail(
            "username",
            FieldErrorCode::InvalidValue,
            "3 to 64 characters: lower-case letters, digits, '.', '_', '-'",
        );
    }
    let display_name = v.text("display_name", &input.display_name, 100);
    if !input.role.is_staff() {
        v.fail("role", FieldErrorCode::InvalidValue, "must be a staff role");
    }
    if let Err(message) = check_policy(
        &input.password,
        state.settings.password_min_length,
        &username,
    ) {
        v.fail("password", FieldErrorCode::WeakPassword, message);
    }
    check_sales_point(conn, &mut v, input.sales_point_id)?;
    v.finish()?;
    let password_hash = state.passwords.hash(&input.password)?;
    let now = state.now();
    okno_db::write_transaction(conn, |conn| {
        let user = UserRecord::insert(
            conn,
            &NewUserRow {
                username: &username,
                display_name: &display_name,
                role: input.role.as_str(),
                sales_point_id: input.sales_point_id,
                password_hash: &password_hash,
                active: true,
                created_at: to_db(now),
                password_changed_at: to_db(now),
                version: 1,
            },
        )
        .map_err(|e| match e {
            okno_db::DbError::Duplicate(_) => ApiError::Conflict(
                ErrorCode::UsernameTaken,
                format!("the username {username} is taken"),
                vec![FieldError::new(
                    "username",
                    FieldErrorCode::Taken,
                    "is taken",
                )],
            ),
            other => other.into(),
        })?;
        let detail = Some(format!("user {} ({})", user.username, user.role));
        match principal {
            Some(principal) => audit::record(conn, principal, "user.create", None, detail, now)?,
            None => audit::record_system(conn, "user.create", detail, now)?,
        }
        Ok(user)
    })
}

/// Changes a staff user: name, role, sales point, active, or a new password. Deactivating or
/// resetting the password ends the user's sessions. Nobody can demote or deactivate
/// themselves, so an administrator always remains.
pub fn update(
    state: &AppState,
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    patch: UserPatch,
) -> ApiResult<UserRecord> {
    let mut v = Validator::new();
    let display_name = patch
        .display_name
        .as_deref()
        .map(|name| v.text("display_name", name, 100));
    if patch.role.is_some_and(|role| !role.is_staff()) {
        v.fail("role", FieldErrorCode::InvalidValue, "must be a staff role");
    }
    let is_self = principal.user_id() == Some(id);
    if is_self && patch.active == Some(false) {
        v.fail(
            "active",
            FieldErrorCode::SelfLockout,
            "you cannot deactivate your own account",
        );
    }
    if is_self && patch.role.is_some_and(|role| role != principal.role) {
        v.fail(
            "role",
            FieldErrorCode::SelfLockout,
            "you cannot change your own role",
        );
    }
    let password_hash = match &patch.password {
        Some(password) => match check_policy(password, state.settings.password_min_length, "") {
            Ok(()) => Some(state.passwords.hash(password)?),
            Err(message) => {
                v.fail("password", FieldErrorCode::WeakPassword, message);
                None
            }
        },
        None => None,
    };
    let now = state.now();
    let user = okno_db::write_transaction(conn, |conn| {
        if let Some(Some(sales_point_id)) = patch.sales_point_id {
            check_sales_point(conn, &mut v, Some(sales_point_id))?;
        }
        v.finish()?;
        let changes = UserChanges {
            display_name,
            role: patch.role.map(Stored),
            sales_point_id: patch.sales_point_id,
            active: patch.active,
            password_changed_at: password_hash.as_ref().map(|_| to_db(now)),
            password_hash,
        };
        let ends_sessions = patch.active == Some(false) || changes.password_hash.is_some();
        let user = UserRecord::update(conn, id, patch.version, &changes).map_err(|e| match e {
            okno_db::DbError::Stale => current_user_conflict(conn, id),
            okno_db::DbError::NotFound => {
                ApiError::not_found(ErrorCode::UserNotFound, format!("user {id}"))
            }
            other => other.into(),
        })?;
        if ends_sessions {
            SessionRecord::revoke_all_of(
                conn,
                "staff",
                id,
                None,
                to_db(now),
                "changed by an administrator",
            )?;
        }
        audit::record(
            conn,
            principal,
            "user.update",
            None,
            Some(format!("user {}", user.username)),
            now,
        )?;
        Ok::<_, ApiError>(user)
    })?;
    // Whatever changed (the role, the sales point, the name) is what the user's next request
    // acts with.
    state.sessions.forget_all();
    Ok(user)
}

fn current_user_conflict(conn: &mut DbConnection, id: i64) -> ApiError {
    match UserRecord::find(conn, id) {
        Ok(current) => ApiError::VersionConflict(serde_json::to_value(to_api(current)).ok()),
        Err(e) => e.into(),
    }
}
