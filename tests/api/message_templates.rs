//! The template editor: an administrator words a message, tries it on a real
//! customer, saves it only when it uses its event's values, and goes back to Okno's wording.

use okno_api_types::notifications::{
    MessageChannel, MessageQuery, NotificationEvent, PreferenceChange, TemplateChange,
    TemplatePreviewRequest,
};
use okno_api_types::{ErrorCode, Language};
use okno_domain::access::Role;
use okno_domain::format;
use okno_e2e::{both_backends, field_errors, refused};

use crate::contracts::contract_in_force;
use crate::payments::transfer;

const KEY: (NotificationEvent, MessageChannel, Language) = (
    NotificationEvent::PaymentReceived,
    MessageChannel::Sms,
    Language::Pl,
);

fn sms(body: &str) -> TemplateChange {
    TemplateChange {
        subject: None,
        body: body.into(),
    }
}

both_backends! {
    async fn an_administrator_words_a_message_tries_it_on_a_customer_and_goes_back(app) {
        let admin = app.as_role(Role::Admin).await;
        let agent = app.as_role(Role::Agent).await;
        let finance = app.as_role(Role::Finance).await;
        let all = admin.message_templates().await.unwrap();
        assert_eq!(all.len(), 13 * 2 * 3, "each event by each channel in each language");
        let shipped = all.iter().find(|t| (t.event, t.channel, t.language) == KEY).unwrap().clone();
        assert!(!shipped.customized);
        assert!(shipped.subject.is_none());
        let names: Vec<&str> = shipped.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["customer_name", "account_number", "operator_name", "amount", "received_on", "method"]);
        refused(agent.message_templates().await, 403, ErrorCode::Forbidden);

        // Tried on a real customer: their name, examples of the payment's values.
        let customer = contract_in_force(app, "Szablonowa", "internet-300", None, None).await.customer_id;
        let wording = "{{ operator_name }}: dziękujemy, {{ customer_name }}! Wpłata {{ amount }} ({{ method }}).";
        let preview = |body: &str, subject: Option<&str>, channel| TemplatePreviewRequest {
            event: NotificationEvent::PaymentReceived,
            channel,
            customer_id: customer,
            language: None,
            subject: subject.map(Into::into),
            body: body.into(),
        };
        let shown = admin.preview_message_template(&preview(wording, None, MessageChannel::Sms)).await.unwrap();
        assert_eq!(shown.language, Language::Pl);
        assert_eq!(
            shown.body,
            format!("Okno Telecom Sp. z o.o.: dziękujemy, Szablonowa Ewa! Wpłata {} (przelew).", format::money(6_149, "PLN", Language::Pl))
        );
        let russian = admin
            .preview_message_template(&TemplatePreviewRequest { language: Some(Language::Ru), ..preview(wording, None, MessageChannel::Sms) })
            .await
            .unwrap();
        assert!(russian.body.contains(&format::money(6_149, "RUB", Language::Ru)), "{}", russian.body);

        // A value the event does not have, a broken tag, a missing subject, an SMS subject.
        let problem = refused(
            admin.preview_message_template(&preview("{{ amount }} do {{ due_date }}", None, MessageChannel::Sms)).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&problem), [("body".to_owned(), "unknown_reference".to_owned())]);
        assert!(problem.errors[0].message.contains("due_date"), "{problem:?}");
        let problem = refused(admin.save_message_template(KEY, &sms("{% if amount %}")).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("body".to_owned(), "invalid_value".to_owned())]);
        let problem = refused(
            admin.preview_message_template(&preview("<p>{{ amount }}</p>", None, MessageChannel::Email)).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&problem), [("subject".to_owned(), "required".to_owned())]);
        let problem = refused(
            admin.save_message_template(KEY, &TemplateChange { subject: Some("Wpłata".into()), body: wording.into() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&problem), [("subject".to_owned(), "invalid_value".to_owned())]);
        refused(
            admin.preview_message_template(&TemplatePreviewRequest { customer_id: i64::MAX, ..preview(wording, None, MessageChannel::Sms) }).await,
            404,
            ErrorCode::CustomerNotFound,
        );
        let unknown = admin.raw("PUT", "api/v1/message-templates/invoice_paid/sms/pl", Some(&serde_json::json!({"body": "x"}))).await.unwrap();
        assert_eq!((unknown.status, unknown.body["code"].as_str()), (404, Some("template_not_found")));

        // Saved: the next payment's SMS says it.
        let saved = admin.save_message_template(KEY, &sms(wording)).await.unwrap();
        assert!(saved.customized);
        assert!(saved.updated_by.is_some() && saved.updated_at.is_some());
        assert_eq!(saved.body, wording);
        agent
            .set_notification_preference(customer, &PreferenceChange { event: NotificationEvent::PaymentReceived, channel: MessageChannel::Sms, enabled: true })
            .await
            .unwrap();
        let newest_sms = || async {
            agent
                .messages(&MessageQuery { customer_id: Some(customer), channel: Some(MessageChannel::Sms), ..Default::default() })
                .await
                .unwrap()
                .items
                .remove(0)
        };
        finance.register_payment(&transfer(customer, 4_200), None).await.unwrap();
        assert_eq!(
            newest_sms().await.body,
            format!("Okno Telecom Sp. z o.o.: dziękujemy, Szablonowa Ewa! Wpłata {} (przelew).", format::money(4_200, "PLN", Language::Pl))
        );

        // Back to Okno's wording.
        let reverted = admin.revert_message_template(KEY).await.unwrap();
        assert!(!reverted.customized);
        assert_eq!(reverted.body, shipped.body);
        finance.register_payment(&transfer(customer, 4_300), None).await.unwrap();
        assert!(newest_sms().await.body.contains("zaksięgowana"), "Okno's wording again");
    }
}
