//! Consents: granted and withdrawn, each with its date, channel and who recorded it.
//! Granting again after a withdrawal makes a new record, so the list is the full history.

use chrono::{DateTime, Utc};
use okno_api_types::auth::PrincipalKind;
use okno_api_types::customers::{Consent, GrantConsent, WithdrawConsent};
use okno_api_types::{Channel, ErrorCode};
use okno_db::customers::ConsentRecord;
use okno_db::{DbConnection, DbError};
use okno_domain::validation::Validator;

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::time::{from_db, to_db};

const NOTE_MAX_CHARS: usize = 1000;

fn to_api(record: ConsentRecord) -> Consent {
    Consent {
        id: record.id,
        customer_id: record.customer_id,
        purpose: record.purpose,
        active: record.withdrawn_at.is_none(),
        granted_at: from_db(record.granted_at),
        granted_channel: record.granted_channel,
        granted_by: record.granted_by,
        withdrawn_at: record.withdrawn_at.map(from_db),
        withdrawn_channel: record.withdrawn_channel,
        withdrawn_by: record.withdrawn_by,
        note: record.note,
    }
}

/// A customer's consents, newest first: in force and withdrawn.
pub fn list(conn: &mut DbConnection, customer_id: i64) -> ApiResult<Vec<Consent>> {
    super::find(conn, customer_id)?;
    Ok(ConsentRecord::of_customer(conn, customer_id)?
        .into_iter()
        .map(to_api)
        .collect())
}

/// Staff read of a customer's consents, audited.
pub fn read(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Consent>> {
    let consents = list(conn, customer_id)?;
    audit::record_access(
        conn,
        principal,
        "customer.consents.read",
        Some(customer_id),
        None,
        now,
    )?;
    Ok(consents)
}

/// Records a consent the customer gave; one for the same purpose in force is a conflict.
pub fn grant(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    input: &GrantConsent,
    now: DateTime<Utc>,
) -> ApiResult<Consent> {
    let change = Change {
        principal,
        customer_id,
        note: input.note.as_deref(),
        audit_action: "consent.grant",
        now,
    };
    change.apply(conn, |conn, note| {
        ConsentRecord::grant(
            conn,
            customer_id,
            input.purpose,
            channel_recorded(principal, input.channel),
            &principal.recorded_by(),
            note,
            to_db(now),
        )
        .map_err(|e| match e {
            DbError::Duplicate(_) => ApiError::Conflict(
                ErrorCode::ConsentAlreadyGranted,
                format!(
                    "the customer has a {} consent in force; withdraw it first to record it anew",
                    input.purpose
                ),
                vec![],
            ),
            other => other.into(),
        })
    })
}

/// Records that the customer withdrew a consent.
pub fn withdraw(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    consent_id: i64,
    input: &WithdrawConsent,
    now: DateTime<Utc>,
) -> ApiResult<Consent> {
    let change = Change {
        principal,
        customer_id,
        note: input.note.as_deref(),
        audit_action: "consent.withdraw",
        now,
    };
    change.apply(conn, |conn, note| {
        let consent = ConsentRecord::find(conn, customer_id, consent_id).or_not_found(
            ErrorCode::ConsentNotFound,
            format!("consent {consent_id} of customer {customer_id}"),
        )?;
        let withdrawn = ConsentRecord::withdraw(
            conn,
            consent.id,
            channel_recorded(principal, input.channel),
            &principal.recorded_by(),
            note,
            to_db(now),
        )?
        .ok_or_else(|| {
            ApiError::Conflict(
                ErrorCode::ConsentAlreadyWithdrawn,
                format!("consent {consent_id} is withdrawn already"),
                vec![],
            )
        })?;
        // Messages waiting to go under the consent do not go.
        crate::notifications::consent_withdrawn(conn, customer_id, consent.purpose)?;
        Ok(withdrawn)
    })
}

/// Staff record the channel the customer used; what a subscriber does in the cabinet is done
/// on the web, whatever the request says (a consent record is evidence, R-02).
fn channel_recorded(principal: &Principal, asked: Channel) -> Channel {
    match principal.kind {
        PrincipalKind::Subscriber => Channel::Web,
        PrincipalKind::Staff | PrincipalKind::Integration => asked,
    }
}

/// A grant or withdrawal someone records, with its note.
struct Change<'a> {
    principal: &'a Principal,
    customer_id: i64,
    note: Option<&'a str>,
    audit_action: &'static str,
    now: DateTime<Utc>,
}

impl Change<'_> {
    /// Checks the note, then makes the change in one transaction with its audit entry.
    fn apply(
        self,
        conn: &mut DbConnection,
        change: impl FnOnce(&mut DbConnection, Option<&str>) -> ApiResult<ConsentRecord>,
    ) -> ApiResult<Consent> {
        let mut v = Validator::new();
        let note = v.optional_text("note", self.note, NOTE_MAX_CHARS);
        v.finish()?;
        okno_db::write_transaction(conn, |conn| {
            super::find(conn, self.customer_id)?;
            let consent = change(conn, note.as_deref())?;
            audit::record(
                conn,
                self.principal,
                self.audit_action,
                Some(self.customer_id),
                Some(consent.purpose.to_string()),
                self.now,
            )?;
            Ok(to_api(consent))
        })
    }
}
