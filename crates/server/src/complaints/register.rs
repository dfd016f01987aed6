//! Registering a complaint from any channel, with the deadlines of the law fixed on
//! receipt, and confirming its receipt.

use chrono::{DateTime, Duration, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::complaints::{CabinetComplaint, NewComplaint};
use okno_db::complaints::{self as stored, ComplaintRecord, NewComplaintRow};
use okno_db::customers::CustomerRecord;
use okno_db::invoices::InvoiceRecord;
use okno_db::reference::TopicRecord;
use okno_db::{DbConnection, DbError, sequences, write_transaction};
use okno_domain::billing::InvoiceKind;
use okno_domain::complaints::{
    ComplaintChannel, ComplaintStatus, Deadlines, EarlierComplaint, Jurisdiction, Received,
    repeated,
};
use okno_domain::money::MAX_AMOUNT_MINOR;
use okno_domain::validation::{FieldErrorCode, Validator};

use super::{Desk, Event, event, papers};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Notice};
use crate::time::to_db;

/// What the customer complains of, whoever writes it down.
#[derive(Debug, Clone)]
pub struct Claim {
    pub subject: String,
    pub description: String,
    pub concerns_from: Option<chrono::NaiveDate>,
    pub concerns_until: Option<chrono::NaiveDate>,
    pub invoice_ids: Vec<i64>,
    pub amount_claimed_minor: Option<i64>,
    pub refund_demanded: bool,
    pub topic_id: Option<i64>,
}

impl From<&NewComplaint> for Claim {
    fn from(c: &NewComplaint) -> Self {
        Self {
            subject: c.subject.clone(),
            description: c.description.clone(),
            concerns_from: c.concerns_from,
            concerns_until: c.concerns_until,
            invoice_ids: c.invoice_ids.clone(),
            amount_claimed_minor: c.amount_claimed_minor,
            refund_demanded: c.refund_demanded,
            topic_id: c.topic_id,
        }
    }
}

impl From<&CabinetComplaint> for Claim {
    fn from(c: &CabinetComplaint) -> Self {
        Self {
            subject: c.subject.clone(),
            description: c.description.clone(),
            concerns_from: c.concerns_from,
            concerns_until: c.concerns_until,
            invoice_ids: c.invoice_ids.clone(),
            amount_claimed_minor: c.amount_claimed_minor,
            refund_demanded: c.refund_demanded,
            topic_id: c.topic_id,
        }
    }
}

/// A complaint to register.
#[derive(Debug, Clone)]
pub struct Filing {
    pub customer_id: i64,
    pub channel: ComplaintChannel,
    pub received_at: DateTime<Utc>,
    pub claim: Claim,
    pub acknowledge_now: bool,
}

impl Filing {
    pub fn by_staff(request: &NewComplaint, now: DateTime<Utc>) -> Self {
        Self {
            customer_id: request.customer_id,
            channel: request.channel,
            received_at: request.received_at.unwrap_or(now),
            claim: Claim::from(request),
            acknowledge_now: request.acknowledge_now,
        }
    }

    /// Filed in the cabinet: received now, confirmed at once.
    pub fn in_cabinet(customer_id: i64, request: &CabinetComplaint, now: DateTime<Utc>) -> Self {
        Self {
            customer_id,
            channel: ComplaintChannel::Cabinet,
            received_at: now,
            claim: Claim::from(request),
            acknowledge_now: true,
        }
    }
}

/// How far back a complaint received on paper may be registered.
const LATEST_BACKDATING: Duration = Duration::days(366);

/// The invoices a complaint is about: the customer's own invoices (not correction notes),
/// each once, all in one currency.
fn concerned_invoices(
    conn: &mut DbConnection,
    v: &mut Validator,
    customer_id: i64,
    ids: &[i64],
) -> ApiResult<Vec<InvoiceRecord>> {
    v.at_most("invoice_ids", ids, 12);
    let mut invoices: Vec<InvoiceRecord> = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        let field = format!("invoice_ids[{index}]");
        if ids.iter().take(index).any(|earlier| earlier == id) {
            v.fail(field, FieldErrorCode::Duplicate, "listed twice");
            continue;
        }
        match InvoiceRecord::find(conn, *id) {
            Ok(invoice)
                if invoice.customer_id == customer_id && invoice.kind == InvoiceKind::Invoice =>
            {
                if invoices
                    .first()
                    .is_some_and(|first| first.currency != invoice.currency)
                {
                    v.fail(
                        field,
                        FieldErrorCode::InvalidValue,
                        "the invoices of one complaint are in one currency",
                    );
                } else {
                    invoices.push(invoice);
                }
            }
            Ok(_) | Err(DbError::NotFound) => v.fail(
                field,
                FieldErrorCode::UnknownReference,
                "not an invoice of this customer",
            ),
            Err(other) => return Err(other.into()),
        }
    }
    Ok(invoices)
}

fn check_topic(conn: &mut DbConnection, v: &mut Validator, topic_id: Option<i64>) -> ApiResult<()> {
    let Some(id) = topic_id else { return Ok(()) };
    match TopicRecord::find(conn, id) {
        Ok(topic) if topic.active => {}
        Ok(_) => v.fail(
            "topic_id",
            FieldErrorCode::Inactive,
            "the topic is no longer used",
        ),
        Err(DbError::NotFound) => v.fail(
            "topic_id",
            FieldErrorCode::UnknownReference,
            "no such topic",
        ),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}

fn default_currency(jurisdiction: Jurisdiction) -> &'static str {
    match jurisdiction {
        Jurisdiction::Pl => "PLN",
        Jurisdiction::Ru => "RUB",
    }
}

/// Registers a complaint, and confirms its receipt at once when asked to or when it was made
/// in person or in the cabinet, all in one transaction.
pub fn register(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    filing: &Filing,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintRecord> {
    write_transaction(conn, |conn| {
        let customer = match CustomerRecord::find(conn, filing.customer_id) {
            Ok(customer) => customer,
            Err(DbError::NotFound) => {
                return Err(ApiError::field(
                    "customer_id",
                    FieldErrorCode::UnknownReference,
                    "no such customer",
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let claim = &filing.claim;
        let mut v = Validator::new();
        let subject = v.text("subject", &claim.subject, 200);
        let description = v.text("description", &claim.description, 5000);
        if let Some(amount) = claim.amount_claimed_minor
            && !(1..=MAX_AMOUNT_MINOR).contains(&amount)
        {
            v.fail(
                "amount_claimed_minor",
                FieldErrorCode::OutOfRange,
                "from 0.01 to 100 000 000.00",
            );
        }
        if filing.received_at > now {
            v.fail("received_at", FieldErrorCode::InFuture, "not received yet");
        } else if filing.received_at < now - LATEST_BACKDATING {
            v.fail(
                "received_at",
                FieldErrorCode::InPast,
                "a complaint is registered within a year of its receipt",
            );
        }
        let received_on = desk.local_day(filing.received_at);
        if let (Some(from), Some(until)) = (claim.concerns_from, claim.concerns_until)
            && until < from
        {
            v.fail(
                "concerns_until",
                FieldErrorCode::InvalidRange,
                "the last day is before the first",
            );
        }
        if claim
            .concerns_from
            .or(claim.concerns_until)
            .is_some_and(|day| day > received_on)
        {
            v.fail(
                if claim.concerns_from.is_some_and(|d| d > received_on) {
                    "concerns_from"
                } else {
                    "concerns_until"
                },
                FieldErrorCode::InFuture,
                "after the complaint was received",
            );
        }
        let invoices = concerned_invoices(conn, &mut v, customer.id, &claim.invoice_ids)?;
        check_topic(conn, &mut v, claim.topic_id)?;
        v.finish()?;

        let profile = desk.settings.profile;
        let calendar = super::calendar::load(conn, profile.jurisdiction)?;
        // The event complained of ends at the latest with the last invoice's period.
        let concerns_until = claim.concerns_until.or_else(|| {
            invoices
                .iter()
                .map(|i| i.period_end.unwrap_or(i.sale_date))
                .max()
        });
        let deadlines = Deadlines::of(
            &profile,
            &calendar,
            Received {
                on: received_on,
                channel: filing.channel,
                refund_demanded: claim.refund_demanded,
                concerns_until,
            },
        );
        let earlier = ComplaintRecord::of_customer(conn, customer.id)?;
        let earlier_topics: Vec<EarlierComplaint> = earlier
            .iter()
            .map(|e| EarlierComplaint {
                topic_id: e.topic_id,
                received_on: e.received_on,
            })
            .collect();
        let repeat_of = repeated(claim.topic_id, received_on, &earlier_topics)
            .and_then(|place| earlier.get(place))
            .map(|e| e.id);
        let number_no = sequences::take_next(conn, &desk.settings.sequence(received_on))?;
        let number = desk.settings.number_format.format(received_on, number_no);
        let by = principal.recorded_by().label;
        let complaint = ComplaintRecord::insert(
            conn,
            NewComplaintRow {
                number,
                customer_id: customer.id,
                channel: filing.channel,
                received_at: to_db(filing.received_at),
                received_on,
                subject,
                claim: description,
                concerns_from: claim.concerns_from,
                concerns_until,
                amount_claimed_minor: claim.amount_claimed_minor,
                currency: invoices.first().map_or_else(
                    || default_currency(profile.jurisdiction).to_owned(),
                    |i| i.currency.clone(),
                ),
                refund_demanded: claim.refund_demanded,
                topic_id: claim.topic_id,
                language: customer.preferred_language,
                jurisdiction: profile.jurisdiction,
                acknowledge_by: deadlines.acknowledge_by,
                decide_by: deadlines.decide_by,
                claim_until: deadlines.claim_until,
                time_barred: deadlines.time_barred,
                repeat_of,
                status: ComplaintStatus::Registered,
                registered_by: by.clone(),
                created_at: to_db(now),
            },
        )?;
        let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
        stored::link_invoices(conn, complaint.id, &ids)?;
        Event {
            note: Some(filing.channel.as_str().to_owned()),
            ..Event::new(event::REGISTERED, &by)
        }
        .record(conn, complaint.id, now)?;
        audit::record(
            conn,
            principal,
            "complaint.register",
            Some(customer.id),
            Some(complaint.number.clone()),
            now,
        )?;
        let at_once = filing.acknowledge_now
            || matches!(
                filing.channel,
                ComplaintChannel::InPerson | ComplaintChannel::Cabinet
            );
        if at_once {
            confirm_receipt(conn, desk, &complaint, &by, now)?;
        }
        super::find(conn, complaint.id)
    })
}

/// Staff confirm a complaint's receipt: the confirmation is issued, kept and sent.
pub fn acknowledge(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintRecord> {
    write_transaction(conn, |conn| {
        let complaint = super::find(conn, id)?;
        if complaint.acknowledged_at.is_some() {
            return Err(ApiError::Conflict(
                ErrorCode::IllegalTransition,
                format!("the receipt of {} is confirmed already", complaint.number),
                vec![],
            ));
        }
        let by = principal.recorded_by().label;
        confirm_receipt(conn, desk, &complaint, &by, now)?;
        audit::record(
            conn,
            principal,
            "complaint.acknowledge",
            Some(complaint.customer_id),
            Some(complaint.number.clone()),
            now,
        )?;
        super::find(conn, id)
    })
}

/// Issues the confirmation, marks the receipt confirmed and writes its messages, in the
/// caller's transaction. Once: a second call finds it confirmed and does nothing.
pub fn confirm_receipt(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
    by: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if !ComplaintRecord::mark_acknowledged(conn, complaint.id, to_db(now))? {
        return Ok(());
    }
    let document = papers::acknowledgement(conn, desk, complaint, by, now)?;
    Event {
        document_id: Some(document.id),
        ..Event::new(event::ACKNOWLEDGED, by)
    }
    .record(conn, complaint.id, now)?;
    notifications::write(
        conn,
        &desk.sender,
        &[Notice::complaint_acknowledged(
            complaint.customer_id,
            complaint.id,
            &complaint.number,
            complaint.received_on,
            complaint.decide_by,
            document.id,
        )],
        now,
    )?;
    Ok(())
}
