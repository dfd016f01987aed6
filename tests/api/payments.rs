//! Payments (R-30..R-32) through the API: registered exactly once however often they are
//! sent, put toward the oldest invoices first, the rest kept as credit that pays the next
//! invoice, reversed with what they paid opened again; every account adds up.

use chrono::{Duration, Utc};
use okno_api_types::billing::{AccountQuery, InvoiceQuery, InvoiceSummary};
use okno_api_types::payments::{
    NewPayment, NewPaymentReversal, NewTill, Payment, PaymentMethod, PaymentQuery, PaymentStatus,
    TillClosing, TillQuery,
};
use okno_api_types::{ErrorCode, Role};
use okno_client::Client;
use okno_domain::billing::Period;
use okno_e2e::{both_backends, field_errors, refused};

use crate::billing::{advance_to, bill};
use crate::contracts::contract_in_force;

fn transfer(customer_id: i64, amount_minor: i64) -> NewPayment {
    NewPayment {
        customer_id: Some(customer_id),
        account_number: None,
        amount_minor,
        currency: "PLN".into(),
        method: PaymentMethod::Transfer,
        payer_reference: None,
        external_reference: None,
        received_at: None,
    }
}

/// The customer's invoices, oldest first.
async fn invoices_of(client: &Client, customer_id: i64) -> Vec<InvoiceSummary> {
    let mut invoices = client
        .invoices(&InvoiceQuery {
            customer_id: Some(customer_id),
            ..Default::default()
        })
        .await
        .unwrap()
        .items;
    invoices.reverse();
    invoices
}

fn statuses(invoices: &[InvoiceSummary]) -> Vec<(PaymentStatus, i64)> {
    invoices
        .iter()
        .map(|i| (i.payment_status, i.to_pay_minor))
        .collect()
}

fn paid(payment: &Payment) -> Vec<(String, i64)> {
    payment
        .allocations
        .iter()
        .map(|a| {
            (
                a.invoice
                    .as_ref()
                    .map(|i| i.number.clone())
                    .unwrap_or_default(),
                a.amount_minor,
            )
        })
        .collect()
}

/// Every entry's balance follows from the one before it, and the newest is the balance.
async fn assert_ledger_adds_up(client: &Client, customer_id: i64) {
    let account = client
        .customer_account(
            customer_id,
            &AccountQuery {
                limit: Some(500),
                cursor: None,
            },
        )
        .await
        .unwrap();
    let total: i64 = account.entries.iter().map(|e| e.amount_minor).sum();
    assert_eq!(
        total, account.balance_minor,
        "the entries add up to the balance"
    );
    assert_eq!(
        account.entries.first().map(|e| e.balance_after_minor),
        Some(account.balance_minor)
    );
    for pair in account.entries.windows(2) {
        let (newer, older) = (&pair[0], &pair[1]);
        assert_eq!(
            newer.balance_after_minor - newer.amount_minor,
            older.balance_after_minor,
            "{newer:?}"
        );
    }
}

both_backends! {
    async fn payments_pay_the_oldest_invoices_first_and_credit_pays_the_next_invoice(app) {
        let customer = contract_in_force(app, "Płatna", "internet-300", None, None).await.customer_id;
        // Three months billed, one after another; each run on the first day of the next month.
        let mut period = Period::of(app.today());
        for _ in 0..3 {
            advance_to(app, period.next().first_day());
            bill(app, period).await;
            period = period.next();
        }
        let finance = app.as_role(Role::Finance).await;
        let cashier = app.as_role(Role::Cashier).await;
        let invoices = invoices_of(&finance, customer).await;
        assert_eq!(invoices.len(), 3);
        let gross: Vec<i64> = invoices.iter().map(|i| i.gross_minor).collect();
        let (g1, g2, g3) = (gross[0], gross[1], gross[2]);
        // Today the third invoice was issued; the two before are past their due dates.
        assert_eq!(statuses(&invoices), [(PaymentStatus::Overdue, g1), (PaymentStatus::Overdue, g2), (PaymentStatus::Open, g3)]);

        // One payment over three invoices: the first two in full, 10,00 of the third.
        let first = cashier.register_payment(&transfer(customer, g1 + g2 + 1_000), None).await.unwrap();
        let numbers: Vec<String> = invoices.iter().map(|i| i.number.clone()).collect();
        assert_eq!(paid(&first), [(numbers[0].clone(), g1), (numbers[1].clone(), g2), (numbers[2].clone(), 1_000)]);
        assert_eq!(first.credit_minor, 0);
        let invoices = invoices_of(&finance, customer).await;
        assert_eq!(statuses(&invoices), [(PaymentStatus::Paid, 0), (PaymentStatus::Paid, 0), (PaymentStatus::PartlyPaid, g3 - 1_000)]);
        let third = finance.invoice(invoices[2].id).await.unwrap();
        assert_eq!((third.payment_status, third.to_pay_minor), (PaymentStatus::PartlyPaid, g3 - 1_000));

        // An overpayment: the rest of the third invoice, and 50,00 kept as credit...
        let second = cashier.register_payment(&NewPayment { method: PaymentMethod::Card, ..transfer(customer, g3 - 1_000 + 5_000) }, None).await.unwrap();
        assert_eq!(paid(&second), [(numbers[2].clone(), g3 - 1_000)]);
        assert_eq!(second.credit_minor, 5_000);
        assert_eq!(statuses(&invoices_of(&finance, customer).await)[2], (PaymentStatus::Paid, 0));
        // ...which the next month's invoice uses.
        advance_to(app, period.next().first_day());
        bill(app, period).await;
        // A month on, signed in again.
        let finance = app.as_role(Role::Finance).await;
        let cashier = app.as_role(Role::Cashier).await;
        let invoices = invoices_of(&finance, customer).await;
        let g4 = invoices[3].gross_minor;
        assert!(g4 > 5_000, "{g4}");
        assert_eq!(statuses(&invoices)[3], (PaymentStatus::PartlyPaid, g4 - 5_000));
        let second = finance.payment(second.id).await.unwrap();
        assert_eq!(paid(&second), [(numbers[2].clone(), g3 - 1_000), (invoices[3].number.clone(), 5_000)]);
        assert_eq!(second.credit_minor, 0);
        assert_ledger_adds_up(&finance, customer).await;

        // Reversing the card payment opens what it paid again.
        let reason = NewPaymentReversal { reason: "Wpłata zarejestrowana na złego klienta".into() };
        refused(cashier.reverse_payment(second.id, &reason).await, 403, ErrorCode::Forbidden);
        let reversed = finance.reverse_payment(second.id, &reason).await.unwrap();
        assert_eq!(reversed.reversal.as_ref().map(|r| r.reason.as_str()), Some("Wpłata zarejestrowana na złego klienta"));
        assert_eq!((paid(&reversed), reversed.credit_minor), (vec![], 0));
        let invoices = invoices_of(&finance, customer).await;
        assert_eq!(statuses(&invoices), [(PaymentStatus::Paid, 0), (PaymentStatus::Paid, 0), (PaymentStatus::Overdue, g3 - 1_000), (PaymentStatus::Open, g4)]);
        refused(finance.reverse_payment(second.id, &reason).await, 409, ErrorCode::PaymentAlreadyReversed);
        let account = finance.customer_account(customer, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, -(g3 - 1_000) - g4);
        assert_ledger_adds_up(&finance, customer).await;
        let check = app.as_role(Role::Admin).await.ledger_check().await.unwrap();
        assert_eq!(check.findings, vec![], "the ledger is in order");
        let listed = finance.payments(&PaymentQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap();
        assert_eq!(listed.items.iter().map(|p| p.id).collect::<Vec<_>>(), [second.id, first.id]);
    }

    async fn a_payment_sent_two_hundred_times_at_once_is_registered_once(app) {
        let contract = contract_in_force(app, "Powtórka", "internet-300", None, None).await;
        let customer = contract.customer_id;
        let cashier = app.as_role(Role::Cashier).await;
        let payment = NewPayment { external_reference: Some("PKO-20261205-0042".into()), ..transfer(customer, 12_345) };
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..200 {
            let (cashier, payment) = (cashier.clone(), payment.clone());
            sends.spawn(async move { cashier.register_payment(&payment, Some("8e0f3a5c-payment-42")).await });
        }
        let answers: Vec<Payment> = sends.join_all().await.into_iter().map(|a| a.unwrap()).collect();
        assert_eq!(answers.len(), 200);
        assert!(answers.iter().all(|a| *a == answers[0]), "every answer is the first one");
        let listed = cashier.payments(&PaymentQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap();
        assert_eq!(listed.items.len(), 1, "one payment registered");
        let account = cashier.customer_account(customer, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, 12_345);

        // The same key with another request is refused, naming the key.
        let other = NewPayment { amount_minor: 12_346, ..payment.clone() };
        let problem = refused(cashier.register_payment(&other, Some("8e0f3a5c-payment-42")).await, 422, ErrorCode::IdempotencyKeyReused);
        assert_eq!(field_errors(&problem), [("Idempotency-Key".to_owned(), "duplicate".to_owned())]);
        // The bank's reference again, under another key or none: registered already.
        for key in [Some("another-key"), None] {
            let problem = refused(cashier.register_payment(&payment, key).await, 409, ErrorCode::PaymentAlreadyRegistered);
            assert_eq!(field_errors(&problem), [("external_reference".to_owned(), "duplicate".to_owned())]);
        }
        // The same reference of another method is another payment.
        let card = NewPayment { method: PaymentMethod::Card, ..payment.clone() };
        cashier.register_payment(&card, None).await.unwrap();
        let account = cashier.customer_account(customer, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, 2 * 12_345);
    }

    async fn a_payment_that_breaks_a_rule_is_refused_naming_the_field(app) {
        let customer = contract_in_force(app, "Błędna", "internet-300", None, None).await;
        let cashier = app.as_role(Role::Cashier).await;
        let account_number = cashier.customer(customer.customer_id).await.unwrap().account_number;
        let cases: Vec<(NewPayment, &str, &str)> = vec![
            (transfer(customer.customer_id, 0), "amount_minor", "out_of_range"),
            (transfer(customer.customer_id, 10_000_000_001), "amount_minor", "out_of_range"),
            (NewPayment { currency: "XYZ".into(), ..transfer(customer.customer_id, 100) }, "currency", "invalid_value"),
            (NewPayment { received_at: Some(Utc::now() + Duration::days(2)), ..transfer(customer.customer_id, 100) }, "received_at", "in_future"),
            (NewPayment { customer_id: None, ..transfer(customer.customer_id, 100) }, "customer_id", "required"),
            (NewPayment { account_number: Some(account_number.clone()), ..transfer(customer.customer_id, 100) }, "account_number", "invalid_value"),
            (NewPayment { customer_id: None, account_number: Some("100000999".into()), ..transfer(customer.customer_id, 100) }, "account_number", "unknown_reference"),
            (transfer(999_999, 100), "customer_id", "unknown_reference"),
            (NewPayment { payer_reference: Some("x".repeat(141)), ..transfer(customer.customer_id, 100) }, "payer_reference", "too_long"),
        ];
        for (payment, field, code) in cases {
            let problem = refused(cashier.register_payment(&payment, None).await, 422, ErrorCode::ValidationFailed);
            assert_eq!(field_errors(&problem), [(field.to_owned(), code.to_owned())], "{payment:?}");
        }
        let problem = refused(cashier.register_payment(&transfer(customer.customer_id, 100), Some(&"k".repeat(256))).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("Idempotency-Key".to_owned(), "invalid_value".to_owned())]);
        // Named by account number, spaces and all, as on a transfer title.
        let spaced = format!("{} {}", &account_number[..4], &account_number[4..]);
        let by_number = cashier.register_payment(&NewPayment { customer_id: None, account_number: Some(spaced), ..transfer(customer.customer_id, 100) }, None).await.unwrap();
        assert_eq!(by_number.customer_id, customer.customer_id);
        refused(cashier.payment(by_number.id + 1_000).await, 404, ErrorCode::PaymentNotFound);
        let account = cashier.customer_account(customer.customer_id, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, 100, "nothing refused was booked");
    }
}

both_backends! {
    async fn a_cashier_takes_cash_into_a_till_that_closes_ten_zloty_short_which_the_manager_sees(app) {
        let customer = contract_in_force(app, "Gotówkowa", "internet-300", None, None).await.customer_id;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day());
        bill(app, period).await;
        let cashier = app.as_role(Role::Cashier).await;
        let owed = invoices_of(&cashier, customer).await[0].clone();

        // Cash goes into a till: none is open yet.
        let cash = NewPayment { method: PaymentMethod::Cash, ..transfer(customer, owed.gross_minor + 5_000) };
        refused(cashier.register_payment(&cash, None).await, 409, ErrorCode::TillNotOpen);
        refused(cashier.current_till().await, 404, ErrorCode::TillNotFound);
        // Opened twice at once: one till.
        let mut opens = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let cashier = cashier.clone();
            opens.spawn(async move { cashier.open_till(&NewTill { float_minor: 20_000, currency: None }).await });
        }
        let opened: Vec<_> = opens.join_all().await;
        let till = opened.iter().find_map(|o| o.as_ref().ok()).cloned().unwrap();
        assert_eq!(opened.iter().filter(|o| o.is_ok()).count(), 1);
        for other in opened.into_iter().filter(Result::is_err) {
            refused(other, 409, ErrorCode::TillAlreadyOpen);
        }
        assert_eq!((till.float_minor, till.cash_minor, till.expected_cash_minor, till.sales_point_name.as_str()), (20_000, 0, 20_000, "Punkt Obsługi Klienta Mokotów"));

        let taken = cashier.register_payment(&cash, None).await.unwrap();
        assert_eq!(taken.till_id, Some(till.id));
        assert_eq!(paid(&taken), [(owed.number.clone(), owed.gross_minor)]);
        assert_eq!(taken.credit_minor, 5_000);
        let card = cashier.register_payment(&NewPayment { method: PaymentMethod::Card, ..transfer(customer, 9_900) }, None).await.unwrap();
        assert_eq!(card.till_id, Some(till.id));
        let desk_transfer = cashier.register_payment(&transfer(customer, 1_000), None).await.unwrap();
        assert_eq!(desk_transfer.till_id, None, "a transfer is not in the drawer");
        let receipt = cashier.document_pdf(&taken.receipt_url).await.unwrap();
        assert!(receipt.starts_with(b"%PDF-"));

        let expected = 20_000 + owed.gross_minor + 5_000;
        let now = cashier.current_till().await.unwrap();
        assert_eq!((now.cash_minor, now.card_minor, now.payments, now.expected_cash_minor), (owed.gross_minor + 5_000, 9_900, 2, expected));

        // A cashier of another point cannot touch it; its manager reads it, another point's not.
        let admin = app.as_role(Role::Admin).await;
        let head_office = admin.sales_points().await.unwrap().into_iter().find(|p| p.code == "HQ").unwrap();
        admin.create_user(&okno_api_types::users::NewUser { username: "kasjer.hq".into(), display_name: "Kasjer Centrali".into(), role: Role::Cashier, sales_point_id: Some(head_office.id), password: "kasjer-centrali-1".into() }).await.unwrap();
        let other = app.client.login(&okno_api_types::auth::LoginRequest { username: "kasjer.hq".into(), password: "kasjer-centrali-1".into(), realm: okno_api_types::auth::Realm::Staff }).await.unwrap();
        let other = app.client.with_token(&other.access_token);
        let counted = TillClosing { counted_minor: expected - 1_000, note: Some("Brak 10 zł".into()) };
        refused(other.close_till(till.id, &counted).await, 403, ErrorCode::Forbidden);
        let manager = app.as_role(Role::Manager).await;
        refused(manager.tills(&TillQuery { sales_point_id: Some(head_office.id), ..Default::default() }).await, 403, ErrorCode::Forbidden);
        let theirs = other.open_till(&NewTill { float_minor: 0, currency: None }).await.unwrap();
        refused(manager.till(theirs.id).await, 403, ErrorCode::Forbidden);

        // Closed 10,00 short: the difference is kept and the manager sees it.
        let closed = cashier.close_till(till.id, &counted).await.unwrap();
        assert_eq!((closed.counted_minor, closed.difference_minor, closed.expected_cash_minor), (Some(expected - 1_000), Some(-1_000), expected));
        assert_eq!(closed.closed_by.as_deref(), Some("Marek Kamiński"));
        refused(cashier.close_till(till.id, &counted).await, 409, ErrorCode::TillAlreadyClosed);
        let report = manager.tills(&TillQuery::default()).await.unwrap();
        assert_eq!(report.items.iter().map(|t| (t.id, t.difference_minor)).collect::<Vec<_>>(), [(till.id, Some(-1_000))]);
        assert_eq!(manager.till(till.id).await.unwrap().closing_note.as_deref(), Some("Brak 10 zł"));
        let finance = app.as_role(Role::Finance).await;
        assert_eq!(finance.tills(&TillQuery { open: Some(true), ..Default::default() }).await.unwrap().items.iter().map(|t| t.id).collect::<Vec<_>>(), [theirs.id]);
        let in_till = finance.payments(&PaymentQuery { till_id: Some(till.id), ..Default::default() }).await.unwrap();
        assert_eq!(in_till.items.iter().map(|p| p.id).collect::<Vec<_>>(), [card.id, taken.id]);
        // With the till closed, cash waits for the next one.
        refused(cashier.register_payment(&cash, None).await, 409, ErrorCode::TillNotOpen);
    }
}
