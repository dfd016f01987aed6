//! The demo's complaints (R-40..R-46): some open with their deadlines near, one decided with a
//! correction note, a repeat, a time-barred claim, and one left unanswered past its day for
//! the clock to decide when the server starts.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use okno_api_types::complaints::{DecideComplaint, NewComplaint};
use okno_db::DbConnection;
use okno_db::reference::TopicRecord;
use okno_db::schema::invoices;
use okno_domain::billing::InvoiceKind;
use okno_domain::complaints::{ComplaintChannel, ComplaintOutcome};

use crate::auth::Principal;
use crate::complaints::register::{Filing, register};
use crate::complaints::{Desk, decide};
use crate::error::ApiResult;
use crate::state::AppState;

struct DemoComplaint {
    days_ago: i64,
    channel: ComplaintChannel,
    subject: &'static str,
    description: &'static str,
    amount_minor: Option<i64>,
    with_invoice: bool,
    topic: usize,
    acknowledged: bool,
}

const COMPLAINTS: [DemoComplaint; 6] = [
    // Unanswered past its decide-by day: the clock deems it accepted at the first run.
    DemoComplaint {
        days_ago: 40,
        channel: ComplaintChannel::Letter,
        subject: "Brak usługi przez 4 dni",
        description: "Od 3 do 6 dnia miesiąca nie działał internet. Wnoszę o obniżenie abonamentu za te dni.",
        amount_minor: Some(1_600),
        with_invoice: false,
        topic: 0,
        acknowledged: true,
    },
    // Due today or tomorrow, depending on the holidays.
    DemoComplaint {
        days_ago: 29,
        channel: ComplaintChannel::Phone,
        subject: "Za wysoka faktura",
        description: "Na fakturze naliczono opłatę, której nie zamawiałem.",
        amount_minor: Some(2_500),
        with_invoice: true,
        topic: 1,
        acknowledged: true,
    },
    DemoComplaint {
        days_ago: 24,
        channel: ComplaintChannel::Email,
        subject: "Wolny internet wieczorami",
        description: "Prędkość wieczorem spada poniżej 10% prędkości z umowy.",
        amount_minor: None,
        with_invoice: false,
        topic: 0,
        acknowledged: true,
    },
    // A repeat of the one before: same customer, same topic.
    DemoComplaint {
        days_ago: 6,
        channel: ComplaintChannel::Phone,
        subject: "Znowu wolny internet",
        description: "Problem z prędkością wrócił po tygodniu.",
        amount_minor: None,
        with_invoice: false,
        topic: 0,
        acknowledged: false,
    },
    DemoComplaint {
        days_ago: 12,
        channel: ComplaintChannel::InPerson,
        subject: "Opłata za dni bez usługi",
        description: "Proszę o korektę faktury o dni, w których usługa nie działała.",
        amount_minor: Some(1_000),
        with_invoice: true,
        topic: 1,
        acknowledged: true,
    },
    DemoComplaint {
        days_ago: 2,
        channel: ComplaintChannel::Cabinet,
        subject: "Nie otrzymałem faktury e-mailem",
        description: "Faktura za ostatni miesiąc nie dotarła na mój adres e-mail.",
        amount_minor: None,
        with_invoice: false,
        topic: 1,
        acknowledged: true,
    },
];

/// Customers with an invoice, each with their first one.
fn invoiced(conn: &mut DbConnection) -> ApiResult<Vec<(i64, i64)>> {
    let rows: Vec<(i64, i64)> = invoices::table
        .filter(invoices::kind.eq(InvoiceKind::Invoice.as_str()))
        .order((invoices::customer_id, invoices::id))
        .select((invoices::customer_id, invoices::id))
        .load(conn)?;
    let mut latest: Vec<(i64, i64)> = Vec::new();
    for (customer, invoice) in rows {
        if latest.last().is_none_or(|(c, _)| *c != customer) {
            latest.push((customer, invoice));
        }
    }
    Ok(latest)
}

pub fn seed_complaints(
    state: &AppState,
    conn: &mut DbConnection,
    agent: &Principal,
    manager: &Principal,
) -> ApiResult<()> {
    let now: DateTime<Utc> = state.now();
    let desk = Desk::of(state);
    let topics = TopicRecord::list(conn)?;
    let customers = invoiced(conn)?;
    let mut registered = Vec::new();
    for (place, demo) in COMPLAINTS.iter().enumerate() {
        // The repeat goes to the customer of the complaint before it.
        let index = if place == 3 { 2 } else { place };
        let Some((customer_id, invoice_id)) = customers.get(index + 4).copied() else {
            continue;
        };
        let request = NewComplaint {
            customer_id,
            channel: demo.channel,
            received_at: Some(now - Duration::days(demo.days_ago) - Duration::hours(2)),
            subject: demo.subject.into(),
            description: demo.description.into(),
            concerns_from: None,
            concerns_until: None,
            invoice_ids: if demo.with_invoice {
                vec![invoice_id]
            } else {
                vec![]
            },
            amount_claimed_minor: demo.amount_minor,
            refund_demanded: false,
            topic_id: topics.get(demo.topic).map(|t| t.id),
            acknowledge_now: demo.acknowledged,
        };
        let filing = Filing::by_staff(&request, now);
        registered.push(register(conn, &desk, agent, &filing, now)?);
    }
    // The in-person one was decided: partly accepted, compensated by a correction note.
    if let Some(decided) = registered.get(4) {
        decide::decide(
            conn,
            &desk,
            manager,
            decided.id,
            &DecideComplaint {
                outcome: ComplaintOutcome::PartlyAccepted,
                granted_minor: Some(600),
                reasoning: "Awaria trwała 2 dni, nie 3; korygujemy fakturę o 2 dni abonamentu."
                    .into(),
            },
            now,
        )?;
    }
    Ok(())
}
