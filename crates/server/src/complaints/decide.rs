//! Deciding a complaint: a person's decision, or a proposal that a second
//! person approves above the four-eyes amount; then, in the same transaction, the
//! compensation, the written answer and its messages.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::complaints::{DecideComplaint, ReviewProposal};
use okno_db::complaints::{ComplaintRecord, DecisionRow, ProposalRow};
use okno_db::{DbConnection, write_transaction};
use okno_domain::complaints::{ComplaintOutcome, ComplaintStatus, check_decision, needs_approval};
use okno_domain::format;
use okno_domain::validation::{FieldErrorCode, Validator};

use super::{Desk, Event, compensation, event, papers};
use crate::audit;
use crate::auth::Principal;
use crate::documents::complaint::AnswerFacts;
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Notice};
use crate::time::to_db;

fn already_decided(complaint: &ComplaintRecord) -> ApiError {
    ApiError::Conflict(
        ErrorCode::ComplaintAlreadyDecided,
        format!("{} is decided already", complaint.number),
        vec![],
    )
}

/// A person decides. Above the four-eyes amount the decision waits for a second person.
pub fn decide(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    request: &DecideComplaint,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintRecord> {
    write_transaction(conn, |conn| {
        let complaint = super::find(conn, id)?;
        match complaint.status {
            ComplaintStatus::Decided => return Err(already_decided(&complaint)),
            ComplaintStatus::AwaitingApproval => {
                return Err(ApiError::Conflict(
                    ErrorCode::IllegalTransition,
                    format!(
                        "a decision of {} waits for approval: approve it or send it back first",
                        complaint.number
                    ),
                    vec![],
                ));
            }
            ComplaintStatus::Registered | ComplaintStatus::Acknowledged => {}
        }
        let mut v = Validator::new();
        let granted = check_decision(
            &mut v,
            request.outcome,
            request.granted_minor,
            complaint.amount_claimed_minor,
            complaint.time_barred,
        );
        let reasoning = request.reasoning.trim().to_owned();
        if reasoning.chars().count() > 5000 {
            v.fail(
                "reasoning",
                FieldErrorCode::TooLong,
                "at most 5000 characters",
            );
        }
        if reasoning.is_empty()
            && matches!(
                request.outcome,
                ComplaintOutcome::Rejected | ComplaintOutcome::PartlyAccepted
            )
        {
            v.fail(
                "reasoning",
                FieldErrorCode::Required,
                "the answer gives the reasons for what is not granted",
            );
        }
        v.finish()?;
        let by = principal.recorded_by();
        if needs_approval(&desk.settings.profile, granted) {
            let proposal = ProposalRow {
                complaint_id: complaint.id,
                outcome: request.outcome,
                granted_minor: granted,
                reasoning,
                proposed_by: by.label.clone(),
                proposed_by_user_id: by.user_id,
                proposed_at: to_db(now),
            };
            if !ComplaintRecord::propose(conn, proposal)? {
                return Err(already_decided(&complaint));
            }
            Event {
                note: Some(format!("{}: {granted}", request.outcome)),
                ..Event::new(event::PROPOSED, &by.label)
            }
            .record(conn, complaint.id, now)?;
            audit::record(
                conn,
                principal,
                "complaint.propose",
                Some(complaint.customer_id),
                Some(complaint.number.clone()),
                now,
            )?;
            return super::find(conn, id);
        }
        let decided = finalize(
            conn,
            desk,
            &complaint,
            DecisionRow {
                outcome: request.outcome,
                granted_minor: granted,
                reasoning,
                decided_at: to_db(now),
                decided_by: by.label.clone(),
                approved_by: None,
            },
            now,
        )?;
        audit::record(
            conn,
            principal,
            "complaint.decide",
            Some(complaint.customer_id),
            Some(complaint.number.clone()),
            now,
        )?;
        Ok(decided)
    })
}

/// A second person approves a proposed decision, or sends it back. The person who proposed
/// it does not approve it.
pub fn review(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    request: &ReviewProposal,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintRecord> {
    write_transaction(conn, |conn| {
        let complaint = super::find(conn, id)?;
        let proposal = match (complaint.status, ComplaintRecord::proposal(conn, id)?) {
            (ComplaintStatus::AwaitingApproval, Some(proposal)) => proposal,
            (ComplaintStatus::Decided, _) => return Err(already_decided(&complaint)),
            _ => {
                return Err(ApiError::Conflict(
                    ErrorCode::IllegalTransition,
                    format!("no decision of {} waits for approval", complaint.number),
                    vec![],
                ));
            }
        };
        let by = principal.recorded_by();
        let mut v = Validator::new();
        let note = v.optional_text("note", Some(&request.note), 500);
        v.finish()?;
        if !request.approve {
            ComplaintRecord::drop_proposal(conn, id, true)?;
            Event {
                note,
                ..Event::new(event::PROPOSAL_RETURNED, &by.label)
            }
            .record(conn, complaint.id, now)?;
            audit::record(
                conn,
                principal,
                "complaint.return_proposal",
                Some(complaint.customer_id),
                Some(complaint.number.clone()),
                now,
            )?;
            return super::find(conn, id);
        }
        if by.user_id.is_some() && by.user_id == proposal.proposed_by_user_id {
            return Err(ApiError::ForbiddenRecord(
                "four eyes: the person who proposed a decision does not approve it; another person must"
                    .into(),
            ));
        }
        let decided = finalize(
            conn,
            desk,
            &complaint,
            DecisionRow {
                outcome: proposal.outcome,
                granted_minor: proposal.granted_minor,
                reasoning: proposal.reasoning,
                decided_at: to_db(now),
                decided_by: proposal.proposed_by,
                approved_by: Some(by.label.clone()),
            },
            now,
        )?;
        audit::record(
            conn,
            principal,
            "complaint.approve",
            Some(complaint.customer_id),
            Some(complaint.number.clone()),
            now,
        )?;
        Ok(decided)
    })
}

/// Writes a decision with all that follows from it, in the caller's transaction: the
/// decision (first, so that the complaint's row is held and a second decider finds it
/// decided), the compensation, the answer and its messages. Refused with
/// `complaint_already_decided` when someone (a person, the clock) got there first.
pub fn finalize(
    conn: &mut DbConnection,
    desk: &Desk,
    complaint: &ComplaintRecord,
    decision: DecisionRow,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintRecord> {
    if !ComplaintRecord::decide(conn, complaint.id, &decision)? {
        return Err(already_decided(complaint));
    }
    ComplaintRecord::drop_proposal(conn, complaint.id, false)?;
    let by = decision.decided_by.as_str();
    Event {
        note: Some(decision.outcome.as_str().to_owned()),
        ..Event::new(event::DECIDED, by)
    }
    .record(conn, complaint.id, now)?;
    let given = if decision.outcome.grants() && decision.granted_minor > 0 {
        Some(compensation::issue(
            conn,
            desk,
            complaint,
            decision.granted_minor,
            by,
            now,
        )?)
    } else {
        None
    };
    let language = complaint.language;
    let money = |minor: i64| format::money(minor, &complaint.currency, language);
    let mut lines: Vec<String> = Vec::new();
    if let Some(given) = &given {
        for note in &given.correction_notes {
            lines.push(format!(
                "{} → {}: {}",
                note.number,
                note.corrects_number,
                money(note.gross_minor)
            ));
        }
        if given.credited_minor > 0 {
            lines.push(format!(
                "{}: {}",
                crate::documents::complaint::credit_label(language),
                money(given.credited_minor)
            ));
        }
    }
    let facts = AnswerFacts {
        outcome: decision.outcome,
        granted: money(decision.granted_minor),
        reasoning: decision.reasoning.clone(),
        decided_on: desk.local_time(decision.decided_at).date(),
        decided_by: match &decision.approved_by {
            Some(second) => format!("{} / {second}", decision.decided_by),
            None => decision.decided_by.clone(),
        },
        compensation: lines,
    };
    let answer = papers::answer(conn, desk, complaint, &facts, by, now)?;
    Event {
        document_id: Some(answer.id),
        ..Event::new(event::ANSWER_SENT, by)
    }
    .record(conn, complaint.id, now)?;
    // An answer also confirms receipt, where no confirmation went before it.
    ComplaintRecord::mark_acknowledged(conn, complaint.id, to_db(now))?;
    notifications::write(
        conn,
        &desk.sender,
        &[Notice::complaint_answered(
            complaint.customer_id,
            complaint.id,
            &complaint.number,
            decision.outcome,
            decision.granted_minor,
            &complaint.currency,
            answer.id,
        )],
        now,
    )?;
    super::find(conn, complaint.id)
}
