//! Payments (R-30..R-32) through the API: registered exactly once however often they are
//! sent, put toward the oldest invoices first, the rest kept as credit that pays the next
//! invoice, reversed with what they paid opened again; every account adds up.

use chrono::{Duration, Utc};
use okno_api_types::billing::{AccountQuery, InvoiceQuery, InvoiceSummary};
use okno_api_types::payments::{
    CardRedemption, CsvColumns, CsvMapping, ImportLineQuery, ImportOutcome, LineAssignment,
    NewCardBatch, NewPayment, NewPaymentImport, NewPaymentReversal, NewTill, Payment,
    PaymentImport, PaymentMethod, PaymentQuery, PaymentStatus, StatementFormat, TillClosing,
    TillQuery,
};
use okno_api_types::{ErrorCode, Role};
use okno_client::Client;
use okno_domain::billing::Period;
use okno_e2e::{both_backends, field_errors, refused};

use crate::billing::{advance_to, bill};
use crate::contracts::contract_in_force;

/// A bank transfer of `amount_minor` PLN for `customer_id`.
pub(crate) fn transfer(customer_id: i64, amount_minor: i64) -> NewPayment {
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

        // The check finds an entry whose open part no longer follows from its allocations,
        // and a payment booked twice.
        let (first_id, amount) = (first.id, first.amount_minor);
        app.state
            .run(move |conn| {
                use diesel::prelude::*;
                use okno_db::schema::account_entries as e;
                diesel::update(e::table.filter(e::customer_id.eq(customer)).filter(e::kind.eq("invoice")))
                    .set(e::open_minor.eq(e::open_minor + 1))
                    .execute(conn)
                    .map_err(okno_db::DbError::from)?;
                let now = okno_server::time::to_db(Utc::now());
                okno_db::invoices::AccountEntryRecord::insert_all(conn, vec![okno_db::invoices::NewAccountEntryRow {
                    payment_id: Some(first_id),
                    ..okno_db::invoices::NewAccountEntryRow::new(customer, okno_api_types::billing::EntryKind::Payment, now, amount, "PLN".into(), "twice".into())
                }])?;
                Ok(())
            })
            .await
            .unwrap();
        let check = app.as_role(Role::Admin).await.ledger_check().await.unwrap();
        let found: Vec<_> = check.findings.iter().map(|f| f.invariant).collect();
        assert!(found.contains(&okno_api_types::health::LedgerInvariant::Allocation), "{check:?}");
        assert!(found.contains(&okno_api_types::health::LedgerInvariant::PaymentBooking), "{check:?}");
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

fn upload(file_name: &str, bytes: &[u8], bank: Option<&str>) -> NewPaymentImport {
    use base64::Engine;
    NewPaymentImport {
        file_name: file_name.into(),
        content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        bank: bank.map(Into::into),
    }
}

fn outcomes(import: &PaymentImport) -> Vec<(String, ImportOutcome, Option<i64>, i64)> {
    import
        .lines
        .iter()
        .map(|l| {
            (
                l.reference.clone(),
                l.outcome,
                l.customer_id,
                l.amount_minor,
            )
        })
        .collect()
}

const MT940: &[u8] = include_bytes!("../data/statements/mt940_pl.sta");
const CAMT_02: &[u8] = include_bytes!("../data/statements/camt053_001_02.xml");
const CAMT_08: &[u8] = include_bytes!("../data/statements/camt053_001_08.xml");
const CSV: &[u8] = include_bytes!("../data/statements/bank.csv");

fn ing_mapping() -> CsvMapping {
    CsvMapping {
        delimiter: ";".into(),
        has_header: true,
        date_format: "%d.%m.%Y".into(),
        decimal_comma: true,
        columns: CsvColumns {
            reference: 7,
            booked_on: 1,
            amount: 5,
            currency: Some(6),
            title: 3,
            payer_name: Some(2),
            payer_account: Some(4),
        },
    }
}

both_backends! {
    async fn bank_statements_register_each_transfer_once_and_leave_the_rest_for_staff(app) {
        // Ten customers: account numbers 100000017, 100000025, ... 100000108, as the files name them.
        let agent = app.as_role(Role::Agent).await;
        let mut customers = Vec::new();
        for n in 0..10 {
            customers.push(agent.create_customer(&crate::customers::new_person("Ewa", &format!("Przelewowa{n}"))).await.unwrap());
        }
        assert_eq!(customers[4].account_number, "100000058");
        let id = |n: usize| Some(customers[n].id);
        let finance = app.as_role(Role::Finance).await;

        // MT940: two subscribers by their account numbers, an invoice number nobody has, a debit.
        let mt940 = finance.import_statement(&upload("mt940_pl.sta", MT940, None)).await.unwrap();
        assert_eq!((mt940.format, mt940.registered, mt940.unmatched, mt940.duplicates, mt940.debits_skipped), (StatementFormat::Mt940, 2, 1, 0, 1));
        assert_eq!(outcomes(&mt940), [
            ("PKO-20261201-0001".to_owned(), ImportOutcome::Registered, id(4), 15_000),
            ("PKO-20261202-0003".to_owned(), ImportOutcome::Unmatched, None, 9_999),
            ("261203KR000457".to_owned(), ImportOutcome::Registered, id(6), 30_000),
        ]);
        assert_eq!(mt940.lines[0].matched_by.as_deref(), Some("account_number"));
        let paid = finance.payments(&PaymentQuery { customer_id: id(4), ..Default::default() }).await.unwrap().items;
        assert_eq!(paid.iter().map(|p| (p.method, p.amount_minor, p.external_reference.clone())).collect::<Vec<_>>(), [(PaymentMethod::Transfer, 15_000, Some("PKO-20261201-0001".to_owned()))]);
        assert_eq!(paid[0].payer_reference.as_deref(), Some("Abonament 100000058 grudzień 2026"));

        // The same file again: the first import, nothing registered twice.
        let again = finance.import_statement(&upload("mt940_pl (1).sta", MT940, None)).await.unwrap();
        assert_eq!((again.id, again.registered), (mt940.id, 2));
        // Another file with the same entries (a statement re-sent): each a duplicate.
        let resent = String::from_utf8(MT940.to_vec()).unwrap().replace("ST261201/0001", "ST261201/0002");
        let resent = finance.import_statement(&upload("resent.sta", resent.as_bytes(), None)).await.unwrap();
        assert_ne!(resent.id, mt940.id);
        assert_eq!((resent.registered, resent.unmatched, resent.duplicates), (0, 0, 3));
        let balance = |n: usize| {
            let finance = finance.clone();
            let customer = customers[n].id;
            async move { finance.customer_account(customer, &AccountQuery::default()).await.unwrap().balance_minor }
        };
        assert_eq!(balance(4).await, 15_000);

        // The unmatched queue: staff assign the line to its customer, once.
        let queue = finance.import_lines(&ImportLineQuery::default()).await.unwrap().items;
        assert_eq!(queue.iter().map(|l| l.reference.as_str()).collect::<Vec<_>>(), ["PKO-20261202-0003"]);
        assert!(queue[0].reason.is_some());
        let assigned = finance.assign_import_line(queue[0].id, &LineAssignment { customer_id: customers[2].id }).await.unwrap();
        assert_eq!((assigned.outcome, assigned.customer_id, assigned.matched_by.as_deref()), (ImportOutcome::Assigned, id(2), Some("Agnieszka Szymańska")));
        refused(finance.assign_import_line(queue[0].id, &LineAssignment { customer_id: customers[3].id }).await, 409, ErrorCode::LineAlreadyAssigned);
        assert_eq!(balance(2).await, 9_999);
        assert!(finance.import_lines(&ImportLineQuery::default()).await.unwrap().items.is_empty());

        // camt.053 .02 and .08: account numbers written with spaces, batch-booked entries,
        // invoice numbers nobody has; a pending entry not read.
        let camt = finance.import_statement(&upload("camt053_001_02.xml", CAMT_02, None)).await.unwrap();
        assert_eq!((camt.format, camt.registered, camt.unmatched, camt.debits_skipped), (StatementFormat::Camt053, 2, 2, 1));
        assert_eq!(camt.lines.iter().filter(|l| l.outcome == ImportOutcome::Registered).map(|l| l.customer_id).collect::<Vec<_>>(), [id(0), id(1)]);
        let camt = finance.import_statement(&upload("camt053_001_08.xml", CAMT_08, None)).await.unwrap();
        assert_eq!((camt.registered, camt.unmatched, camt.debits_skipped), (1, 3, 1));
        assert_eq!(camt.lines[0].customer_id, id(3));

        // CSV: read by the bank's saved mapping.
        refused(finance.import_statement(&upload("bank.csv", CSV, None)).await, 422, ErrorCode::ValidationFailed);
        refused(finance.import_statement(&upload("bank.csv", CSV, Some("ING"))).await, 422, ErrorCode::ValidationFailed);
        finance.save_csv_mapping("ING", &ing_mapping()).await.unwrap();
        assert_eq!(finance.csv_mappings().await.unwrap().iter().map(|m| m.bank.as_str()).collect::<Vec<_>>(), ["ING"]);
        let csv = finance.import_statement(&upload("bank.csv", CSV, Some("ING"))).await.unwrap();
        assert_eq!((csv.format, csv.registered, csv.unmatched, csv.debits_skipped), (StatementFormat::Csv, 2, 1, 1));
        assert_eq!(csv.lines.iter().filter(|l| l.outcome == ImportOutcome::Registered).map(|l| l.customer_id).collect::<Vec<_>>(), [id(8), id(9)]);

        // A file with one bad line: refused whole, naming the line; nothing imported.
        let before = finance.payment_imports(&okno_api_types::PageQuery::default()).await.unwrap().items.len();
        let problem = refused(finance.import_statement(&upload("bad.sta", include_bytes!("../data/statements/mt940_bad_line.sta"), None)).await, 422, ErrorCode::StatementMalformed);
        assert_eq!(problem.detail.as_deref(), Some("line 7: the amount \"1O5,00\" is not a number"));
        let problem = refused(finance.import_statement(&upload("bad.xml", include_bytes!("../data/statements/camt053_bad_amount.xml"), None)).await, 422, ErrorCode::StatementMalformed);
        assert!(problem.detail.as_deref().unwrap_or_default().starts_with("line 33:"), "{problem:?}");
        assert_eq!(finance.payment_imports(&okno_api_types::PageQuery::default()).await.unwrap().items.len(), before);
        let check = app.as_role(Role::Admin).await.ledger_check().await.unwrap();
        assert_eq!(check.findings, vec![]);
    }

    async fn a_transfer_titled_with_an_invoice_number_however_written_pays_that_invoice(app) {
        let customer = contract_in_force(app, "Fakturowa", "internet-300", None, None).await.customer_id;
        let other = contract_in_force(app, "Obcofakturowa", "internet-300", None, None).await.customer_id;
        // Two months billed: the transfer names the newer invoice, which it pays rather than
        // the older one (the payer's choice before oldest first).
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day());
        bill(app, period).await;
        advance_to(app, period.next().next().first_day());
        bill(app, period.next()).await;
        let finance = app.as_role(Role::Finance).await;
        let invoices = invoices_of(&finance, customer).await;
        let (older, invoice) = (invoices[0].clone(), invoices[1].clone());
        finance.save_csv_mapping("ING", &ing_mapping()).await.unwrap();
        let written = invoice.number.to_lowercase().replace('/', "-");
        let amount = format!("{},{:02}", invoice.gross_minor / 100, invoice.gross_minor % 100);
        let file = format!("Data;Księgowanie;Nadawca;Tytuł;Rachunek;Kwota;Waluta;Nr\n01.12.2026;{};Ewa Fakturowa;za {written};;{amount};PLN;ING-1\n", app.today().format("%d.%m.%Y"));
        let import = finance.import_statement(&upload("one.csv", file.as_bytes(), Some("ING"))).await.unwrap();
        assert_eq!(outcomes(&import), [("ING-1".to_owned(), ImportOutcome::Registered, Some(customer), invoice.gross_minor)]);
        assert_eq!(import.lines[0].matched_by.as_deref(), Some("invoice_number"));
        let paid = finance.invoice(invoice.id).await.unwrap();
        assert_eq!((paid.payment_status, paid.to_pay_minor), (PaymentStatus::Paid, 0));
        let unpaid = finance.invoice(older.id).await.unwrap();
        assert_eq!((unpaid.payment_status, unpaid.to_pay_minor), (PaymentStatus::Overdue, older.gross_minor));

        // At a desk the payer names the older one; another customer's invoice is refused.
        let theirs = invoices_of(&finance, other).await[0].id;
        let problem = refused(finance.register_payment(&NewPayment { invoice_id: Some(theirs), ..transfer(customer, 1_000) }, None).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("invoice_id".to_owned(), "unknown_reference".to_owned())]);
        let named = finance.register_payment(&NewPayment { invoice_id: Some(older.id), ..transfer(customer, 1_000) }, None).await.unwrap();
        assert_eq!(named.allocations.iter().map(|a| (a.invoice.as_ref().map(|i| i.id), a.amount_minor)).collect::<Vec<_>>(), [(Some(older.id), 1_000)]);
    }
}

/// The codes of a batch just made, from its CSV.
fn codes_of(created: &okno_api_types::payments::CreatedCardBatch) -> Vec<String> {
    created
        .codes_csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').nth(1))
        .map(str::to_owned)
        .collect()
}

both_backends! {
    async fn a_prepaid_card_pays_its_value_once_and_wrong_codes_are_slowed_down(app) {
        let first = contract_in_force(app, "Kartowa", "internet-300", None, None).await.customer_id;
        let second = contract_in_force(app, "Zdrapka", "internet-300", None, None).await.customer_id;
        let finance = app.as_role(Role::Finance).await;
        let cashier = app.as_role(Role::Cashier).await;
        let batch = |cards: u32, days: i64| NewCardBatch { cards, value_minor: 5_000, currency: None, valid_until: app.today() + Duration::days(days) };
        refused(finance.create_card_batch(&NewCardBatch { valid_until: app.today(), ..batch(0, 0) }).await, 422, ErrorCode::ValidationFailed);
        let created = finance.create_card_batch(&batch(3, 30)).await.unwrap();
        let codes = codes_of(&created);
        assert_eq!(codes.len(), 3);
        assert!(codes.iter().all(|c| okno_domain::payments::CardCode::parse(c).is_ok()), "{codes:?}");
        assert!(created.codes_csv.starts_with("serial;code;value;currency;valid_until\n"));
        assert!(created.codes_csv.contains(";50.00;PLN;"), "{}", created.codes_csv);

        let redeem = |code: &str, customer: i64| CardRedemption { code: code.into(), customer_id: customer };
        let paid = cashier.redeem_card(&redeem(&codes[0], first)).await.unwrap();
        assert_eq!((paid.method, paid.amount_minor, paid.customer_id), (PaymentMethod::PrepaidCard, 5_000, first));
        refused(cashier.redeem_card(&redeem(&codes[0], second)).await, 409, ErrorCode::CardAlreadyRedeemed);
        // The same card at two desks at once: one payment.
        let mut both = tokio::task::JoinSet::new();
        for customer in [first, second] {
            let (cashier, redemption) = (cashier.clone(), redeem(&codes[1], customer));
            both.spawn(async move { cashier.redeem_card(&redemption).await });
        }
        let answers = both.join_all().await;
        assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 1, "{answers:?}");
        for answer in answers.into_iter().filter(Result::is_err) {
            refused(answer, 409, ErrorCode::CardAlreadyRedeemed);
        }
        let batches = finance.card_batches().await.unwrap();
        assert_eq!((batches[0].id, batches[0].redeemed), (created.batch.id, 2));

        // A mistyped code is a typing error; a code no card has is a guess, and guesses are
        // slowed down for the account, even for the right code then.
        let problem = refused(cashier.redeem_card(&redeem("1234 5678 9012 3456", second)).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("code".to_owned(), "invalid_value".to_owned())]);
        let mut locked = false;
        for n in 0..20_u64 {
            let guess = okno_domain::payments::CardCode::from_random(n).printed();
            match cashier.redeem_card(&redeem(&guess, second)).await {
                Err(okno_client::ClientError::Api(p)) if p.status == 429 => {
                    locked = true;
                    break;
                }
                other => {
                    refused(other, 422, ErrorCode::InvalidCardCode);
                }
            }
        }
        assert!(locked, "wrong codes are slowed down");
        let problem = refused(cashier.redeem_card(&redeem(&codes[2], second)).await, 429, ErrorCode::LoginLocked);
        assert!(problem.detail.is_some());
        // A card past its last day pays nothing.
        let other_batch = finance.create_card_batch(&batch(1, 1)).await.unwrap();
        let late = codes_of(&other_batch);
        advance_to(app, app.today() + Duration::days(2));
        let (cashier, finance) = (app.as_role(Role::Cashier).await, app.as_role(Role::Finance).await);
        refused(cashier.redeem_card(&redeem(&late[0], first)).await, 422, ErrorCode::CardExpired);
        let account = cashier.customer_account(first, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.entries.iter().filter(|e| e.kind == okno_api_types::billing::EntryKind::Payment).count(), 1 + usize::from(answers_first_won(&finance, first).await));
    }
}

/// Whether `customer` won the race for the second card.
async fn answers_first_won(finance: &Client, customer: i64) -> bool {
    finance
        .payments(&PaymentQuery {
            customer_id: Some(customer),
            method: Some(PaymentMethod::PrepaidCard),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .len()
        == 2
}

both_backends! {
    async fn a_subscriber_sees_their_own_payments_and_receipts_and_redeems_a_card(app) {
        let customer = contract_in_force(app, "Subskrybentka", "internet-300", None, None).await.customer_id;
        let other = contract_in_force(app, "Obca", "internet-300", None, None).await.customer_id;
        let finance = app.as_role(Role::Finance).await;
        finance.register_payment(&transfer(customer, 4_000), None).await.unwrap();
        let theirs = finance.register_payment(&transfer(other, 7_000), None).await.unwrap();
        let card = codes_of(&finance.create_card_batch(&NewCardBatch { cards: 1, value_minor: 2_500, currency: None, valid_until: app.today() + Duration::days(10) }).await.unwrap());
        let code = app.as_role(Role::Agent).await.issue_activation(customer).await.unwrap();
        let tokens = app.client.activate_cabinet(&okno_api_types::cabinet::ActivateRequest { account_number: code.account_number, activation_code: code.code, password: "haslo-abonentki".into() }).await.unwrap();
        let subscriber = app.client.with_token(&tokens.access_token);

        let redeemed = subscriber.redeem_my_card(&okno_api_types::payments::MyCardRedemption { code: card[0].clone() }).await.unwrap();
        assert_eq!((redeemed.customer_id, redeemed.amount_minor, redeemed.method), (customer, 2_500, PaymentMethod::PrepaidCard));
        let mine = subscriber.my_payments(&okno_api_types::PageQuery::default()).await.unwrap().items;
        assert_eq!(mine.iter().map(|p| (p.customer_id, p.amount_minor)).collect::<Vec<_>>(), [(customer, 2_500), (customer, 4_000)]);
        assert_eq!(mine[1].receipt_url, format!("/api/v1/me/payments/{}/receipt", mine[1].id));
        assert!(subscriber.document_pdf(&mine[1].receipt_url).await.unwrap().starts_with(b"%PDF-"));
        let foreign = subscriber.raw("GET", &format!("api/v1/me/payments/{}/receipt", theirs.id), None).await.unwrap();
        assert_eq!(foreign.status, 404);
        refused(subscriber.payments(&PaymentQuery::default()).await, 403, ErrorCode::Forbidden);
        let account = subscriber.my_account(&AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, 6_500);
    }
}

/// A camt.053 of one credit entry sent to `creditor_iban` with `title`.
fn camt_to(creditor_iban: &str, reference: &str, amount: &str, title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>VA-{reference}</MsgId><CreDtTm>2026-12-02T06:10:25</CreDtTm></GrpHdr>
    <Stmt><Id>VA-{reference}</Id><CreDtTm>2026-12-02T06:10:25</CreDtTm>
      <Acct><Id><IBAN>PL61109010140000071219812874</IBAN></Id><Ccy>PLN</Ccy></Acct>
      <Ntry><Amt Ccy="PLN">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-12-01</Dt></BookgDt><ValDt><Dt>2026-12-01</Dt></ValDt>
        <AcctSvcrRef>{reference}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>Jan Kowalski</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>PL56102028920000120201234567</IBAN></Id></DbtrAcct>
            <CdtrAcct><Id><IBAN>{creditor_iban}</IBAN></Id></CdtrAcct></RltdPties>
          <RmtInf><Ustrd>{title}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>"#
    )
}

async fn virtual_accounts_name_the_customer(backend: okno_e2e::Backend) {
    let accounts =
        okno_domain::payments::virtual_account::VirtualAccounts::new("1090 1014 7001").unwrap();
    let configured = accounts.clone();
    let Some(app) = okno_e2e::TestApp::spawn_with(backend, move |settings| {
        settings.billing.virtual_accounts = Some(configured)
    })
    .await
    else {
        return;
    };
    let app = &app;
    let customer = contract_in_force(app, "Wirtualna", "internet-300", None, None).await;
    let period = Period::of(app.today());
    advance_to(app, period.next().first_day());
    bill(app, period).await;
    let finance = app.as_role(Role::Finance).await;
    let number = okno_domain::customers::AccountNumber::parse(
        &finance
            .customer(customer.customer_id)
            .await
            .unwrap()
            .account_number,
    )
    .unwrap();
    let own = accounts.iban_of(&number);

    // The invoice and the account name the customer's own account to pay to.
    let invoice = invoices_of(&finance, customer.customer_id).await.remove(0);
    let invoice = finance.invoice(invoice.id).await.unwrap();
    assert_eq!(invoice.seller.bank_account.as_deref(), Some(own.as_str()));
    let account = finance
        .customer_account(customer.customer_id, &AccountQuery::default())
        .await
        .unwrap();
    assert_eq!(account.pay_to.as_deref(), Some(own.as_str()));

    // A transfer sent there is theirs whatever its title says; one sent to the operator's
    // own account with a title naming nobody waits for staff.
    let compact: String = own.chars().filter(|c| !c.is_whitespace()).collect();
    let statement = camt_to(&compact, "VA-0001", "61.49", "za internet");
    let imported = finance
        .import_statement(&upload("va.xml", statement.as_bytes(), None))
        .await
        .unwrap();
    assert_eq!(
        outcomes(&imported),
        [(
            "VA-0001".to_owned(),
            ImportOutcome::Registered,
            Some(customer.customer_id),
            6_149
        )]
    );
    assert_eq!(
        imported.lines[0].matched_by.as_deref(),
        Some("virtual_account")
    );
    let statement = camt_to(
        "PL61109010140000071219812874",
        "VA-0002",
        "10.00",
        "za internet",
    );
    let imported = finance
        .import_statement(&upload("op.xml", statement.as_bytes(), None))
        .await
        .unwrap();
    assert_eq!(imported.lines[0].outcome, ImportOutcome::Unmatched);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn virtual_accounts_name_the_customer_sqlite() {
    virtual_accounts_name_the_customer(okno_e2e::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn virtual_accounts_name_the_customer_postgres() {
    virtual_accounts_name_the_customer(okno_e2e::Backend::Postgres).await;
}
