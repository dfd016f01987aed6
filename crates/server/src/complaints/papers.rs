//! A complaint's documents, typeset and kept as issued, each sent through the outbox
//! with the document attached.

use chrono::{DateTime, Utc};
use okno_db::DbConnection;
use okno_db::complaints::ComplaintRecord;
use okno_db::customers::CustomerRecord;
use okno_db::documents::{DocumentRecord, NewDocumentRow};
use okno_domain::contracts::DocumentKind;
use okno_domain::format;

use super::Desk;
use crate::contracts::papers::{customer_party, document_title};
use crate::documents::Party;
use crate::documents::complaint::{AnswerFacts, ComplaintPaper, acknowledgement_pdf, answer_pdf};
use crate::error::ApiResult;
use crate::time::to_db;

fn paper(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
) -> ApiResult<ComplaintPaper> {
    let customer = CustomerRecord::find(conn, complaint.customer_id)?;
    Ok(ComplaintPaper {
        language: complaint.language,
        jurisdiction: complaint.jurisdiction,
        operator: Party::operator(&desk.operator),
        customer: customer_party(&customer)?,
        number: complaint.number.clone(),
        received_at: desk.local_time(complaint.received_at),
        subject: complaint.subject.clone(),
        description: complaint.claim.clone(),
        amount_claimed: complaint
            .amount_claimed_minor
            .map(|minor| format::money(minor, &complaint.currency, complaint.language)),
        decide_by: complaint.decide_by,
    })
}

fn keep(
    conn: &mut DbConnection,
    complaint: &ComplaintRecord,
    kind: DocumentKind,
    pdf: Vec<u8>,
    issued_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<DocumentRecord> {
    Ok(DocumentRecord::insert(
        conn,
        NewDocumentRow {
            customer_id: complaint.customer_id,
            contract_id: None,
            kind,
            title: format!(
                "{} {}",
                document_title(kind, complaint.language),
                complaint.number
            ),
            language: complaint.language,
            issued_at: to_db(now),
            issued_by: issued_by.to_owned(),
            content: pdf,
            complaint_id: Some(complaint.id),
        },
    )?)
}

/// The confirmation of receipt, kept.
pub fn acknowledgement(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
    issued_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<DocumentRecord> {
    let pdf = acknowledgement_pdf(&paper(conn, desk, complaint)?)?;
    keep(
        conn,
        complaint,
        DocumentKind::ComplaintAcknowledgement,
        pdf,
        issued_by,
        now,
    )
}

/// The answer, kept.
pub fn answer(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
    facts: &AnswerFacts,
    issued_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<DocumentRecord> {
    let pdf = answer_pdf(&paper(conn, desk, complaint)?, facts, complaint.claim_until)?;
    keep(
        conn,
        complaint,
        DocumentKind::ComplaintAnswer,
        pdf,
        issued_by,
        now,
    )
}
