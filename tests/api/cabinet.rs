//! The subscriber's cabinet: activation, login, own data only.

use okno_api_types::auth::{LoginRequest, PrincipalKind, Realm};
use okno_api_types::cabinet::{ActivateRequest, ProfilePatch};
use okno_api_types::customers::{GrantConsent, PhoneEntry, WithdrawConsent};
use okno_api_types::interactions::NewInteraction;
use okno_api_types::{Channel, ConsentPurpose, ErrorCode, Language, PageQuery, Role};
use okno_e2e::{both_backends, refused};

both_backends! {
    async fn a_subscriber_activates_the_cabinet_and_sees_only_their_own_data(app) {
        app.seed_demo().await;
        let operator = app.as_role(Role::Operator).await;
        let code = operator.issue_activation(1).await.unwrap();
        assert_eq!(code.account_number, "100000017");
        assert_eq!(code.code.len(), 8);

        let wrong = ActivateRequest { account_number: code.account_number.clone(), activation_code: "WRONGCOD".into(), password: "moje-haslo-2026".into() };
        refused(app.client.activate_cabinet(&wrong).await, 409, ErrorCode::InvalidActivationCode);
        let weak = ActivateRequest { activation_code: code.code.clone(), password: "short".into(), ..wrong.clone() };
        refused(app.client.activate_cabinet(&weak).await, 422, ErrorCode::ValidationFailed);
        let activation = ActivateRequest { activation_code: code.code.to_lowercase(), password: "moje-haslo-2026".into(), ..wrong.clone() };
        let tokens = app.client.activate_cabinet(&activation).await.unwrap();
        assert_eq!((tokens.principal.kind, tokens.principal.customer_id), (PrincipalKind::Subscriber, Some(1)));
        // The code works once.
        refused(app.client.activate_cabinet(&activation).await, 409, ErrorCode::InvalidActivationCode);

        let tokens = app
            .client
            .login(&LoginRequest { username: "100000017".into(), password: "moje-haslo-2026".into(), realm: Realm::Subscriber })
            .await
            .unwrap();
        let subscriber = app.client.with_token(&tokens.access_token);
        let me = subscriber.my_profile().await.unwrap();
        assert_eq!((me.id, me.display_name.as_str()), (1, "Kowalska Anna"));
        assert!(me.cabinet_active);
        assert!(operator.customer(1).await.unwrap().cabinet_active);

        // Nothing of anyone else's, and no staff endpoints.
        refused(subscriber.customer(2).await, 403, ErrorCode::Forbidden);
        refused(subscriber.customer(1).await, 403, ErrorCode::Forbidden);
        refused(subscriber.consents(2).await, 403, ErrorCode::Forbidden);
        let history = subscriber.my_interactions(&PageQuery::default()).await.unwrap();
        assert_eq!(history.items.len(), 8);
        let staff_view = operator.interactions(1, &PageQuery::default()).await.unwrap();
        assert_eq!(
            history.items.iter().map(|i| (i.id, i.channel, i.settled_in_contact, i.department)).collect::<Vec<_>>(),
            staff_view.items.iter().map(|i| (i.id, i.channel, i.settled_in_contact, i.department)).collect::<Vec<_>>(),
        );
        // The customer sees when, how, about what and whether it was settled; not the staff's
        // notes or who on the staff handled it.
        let raw = subscriber.raw("GET", "api/v1/me/interactions", None).await.unwrap();
        let mut keys: Vec<String> = raw.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i.as_object().unwrap().keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        for internal in ["customer_id", "summary", "outcome", "handled_by", "handled_by_user_id", "sales_point_id", "topic_id", "duration_seconds"] {
            assert!(!keys.iter().any(|k| k == internal), "{internal} in {keys:?}");
        }
        assert!(keys.iter().any(|k| k == "settled_in_contact"), "{keys:?}");
        let with_topic = history.items.iter().find_map(|i| i.topic.clone()).unwrap();
        assert!(!with_topic.en.is_empty());
        let foreign = subscriber.raw("POST", "api/v1/customers/2/interactions", Some(&serde_json::to_value(NewInteraction {
            channel: Channel::Web, direction: None, topic_id: None, summary: "x".into(), outcome: None,
            settled_in_contact: true, department: None, duration_seconds: None, occurred_at: None,
        }).unwrap())).await.unwrap();
        assert_eq!(foreign.status, 403);
        // Staff cannot use the cabinet's paths.
        refused(operator.my_profile().await, 403, ErrorCode::Forbidden);
        // A consent of another customer is not reachable through /me.
        let others = operator.consents(2).await.unwrap();
        if let Some(other) = others.iter().find(|c| c.active) {
            refused(subscriber.withdraw_my_consent(other.id, &WithdrawConsent { channel: Channel::Web, note: None }).await, 404, ErrorCode::ConsentNotFound);
        }
    }

    async fn a_subscriber_keeps_their_contact_data_and_consents(app) {
        app.seed_demo().await;
        let operator = app.as_role(Role::Operator).await;
        let code = operator.issue_activation(1).await.unwrap();
        let tokens = app.client.activate_cabinet(&ActivateRequest {
            account_number: code.account_number, activation_code: code.code, password: "moje-haslo-2026".into(),
        }).await.unwrap();
        let subscriber = app.client.with_token(&tokens.access_token);
        let me = subscriber.my_profile().await.unwrap();
        let updated = subscriber
            .update_my_profile(&ProfilePatch {
                version: me.version,
                phones: Some(vec![PhoneEntry { value: "+48 500 600 700".into(), label: None }]),
                preferred_language: Some(Language::En),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((updated.phones[0].value.as_str(), updated.preferred_language), ("+48500600700", Language::En));
        let unknown_field = subscriber.raw("PATCH", "api/v1/me", Some(&serde_json::json!({"version": updated.version, "last_name": "Hacker"}))).await.unwrap();
        assert_eq!(unknown_field.status, 422);
        assert_eq!(unknown_field.body["errors"][0]["field"], "last_name");
        refused(subscriber.update_my_profile(&ProfilePatch { version: me.version, ..Default::default() }).await, 409, ErrorCode::VersionConflict);

        let consents = subscriber.my_consents().await.unwrap();
        let marketing = consents.iter().find(|c| c.purpose == ConsentPurpose::Marketing && c.active).unwrap();
        // What a subscriber does in the cabinet is done on the web, whatever the request says.
        let withdrawn = subscriber.withdraw_my_consent(marketing.id, &WithdrawConsent { channel: Channel::Visit, note: None }).await.unwrap();
        assert_eq!(withdrawn.withdrawn_by.as_deref(), Some("customer (cabinet)"));
        assert_eq!(withdrawn.withdrawn_channel, Some(Channel::Web));
        let granted = subscriber.grant_my_consent(&GrantConsent { purpose: ConsentPurpose::Marketing, channel: Channel::Phone, note: None }).await.unwrap();
        assert_eq!(granted.granted_channel, Channel::Web);
        let history = subscriber.my_interactions(&PageQuery::default()).await.unwrap();
        assert!(history.items.iter().all(|i| !i.by_customer));
        // The operator sees the subscriber's changes.
        let card = operator.customer(1).await.unwrap();
        assert_eq!(card.phones[0].value, "+48500600700");
        assert_eq!(operator.consents(1).await.unwrap().iter().filter(|c| c.purpose == ConsentPurpose::Marketing).count(), 2);
    }
}
