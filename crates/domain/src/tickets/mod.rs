//! Technical problems (R-50..R-53): tickets with their states, the SLA clocks measured on a
//! business calendar (`sla`), diagnostic scripts (`scripts`), outages found in clusters of
//! faults (`outages`), technician visits, and the knowledge base's search terms.

pub mod outages;
pub mod scripts;
pub mod sla;

use chrono::{DateTime, Duration, Utc};

use crate::validation::{FieldErrorCode, Validator};

wire_enum! {
    /// What kind of fault a ticket is about (seed 000).
    pub enum TicketCategory {
        NoConnection,
        Slow,
        Tv,
        Phone,
        Equipment,
        BillingTechnical,
        Other,
    }
}

wire_enum! {
    /// How urgent a ticket is; each priority has its SLA targets.
    pub enum TicketPriority {
        Low,
        Normal,
        High,
        /// Measured around the clock, not on business hours.
        Critical,
    }
}

wire_enum! {
    /// Where a ticket stands.
    pub enum TicketStatus {
        New,
        InProgress,
        /// The SLA clocks pause until the customer answers.
        WaitingForCustomer,
        WaitingForVisit,
        Resolved,
        Closed,
        Reopened,
    }
}

wire_enum! {
    /// Where a ticket was opened.
    pub enum TicketSource {
        /// By staff, from the customer card.
        Console,
        /// By the customer in the cabinet.
        Cabinet,
        /// By another system (network monitoring) through the API.
        Api,
    }
}

wire_enum! {
    /// What an entry on a ticket's history records.
    pub enum TicketEventKind {
        Opened,
        StatusChanged,
        Routed,
        Assigned,
        PriorityChanged,
        Comment,
        Attachment,
        VisitBooked,
        VisitDone,
        VisitCancelled,
        IncidentLinked,
    }
}

wire_enum! {
    /// What happened to a technician visit.
    pub enum VisitStatus {
        Booked,
        /// The technician was there; the outcome says what came of it.
        Done,
        /// Nobody let the technician in.
        NoAccess,
        Cancelled,
    }
}

wire_enum! {
    /// What a visit did for its ticket.
    pub enum VisitOutcome {
        /// Fixed on site: the ticket is resolved.
        Resolved,
        /// Needs another department: the ticket is routed there.
        Routed,
        /// Nobody let the technician in: the ticket waits for the customer.
        NoAccess,
    }
}

impl TicketStatus {
    /// Still being worked on: not resolved or closed.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }

    /// The statuses a ticket may move to from this one. A closed ticket is final; a resolved
    /// one is closed, or reopened when the fault is back.
    pub fn next(self) -> &'static [TicketStatus] {
        use TicketStatus as S;
        match self {
            S::New | S::Reopened => &[
                S::InProgress,
                S::WaitingForCustomer,
                S::WaitingForVisit,
                S::Resolved,
            ],
            S::InProgress => &[S::WaitingForCustomer, S::WaitingForVisit, S::Resolved],
            S::WaitingForCustomer => &[S::InProgress, S::WaitingForVisit, S::Resolved],
            S::WaitingForVisit => &[S::InProgress, S::WaitingForCustomer, S::Resolved],
            S::Resolved => &[S::Closed, S::Reopened],
            S::Closed => &[],
        }
    }
}

/// A status change the ticket's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from} ticket cannot become {to}")]
pub struct IllegalTicketTransition {
    pub from: TicketStatus,
    pub to: TicketStatus,
}

/// Whether a ticket may move from `from` to `to`.
pub fn check_transition(
    from: TicketStatus,
    to: TicketStatus,
) -> Result<(), IllegalTicketTransition> {
    if from.next().contains(&to) {
        Ok(())
    } else {
        Err(IllegalTicketTransition { from, to })
    }
}

/// Longest ticket title, in characters.
pub const TITLE_MAX_CHARS: usize = 200;
/// Longest description, comment or routing reason, in characters.
pub const TEXT_MAX_CHARS: usize = 4000;
/// Largest attachment, in bytes (1 MiB): photos of a modem's lights, a speed test.
pub const ATTACHMENT_MAX_BYTES: usize = 1024 * 1024;
/// Most attachments on one ticket.
pub const ATTACHMENTS_PER_TICKET: usize = 20;

/// Shortest and longest technician slot, in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<i64> = 15..=480;
/// Most slots created in one request (a fortnight of a technician's day in half hours).
pub const SLOTS_PER_REQUEST: usize = 200;

/// Checks a technician's working slot: 15 minutes to 8 hours, not in the past. Overlaps with
/// the technician's other slots are the service's check (they need the stored slots).
pub fn check_slot(
    v: &mut Validator,
    field: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    let minutes = (ends_at - starts_at).num_minutes();
    if !SLOT_MINUTES.contains(&minutes) {
        v.fail(
            format!("{field}.ends_at"),
            FieldErrorCode::OutOfRange,
            "a slot lasts 15 minutes to 8 hours",
        );
    }
    if starts_at < now - Duration::minutes(1) {
        v.fail(
            format!("{field}.starts_at"),
            FieldErrorCode::InPast,
            "a slot cannot start in the past",
        );
    }
}

/// Whether two slots `[a_start, a_end)` and `[b_start, b_end)` share a moment.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Longest knowledge-base article title and body, in characters.
pub const ARTICLE_TITLE_MAX_CHARS: usize = 200;
pub const ARTICLE_BODY_MAX_CHARS: usize = 20_000;
/// Most words a knowledge-base search uses.
pub const SEARCH_TERMS_MAX: usize = 8;

/// The words of a knowledge-base search: letters and digits only, lowercased, at most
/// eight of two or more characters, so that what reaches the full-text engine is never its
/// query syntax.
pub fn search_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in query.split(|c: char| !c.is_alphanumeric()) {
        let word: String = word.chars().flat_map(char::to_lowercase).take(40).collect();
        if word.chars().count() >= 2 && !terms.contains(&word) {
            terms.push(word);
        }
        if terms.len() == SEARCH_TERMS_MAX {
            break;
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_closed_ticket_is_final_and_a_resolved_one_may_come_back() {
        assert!(TicketStatus::Closed.next().is_empty());
        assert!(check_transition(TicketStatus::Resolved, TicketStatus::Reopened).is_ok());
        assert_eq!(
            check_transition(TicketStatus::Closed, TicketStatus::Reopened),
            Err(IllegalTicketTransition {
                from: TicketStatus::Closed,
                to: TicketStatus::Reopened
            })
        );
        assert!(check_transition(TicketStatus::New, TicketStatus::New).is_err());
        // Every status but a closed one can lead on.
        for status in TicketStatus::all().filter(|s| *s != TicketStatus::Closed) {
            assert!(!status.next().is_empty(), "{status}");
        }
    }

    #[test]
    fn search_terms_keep_words_and_drop_syntax() {
        assert_eq!(
            search_terms("Router \"nie\" działa* OR -modem; a"),
            vec!["router", "nie", "działa", "or", "modem"]
        );
        assert_eq!(
            search_terms("Роутер не работает"),
            vec!["роутер", "не", "работает"]
        );
        assert!(search_terms("*** \" : ^").is_empty());
        assert_eq!(search_terms(&"ab ".repeat(20)).len(), 1);
        let many = (0..20)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(search_terms(&many).len(), SEARCH_TERMS_MAX);
    }

    #[test]
    fn slots_are_bounded_and_overlap_is_half_open() {
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2027, 1, 4, h, m, 0).unwrap();
        let now = at(7, 0);
        let mut v = Validator::new();
        check_slot(&mut v, "slots[0]", at(8, 0), at(8, 10), now);
        check_slot(&mut v, "slots[1]", at(6, 0), at(7, 0), now);
        check_slot(&mut v, "slots[2]", at(8, 0), at(10, 0), now);
        let fields: Vec<String> = v.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["slots[0].ends_at", "slots[1].starts_at"]);
        assert!(!overlaps((at(8, 0), at(9, 0)), (at(9, 0), at(10, 0))));
        assert!(overlaps((at(8, 0), at(9, 1)), (at(9, 0), at(10, 0))));
    }
}
