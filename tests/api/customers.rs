//! Customers: registration, search, the card and its audit, edits with versions.

use std::collections::HashSet;

use okno_api_types::audit::AuditQuery;
use okno_api_types::customers::{
    Address, CustomerPatch, CustomerQuery, DuplicateReason, EmailEntry, NewCustomer, PhoneEntry,
    TaxIdInput,
};
use okno_api_types::{
    AddressKind, CustomerKind, CustomerStatus, ErrorCode, Language, Role, Segment, TaxIdScheme,
};
use okno_domain::customers::AccountNumber;
use okno_e2e::{both_backends, field_errors, refused};

pub fn new_person(first: &str, last: &str) -> NewCustomer {
    NewCustomer {
        kind: CustomerKind::Person,
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        organisation_name: None,
        tax_id: None,
        segment: None,
        preferred_language: None,
        sales_point_id: None,
        emails: vec![EmailEntry {
            value: "Basia.Nowak@Example.PL".into(),
            label: None,
        }],
        phones: vec![PhoneEntry {
            value: " +48  777 888 999".into(),
            label: Some("mobile".into()),
        }],
        addresses: vec![Address {
            kind: AddressKind::Residence,
            street: "ul. Słoneczna".into(),
            building: "12".into(),
            apartment: Some("4".into()),
            postal_code: "05500".into(),
            city: "Piaseczno".into(),
            country: "PL".into(),
        }],
        notes: None,
    }
}

fn query(q: &str) -> CustomerQuery {
    CustomerQuery {
        q: Some(q.into()),
        ..Default::default()
    }
}

async fn names(client: &okno_client::Client, q: &str) -> Vec<String> {
    client
        .customers(&query(q))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.display_name)
        .collect()
}

both_backends! {
    async fn a_customer_registered_twice_is_caught_before_the_second_record(app) {
        let agent = app.as_role(Role::Agent).await;
        let anna = NewCustomer {
            emails: vec![],
            phones: vec![PhoneEntry { value: "+48 600 555 123".into(), label: None }],
            ..new_person("Anna", "Dublińska")
        };
        let first = agent.create_customer(&anna).await.unwrap();
        // The same person typed again: her phone another way, no e-mail, the same address.
        let again = NewCustomer { phones: vec![PhoneEntry { value: "600555123".into(), label: None }], ..anna.clone() };
        let found = agent.customer_duplicates(&again).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].customer.id, found[0].reasons.clone()), (first.id, vec![DuplicateReason::Phone, DuplicateReason::NameAndAddress]));
        let refused_again = refused(agent.create_customer_checking_duplicates(&again).await, 409, ErrorCode::PossibleDuplicate);
        assert!(refused_again.detail.unwrap().contains(&first.account_number));
        // A namesake elsewhere with another phone is someone else.
        let namesake = NewCustomer {
            phones: vec![PhoneEntry { value: "601 000 111".into(), label: None }],
            addresses: vec![Address { street: "ul. Długa".into(), ..anna.addresses[0].clone() }],
            ..anna.clone()
        };
        assert!(agent.customer_duplicates(&namesake).await.unwrap().is_empty());
        agent.create_customer_checking_duplicates(&namesake).await.unwrap();
        // Created anyway: on record, with what it had in common.
        let second = agent.create_customer(&again).await.unwrap();
        let admin = app.as_role(Role::Admin).await;
        let log = admin.audit_log(&AuditQuery { customer_id: Some(second.id), action: Some("customer.create".into()), ..Default::default() }).await.unwrap();
        assert_eq!(
            log.items[0].detail.as_deref(),
            Some(format!("registered beside likely duplicates: {} (phone, name_and_address)", first.account_number).as_str())
        );
        // The check reads customers, and says so; a bad request is refused as registering is.
        let shown = admin.audit_log(&AuditQuery { customer_id: Some(first.id), action: Some("customer.duplicates".into()), ..Default::default() }).await.unwrap();
        assert!(!shown.items.is_empty());
        let nameless = refused(agent.customer_duplicates(&NewCustomer { last_name: None, ..again.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&nameless), [("last_name".to_string(), "required".to_string())]);
        refused(app.as_role(Role::Cashier).await.customer_duplicates(&again).await, 403, ErrorCode::Forbidden);
        let nowhere = refused(agent.customer_duplicates(&NewCustomer { sales_point_id: Some(424_242), ..again.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&nowhere), [("sales_point_id".to_string(), "unknown_reference".to_string())]);
    }

    async fn registering_a_person_assigns_an_account_number_and_normalises_contacts(app) {
        let agent = app.as_role(Role::Agent).await;
        let customer = agent.create_customer(&new_person("Barbara", "Nowak")).await.unwrap();
        assert_eq!(customer.account_number, "100000017");
        assert!(AccountNumber::parse(&customer.account_number).is_ok());
        assert_eq!(customer.display_name, "Nowak Barbara");
        assert_eq!((customer.status, customer.segment, customer.preferred_language), (CustomerStatus::Prospect, Segment::Household, Language::Pl));
        assert_eq!(customer.emails[0].value, "basia.nowak@example.pl");
        // Kept in E.164 whatever the spelling; the web app shows it grouped.
        assert_eq!(customer.phones[0].value, "+48777888999");
        assert_eq!(customer.addresses[0].postal_code, "05-500");
        assert_eq!(customer.version, 1);
        // The agent's sales point is the customer's.
        let me = agent.me().await.unwrap();
        assert_eq!(customer.sales_point_id, me.sales_point_id);
        let second = agent.create_customer(&new_person("Cezary", "Nowak")).await.unwrap();
        assert_eq!(second.account_number, "100000025");
    }

    async fn an_organisation_needs_a_valid_nip(app) {
        let agent = app.as_role(Role::Agent).await;
        let mut firm = NewCustomer {
            kind: CustomerKind::Organisation,
            first_name: None,
            last_name: None,
            organisation_name: Some("Zakład Usług Komunalnych Sp. z o.o.".into()),
            ..new_person("", "")
        };
        let missing = refused(agent.create_customer(&firm).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&missing), [("tax_id".to_string(), "required".to_string())]);

        firm.tax_id = Some(TaxIdInput { scheme: None, value: "123-456-32-19".into() });
        let malformed = refused(agent.create_customer(&firm).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&malformed), [("tax_id.value".to_string(), "nip_invalid".to_string())]);
        assert_eq!(malformed.errors[0].message, "the NIP checksum does not match; the number is mistyped");

        firm.tax_id = Some(TaxIdInput { scheme: Some(TaxIdScheme::PlNip), value: "PL 1234563218".into() });
        let created = agent.create_customer(&firm).await.unwrap();
        let tax_id = created.tax_id.unwrap();
        assert_eq!((tax_id.value.as_str(), tax_id.formatted.as_str()), ("1234563218", "123-456-32-18"));
        assert_eq!(created.segment, Segment::Business);
        let found = agent.customers(&query("123-456-32-18")).await.unwrap();
        assert_eq!(found.items.len(), 1);
        assert_eq!(found.items[0].tax_id.as_deref(), Some("123-456-32-18"));
    }

    async fn search_finds_a_customer_by_whatever_the_caller_knows(app) {
        app.seed_demo().await;
        let operator = app.as_role(Role::Operator).await;
        for q in [
            "600 100",          // a phone fragment, spaced as said aloud
            "+48 600 100 200",  // the full number with the country code
            "600100200",
            "100000017",        // the account number
            "1000-0001-7",
            "Długa",            // a part of the street
            "dluga 5",          // without diacritics, with the building
            "kowalsk",          // part of the surname
            "anna.kowalska@",   // the e-mail
            "Kowalska Anna",
        ] {
            assert_eq!(names(&operator, q).await, ["Kowalska Anna"], "searching {q:?}");
        }
        assert_eq!(names(&operator, "Петров").await, ["Петров Иван"]);
        assert_eq!(names(&operator, "lakowa").await, ["Nowak Jan"]);
        assert_eq!(names(&operator, "22 654 32 10").await, ["Nowak Jan"]);
        assert_eq!(names(&operator, "912 345 67 89").await, ["Смирнова Ольга"]);
        assert_eq!(names(&operator, "526-000-12-46").await, ["Piekarnia Złoty Kłos Sp. z o.o."]);
        assert!(names(&operator, "Kowalska Zenobia").await.is_empty());
        // LIKE wildcards typed by the user match only themselves.
        assert!(names(&operator, "%%").await.is_empty());
        assert!(names(&operator, "__").await.is_empty());
    }

    async fn search_refuses_empty_and_one_letter_queries(app) {
        let operator = app.as_role(Role::Operator).await;
        let empty = refused(operator.customers(&query("   ")).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&empty), [("q".to_string(), "invalid_search".to_string())]);
        refused(operator.customers(&query("a")).await, 422, ErrorCode::ValidationFailed);
        // A parameter given empty is as good as absent: the whole list.
        let raw = operator.raw("GET", "api/v1/customers?q=", None).await.unwrap();
        assert_eq!(raw.status, 200);
    }

    async fn the_list_pages_through_every_customer_once_in_name_order(app) {
        app.seed_demo().await;
        let operator = app.as_role(Role::Operator).await;
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = operator
                .customers(&CustomerQuery { limit: Some(7), cursor: cursor.clone(), ..Default::default() })
                .await
                .unwrap();
            assert!(page.items.len() <= 7);
            seen.extend(page.items.into_iter().map(|c| (c.display_name, c.id)));
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen.len(), 60);
        assert_eq!(seen.iter().map(|(_, id)| *id).collect::<HashSet<_>>().len(), 60);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);

        let filtered = operator.customers(&CustomerQuery { kind: Some(CustomerKind::Organisation), limit: Some(500), ..Default::default() }).await.unwrap();
        assert!(filtered.items.iter().all(|c| c.kind == CustomerKind::Organisation));
        assert!(filtered.items.len() >= 5);
        let too_many = refused(operator.customers(&CustomerQuery { limit: Some(501), ..Default::default() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(too_many.errors[0].field, "limit");
        let bad_cursor = refused(operator.customers(&CustomerQuery { cursor: Some("garbage".into()), ..Default::default() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(bad_cursor.errors[0].field, "cursor");
    }

    async fn an_edit_based_on_a_stale_version_is_refused_with_the_fresh_record(app) {
        let agent = app.as_role(Role::Agent).await;
        let operator = app.as_role(Role::Operator).await;
        let customer = agent.create_customer(&new_person("Barbara", "Nowak")).await.unwrap();

        let renamed = agent
            .update_customer(customer.id, &CustomerPatch { version: 1, last_name: Some(Some("Nowak-Wiśniewska".into())), ..Default::default() })
            .await
            .unwrap();
        assert_eq!((renamed.version, renamed.display_name.as_str()), (2, "Nowak-Wiśniewska Barbara"));
        // The new name is searchable at once; the old phone still is too.
        assert_eq!(names(&operator, "wisniewska").await, ["Nowak-Wiśniewska Barbara"]);

        let stale = CustomerPatch { version: 1, segment: Some(Segment::Vip), ..Default::default() };
        let conflict = refused(operator.update_customer(customer.id, &stale).await, 409, ErrorCode::VersionConflict);
        let current = conflict.current.unwrap();
        assert_eq!(current["version"], 2);
        assert_eq!(current["last_name"], "Nowak-Wiśniewska");
        let unchanged = operator.customer(customer.id).await.unwrap();
        assert_eq!((unchanged.segment, unchanged.version), (Segment::Household, 2));

        // Lists replace; null clears.
        let edited = operator
            .update_customer(customer.id, &CustomerPatch {
                version: 2,
                phones: Some(vec![PhoneEntry { value: "601 000 000".into(), label: None }]),
                notes: Some(Some("call after 5 pm".into())),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(edited.phones.len(), 1);
        assert_eq!(edited.notes.as_deref(), Some("call after 5 pm"));
        assert!(names(&operator, "777 888").await.is_empty());
        let cleared = operator
            .update_customer(customer.id, &CustomerPatch { version: 3, notes: Some(None), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(cleared.notes, None);
        // A person cannot lose their surname.
        let invalid = refused(
            operator.update_customer(customer.id, &CustomerPatch { version: 4, last_name: Some(None), ..Default::default() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&invalid), [("last_name".to_string(), "required".to_string())]);
        refused(operator.update_customer(999_999, &CustomerPatch { version: 1, ..Default::default() }).await, 404, ErrorCode::CustomerNotFound);
    }

    async fn each_read_of_a_card_is_in_the_audit_log(app) {
        app.seed_demo().await;
        let operator = app.as_role(Role::Operator).await.with_purpose("incoming call");
        let card = operator.customer(1).await.unwrap();
        assert_eq!(card.display_name, "Kowalska Anna");
        refused(operator.customer(424_242).await, 404, ErrorCode::CustomerNotFound);

        let admin = app.as_role(Role::Admin).await;
        let log = admin.audit_log(&AuditQuery { customer_id: Some(1), action: Some("customer.read".into()), ..Default::default() }).await.unwrap();
        assert_eq!(log.items.len(), 1);
        let entry = &log.items[0];
        assert_eq!((entry.actor_kind.as_str(), entry.actor_name.as_str()), ("staff", "operator"));
        assert_eq!(entry.detail.as_deref(), Some("incoming call"));
        assert!(entry.request_id.is_some());

        let operator_id = operator.me().await.unwrap().id;
        let by_user = admin.audit_log(&AuditQuery { user_id: Some(operator_id), ..Default::default() }).await.unwrap();
        assert!(by_user.items.iter().any(|e| e.action == "customer.read" && e.customer_id == Some(1)));
        let cashier = app.as_role(Role::Cashier).await;
        refused(cashier.audit_log(&AuditQuery::default()).await, 403, ErrorCode::Forbidden);
        let future = admin
            .audit_log(&AuditQuery { from: Some(chrono::Utc::now() + chrono::Duration::days(1)), ..Default::default() })
            .await
            .unwrap();
        assert!(future.items.is_empty());
    }
}
