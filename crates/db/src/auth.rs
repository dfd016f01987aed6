//! Sign-in state: sessions with their rotating refresh tokens, login throttling, API keys and
//! the subscribers' cabinet accounts.

use chrono::Duration;
use diesel::prelude::*;

use crate::schema::{
    api_keys, auth_sessions, cabinet_accounts, login_throttles, refresh_tokens, users,
};
use crate::users::UserRecord;
use crate::{DbConnection, DbError, DbResult, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct SessionRecord {
    pub id: i64,
    /// `staff` or `subscriber`.
    pub principal_kind: String,
    pub principal_id: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub revoked_reason: Option<String>,
    pub user_agent: Option<String>,
}

impl SessionRecord {
    pub fn create(
        conn: &mut DbConnection,
        principal_kind: &str,
        principal_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
        user_agent: Option<&str>,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(auth_sessions::table)
            .values((
                auth_sessions::principal_kind.eq(principal_kind),
                auth_sessions::principal_id.eq(principal_id),
                auth_sessions::created_at.eq(now),
                auth_sessions::expires_at.eq(expires_at),
                auth_sessions::user_agent.eq(user_agent),
            ))
            .get_result(conn)?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(auth_sessions::table.find(id).first(conn)?)
    }

    /// The session with its staff user, in one round trip: the check every staff request
    /// makes. No user for a subscriber's session, nor for a user no longer there.
    pub fn find_with_staff(
        conn: &mut DbConnection,
        id: i64,
    ) -> DbResult<(Self, Option<UserRecord>)> {
        Ok(auth_sessions::table
            .left_join(
                users::table.on(users::id
                    .eq(auth_sessions::principal_id)
                    .and(auth_sessions::principal_kind.eq("staff"))),
            )
            .filter(auth_sessions::id.eq(id))
            .select((auth_sessions::all_columns, users::all_columns.nullable()))
            .first(conn)?)
    }

    pub fn is_open(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }

    pub fn revoke(conn: &mut DbConnection, id: i64, now: Timestamp, reason: &str) -> DbResult<()> {
        diesel::update(
            auth_sessions::table
                .find(id)
                .filter(auth_sessions::revoked_at.is_null()),
        )
        .set((
            auth_sessions::revoked_at.eq(now),
            auth_sessions::revoked_reason.eq(reason),
        ))
        .execute(conn)?;
        Ok(())
    }

    /// Ends every open session of a principal (deactivation, password change), except `keep`.
    pub fn revoke_all_of(
        conn: &mut DbConnection,
        principal_kind: &str,
        principal_id: i64,
        keep: Option<i64>,
        now: Timestamp,
        reason: &str,
    ) -> DbResult<usize> {
        Ok(diesel::update(
            auth_sessions::table
                .filter(auth_sessions::principal_kind.eq(principal_kind))
                .filter(auth_sessions::principal_id.eq(principal_id))
                .filter(auth_sessions::revoked_at.is_null())
                .filter(auth_sessions::id.ne(keep.unwrap_or(-1))),
        )
        .set((
            auth_sessions::revoked_at.eq(now),
            auth_sessions::revoked_reason.eq(reason),
        ))
        .execute(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct RefreshTokenRecord {
    pub id: i64,
    pub session_id: i64,
    pub token_hash: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub spent_at: Option<Timestamp>,
}

impl RefreshTokenRecord {
    pub fn issue(
        conn: &mut DbConnection,
        session_id: i64,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::session_id.eq(session_id),
                refresh_tokens::token_hash.eq(token_hash),
                refresh_tokens::issued_at.eq(now),
                refresh_tokens::expires_at.eq(expires_at),
            ))
            .get_result(conn)?)
    }

    pub fn find_by_hash(conn: &mut DbConnection, token_hash: &str) -> DbResult<Option<Self>> {
        Ok(refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .first(conn)
            .optional()?)
    }

    /// Marks the token spent; `false` if someone spent it first (a concurrent reuse).
    pub fn spend(conn: &mut DbConnection, id: i64, now: Timestamp) -> DbResult<bool> {
        let changed = diesel::update(
            refresh_tokens::table
                .find(id)
                .filter(refresh_tokens::spent_at.is_null()),
        )
        .set(refresh_tokens::spent_at.eq(now))
        .execute(conn)?;
        Ok(changed == 1)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct LoginThrottleRecord {
    /// `staff:<username>` or `subscriber:<account number>`.
    pub login: String,
    pub failures: i32,
    pub last_failure_at: Timestamp,
    pub locked_until: Option<Timestamp>,
}

impl LoginThrottleRecord {
    pub fn find(conn: &mut DbConnection, login: &str) -> DbResult<Option<Self>> {
        Ok(login_throttles::table.find(login).first(conn).optional()?)
    }

    /// The count under `login`, created empty if there is none, locked for the caller's
    /// transaction (on PostgreSQL; SQLite's write transaction holds the whole database), so
    /// that failures counted at the same moment add up instead of overwriting each other.
    pub fn lock(conn: &mut DbConnection, login: &str, epoch: Timestamp) -> DbResult<Self> {
        crate::on_each_backend!(&mut *conn, |c| diesel::insert_into(login_throttles::table)
            .values((
                login_throttles::login.eq(login),
                login_throttles::failures.eq(0),
                login_throttles::last_failure_at.eq(epoch),
            ))
            .on_conflict(login_throttles::login)
            .do_nothing()
            .execute(c))?;
        let query = login_throttles::table.find(login);
        Ok(match conn {
            DbConnection::Postgresql(pg) => query.for_update().first(pg)?,
            DbConnection::Sqlite(sqlite) => query.first(sqlite)?,
        })
    }

    /// Stores the throttle state after a failed attempt.
    pub fn save(conn: &mut DbConnection, state: &Self) -> DbResult<()> {
        let changed = diesel::update(login_throttles::table.find(&state.login))
            .set((
                login_throttles::failures.eq(state.failures),
                login_throttles::last_failure_at.eq(state.last_failure_at),
                login_throttles::locked_until.eq(state.locked_until),
            ))
            .execute(conn)?;
        if changed == 0 {
            diesel::insert_into(login_throttles::table)
                .values((
                    login_throttles::login.eq(&state.login),
                    login_throttles::failures.eq(state.failures),
                    login_throttles::last_failure_at.eq(state.last_failure_at),
                    login_throttles::locked_until.eq(state.locked_until),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    pub fn clear(conn: &mut DbConnection, login: &str) -> DbResult<()> {
        diesel::delete(login_throttles::table.find(login)).execute(conn)?;
        Ok(())
    }

    /// Removes the counts whose last failure was before `before` and whose lock, if any, has
    /// ended by `now`; answers how many.
    pub fn prune(conn: &mut DbConnection, before: Timestamp, now: Timestamp) -> DbResult<usize> {
        Ok(diesel::delete(
            login_throttles::table
                .filter(login_throttles::last_failure_at.lt(before))
                .filter(
                    login_throttles::locked_until
                        .is_null()
                        .or(login_throttles::locked_until.le(now)),
                ),
        )
        .execute(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ApiKeyRecord {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    /// JSON array of permission names.
    pub scopes: String,
    pub created_by: i64,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    /// From this moment the key is refused; never when absent.
    pub expires_at: Option<Timestamp>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKeyRow<'a> {
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    pub scopes: &'a str,
    pub created_by: i64,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

/// How often `last_used_at` is written: once a minute is precise enough and spares a write
/// per request.
const LAST_USED_RESOLUTION_SECONDS: i64 = 60;

impl ApiKeyRecord {
    pub fn insert(conn: &mut DbConnection, row: &NewApiKeyRow<'_>) -> DbResult<Self> {
        diesel::insert_into(api_keys::table)
            .values(row)
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("prefix"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(api_keys::table.find(id).first(conn)?)
    }

    pub fn find_by_prefix(conn: &mut DbConnection, prefix: &str) -> DbResult<Option<Self>> {
        Ok(api_keys::table
            .filter(api_keys::prefix.eq(prefix))
            .first(conn)
            .optional()?)
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(api_keys::table.order(api_keys::id).load(conn)?)
    }

    /// Revokes the key; `false` if it was revoked already.
    pub fn revoke(conn: &mut DbConnection, id: i64, now: Timestamp) -> DbResult<bool> {
        let changed = diesel::update(
            api_keys::table
                .find(id)
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn touch(conn: &mut DbConnection, id: i64, now: Timestamp) -> DbResult<()> {
        let stale_before = now - Duration::seconds(LAST_USED_RESOLUTION_SECONDS);
        diesel::update(
            api_keys::table.find(id).filter(
                api_keys::last_used_at
                    .is_null()
                    .or(api_keys::last_used_at.lt(stale_before)),
            ),
        )
        .set(api_keys::last_used_at.eq(now))
        .execute(conn)?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct CabinetAccountRecord {
    pub customer_id: i64,
    pub password_hash: Option<String>,
    pub activation_code_hash: Option<String>,
    pub activation_expires_at: Option<Timestamp>,
    pub activated_at: Option<Timestamp>,
    pub password_changed_at: Option<Timestamp>,
    pub active: bool,
}

impl CabinetAccountRecord {
    pub fn find(conn: &mut DbConnection, customer_id: i64) -> DbResult<Option<Self>> {
        Ok(cabinet_accounts::table
            .find(customer_id)
            .first(conn)
            .optional()?)
    }

    /// Stores a new activation code, replacing any earlier one. An active account stays active
    /// (the code then resets the password).
    pub fn issue_activation(
        conn: &mut DbConnection,
        customer_id: i64,
        code_hash: &str,
        expires_at: Timestamp,
    ) -> DbResult<()> {
        let changed = diesel::update(cabinet_accounts::table.find(customer_id))
            .set((
                cabinet_accounts::activation_code_hash.eq(code_hash),
                cabinet_accounts::activation_expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        if changed == 0 {
            diesel::insert_into(cabinet_accounts::table)
                .values((
                    cabinet_accounts::customer_id.eq(customer_id),
                    cabinet_accounts::activation_code_hash.eq(code_hash),
                    cabinet_accounts::activation_expires_at.eq(expires_at),
                    cabinet_accounts::active.eq(false),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    /// Sets the password and spends the activation code.
    pub fn activate(
        conn: &mut DbConnection,
        customer_id: i64,
        password_hash: &str,
        now: Timestamp,
    ) -> DbResult<()> {
        diesel::update(cabinet_accounts::table.find(customer_id))
            .set((
                cabinet_accounts::password_hash.eq(password_hash),
                cabinet_accounts::activation_code_hash.eq(None::<String>),
                cabinet_accounts::activation_expires_at.eq(None::<Timestamp>),
                cabinet_accounts::activated_at.eq(now),
                cabinet_accounts::password_changed_at.eq(now),
                cabinet_accounts::active.eq(true),
            ))
            .execute(conn)?;
        Ok(())
    }

    pub fn set_password(
        conn: &mut DbConnection,
        customer_id: i64,
        password_hash: &str,
        now: Timestamp,
    ) -> DbResult<()> {
        diesel::update(cabinet_accounts::table.find(customer_id))
            .set((
                cabinet_accounts::password_hash.eq(password_hash),
                cabinet_accounts::password_changed_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    }
}
