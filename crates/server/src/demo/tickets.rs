//! The demo's technical problems (R-50..R-53): the no-connection script of seed 000; five
//! calls from the block at ul. Grójecka 44 within minutes, which the detection turns into an
//! outage (confirmed by the technician), so the sixth household's card shows it before
//! anyone asks; a technical-support queue with tickets in every SLA state; the technician's
//! slots for the coming working days, one of them booked.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use okno_api_types::tickets::{
    NewSlots, NewTicketComment, ScriptAnswer, ScriptBody, ScriptCheck, ScriptInput, ScriptNode,
    ScriptStep, ScriptStepInput, SlotTimes, StartScriptRun,
};
use okno_db::DbConnection;
use okno_db::tickets::{TicketRecord, service_addresses_in_force};
use okno_domain::access::Role;
use okno_domain::customers::Address;
use okno_domain::tickets::outages::{Area, AreaScope};
use okno_domain::tickets::{TicketCategory, TicketPriority, TicketSource, TicketStatus};

use super::customers::BLOCK;
use super::staff::DemoStaff;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::tickets::open::{Opening, open};
use crate::tickets::work::StatusMove;
use crate::tickets::{Actor, Desk, outages, scripts, visits, work};

fn node(id: &str, step: ScriptStep) -> ScriptNode {
    ScriptNode {
        id: id.into(),
        step,
    }
}

fn answer(label: &str, next: &str) -> ScriptAnswer {
    ScriptAnswer {
        label: label.into(),
        next: next.into(),
    }
}

/// Seed 000's algorithm for "no connection": debt first, then a known outage, then the
/// equipment, then the neighbours.
pub(super) fn no_connection_script() -> ScriptInput {
    ScriptInput {
        name: "Brak internetu / No internet".into(),
        category: Some(TicketCategory::NoConnection),
        active: Some(true),
        body: ScriptBody {
            start: "debt".into(),
            nodes: vec![
                node("debt", ScriptStep::Check { check: ScriptCheck::ServiceSuspendedForDebt, if_yes: "pay".into(), if_no: "outage".into() }),
                node("pay", ScriptStep::Solved { text: "Usługa zawieszona za zaległości: wyjaśnij, jak zapłacić; po wpłacie usługa wraca sama.".into() }),
                node("outage", ScriptStep::Check { check: ScriptCheck::OpenIncidentAtAddress, if_yes: "known".into(), if_no: "lights".into() }),
                node("known", ScriptStep::Solved { text: "Znana awaria pod adresem klienta: powiedz, że ją usuwamy i damy znać SMS-em.".into() }),
                node("lights", ScriptStep::Question { text: "Czy dioda zasilania modemu świeci?".into(), answers: vec![answer("Nie", "power"), answer("Tak", "cable")] }),
                node("power", ScriptStep::Instruction { text: "Poproś o podłączenie modemu do gniazdka i odczekanie 2 minut.".into(), next: "works".into() }),
                node("cable", ScriptStep::Instruction { text: "Poproś o wyjęcie i ponowne włożenie kabla sieciowego, potem restart modemu.".into(), next: "works".into() }),
                node("works", ScriptStep::Question { text: "Czy internet działa?".into(), answers: vec![answer("Tak", "solved"), answer("Nie", "neighbours")] }),
                node("neighbours", ScriptStep::Question { text: "Czy sąsiedzi też nie mają internetu?".into(), answers: vec![answer("Tak, też nie mają", "suspect"), answer("Nie wiem / mają", "ticket")] }),
                node("solved", ScriptStep::Solved { text: "Rozwiązane w rozmowie.".into() }),
                node("ticket", ScriptStep::OpenTicket { department: "technical_support".into(), priority: TicketPriority::High, category: TicketCategory::NoConnection }),
                node("suspect", ScriptStep::SuspectedOutage { category: TicketCategory::NoConnection }),
            ],
        },
    }
}

fn principal(staff: &DemoStaff, role: Role) -> Option<&Principal> {
    staff.principals.iter().find(|p| p.role == role)
}

fn opening(
    customer_id: i64,
    category: TicketCategory,
    priority: TicketPriority,
    title: &str,
    description: &str,
) -> Opening {
    Opening {
        customer_id,
        category,
        priority,
        department: "technical_support".into(),
        title: title.into(),
        description: description.into(),
        subscription_id: None,
        network_node: None,
        interaction_id: None,
        script_run_id: None,
        assignee_id: None,
        source: TicketSource::Console,
    }
}

/// Customers with services in force, those of the block first (in their order).
fn customers_by_place(conn: &mut DbConnection) -> ApiResult<(Vec<i64>, Vec<i64>)> {
    let (street, building, postal_code, city) = BLOCK;
    let block = Area::of(
        Some(&Address {
            kind: okno_domain::customers::AddressKind::Service,
            street: street.into(),
            building: building.into(),
            apartment: None,
            postal_code: postal_code.into(),
            city: city.into(),
            country: "PL".into(),
        }),
        None,
    );
    let mut in_block = Vec::new();
    let mut elsewhere = Vec::new();
    for (_, customer, json) in service_addresses_in_force(conn, None)? {
        let Ok(address) = serde_json::from_str::<Address>(&json) else {
            continue;
        };
        let list = if Area::of(Some(&address), None).key(AreaScope::Building)
            == block.key(AreaScope::Building)
        {
            &mut in_block
        } else {
            &mut elsewhere
        };
        if !list.contains(&customer) {
            list.push(customer);
        }
    }
    Ok((in_block, elsewhere))
}

/// The next working days' slots of the technician, 9–11, 11–13 and 14–16 local time.
fn slots(desk: &Desk, now: DateTime<Utc>) -> Vec<SlotTimes> {
    let mut slots = Vec::new();
    let mut day = desk.local_day(now) + Duration::days(1);
    while slots.len() < 15 {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            for (from, to) in [(9, 11), (11, 13), (14, 16)] {
                let at = |h| {
                    desk.utc(day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()))
                };
                slots.push(SlotTimes {
                    starts_at: at(from),
                    ends_at: at(to),
                });
            }
        }
        day += Duration::days(1);
    }
    slots
}

pub fn seed_tickets(state: &AppState, conn: &mut DbConnection, staff: &DemoStaff) -> ApiResult<()> {
    let (Some(operator), Some(technician), Some(manager)) = (
        principal(staff, Role::Operator),
        principal(staff, Role::Technician),
        principal(staff, Role::Manager),
    ) else {
        return Ok(());
    };
    let now = state.now();
    let desk = Desk::of(state);
    let script = scripts::create(
        conn,
        manager,
        &no_connection_script(),
        now - Duration::days(30),
    )?;
    let (block, elsewhere) = customers_by_place(conn)?;

    // The outage: five households call within minutes; the first walked the script to
    // "suspected outage".
    for (place, customer) in block.iter().take(5).enumerate() {
        let minutes = i64::try_from(place).unwrap_or(0);
        let at = now - Duration::minutes(26 - 4 * minutes);
        let mut fault = opening(
            *customer,
            TicketCategory::NoConnection,
            TicketPriority::High,
            "Brak internetu",
            "Od kilku minut nie działa internet; modem świeci, sąsiedzi też nie mają sieci.",
        );
        if place == 0 {
            let start = StartScriptRun {
                script_id: script.summary.id,
                interaction_id: None,
            };
            let run = scripts::start(conn, operator, *customer, &start, at - Duration::minutes(3))?;
            let run = scripts::step(
                conn,
                run.id,
                &ScriptStepInput { answer: Some(1) },
                at - Duration::minutes(2),
            )?;
            let run = scripts::step(
                conn,
                run.id,
                &ScriptStepInput::default(),
                at - Duration::minutes(2),
            )?;
            let run = scripts::step(
                conn,
                run.id,
                &ScriptStepInput { answer: Some(1) },
                at - Duration::minutes(1),
            )?;
            let run = scripts::step(conn, run.id, &ScriptStepInput { answer: Some(0) }, at)?;
            fault.script_run_id = Some(run.id);
        }
        open(conn, &desk, operator, fault, at)?;
    }
    outages::detect(conn, &desk, now - Duration::minutes(9))?;
    for incident in okno_db::tickets::IncidentRecord::active(conn)? {
        outages::confirm(
            conn,
            &desk,
            technician,
            incident.id,
            now - Duration::minutes(5),
        )?;
    }

    // The technical-support queue, in every SLA state.
    let free = slots(&desk, now);
    let slots = visits::add_slots(
        conn,
        manager,
        &NewSlots {
            technician_id: technician.id,
            slots: free,
        },
        now,
    )?;
    let mut slots = slots.iter();
    let people = Staff {
        operator,
        technician,
        manager,
    };
    for (demo, customer) in QUEUE.iter().zip(elsewhere) {
        let mut fault = opening(
            customer,
            demo.category,
            demo.priority,
            demo.title,
            demo.description,
        );
        fault.department = demo.department.unwrap_or("technical_support").into();
        let by = match demo.then {
            Then::FromMonitoring(node) => {
                fault.network_node = Some(node.into());
                fault.source = TicketSource::Api;
                people.manager
            }
            _ => people.operator,
        };
        let at = now - Duration::minutes(demo.minutes_ago);
        let ticket = open(conn, &desk, by, fault, at)?;
        let later = at + Duration::minutes(60);
        follow_up(
            conn,
            &desk,
            &people,
            &ticket,
            demo.then,
            slots.next(),
            later,
        )?;
    }
    Ok(())
}

/// Who does what in the demo's tickets.
struct Staff<'a> {
    operator: &'a Principal,
    technician: &'a Principal,
    manager: &'a Principal,
}

/// What happened to a demo ticket after it was opened.
#[derive(Clone, Copy)]
enum Then {
    Nothing,
    /// Staff wrote to the customer.
    Replied(&'static str),
    /// Staff asked the customer something: the clocks stop.
    AskedCustomer(&'static str),
    /// A technician's visit was booked.
    VisitBooked(&'static str),
    /// Opened by the monitoring system for a network node.
    FromMonitoring(&'static str),
    /// Opened in the first line and routed to technical support.
    Routed(&'static str),
    Resolved(&'static str),
}

struct DemoTicket {
    category: TicketCategory,
    priority: TicketPriority,
    title: &'static str,
    description: &'static str,
    department: Option<&'static str>,
    minutes_ago: i64,
    then: Then,
}

const QUEUE: [DemoTicket; 8] = [
    DemoTicket {
        category: TicketCategory::NoConnection,
        priority: TicketPriority::High,
        title: "Internet zrywa się co wieczór",
        description: "Od tygodnia między 20 a 22 połączenie zrywa się kilka razy.",
        department: None,
        minutes_ago: 3 * 24 * 60,
        then: Then::Nothing,
    },
    DemoTicket {
        category: TicketCategory::Slow,
        priority: TicketPriority::Normal,
        title: "Wolny internet przez Wi-Fi",
        description: "Przez kabel 300 Mb/s, przez Wi-Fi 20 Mb/s.",
        department: None,
        minutes_ago: 180,
        then: Then::Replied("Sprawdzamy kanał Wi-Fi zdalnie; odezwiemy się dziś."),
    },
    DemoTicket {
        category: TicketCategory::Tv,
        priority: TicketPriority::Normal,
        title: "Brak kanałów HD",
        description: "Kanały HD pokazują czarny ekran.",
        department: None,
        minutes_ago: 24 * 60,
        then: Then::AskedCustomer("Prosimy o zdjęcie ekranu z komunikatem dekodera."),
    },
    DemoTicket {
        category: TicketCategory::Equipment,
        priority: TicketPriority::Normal,
        title: "Uszkodzony modem",
        description: "Modem się przegrzewa i restartuje.",
        department: None,
        minutes_ago: 26 * 60,
        then: Then::VisitBooked("Zabrać nowy modem."),
    },
    DemoTicket {
        category: TicketCategory::NoConnection,
        priority: TicketPriority::Critical,
        title: "Monitoring: port OLT nie odpowiada",
        description: "Zabbix: OLT-WAW-03 port 1/2/7 down.",
        department: None,
        minutes_ago: 40,
        then: Then::FromMonitoring("OLT-WAW-03"),
    },
    DemoTicket {
        category: TicketCategory::Equipment,
        priority: TicketPriority::Low,
        title: "Pilot nie działa",
        description: "Pilot dekodera nie reaguje po wymianie baterii.",
        department: Some("call_centre"),
        minutes_ago: 24 * 60,
        then: Then::Routed("Do wymiany pilota potrzebna wizyta lub wysyłka."),
    },
    DemoTicket {
        category: TicketCategory::Phone,
        priority: TicketPriority::Normal,
        title: "Brak sygnału w telefonie stacjonarnym",
        description: "Po burzy brak sygnału.",
        department: None,
        minutes_ago: 5 * 24 * 60,
        then: Then::Resolved("Wymieniono uszkodzony splitter."),
    },
    DemoTicket {
        category: TicketCategory::BillingTechnical,
        priority: TicketPriority::Normal,
        title: "Podwójne naliczenie transferu",
        description: "Na fakturze dwa razy ten sam pakiet danych.",
        department: Some("finance"),
        minutes_ago: 360,
        then: Then::Nothing,
    },
];

fn follow_up(
    conn: &mut DbConnection,
    desk: &Desk,
    staff: &Staff<'_>,
    ticket: &TicketRecord,
    then: Then,
    slot: Option<&okno_api_types::tickets::TechnicianSlot>,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let technician = Actor::of(staff.technician);
    match then {
        Then::Nothing | Then::FromMonitoring(_) => {}
        Then::Replied(text) => {
            let reply = NewTicketComment {
                body: text.into(),
                visible_to_customer: true,
            };
            work::comment(conn, desk, staff.technician, ticket.id, &reply, at)?;
        }
        Then::AskedCustomer(text) => {
            let change = StatusMove::telling(TicketStatus::WaitingForCustomer, text.into());
            work::move_to(conn, desk, ticket, change, &technician, at)?;
        }
        Then::Resolved(text) => {
            let change = StatusMove::telling(TicketStatus::Resolved, text.into());
            work::move_to(conn, desk, ticket, change, &technician, at)?;
        }
        Then::VisitBooked(note) => {
            if let Some(slot) = slot {
                visits::book(
                    conn,
                    desk,
                    staff.operator,
                    ticket,
                    slot.id,
                    Some(note.into()),
                    at,
                )?;
            }
        }
        Then::Routed(reason) => {
            let operator = Actor::of(staff.operator);
            work::route_to(
                conn,
                ticket,
                "technical_support",
                reason.into(),
                &operator,
                at,
            )?;
        }
    }
    Ok(())
}
