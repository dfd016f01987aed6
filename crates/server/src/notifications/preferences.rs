//! What each customer is told by which channel: the customer's own choice per event
//! and channel, the event's default otherwise; a required message cannot be switched off.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use okno_api_types::notifications::{NotificationPreference, PreferenceChange};
use okno_db::DbConnection;
use okno_db::notifications::PreferenceRecord;
use okno_domain::notifications::{MessageChannel, Necessity, NotificationEvent, rules};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::time::to_db;

/// What the customer gets by which channel: every event and channel, chosen or by default.
pub fn preferences(
    conn: &mut DbConnection,
    customer_id: i64,
) -> ApiResult<Vec<NotificationPreference>> {
    let chosen: HashMap<(NotificationEvent, MessageChannel), bool> =
        PreferenceRecord::of_customers(conn, &[customer_id])?
            .into_iter()
            .map(|p| ((p.event, p.channel), p.enabled))
            .collect();
    let mut all = Vec::new();
    for event in NotificationEvent::all() {
        let rules = rules(event);
        for channel in MessageChannel::all() {
            let required = rules.necessity == Necessity::Required;
            let by_default = match channel {
                MessageChannel::Email => rules.email_by_default,
                MessageChannel::Sms => rules.sms_by_default,
            };
            let choice = chosen.get(&(event, channel)).copied();
            all.push(NotificationPreference {
                event,
                channel,
                enabled: required || choice.unwrap_or(by_default),
                required,
                chosen: choice.is_some() && !required,
            });
        }
    }
    Ok(all)
}

/// Records the customer's choice; a required message cannot be switched off (422).
pub fn choose(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    change: &PreferenceChange,
    now: DateTime<Utc>,
) -> ApiResult<Vec<NotificationPreference>> {
    if rules(change.event).necessity == Necessity::Required && !change.enabled {
        return Err(ApiError::field(
            "enabled",
            okno_api_types::FieldErrorCode::InvalidValue,
            format!(
                "{} messages are required or asked for by the customer: they cannot be switched off",
                change.event
            ),
        ));
    }
    okno_db::write_transaction(conn, |conn| {
        crate::customers::find(conn, customer_id)?;
        PreferenceRecord::set(
            conn,
            PreferenceRecord {
                customer_id,
                event: change.event,
                channel: change.channel,
                enabled: change.enabled,
                updated_at: to_db(now),
                updated_by: principal.recorded_by().label,
            },
        )?;
        audit::record(
            conn,
            principal,
            "notification_preference.set",
            Some(customer_id),
            Some(format!(
                "{} by {}: {}",
                change.event,
                change.channel,
                if change.enabled { "on" } else { "off" }
            )),
            now,
        )?;
        preferences(conn, customer_id)
    })
}

/// A customer's preferences as staff read them on the card; the read is audited.
pub fn read_preferences(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<NotificationPreference>> {
    crate::customers::find(conn, customer_id)?;
    let all = preferences(conn, customer_id)?;
    audit::record_access(
        conn,
        principal,
        "customer.notification_preferences.read",
        Some(customer_id),
        None,
        now,
    )?;
    Ok(all)
}
