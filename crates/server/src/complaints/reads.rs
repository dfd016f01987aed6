//! Reading complaints: the register with its deadlines, one complaint with its timeline and
//! documents (staff), the customer's own (cabinet), and the register as CSV.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use okno_api_types::complaints::{
    Complaint, ComplaintDeadlines, ComplaintDecision, ComplaintDocument, ComplaintEvent,
    ComplaintInvoice, ComplaintProposal, ComplaintQuery, ComplaintReference, ComplaintSummary,
    DueFilter,
};
use okno_api_types::{ErrorCode, Page};
use okno_db::DbConnection;
use okno_db::complaints::{self as stored, ComplaintEventRecord, ComplaintFilter, ComplaintRecord};
use okno_db::customers::CustomerRecord;
use okno_db::documents::DocumentRecord;
use okno_db::notifications::MessageRecord;
use okno_domain::complaints::{ComplaintStatus, days_left};
use okno_domain::notifications::MessageStatus;

use super::{Desk, compensation};
use crate::audit;
use crate::auth::Principal;
use crate::billing::view::find_invoice;
use crate::error::{ApiResult, NotFoundExt};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::time::from_db;

const CURSOR: &str = "complaints";

/// The register's filter as the database takes it, the due filters as of `today`.
fn filter_of(query: &ComplaintQuery, today: NaiveDate) -> ComplaintFilter {
    let mut statuses: Vec<ComplaintStatus> = query.status.into_iter().collect();
    if query.open == Some(true) && statuses.is_empty() {
        statuses = vec![
            ComplaintStatus::Registered,
            ComplaintStatus::Acknowledged,
            ComplaintStatus::AwaitingApproval,
        ];
    }
    let decide_by_until = query.due.map(|due| match due {
        DueFilter::Overdue => today - Duration::days(1),
        DueFilter::Today => today,
        DueFilter::Tomorrow => today + Duration::days(1),
    });
    ComplaintFilter {
        customer_id: query.customer_id,
        statuses,
        topic_id: query.topic_id,
        decide_by_until,
        received_from: query.from,
        received_to: query.to,
        number: query.number.clone(),
    }
}

pub fn summary(
    record: &ComplaintRecord,
    customer_name: String,
    today: NaiveDate,
) -> ComplaintSummary {
    ComplaintSummary {
        id: record.id,
        number: record.number.clone(),
        customer_id: record.customer_id,
        customer_name,
        channel: record.channel,
        received_at: from_db(record.received_at),
        subject: record.subject.clone(),
        topic_id: record.topic_id,
        amount_claimed_minor: record.amount_claimed_minor,
        currency: record.currency.clone(),
        status: record.status,
        outcome: record.outcome,
        deadlines: ComplaintDeadlines {
            acknowledge_by: record.acknowledge_by,
            decide_by: record.decide_by,
            days_left: (record.status != ComplaintStatus::Decided)
                .then(|| days_left(today, record.decide_by)),
            claim_until: record.claim_until,
            time_barred: record.time_barred,
        },
        repeat: record.repeat_of.is_some(),
    }
}

/// The names of the customers of `records`, loaded at once.
pub fn customer_names(
    conn: &mut DbConnection,
    records: &[ComplaintRecord],
) -> ApiResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = records.iter().map(|r| r.customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(CustomerRecord::find_many(conn, &ids)?
        .into_iter()
        .map(|c| (c.id, c.display_name))
        .collect())
}

/// The register, undecided first by their deadline; every customer shown is audited.
pub fn list(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    query: &ComplaintQuery,
    now: DateTime<Utc>,
) -> ApiResult<Page<ComplaintSummary>> {
    let today = desk.local_day(now);
    let limit = limit(query.limit)?;
    let offset = decode_id_cursor(query.cursor.as_deref(), CURSOR)?
        .unwrap_or(0)
        .max(0);
    let rows = ComplaintRecord::list(conn, &filter_of(query, today), offset, fetch_size(limit))?;
    let names = customer_names(conn, &rows)?;
    audit::record_read(
        conn,
        principal,
        "complaint.list",
        rows.iter().map(|r| r.customer_id),
        now,
    )?;
    let next = offset.saturating_add(i64::try_from(limit).unwrap_or(i64::MAX));
    Ok(page(
        rows,
        limit,
        |_| id_cursor(CURSOR, next),
        |r| {
            let name = names.get(&r.customer_id).cloned().unwrap_or_default();
            summary(&r, name, today)
        },
    ))
}

/// One complaint as staff see it, audited.
pub fn staff_read(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Complaint> {
    let record = super::find(conn, id)?;
    audit::record_read(conn, principal, "complaint.read", [record.customer_id], now)?;
    view(conn, desk, record, false, now)
}

/// One of the subscriber's own complaints; another's is not found.
pub fn own(
    conn: &mut DbConnection,
    desk: &Desk,
    customer_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Complaint> {
    let record = ComplaintRecord::find_of_customer(conn, customer_id, id)
        .or_not_found(ErrorCode::ComplaintNotFound, format!("complaint {id}"))?;
    view(conn, desk, record, true, now)
}

/// The subscriber's complaints, newest first.
pub fn own_list(
    conn: &mut DbConnection,
    desk: &Desk,
    customer_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<ComplaintSummary>> {
    let today = desk.local_day(now);
    let customer = CustomerRecord::find(conn, customer_id)?;
    let mut rows = ComplaintRecord::of_customer(conn, customer_id)?;
    rows.reverse();
    Ok(rows
        .iter()
        .map(|r| summary(r, customer.display_name.clone(), today))
        .collect())
}

/// A complaint with all that is known of it. Subscribers see no internal timeline.
pub fn view(
    conn: &mut DbConnection,
    desk: &Desk,
    record: ComplaintRecord,
    subscriber: bool,
    now: DateTime<Utc>,
) -> ApiResult<Complaint> {
    let today = desk.local_day(now);
    let customer = CustomerRecord::find(conn, record.customer_id)?;
    let mut invoices = Vec::new();
    for invoice_id in stored::invoices_of(conn, record.id)? {
        let invoice = find_invoice(conn, invoice_id)?;
        invoices.push(ComplaintInvoice {
            invoice_id,
            number: invoice.number,
            gross_minor: invoice.gross_minor,
        });
    }
    let proposal = match ComplaintRecord::proposal(conn, record.id)? {
        Some(p) if !subscriber => Some(ComplaintProposal {
            outcome: p.outcome,
            granted_minor: p.granted_minor,
            reasoning: p.reasoning,
            proposed_by: p.proposed_by,
            proposed_at: from_db(p.proposed_at),
        }),
        _ => None,
    };
    let decision = match (record.outcome, record.decided_at) {
        (Some(outcome), Some(decided_at)) => Some(ComplaintDecision {
            outcome,
            granted_minor: record.granted_minor.unwrap_or(0),
            reasoning: record.reasoning.clone().unwrap_or_default(),
            decided_at: from_db(decided_at),
            decided_by: record.decided_by.clone().unwrap_or_default(),
            approved_by: record.approved_by.clone(),
        }),
        _ => None,
    };
    let documents = documents(conn, record.id, subscriber)?;
    let repeat_of = match record.repeat_of {
        Some(earlier) => {
            let earlier = super::find(conn, earlier)?;
            Some(ComplaintReference {
                id: earlier.id,
                number: earlier.number,
                received_at: from_db(earlier.received_at),
            })
        }
        None => None,
    };
    let events = if subscriber {
        Vec::new()
    } else {
        ComplaintEventRecord::of_complaint(conn, record.id)?
            .into_iter()
            .map(|e| ComplaintEvent {
                kind: e.kind,
                note: e.note,
                invoice_id: e.invoice_id,
                document_id: e.document_id,
                recorded_by: e.recorded_by,
                at: from_db(e.at),
            })
            .collect()
    };
    Ok(Complaint {
        summary: summary(&record, customer.display_name, today),
        description: record.claim.clone(),
        concerns_from: record.concerns_from,
        concerns_until: record.concerns_until,
        refund_demanded: record.refund_demanded,
        jurisdiction: record.jurisdiction,
        invoices,
        acknowledged_at: record.acknowledged_at.map(from_db),
        proposal,
        decision,
        compensation: compensation::given(conn, &record)?,
        documents,
        repeat_of,
        events,
        registered_by: record.registered_by.clone(),
    })
}

/// A complaint's documents; one that no e-mail carries (no address, no consent, refused) is
/// to be printed and posted.
fn documents(
    conn: &mut DbConnection,
    complaint_id: i64,
    subscriber: bool,
) -> ApiResult<Vec<ComplaintDocument>> {
    let records = DocumentRecord::of_complaint(conn, complaint_id)?;
    let ids: Vec<i64> = records.iter().map(|d| d.id).collect();
    let emails = MessageRecord::emails_of_documents(conn, &ids)?;
    Ok(records
        .into_iter()
        .map(|record| {
            let emailed = emails.iter().any(|(document, status)| {
                *document == record.id
                    && matches!(
                        status,
                        MessageStatus::Pending | MessageStatus::Sending | MessageStatus::Sent
                    )
            });
            ComplaintDocument {
                document: crate::documents::view(record, subscriber),
                to_print: !emailed,
            }
        })
        .collect())
}

/// The register as CSV, in the order it was received.
pub fn export_csv(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let today = desk.local_day(now);
    let filter = ComplaintFilter {
        received_from: from,
        received_to: to,
        ..ComplaintFilter::default()
    };
    let mut rows = ComplaintRecord::list(conn, &filter, 0, i64::MAX)?;
    rows.sort_by_key(|r| r.id);
    let names = customer_names(conn, &rows)?;
    audit::record_read(
        conn,
        principal,
        "complaint.export",
        rows.iter().map(|r| r.customer_id),
        now,
    )?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "number",
        "received_at",
        "channel",
        "account_customer_id",
        "customer",
        "topic_id",
        "subject",
        "amount_claimed",
        "currency",
        "acknowledge_by",
        "decide_by",
        "time_barred",
        "repeat",
        "status",
        "outcome",
        "granted",
        "decided_at",
        "decided_by",
        "on_time",
        "days_left",
    ];
    out.write_record(header).map_err(csv_error)?;
    for r in &rows {
        let decided_on = r.decided_at.map(|at| desk.local_time(at).date());
        let on_time = decided_on.map(|day| day <= r.decide_by);
        let amount =
            |minor: Option<i64>| minor.map_or_else(String::new, okno_domain::format::plain_decimal);
        out.write_record([
            r.number.clone(),
            from_db(r.received_at).to_rfc3339(),
            r.channel.as_str().to_owned(),
            r.customer_id.to_string(),
            names.get(&r.customer_id).cloned().unwrap_or_default(),
            r.topic_id.map(|t| t.to_string()).unwrap_or_default(),
            r.subject.clone(),
            amount(r.amount_claimed_minor),
            r.currency.clone(),
            r.acknowledge_by.to_string(),
            r.decide_by.to_string(),
            r.time_barred.to_string(),
            r.repeat_of.is_some().to_string(),
            r.status.as_str().to_owned(),
            r.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
            amount(r.granted_minor),
            r.decided_at
                .map(|d| from_db(d).to_rfc3339())
                .unwrap_or_default(),
            r.decided_by.clone().unwrap_or_default(),
            on_time.map(|b| b.to_string()).unwrap_or_default(),
            if r.status == ComplaintStatus::Decided {
                String::new()
            } else {
                days_left(today, r.decide_by).to_string()
            },
        ])
        .map_err(csv_error)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| crate::error::ApiError::Internal(e.to_string()))
}

fn csv_error(error: csv::Error) -> crate::error::ApiError {
    crate::error::ApiError::Internal(format!("writing CSV: {error}"))
}
