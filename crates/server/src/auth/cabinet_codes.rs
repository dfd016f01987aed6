//! One-time cabinet codes: the activation code staff issue to a customer, and the code a
//! subscriber who forgot the password asks for. Both set a new password through
//! `/cabinet/activate`; both go to the customer through the outbox with a link that
//! opens the activation with the code filled in. An active cabinet keeps its password until
//! the code is used, so asking for a reset locks no one out.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDateTime, Utc};
use okno_api_types::cabinet::ActivationCode;
use okno_db::DbConnection;
use okno_db::auth::CabinetAccountRecord;
use okno_db::customers::CustomerRecord;
use okno_domain::access::password_reset_limits;
use okno_domain::customers::AccountNumber;
use okno_domain::notifications::NotificationEvent;

use super::Principal;
use super::throttle::spend;
use super::tokens::{hash_secret, human_code};
use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Notice, Sender};
use crate::state::AppState;
use crate::time::to_db;

/// 8 characters of a 31-letter alphabet, about 40 bits, behind a lockout after repeated
/// failures.
const CODE_LENGTH: usize = 8;

/// How a code is written into its message: the link's address and the local time it ends.
#[derive(Debug, Clone)]
struct Letter {
    sender: Sender,
    /// Where subscribers reach the cabinet: the configured public address, else the address
    /// the server listens at, never a request's `Host` (a forged one would send the code
    /// elsewhere).
    base_url: String,
    zone: chrono_tz::Tz,
}

impl Letter {
    fn of(state: &AppState) -> Self {
        let base_url = state
            .settings
            .online_payments
            .public_url
            .clone()
            .or_else(|| state.local_address.get().map(str::to_owned))
            .unwrap_or_else(|| format!("http://{}", state.settings.listen));
        Self {
            sender: state.sender(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            zone: state.settings.notifications.time_zone,
        }
    }

    fn local(&self, moment: DateTime<Utc>) -> NaiveDateTime {
        moment.with_timezone(&self.zone).naive_local()
    }

    /// Records the code on the customer's cabinet account and writes its message, inside the
    /// caller's transaction.
    fn issue(
        &self,
        conn: &mut DbConnection,
        event: NotificationEvent,
        customer: &CustomerRecord,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let code = human_code(CODE_LENGTH);
        CabinetAccountRecord::issue_activation(
            conn,
            customer.id,
            &hash_secret(&code),
            to_db(expires_at),
        )?;
        let link = format!(
            "{}/cabinet/activate?account={}&code={code}",
            self.base_url, customer.account_number
        );
        let notice =
            Notice::cabinet_code(event, customer.id, now, &code, link, self.local(expires_at));
        notifications::write(conn, &self.sender, &[notice], now)?;
        Ok(code)
    }
}

/// Staff issue a one-time code with which the customer sets their cabinet password; it is
/// also sent to the customer. A new code replaces the previous one; for an active cabinet it
/// resets the password.
pub async fn issue_activation(
    state: &AppState,
    principal: Principal,
    customer_id: i64,
) -> ApiResult<ActivationCode> {
    let now = state.now();
    let expires_at = now + state.settings.activation_code_ttl;
    let letter = Letter::of(state);
    state
        .write(move |conn| {
            let customer = crate::customers::find(conn, customer_id)?;
            let code = letter.issue(
                conn,
                NotificationEvent::CabinetActivation,
                &customer,
                expires_at,
                now,
            )?;
            audit::record(
                conn,
                &principal,
                "cabinet.activation_issued",
                Some(customer_id),
                None,
                now,
            )?;
            Ok(ActivationCode {
                account_number: customer.account_number,
                code,
                expires_at,
            })
        })
        .await
}

/// A subscriber forgot the cabinet password and gives `login`: the account number or the
/// e-mail address on the record. Each active cabinet it names gets a one-time code by the
/// channels on the record. The caller's answer is the same whatever is found: the work is
/// done after it, so neither the answer nor its time tells whether an account exists.
/// Too many requests from one address are refused (429), which says nothing of any
/// account; too many for one account are dropped without a word.
pub async fn request_reset(
    state: &AppState,
    login: String,
    address: Option<IpAddr>,
) -> ApiResult<()> {
    let now = state.now();
    if let Some(ip) = address {
        let key = format!("reset-address:{ip}");
        let limit = password_reset_limits().address;
        state
            .write(move |conn| spend(conn, &key, &limit, now))
            .await?
            .map_err(|wait| ApiError::TooManyRequests {
                retry_after_seconds: wait.num_seconds().max(1),
            })?;
    }
    let state = state.clone();
    let work = async move {
        if let Err(error) = send_reset_codes(&state, &login, now).await {
            tracing::warn!(%error, "a password reset could not be sent");
        }
    };
    tokio::spawn(work);
    Ok(())
}

async fn send_reset_codes(state: &AppState, login: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let expires_at = now + state.settings.password_reset_ttl;
    let (letter, login) = (Letter::of(state), login.to_owned());
    let sent = state
        .write(move |conn| {
            let limit = password_reset_limits().account;
            let mut sent = 0;
            for customer in active_cabinets_of(conn, &login)? {
                let key = format!("reset-account:{}", customer.id);
                if spend(conn, &key, &limit, now)?.is_err() {
                    continue;
                }
                letter.issue(
                    conn,
                    NotificationEvent::PasswordReset,
                    &customer,
                    expires_at,
                    now,
                )?;
                sent += 1;
            }
            Ok(sent)
        })
        .await?;
    tracing::info!(sent, "password reset asked for");
    Ok(())
}

/// The customers with an active cabinet that `login` names: by account number, or by an
/// e-mail address on their record (which several customers may share).
fn active_cabinets_of(conn: &mut DbConnection, login: &str) -> ApiResult<Vec<CustomerRecord>> {
    let login = login.trim();
    let candidates = if let Ok(number) = AccountNumber::parse(login) {
        CustomerRecord::find_by_account_number(conn, number.as_str())?
            .into_iter()
            .collect()
    } else if login.contains('@') {
        let wanted = login.to_lowercase();
        CustomerRecord::containing_any(conn, &[okno_domain::search::fold(login)], 20)?
            .into_iter()
            .filter(|c| {
                notifications::emails_of(c)
                    .iter()
                    .any(|e| e.to_lowercase() == wanted)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut active = Vec::new();
    for customer in candidates {
        if CabinetAccountRecord::find(conn, customer.id)?.is_some_and(|a| a.active) {
            active.push(customer);
        }
    }
    Ok(active)
}
