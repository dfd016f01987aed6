//! The outbox at work: an address the mail server refuses is flagged and held back
//! until staff clear it; contracts ending and prepaid balances running low are announced by
//! the scheduled jobs, once each.

use chrono::Duration;
use okno_api_types::customers::{CustomerPatch, EmailEntry, GrantConsent};
use okno_api_types::notifications::{
    EmailBounceQuery, Message, MessageChannel, MessageQuery, MessageStatus, NewEmailBounce,
    NotificationEvent, SuppressionReason,
};
use okno_api_types::{Channel, ConsentPurpose, ErrorCode, Language};
use okno_client::Client;
use okno_domain::access::Role;
use okno_domain::billing::EntryKind;
use okno_domain::format;
use okno_e2e::{TestApp, both_backends, field_errors, refused};

use crate::billing::advance_to;
use crate::contracts::contract_in_force;
use crate::payments::transfer;

async fn messages(client: &Client, customer_id: i64, event: NotificationEvent) -> Vec<Message> {
    client
        .messages(&MessageQuery {
            customer_id: Some(customer_id),
            event: Some(event),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
}

async fn with_email(agent: &Client, customer_id: i64, address: &str) {
    let version = agent.customer(customer_id).await.unwrap().version;
    agent
        .update_customer(
            customer_id,
            &CustomerPatch {
                version,
                emails: Some(vec![EmailEntry {
                    value: address.into(),
                    label: None,
                }]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
}

async fn consent_to_email(agent: &Client, customer_id: i64) {
    agent
        .grant_consent(
            customer_id,
            &GrantConsent {
                purpose: ConsentPurpose::ElectronicCorrespondence,
                channel: Channel::Visit,
                note: None,
            },
        )
        .await
        .unwrap();
}

async fn a_refused_address_is_flagged_and_held_back_until_cleared(backend: okno_e2e::Backend) {
    let sink = okno_e2e::mail::SmtpSink::start();
    let url = sink.url();
    let Some(app) = TestApp::spawn_with(backend, move |settings| {
        settings.notifications.smtp_url = Some(url);
    })
    .await
    else {
        return;
    };
    let agent = app.as_role(Role::Agent).await;
    let finance = app.as_role(Role::Finance).await;
    let customer = contract_in_force(&app, "Odbita", "internet-300", None, None)
        .await
        .customer_id;
    with_email(&agent, customer, "Nobody.Home@example.pl").await;
    consent_to_email(&agent, customer).await;
    finance
        .register_payment(&transfer(customer, 1_000), None)
        .await
        .unwrap();

    // The mail server answers 550 5.1.1: the message fails at once, the address is flagged.
    let report = app.deliver().await;
    assert_eq!((report.sent, report.retried, report.failed), (0, 0, 1));
    let failed = messages(&agent, customer, NotificationEvent::PaymentReceived).await;
    let failed = failed
        .iter()
        .find(|m| m.channel == MessageChannel::Email)
        .unwrap();
    assert_eq!((failed.status, failed.attempts), (MessageStatus::Failed, 1));
    assert!(
        failed.last_error.as_deref().unwrap_or("").contains("550"),
        "{failed:?}"
    );
    let bounces = agent
        .email_bounces(&EmailBounceQuery::default())
        .await
        .unwrap();
    assert_eq!(bounces.len(), 1);
    assert_eq!(bounces[0].address, "nobody.home@example.pl");
    assert_eq!(bounces[0].message_id, Some(failed.id));
    assert!(sink.received().is_empty());

    // The next e-mail to that address is not even tried.
    finance
        .register_payment(&transfer(customer, 2_000), None)
        .await
        .unwrap();
    let held = messages(&agent, customer, NotificationEvent::PaymentReceived).await;
    let held = held
        .iter()
        .find(|m| m.channel == MessageChannel::Email)
        .unwrap();
    assert_eq!(
        (held.status, held.suppressed_reason),
        (
            MessageStatus::Suppressed,
            Some(SuppressionReason::AddressBounces)
        )
    );

    // The customer gives a working address: it is not flagged, so e-mails go again.
    with_email(&agent, customer, "ewa.odbita@example.pl").await;
    finance
        .register_payment(&transfer(customer, 3_000), None)
        .await
        .unwrap();
    assert_eq!(app.deliver().await.sent, 1);
    assert_eq!(sink.received().len(), 1);

    // Staff clear the old address when the customer says it works again; a second clear is
    // a 404, and a cashier may not.
    refused(
        app.as_role(Role::Cashier)
            .await
            .clear_email_bounce("nobody.home@example.pl")
            .await,
        403,
        ErrorCode::Forbidden,
    );
    agent
        .clear_email_bounce("Nobody.Home@example.pl")
        .await
        .unwrap();
    refused(
        agent.clear_email_bounce("nobody.home@example.pl").await,
        404,
        ErrorCode::EmailBounceNotFound,
    );
    assert!(
        agent
            .email_bounces(&EmailBounceQuery::default())
            .await
            .unwrap()
            .is_empty()
    );

    // A bounce processor reports one; a malformed address is refused at its field.
    let reported = agent
        .report_email_bounce(&NewEmailBounce {
            address: "Gone@Example.pl".into(),
            reason: "mailbox closed".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (reported.address.as_str(), reported.message_id),
        ("gone@example.pl", None)
    );
    let problem = refused(
        agent
            .report_email_bounce(&NewEmailBounce {
                address: "not an address".into(),
                reason: "x".into(),
            })
            .await,
        422,
        ErrorCode::ValidationFailed,
    );
    assert_eq!(
        field_errors(&problem),
        [("address".to_owned(), "invalid_email".to_owned())]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_address_is_flagged_and_held_back_until_cleared_sqlite() {
    a_refused_address_is_flagged_and_held_back_until_cleared(okno_e2e::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_address_is_flagged_and_held_back_until_cleared_postgres() {
    a_refused_address_is_flagged_and_held_back_until_cleared(okno_e2e::Backend::Postgres).await;
}

/// Puts `minor` on the customer's account, as a balance carried over from an old system.
async fn opening_balance(app: &TestApp, customer: i64, minor: i64) {
    let (today, now) = (app.today(), okno_server::time::to_db(app.state.now()));
    app.state
        .run(move |conn| {
            okno_db::invoices::AccountEntryRecord::insert_all(
                conn,
                vec![okno_db::invoices::NewAccountEntryRow {
                    booked_on: today,
                    ..okno_db::invoices::NewAccountEntryRow::new(
                        customer,
                        EntryKind::OpeningBalance,
                        now,
                        minor,
                        "PLN".into(),
                        "saldo z poprzedniego systemu".into(),
                    )
                }],
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

both_backends! {
    async fn a_fixed_term_is_announced_thirty_days_ahead_once_per_last_day(app) {
        let agent = app.as_role(Role::Agent).await;
        let ends = app.today() + Duration::days(40);
        let contract = contract_in_force(app, "Terminowa", "internet-300", None, Some(ends)).await;
        let customer = contract.customer_id;
        assert_eq!(app.run_jobs().await.reminders, 0, "40 days ahead: not yet");
        assert!(messages(&agent, customer, NotificationEvent::ContractEnding).await.is_empty());

        advance_to(app, ends - Duration::days(30));
        app.run_jobs().await;
        let agent = app.as_role(Role::Agent).await;
        let told = messages(&agent, customer, NotificationEvent::ContractEnding).await;
        let sms_off = told.iter().all(|m| m.channel == MessageChannel::Email);
        assert!(sms_off, "contract endings go by e-mail unless chosen: {told:?}");
        assert_eq!(told.len(), 1);
        let email = &told[0];
        assert_eq!(email.status, MessageStatus::Suppressed, "no e-mail consent yet");
        assert_eq!(email.language, Language::Pl);
        let day = format::date(ends, Language::Pl);
        assert_eq!(email.subject.as_deref(), Some(format!("Umowa {} kończy się {day}", contract.number).as_str()));

        // Again the next day: the same last day is not announced twice.
        advance_to(app, ends - Duration::days(29));
        app.run_jobs().await;
        let agent = app.as_role(Role::Agent).await;
        assert_eq!(messages(&agent, customer, NotificationEvent::ContractEnding).await.len(), 1);
    }

    async fn a_prepaid_customer_is_warned_before_the_balance_runs_out_and_told_when_it_did(app) {
        let agent = app.as_role(Role::Agent).await;
        let contract = contract_in_force(app, "Przedpłacona", "internet-prepaid", None, None).await;
        let customer = contract.customer_id;
        let today = app.today();
        let charge = |day: chrono::NaiveDate| okno_domain::billing::prepaid::day_charge(3_999, 2300, day).gross_minor;
        // Today and two more days paid for, not a third.
        let balance = charge(today) + charge(today + Duration::days(1)) + charge(today + Duration::days(2)) + 1;
        opening_balance(app, customer, balance).await;
        app.run_jobs().await;
        let low = messages(&agent, customer, NotificationEvent::PrepaidLow).await;
        let sms = low.iter().find(|m| m.channel == MessageChannel::Sms).unwrap();
        assert_eq!((sms.status, sms.recipient.as_deref()), (MessageStatus::Pending, Some("+48777888999")));
        let last = format::date(today + Duration::days(2), Language::Pl);
        let left = format::money(balance - charge(today), "PLN", Language::Pl);
        assert!(sms.body.contains(&format!("na koncie {left}, wystarczy do {last}")), "{}", sms.body);

        // The job runs on: no second warning of the same day.
        app.run_jobs().await;
        advance_to(app, today + Duration::days(1));
        app.run_jobs().await;
        let agent = app.as_role(Role::Agent).await;
        assert_eq!(messages(&agent, customer, NotificationEvent::PrepaidLow).await.len(), low.len());
        assert!(messages(&agent, customer, NotificationEvent::PrepaidRunOut).await.is_empty());

        // The balance does not cover the third day: paused, and the customer is told, once.
        advance_to(app, today + Duration::days(3));
        assert_eq!(app.run_jobs().await.paused_for_debt, 1);
        app.run_jobs().await;
        let agent = app.as_role(Role::Agent).await;
        let out = messages(&agent, customer, NotificationEvent::PrepaidRunOut).await;
        let sms = out.iter().filter(|m| m.channel == MessageChannel::Sms).collect::<Vec<_>>();
        assert_eq!(sms.len(), 1);
        assert!(sms[0].body.contains("usługi wstrzymane"), "{}", sms[0].body);
        assert_eq!(messages(&agent, customer, NotificationEvent::PrepaidLow).await.len(), low.len(), "no warning for a paused service");
    }
}
