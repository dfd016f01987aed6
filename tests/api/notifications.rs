//! Notifications: messages are written to the outbox with the change that causes
//! them, in the customer's language, once, and only where the customer's consents allow.

use okno_api_types::billing::InvoiceQuery;
use okno_api_types::customers::{CustomerPatch, GrantConsent, WithdrawConsent};
use okno_api_types::notifications::{
    Message, MessageChannel, MessageQuery, MessageStatus, NotificationEvent, SuppressionReason,
};
use okno_api_types::payments::{NewPayment, PaymentMethod};
use okno_api_types::{Channel, ConsentPurpose, Language};
use okno_client::Client;
use okno_domain::access::Role;
use okno_domain::billing::Period;
use okno_domain::format;
use okno_e2e::both_backends;

use crate::billing::{advance_to, bill};
use crate::contracts::contract_in_force;

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

fn transfer(customer_id: i64, amount_minor: i64) -> NewPayment {
    NewPayment {
        customer_id: Some(customer_id),
        account_number: None,
        amount_minor,
        currency: "PLN".into(),
        method: PaymentMethod::Transfer,
        payer_reference: None,
        external_reference: None,
        invoice_id: None,
        received_at: None,
    }
}

both_backends! {
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
