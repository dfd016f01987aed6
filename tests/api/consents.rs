//! Consents: granted and withdrawn with date, channel and who recorded it; history kept.

use okno_api_types::customers::{GrantConsent, WithdrawConsent};
use okno_api_types::interactions::{TimelineEvent, TimelineQuery};
use okno_api_types::{Channel, ConsentPurpose, ErrorCode, Role};
use okno_e2e::{both_backends, refused};

use crate::customers::new_person;

both_backends! {
    async fn a_consent_is_granted_withdrawn_and_granted_again_with_its_history(app) {
        let agent = app.as_role(Role::Agent).await;
        let customer = agent.create_customer(&new_person("Halina", "Kos")).await.unwrap();
        let grant = GrantConsent { purpose: ConsentPurpose::Marketing, channel: Channel::Visit, note: Some("signed form".into()) };
        let consent = agent.grant_consent(customer.id, &grant).await.unwrap();
        assert!(consent.active);
        assert_eq!((consent.granted_channel, consent.granted_by.as_str()), (Channel::Visit, "Piotr Zieliński"));
        refused(agent.grant_consent(customer.id, &grant).await, 409, ErrorCode::ConsentAlreadyGranted);

        let operator = app.as_role(Role::Operator).await;
        let withdrawal = WithdrawConsent { channel: Channel::Phone, note: None };
        let withdrawn = operator.withdraw_consent(customer.id, consent.id, &withdrawal).await.unwrap();
        assert!(!withdrawn.active);
        assert_eq!((withdrawn.withdrawn_channel, withdrawn.withdrawn_by.as_deref()), (Some(Channel::Phone), Some("Ewa Nowicka")));
        assert!(withdrawn.withdrawn_at.unwrap() >= withdrawn.granted_at);
        refused(operator.withdraw_consent(customer.id, consent.id, &withdrawal).await, 409, ErrorCode::ConsentAlreadyWithdrawn);

        let again = agent.grant_consent(customer.id, &GrantConsent { channel: Channel::Email, ..grant.clone() }).await.unwrap();
        let history = agent.consents(customer.id).await.unwrap();
        assert_eq!(history.iter().map(|c| (c.id, c.active)).collect::<Vec<_>>(), [(again.id, true), (consent.id, false)]);

        // The timeline tells the same story, newest first.
        let timeline = agent.timeline(customer.id, &TimelineQuery::default()).await.unwrap();
        let kinds: Vec<&str> = timeline.items.iter().map(|e| match &e.event {
            TimelineEvent::ConsentGranted { .. } => "granted",
            TimelineEvent::ConsentWithdrawn { .. } => "withdrawn",
            TimelineEvent::CustomerCreated { .. } => "created",
            _ => "other",
        }).collect();
        assert_eq!(kinds, ["granted", "withdrawn", "granted", "created"]);
    }

    async fn consents_of_one_customer_cannot_be_withdrawn_through_another(app) {
        let agent = app.as_role(Role::Agent).await;
        let first = agent.create_customer(&new_person("Adam", "Pierwszy")).await.unwrap();
        let second = agent.create_customer(&new_person("Bogdan", "Drugi")).await.unwrap();
        let consent = agent
            .grant_consent(first.id, &GrantConsent { purpose: ConsentPurpose::ElectronicCorrespondence, channel: Channel::Web, note: None })
            .await
            .unwrap();
        let withdrawal = WithdrawConsent { channel: Channel::Phone, note: None };
        refused(agent.withdraw_consent(second.id, consent.id, &withdrawal).await, 404, ErrorCode::ConsentNotFound);
        refused(agent.withdraw_consent(999_999, consent.id, &withdrawal).await, 404, ErrorCode::CustomerNotFound);
        assert!(agent.consents(first.id).await.unwrap()[0].active);
        // A cashier may look, but not record consents.
        let cashier = app.as_role(Role::Cashier).await;
        cashier.consents(first.id).await.unwrap();
        refused(cashier.withdraw_consent(first.id, consent.id, &withdrawal).await, 403, ErrorCode::Forbidden);
    }
}
