//! What a granted complaint gives back: correction notes lowering the lines of the
//! invoices complained of, in their order, and what is left (or all of it, when no invoice is
//! concerned) credited on the account. An invoice is never edited.

use chrono::{DateTime, Utc};
use okno_api_types::billing::{LineCorrection, NewCorrection};
use okno_api_types::complaints::{
    Compensation, CompensationNote, CompensationPreview, PreviewLine, PreviewNote,
};
use okno_db::DbConnection;
use okno_db::complaints::{self as stored, ComplaintRecord};
use okno_db::invoices::{AccountEntryRecord, InvoiceLineRecord, InvoiceRecord, NewAccountEntryRow};
use okno_domain::billing::EntryKind;
use okno_domain::complaints::{ChargeLine, correction_plan, needs_approval};
use okno_domain::money::{add, sub};

use super::{Desk, Event, event};
use crate::billing::corrections::{current_nets, issue_correction};
use crate::billing::view::find_invoice;
use crate::error::ApiResult;
use crate::time::to_db;

/// A correction note to issue.
pub struct PlannedNote {
    pub invoice: InvoiceRecord,
    /// Each line lowered: the line, its net amount now and after.
    pub lines: Vec<(InvoiceLineRecord, i64, i64)>,
    pub gross_minor: i64,
}

/// How `granted_minor` would be given back today.
pub struct Plan {
    pub notes: Vec<PlannedNote>,
    pub credited_minor: i64,
}

pub fn plan(
    conn: &mut DbConnection,
    complaint: &ComplaintRecord,
    granted_minor: i64,
) -> ApiResult<Plan> {
    let mut left = granted_minor.max(0);
    let mut notes = Vec::new();
    for invoice_id in stored::invoices_of(conn, complaint.id)? {
        if left == 0 {
            break;
        }
        let invoice = find_invoice(conn, invoice_id)?;
        let nets = current_nets(conn, &invoice)?;
        let charges: Vec<ChargeLine> = nets
            .iter()
            .map(|(line, net)| ChargeLine {
                line_id: line.id,
                net_minor: *net,
                vat_rate_bp: line.vat_rate_bp,
            })
            .collect();
        let planned = correction_plan(&charges, left)?;
        if planned.lines.is_empty() {
            continue;
        }
        let lines = planned
            .lines
            .iter()
            .filter_map(|(id, after)| {
                nets.iter()
                    .find(|(line, _)| line.id == *id)
                    .map(|(line, before)| (line.clone(), *before, *after))
            })
            .collect();
        left = sub(left, planned.gross_minor)?;
        notes.push(PlannedNote {
            invoice,
            lines,
            gross_minor: planned.gross_minor,
        });
    }
    Ok(Plan {
        notes,
        credited_minor: left,
    })
}

/// The preview a decider sees before deciding.
pub fn preview(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
    granted_minor: i64,
) -> ApiResult<CompensationPreview> {
    let plan = plan(conn, complaint, granted_minor)?;
    let notes = plan
        .notes
        .into_iter()
        .map(|note| PreviewNote {
            invoice_id: note.invoice.id,
            number: note.invoice.number,
            lines: note
                .lines
                .into_iter()
                .map(|(line, before, after)| PreviewLine {
                    line_id: line.id,
                    description: line.description,
                    net_before_minor: before,
                    net_after_minor: after,
                })
                .collect(),
            gross_minor: -note.gross_minor,
        })
        .collect();
    Ok(CompensationPreview {
        notes,
        credited_minor: plan.credited_minor,
        total_minor: granted_minor.max(0),
        needs_approval: needs_approval(&desk.settings.profile, granted_minor),
    })
}

/// Gives `granted_minor` back, in the caller's transaction: the notes are issued and the rest
/// credited, each recorded on the complaint's timeline. Returns what was given back.
pub fn issue(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
    granted_minor: i64,
    by: &str,
    now: DateTime<Utc>,
) -> ApiResult<Compensation> {
    let plan = plan(conn, complaint, granted_minor)?;
    let mut notes = Vec::new();
    let mut total = 0_i64;
    for planned in plan.notes {
        let request = NewCorrection {
            reason: format!("{}: {}", complaint.number, complaint.subject),
            lines: planned
                .lines
                .iter()
                .map(|(line, _, after)| LineCorrection {
                    line_id: line.id,
                    net_after_minor: *after,
                })
                .collect(),
            cancel: false,
        };
        let note = issue_correction(conn, &desk.billing, planned.invoice.id, &request, by, now)?;
        Event {
            invoice_id: Some(note.id),
            note: Some(format!("{} → {}", note.number, planned.invoice.number)),
            ..Event::new(event::COMPENSATED, by)
        }
        .record(conn, complaint.id, now)?;
        total = add(total, -note.gross_minor)?;
        notes.push(CompensationNote {
            invoice_id: note.id,
            number: note.number,
            corrects_invoice_id: planned.invoice.id,
            corrects_number: planned.invoice.number,
            gross_minor: note.gross_minor,
        });
    }
    if plan.credited_minor > 0 {
        AccountEntryRecord::insert_all(
            conn,
            vec![NewAccountEntryRow::new(
                complaint.customer_id,
                EntryKind::Compensation,
                to_db(now),
                plan.credited_minor,
                complaint.currency.clone(),
                format!("{}: {}", complaint.number, complaint.subject),
            )],
        )?;
        crate::payments::allocation::settle(conn, complaint.customer_id, now)?;
        Event {
            note: Some(plan.credited_minor.to_string()),
            ..Event::new(event::CREDITED, by)
        }
        .record(conn, complaint.id, now)?;
        total = add(total, plan.credited_minor)?;
    }
    ComplaintRecord::set_credited(conn, complaint.id, plan.credited_minor)?;
    Ok(Compensation {
        correction_notes: notes,
        credited_minor: plan.credited_minor,
        total_minor: total,
    })
}

/// What a decided complaint gave back, as recorded.
pub fn given(
    conn: &mut DbConnection,
    complaint: &ComplaintRecord,
) -> ApiResult<Option<Compensation>> {
    let Some(credited) = complaint.credited_minor else {
        return Ok(None);
    };
    let events = okno_db::complaints::ComplaintEventRecord::of_complaint(conn, complaint.id)?;
    let mut notes = Vec::new();
    let mut total = credited;
    for note_id in events
        .iter()
        .filter(|e| e.kind == event::COMPENSATED)
        .filter_map(|e| e.invoice_id)
    {
        let note = find_invoice(conn, note_id)?;
        let corrects = match note.corrects_invoice_id {
            Some(id) => find_invoice(conn, id)?,
            None => continue,
        };
        total = add(total, -note.gross_minor)?;
        notes.push(CompensationNote {
            invoice_id: note.id,
            number: note.number,
            corrects_invoice_id: corrects.id,
            corrects_number: corrects.number,
            gross_minor: note.gross_minor,
        });
    }
    Ok(Some(Compensation {
        correction_notes: notes,
        credited_minor: credited,
        total_minor: total,
    }))
}
