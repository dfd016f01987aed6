//! Technical problems (R-50..R-53): SLA clocks on business hours across a weekend, a holiday
//! and a pause; routing with its history; the queue in SLA order; diagnostic scripts walked
//! to each kind of leaf and edited after use; outages found in a burst (not in scattered
//! faults, again after resolution); visits booked once; what a subscriber sees.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use okno_api_types::complaints::{CalendarDay, CalendarDayKind, CalendarYear, Jurisdiction};
use okno_api_types::customers::{Address, NewCustomer};
use okno_api_types::notifications::{MessageQuery, NotificationEvent};
use okno_api_types::tickets::{
    BookVisit, CabinetComment, CabinetTicket, CabinetVisit, IncidentQuery, IncidentStatus,
    NewAttachment, NewDepartment, NewSlots, NewTicket, NewTicketComment, OpeningDay,
    ResolveIncident, ScriptAnswer, ScriptBody, ScriptCheck, ScriptInput, ScriptNode, ScriptOutcome,
    ScriptStep, ScriptStepInput, SlaClockState, SlaFlag, SlaPolicy, SlaSettings, SlotTimes,
    StartScriptRun, TicketCategory, TicketEventKind, TicketPriority, TicketQuery, TicketRouting,
    TicketStatus, TicketStatusChange, VisitOutcome, VisitReport, VisitStatus,
};
use okno_api_types::users::UserQuery;
use okno_api_types::{AddressKind, ErrorCode, Role};
use okno_client::Client;
use okno_domain::calendar::is_polish_public_holiday;
use okno_e2e::{TestApp, both_backends, field_errors, refused};

use crate::contracts::contract_in_force;
use crate::customers::new_person;

const WARSAW: chrono_tz::Tz = chrono_tz::Europe::Warsaw;

fn warsaw(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    WARSAW
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// Moves the clock forward to `at` (never back) and stops it there, so clocks are exact.
fn advance_to(app: &TestApp, at: DateTime<Utc>) {
    assert!(at >= app.state.now(), "the clock cannot go back to {at}");
    app.clock.stop_at(at);
}

fn local_today(app: &TestApp) -> NaiveDate {
    app.state.now().with_timezone(&WARSAW).date_naive()
}

/// A Friday at least a day ahead whose Monday to Wednesday after are ordinary working days.
fn quiet_friday(app: &TestApp) -> NaiveDate {
    let mut day = local_today(app) + Duration::days(1);
    loop {
        let ordinary = (0..=5).all(|d| !is_polish_public_holiday(day + Duration::days(d)));
        if day.weekday() == Weekday::Fri && ordinary {
            return day;
        }
        day += Duration::days(1);
    }
}

fn address(street: &str, building: &str) -> Address {
    Address {
        kind: AddressKind::Service,
        street: street.into(),
        building: building.into(),
        apartment: None,
        postal_code: "00-950".into(),
        city: "Warszawa".into(),
        country: "PL".into(),
    }
}

/// A customer whose service address is `building` on `street`.
async fn customer_at(client: &Client, last: &str, street: &str, building: &str) -> i64 {
    let mut person = new_person("Jan", last);
    person.addresses.push(address(street, building));
    person.emails[0].value = format!("{}@example.pl", last.to_lowercase());
    client
        .create_customer(&NewCustomer { ..person })
        .await
        .unwrap()
        .id
}

fn fault(customer_id: i64, title: &str) -> NewTicket {
    NewTicket {
        customer_id,
        category: TicketCategory::NoConnection,
        priority: None,
        department: None,
        title: title.into(),
        description: "Brak internetu od rana.".into(),
        subscription_id: None,
        network_node: None,
        interaction_id: None,
        script_run_id: None,
        assignee_id: None,
    }
}

fn office_sla() -> SlaSettings {
    let policy = |priority, first, update, resolution, around| SlaPolicy {
        priority,
        first_response_minutes: first,
        next_update_minutes: update,
        resolution_minutes: resolution,
        around_the_clock: around,
    };
    SlaSettings {
        policies: vec![
            policy(TicketPriority::Low, 480, 1440, 2400, false),
            policy(TicketPriority::Normal, 120, 600, 240, false),
            policy(TicketPriority::High, 60, 240, 120, false),
            policy(TicketPriority::Critical, 15, 60, 240, true),
        ],
        opening_hours: (1..=7)
            .map(|weekday| OpeningDay {
                weekday,
                opens: (weekday <= 5).then(|| "08:00".into()),
                closes: (weekday <= 5).then(|| "18:00".into()),
            })
            .collect(),
    }
}

async fn subscriber(app: &TestApp, customer_id: i64) -> Client {
    let code = app
        .as_role(Role::Agent)
        .await
        .issue_activation(customer_id)
        .await
        .unwrap();
    let tokens = app
        .client
        .activate_cabinet(&okno_api_types::cabinet::ActivateRequest {
            account_number: code.account_number,
            activation_code: code.code,
            password: "haslo-abonenta".into(),
        })
        .await
        .unwrap();
    app.client.with_token(&tokens.access_token)
}

async fn messages_of(app: &TestApp, customer_id: i64, event: NotificationEvent) -> usize {
    app.as_role(Role::Admin)
        .await
        .messages(&MessageQuery {
            customer_id: Some(customer_id),
            event: Some(event),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .len()
}

both_backends! {
    async fn sla_clocks_count_business_hours_across_a_weekend_a_holiday_and_a_pause(app) {
        let admin = app.as_role(Role::Admin).await;
        admin.update_sla_settings(&office_sla()).await.unwrap();
        let friday = quiet_friday(app);
        let (monday, tuesday, wednesday) =
            (friday + Duration::days(3), friday + Duration::days(4), friday + Duration::days(5));
        advance_to(app, warsaw(friday, 17, 0));
        let operator = app.as_role(Role::Operator).await;
        let customer = customer_at(&operator, "Weekendowy", "ul. Długa", "5").await;
        let ticket = operator.open_ticket(&fault(customer, "Brak internetu")).await.unwrap();
        let sla = &ticket.summary.sla;
        // Normal: first response 120, resolution 240 office minutes; Friday 17–18 is the
        // last office hour of the week.
        assert_eq!(sla.first_response.due_at, Some(warsaw(monday, 9, 0)));
        assert_eq!(sla.resolution.due_at, Some(warsaw(monday, 11, 0)));
        assert_eq!(sla.flag, SlaFlag::Ok);

        // Monday made a holiday: the clocks are recomputed, nothing stored drifts.
        let admin = app.as_role(Role::Admin).await;
        admin
            .load_calendar_year(
                Jurisdiction::Pl,
                monday.year(),
                &CalendarYear {
                    days: vec![CalendarDay { day: monday, kind: CalendarDayKind::Holiday, name: "Dzień awarii".into() }],
                },
            )
            .await
            .unwrap();
        let ticket = operator.ticket(ticket.summary.id).await.unwrap();
        assert_eq!(ticket.summary.sla.resolution.due_at, Some(warsaw(tuesday, 11, 0)));

        // Tuesday 9:00: two office hours used; waiting for the customer pauses every clock.
        advance_to(app, warsaw(tuesday, 9, 0));
        let technician = app.as_role(Role::Technician).await;
        let waiting = technician
            .change_ticket_status(ticket.summary.id, &TicketStatusChange {
                status: TicketStatus::WaitingForCustomer,
                note: Some("Proszę zrestartować router i dać znać.".into()),
                visible_to_customer: true,
            })
            .await
            .unwrap();
        assert_eq!(waiting.summary.sla.resolution.used_minutes, 120);
        advance_to(app, warsaw(wednesday, 9, 0));
        let (operator, technician) = (app.as_role(Role::Operator).await, app.as_role(Role::Technician).await);
        let paused = operator.ticket(ticket.summary.id).await.unwrap();
        assert_eq!(paused.summary.sla.flag, SlaFlag::Paused);
        assert_eq!(paused.summary.sla.resolution.used_minutes, 120);
        assert_eq!(paused.summary.sla.resolution.state, SlaClockState::Paused);
        // The note to the customer was the first response (at 120 of 120 minutes: met).
        assert_eq!(paused.summary.sla.first_response.state, SlaClockState::Met);
        assert_eq!(messages_of(app, customer, NotificationEvent::TicketUpdated).await, 1);

        let resumed = technician
            .change_ticket_status(ticket.summary.id, &TicketStatusChange {
                status: TicketStatus::InProgress,
                note: None,
                visible_to_customer: false,
            })
            .await
            .unwrap();
        assert_eq!(resumed.summary.sla.resolution.due_at, Some(warsaw(wednesday, 11, 0)));
        advance_to(app, warsaw(wednesday, 11, 1));
        let operator = app.as_role(Role::Operator).await;
        let late = operator.ticket(ticket.summary.id).await.unwrap();
        assert_eq!(late.summary.sla.resolution.state, SlaClockState::Breached);
        assert_eq!(late.summary.sla.resolution.left_minutes, -1);
        assert_eq!(late.summary.sla.flag, SlaFlag::Breached);
    }

    async fn routing_is_recorded_with_its_reason_and_states_are_kept(app) {
        let operator = app.as_role(Role::Operator).await;
        let customer = customer_at(&operator, "Routowany", "ul. Krótka", "1").await;
        let opened = operator
            .open_ticket(&NewTicket { department: Some("call_centre".into()), ..fault(customer, "Wolny internet") })
            .await
            .unwrap();
        assert_eq!(opened.summary.number, format!("TK/{}/000001", local_today(app).year()));
        assert_eq!(opened.summary.department, "call_centre");
        let routed = operator
            .route_ticket(opened.summary.id, &TicketRouting { department: "technical_support".into(), reason: "Pomiar linii potrzebny".into() })
            .await
            .unwrap();
        assert_eq!(routed.summary.department, "technical_support");
        let last = routed.events.last().unwrap();
        assert_eq!((last.kind, last.department.as_deref(), last.body.as_deref()),
            (TicketEventKind::Routed, Some("technical_support"), Some("Pomiar linii potrzebny")));
        assert_eq!(routed.events.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![TicketEventKind::Opened, TicketEventKind::Routed]);

        let same = refused(operator.route_ticket(opened.summary.id, &TicketRouting { department: "technical_support".into(), reason: "x".into() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&same), vec![("department".to_owned(), "unchanged".to_owned())]);
        let unknown = refused(operator.route_ticket(opened.summary.id, &TicketRouting { department: "marketing".into(), reason: "x".into() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&unknown), vec![("department".to_owned(), "unknown_reference".to_owned())]);
        let manager = app.as_role(Role::Manager).await;
        manager.create_department(&NewDepartment {
            code: "network".into(),
            name: okno_api_types::reference::LocalizedName { en: "Network operations".into(), pl: Some("Sieć".into()), ru: None },
        }).await.unwrap();
        let taken = refused(manager.create_department(&NewDepartment {
            code: "network".into(),
            name: okno_api_types::reference::LocalizedName { en: "Again".into(), pl: None, ru: None },
        }).await, 409, ErrorCode::DepartmentCodeTaken);
        assert_eq!(field_errors(&taken), vec![("code".to_owned(), "taken".to_owned())]);
        refused(operator.create_department(&NewDepartment {
            code: "x".into(),
            name: okno_api_types::reference::LocalizedName { en: "X".into(), pl: None, ru: None },
        }).await, 403, ErrorCode::Forbidden);

        // Internal comments stay internal; a comment to the customer is sent.
        operator.comment_ticket(opened.summary.id, &NewTicketComment { body: "Klient nerwowy".into(), visible_to_customer: false }).await.unwrap();
        assert_eq!(messages_of(app, customer, NotificationEvent::TicketUpdated).await, 0);
        operator.comment_ticket(opened.summary.id, &NewTicketComment { body: "Sprawdzamy linię".into(), visible_to_customer: true }).await.unwrap();
        assert_eq!(messages_of(app, customer, NotificationEvent::TicketUpdated).await, 1);

        // Resolved, closed, final.
        let status = |status| TicketStatusChange { status, note: None, visible_to_customer: false };
        operator.change_ticket_status(opened.summary.id, &status(TicketStatus::Resolved)).await.unwrap();
        let closed = operator.change_ticket_status(opened.summary.id, &status(TicketStatus::Closed)).await.unwrap();
        assert!(closed.summary.resolved_at.is_some());
        refused(operator.change_ticket_status(opened.summary.id, &TicketStatusChange { note: Some("wróciło".into()), ..status(TicketStatus::Reopened) }).await, 409, ErrorCode::IllegalTransition);
        refused(operator.route_ticket(opened.summary.id, &TicketRouting { department: "finance".into(), reason: "x".into() }).await, 409, ErrorCode::IllegalTransition);
        refused(operator.ticket(999_999).await, 404, ErrorCode::TicketNotFound);
        let bad = refused(operator.open_ticket(&NewTicket { title: " ".into(), subscription_id: Some(999_999), ..fault(customer, "x") }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&bad), vec![("title".to_owned(), "required".to_owned())]);
        let none = refused(operator.open_ticket(&NewTicket { subscription_id: Some(999_999), ..fault(customer, "x") }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&none), vec![("subscription_id".to_owned(), "unknown_reference".to_owned())]);
    }

    async fn the_queue_lists_tickets_in_sla_order(app) {
        let admin = app.as_role(Role::Admin).await;
        admin.update_sla_settings(&office_sla()).await.unwrap();
        let monday = quiet_friday(app) + Duration::days(3);
        advance_to(app, warsaw(monday, 9, 0));
        let operator = app.as_role(Role::Operator).await;
        let customer = customer_at(&operator, "Kolejkowy", "ul. Polna", "3").await;
        let open = |priority, title: &str| NewTicket { priority: Some(priority), ..fault(customer, title) };
        let low = operator.open_ticket(&open(TicketPriority::Low, "low")).await.unwrap();
        let normal = operator.open_ticket(&open(TicketPriority::Normal, "normal")).await.unwrap();
        app.clock.advance(Duration::minutes(30));
        let operator = app.as_role(Role::Operator).await;
        let high = operator.open_ticket(&open(TicketPriority::High, "high")).await.unwrap();
        app.clock.advance(Duration::minutes(90));
        let operator = app.as_role(Role::Operator).await;
        let queue = operator.tickets(&TicketQuery { department: Some("technical_support".into()), ..Default::default() }).await.unwrap();
        let ids: Vec<i64> = queue.items.iter().map(|t| t.id).collect();
        // High: 90 of 60 first-response minutes (−30 left); normal: 120 of 120 (0 left);
        // low: 120 of 480 (360 left).
        assert_eq!(ids, vec![high.summary.id, normal.summary.id, low.summary.id]);
        assert_eq!(queue.items[0].sla.flag, SlaFlag::Breached);
        assert_eq!(queue.items[0].sla.first_response.left_minutes, -30);
        assert_eq!(queue.items[1].sla.flag, SlaFlag::Near);
        assert_eq!((queue.total, queue.breached, queue.near), (3, 1, 1));
        let breached = operator.tickets(&TicketQuery { flag: Some(SlaFlag::Breached), ..Default::default() }).await.unwrap();
        assert_eq!(breached.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![high.summary.id]);
        let first = operator.tickets(&TicketQuery { limit: Some(1), ..Default::default() }).await.unwrap();
        assert_eq!((first.items.len(), first.total), (1, 3));
        let none = refused(operator.tickets(&TicketQuery { limit: Some(0), ..Default::default() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&none), vec![("limit".to_owned(), "out_of_range".to_owned())]);
        let other = operator.tickets(&TicketQuery { department: Some("finance".into()), ..Default::default() }).await.unwrap();
        assert_eq!(other.total, 0);
        // The report counts the breaches of the period by department.
        let report = operator.ticket_report(&okno_api_types::tickets::TicketReportQuery::default()).await.unwrap();
        assert_eq!(report.rows.len(), 1);
        let row = &report.rows[0];
        assert_eq!(
            (row.department.as_str(), row.opened, row.open, row.first_response_breached, row.resolution_breached, row.near),
            ("technical_support", 3, 3, 1, 0, 1)
        );
        assert_eq!(report.total.opened, 3);
        let bad = refused(operator.ticket_report(&okno_api_types::tickets::TicketReportQuery { from: Some(monday), to: Some(monday - Duration::days(1)) }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&bad), vec![("to".to_owned(), "out_of_range".to_owned())]);
    }
}

fn step(kind: ScriptStep, id: &str) -> ScriptNode {
    ScriptNode {
        id: id.into(),
        step: kind,
    }
}

fn answer(label: &str, next: &str) -> ScriptAnswer {
    ScriptAnswer {
        label: label.into(),
        next: next.into(),
    }
}

/// The no-connection script of seed 000, shortened.
fn no_connection_script() -> ScriptInput {
    ScriptInput {
        name: "Brak internetu".into(),
        category: Some(TicketCategory::NoConnection),
        active: None,
        body: ScriptBody {
            start: "debt".into(),
            nodes: vec![
                step(
                    ScriptStep::Check {
                        check: ScriptCheck::ServiceSuspendedForDebt,
                        if_yes: "pay".into(),
                        if_no: "outage".into(),
                    },
                    "debt",
                ),
                step(
                    ScriptStep::Solved {
                        text: "Usługa zawieszona za długi: wyjaśnij, jak zapłacić.".into(),
                    },
                    "pay",
                ),
                step(
                    ScriptStep::Check {
                        check: ScriptCheck::OpenIncidentAtAddress,
                        if_yes: "known".into(),
                        if_no: "lights".into(),
                    },
                    "outage",
                ),
                step(
                    ScriptStep::Solved {
                        text: "Znana awaria: usuwamy ją.".into(),
                    },
                    "known",
                ),
                step(
                    ScriptStep::Question {
                        text: "Czy dioda zasilania modemu świeci?".into(),
                        answers: vec![answer("Nie", "power"), answer("Tak", "neighbours")],
                    },
                    "lights",
                ),
                step(
                    ScriptStep::Instruction {
                        text: "Proszę włączyć modem i odczekać 2 minuty.".into(),
                        next: "works".into(),
                    },
                    "power",
                ),
                step(
                    ScriptStep::Question {
                        text: "Czy działa?".into(),
                        answers: vec![answer("Tak", "solved"), answer("Nie", "ticket")],
                    },
                    "works",
                ),
                step(
                    ScriptStep::Question {
                        text: "Czy sąsiedzi mają internet?".into(),
                        answers: vec![answer("Nie", "suspect"), answer("Tak", "ticket")],
                    },
                    "neighbours",
                ),
                step(
                    ScriptStep::Solved {
                        text: "Naprawione restartem.".into(),
                    },
                    "solved",
                ),
                step(
                    ScriptStep::OpenTicket {
                        department: "technical_support".into(),
                        priority: TicketPriority::High,
                        category: TicketCategory::NoConnection,
                    },
                    "ticket",
                ),
                step(
                    ScriptStep::SuspectedOutage {
                        category: TicketCategory::NoConnection,
                    },
                    "suspect",
                ),
            ],
        },
    }
}

fn pick(index: u32) -> ScriptStepInput {
    ScriptStepInput {
        answer: Some(index),
    }
}

both_backends! {
    async fn scripts_are_walked_to_each_kind_of_leaf_and_keep_their_version(app) {
        let manager = app.as_role(Role::Manager).await;
        let script = manager.create_script(&no_connection_script()).await.unwrap();
        assert_eq!(script.summary.version, 1);
        let operator = app.as_role(Role::Operator).await;
        let customer = customer_at(&operator, "Skryptowy", "ul. Jasna", "7").await;
        let start = StartScriptRun { script_id: script.summary.id, interaction_id: None };

        // Solved: no debt, no outage, the modem was off and now works.
        let run = operator.start_script_run(customer, &start).await.unwrap();
        assert_eq!(run.path.iter().map(|s| (s.node_id.as_str(), s.answer.as_deref(), s.automatic)).collect::<Vec<_>>(),
            vec![("debt", Some("no"), true), ("outage", Some("no"), true)]);
        assert_eq!(run.current.as_ref().map(|n| n.id.as_str()), Some("lights"));
        let run = operator.script_step(run.id, &pick(0)).await.unwrap();
        assert_eq!(run.current.as_ref().map(|n| n.id.as_str()), Some("power"));
        let wrong = refused(operator.script_step(run.id, &pick(0)).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&wrong), vec![("answer".to_owned(), "invalid_value".to_owned())]);
        let run = operator.script_step(run.id, &ScriptStepInput { answer: None }).await.unwrap();
        let solved = operator.script_step(run.id, &pick(0)).await.unwrap();
        assert_eq!(solved.outcome, Some(ScriptOutcome::Solved { text: "Naprawione restartem.".into() }));
        assert!(solved.finished_at.is_some() && solved.current.is_none());
        refused(operator.script_step(solved.id, &pick(0)).await, 409, ErrorCode::ScriptRunFinished);

        // Open a ticket: the leaf's department, priority and category; the path goes with it.
        let run = operator.start_script_run(customer, &start).await.unwrap();
        let run = operator.script_step(run.id, &pick(0)).await.unwrap();
        let run = operator.script_step(run.id, &ScriptStepInput::default()).await.unwrap();
        let leaf = operator.script_step(run.id, &pick(1)).await.unwrap();
        let Some(ScriptOutcome::OpenTicket { department, priority, category }) = leaf.outcome.clone() else { panic!("{leaf:?}") };
        assert_eq!((department.as_str(), priority, category), ("technical_support", TicketPriority::High, TicketCategory::NoConnection));
        let ticket = operator.open_ticket(&NewTicket {
            department: Some(department), priority: Some(priority), category, script_run_id: Some(leaf.id),
            ..fault(customer, "Modem nie działa po restarcie")
        }).await.unwrap();
        let walked = ticket.script_run.clone().unwrap();
        assert_eq!(walked.path.len(), 5);
        assert_eq!(walked.version, 1);
        assert_eq!(walked.ticket_id, Some(ticket.summary.id));
        let twice = refused(operator.open_ticket(&NewTicket { script_run_id: Some(leaf.id), ..fault(customer, "x") }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&twice), vec![("script_run_id".to_owned(), "not_allowed".to_owned())]);

        // Suspected outage; and with a ticket open, a later check answers "yes".
        let run = operator.start_script_run(customer, &start).await.unwrap();
        let run = operator.script_step(run.id, &pick(1)).await.unwrap();
        let suspect = operator.script_step(run.id, &pick(0)).await.unwrap();
        assert_eq!(suspect.outcome, Some(ScriptOutcome::SuspectedOutage { category: TicketCategory::NoConnection }));

        // A new version changes no recorded path.
        let mut edited = no_connection_script();
        edited.body.nodes[4].step = ScriptStep::Question { text: "Czy modem w ogóle świeci?".into(), answers: vec![answer("Nie", "power"), answer("Tak", "neighbours")] };
        let v2 = manager.update_script(script.summary.id, &edited).await.unwrap();
        assert_eq!(v2.summary.version, 2);
        let old = operator.script_run(leaf.id).await.unwrap();
        assert_eq!(old.version, 1);
        assert_eq!(old.path[2].prompt, "Czy dioda zasilania modemu świeci?");
        let v1 = operator.script_version(script.summary.id, 1).await.unwrap();
        assert_eq!(v1.body, no_connection_script().body);
        let fresh = operator.start_script_run(customer, &start).await.unwrap();
        assert_eq!(fresh.version, 2);
        assert_eq!(operator.customer_script_runs(customer).await.unwrap().len(), 4);

        // A broken tree names the node.
        let mut broken = no_connection_script();
        broken.body.nodes[5].step = ScriptStep::Instruction { text: "x".into(), next: "nowhere".into() };
        let problem = refused(manager.create_script(&broken).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), vec![("body.nodes[5].step.next".to_owned(), "unknown_reference".to_owned())]);
        refused(operator.create_script(&no_connection_script()).await, 403, ErrorCode::Forbidden);
    }

    async fn a_burst_in_one_building_is_one_outage_and_resolving_it_resolves_its_tickets(app) {
        // Five subscribers with services in ul. Świętokrzyska 30.
        let mut neighbours = Vec::new();
        for name in ["Pierwszy", "Drugi", "Trzeci", "Czwarty", "Piąty"] {
            neighbours.push(contract_in_force(app, name, "internet-300", None, None).await.customer_id);
        }
        let operator = app.as_role(Role::Operator).await;
        // Scattered: three buildings, then one building's faults hours apart.
        for (i, building) in ["7", "9", "11"].iter().enumerate() {
            let elsewhere = customer_at(&operator, &format!("Daleki{i}"), "ul. Długa", building).await;
            operator.open_ticket(&fault(elsewhere, "Brak internetu")).await.unwrap();
        }
        let lonely = customer_at(&operator, "Samotny", "ul. Boczna", "2").await;
        for _ in 0..3 {
            app.as_role(Role::Operator).await.open_ticket(&fault(lonely, "Znowu brak internetu")).await.unwrap();
            app.clock.advance(Duration::hours(2));
        }
        let operator = app.as_role(Role::Operator).await;
        assert!(operator.incidents(&IncidentQuery::default()).await.unwrap().is_empty());

        // A burst: three calls from ul. Długa 5 within minutes.
        let mut tickets = Vec::new();
        for customer in &neighbours[..3] {
            tickets.push(operator.open_ticket(&fault(*customer, "Brak internetu")).await.unwrap().summary.id);
            app.clock.advance(Duration::minutes(4));
        }
        let incidents = operator.incidents(&IncidentQuery::default()).await.unwrap();
        assert_eq!(incidents.len(), 1);
        let incident = &incidents[0];
        assert_eq!((incident.status, incident.ticket_count, incident.detected), (IncidentStatus::Proposed, 3, true));
        assert_eq!(incident.area, "ul. Świętokrzyska 30, 00-116 Warszawa");
        // The fourth neighbour's card shows it before anyone asks.
        let banner = operator.customer_outages(neighbours[3]).await.unwrap();
        assert_eq!(banner.iter().map(|o| o.incident_id).collect::<Vec<_>>(), vec![incident.id]);
        assert!(operator.customer_outages(lonely).await.unwrap().is_empty());

        let technician = app.as_role(Role::Technician).await;
        refused(operator.confirm_incident(incident.id).await, 403, ErrorCode::Forbidden);
        let confirmed = technician.confirm_incident(incident.id).await.unwrap();
        assert_eq!(confirmed.incident.status, IncidentStatus::Open);
        assert_eq!(confirmed.affected.len(), 5);
        assert_eq!(confirmed.affected.iter().filter(|a| a.reported).count(), 3);
        assert_eq!(messages_of(app, neighbours[4], NotificationEvent::OutageDeclared).await, 2);
        refused(technician.confirm_incident(incident.id).await, 409, ErrorCode::IncidentClosed);

        // The script's check knows, and the fourth caller's ticket joins the incident.
        let fourth = operator.open_ticket(&fault(neighbours[3], "Też nie mam internetu")).await.unwrap();
        assert_eq!(fourth.summary.incident_id, Some(incident.id));

        let resolved = technician.resolve_incident(incident.id, &ResolveIncident { note: "Wymieniono przełącznik w piwnicy.".into() }).await.unwrap();
        assert_eq!(resolved.incident.status, IncidentStatus::Resolved);
        assert_eq!(resolved.tickets.len(), 4);
        assert!(resolved.tickets.iter().all(|t| t.status == TicketStatus::Resolved));
        let one = operator.ticket(tickets[0]).await.unwrap();
        let last = one.events.last().unwrap();
        assert_eq!((last.to_status, last.body.as_deref(), last.visible_to_customer),
            (Some(TicketStatus::Resolved), Some("Wymieniono przełącznik w piwnicy."), true));
        assert_eq!(messages_of(app, neighbours[4], NotificationEvent::OutageResolved).await, 2);
        assert!(operator.customer_outages(neighbours[3]).await.unwrap().is_empty());
        refused(technician.resolve_incident(incident.id, &ResolveIncident { note: "x".into() }).await, 409, ErrorCode::IncidentClosed);

        // A second burst after the resolution is a new incident.
        app.clock.advance(Duration::hours(3));
        let operator = app.as_role(Role::Operator).await;
        for customer in &neighbours[2..5] {
            operator.open_ticket(&fault(*customer, "Znowu nic")).await.unwrap();
        }
        let active = operator.incidents(&IncidentQuery { active: Some(true), ..Default::default() }).await.unwrap();
        assert_eq!(active.len(), 1);
        assert_ne!(active[0].id, incident.id);
        assert_eq!(active[0].ticket_count, 3);
        assert_eq!(app.run_jobs().await.outages_detected, 0);
    }

    async fn one_slot_takes_one_visit_even_booked_twice_at_once(app) {
        let admin = app.as_role(Role::Admin).await;
        let technician_id = admin.users(&UserQuery { role: Some(Role::Technician), ..Default::default() }).await.unwrap().items[0].id;
        let technician = app.as_role(Role::Technician).await;
        let tomorrow = local_today(app) + Duration::days(1);
        let slots = technician.add_technician_slots(&NewSlots {
            technician_id,
            slots: vec![
                SlotTimes { starts_at: warsaw(tomorrow, 9, 0), ends_at: warsaw(tomorrow, 11, 0) },
                SlotTimes { starts_at: warsaw(tomorrow, 11, 0), ends_at: warsaw(tomorrow, 13, 0) },
            ],
        }).await.unwrap();
        assert_eq!(slots.len(), 2);
        let overlap = refused(technician.add_technician_slots(&NewSlots {
            technician_id,
            slots: vec![SlotTimes { starts_at: warsaw(tomorrow, 10, 0), ends_at: warsaw(tomorrow, 12, 0) }],
        }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&overlap), vec![("slots[0].starts_at".to_owned(), "taken".to_owned())]);
        let not_technician = refused(technician.add_technician_slots(&NewSlots {
            technician_id: admin.users(&UserQuery { role: Some(Role::Operator), ..Default::default() }).await.unwrap().items[0].id,
            slots: vec![SlotTimes { starts_at: warsaw(tomorrow, 15, 0), ends_at: warsaw(tomorrow, 14, 0) }],
        }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&not_technician).len(), 2);

        let operator = app.as_role(Role::Operator).await;
        let (a, b) = (
            customer_at(&operator, "Wizytowy", "ul. Ogrodowa", "1").await,
            customer_at(&operator, "Szybszy", "ul. Ogrodowa", "3").await,
        );
        let first = operator.open_ticket(&fault(a, "Router")).await.unwrap().summary.id;
        let second = operator.open_ticket(&fault(b, "Router")).await.unwrap().summary.id;
        let booking = BookVisit { slot_id: slots[0].id, note: None };
        let agent = app.as_role(Role::Agent).await;
        let (one, two) = tokio::join!(operator.book_visit(first, &booking), agent.book_visit(second, &booking));
        let (won, lost) = match (one, two) {
            (Ok(visit), other) | (other, Ok(visit)) => (visit, other),
            (Err(a), Err(b)) => panic!("both refused: {a:?} {b:?}"),
        };
        refused(lost, 409, ErrorCode::SlotTaken);
        assert_eq!(won.status, VisitStatus::Booked);
        let booked = operator.ticket(won.ticket_id).await.unwrap();
        assert_eq!(booked.summary.status, TicketStatus::WaitingForVisit);
        assert_eq!(messages_of(app, booked.summary.customer_id, NotificationEvent::VisitBooked).await, 2);
        let listed = operator.technician_slots(&okno_api_types::tickets::SlotQuery { free: Some(true), ..Default::default() }).await.unwrap();
        assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), vec![slots[1].id]);

        // The day plan and the outcome: resolved resolves the ticket.
        let plan = technician.visits(&okno_api_types::tickets::VisitQuery { technician_id: Some(technician_id), day: Some(tomorrow) }).await.unwrap();
        assert_eq!(plan.iter().map(|v| v.id).collect::<Vec<_>>(), vec![won.id]);
        advance_to(app, warsaw(tomorrow, 10, 30));
        let (operator, technician) = (app.as_role(Role::Operator).await, app.as_role(Role::Technician).await);
        let routed_needs = refused(technician.report_visit(won.id, &VisitReport { outcome: VisitOutcome::Routed, note: "x".into(), department: None }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&routed_needs), vec![("department".to_owned(), "required".to_owned())]);
        let done = technician.report_visit(won.id, &VisitReport { outcome: VisitOutcome::Resolved, note: "Wymieniono zasilacz.".into(), department: None }).await.unwrap();
        assert_eq!((done.status, done.outcome), (VisitStatus::Done, Some(VisitOutcome::Resolved)));
        assert_eq!(operator.ticket(won.ticket_id).await.unwrap().summary.status, TicketStatus::Resolved);
        refused(technician.report_visit(won.id, &VisitReport { outcome: VisitOutcome::Resolved, note: "x".into(), department: None }).await, 409, ErrorCode::IllegalTransition);
    }

    async fn a_subscriber_reports_follows_and_books_and_sees_only_what_is_theirs(app) {
        let operator = app.as_role(Role::Operator).await;
        let mine = customer_at(&operator, "Abonent", "ul. Lipowa", "4").await;
        let other = customer_at(&operator, "Sąsiad", "ul. Lipowa", "6").await;
        let me = subscriber(app, mine).await;
        let reported = me.report_my_fault(&CabinetTicket {
            category: TicketCategory::Tv, title: "Brak sygnału TV".into(), description: "Od wczoraj czarny ekran.".into(), subscription_id: None,
        }).await.unwrap();
        assert_eq!(reported.status, TicketStatus::New);
        let staff_view = operator.ticket(reported.id).await.unwrap();
        assert_eq!((staff_view.summary.source, staff_view.summary.department.as_str()), (okno_api_types::tickets::TicketSource::Cabinet, "technical_support"));
        assert_eq!(staff_view.summary.service_address.as_deref(), Some("ul. Lipowa 4, 00-950 Warszawa"));

        operator.comment_ticket(reported.id, &NewTicketComment { body: "Klient trudny".into(), visible_to_customer: false }).await.unwrap();
        operator.change_ticket_status(reported.id, &TicketStatusChange { status: TicketStatus::WaitingForCustomer, note: Some("Czy dekoder świeci?".into()), visible_to_customer: true }).await.unwrap();
        let seen = me.my_ticket(reported.id).await.unwrap();
        let bodies: Vec<Option<&str>> = seen.events.iter().map(|e| e.body.as_deref()).collect();
        assert!(!bodies.contains(&Some("Klient trudny")));
        assert!(bodies.contains(&Some("Czy dekoder świeci?")));
        // The answer sets the ticket going again.
        let answered = me.comment_my_ticket(reported.id, &CabinetComment { body: "Świeci na czerwono.".into() }).await.unwrap();
        assert_eq!(answered.status, TicketStatus::InProgress);

        // Files: the customer's are theirs to see; an internal one is not.
        let photo = me.attach_to_my_ticket(reported.id, &NewAttachment { file_name: "dekoder.png".into(), content_type: "image/png".into(), content_base64: "iVBORw0KGgo=".into(), visible_to_customer: false }).await.unwrap();
        assert!(photo.visible_to_customer);
        assert_eq!(me.my_attachment(reported.id, photo.id).await.unwrap(), vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        let internal = operator.attach_to_ticket(reported.id, &NewAttachment { file_name: "log.txt".into(), content_type: "text/plain".into(), content_base64: "bG9n".into(), visible_to_customer: false }).await.unwrap();
        refused(me.my_attachment(reported.id, internal.id).await, 404, ErrorCode::AttachmentNotFound);
        let big = "A".repeat(1_500_000);
        // 1.1 MiB once decoded: the body is taken, the file is not.
        let too_big = refused(me.attach_to_my_ticket(reported.id, &NewAttachment { file_name: "big.png".into(), content_type: "image/png".into(), content_base64: big, visible_to_customer: false }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&too_big), vec![("content_base64".to_owned(), "too_long".to_owned())]);
        let exe = refused(me.attach_to_my_ticket(reported.id, &NewAttachment { file_name: "x.exe".into(), content_type: "application/x-msdownload".into(), content_base64: "TVo=".into(), visible_to_customer: false }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&exe), vec![("content_type".to_owned(), "invalid_value".to_owned())]);

        // Someone else's ticket does not exist for this subscriber.
        let theirs = operator.open_ticket(&fault(other, "Cudzy")).await.unwrap().summary.id;
        refused(me.my_ticket(theirs).await, 404, ErrorCode::TicketNotFound);
        refused(me.comment_my_ticket(theirs, &CabinetComment { body: "x".into() }).await, 404, ErrorCode::TicketNotFound);
        refused(me.book_my_visit(theirs, &CabinetVisit { slot_id: 1 }).await, 404, ErrorCode::TicketNotFound);
        assert_eq!(me.my_tickets().await.unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), vec![reported.id]);
        refused(me.tickets(&TicketQuery::default()).await, 403, ErrorCode::Forbidden);

        // Booking a technician from the cabinet.
        let admin = app.as_role(Role::Admin).await;
        let technician_id = admin.users(&UserQuery { role: Some(Role::Technician), ..Default::default() }).await.unwrap().items[0].id;
        let day = local_today(app) + Duration::days(2);
        app.as_role(Role::Technician).await.add_technician_slots(&NewSlots {
            technician_id,
            slots: vec![SlotTimes { starts_at: warsaw(day, 12, 0), ends_at: warsaw(day, 14, 0) }],
        }).await.unwrap();
        let free = me.my_visit_slots().await.unwrap();
        assert_eq!(free.len(), 1);
        let visit = me.book_my_visit(reported.id, &CabinetVisit { slot_id: free[0].slot_id }).await.unwrap();
        assert_eq!((visit.status, visit.starts_at), (VisitStatus::Booked, warsaw(day, 12, 0)));
        assert!(me.my_visit_slots().await.unwrap().is_empty());
        assert_eq!(me.my_ticket(reported.id).await.unwrap().status, TicketStatus::WaitingForVisit);
    }
}
