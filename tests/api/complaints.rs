//! Complaints (R-40..R-46): deadlines fixed on receipt, the clock deciding by itself exactly
//! once, compensation by correction notes, the four-eyes rule, the cabinet, the monitoring.

use chrono::{Duration, Months, NaiveDate, TimeZone};
use okno_api_types::ErrorCode;
use okno_api_types::billing::{Invoice, InvoiceKind, InvoiceQuery};
use okno_api_types::complaints::{
    CabinetComplaint, CompensationPreviewQuery, Complaint, ComplaintExportQuery, ComplaintOutcome,
    ComplaintQuery, ComplaintStatus, DecideComplaint, DueFilter, MeasureDone, MonitoringQuery,
    NewComplaint, NewPreventiveMeasure, ReviewProposal,
};
use okno_api_types::contracts::DocumentKind;
use okno_api_types::notifications::{MessageQuery, NotificationEvent};
use okno_client::Client;
use okno_domain::access::Role;
use okno_domain::complaints::{
    Calendar, ComplaintChannel, Deadlines, Jurisdiction, Profile, Received,
};
use okno_e2e::{Backend, TestApp, both_backends, field_errors, refused};

use crate::online_payments::invoiced_subscribers;

const WARSAW: chrono_tz::Tz = chrono_tz::Europe::Warsaw;

/// Today in the operator's time zone, where complaint deadlines count.
fn local_today(app: &TestApp) -> NaiveDate {
    app.state.now().with_timezone(&WARSAW).date_naive()
}

/// Moves the clock to 10:00 of `day` in Warsaw (never back).
fn advance_to_local(app: &TestApp, day: NaiveDate) {
    let target = WARSAW
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&chrono::Utc);
    let now = app.state.now();
    if target > now {
        app.clock.advance(target - now);
    }
}

/// The subscriber signed in again (tokens expire while the clock moves on).
async fn subscriber_again(app: &TestApp, customer_id: i64) -> Client {
    let staff = app.as_role(Role::Agent).await;
    let account = staff.customer(customer_id).await.unwrap().account_number;
    let tokens = app
        .client
        .login(&okno_api_types::auth::LoginRequest {
            username: account,
            password: "haslo-abonenta".into(),
            realm: okno_api_types::auth::Realm::Subscriber,
        })
        .await
        .unwrap();
    app.client.with_token(&tokens.access_token)
}

fn claim(customer_id: i64, invoice_ids: Vec<i64>, amount: Option<i64>) -> NewComplaint {
    NewComplaint {
        customer_id,
        channel: ComplaintChannel::Phone,
        received_at: None,
        subject: "Brak internetu przez 3 dni".into(),
        description: "Od poniedziałku nie działa internet; proszę o zwrot za te dni.".into(),
        concerns_from: None,
        concerns_until: None,
        invoice_ids,
        amount_claimed_minor: amount,
        refund_demanded: false,
        topic_id: None,
        acknowledge_now: false,
    }
}

async fn first_invoice(client: &Client, customer_id: i64) -> Invoice {
    let page = client
        .invoices(&InvoiceQuery {
            customer_id: Some(customer_id),
            kind: Some(InvoiceKind::Invoice),
            ..Default::default()
        })
        .await
        .unwrap();
    client.invoice(page.items[0].id).await.unwrap()
}

async fn corrections_of(client: &Client, customer_id: i64) -> Vec<Invoice> {
    let page = client
        .invoices(&InvoiceQuery {
            customer_id: Some(customer_id),
            kind: Some(InvoiceKind::Correction),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut notes = Vec::new();
    for note in page.items {
        notes.push(client.invoice(note.id).await.unwrap());
    }
    notes
}

fn kinds(complaint: &Complaint) -> Vec<&str> {
    complaint.events.iter().map(|e| e.kind.as_str()).collect()
}

/// An invoice as issued: what a complaint must never change.
fn as_issued(invoice: &Invoice) -> (i64, i64, i64, String) {
    (
        invoice.net_minor,
        invoice.vat_minor,
        invoice.gross_minor,
        serde_json::to_string(&invoice.lines).unwrap(),
    )
}

both_backends! {
    async fn a_complaint_gets_a_gapless_number_and_the_deadlines_of_the_law(app) {
        let subscribers = invoiced_subscribers(app, &["Reklamująca", "Sąsiednia"]).await;
        let ((customer, subscriber), (neighbour, neighbour_client)) =
            (&subscribers[0], &subscribers[1]);
        let agent = app.as_role(Role::Agent).await;
        let invoice = first_invoice(&agent, *customer).await;
        let neighbours_invoice = first_invoice(&agent, *neighbour).await;
        let today = local_today(app);
        let year = chrono::Datelike::year(&today);

        let first = agent
            .register_complaint(&claim(*customer, vec![invoice.id], Some(2_000)))
            .await
            .unwrap();
        let expected = Deadlines::of(
            &Profile::law(Jurisdiction::Pl),
            &Calendar::new(Jurisdiction::Pl, []),
            Received { on: today, channel: ComplaintChannel::Phone, refund_demanded: false, concerns_until: invoice.period_end },
        );
        assert_eq!(first.summary.number, format!("RK/{year}/000001"));
        assert_eq!(first.summary.status, ComplaintStatus::Registered);
        assert_eq!(first.summary.deadlines.decide_by, expected.decide_by);
        assert_eq!(first.summary.deadlines.acknowledge_by, expected.acknowledge_by);
        assert!((30..=35).contains(&(expected.decide_by - today).num_days()));
        assert_eq!(first.summary.deadlines.days_left, Some((expected.decide_by - today).num_days()));
        assert!(!first.summary.deadlines.time_barred);
        assert_eq!(first.invoices.len(), 1);
        assert_eq!(first.summary.currency, "PLN");
        assert!(first.documents.is_empty(), "receipt not confirmed yet");
        assert_eq!(kinds(&first), ["registered"]);

        // Wrong input is refused, naming the field; no number is used up by it.
        let mut bad = claim(*customer, vec![neighbours_invoice.id, invoice.id, invoice.id], Some(0));
        bad.received_at = Some(app.state.now() + Duration::hours(2));
        bad.concerns_from = Some(today);
        bad.concerns_until = Some(today - Duration::days(3));
        bad.subject = "  ".into();
        let problem = refused(agent.register_complaint(&bad).await, 422, ErrorCode::ValidationFailed);
        let mut fields: Vec<String> = field_errors(&problem).into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(
            fields,
            ["amount_claimed_minor", "concerns_until", "invoice_ids[0]", "invoice_ids[2]", "received_at", "subject"]
        );
        let mut unknown = claim(999_999, vec![], None);
        unknown.channel = ComplaintChannel::Letter;
        let problem = refused(agent.register_complaint(&unknown).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("customer_id".to_owned(), "unknown_reference".to_owned())]);

        // Made in person: confirmed at once, with its confirmation kept.
        let mut in_person = claim(*customer, vec![], None);
        in_person.channel = ComplaintChannel::InPerson;
        let second = agent.register_complaint(&in_person).await.unwrap();
        assert_eq!(second.summary.number, format!("RK/{year}/000002"));
        assert_eq!(second.summary.status, ComplaintStatus::Acknowledged);
        assert_eq!(second.summary.deadlines.acknowledge_by, today);
        assert_eq!(second.documents.len(), 1);
        assert_eq!(second.documents[0].document.kind, DocumentKind::ComplaintAcknowledgement);
        assert!(second.documents[0].to_print, "no e-mail consent: the confirmation is posted");
        let pdf = agent.document_pdf(&second.documents[0].document.pdf_url).await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));

        // The subscriber files one in the cabinet, about their own invoice only.
        let filed = CabinetComplaint {
            subject: "Za wysoka faktura".into(),
            description: "Naliczono abonament za dni bez usługi.".into(),
            concerns_from: None,
            concerns_until: None,
            invoice_ids: vec![invoice.id],
            amount_claimed_minor: Some(1_500),
            refund_demanded: false,
            topic_id: None,
        };
        let mine = subscriber.file_my_complaint(&filed).await.unwrap();
        assert_eq!(mine.summary.number, format!("RK/{year}/000003"));
        assert_eq!(mine.summary.channel, ComplaintChannel::Cabinet);
        assert_eq!(mine.summary.status, ComplaintStatus::Acknowledged);
        assert!(mine.events.is_empty(), "subscribers do not see the internal timeline");
        assert!(mine.documents[0].document.pdf_url.starts_with("/api/v1/me/documents/"));
        subscriber.document_pdf(&mine.documents[0].document.pdf_url).await.unwrap();
        assert_eq!(subscriber.my_complaints().await.unwrap().len(), 3);

        // Another subscriber learns nothing of it, and cannot complain of it.
        refused(neighbour_client.my_complaint(mine.summary.id).await, 404, ErrorCode::ComplaintNotFound);
        assert!(neighbour_client.my_complaints().await.unwrap().is_empty());
        let problem = refused(neighbour_client.file_my_complaint(&filed).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("invoice_ids[0]".to_owned(), "unknown_reference".to_owned())]);

        // The register lists what falls due by its day.
        let due = agent
            .complaints(&ComplaintQuery { due: Some(DueFilter::Today), ..Default::default() })
            .await
            .unwrap();
        assert!(due.items.is_empty(), "nothing falls due on the day it is received");
        let open = agent
            .complaints(&ComplaintQuery { customer_id: Some(*customer), open: Some(true), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(open.items.len(), 3);
        // A cashier reads complaints but does not decide them.
        let cashier = app.as_role(Role::Cashier).await;
        cashier.complaint(first.summary.id).await.unwrap();
        refused(
            cashier.decide_complaint(first.summary.id, &DecideComplaint {
                outcome: ComplaintOutcome::Rejected, granted_minor: None, reasoning: "no".into(),
            }).await,
            403,
            ErrorCode::Forbidden,
        );
    }

    async fn a_partial_acceptance_issues_a_correction_note_and_leaves_the_invoice_as_issued(app) {
        let (customer, _) = invoiced_subscribers(app, &["Częściowa"]).await.remove(0);
        let manager = app.as_role(Role::Manager).await;
        let invoice = first_invoice(&manager, customer).await;
        let before = as_issued(&invoice);
        let complaint = manager
            .register_complaint(&claim(customer, vec![invoice.id], Some(invoice.gross_minor)))
            .await
            .unwrap();
        let id = complaint.summary.id;

        let preview = manager
            .compensation_preview(id, &CompensationPreviewQuery { granted_minor: 1_000 })
            .await
            .unwrap();
        assert_eq!(preview.notes.len(), 1);
        assert_eq!(preview.notes[0].gross_minor, -1_000);
        assert_eq!(preview.credited_minor, 0);
        assert!(!preview.needs_approval);
        // More than the invoice holds: the rest is credited on the account.
        let over = manager
            .compensation_preview(id, &CompensationPreviewQuery { granted_minor: invoice.gross_minor + 500 })
            .await
            .unwrap();
        assert_eq!((over.notes[0].gross_minor, over.credited_minor), (-invoice.gross_minor, 500));

        // A partial acceptance needs its reasons and grants less than claimed.
        let problem = refused(
            manager.decide_complaint(id, &DecideComplaint {
                outcome: ComplaintOutcome::PartlyAccepted,
                granted_minor: Some(invoice.gross_minor),
                reasoning: String::new(),
            }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        let mut fields: Vec<String> = field_errors(&problem).into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(fields, ["granted_minor", "reasoning"]);

        let decided = manager
            .decide_complaint(id, &DecideComplaint {
                outcome: ComplaintOutcome::PartlyAccepted,
                granted_minor: Some(1_000),
                reasoning: "Usługa nie działała przez 3 dni z 30; zwracamy 10,00 zł.".into(),
            })
            .await
            .unwrap();
        assert_eq!(decided.summary.status, ComplaintStatus::Decided);
        let decision = decided.decision.clone().unwrap();
        assert_eq!((decision.outcome, decision.granted_minor), (ComplaintOutcome::PartlyAccepted, 1_000));
        let compensation = decided.compensation.clone().unwrap();
        assert_eq!((compensation.total_minor, compensation.credited_minor), (1_000, 0));
        assert_eq!(compensation.correction_notes.len(), 1);
        assert_eq!(compensation.correction_notes[0].corrects_invoice_id, invoice.id);
        assert_eq!(compensation.correction_notes[0].gross_minor, -1_000);
        assert_eq!(
            kinds(&decided),
            ["registered", "decided", "compensated", "answer_sent"]
        );
        let answer = decided.documents.iter().find(|d| d.document.kind == DocumentKind::ComplaintAnswer).unwrap();
        assert!(manager.document_pdf(&answer.document.pdf_url).await.unwrap().starts_with(b"%PDF-"));

        let notes = corrections_of(&manager, customer).await;
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].gross_minor, -1_000);
        assert!(notes[0].lines.iter().all(|l| l.net_minor < 0), "{:?}", notes[0].lines);
        assert_eq!(notes[0].corrects.as_ref().unwrap().id, invoice.id);
        let after = manager.invoice(invoice.id).await.unwrap();
        assert_eq!(as_issued(&after), before, "the invoice stays as issued");
        assert_eq!(after.corrections.len(), 1);

        // Decided once: a second decision is refused, and the clock leaves it alone.
        refused(
            manager.decide_complaint(id, &DecideComplaint {
                outcome: ComplaintOutcome::Rejected, granted_minor: None, reasoning: "x".into(),
            }).await,
            409,
            ErrorCode::ComplaintAlreadyDecided,
        );
        advance_to_local(app, complaint.summary.deadlines.decide_by + Duration::days(2));
        assert_eq!(app.run_jobs().await.complaints_deemed_accepted, 0);
        let manager = app.as_role(Role::Manager).await;
        assert_eq!(corrections_of(&manager, customer).await.len(), 1);

        // The answer went to the outbox (required by law), with the answer attached.
        let answered = manager
            .messages(&MessageQuery { customer_id: Some(customer), event: Some(NotificationEvent::ComplaintAnswered), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(answered.items.len(), 2, "by e-mail and by SMS: {:?}", answered.items);
    }

    async fn a_time_barred_claim_is_answered_but_not_granted(app) {
        let (customer, _) = invoiced_subscribers(app, &["Spóźniona"]).await.remove(0);
        let manager = app.as_role(Role::Manager).await;
        let today = local_today(app);
        let mut late = claim(customer, vec![], Some(5_000));
        late.concerns_from = Some(today.checked_sub_months(Months::new(14)).unwrap());
        late.concerns_until = Some(today.checked_sub_months(Months::new(13)).unwrap());
        let complaint = manager.register_complaint(&late).await.unwrap();
        assert!(complaint.summary.deadlines.time_barred);
        assert!(complaint.summary.deadlines.claim_until.unwrap() < today);
        let problem = refused(
            manager.decide_complaint(complaint.summary.id, &DecideComplaint {
                outcome: ComplaintOutcome::Accepted, granted_minor: None, reasoning: String::new(),
            }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&problem), [("outcome".to_owned(), "not_allowed".to_owned())]);

        // Left unanswered, the clock answers it as time-barred, granting nothing.
        advance_to_local(app, complaint.summary.deadlines.decide_by + Duration::days(1));
        let report = app.run_jobs().await;
        assert_eq!((report.complaints_time_barred, report.complaints_deemed_accepted), (1, 0));
        let manager = app.as_role(Role::Manager).await;
        let decided = manager.complaint(complaint.summary.id).await.unwrap();
        let decision = decided.decision.unwrap();
        assert_eq!((decision.outcome, decision.granted_minor), (ComplaintOutcome::TimeBarred, 0));
        assert!(decided.compensation.is_none());
        assert!(corrections_of(&manager, customer).await.is_empty());
    }

    async fn without_a_four_eyes_amount_one_person_decides(app) {
        let (customer, _) = invoiced_subscribers(app, &["Czterooka"]).await.remove(0);
        let manager = app.as_role(Role::Manager).await;
        let admin = app.as_role(Role::Admin).await;
        assert_eq!(admin.complaint_profile().await.unwrap().four_eyes_above_minor, None);
        let first = manager.register_complaint(&claim(customer, vec![], Some(8_000))).await.unwrap();
        let accept = DecideComplaint { outcome: ComplaintOutcome::Accepted, granted_minor: None, reasoning: String::new() };
        // This server has no four-eyes amount: the manager decides alone.
        let decided = manager.decide_complaint(first.summary.id, &accept).await.unwrap();
        assert_eq!(decided.summary.status, ComplaintStatus::Decided);
        assert_eq!(decided.compensation.unwrap().credited_minor, 8_000, "no invoice: credited on the account");
    }
}

/// The clock, two servers at once: an unanswered complaint is deemed accepted exactly once,
/// dated the day after its decide-by day, with its correction note, answer and timeline.
async fn the_clock_deems_an_unanswered_complaint_accepted_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (customer, _) = invoiced_subscribers(&app, &["Niecierpliwa"])
        .await
        .remove(0);
    let agent = app.as_role(Role::Agent).await;
    let invoice = first_invoice(&agent, customer).await;
    let before = as_issued(&invoice);
    let mut request = claim(customer, vec![invoice.id], Some(2_000));
    request.acknowledge_now = true;
    let complaint = agent.register_complaint(&request).await.unwrap();
    let decide_by = complaint.summary.deadlines.decide_by;
    assert_eq!(kinds(&complaint), ["registered", "acknowledged"]);

    assert_eq!(app.run_jobs().await.complaints_deemed_accepted, 0);
    advance_to_local(&app, decide_by);
    assert_eq!(
        app.run_jobs().await.complaints_deemed_accepted,
        0,
        "the last day is still on time"
    );
    let agent = app.as_role(Role::Agent).await;
    let due = agent
        .complaints(&ComplaintQuery {
            due: Some(DueFilter::Today),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(due.items.len(), 1);
    assert_eq!(due.items[0].deadlines.days_left, Some(0));

    // Two servers wake up the day after, at the same moment.
    advance_to_local(&app, decide_by + Duration::days(1));
    let (one, two) = tokio::join!(app.run_jobs(), app.run_jobs());
    assert_eq!(
        one.complaints_deemed_accepted + two.complaints_deemed_accepted,
        1
    );
    assert_eq!(one.complaints_failed + two.complaints_failed, 0);
    let agent = app.as_role(Role::Agent).await;
    let subscriber = subscriber_again(&app, customer).await;

    let decided = agent.complaint(complaint.summary.id).await.unwrap();
    let decision = decided.decision.clone().unwrap();
    assert_eq!(decision.outcome, ComplaintOutcome::DeemedAccepted);
    assert_eq!(decision.granted_minor, 2_000);
    assert_eq!(decision.decided_by, "system");
    let due_day = WARSAW
        .from_local_datetime(
            &(decide_by + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        )
        .earliest()
        .unwrap();
    assert_eq!(
        decision.decided_at,
        due_day.with_timezone(&chrono::Utc),
        "dated when it fell due"
    );
    assert_eq!(
        kinds(&decided),
        [
            "registered",
            "acknowledged",
            "decided",
            "compensated",
            "answer_sent"
        ]
    );
    let notes = corrections_of(&agent, customer).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].gross_minor, -2_000);
    assert_eq!(as_issued(&agent.invoice(invoice.id).await.unwrap()), before);
    let answers: Vec<_> = decided
        .documents
        .iter()
        .filter(|d| d.document.kind == DocumentKind::ComplaintAnswer)
        .collect();
    assert_eq!(answers.len(), 1);
    let pdf = subscriber
        .document_pdf(
            &answers[0]
                .document
                .pdf_url
                .replace("/api/v1/documents/", "/api/v1/me/documents/"),
        )
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let seen = subscriber.my_complaint(complaint.summary.id).await.unwrap();
    assert_eq!(
        seen.decision.unwrap().outcome,
        ComplaintOutcome::DeemedAccepted
    );

    // Again, and days later: nothing more.
    assert_eq!(app.run_jobs().await.complaints_deemed_accepted, 0);
    advance_to_local(&app, decide_by + Duration::days(5));
    assert_eq!(app.run_jobs().await.complaints_deemed_accepted, 0);
    let agent = app.as_role(Role::Agent).await;
    assert_eq!(corrections_of(&agent, customer).await.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_deems_an_unanswered_complaint_accepted_once_sqlite() {
    the_clock_deems_an_unanswered_complaint_accepted_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_deems_an_unanswered_complaint_accepted_once_postgres() {
    the_clock_deems_an_unanswered_complaint_accepted_once(Backend::Postgres).await;
}

/// Makes every correction note fail to be written, as a server killed between deciding and
/// compensating would leave its transaction; or takes that away.
async fn crash_on_correction(app: &TestApp, on: bool) {
    let sql: &'static str = match (app.backend, on) {
        (Backend::Postgres, true) => {
            "CREATE FUNCTION okno_test_crash() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'the server was killed'; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER okno_test_crash BEFORE INSERT ON invoices FOR EACH ROW \
             WHEN (NEW.kind = 'correction') EXECUTE FUNCTION okno_test_crash();"
        }
        (Backend::Postgres, false) => {
            "DROP TRIGGER okno_test_crash ON invoices; DROP FUNCTION okno_test_crash();"
        }
        (Backend::Sqlite, true) => {
            "CREATE TRIGGER okno_test_crash BEFORE INSERT ON invoices \
             WHEN NEW.kind = 'correction' BEGIN SELECT RAISE(ABORT, 'the server was killed'); END;"
        }
        (Backend::Sqlite, false) => "DROP TRIGGER okno_test_crash;",
    };
    app.state
        .run(move |conn| {
            diesel::connection::SimpleConnection::batch_execute(conn, sql)
                .map_err(|e| okno_server::error::ApiError::Internal(e.to_string()))
        })
        .await
        .unwrap();
}

/// A clock that dies between the decision and the compensation leaves nothing behind; the
/// next run decides the complaint once, with its note.
async fn a_clock_killed_halfway_leaves_nothing_and_the_next_run_decides_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (customer, _) = invoiced_subscribers(&app, &["Przerwana"]).await.remove(0);
    let agent = app.as_role(Role::Agent).await;
    let invoice = first_invoice(&agent, customer).await;
    let complaint = agent
        .register_complaint(&claim(customer, vec![invoice.id], Some(1_234)))
        .await
        .unwrap();
    advance_to_local(
        &app,
        complaint.summary.deadlines.decide_by + Duration::days(1),
    );
    let agent = app.as_role(Role::Agent).await;

    crash_on_correction(&app, true).await;
    let report = app.run_jobs().await;
    assert_eq!(
        (report.complaints_deemed_accepted, report.complaints_failed),
        (0, 1)
    );
    let after_crash = agent.complaint(complaint.summary.id).await.unwrap();
    assert_eq!(after_crash.summary.status, ComplaintStatus::Registered);
    assert!(after_crash.decision.is_none() && after_crash.documents.is_empty());
    assert_eq!(kinds(&after_crash), ["registered", "clock_failed"]);
    assert!(corrections_of(&agent, customer).await.is_empty());
    let report = app.run_jobs().await;
    assert_eq!(report.complaints_failed, 1);
    assert_eq!(
        kinds(&agent.complaint(complaint.summary.id).await.unwrap()),
        ["registered", "clock_failed"],
        "the same failure is noted once"
    );

    crash_on_correction(&app, false).await;
    let report = app.run_jobs().await;
    assert_eq!(
        (report.complaints_deemed_accepted, report.complaints_failed),
        (1, 0)
    );
    let decided = agent.complaint(complaint.summary.id).await.unwrap();
    assert_eq!(
        kinds(&decided),
        [
            "registered",
            "clock_failed",
            "decided",
            "compensated",
            "answer_sent"
        ]
    );
    let notes = corrections_of(&agent, customer).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].gross_minor, -1_234);
    assert_eq!(app.run_jobs().await.complaints_deemed_accepted, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_killed_halfway_leaves_nothing_and_the_next_run_decides_once_sqlite() {
    a_clock_killed_halfway_leaves_nothing_and_the_next_run_decides_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_killed_halfway_leaves_nothing_and_the_next_run_decides_once_postgres() {
    a_clock_killed_halfway_leaves_nothing_and_the_next_run_decides_once(Backend::Postgres).await;
}

/// With a four-eyes amount of 50.00: above it a decision waits for another person.
async fn four_eyes(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |settings| {
        settings.complaints.profile.four_eyes_above_minor = Some(5_000);
    })
    .await
    else {
        return;
    };
    let (customer, _) = invoiced_subscribers(&app, &["Dwuosobowa"]).await.remove(0);
    let manager = app.as_role(Role::Manager).await;
    let admin = app.as_role(Role::Admin).await;
    assert_eq!(
        admin
            .complaint_profile()
            .await
            .unwrap()
            .four_eyes_above_minor,
        Some(5_000)
    );
    let big = manager
        .register_complaint(&claim(customer, vec![], Some(8_000)))
        .await
        .unwrap();
    let accept = DecideComplaint {
        outcome: ComplaintOutcome::Accepted,
        granted_minor: None,
        reasoning: String::new(),
    };
    let proposed = manager
        .decide_complaint(big.summary.id, &accept)
        .await
        .unwrap();
    assert_eq!(proposed.summary.status, ComplaintStatus::AwaitingApproval);
    assert_eq!(proposed.proposal.as_ref().unwrap().granted_minor, 8_000);
    assert!(proposed.compensation.is_none());
    refused(
        manager.decide_complaint(big.summary.id, &accept).await,
        409,
        ErrorCode::IllegalTransition,
    );
    let approve = ReviewProposal {
        approve: true,
        note: String::new(),
    };
    refused(
        manager
            .review_complaint_decision(big.summary.id, &approve)
            .await,
        403,
        ErrorCode::Forbidden,
    );
    let approved = admin
        .review_complaint_decision(big.summary.id, &approve)
        .await
        .unwrap();
    let decision = approved.decision.clone().unwrap();
    assert_eq!(approved.summary.status, ComplaintStatus::Decided);
    assert!(decision.approved_by.is_some());
    assert_ne!(
        decision.approved_by.as_deref(),
        Some(decision.decided_by.as_str())
    );
    assert_eq!(approved.compensation.unwrap().credited_minor, 8_000);
    assert!(approved.proposal.is_none());

    // Sent back, it is undecided again; below the amount one person decides.
    let second = manager
        .register_complaint(&claim(customer, vec![], Some(9_000)))
        .await
        .unwrap();
    manager
        .decide_complaint(second.summary.id, &accept)
        .await
        .unwrap();
    let back = admin
        .review_complaint_decision(
            second.summary.id,
            &ReviewProposal {
                approve: false,
                note: "Za dużo".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(back.summary.status, ComplaintStatus::Registered);
    assert_eq!(
        kinds(&back),
        ["registered", "proposed", "proposal_returned"]
    );
    let partly = manager
        .decide_complaint(
            second.summary.id,
            &DecideComplaint {
                outcome: ComplaintOutcome::PartlyAccepted,
                granted_minor: Some(5_000),
                reasoning: "Połowa".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(partly.summary.status, ComplaintStatus::Decided);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn above_the_four_eyes_amount_another_person_approves_sqlite() {
    four_eyes(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn above_the_four_eyes_amount_another_person_approves_postgres() {
    four_eyes(Backend::Postgres).await;
}

both_backends! {
    async fn repeats_topics_measures_and_the_register_as_csv(app) {
        let (customer, _) = invoiced_subscribers(app, &["Powracająca"]).await.remove(0);
        let manager = app.as_role(Role::Manager).await;
        let topic = manager.topics().await.unwrap()[0].clone();
        let mut about_topic = claim(customer, vec![], None);
        about_topic.topic_id = Some(topic.id);
        let first = manager.register_complaint(&about_topic).await.unwrap();
        assert!(!first.summary.repeat);
        let second = manager.register_complaint(&about_topic).await.unwrap();
        assert!(second.summary.repeat, "the same topic within 90 days");
        assert_eq!(second.repeat_of.as_ref().unwrap().id, first.summary.id);

        let report = manager.complaint_monitoring(&MonitoringQuery::default()).await.unwrap();
        let rating = report.topics.iter().find(|t| t.topic_id == Some(topic.id)).unwrap();
        assert_eq!((rating.count, rating.previous_count, rating.trend_percent), (2, 0, None));
        assert_eq!(report.repeats.len(), 1);
        assert_eq!(report.deadlines.later, 2);
        assert_eq!((report.decided, report.on_time_percent), (0, None));

        manager
            .decide_complaint(first.summary.id, &DecideComplaint {
                outcome: ComplaintOutcome::Rejected,
                granted_minor: None,
                reasoning: "Awaria po stronie klienta.".into(),
            })
            .await
            .unwrap();
        let report = manager.complaint_monitoring(&MonitoringQuery::default()).await.unwrap();
        assert_eq!((report.decided, report.decided_on_time, report.on_time_percent), (1, 1, Some(100)));

        let measure = manager
            .add_preventive_measure(&NewPreventiveMeasure {
                topic_id: topic.id,
                description: "Wymiana przełącznika w budynku".into(),
                owner: "Dział techniczny".into(),
                due_on: local_today(app) + Duration::days(14),
            })
            .await
            .unwrap();
        let done = manager
            .mark_preventive_measure(measure.id, &MeasureDone { done_on: Some(local_today(app)) })
            .await
            .unwrap();
        assert_eq!(done.done_on, Some(local_today(app)));
        refused(
            manager.mark_preventive_measure(999_999, &MeasureDone { done_on: None }).await,
            404,
            ErrorCode::MeasureNotFound,
        );
        refused(
            app.as_role(Role::Agent).await.add_preventive_measure(&NewPreventiveMeasure {
                topic_id: topic.id, description: "x".into(), owner: "y".into(), due_on: local_today(app),
            }).await,
            403,
            ErrorCode::Forbidden,
        );

        let csv = manager.export_complaints(&ComplaintExportQuery::default()).await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(lines[0].starts_with("number,received_at,channel"));
        assert!(lines[1].starts_with(&first.summary.number));
        assert!(lines[1].contains(",rejected,"));
    }
}
