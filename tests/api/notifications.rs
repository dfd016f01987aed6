//! Notifications: messages are written to the outbox with the change that causes
//! them, in the customer's language, once, and only where the customer's consents allow.

use okno_api_types::billing::InvoiceQuery;
use okno_api_types::customers::{CustomerPatch, GrantConsent, WithdrawConsent};
use okno_api_types::notifications::{
    Message, MessageChannel, MessageQuery, MessageStatus, NotificationEvent, SuppressionReason,
};
use okno_api_types::payments::NewPayment;
use okno_api_types::{Channel, ConsentPurpose, Language};
use okno_client::Client;
use okno_domain::access::Role;
use okno_domain::billing::Period;
use okno_domain::format;
use okno_e2e::both_backends;

use crate::billing::{advance_to, bill};
use crate::contracts::contract_in_force;
use crate::payments::transfer;

async fn messages_of(client: &Client, customer_id: i64) -> Vec<Message> {
    client
        .messages(&MessageQuery {
            customer_id: Some(customer_id),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
}

async fn consent_to_email(agent: &Client, customer_id: i64) -> i64 {
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
        .unwrap()
        .id
}

async fn change(agent: &Client, customer_id: i64, patch: CustomerPatch) {
    let version = agent.customer(customer_id).await.unwrap().version;
    agent
        .update_customer(customer_id, &CustomerPatch { version, ..patch })
        .await
        .unwrap();
}

both_backends! {
    async fn the_customer_chooses_what_they_are_told_but_cannot_switch_off_what_is_required(app) {
        let agent = app.as_role(Role::Agent).await;
        let finance = app.as_role(Role::Finance).await;
        let customer = contract_in_force(app, "Wybierająca", "internet-300", None, None).await.customer_id;
        let all = agent.notification_preferences(customer).await.unwrap();
        assert_eq!(all.len(), 26, "thirteen events by two channels");
        let of = |all: &[okno_api_types::notifications::NotificationPreference], event, channel| {
            all.iter().find(|p| p.event == event && p.channel == channel).cloned().unwrap()
        };
        let sms = of(&all, NotificationEvent::PaymentReceived, MessageChannel::Sms);
        assert_eq!((sms.enabled, sms.required, sms.chosen), (false, false, false));
        let reset = of(&all, NotificationEvent::PasswordReset, MessageChannel::Email);
        assert_eq!((reset.enabled, reset.required), (true, true));

        let change = |event, channel, enabled| okno_api_types::notifications::PreferenceChange { event, channel, enabled };
        let all = agent.set_notification_preference(customer, &change(NotificationEvent::PaymentReceived, MessageChannel::Sms, true)).await.unwrap();
        let sms = of(&all, NotificationEvent::PaymentReceived, MessageChannel::Sms);
        assert_eq!((sms.enabled, sms.chosen), (true, true));
        finance.register_payment(&transfer(customer, 999), None).await.unwrap();
        let sent = messages_of(&agent, customer).await;
        let sms = sent.iter().find(|m| m.channel == MessageChannel::Sms).unwrap();
        assert_eq!((sms.event, sms.status), (NotificationEvent::PaymentReceived, MessageStatus::Pending));

        let problem = okno_e2e::refused(
            agent.set_notification_preference(customer, &change(NotificationEvent::PasswordReset, MessageChannel::Email, false)).await,
            422,
            okno_api_types::ErrorCode::ValidationFailed,
        );
        assert_eq!(okno_e2e::field_errors(&problem), [("enabled".to_owned(), "invalid_value".to_owned())]);
        okno_e2e::refused(
            agent.set_notification_preference(i64::MAX, &change(NotificationEvent::PaymentReceived, MessageChannel::Sms, false)).await,
            404,
            okno_api_types::ErrorCode::CustomerNotFound,
        );

        // The subscriber switches payment e-mails off in the cabinet.
        let code = agent.issue_activation(customer).await.unwrap();
        let tokens = app.client.activate_cabinet(&okno_api_types::cabinet::ActivateRequest {
            account_number: code.account_number,
            activation_code: code.code,
            password: "haslo-abonenta".into(),
        }).await.unwrap();
        let subscriber = app.client.with_token(&tokens.access_token);
        let mine = subscriber.set_my_notification_preference(&change(NotificationEvent::PaymentReceived, MessageChannel::Email, false)).await.unwrap();
        assert!(!of(&mine, NotificationEvent::PaymentReceived, MessageChannel::Email).enabled);
        assert_eq!(subscriber.my_notification_preferences().await.unwrap(), mine);
        assert_eq!(agent.notification_preferences(customer).await.unwrap(), mine);
    }

    async fn an_issued_invoice_is_emailed_to_those_who_consented_and_shown_suppressed_for_the_rest(app) {
        let agent = app.as_role(Role::Agent).await;
        let polish = contract_in_force(app, "Zgodna", "internet-300", None, None).await.customer_id;
        let russian = contract_in_force(app, "Иванова", "internet-300", None, None).await.customer_id;
        let no_consent = contract_in_force(app, "Bezzgody", "internet-300", None, None).await.customer_id;
        let no_email = contract_in_force(app, "Bezmaila", "internet-300", None, None).await.customer_id;
        for customer in [polish, russian, no_email] {
            consent_to_email(&agent, customer).await;
        }
        change(&agent, russian, CustomerPatch { preferred_language: Some(Language::Ru), ..Default::default() }).await;
        change(&agent, no_email, CustomerPatch { emails: Some(vec![]), ..Default::default() }).await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day());
        bill(app, period).await;

        // A month on: signed in again.
        let agent = app.as_role(Role::Agent).await;
        let finance = app.as_role(Role::Finance).await;
        let invoice_of = |customer: i64| {
            let finance = finance.clone();
            async move {
                finance.invoices(&InvoiceQuery { customer_id: Some(customer), ..Default::default() })
                    .await.unwrap().items.remove(0)
            }
        };
        let email = agent.customer(polish).await.unwrap().emails[0].value.clone();

        let invoice = invoice_of(polish).await;
        let sent = messages_of(&agent, polish).await;
        assert_eq!(sent.len(), 1, "one e-mail, no SMS (invoice SMS are off unless chosen): {sent:?}");
        let message = &sent[0];
        assert_eq!((message.event, message.channel, message.status), (NotificationEvent::InvoiceIssued, MessageChannel::Email, MessageStatus::Pending));
        assert_eq!(message.recipient.as_deref(), Some(email.as_str()));
        let month = format::month(period.year(), period.month(), Language::Pl);
        assert_eq!(message.subject.as_deref(), Some(format!("Faktura {} za {month}", invoice.number).as_str()));
        assert!(message.body.contains(&format::money(invoice.gross_minor, "PLN", Language::Pl)), "{}", message.body);
        assert!(message.body.contains("Okno Telecom"), "{}", message.body);

        let invoice = invoice_of(russian).await;
        let sent = messages_of(&agent, russian).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].language, Language::Ru);
        let month = format::month(period.year(), period.month(), Language::Ru);
        assert_eq!(sent[0].subject.as_deref(), Some(format!("Счёт {} за {month}", invoice.number).as_str()));
        assert!(sent[0].body.contains("подлежит оплате до"), "{}", sent[0].body);

        let sent = messages_of(&agent, no_consent).await;
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].status, sent[0].suppressed_reason), (MessageStatus::Suppressed, Some(SuppressionReason::NoElectronicConsent)));

        let sent = messages_of(&agent, no_email).await;
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].status, sent[0].suppressed_reason, sent[0].recipient.as_deref()), (MessageStatus::Suppressed, Some(SuppressionReason::NoAddress), None));
        // On the card's timeline too, with why it did not go.
        let timeline = agent.timeline(no_email, &okno_api_types::interactions::TimelineQuery::default()).await.unwrap();
        let shown = timeline.items.iter().find_map(|e| match &e.event {
            okno_api_types::interactions::TimelineEvent::Message { message_id, status, suppressed_reason, .. } => Some((*message_id, *status, *suppressed_reason)),
            _ => None,
        });
        assert_eq!(shown, Some((sent[0].id, MessageStatus::Suppressed, Some(SuppressionReason::NoAddress))));

        let pending = agent.messages(&MessageQuery { status: Some(MessageStatus::Pending), event: Some(NotificationEvent::InvoiceIssued), ..Default::default() }).await.unwrap().items;
        let mut to: Vec<i64> = pending.iter().map(|m| m.customer_id).collect();
        to.sort_unstable();
        assert_eq!(to, {
            let mut both = vec![polish, russian];
            both.sort_unstable();
            both
        });
    }

    async fn a_payment_is_acknowledged_once_and_a_withdrawn_consent_stops_what_waits(app) {
        let agent = app.as_role(Role::Agent).await;
        let finance = app.as_role(Role::Finance).await;
        let customer = contract_in_force(app, "Wpłacająca", "internet-300", None, None).await.customer_id;
        let consent = consent_to_email(&agent, customer).await;
        change(&agent, customer, CustomerPatch { preferred_language: Some(Language::En), ..Default::default() }).await;

        // The same payment sent twice (a lost answer): one payment, one message.
        let first = finance.register_payment(&transfer(customer, 12_345), Some("bank-1")).await.unwrap();
        let again = finance.register_payment(&transfer(customer, 12_345), Some("bank-1")).await.unwrap();
        assert_eq!(first.id, again.id);
        let sent = messages_of(&agent, customer).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!((sent[0].event, sent[0].status), (NotificationEvent::PaymentReceived, MessageStatus::Pending));
        assert_eq!(sent[0].subject.as_deref(), Some(format!("Payment received: {}", format::money(12_345, "PLN", Language::En)).as_str()));
        assert!(sent[0].body.contains("bank transfer"), "{}", sent[0].body);

        // A payment refused (another customer's invoice named) writes nothing.
        let refused = finance.register_payment(&NewPayment { invoice_id: Some(i64::MAX), ..transfer(customer, 100) }, None).await;
        assert!(refused.is_err());
        assert_eq!(messages_of(&agent, customer).await.len(), 1);

        agent.withdraw_consent(customer, consent, &WithdrawConsent { channel: Channel::Phone, note: None }).await.unwrap();
        let sent = messages_of(&agent, customer).await;
        assert_eq!((sent[0].status, sent[0].suppressed_reason), (MessageStatus::Suppressed, Some(SuppressionReason::ConsentWithdrawn)));

        finance.register_payment(&transfer(customer, 500), None).await.unwrap();
        let sent = messages_of(&agent, customer).await;
        assert_eq!(sent.len(), 2);
        assert_eq!((sent[0].status, sent[0].suppressed_reason), (MessageStatus::Suppressed, Some(SuppressionReason::NoElectronicConsent)));
    }
}

async fn an_invoice_email_arrives_with_its_pdf_in_the_customers_language(
    backend: okno_e2e::Backend,
) {
    let sink = okno_e2e::mail::SmtpSink::start();
    let url = sink.url();
    let Some(app) = okno_e2e::TestApp::spawn_with(backend, move |settings| {
        settings.notifications.smtp_url = Some(url);
    })
    .await
    else {
        return;
    };
    let agent = app.as_role(Role::Agent).await;
    let polish = contract_in_force(&app, "Żółkiewska", "internet-300", None, None)
        .await
        .customer_id;
    let russian = contract_in_force(&app, "Ёлкина", "internet-300", None, None)
        .await
        .customer_id;
    let silent = contract_in_force(&app, "Bezzgody", "internet-300", None, None)
        .await
        .customer_id;
    for customer in [polish, russian] {
        consent_to_email(&agent, customer).await;
    }
    change(
        &agent,
        russian,
        CustomerPatch {
            preferred_language: Some(Language::Ru),
            ..Default::default()
        },
    )
    .await;
    let period = Period::of(app.today());
    advance_to(&app, period.next().first_day());
    bill(&app, period).await;

    let report = app.deliver().await;
    assert_eq!((report.sent, report.retried, report.failed), (2, 0, 0));
    let mut received: Vec<okno_e2e::mail::Received> = sink
        .received()
        .iter()
        .map(|m| okno_e2e::mail::read(m))
        .collect();
    received.sort_by(|a, b| a.subject.cmp(&b.subject));
    assert_eq!(
        received.len(),
        2,
        "one e-mail per consenting customer, none to {silent}"
    );

    let finance = app.as_role(Role::Finance).await;
    let number_of = |customer: i64| {
        let finance = finance.clone();
        async move {
            finance
                .invoices(&InvoiceQuery {
                    customer_id: Some(customer),
                    ..Default::default()
                })
                .await
                .unwrap()
                .items
                .remove(0)
                .number
        }
    };
    let (polish_number, russian_number) = (number_of(polish).await, number_of(russian).await);
    let polish_mail = &received[0];
    let month = format::month(period.year(), period.month(), Language::Pl);
    assert_eq!(
        polish_mail.subject,
        format!("Faktura {polish_number} za {month}")
    );
    assert!(
        polish_mail
            .html
            .contains("Szanowni Państwo, Żółkiewska Ewa"),
        "{}",
        polish_mail.html
    );
    let russian_mail = &received[1];
    let month = format::month(period.year(), period.month(), Language::Ru);
    assert_eq!(
        russian_mail.subject,
        format!("Счёт {russian_number} за {month}")
    );
    assert!(
        russian_mail.html.contains("Уважаемый(ая) Ёлкина Ewa"),
        "{}",
        russian_mail.html
    );
    for (mail, number) in [
        (polish_mail, &polish_number),
        (russian_mail, &russian_number),
    ] {
        assert_eq!(mail.attachments.len(), 1);
        let (name, pdf) = &mail.attachments[0];
        assert_eq!(name, &format!("{}.pdf", number.replace('/', "-")));
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        assert!(
            mail.message_id.starts_with("<okno-") && mail.message_id.ends_with("@okno.example>"),
            "{}",
            mail.message_id
        );
    }
    let sent = agent_messages(&app, polish, MessageChannel::Email).await;
    assert_eq!((sent.status, sent.attempts), (MessageStatus::Sent, 1));
    // Nothing is due any more: a second pass sends nothing again.
    assert_eq!(app.deliver().await.sent, 0);
    assert_eq!(sink.received().len(), 2);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_email_arrives_with_its_pdf_in_the_customers_language_sqlite() {
    an_invoice_email_arrives_with_its_pdf_in_the_customers_language(okno_e2e::Backend::Sqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_email_arrives_with_its_pdf_in_the_customers_language_postgres() {
    an_invoice_email_arrives_with_its_pdf_in_the_customers_language(okno_e2e::Backend::Postgres)
        .await;
}

/// Moves the clock to the next `hour`:00 in Warsaw.
fn to_warsaw_hour(app: &okno_e2e::TestApp, hour: u32) {
    use chrono::TimeZone;
    let warsaw = chrono_tz::Europe::Warsaw;
    let now = app.state.now();
    let mut day = now.with_timezone(&warsaw).date_naive();
    loop {
        let target = warsaw
            .from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap())
            .single()
            .unwrap()
            .with_timezone(&chrono::Utc);
        if target > now {
            app.clock.advance(target - now);
            return;
        }
        day = day.succ_opt().unwrap();
    }
}

async fn an_sms_is_retried_waits_out_the_night_and_is_sent_once(backend: okno_e2e::Backend) {
    use chrono::Duration;
    let double = okno_e2e::sms::SmsapiDouble::start(2).await;
    let base = double.base.clone();
    let Some(app) = okno_e2e::TestApp::spawn_with(backend, move |settings| {
        settings.notifications.sms = okno_server::config::SmsSettings::Smsapi {
            token: "test-token".into(),
            sender: Some("Okno".into()),
            api_base: base,
        };
    })
    .await
    else {
        return;
    };
    let customer = contract_in_force(&app, "Esemesowa", "internet-300", None, None)
        .await
        .customer_id;
    // The customer chose SMS for payments, as the agent records.
    let agent = app.as_role(Role::Agent).await;
    agent
        .set_notification_preference(
            customer,
            &okno_api_types::notifications::PreferenceChange {
                event: NotificationEvent::PaymentReceived,
                channel: MessageChannel::Sms,
                enabled: true,
            },
        )
        .await
        .unwrap();

    // At 22:00 in Warsaw the SMS is written but waits for the morning.
    to_warsaw_hour(&app, 22);
    let finance = app.as_role(Role::Finance).await;
    finance
        .register_payment(&transfer(customer, 4_200), None)
        .await
        .unwrap();
    let sms = agent_messages(&app, customer, MessageChannel::Sms).await;
    assert_eq!(
        (sms.status, sms.recipient.as_deref()),
        (MessageStatus::Pending, Some("+48777888999"))
    );
    assert_eq!(app.deliver().await, Default::default(), "quiet hours");
    assert_eq!(double.requests(), 0);

    // At 8:00 it goes: the gateway fails twice, the third attempt is accepted.
    to_warsaw_hour(&app, 8);
    let first = app.deliver().await;
    assert_eq!((first.sent, first.retried), (0, 1));
    assert_eq!(
        app.deliver().await,
        Default::default(),
        "the retry waits its backoff"
    );
    app.clock.advance(Duration::seconds(60));
    assert_eq!(app.deliver().await.retried, 1);
    app.clock.advance(Duration::seconds(120));
    assert_eq!(app.deliver().await.sent, 1);
    let accepted = double.accepted();
    assert_eq!(accepted.len(), 1);
    let (idx, to, text) = &accepted[0];
    assert_eq!(to, "48777888999");
    assert!(
        text.contains(&format::money(4_200, "PLN", Language::Pl)),
        "{text}"
    );
    let sms = agent_messages(&app, customer, MessageChannel::Sms).await;
    assert_eq!((sms.status, sms.attempts), (MessageStatus::Sent, 3));

    // A worker that handed the SMS over and died before recording it: another takes it up
    // after the claim timeout and sends the same idx, which SMSAPI refuses as sent already.
    let id = sms.id;
    let stale = okno_server::time::to_db(app.state.now() - Duration::minutes(11));
    app.state
        .write(move |conn| {
            use diesel::prelude::*;
            use okno_db::schema::messages;
            diesel::update(messages::table.find(id))
                .set((
                    messages::status.eq("sending"),
                    messages::claimed_by.eq(Some("died")),
                    messages::claimed_at.eq(Some(stale)),
                ))
                .execute(conn)
                .map_err(okno_db::DbError::from)?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(app.deliver().await.sent, 1);
    assert_eq!(double.accepted().len(), 1, "one copy");
    assert!(double.accepted()[0].0 == *idx);
    assert_eq!(
        agent_messages(&app, customer, MessageChannel::Sms)
            .await
            .status,
        MessageStatus::Sent
    );

    // The gateway refuses every attempt at the next SMS: failed after the last one, shown
    // with the error; staff send it again and it goes.
    double.fail_next(okno_domain::notifications::MAX_ATTEMPTS as usize);
    let finance = app.as_role(Role::Finance).await;
    finance
        .register_payment(&transfer(customer, 1_500), None)
        .await
        .unwrap();
    let mut failed = None;
    for _ in 0..12 {
        app.deliver().await;
        let newest = agent_messages(&app, customer, MessageChannel::Sms).await;
        if newest.status == MessageStatus::Failed {
            failed = Some(newest);
            break;
        }
        app.clock.advance(Duration::minutes(20));
    }
    let failed = failed.unwrap();
    let agent = app.as_role(Role::Agent).await;
    assert_eq!(failed.attempts, 6);
    assert!(
        failed
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("after 6 attempts"),
        "{failed:?}"
    );
    let again = agent.resend_message(failed.id).await.unwrap();
    assert_eq!((again.status, again.attempts), (MessageStatus::Pending, 0));
    okno_e2e::refused(
        agent.resend_message(failed.id).await,
        409,
        okno_api_types::ErrorCode::IllegalTransition,
    );
    okno_e2e::refused(
        agent.resend_message(i64::MAX).await,
        404,
        okno_api_types::ErrorCode::MessageNotFound,
    );
    assert_eq!(app.deliver().await.sent, 1);
    let sent = agent_messages(&app, customer, MessageChannel::Sms).await;
    assert_eq!(
        (sent.id, sent.status, sent.attempts),
        (failed.id, MessageStatus::Sent, 1)
    );
    assert_eq!(double.accepted().len(), 2);
    double.stop().await;
    app.stop().await;
}

async fn agent_messages(
    app: &okno_e2e::TestApp,
    customer: i64,
    channel: MessageChannel,
) -> Message {
    let agent = app.as_role(Role::Agent).await;
    messages_of(&agent, customer)
        .await
        .into_iter()
        .find(|m| m.channel == channel)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_is_retried_waits_out_the_night_and_is_sent_once_sqlite() {
    an_sms_is_retried_waits_out_the_night_and_is_sent_once(okno_e2e::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_is_retried_waits_out_the_night_and_is_sent_once_postgres() {
    an_sms_is_retried_waits_out_the_night_and_is_sent_once(okno_e2e::Backend::Postgres).await;
}
