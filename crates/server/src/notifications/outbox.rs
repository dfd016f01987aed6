//! The outbox as staff see it: messages newest first with what became of each, a failed one
//! sent again, and the e-mail addresses that bounce.

use chrono::{DateTime, Utc};
use okno_api_types::notifications::{EmailBounce, Message, MessageQuery, NewEmailBounce};
use okno_api_types::{ErrorCode, Page};
use okno_db::DbConnection;
use okno_db::notifications::{BounceRecord, MessageFilter, MessageRecord};
use okno_domain::customers::Email;
use okno_domain::notifications::{MessageStatus, secret_variables};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::time::{from_db, to_db};

const CURSOR: &str = "message";

/// A page of the outbox, newest first.
pub fn page_of(conn: &mut DbConnection, query: &MessageQuery) -> ApiResult<Page<Message>> {
    let limit = limit(query.limit)?;
    let filter = MessageFilter {
        customer_id: query.customer_id,
        status: query.status,
        event: query.event,
        channel: query.channel,
        before_id: decode_id_cursor(query.cursor.as_deref(), CURSOR)?,
    };
    let rows = MessageRecord::list(
        conn,
        &filter,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let messages = rows.into_iter().map(view).collect();
    Ok(page(messages, limit, |m| id_cursor(CURSOR, m.id), |m| m))
}

pub fn view(record: MessageRecord) -> Message {
    Message {
        id: record.id,
        customer_id: record.customer_id,
        event: record.event,
        channel: record.channel,
        language: record.language,
        recipient: record.recipient,
        subject: record.subject,
        // Staff never read a one-time code.
        body: record.redacted_body.unwrap_or(record.body),
        status: record.status,
        suppressed_reason: record.suppressed_reason,
        attempts: record.attempts,
        last_error: record.last_error,
        created_at: from_db(record.created_at),
        sent_at: record.sent_at.map(from_db),
    }
}

/// Puts a failed message back in the queue, audited. A one-time code is not sent again (it
/// is no longer stored): the customer is given a new one.
pub fn resend(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Message> {
    okno_db::write_transaction(conn, |conn| {
        let message = MessageRecord::find(conn, id)
            .or_not_found(ErrorCode::MessageNotFound, "the message")?;
        if message.status != MessageStatus::Failed {
            return Err(ApiError::Conflict(
                ErrorCode::IllegalTransition,
                format!(
                    "the message is {}: only a failed one is sent again",
                    message.status
                ),
                vec![],
            ));
        }
        if !secret_variables(message.event).is_empty() {
            return Err(ApiError::Conflict(
                ErrorCode::IllegalTransition,
                format!(
                    "a {} message carried a one-time code that is no longer kept: issue a new one",
                    message.event
                ),
                vec![],
            ));
        }
        MessageRecord::resend(conn, id, to_db(now))?;
        audit::record(
            conn,
            principal,
            "message.resend",
            Some(message.customer_id),
            Some(format!("{} by {}", message.event, message.channel)),
            now,
        )?;
        Ok(view(MessageRecord::find(conn, id)?))
    })
}

/// The longest e-mail address (RFC 5321's path limit).
const MAX_ADDRESS: usize = 254;

fn bounce_view(record: BounceRecord) -> EmailBounce {
    EmailBounce {
        address: record.address,
        reason: record.reason,
        message_id: record.message_id,
        bounced_at: from_db(record.bounced_at),
    }
}

/// Addresses flagged as bouncing, the latest first.
pub fn bounces(conn: &mut DbConnection, limit: u32) -> ApiResult<Vec<EmailBounce>> {
    Ok(BounceRecord::list(conn, i64::from(limit))?
        .into_iter()
        .map(bounce_view)
        .collect())
}

/// Flags an address reported by the mail system: e-mails to it are suppressed from now on.
pub fn report_bounce(
    conn: &mut DbConnection,
    principal: &Principal,
    report: &NewEmailBounce,
    now: DateTime<Utc>,
) -> ApiResult<EmailBounce> {
    let mut v = Validator::new();
    let address = v.text("address", &report.address, MAX_ADDRESS);
    let reason = v.text("reason", &report.reason, 500);
    let address = v.check(
        "address",
        FieldErrorCode::InvalidEmail,
        Email::parse(&address),
    );
    v.finish()?;
    let address = address.map(|a| a.as_str().to_owned()).unwrap_or_default();
    okno_db::write_transaction(conn, |conn| {
        flag_bounce(conn, &address, &reason, None, now)?;
        audit::record(conn, principal, "email_bounce.report", None, None, now)?;
        BounceRecord::find(conn, &address)
            .or_not_found(ErrorCode::EmailBounceNotFound, "the bounce")
            .map(bounce_view)
    })
}

/// Flags `address` as bouncing (what a message's permanent failure or a report found).
pub fn flag_bounce(
    conn: &mut DbConnection,
    address: &str,
    reason: &str,
    message_id: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    BounceRecord::flag(
        conn,
        BounceRecord {
            address: address.to_owned(),
            reason: reason.to_owned(),
            message_id,
            bounced_at: to_db(now),
        },
    )?;
    Ok(())
}

/// Clears the flag of an address the customer says works again; audited.
pub fn clear_bounce(
    conn: &mut DbConnection,
    principal: &Principal,
    address: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    okno_db::write_transaction(conn, |conn| {
        if !BounceRecord::clear(conn, address)? {
            return Err(ApiError::not_found(
                ErrorCode::EmailBounceNotFound,
                format!("a bounce of {address}"),
            ));
        }
        audit::record(conn, principal, "email_bounce.clear", None, None, now)?;
        Ok(())
    })
}
