//! Logging in, refreshing, logging out and cabinet activation.
//!
//! A login opens a session and hands out a short-lived access token and a refresh token. Each
//! refresh spends its token and hands out a new pair; presenting a spent token means it was
//! copied, so the whole session is revoked (OWASP refresh-token rotation).

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::auth::{PrincipalKind, Realm, TokenPair};
use okno_db::audit::{AuditRecord, NewAuditRow};
use okno_db::auth::{CabinetAccountRecord, RefreshTokenRecord, SessionRecord};
use okno_db::customers::CustomerRecord;
use okno_db::users::UserRecord;
use okno_db::{DbConnection, write_transaction};

use okno_domain::customers::AccountNumber;
use okno_domain::validation::FieldErrorCode;

use super::principal::{Principal, load_session_principal, subject_of};
use super::throttle::Guess;
use super::tokens::{hash_secret, hashes_match, random_token};
use crate::error::{ApiError, ApiResult};
use crate::request_context::current_request_id;
use crate::state::AppState;
use crate::time::{from_db, to_db};

/// Refresh tokens carry a recognisable prefix, so a leaked one is easy to spot in logs.
const REFRESH_TOKEN_PREFIX: &str = "ort_";

/// A sign-in as it arrives.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub realm: Realm,
    pub username: String,
    pub password: String,
    pub user_agent: Option<String>,
    pub address: Option<IpAddr>,
}

/// Checks a username and password; on success opens a session. The password is checked
/// between two short database visits, in its turn ([`AppState::check_password`]).
pub async fn login(state: &AppState, sign_in: SignIn) -> ApiResult<TokenPair> {
    let SignIn {
        realm,
        username,
        password,
        user_agent,
        address,
    } = sign_in;
    let now = state.now();
    let st = state.clone();
    let (guess, candidate) = state
        .run(move |conn| {
            let username = username.trim();
            let (account, candidate) = match realm {
                Realm::Staff => {
                    let name = username.to_lowercase();
                    let candidate = UserRecord::find_by_username(conn, &name)?
                        .filter(|user| user.active)
                        .map(|user| (Principal::staff(&user, None), user.password_hash));
                    (format!("staff:{name}"), candidate)
                }
                // However the number is typed (`1-00000017`, `100 000 017`), it is one account.
                Realm::Subscriber => (
                    format!("subscriber:{}", account_key(username)),
                    subscriber_with_password(conn, username)?,
                ),
            };
            let guess = Guess::new(account, address);
            guess.check(&st, conn, now)?;
            Ok((guess, candidate))
        })
        .await?;
    let (principal, hash) = candidate.unzip();
    let verified = state.check_password(password, hash).await?;
    let st = state.clone();
    state
        .run(move |conn| match principal {
            Some(principal) if verified => write_transaction(conn, |conn| {
                guess.succeeded(conn)?;
                let pair = open_session(&st, conn, principal, user_agent.as_deref(), now)?;
                AuditRecord::insert(conn, &audit_row(&pair.principal, "auth.login", now))?;
                Ok(pair)
            }),
            _ => {
                guess.failed(&st, conn, now)?;
                Err(ApiError::InvalidCredentials)
            }
        })
        .await
}

/// An account number as the customer's key, however it was typed; as typed when it is not
/// one.
fn account_key(typed: &str) -> String {
    AccountNumber::parse(typed)
        .map(|number| number.as_str().to_owned())
        .unwrap_or_else(|_| typed.trim().to_owned())
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
        RefreshOutcome::Reused => {
            state.sessions.forget_all();
            Err(ApiError::RefreshTokenReused)
        }
    }
}

pub fn logout(state: &AppState, conn: &mut DbConnection, principal: &Principal) -> ApiResult<()> {
    if let Some(session_id) = principal.session_id {
        SessionRecord::revoke(conn, session_id, to_db(state.now()), "logged out")?;
        state.sessions.forget_all();
    }
    Ok(())
}

/// A cabinet activation as it arrives.
#[derive(Debug, Clone)]
pub struct Activation {
    pub account_number: String,
    pub code: String,
    pub password: String,
    pub user_agent: Option<String>,
    pub address: Option<IpAddr>,
}

/// Sets the first cabinet password with a one-time activation code and logs the subscriber in.
/// Failed codes count like failed passwords, per account and per address.
pub async fn activate_cabinet(state: &AppState, activation: Activation) -> ApiResult<TokenPair> {
    let Activation {
        account_number,
        code,
        password,
        user_agent,
        address,
    } = activation;
    let now = state.now();
    let guess = Guess::new(
        format!("activation:{}", account_key(&account_number)),
        address,
    );
    let code_hash = hash_secret(&code.trim().to_uppercase().replace(['-', ' '], ""));
    let (st, checked_guess, checked_code) = (state.clone(), guess.clone(), code_hash.clone());
    let customer = state
        .run(move |conn| {
            checked_guess.check(&st, conn, now)?;
            match open_activation(conn, &account_number, &checked_code, now)? {
                Some(customer) => Ok(customer),
                None => {
                    checked_guess.failed(&st, conn, now)?;
                    Err(invalid_activation())
                }
            }
        })
        .await?;
    super::passwords::check_policy(
        &password,
        state.settings.password_min_length,
        &customer.account_number,
    )
    .map_err(|message| ApiError::field("password", FieldErrorCode::WeakPassword, message))?;
    let password_hash = state.hash_password(password).await?;
    let st = state.clone();
    state
        .run(move |conn| {
            write_transaction(conn, |conn| {
                // The code is spent once: checked again under the write lock.
                let Some(customer) =
                    open_activation(conn, &customer.account_number, &code_hash, now)?
                else {
                    return Err(invalid_activation());
                };
                guess.succeeded(conn)?;
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
                let account = CabinetAccountRecord::find(conn, customer.id)?
                    .ok_or_else(invalid_activation)?;
                let principal = Principal::subscriber(&customer, &account, None);
                let pair = open_session(&st, conn, principal, user_agent.as_deref(), now)?;
                AuditRecord::insert(conn, &audit_row(&pair.principal, "cabinet.activate", now))?;
                Ok(pair)
            })
        })
        .await
}

fn invalid_activation() -> ApiError {
    ApiError::Conflict(
        ErrorCode::InvalidActivationCode,
        "the account number and activation code do not match an open activation".into(),
        vec![],
    )
}

/// The customer whose open activation the number and code name.
fn open_activation(
    conn: &mut DbConnection,
    account_number: &str,
    code_hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<CustomerRecord>> {
    let Ok(number) = AccountNumber::parse(account_number) else {
        return Ok(None);
    };
    let Some(customer) = CustomerRecord::find_by_account_number(conn, number.as_str())? else {
        return Ok(None);
    };
    let open = CabinetAccountRecord::find(conn, customer.id)?.is_some_and(|a| {
        a.activation_code_hash
            .as_deref()
            .is_some_and(|h| hashes_match(h, code_hash))
            && a.activation_expires_at
                .is_some_and(|expires| expires > to_db(now))
    });
    Ok(open.then_some(customer))
}

/// Changes the caller's own password after checking the current one; other sessions end.
/// Wrong current passwords count like failed sign-ins.
pub async fn change_password(
    state: &AppState,
    principal: Principal,
    current_password: String,
    new_password: String,
    address: Option<IpAddr>,
) -> ApiResult<()> {
    let now = state.now();
    let guess = Guess::new(
        format!("password:{}:{}", principal.kind_name(), principal.id),
        address,
    );
    let (st, checked_guess, kind, id) =
        (state.clone(), guess.clone(), principal.kind, principal.id);
    let stored = state
        .run(move |conn| {
            checked_guess.check(&st, conn, now)?;
            Ok(match kind {
                PrincipalKind::Staff => Some(UserRecord::find(conn, id)?.password_hash),
                PrincipalKind::Subscriber => {
                    CabinetAccountRecord::find(conn, id)?.and_then(|a| a.password_hash)
                }
                PrincipalKind::Integration => None,
            })
        })
        .await?;
    let known = stored.is_some();
    let verified = state
        .check_password(current_password.clone(), stored)
        .await?;
    if !(known && verified) {
        let st = state.clone();
        state.run(move |conn| guess.failed(&st, conn, now)).await?;
        return Err(ApiError::field(
            "current_password",
            FieldErrorCode::WrongPassword,
            "is not the current password",
        ));
    }
    super::passwords::check_policy(
        &new_password,
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
    let hash = state.hash_password(new_password).await?;
    state
        .run(move |conn| {
            write_transaction(conn, |conn| {
                guess.succeeded(conn)?;
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
                Ok(())
            })
        })
        .await?;
    state.sessions.forget_all();
    Ok(())
}

/// How long activation codes stay valid, for the answer shown to staff.
pub fn activation_expiry(state: &AppState, now: DateTime<Utc>) -> DateTime<Utc> {
    now + state.settings.activation_code_ttl
}
