//! Slowing down password guessing: failures are counted per account and per client
//! address, in the database, so that every server sees the same counts. An address that
//! failed too often is refused for a while; a locked account is refused to addresses that
//! failed lately but not to the owner's clean one (`okno_domain::access::SignInLimits`).

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use okno_db::auth::LoginThrottleRecord;
use okno_db::{DbConnection, write_transaction};
use okno_domain::access::{LoginFailures, LoginThrottlePolicy, SignInLimits};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::time::{from_db, to_db};

/// One attempt at a secret (a password, an activation code): the keys its failure counts
/// against.
#[derive(Debug, Clone)]
pub struct Guess {
    account: String,
    address: Option<String>,
}

impl Guess {
    /// `account` names what is guessed at (`staff:anna`, `subscriber:100000017`).
    pub fn new(account: String, address: Option<IpAddr>) -> Self {
        Self {
            account,
            address: address.map(|ip| format!("address:{ip}")),
        }
    }

    /// Refuses with 429 and the time to wait while the rules forbid a try.
    pub fn check(
        &self,
        state: &AppState,
        conn: &mut DbConnection,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let account = failures(conn, &self.account)?;
        let address = match &self.address {
            Some(key) => failures(conn, key)?,
            None => None,
        };
        limits(state)
            .may_try(account.as_ref(), address.as_ref(), now)
            .map_err(|wait| ApiError::LoginLocked {
                retry_after_seconds: wait.num_seconds().max(1),
            })
    }

    /// Counts a failure against the account and the address.
    pub fn failed(
        &self,
        state: &AppState,
        conn: &mut DbConnection,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let limits = limits(state);
        write_transaction(conn, |conn| {
            count_failure(conn, &self.account, &limits.account, now)?;
            if let Some(address) = &self.address {
                count_failure(conn, address, &limits.address, now)?;
            }
            Ok(())
        })
    }

    /// A success forgives the account its failures; the address keeps its own, or a guesser
    /// could reset them with a login of their own.
    pub fn succeeded(&self, conn: &mut DbConnection) -> ApiResult<()> {
        Ok(LoginThrottleRecord::clear(conn, &self.account)?)
    }
}

fn limits(state: &AppState) -> SignInLimits {
    let lockout = state.settings.login_lockout;
    SignInLimits {
        account: LoginThrottlePolicy {
            max_failures: state.settings.login_max_failures,
            lockout,
        },
        address: LoginThrottlePolicy {
            max_failures: state.settings.address_max_failures,
            lockout,
        },
    }
}

fn failures(conn: &mut DbConnection, key: &str) -> ApiResult<Option<LoginFailures>> {
    Ok(LoginThrottleRecord::find(conn, key)?.map(as_failures))
}

fn as_failures(record: LoginThrottleRecord) -> LoginFailures {
    LoginFailures {
        failures: u32::try_from(record.failures).unwrap_or(0),
        last_failure_at: from_db(record.last_failure_at),
        locked_until: record.locked_until.map(from_db),
    }
}

fn count_failure(
    conn: &mut DbConnection,
    key: &str,
    policy: &LoginThrottlePolicy,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let current = locked(conn, key)?;
    let next = policy.after_failure(Some(current), now);
    if next.locked_until.is_some() {
        tracing::warn!(key, "locked after repeated failures");
    }
    save(conn, key, &next)
}

/// The count kept under `key`, its row held until the transaction ends.
fn locked(conn: &mut DbConnection, key: &str) -> ApiResult<LoginFailures> {
    Ok(as_failures(LoginThrottleRecord::lock(
        conn,
        key,
        to_db(DateTime::UNIX_EPOCH),
    )?))
}

fn save(conn: &mut DbConnection, key: &str, state: &LoginFailures) -> ApiResult<()> {
    LoginThrottleRecord::save(
        conn,
        &LoginThrottleRecord {
            login: key.to_owned(),
            failures: i32::try_from(state.failures).unwrap_or(i32::MAX),
            last_failure_at: to_db(state.last_failure_at),
            locked_until: state.locked_until.map(to_db),
        },
    )?;
    Ok(())
}

/// Spends one use of an allowance kept under `key` (a password-reset request): `Err` with
/// the time to wait once `policy`'s uses are spent, and nothing counted then.
pub fn spend(
    conn: &mut DbConnection,
    key: &str,
    policy: &LoginThrottlePolicy,
    now: DateTime<Utc>,
) -> ApiResult<Result<(), chrono::Duration>> {
    write_transaction(conn, |conn| {
        let current = locked(conn, key)?;
        if let Some(wait) = policy.locked_for(Some(&current), now) {
            return Ok(Err(wait));
        }
        save(conn, key, &policy.after_failure(Some(current), now))?;
        Ok(Ok(()))
    })
}

/// Forgets failures whose last one is older than `kept` and that hold no lock: they no
/// longer count, and the table does not grow for ever.
pub fn prune_before(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    kept: chrono::Duration,
) -> ApiResult<usize> {
    Ok(LoginThrottleRecord::prune(
        conn,
        to_db(now - kept),
        to_db(now),
    )?)
}
