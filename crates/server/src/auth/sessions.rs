//! Logging in, refreshing, logging out and cabinet activation.
//!
//! A login opens a session and hands out a short-lived access token and a refresh token. Each
//! refresh spends its token and hands out a new pair; presenting a spent token means it was
//! copied, so the whole session is revoked (OWASP refresh-token rotation).

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::auth::{PrincipalKind, Realm, TokenPair};
use okno_db::audit::{AuditRecord, NewAuditRow};
use okno_db::auth::{CabinetAccountRecord, LoginThrottleRecord, RefreshTokenRecord, SessionRecord};
use okno_db::customers::CustomerRecord;
use okno_db::users::UserRecord;
use okno_db::{DbConnection, write_transaction};
use okno_domain::access::{LoginFailures, LoginThrottlePolicy};
use okno_domain::customers::AccountNumber;
use okno_domain::validation::FieldErrorCode;

use super::principal::{Principal, load_session_principal, subject_of};
use super::tokens::{hash_secret, hashes_match, random_token};
use crate::error::{ApiError, ApiResult};
use crate::request_context::current_request_id;
use crate::state::AppState;
use crate::time::{from_db, to_db};

/// Refresh tokens carry a recognisable prefix, so a leaked one is easy to spot in logs.
const REFRESH_TOKEN_PREFIX: &str = "ort_";

fn throttle_policy(state: &AppState) -> LoginThrottlePolicy {
    LoginThrottlePolicy {
        max_failures: state.settings.login_max_failures,
        lockout: state.settings.login_lockout,
    }
}

fn failures_of(record: Option<LoginThrottleRecord>) -> Option<LoginFailures> {
    record.map(|r| LoginFailures {
        failures: u32::try_from(r.failures).unwrap_or(0),
        last_failure_at: from_db(r.last_failure_at),
        locked_until: r.locked_until.map(from_db),
    })
}

/// Refuses at once while the login name is locked.
fn ensure_not_locked(
    state: &AppState,
    conn: &mut DbConnection,
    login: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let failures = failures_of(LoginThrottleRecord::find(conn, login)?);
    match throttle_policy(state).locked_for(failures.as_ref(), now) {
        Some(remaining) => Err(ApiError::LoginLocked {
            retry_after_seconds: remaining.num_seconds().max(1),
        }),
        None => Ok(()),
    }
}

fn record_failure(
    state: &AppState,
    conn: &mut DbConnection,
    login: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    write_transaction(conn, |conn| {
        let failures = failures_of(LoginThrottleRecord::find(conn, login)?);
        let next = throttle_policy(state).after_failure(failures, now);
        if next.locked_until.is_some() {
            tracing::warn!(login, "login locked after repeated failures");
        }
        LoginThrottleRecord::save(
            conn,
            &LoginThrottleRecord {
                login: login.to_owned(),
                failures: i32::try_from(next.failures).unwrap_or(i32::MAX),
                last_failure_at: to_db(next.last_failure_at),
                locked_until: next.locked_until.map(to_db),
            },
        )?;
        Ok::<_, ApiError>(())
    })
}

/// Checks a username and password; on success opens a session.
pub fn login(
    state: &AppState,
    conn: &mut DbConnection,
    realm: Realm,
    username: &str,
    password: &str,
    user_agent: Option<&str>,
) -> ApiResult<TokenPair> {
    let now = state.now();
    let username = username.trim();
    let login_key = match realm {
        Realm::Staff => format!("staff:{}", username.to_lowercase()),
        Realm::Subscriber => format!("subscriber:{username}"),
    };
    ensure_not_locked(state, conn, &login_key, now)?;

    let candidate = match realm {
        Realm::Staff => UserRecord::find_by_username(conn, &username.to_lowercase())?
            .filter(|user| user.active)
            .map(|user| (Principal::staff(&user, None), user.password_hash)),
        Realm::Subscriber => subscriber_with_password(conn, username)?,
    };
    let verified = match &candidate {
        Some((_, hash)) => state.passwords.verify(password, hash),
        None => {
            state.passwords.verify_decoy(password);
            false
        }
    };
    let principal = match candidate {
        Some((principal, _)) if verified => principal,
        _ => {
            record_failure(state, conn, &login_key, now)?;
            return Err(ApiError::InvalidCredentials);
        }
    };

    write_transaction(conn, |conn| {
        LoginThrottleRecord::clear(conn, &login_key)?;
        let pair = open_session(state, conn, principal, user_agent, now)?;
        AuditRecord::insert(conn, &audit_row(&pair.principal, "auth.login", now))?;
        Ok(pair)
    })
}

fn subscriber_with_password(
    conn: &mut DbConnection,
    account_number: &str,
) -> ApiResult<Option<(Principal, String)>> {
    let Ok(account_number) = AccountNumber::parse(account_number) else {
        return Ok(None);
    };
    let Some(customer) = CustomerRecord::find_by_account_number(conn, account_number.as_str())?
    else {
        return Ok(None);
    };
    let account = CabinetAccountRecord::find(conn, customer.id)?.filter(|a| a.active);
    Ok(account.and_then(|account| {
        let hash = account.password_hash.clone()?;
        Some((Principal::subscriber(&customer, &account, None), hash))
    }))
}

fn audit_row(me: &okno_api_types::auth::Me, action: &str, now: DateTime<Utc>) -> NewAuditRow {
    NewAuditRow {
        occurred_at: to_db(now),
        actor_kind: match me.kind {
            PrincipalKind::Staff => "staff",
            PrincipalKind::Subscriber => "subscriber",
            PrincipalKind::Integration => "integration",
        }
        .into(),
        actor_id: Some(me.id),
        actor_name: me.username.clone(),
        action: action.into(),
        customer_id: me.customer_id,
        detail: None,
        request_id: current_request_id(),
    }
}

/// Opens a session for `principal` and issues its first token pair.
fn open_session(
    state: &AppState,
    conn: &mut DbConnection,
    mut principal: Principal,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<TokenPair> {
    let expires_at = now + state.settings.session_max_age;
    let user_agent: Option<String> = user_agent.map(|ua| ua.chars().take(200).collect());
    let session = SessionRecord::create(
        conn,
        principal.kind_name(),
        principal.id,
        to_db(now),
        to_db(expires_at),
        user_agent.as_deref(),
    )?;
    principal.session_id = Some(session.id);
    issue_pair(state, conn, &principal, &session, now)
}

fn issue_pair(
    state: &AppState,
    conn: &mut DbConnection,
    principal: &Principal,
    session: &SessionRecord,
    now: DateTime<Utc>,
) -> ApiResult<TokenPair> {
    let refresh_token = format!("{REFRESH_TOKEN_PREFIX}{}", random_token(32));
    let refresh_expires_at =
        (now + state.settings.refresh_token_ttl).min(from_db(session.expires_at));
    RefreshTokenRecord::issue(
        conn,
        session.id,
        &hash_secret(&refresh_token),
        to_db(now),
        to_db(refresh_expires_at),
    )?;
    let access_token =
        state
            .tokens
            .issue(&subject_of(principal.kind, principal.id), session.id, now)?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.tokens.access_ttl().num_seconds(),
        refresh_token,
        refresh_expires_in: (refresh_expires_at - now).num_seconds(),
        principal: principal.me(state.settings.password_max_age, now),
    })
}

enum RefreshOutcome {
    Issued(Box<TokenPair>),
    Invalid,
    Reused,
}

/// Spends a refresh token for a new pair.
pub fn refresh(
    state: &AppState,
    conn: &mut DbConnection,
    refresh_token: &str,
) -> ApiResult<TokenPair> {
    let now = state.now();
    let token_hash = hash_secret(refresh_token.trim());
    let outcome = write_transaction(conn, |conn| {
        let Some(token) = RefreshTokenRecord::find_by_hash(conn, &token_hash)? else {
            return Ok::<_, ApiError>(RefreshOutcome::Invalid);
        };
        if !hashes_match(&token.token_hash, &token_hash) {
            return Ok(RefreshOutcome::Invalid);
        }
        if token.spent_at.is_some() || !RefreshTokenRecord::spend(conn, token.id, to_db(now))? {
            tracing::warn!(
                session_id = token.session_id,
                "a spent refresh token was presented; revoking the session"
            );
            SessionRecord::revoke(conn, token.session_id, to_db(now), "refresh token reused")?;
            return Ok(RefreshOutcome::Reused);
        }
        if token.expires_at <= to_db(now) {
            return Ok(RefreshOutcome::Invalid);
        }
        let session = SessionRecord::find(conn, token.session_id)?;
        let Some(principal) = load_session_principal(conn, &session, now)? else {
            return Ok(RefreshOutcome::Invalid);
        };
        Ok(RefreshOutcome::Issued(Box::new(issue_pair(
            state, conn, &principal, &session, now,
        )?)))
    })?;
    match outcome {
        RefreshOutcome::Issued(pair) => Ok(*pair),
        RefreshOutcome::Invalid => Err(ApiError::InvalidRefreshToken),
        RefreshOutcome::Reused => Err(ApiError::RefreshTokenReused),
    }
}

pub fn logout(state: &AppState, conn: &mut DbConnection, principal: &Principal) -> ApiResult<()> {
    if let Some(session_id) = principal.session_id {
        SessionRecord::revoke(conn, session_id, to_db(state.now()), "logged out")?;
    }
    Ok(())
}

/// Sets the first cabinet password with a one-time activation code and logs the subscriber in.
pub fn activate_cabinet(
    state: &AppState,
    conn: &mut DbConnection,
    account_number: &str,
    code: &str,
    password: &str,
    user_agent: Option<&str>,
) -> ApiResult<TokenPair> {
    let now = state.now();
    let login_key = format!("activation:{}", account_number.trim());
    ensure_not_locked(state, conn, &login_key, now)?;
    let invalid = || {
        ApiError::Conflict(
            ErrorCode::InvalidActivationCode,
            "the account number and activation code do not match an open activation".into(),
            vec![],
        )
    };

    let customer = AccountNumber::parse(account_number)
        .ok()
        .map(|number| CustomerRecord::find_by_account_number(conn, number.as_str()))
        .transpose()?
        .flatten();
    let account = customer
        .as_ref()
        .map(|c| CabinetAccountRecord::find(conn, c.id))
        .transpose()?
        .flatten();
    let normalized_code = code.trim().to_uppercase().replace(['-', ' '], "");
    let matches = account.as_ref().is_some_and(|a| {
        a.activation_code_hash
            .as_deref()
            .is_some_and(|h| hashes_match(h, &hash_secret(&normalized_code)))
            && a.activation_expires_at
                .is_some_and(|expires| expires > to_db(now))
    });
    let (Some(customer), Some(account), true) = (customer, account, matches) else {
        record_failure(state, conn, &login_key, now)?;
        return Err(invalid());
    };
    super::passwords::check_policy(
        password,
        state.settings.password_min_length,
        &customer.account_number,
    )
    .map_err(|message| ApiError::field("password", FieldErrorCode::WeakPassword, message))?;
    let password_hash = state.passwords.hash(password)?;

    write_transaction(conn, |conn| {
        LoginThrottleRecord::clear(conn, &login_key)?;
        CabinetAccountRecord::activate(conn, customer.id, &password_hash, to_db(now))?;
        // A reset ends the sessions opened with the old password.
        SessionRecord::revoke_all_of(
            conn,
            "subscriber",
            customer.id,
            None,
            to_db(now),
            "cabinet password reset",
        )?;
        let account = CabinetAccountRecord {
            active: true,
            password_changed_at: Some(to_db(now)),
            ..account
        };
        let principal = Principal::subscriber(&customer, &account, None);
        let pair = open_session(state, conn, principal, user_agent, now)?;
        AuditRecord::insert(conn, &audit_row(&pair.principal, "cabinet.activate", now))?;
        Ok(pair)
    })
}

/// Changes the caller's own password after checking the current one; other sessions end.
pub fn change_password(
    state: &AppState,
    conn: &mut DbConnection,
    principal: &Principal,
    current_password: &str,
    new_password: &str,
) -> ApiResult<()> {
    let now = state.now();
    let stored = match principal.kind {
        PrincipalKind::Staff => Some(UserRecord::find(conn, principal.id)?.password_hash),
        PrincipalKind::Subscriber => {
            CabinetAccountRecord::find(conn, principal.id)?.and_then(|a| a.password_hash)
        }
        PrincipalKind::Integration => None,
    };
    if !stored.is_some_and(|hash| state.passwords.verify(current_password, &hash)) {
        return Err(ApiError::field(
            "current_password",
            FieldErrorCode::WrongPassword,
            "is not the current password",
        ));
    }
    super::passwords::check_policy(
        new_password,
        state.settings.password_min_length,
        &principal.username,
    )
    .map_err(|message| ApiError::field("new_password", FieldErrorCode::WeakPassword, message))?;
    if current_password == new_password {
        return Err(ApiError::field(
            "new_password",
            FieldErrorCode::Unchanged,
            "must differ from the current password",
        ));
    }
    let hash = state.passwords.hash(new_password)?;
    write_transaction(conn, |conn| {
        match principal.kind {
            PrincipalKind::Staff => {
                let user = UserRecord::find(conn, principal.id)?;
                let changes = okno_db::users::UserChanges {
                    password_hash: Some(hash.clone()),
                    password_changed_at: Some(to_db(now)),
                    ..Default::default()
                };
                UserRecord::update(conn, user.id, user.version, &changes)?;
            }
            PrincipalKind::Subscriber => {
                CabinetAccountRecord::set_password(conn, principal.id, &hash, to_db(now))?
            }
            PrincipalKind::Integration => {}
        }
        SessionRecord::revoke_all_of(
            conn,
            principal.kind_name(),
            principal.id,
            principal.session_id,
            to_db(now),
            "password changed",
        )?;
        Ok::<_, ApiError>(())
    })
}

/// How long activation codes stay valid, for the answer shown to staff.
pub fn activation_expiry(state: &AppState, now: DateTime<Utc>) -> DateTime<Utc> {
    now + state.settings.activation_code_ttl
}
