//! Contacts and the timeline.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use okno_api_types::interactions::{NewInteraction, TimelineEvent, TimelineQuery};
use okno_api_types::reference::TopicPatch;
use okno_api_types::{Channel, Department, Direction, ErrorCode, PageQuery, Role};
use okno_e2e::{both_backends, field_errors, refused};

use crate::customers::new_person;

fn contact(summary: &str, settled: bool) -> NewInteraction {
    NewInteraction {
        channel: Channel::Phone,
        direction: None,
        topic_id: None,
        summary: summary.into(),
        outcome: None,
        settled_in_contact: settled,
        department: None,
        duration_seconds: Some(185),
        occurred_at: None,
    }
}

both_backends! {
    async fn a_logged_contact_is_on_the_card_and_first_in_the_timeline(app) {
        let operator = app.as_role(Role::Operator).await;
        let customer = operator.create_customer(&new_person("Felicja", "Rak")).await.unwrap();
        let topics = operator.topics().await.unwrap();
        let invoice_topic = topics.iter().find(|t| t.code == "billing.invoice").unwrap();
        let logged = operator
            .create_interaction(customer.id, &NewInteraction {
                topic_id: Some(invoice_topic.id),
                outcome: Some("explained proration".into()),
                ..contact("  Asks why the invoice is higher this month ", true)
            })
            .await
            .unwrap();
        assert_eq!(logged.summary, "Asks why the invoice is higher this month");
        assert_eq!((logged.direction, logged.settled_in_contact), (Direction::Inbound, true));
        assert_eq!(logged.topic_code.as_deref(), Some("billing.invoice"));
        assert_eq!(logged.handled_by, "Ewa Nowicka");
        assert_eq!(logged.duration_seconds, Some(185));

        let routed = operator
            .create_interaction(customer.id, &NewInteraction {
                department: Some(Department::TechnicalSupport),
                ..contact("No signal since the storm", false)
            })
            .await
            .unwrap();
        let timeline = operator.timeline(customer.id, &TimelineQuery::default()).await.unwrap();
        match &timeline.items[0].event {
            TimelineEvent::Interaction { interaction } => {
                assert_eq!(interaction.id, routed.id);
                assert_eq!(interaction.department, Some(Department::TechnicalSupport));
            }
            other => panic!("expected the latest contact first, got {other:?}"),
        }
        let listed = operator.interactions(customer.id, &PageQuery::default()).await.unwrap();
        assert_eq!(listed.items.iter().map(|i| i.id).collect::<Vec<_>>(), [routed.id, logged.id]);
    }

    async fn a_contact_needs_a_summary_a_known_topic_and_a_past_time(app) {
        let operator = app.as_role(Role::Operator).await;
        let customer = operator.create_customer(&new_person("Gabriel", "Lis")).await.unwrap();
        let invalid = refused(
            operator
                .create_interaction(customer.id, &NewInteraction {
                    topic_id: Some(9999),
                    duration_seconds: Some(-5),
                    occurred_at: Some(Utc::now() + Duration::hours(2)),
                    ..contact("   ", true)
                })
                .await,
            422,
            ErrorCode::ValidationFailed,
        );
        let mut fields = field_errors(&invalid);
        fields.sort();
        assert_eq!(fields, [
            ("duration_seconds".to_string(), "out_of_range".to_string()),
            ("occurred_at".to_string(), "in_future".to_string()),
            ("summary".to_string(), "required".to_string()),
            ("topic_id".to_string(), "unknown_reference".to_string()),
        ]);
        let too_long = refused(operator.create_interaction(customer.id, &contact(&"x".repeat(4001), true)).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&too_long), [("summary".to_string(), "too_long".to_string())]);

        // A retired topic stays on old contacts but cannot be chosen for new ones.
        let admin = app.as_role(Role::Admin).await;
        let topic = admin.topics().await.unwrap().into_iter().find(|t| t.code == "meter.reading").unwrap();
        admin.update_topic(topic.id, &TopicPatch { name: None, active: Some(false) }).await.unwrap();
        let retired = refused(
            operator.create_interaction(customer.id, &NewInteraction { topic_id: Some(topic.id), ..contact("reading", true) }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&retired), [("topic_id".to_string(), "inactive".to_string())]);
        assert!(operator.interactions(customer.id, &PageQuery::default()).await.unwrap().items.is_empty());
        refused(operator.create_interaction(999_999, &contact("x", true)).await, 404, ErrorCode::CustomerNotFound);
    }

    async fn a_contact_can_be_recorded_after_the_fact(app) {
        let cashier = app.as_role(Role::Cashier).await;
        let customer = app.as_role(Role::Agent).await.create_customer(&new_person("Irena", "Sowa")).await.unwrap();
        let yesterday = Utc::now() - Duration::days(1);
        let letter = cashier
            .create_interaction(customer.id, &NewInteraction { channel: Channel::Letter, occurred_at: Some(yesterday), ..contact("Letter about a refund", false) })
            .await
            .unwrap();
        assert_eq!(letter.occurred_at.timestamp_micros(), yesterday.timestamp_micros());
        let timeline = cashier.timeline(customer.id, &TimelineQuery::default()).await.unwrap();
        // Registered today, the letter is from yesterday: the registration comes first.
        assert!(matches!(timeline.items[0].event, TimelineEvent::CustomerCreated { .. }));
        assert!(matches!(timeline.items[1].event, TimelineEvent::Interaction { .. }));
    }

    async fn the_timeline_pages_through_every_event_once(app) {
        app.seed_demo().await;
        let operator = app.as_role(Role::Operator).await;
        let full = operator.timeline(1, &TimelineQuery { limit: Some(500), cursor: None }).await.unwrap();
        assert!(full.next_cursor.is_none());
        // Anna Kowalska: 8 contacts, 2 consents, registration, her contract's 4 steps.
        assert_eq!(full.items.len(), 15);
        let mut paged = Vec::new();
        let mut cursor = None;
        loop {
            let page = operator.timeline(1, &TimelineQuery { limit: Some(3), cursor: cursor.clone() }).await.unwrap();
            paged.extend(page.items);
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(paged, full.items);
        assert!(paged.windows(2).all(|w| w[0].at >= w[1].at));
        let ids: HashSet<String> = paged.iter().map(|e| format!("{:?}", e.event)).collect();
        assert_eq!(ids.len(), 15);
    }
}
