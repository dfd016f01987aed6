//! Tariffs and contracts (R-10..R-16): the versioned price list, the lifecycle with every
//! illegal step refused, withdrawal windows at their edges, tariff changes, suspensions,
//! retention, benefits, documents and subscribers' requests.

use chrono::{Datelike, Duration};
use okno_api_types::audit::AuditQuery;
use okno_api_types::cabinet::ActivateRequest;
use okno_api_types::contracts::{
    BenefitKind, BenefitPatch, ContractAction, ContractQuery, ContractStatus, DocumentKind,
    NewBenefit, NewContract, NewContractRequest, NewRetentionContact, NewSubscription,
    RequestDecision, RequestKind, RequestQuery, RequestStatus, RetentionOutcome, RetentionQuery,
    SuspensionReason, TariffChangeRequest, TermsChangeRequest, TransitionRequest,
};
use okno_api_types::customers::{Address, NewCustomer, TaxIdInput};
use okno_api_types::tariffs::{NewProduct, NewTariff, NewTariffVersion, ServiceKind};
use okno_api_types::{
    AddressKind, Channel, CustomerKind, CustomerStatus, ErrorCode, Role, Segment,
};
use okno_client::Client;
use okno_domain::calendar::{deadline_after, first_of_next_month};
use okno_e2e::{TestApp, both_backends, field_errors, refused};

use crate::customers::new_person;

pub(crate) fn address() -> Address {
    Address {
        kind: AddressKind::Service,
        street: "ul. Świętokrzyska".into(),
        building: "30".into(),
        apartment: Some("12".into()),
        postal_code: "00-116".into(),
        city: "Warszawa".into(),
        country: "PL".into(),
    }
}

pub(crate) async fn tariff_id(client: &Client, code: &str) -> i64 {
    client
        .tariffs()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.code == code)
        .unwrap()
        .id
}

/// What a test's contract is: who for, how concluded, on which tariff, until when.
struct Terms<'a> {
    customer: NewCustomer,
    channel: Channel,
    tariff: &'a str,
    meter: Option<&'a str>,
    end: Option<chrono::NaiveDate>,
}

/// A new customer and a draft contract for them on `terms`, starting today.
async fn draft_on(app: &TestApp, agent: &Client, terms: Terms<'_>) -> (i64, i64) {
    let customer = agent.create_customer(&terms.customer).await.unwrap();
    let contract = agent
        .create_contract(&NewContract {
            customer_id: customer.id,
            sales_point_id: None,
            channel: terms.channel,
            start_date: app.today(),
            end_date: terms.end,
            subscriptions: vec![NewSubscription {
                tariff_id: tariff_id(agent, terms.tariff).await,
                service_address: address(),
                meter_number: terms.meter.map(Into::into),
            }],
        })
        .await
        .unwrap();
    (customer.id, contract.id)
}

/// A new customer and a draft contract for them on Światłowód 300, starting today.
async fn draft(app: &TestApp, agent: &Client, channel: Channel) -> (i64, i64) {
    let terms = Terms {
        customer: new_person("Kamil", "Sowiński"),
        channel,
        tariff: "internet-300",
        meter: None,
        end: None,
    };
    draft_on(app, agent, terms).await
}

/// A new customer `last_name` with a contract on `tariff` from today (to `end`, when given),
/// signed by the agent and approved by the manager: in force.
pub(crate) async fn contract_in_force(
    app: &TestApp,
    last_name: &str,
    tariff: &str,
    meter: Option<&str>,
    end: Option<chrono::NaiveDate>,
) -> okno_api_types::contracts::Contract {
    let agent = app.as_role(Role::Agent).await;
    let terms = Terms {
        customer: new_person("Ewa", last_name),
        channel: Channel::Visit,
        tariff,
        meter,
        end,
    };
    let (_, id) = draft_on(app, &agent, terms).await;
    agent
        .contract_action(id, ContractAction::Sign, &TransitionRequest::default())
        .await
        .unwrap();
    app.as_role(Role::Manager)
        .await
        .contract_action(id, ContractAction::Approve, &TransitionRequest::default())
        .await
        .unwrap()
}

/// A fixed-term contract to `end` on Światłowód 300, in force from today.
async fn fixed_term(
    app: &TestApp,
    last_name: &str,
    end: chrono::NaiveDate,
) -> okno_api_types::contracts::Contract {
    contract_in_force(app, last_name, "internet-300", None, Some(end)).await
}

fn action(action: ContractAction) -> (ContractAction, TransitionRequest) {
    let request = match action {
        ContractAction::Reject | ContractAction::Terminate => TransitionRequest {
            reason: Some("as agreed".into()),
            ..Default::default()
        },
        _ => TransitionRequest::default(),
    };
    (action, request)
}

both_backends! {
    async fn the_price_list_is_versioned_and_its_past_is_fixed(app) {
        let manager = app.as_role(Role::Manager).await;
        let today = app.today();
        let version = NewTariffVersion {
            effective_from: today,
            monthly_fee_minor: 4_999,
            currency: None,
            vat_rate_bp: 2300,
            prepaid: false,
            one_off_fees: vec![],
            usage_rates: vec![],
        };
        let tariff = manager
            .create_tariff(&NewTariff { code: "Mobile-Start".into(), name: "Mobilny Start".into(), service_kind: ServiceKind::Phone, description: None, version: version.clone() })
            .await
            .unwrap();
        assert_eq!(tariff.code, "mobile-start");
        assert_eq!(tariff.current.as_ref().map(|v| (v.version_no, v.monthly_fee_minor, v.currency.as_str())), Some((1, 4_999, "PLN")));
        let next_month = first_of_next_month(today);
        let raised = manager
            .publish_tariff_version(tariff.id, &NewTariffVersion { effective_from: next_month, monthly_fee_minor: 5_499, ..version.clone() })
            .await
            .unwrap();
        assert_eq!(raised.version_no, 2);
        // Every sales point sees the new version at once; today's price is unchanged.
        let cashier = app.as_role(Role::Cashier).await;
        let seen = cashier.tariff(tariff.id).await.unwrap();
        assert_eq!(seen.current.unwrap().monthly_fee_minor, 4_999);
        assert_eq!(seen.upcoming.unwrap().effective_from, next_month);

        let past = refused(
            manager.publish_tariff_version(tariff.id, &NewTariffVersion { effective_from: today - Duration::days(1), ..version.clone() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&past), [("effective_from".to_string(), "in_past".to_string())]);
        let twice = refused(manager.publish_tariff_version(tariff.id, &NewTariffVersion { effective_from: next_month, ..version.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&twice), [("effective_from".to_string(), "taken".to_string())]);
        let bad_vat = refused(manager.publish_tariff_version(tariff.id, &NewTariffVersion { vat_rate_bp: 1900, effective_from: next_month + Duration::days(31), ..version.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&bad_vat), [("vat_rate_bp".to_string(), "invalid_value".to_string())]);
        // A fee that would break billing's arithmetic is refused, not stored.
        let absurd = refused(
            manager.publish_tariff_version(tariff.id, &NewTariffVersion { monthly_fee_minor: i64::MAX, effective_from: next_month + Duration::days(31), ..version.clone() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&absurd), [("monthly_fee_minor".to_string(), "out_of_range".to_string())]);
        assert_eq!(manager.tariff_versions(tariff.id).await.unwrap().len(), 2);
        refused(cashier.publish_tariff_version(tariff.id, &version).await, 403, ErrorCode::Forbidden);
    }

    async fn an_agent_takes_a_customer_to_an_active_contract_the_manager_approves(app) {
        let agent = app.as_role(Role::Agent).await;
        let manager = app.as_role(Role::Manager).await;
        let (customer_id, id) = draft(app, &agent, Channel::Visit).await;
        let contract = agent.contract(id).await.unwrap();
        assert_eq!(contract.status, ContractStatus::Draft);
        assert!(contract.number.starts_with(&format!("UM/{}/", app.today().year())));
        assert_eq!(contract.subscriptions[0].tariffs[0].tariff_code, "internet-300");
        // The draft prints for the customer to read and sign; it is not kept as a document.
        let draft = agent.document_pdf(&format!("api/v1/contracts/{id}/draft-pdf")).await.unwrap();
        assert!(draft.starts_with(b"%PDF-"));
        assert!(agent.contract_documents(id).await.unwrap().is_empty());

        let signed = agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        assert_eq!((signed.status, signed.signed_on), (ContractStatus::Signed, Some(app.today())));
        let documents = agent.contract_documents(id).await.unwrap();
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].kind, DocumentKind::Contract);
        let pdf = agent.document_pdf(&documents[0].pdf_url).await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let no_draft = agent.raw("GET", &format!("api/v1/contracts/{id}/draft-pdf"), None).await.unwrap();
        assert_eq!((no_draft.status, no_draft.body["code"].as_str()), (409, Some("illegal_transition")));

        // The approval queue of the manager's point shows it.
        let queue = manager.contracts(&ContractQuery { status: Some(ContractStatus::Signed), sales_point_id: signed.sales_point_id, ..Default::default() }).await.unwrap();
        assert!(queue.items.iter().any(|c| c.id == id));
        let active = manager.contract_action(id, ContractAction::Approve, &TransitionRequest::default()).await.unwrap();
        assert_eq!((active.status, active.activated_on), (ContractStatus::Active, Some(app.today())));
        assert_eq!(active.approved_by.as_deref(), Some("Joanna Lewandowska"));
        assert_eq!(agent.customer(customer_id).await.unwrap().status, CustomerStatus::Active);
        let events: Vec<String> = agent.contract_events(id).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(events, ["created", "sign", "approve", "activate"]);
        // A raw request with no body at all is an empty action.
        let raw = agent.raw("POST", &format!("api/v1/contracts/{id}/sign"), None).await.unwrap();
        assert_eq!((raw.status, raw.body["code"].as_str()), (409, Some("illegal_transition")));
        assert_eq!(raw.body["detail"], "an active contract cannot be signed");
    }

    async fn every_illegal_step_is_refused_with_the_current_state(app) {
        let agent = app.as_role(Role::Agent).await;
        let admin = app.as_role(Role::Admin).await;
        let actions = [
            ContractAction::Sign, ContractAction::Approve, ContractAction::Reject, ContractAction::Suspend,
            ContractAction::Resume, ContractAction::Terminate, ContractAction::Withdraw,
        ];
        // Paths to each state, from a phone contract (so withdrawal is allowed where the state is).
        let paths: [(ContractStatus, &[ContractAction]); 6] = [
            (ContractStatus::Draft, &[]),
            (ContractStatus::Signed, &[ContractAction::Sign]),
            (ContractStatus::Active, &[ContractAction::Sign, ContractAction::Approve]),
            (ContractStatus::Suspended, &[ContractAction::Sign, ContractAction::Approve, ContractAction::Suspend]),
            (ContractStatus::Terminated, &[ContractAction::Sign, ContractAction::Approve, ContractAction::Terminate]),
            (ContractStatus::Withdrawn, &[ContractAction::Sign, ContractAction::Withdraw]),
        ];
        for (state, path) in paths {
            for attempt in actions {
                let (_, id) = draft(app, &agent, Channel::Phone).await;
                for step in path {
                    let (a, request) = action(*step);
                    admin.contract_action(id, a, &request).await.unwrap();
                }
                assert_eq!(agent.contract(id).await.unwrap().status, state);
                let (a, request) = action(attempt);
                let result = admin.contract_action(id, a, &request).await;
                match state.after(attempt) {
                    Ok(next) => {
                        let expected = if attempt == ContractAction::Approve { ContractStatus::Active } else { next };
                        assert_eq!(result.unwrap().status, expected, "{state} + {attempt}");
                    }
                    Err(_) => {
                        let problem = refused(result, 409, ErrorCode::IllegalTransition);
                        let article = if matches!(state, ContractStatus::Active) { "an" } else { "a" };
                        assert!(problem.detail.unwrap().starts_with(&format!("{article} {state} contract cannot be")), "{state} + {attempt}");
                        assert_eq!(agent.contract(id).await.unwrap().status, state, "nothing changed");
                    }
                }
            }
        }
        let (_, id) = draft(app, &agent, Channel::Visit).await;
        admin.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let no_reason = refused(admin.contract_action(id, ContractAction::Reject, &TransitionRequest::default()).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&no_reason), [("reason".to_string(), "required".to_string())]);
        let rejected = admin.contract_action(id, ContractAction::Reject, &TransitionRequest { reason: Some("brak podpisu na stronie 2".into()), ..Default::default() }).await.unwrap();
        assert_eq!((rejected.status, rejected.rejection_reason.as_deref()), (ContractStatus::Draft, Some("brak podpisu na stronie 2")));
        let stale = refused(admin.contract_action(id, ContractAction::Sign, &TransitionRequest { version: Some(1), ..Default::default() }).await, 409, ErrorCode::VersionConflict);
        assert_eq!(stale.status, 409);
    }

    async fn a_manager_approves_only_the_contracts_of_their_own_sales_point(app) {
        let admin = app.as_role(Role::Admin).await;
        let manager = app.as_role(Role::Manager).await;
        let points = admin.sales_points().await.unwrap();
        let krakow = points.iter().find(|p| p.code == "KRK-1").unwrap();
        let customer = admin.create_customer(&new_person("Ewa", "Krakowska")).await.unwrap();
        let contract = admin
            .create_contract(&NewContract {
                customer_id: customer.id,
                sales_point_id: Some(krakow.id),
                channel: Channel::Visit,
                start_date: app.today(),
                end_date: None,
                subscriptions: vec![NewSubscription { tariff_id: tariff_id(&admin, "tv-start").await, service_address: address(), meter_number: None }],
            })
            .await
            .unwrap();
        admin.contract_action(contract.id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let problem = refused(manager.contract_action(contract.id, ContractAction::Approve, &TransitionRequest::default()).await, 403, ErrorCode::Forbidden);
        assert_eq!(problem.detail.as_deref(), Some("a manager approves the contracts of their own sales point"));
        let agent = app.as_role(Role::Agent).await;
        refused(agent.contract_action(contract.id, ContractAction::Approve, &TransitionRequest::default()).await, 403, ErrorCode::Forbidden);
        // Four eyes: the administrator who drafted it may not approve it either...
        let own = refused(admin.contract_action(contract.id, ContractAction::Approve, &TransitionRequest::default()).await, 403, ErrorCode::Forbidden);
        assert_eq!(own.detail.as_deref(), Some("the author of a contract does not decide on it: another person must"));
        // ...nor a manager of no sales point, on a contract of no sales point.
        let pointless_manager = |username: &str| okno_api_types::users::NewUser { username: username.into(), display_name: "Bez Punktu".into(), role: Role::Manager, sales_point_id: None, password: "bez-punktu-2026".into() };
        admin.create_user(&pointless_manager("floating")).await.unwrap();
        admin.create_user(&pointless_manager("drifting")).await.unwrap();
        let sign_in = |username: &'static str| async move {
            let tokens = app.client.login(&okno_api_types::auth::LoginRequest { username: username.into(), password: "bez-punktu-2026".into(), realm: okno_api_types::auth::Realm::Staff }).await.unwrap();
            app.client.with_token(&tokens.access_token)
        };
        let floating = sign_in("floating").await;
        let drifting = sign_in("drifting").await;
        let pointless = floating
            .create_contract(&NewContract {
                customer_id: customer.id,
                sales_point_id: None,
                channel: Channel::Visit,
                start_date: app.today(),
                end_date: None,
                subscriptions: vec![NewSubscription { tariff_id: tariff_id(&admin, "tv-start").await, service_address: address(), meter_number: None }],
            })
            .await
            .unwrap();
        assert_eq!(pointless.sales_point_id, None);
        agent.contract_action(pointless.id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let problem = refused(drifting.contract_action(pointless.id, ContractAction::Approve, &TransitionRequest::default()).await, 403, ErrorCode::Forbidden);
        assert_eq!(problem.detail.as_deref(), Some("a manager and the contract both belong to a sales point for a decision"));
        // The manager of the contract's sales point, who did not draft it, approves it.
        let krakow_manager = admin
            .create_user(&okno_api_types::users::NewUser { username: "krakow".into(), display_name: "Kierownik Kraków".into(), role: Role::Manager, sales_point_id: Some(krakow.id), password: "kierownik-2026".into() })
            .await
            .unwrap();
        assert_eq!(krakow_manager.sales_point_id, Some(krakow.id));
        let krakow_manager = app.client.login(&okno_api_types::auth::LoginRequest { username: "krakow".into(), password: "kierownik-2026".into(), realm: okno_api_types::auth::Realm::Staff }).await.unwrap();
        let approved = app.client.with_token(&krakow_manager.access_token).contract_action(contract.id, ContractAction::Approve, &TransitionRequest::default()).await.unwrap();
        assert_eq!(approved.status, ContractStatus::Active);
    }

    async fn a_distance_contract_may_be_withdrawn_until_the_fourteenth_day(app) {
        let agent = app.as_role(Role::Agent).await;
        let (_, in_time) = draft(app, &agent, Channel::Phone).await;
        let (_, too_late) = draft(app, &agent, Channel::Web).await;
        for id in [in_time, too_late] {
            let signed = agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
            assert_eq!(signed.withdrawal_deadline, Some(deadline_after(app.today(), 14)));
        }
        let deadline = deadline_after(app.today(), 14);
        app.clock.advance(deadline - app.today());
        let agent = app.as_role(Role::Agent).await;
        let withdrawn = agent.contract_action(in_time, ContractAction::Withdraw, &TransitionRequest { channel: Some(Channel::Letter), ..Default::default() }).await.unwrap();
        assert_eq!(withdrawn.status, ContractStatus::Withdrawn);
        let documents = agent.contract_documents(in_time).await.unwrap();
        assert_eq!(documents[0].kind, DocumentKind::WithdrawalStatement);

        app.clock.advance(Duration::days(1));
        let agent = app.as_role(Role::Agent).await;
        let problem = refused(agent.contract_action(too_late, ContractAction::Withdraw, &TransitionRequest::default()).await, 409, ErrorCode::WithdrawalNotAllowed);
        assert_eq!(problem.detail, Some(format!("the withdrawal period ended on {deadline}")));
        assert_eq!(agent.contract(too_late).await.unwrap().withdrawal_deadline, None);
    }

    async fn changed_terms_open_a_withdrawal_window_even_for_a_contract_signed_at_the_desk(app) {
        let agent = app.as_role(Role::Agent).await;
        let manager = app.as_role(Role::Manager).await;
        let (_, id) = draft(app, &agent, Channel::Visit).await;
        agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        manager.contract_action(id, ContractAction::Approve, &TransitionRequest::default()).await.unwrap();
        let problem = refused(agent.contract_action(id, ContractAction::Withdraw, &TransitionRequest::default()).await, 409, ErrorCode::WithdrawalNotAllowed);
        assert_eq!(problem.detail.as_deref(), Some("the contract was concluded at a sales point and its terms have not changed"));

        let next_month = first_of_next_month(app.today());
        let changed = agent
            .change_terms(id, &TermsChangeRequest { description: "Abonament rośnie do 64,99 zł netto.".into(), effective_from: next_month })
            .await
            .unwrap();
        assert_eq!(changed.terms_changed_on, Some(app.today()));
        assert_eq!(changed.withdrawal_deadline, Some(deadline_after(app.today(), 14)));
        let documents = agent.contract_documents(id).await.unwrap();
        assert_eq!(documents[0].kind, DocumentKind::TermsChangeNotice);
        agent.contract_action(id, ContractAction::Withdraw, &TransitionRequest::default()).await.unwrap();

        // An organisation is not a consumer.
        let firm = agent
            .create_customer(&NewCustomer {
                kind: CustomerKind::Organisation,
                first_name: None,
                last_name: None,
                organisation_name: Some("Hurtownia Sp. z o.o.".into()),
                tax_id: Some(TaxIdInput { scheme: None, value: "1234563218".into() }),
                ..new_person("", "")
            })
            .await
            .unwrap();
        let contract = agent
            .create_contract(&NewContract {
                customer_id: firm.id,
                sales_point_id: None,
                channel: Channel::Web,
                start_date: app.today(),
                end_date: None,
                subscriptions: vec![NewSubscription { tariff_id: tariff_id(&agent, "internet-600").await, service_address: address(), meter_number: None }],
            })
            .await
            .unwrap();
        agent.contract_action(contract.id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let problem = refused(agent.contract_action(contract.id, ContractAction::Withdraw, &TransitionRequest::default()).await, 409, ErrorCode::WithdrawalNotAllowed);
        assert_eq!(problem.detail.as_deref(), Some("only consumers may withdraw from a contract"));
    }

    async fn a_tariff_changes_from_next_month_unless_an_earlier_day_is_asked_for(app) {
        let agent = app.as_role(Role::Agent).await;
        let manager = app.as_role(Role::Manager).await;
        let (_, id) = draft(app, &agent, Channel::Visit).await;
        agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let contract = manager.contract_action(id, ContractAction::Approve, &TransitionRequest::default()).await.unwrap();
        let subscription_id = contract.subscriptions[0].id;
        let faster = tariff_id(&agent, "internet-600").await;
        let changed = agent.change_tariff(id, &TariffChangeRequest { subscription_id, tariff_id: faster, effective_from: None, early: false }).await.unwrap();
        let history = &changed.subscriptions[0].tariffs;
        assert_eq!(history.len(), 2);
        assert_eq!((history[1].tariff_code.as_str(), history[1].effective_from, history[1].early), ("internet-600", first_of_next_month(app.today()), false));

        let tomorrow = app.today() + Duration::days(1);
        let fastest = tariff_id(&agent, "internet-1000").await;
        if tomorrow.day() != 1 {
            let problem = refused(
                agent.change_tariff(id, &TariffChangeRequest { subscription_id, tariff_id: fastest, effective_from: Some(tomorrow), early: false }).await,
                422,
                ErrorCode::ValidationFailed,
            );
            assert_eq!(field_errors(&problem), [("effective_from".to_string(), "not_first_of_month".to_string())]);
        }
        let early = agent.change_tariff(id, &TariffChangeRequest { subscription_id, tariff_id: fastest, effective_from: Some(tomorrow), early: true }).await.unwrap();
        let history = &early.subscriptions[0].tariffs;
        let tomorrow_entry = history.iter().find(|t| t.effective_from == tomorrow).unwrap();
        assert_eq!((tomorrow_entry.tariff_code.as_str(), tomorrow_entry.early), ("internet-1000", tomorrow.day() != 1));
        // The earlier tariffs stay in the history: billing reads them.
        assert_eq!(history.first().unwrap().tariff_code, "internet-300");
        let past = refused(
            agent.change_tariff(id, &TariffChangeRequest { subscription_id, tariff_id: faster, effective_from: Some(app.today() - Duration::days(1)), early: true }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&past), [("effective_from".to_string(), "in_past".to_string())]);
        refused(agent.change_tariff(id, &TariffChangeRequest { subscription_id: 999_999, tariff_id: faster, effective_from: None, early: false }).await, 404, ErrorCode::SubscriptionNotFound);
    }

    async fn a_pause_with_a_last_day_ends_by_itself_and_a_fixed_term_too(app) {
        let agent = app.as_role(Role::Agent).await;
        let manager = app.as_role(Role::Manager).await;
        let (_, id) = draft(app, &agent, Channel::Visit).await;
        agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        manager.contract_action(id, ContractAction::Approve, &TransitionRequest::default()).await.unwrap();
        let today = app.today();
        let until = today + Duration::days(9);
        let paused = agent
            .contract_action(id, ContractAction::Suspend, &TransitionRequest { suspension_reason: Some(SuspensionReason::CustomerRequest), until: Some(until), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(paused.status, ContractStatus::Suspended);
        assert_eq!((paused.suspensions[0].from_date, paused.suspensions[0].until_date), (today, Some(until)));
        app.clock.advance(Duration::days(9));
        assert_eq!(app.run_jobs().await.resumed, 0, "the last day of the pause is still a pause");
        app.clock.advance(Duration::days(1));
        assert_eq!(app.run_jobs().await.resumed, 1);
        let agent = app.as_role(Role::Agent).await;
        let resumed = agent.contract(id).await.unwrap();
        assert_eq!((resumed.status, resumed.suspensions[0].resumed_on), (ContractStatus::Active, Some(until + Duration::days(1))));
        assert_eq!(app.run_jobs().await, okno_server::jobs::JobReport::default(), "a second run finds nothing to do");
    }

    async fn the_retention_list_shows_contracts_ending_soon_until_someone_calls(app) {
        let ending = app.today() + Duration::days(40);
        let contract = fixed_term(app, "Koniec", ending).await;
        let retention = app.as_role(Role::Retention).await;
        let listed = |list: &[okno_api_types::contracts::RetentionItem]| list.iter().any(|i| i.contract.id == contract.id);
        assert!(!listed(&retention.retention_worklist(&RetentionQuery::default()).await.unwrap()), "40 days out is not within 30");
        let wider = retention.retention_worklist(&RetentionQuery { days: Some(45), sales_point_id: None }).await.unwrap();
        let item = wider.iter().find(|i| i.contract.id == contract.id).unwrap();
        assert_eq!((item.days_left, item.phone.as_deref()), (40, Some("+48777888999")));
        let ending_soon = retention.contracts(&ContractQuery { ending_within_days: Some(45), ..Default::default() }).await.unwrap();
        assert!(ending_soon.items.iter().any(|c| c.id == contract.id));

        app.clock.advance(Duration::days(15));
        let retention = app.as_role(Role::Retention).await;
        assert!(listed(&retention.retention_worklist(&RetentionQuery::default()).await.unwrap()));
        retention
            .record_retention_contact(contract.id, &NewRetentionContact { channel: Channel::Phone, outcome: RetentionOutcome::NoAnswer, note: None })
            .await
            .unwrap();
        assert!(listed(&retention.retention_worklist(&RetentionQuery::default()).await.unwrap()), "nobody answered: it stays on the list");
        retention
            .record_retention_contact(contract.id, &NewRetentionContact { channel: Channel::Phone, outcome: RetentionOutcome::OfferSent, note: Some("oferta 24 mies. -10%".into()) })
            .await
            .unwrap();
        assert!(!listed(&retention.retention_worklist(&RetentionQuery::default()).await.unwrap()));
        assert_eq!(retention.retention_contacts(contract.id).await.unwrap()[0].outcome, RetentionOutcome::OfferSent);
        let agent = app.as_role(Role::Agent).await;
        refused(agent.record_retention_contact(contract.id, &NewRetentionContact { channel: Channel::Phone, outcome: RetentionOutcome::Declined, note: None }).await, 403, ErrorCode::Forbidden);

        // After the last day, the job ends the contract.
        app.clock.advance(ending - app.today() + Duration::days(1));
        assert!(app.run_jobs().await.ended >= 1);
        let ended = app.as_role(Role::Agent).await.contract(contract.id).await.unwrap();
        assert_eq!((ended.status, ended.terminated_on, ended.termination_reason.as_deref()), (ContractStatus::Terminated, Some(ending), Some("the fixed term ended")));
    }

    async fn a_notice_of_termination_keeps_the_contract_in_force_until_its_last_day(app) {
        let agent = app.as_role(Role::Agent).await;
        let id = contract_in_force(app, "Wypowiada", "internet-300", None, None).await.id;
        let last_day = app.today() + Duration::days(19);
        let notice = TransitionRequest { reason: Some("przeprowadzka".into()), date: Some(last_day), ..Default::default() };
        let noticed = agent.contract_action(id, ContractAction::Terminate, &notice).await.unwrap();
        assert_eq!(
            (noticed.status, noticed.terminated_on, noticed.ends_on, noticed.termination_reason.as_deref()),
            (ContractStatus::Active, Some(last_day), Some(last_day), Some("przeprowadzka"))
        );
        let events = agent.contract_events(id).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!((last.action.as_str(), last.from_status, last.to_status), ("termination_notice", Some(ContractStatus::Active), ContractStatus::Active));

        // Retention sees it: the notice is the moment to offer something.
        let retention = app.as_role(Role::Retention).await;
        let worklist = retention.retention_worklist(&RetentionQuery::default()).await.unwrap();
        let item = worklist.iter().find(|i| i.contract.id == id).unwrap();
        assert_eq!(item.days_left, 19);
        let ending = retention.contracts(&ContractQuery { ending_within_days: Some(19), ..Default::default() }).await.unwrap();
        assert!(ending.items.iter().any(|c| c.id == id), "the list of contracts ending soon has it too");
        let sooner = retention.contracts(&ContractQuery { ending_within_days: Some(18), ..Default::default() }).await.unwrap();
        assert!(!sooner.items.iter().any(|c| c.id == id));

        // Service goes on until the last day, which is still a day of service.
        app.clock.advance(Duration::days(19));
        assert_eq!(app.run_jobs().await.ended, 0, "the last day is a day of service");
        let agent = app.as_role(Role::Agent).await;
        assert_eq!(agent.contract(id).await.unwrap().status, ContractStatus::Active);
        app.clock.advance(Duration::days(1));
        // After the last day the notice is the job's, not someone's to withdraw.
        let late = refused(app.as_role(Role::Agent).await.contract_action(id, ContractAction::CancelTermination, &TransitionRequest::default()).await, 409, ErrorCode::IllegalTransition);
        assert_eq!(late.detail.as_deref(), Some("the contract has no notice of termination to withdraw"));
        assert_eq!(app.run_jobs().await.ended, 1);
        let agent = app.as_role(Role::Agent).await;
        let ended = agent.contract(id).await.unwrap();
        assert_eq!(
            (ended.status, ended.terminated_on, ended.ends_on, ended.termination_reason.as_deref()),
            (ContractStatus::Terminated, Some(last_day), Some(last_day), Some("przeprowadzka"))
        );
        let events: Vec<String> = agent.contract_events(id).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(events[events.len() - 2..], ["termination_notice", "terminate"]);
        let withdrawn = refused(agent.contract_action(id, ContractAction::CancelTermination, &TransitionRequest::default()).await, 409, ErrorCode::IllegalTransition);
        assert_eq!(withdrawn.detail.as_deref(), Some("a terminated contract cannot be kept in force"));
        assert_eq!(app.run_jobs().await.ended, 0, "a second run finds nothing to do");
    }

    async fn a_draft_the_customer_decided_against_is_cancelled_and_stays_on_record(app) {
        let agent = app.as_role(Role::Agent).await;
        let (_, id) = draft(app, &agent, Channel::Visit).await;
        let cancelled = agent.contract_action(id, ContractAction::Cancel, &TransitionRequest { reason: Some("klient zrezygnował".into()), ..Default::default() }).await.unwrap();
        assert_eq!(cancelled.status, ContractStatus::Cancelled);
        let last = agent.contract_events(id).await.unwrap().pop().unwrap();
        assert_eq!((last.action.as_str(), last.detail.as_deref()), ("cancel", Some("klient zrezygnował")));
        let sign = refused(agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await, 409, ErrorCode::IllegalTransition);
        assert_eq!(sign.detail.as_deref(), Some("a cancelled contract cannot be signed"));
        // A signed contract is not a draft to drop: it is withdrawn or terminated.
        let (_, signed) = draft(app, &agent, Channel::Visit).await;
        agent.contract_action(signed, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let late = refused(agent.contract_action(signed, ContractAction::Cancel, &TransitionRequest::default()).await, 409, ErrorCode::IllegalTransition);
        assert_eq!(late.detail.as_deref(), Some("a signed contract cannot be cancelled"));
    }

    async fn a_notice_of_termination_can_be_withdrawn_before_its_last_day(app) {
        let agent = app.as_role(Role::Agent).await;
        let id = contract_in_force(app, "Wypowiada", "internet-300", None, None).await.id;
        let nothing = refused(agent.contract_action(id, ContractAction::CancelTermination, &TransitionRequest::default()).await, 409, ErrorCode::IllegalTransition);
        assert_eq!(nothing.detail.as_deref(), Some("the contract has no notice of termination to withdraw"));

        let last_day = app.today() + Duration::days(30);
        let notice = TransitionRequest { reason: Some("konkurencja taniej".into()), date: Some(last_day), ..Default::default() };
        agent.contract_action(id, ContractAction::Terminate, &notice).await.unwrap();
        app.clock.advance(Duration::days(10));
        let agent = app.as_role(Role::Agent).await;
        let kept = agent
            .contract_action(id, ContractAction::CancelTermination, &TransitionRequest { reason: Some("rabat 20% na 12 mies.".into()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!((kept.status, kept.terminated_on, kept.ends_on, kept.termination_reason), (ContractStatus::Active, None, None, None));
        let last = agent.contract_events(id).await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.detail.as_deref()),
            ("cancel_termination", Some(format!("the notice ending on {last_day} withdrawn: rabat 20% na 12 mies.").as_str()))
        );
        app.clock.advance(Duration::days(30));
        assert_eq!(app.run_jobs().await.ended, 0, "no notice, no end");
        assert_eq!(app.as_role(Role::Agent).await.contract(id).await.unwrap().status, ContractStatus::Active);

        // A last day of today ends the contract at once, as before.
        let agent = app.as_role(Role::Agent).await;
        let now = agent.contract_action(id, ContractAction::Terminate, &TransitionRequest { reason: Some("wyjazd".into()), ..Default::default() }).await.unwrap();
        assert_eq!((now.status, now.terminated_on, now.ends_on), (ContractStatus::Terminated, Some(app.today()), Some(app.today())));
    }

    async fn a_notice_before_the_end_of_a_fixed_term_ends_the_contract_on_the_notices_day(app) {
        let agent = app.as_role(Role::Agent).await;
        let term_end = app.today() + Duration::days(200);
        let contract = fixed_term(app, "Wypowiedzenie", term_end).await;
        assert_eq!(contract.ends_on, Some(term_end), "a fixed term shows its end");
        let past_term = refused(
            agent.contract_action(contract.id, ContractAction::Terminate, &TransitionRequest { reason: Some("za późno".into()), date: Some(term_end + Duration::days(1)), ..Default::default() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&past_term), [("date".to_string(), "invalid_value".to_string())]);
        let last_day = app.today() + Duration::days(5);
        let noticed = agent
            .contract_action(contract.id, ContractAction::Terminate, &TransitionRequest { reason: Some("zmiana operatora".into()), date: Some(last_day), ..Default::default() })
            .await
            .unwrap();
        assert_eq!((noticed.status, noticed.ends_on, noticed.end_date), (ContractStatus::Active, Some(last_day), Some(term_end)));
        app.clock.advance(Duration::days(6));
        assert_eq!(app.run_jobs().await.ended, 1);
        let ended = app.as_role(Role::Agent).await.contract(contract.id).await.unwrap();
        assert_eq!((ended.status, ended.terminated_on, ended.termination_reason.as_deref()), (ContractStatus::Terminated, Some(last_day), Some("zmiana operatora")));
    }

    async fn benefits_belong_to_households_and_have_a_period(app) {
        let agent = app.as_role(Role::Agent).await;
        let customer = agent.create_customer(&new_person("Stefania", "Ulga")).await.unwrap();
        let benefit = NewBenefit {
            name: "Ulga dla seniora".into(),
            kind: BenefitKind::Percent,
            percent_bp: Some(5_000),
            amount_minor: None,
            valid_from: app.today(),
            valid_to: Some(app.today() + Duration::days(365)),
            document_reference: "Decyzja MOPS 12/2026".into(),
        };
        let granted = agent.create_benefit(customer.id, &benefit).await.unwrap();
        assert!(granted.current);
        let wrong = refused(agent.create_benefit(customer.id, &NewBenefit { percent_bp: Some(0), ..benefit.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&wrong), [("percent_bp".to_string(), "invalid_value".to_string())]);
        let backwards = refused(agent.create_benefit(customer.id, &NewBenefit { valid_to: Some(app.today() - Duration::days(1)), ..benefit.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&backwards), [("valid_to".to_string(), "invalid_value".to_string())]);
        let ended = agent.update_benefit(customer.id, granted.id, &BenefitPatch { valid_to: Some(Some(app.today())) }).await.unwrap();
        assert_eq!(ended.valid_to, Some(app.today()));

        let vip = agent.create_customer(&NewCustomer { segment: Some(Segment::Business), ..new_person("Marek", "Firma") }).await.unwrap();
        let not_household = refused(agent.create_benefit(vip.id, &benefit).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&not_household), [("customer".to_string(), "not_allowed".to_string())]);
        refused(app.as_role(Role::Cashier).await.create_benefit(customer.id, &benefit).await, 403, ErrorCode::Forbidden);
    }

    async fn a_subscriber_asks_for_a_tariff_change_and_staff_carry_it_out(app) {
        let agent = app.as_role(Role::Agent).await;
        let manager = app.as_role(Role::Manager).await;
        let (customer_id, id) = draft(app, &agent, Channel::Visit).await;
        agent.contract_action(id, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();
        let contract = manager.contract_action(id, ContractAction::Approve, &TransitionRequest::default()).await.unwrap();
        let (_, other) = draft(app, &agent, Channel::Visit).await;
        agent.contract_action(other, ContractAction::Sign, &TransitionRequest::default()).await.unwrap();

        let code = agent.issue_activation(customer_id).await.unwrap();
        let tokens = app.client.activate_cabinet(&ActivateRequest { account_number: code.account_number, activation_code: code.code, password: "haslo-abonenta".into() }).await.unwrap();
        let subscriber = app.client.with_token(&tokens.access_token);
        let mine = subscriber.my_contracts().await.unwrap();
        assert_eq!(mine.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
        let documents = subscriber.my_documents().await.unwrap();
        assert_eq!(documents.len(), 1);
        assert!(subscriber.document_pdf(&documents[0].pdf_url).await.unwrap().starts_with(b"%PDF-"));
        let others = agent.contract_documents(other).await.unwrap();
        let foreign = subscriber.raw("GET", &format!("api/v1/me/documents/{}/pdf", others[0].id), None).await.unwrap();
        assert_eq!(foreign.status, 404);

        let faster = tariff_id(&agent, "internet-600").await;
        let on_sale = subscriber.my_tariffs().await.unwrap();
        assert!(on_sale.iter().any(|t| t.id == faster));
        assert!(on_sale.iter().all(|t| t.active && t.current.is_some()), "only what can be bought today");
        let request = NewContractRequest { kind: RequestKind::TariffChange, contract_id: id, subscription_id: Some(contract.subscriptions[0].id), tariff_id: Some(faster), from_date: None, until_date: None, note: Some("Proszę o szybszy internet".into()) };
        let asked = subscriber.create_my_request(&request).await.unwrap();
        assert_eq!(asked.status, RequestStatus::Pending);
        refused(subscriber.create_my_request(&NewContractRequest { contract_id: other, ..request.clone() }).await, 404, ErrorCode::ContractNotFound);
        let unknown_tariff = refused(subscriber.create_my_request(&NewContractRequest { tariff_id: Some(424_242), ..request.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&unknown_tariff), [("tariff_id".to_string(), "unknown_reference".to_string())]);
        assert_eq!(subscriber.my_requests().await.unwrap().len(), 1, "the refused request is not stored");

        let pending = agent.contract_requests(&RequestQuery { status: Some(RequestStatus::Pending), customer_id: None }).await.unwrap();
        assert!(pending.iter().any(|r| r.id == asked.id));
        let decided = agent.decide_request(asked.id, &RequestDecision { accept: true, response: Some("Od przyszłego miesiąca".into()) }).await.unwrap();
        assert_eq!(decided.status, RequestStatus::Accepted);
        refused(agent.decide_request(asked.id, &RequestDecision { accept: false, response: None }).await, 409, ErrorCode::RequestAlreadyDecided);
        let changed = agent.contract(id).await.unwrap();
        assert_eq!(changed.subscriptions[0].tariffs.last().unwrap().tariff_code, "internet-600");
        assert_eq!(subscriber.my_requests().await.unwrap()[0].response.as_deref(), Some("Od przyszłego miesiąca"));
    }

    async fn a_draft_needs_real_services_and_sensible_dates(app) {
        let agent = app.as_role(Role::Agent).await;
        let customer = agent.create_customer(&new_person("Daria", "Data")).await.unwrap();
        let energy = tariff_id(&agent, "energy-g11").await;
        let problem = refused(
            agent
                .create_contract(&NewContract {
                    customer_id: customer.id,
                    sales_point_id: None,
                    channel: Channel::Visit,
                    start_date: app.today() - Duration::days(1),
                    end_date: Some(app.today() - Duration::days(2)),
                    subscriptions: vec![
                        NewSubscription { tariff_id: energy, service_address: address(), meter_number: None },
                        NewSubscription { tariff_id: 424_242, service_address: Address { postal_code: "1".into(), ..address() }, meter_number: None },
                    ],
                })
                .await,
            422,
            ErrorCode::ValidationFailed,
        );
        let mut fields = field_errors(&problem);
        fields.sort();
        assert_eq!(fields, [
            ("end_date".to_string(), "invalid_value".to_string()),
            ("start_date".to_string(), "in_past".to_string()),
            ("subscriptions[0].meter_number".to_string(), "required".to_string()),
            ("subscriptions[1].service_address.postal_code".to_string(), "invalid_postal_code".to_string()),
            ("subscriptions[1].tariff_id".to_string(), "unknown_reference".to_string()),
        ]);
        let empty = refused(
            agent.create_contract(&NewContract { customer_id: customer.id, sales_point_id: None, channel: Channel::Visit, start_date: app.today(), end_date: None, subscriptions: vec![] }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&empty), [("subscriptions".to_string(), "required".to_string())]);
        let unknown_customer = refused(
            agent.create_contract(&NewContract { customer_id: 999_999, sales_point_id: None, channel: Channel::Visit, start_date: app.today(), end_date: None, subscriptions: vec![] }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(unknown_customer.errors[0].field, "customer_id");
        refused(agent.contract(999_999).await, 404, ErrorCode::ContractNotFound);
    }

    async fn every_read_of_a_contract_is_in_the_audit_log(app) {
        let agent = app.as_role(Role::Agent).await;
        let (customer_id, contract_id) = draft(app, &agent, Channel::Visit).await;
        let (_, other_contract) = draft(app, &agent, Channel::Visit).await;
        let operator = app.as_role(Role::Operator).await.with_purpose("renewal call");
        let page = operator
            .contracts(&ContractQuery { customer_id: Some(customer_id), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), [contract_id]);
        assert_eq!(operator.contract(contract_id).await.unwrap().customer_id, customer_id);
        assert_eq!(operator.contract_events(contract_id).await.unwrap().len(), 1);
        refused(operator.contract_events(999_999).await, 404, ErrorCode::ContractNotFound);
        let everyone = operator.contracts(&ContractQuery::default()).await.unwrap();
        assert!(everyone.items.iter().any(|c| c.id == other_contract));

        let admin = app.as_role(Role::Admin).await;
        let operator_id = operator.me().await.unwrap().id;
        let log = admin
            .audit_log(&AuditQuery { user_id: Some(operator_id), ..Default::default() })
            .await
            .unwrap();
        let mut reads: Vec<(String, Option<i64>)> = log
            .items
            .iter()
            .filter(|e| e.action.starts_with("contract."))
            .map(|e| (e.action.clone(), e.customer_id))
            .collect();
        reads.sort();
        assert_eq!(reads, [
            ("contract.events".to_string(), Some(customer_id)),
            ("contract.list".to_string(), None),
            ("contract.list".to_string(), Some(customer_id)),
            ("contract.read".to_string(), Some(customer_id)),
        ]);
        let whole_list = log.items.iter().find(|e| e.action == "contract.list" && e.customer_id.is_none()).unwrap();
        assert!(whole_list.detail.as_deref().unwrap_or_default().contains("renewal call"), "{whole_list:?}");
    }

    async fn a_product_code_is_taken_once_whatever_its_case(app) {
        let admin = app.as_role(Role::Admin).await;
        let router = NewProduct { code: "router-ax3000".into(), name: "Router AX3000".into(), price_minor: 29_900, currency: None, vat_rate_bp: 2300 };
        let created = admin.create_product(&router).await.unwrap();
        assert_eq!((created.code.as_str(), created.currency.as_str()), ("ROUTER-AX3000", "PLN"));
        refused(admin.create_product(&NewProduct { code: " ROUTER-ax3000 ".into(), ..router.clone() }).await, 409, ErrorCode::ProductCodeTaken);
        let invalid = refused(admin.create_product(&NewProduct { code: "router ax".into(), ..router.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&invalid), [("code".to_string(), "invalid_value".to_string())]);
        assert_eq!(admin.products().await.unwrap().iter().filter(|p| p.code == "ROUTER-AX3000").count(), 1);
        refused(app.as_role(Role::Cashier).await.create_product(&router).await, 403, ErrorCode::Forbidden);
    }
}
