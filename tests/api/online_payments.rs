//! Online payments: the cabinet opens the gateway's page, the signed notification registers
//! the payment once, and nothing else does.

use okno_api_types::ErrorCode;
use okno_api_types::billing::{AccountQuery, InvoiceQuery};
use okno_api_types::online_payments::{
    CheckoutPurpose, CheckoutStatus, NewOnlinePayment, OnlinePayment,
};
use okno_api_types::payments::{PaymentMethod, PaymentQuery, PaymentStatus};
use okno_client::Client;
use okno_domain::access::Role;
use okno_domain::billing::Period;
use okno_e2e::{TEST_WEBHOOK_SECRET, TestApp, both_backends, refused};
use okno_server::payments::online::{fake, stripe};

use crate::billing::{advance_to, bill};
use crate::contracts::contract_in_force;

const WEBHOOK: &str = "api/v1/payment-gateways/stripe/webhook";

/// Subscribers of `internet-300` with a month invoiced, signed in to the cabinet.
pub(crate) async fn invoiced_subscribers(app: &TestApp, last_names: &[&str]) -> Vec<(i64, Client)> {
    let mut customers = Vec::new();
    for last_name in last_names {
        customers.push(
            contract_in_force(app, last_name, "internet-300", None, None)
                .await
                .customer_id,
        );
    }
    let period = Period::of(app.today());
    advance_to(app, period.next().first_day());
    bill(app, period).await;
    let agent = app.as_role(Role::Agent).await;
    let mut signed_in = Vec::new();
    for customer in customers {
        let code = agent.issue_activation(customer).await.unwrap();
        let tokens = app
            .client
            .activate_cabinet(&okno_api_types::cabinet::ActivateRequest {
                account_number: code.account_number,
                activation_code: code.code,
                password: "haslo-abonenta".into(),
            })
            .await
            .unwrap();
        signed_in.push((customer, app.client.with_token(&tokens.access_token)));
    }
    signed_in
}

async fn invoiced_subscriber(app: &TestApp, last_name: &str) -> (i64, Client) {
    invoiced_subscribers(app, &[last_name]).await.remove(0)
}

fn session_of(payment: &OnlinePayment) -> String {
    let url = payment.checkout_url.as_deref().unwrap();
    url.rsplit('/').next().unwrap().to_owned()
}

/// Posts `body` to the webhook signed with `secret` at `at` (unix time); the status and body.
async fn deliver(app: &TestApp, body: &str, secret: &str, at: i64) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/{WEBHOOK}", app.base_url))
        .header("content-type", "application/json")
        .header(
            stripe::SIGNATURE_HEADER,
            stripe::signature_header(secret, at, body.as_bytes()),
        )
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn now(app: &TestApp) -> i64 {
    app.state.clock.now().timestamp()
}

fn completed(event_id: &str, session: &str, amount_minor: i64, created: i64) -> String {
    fake::completed_event(event_id, session, amount_minor, "PLN", "", created).to_string()
}

fn expired(event_id: &str, session: &str, created: i64) -> String {
    serde_json::json!({
        "id": event_id, "object": "event", "type": "checkout.session.expired", "created": created,
        "data": {"object": {"id": session, "object": "checkout.session", "status": "expired", "payment_status": "unpaid"}}
    })
    .to_string()
}

both_backends! {
    async fn a_subscriber_pays_an_invoice_online_and_the_gateways_word_settles_it_once(app) {
        let mut subscribers = invoiced_subscribers(app, &["Internetowa", "Obcy"]).await;
        let (_, stranger) = subscribers.pop().unwrap();
        let (customer, subscriber) = subscribers.pop().unwrap();
        let overview = subscriber.my_online_payments().await.unwrap();
        assert!(overview.available);
        assert_eq!((overview.min_top_up_minor, overview.max_top_up_minor), (100, 1_000_000));
        let invoice = subscriber.my_invoices(&Default::default()).await.unwrap().items.remove(0);
        assert!(invoice.to_pay_minor > 0);

        let started = subscriber.start_my_online_payment(&NewOnlinePayment::Invoice { invoice_id: invoice.id }).await.unwrap();
        assert_eq!((started.purpose, started.status, started.amount_minor, started.currency.as_str()), (CheckoutPurpose::Invoice, CheckoutStatus::Open, invoice.to_pay_minor, "PLN"));
        assert_eq!(started.invoice.as_ref().map(|i| i.id), Some(invoice.id));
        let page = started.checkout_url.clone().unwrap();
        assert!(page.starts_with(&format!("{}/fake-gateway/pay/cs_test_", app.base_url)), "{page}");
        // Asked again while its page is open: the same payment and page.
        let again = subscriber.start_my_online_payment(&NewOnlinePayment::Invoice { invoice_id: invoice.id }).await.unwrap();
        assert_eq!((again.id, again.checkout_url.as_deref()), (started.id, Some(page.as_str())));
        // Another subscriber's invoice or online payment is not found.
        refused(stranger.start_my_online_payment(&NewOnlinePayment::Invoice { invoice_id: invoice.id }).await, 404, ErrorCode::InvoiceNotFound);
        refused(stranger.my_online_payment(started.id).await, 404, ErrorCode::OnlinePaymentNotFound);

        let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let shown = browser.get(&page).send().await.unwrap().text().await.unwrap();
        assert!(shown.contains(&format!("{}.{:02} PLN", invoice.to_pay_minor / 100, invoice.to_pay_minor % 100)), "{shown}");
        // Coming back from the gateway proves nothing: only its notification counts.
        assert_eq!(subscriber.my_online_payment(started.id).await.unwrap().status, CheckoutStatus::Open);

        let paid = browser.post(&page).form(&[("decision", "pay")]).send().await.unwrap();
        assert_eq!(paid.status().as_u16(), 303);
        let back = paid.headers().get("location").unwrap().to_str().unwrap().to_owned();
        assert_eq!(back, format!("{}/cabinet/online-payments/{}", app.base_url, started.id));
        let done = subscriber.my_online_payment(started.id).await.unwrap();
        assert_eq!((done.status, done.checkout_url.as_deref()), (CheckoutStatus::Paid, None));
        let payment = app.as_role(Role::Finance).await.payment(done.payment_id.unwrap()).await.unwrap();
        assert_eq!((payment.customer_id, payment.method, payment.amount_minor), (customer, PaymentMethod::Online, invoice.to_pay_minor));
        assert_eq!(payment.external_reference.as_deref(), Some(session_of(&started).as_str()));
        assert_eq!(payment.allocations.iter().map(|a| (a.invoice.as_ref().map(|i| i.id), a.amount_minor)).collect::<Vec<_>>(), [(Some(invoice.id), invoice.to_pay_minor)]);
        let settled = subscriber.my_invoice(invoice.id).await.unwrap();
        assert_eq!((settled.payment_status, settled.to_pay_minor), (PaymentStatus::Paid, 0));
        let finance = app.as_role(Role::Finance).await;
        let listed = finance.invoices(&InvoiceQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap().items;
        assert_eq!(listed.iter().map(|i| i.payment_status).collect::<Vec<_>>(), [PaymentStatus::Paid]);

        // Stripe delivers at least once: the same event again, and another event of the same
        // session, register nothing more.
        let session = session_of(&started);
        let body = completed("evt_again", &session, invoice.to_pay_minor, now(app));
        assert_eq!(deliver(app, &body, TEST_WEBHOOK_SECRET, now(app)).await, (200, serde_json::json!({"outcome": "already_registered"})));
        assert_eq!(deliver(app, &body, TEST_WEBHOOK_SECRET, now(app)).await, (200, serde_json::json!({"outcome": "replayed"})));
        let payments = finance.payments(&PaymentQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap().items;
        assert_eq!(payments.len(), 1);
        refused(subscriber.start_my_online_payment(&NewOnlinePayment::Invoice { invoice_id: invoice.id }).await, 409, ErrorCode::NothingToPay);
        let check = app.as_role(Role::Admin).await.ledger_check().await.unwrap();
        assert_eq!(check.findings, vec![], "the ledger is in order");
    }

    async fn forged_stale_and_altered_notifications_change_nothing_and_late_ones_still_count(app) {
        let (customer, subscriber) = invoiced_subscriber(app, "Doładowana").await;
        let too_small = subscriber.start_my_online_payment(&NewOnlinePayment::TopUp { amount_minor: 99 }).await;
        let problem = refused(too_small, 422, ErrorCode::ValidationFailed);
        assert_eq!(okno_e2e::field_errors(&problem), [("amount_minor".to_owned(), "out_of_range".to_owned())]);
        let top_up = subscriber.start_my_online_payment(&NewOnlinePayment::TopUp { amount_minor: 5_000 }).await.unwrap();
        assert_eq!((top_up.purpose, top_up.invoice.as_ref()), (CheckoutPurpose::TopUp, None));
        let session = session_of(&top_up);
        let body = completed("evt_paid", &session, 5_000, now(app));

        let (status, problem) = deliver(app, &body, "whsec_not_the_endpoints", now(app)).await;
        assert_eq!((status, problem["code"].as_str()), (400, Some("invalid_signature")));
        let (status, _) = deliver(app, &body, TEST_WEBHOOK_SECRET, now(app) - 301).await;
        assert_eq!(status, 400, "a signature older than five minutes is a replay");
        let altered = reqwest::Client::new()
            .post(format!("{}/{WEBHOOK}", app.base_url))
            .header(stripe::SIGNATURE_HEADER, stripe::signature_header(TEST_WEBHOOK_SECRET, now(app), body.as_bytes()))
            .body(body.replace("5000", "500000"))
            .send()
            .await
            .unwrap();
        assert_eq!(altered.status().as_u16(), 400);
        let unsigned = reqwest::Client::new().post(format!("{}/{WEBHOOK}", app.base_url)).body(body.clone()).send().await.unwrap();
        assert_eq!(unsigned.status().as_u16(), 400);
        let problem: serde_json::Value = unsigned.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"].as_str(), Some("Stripe-Signature"));
        let finance = app.as_role(Role::Finance).await;
        let none = finance.payments(&PaymentQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap().items;
        assert_eq!(none.len(), 0, "nothing registered");

        // Out of order: the page expired, then the payment's notification came late; a
        // second expiry after it changes nothing.
        assert_eq!(deliver(app, &expired("evt_expired", &session, now(app)), TEST_WEBHOOK_SECRET, now(app)).await.1["outcome"], "updated");
        assert_eq!(subscriber.my_online_payment(top_up.id).await.unwrap().status, CheckoutStatus::Expired);
        assert_eq!(deliver(app, &body, TEST_WEBHOOK_SECRET, now(app)).await.1["outcome"], "registered");
        assert_eq!(deliver(app, &expired("evt_expired_2", &session, now(app)), TEST_WEBHOOK_SECRET, now(app)).await.1["outcome"], "ignored");
        assert_eq!(subscriber.my_online_payment(top_up.id).await.unwrap().status, CheckoutStatus::Paid);
        let invoice = subscriber.my_invoices(&Default::default()).await.unwrap().items.remove(0);
        let account = subscriber.my_account(&AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, 5_000 - invoice.gross_minor);

        // Twenty deliveries of one event at once register one payment.
        let second = subscriber.start_my_online_payment(&NewOnlinePayment::TopUp { amount_minor: 2_500 }).await.unwrap();
        let body = completed("evt_at_once", &session_of(&second), 2_500, now(app));
        let mut sends = tokio::task::JoinSet::new();
        let http = reqwest::Client::new();
        for _ in 0..20 {
            let (base, body, at, http) = (app.base_url.clone(), body.clone(), now(app), http.clone());
            sends.spawn(async move {
                http
                    .post(format!("{base}/{WEBHOOK}"))
                    .header(stripe::SIGNATURE_HEADER, stripe::signature_header(TEST_WEBHOOK_SECRET, at, body.as_bytes()))
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()["outcome"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            });
        }
        let mut outcomes = sends.join_all().await;
        outcomes.sort();
        let registered = outcomes.iter().filter(|o| *o == "registered").count();
        let replayed = outcomes.iter().filter(|o| *o == "replayed").count();
        assert_eq!((registered, replayed), (1, 19), "{outcomes:?}");
        let online: Vec<i64> = finance.payments(&PaymentQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap().items.iter().map(|p| p.amount_minor).collect();
        assert_eq!(online, [2_500, 5_000]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_gateway_the_cabinet_offers_no_online_payment() {
    let Some(app) = TestApp::spawn_with(okno_e2e::Backend::Sqlite, |settings| {
        settings.online_payments.gateway = okno_server::config::Gateway::Off;
    })
    .await
    else {
        return;
    };
    let (_, subscriber) = invoiced_subscriber(&app, "Bezkartowa").await;
    assert!(!subscriber.my_online_payments().await.unwrap().available);
    refused(
        subscriber
            .start_my_online_payment(&NewOnlinePayment::TopUp {
                amount_minor: 5_000,
            })
            .await,
        409,
        ErrorCode::OnlinePaymentsOff,
    );
    let (status, _) = deliver(&app, "{}", TEST_WEBHOOK_SECRET, now(&app)).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_cannot_be_reached_charges_nothing_and_says_so() {
    // A port nobody listens at.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let Some(app) = TestApp::spawn_with(okno_e2e::Backend::Sqlite, |settings| {
        settings.online_payments.gateway = okno_server::config::Gateway::Stripe {
            secret_key: "sk_test_x".into(),
            webhook_secret: TEST_WEBHOOK_SECRET.into(),
            api_base: format!("http://{closed}"),
        };
    })
    .await
    else {
        return;
    };
    let (_, subscriber) = invoiced_subscriber(&app, "Bezsieciowa").await;
    refused(
        subscriber
            .start_my_online_payment(&NewOnlinePayment::TopUp {
                amount_minor: 5_000,
            })
            .await,
        502,
        ErrorCode::GatewayUnavailable,
    );
    let recent = subscriber.my_online_payments().await.unwrap().recent;
    assert_eq!(
        recent
            .iter()
            .map(|p| (p.status, p.checkout_url.as_deref()))
            .collect::<Vec<_>>(),
        [(CheckoutStatus::Failed, None)]
    );
    app.stop().await;
}
