//! Billing (R-20..R-28) through the API: the worked examples of a month billed exactly,
//! gapless numbers under concurrent workers, a run that survives a dead worker, correction
//! notes, usage and meter readings, prepaid charging, and the subscriber's invoices.

use std::time::Duration as StdDuration;

use chrono::{Datelike, Duration, NaiveDate};
use okno_api_types::audit::AuditQuery;
use okno_api_types::billing::{
    AccountQuery, BillingRun, EntryKind, InvoiceKind, InvoiceQuery, LineCorrection, LineKind,
    MyInvoiceQuery, NewBillingRun, NewCorrection, NewMeterReading, NewUsageEvent, RunStatus,
    UsageBatch, UsageUnit,
};
use okno_api_types::cabinet::ActivateRequest;
use okno_api_types::contracts::{
    BenefitKind, ContractAction, NewBenefit, TariffChangeRequest, TransitionRequest,
};
use okno_api_types::health::LedgerInvariant;
use okno_api_types::tariffs::NewTariffVersion;
use okno_api_types::{Channel, ErrorCode, Role};
use okno_client::Client;
use okno_domain::billing::Period;
use okno_e2e::{TestApp, both_backends, field_errors, refused};

use crate::contracts::tariff_id;

/// Moves the clock forward to `day` (never back).
pub(crate) fn advance_to(app: &TestApp, day: NaiveDate) {
    let today = app.today();
    if day > today {
        app.clock.advance(day - today);
    }
}

/// A customer with an active contract on `tariff` from today.
async fn active_contract(
    app: &TestApp,
    last_name: &str,
    tariff: &str,
    meter: Option<&str>,
) -> (i64, i64) {
    let contract = crate::contracts::contract_in_force(app, last_name, tariff, meter, None).await;
    assert_eq!(
        contract.status,
        okno_api_types::contracts::ContractStatus::Active
    );
    (contract.customer_id, contract.id)
}

/// Waits for the run to complete, with or without failures.
async fn finished(client: &Client, id: i64) -> BillingRun {
    for _ in 0..600 {
        let run = client.billing_run(id).await.unwrap();
        if run.status != RunStatus::Running {
            return run;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("billing run {id} did not finish");
}

pub(crate) async fn bill(app: &TestApp, period: Period) -> BillingRun {
    let finance = app.as_role(Role::Finance).await;
    let run = finance
        .start_billing_run(&NewBillingRun {
            period,
            issue_date: None,
        })
        .await
        .unwrap();
    finished(&finance, run.id).await
}

/// The nets of a customer's invoice of the period, by line kind.
async fn nets(client: &Client, customer_id: i64, period: Period) -> Vec<(LineKind, i64)> {
    let page = client
        .invoices(&InvoiceQuery {
            customer_id: Some(customer_id),
            period: Some(period.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page.items.len(),
        1,
        "one invoice of {period} for customer {customer_id}"
    );
    let invoice = client.invoice(page.items[0].id).await.unwrap();
    invoice
        .lines
        .iter()
        .map(|l| (l.kind, l.net_minor))
        .collect()
}

/// The first month after the current one with 30 days.
fn next_30_day_month(today: NaiveDate) -> Period {
    let mut period = Period::of(today).next();
    while period.days() != 30 {
        period = period.next();
    }
    period
}

/// Writes a customer's stored addresses behind the application's back.
async fn store_addresses(app: &TestApp, customer_id: i64, stored: &'static str) {
    app.state
        .run(move |conn| {
            use diesel::prelude::*;
            use okno_db::schema::customers::dsl;
            diesel::update(dsl::customers.find(customer_id))
                .set(dsl::addresses.eq(stored))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
}

fn day_of(period: Period, day: u32) -> NaiveDate {
    period.first_day() + Duration::days(i64::from(day) - 1)
}

both_backends! {
    async fn a_month_is_billed_exactly_as_worked_out_by_hand(app) {
        let month = next_30_day_month(app.today());
        advance_to(app, month.previous().first_day().max(app.today()));
        // Before the month: five customers with services running.
        let (on_first, on_first_contract) = active_contract(app, "Pierwsza", "internet-300", None).await;
        let (mid_month, mid_contract) = active_contract(app, "Połowa", "internet-300", None).await;
        let (paused, paused_contract) = active_contract(app, "Pauza", "internet-300", None).await;
        let (energy, _) = active_contract(app, "Prąd", "energy-g11", Some("E-4711")).await;
        let (household, _) = active_contract(app, "Ulga", "internet-300", None).await;
        let agent = app.as_role(Role::Agent).await;
        let manager = app.as_role(Role::Manager).await;
        let faster = tariff_id(&agent, "internet-600").await;
        let first_sub = agent.contract(on_first_contract).await.unwrap().subscriptions[0].id;
        agent.change_tariff(on_first_contract, &TariffChangeRequest { subscription_id: first_sub, tariff_id: faster, effective_from: None, early: false }).await.unwrap();
        let mid_sub = agent.contract(mid_contract).await.unwrap().subscriptions[0].id;
        agent.change_tariff(mid_contract, &TariffChangeRequest { subscription_id: mid_sub, tariff_id: faster, effective_from: Some(day_of(month, 16)), early: true }).await.unwrap();
        agent
            .create_benefit(household, &NewBenefit { name: "Karta Dużej Rodziny".into(), kind: BenefitKind::Percent, percent_bp: Some(5_000), amount_minor: None, valid_from: day_of(month, 16), valid_to: None, document_reference: "KDR/2026/77".into() })
            .await
            .unwrap();
        // Energy is dearer from the 16th: a new version of the price list.
        let g11 = tariff_id(&manager, "energy-g11").await;
        let mut dearer: NewTariffVersion = {
            let current = manager.tariff(g11).await.unwrap().current.unwrap();
            NewTariffVersion { effective_from: day_of(month, 16), monthly_fee_minor: current.monthly_fee_minor, currency: None, vat_rate_bp: current.vat_rate_bp, prepaid: false, one_off_fees: current.one_off_fees, usage_rates: current.usage_rates }
        };
        for tier in &mut dearer.usage_rates[0].tiers {
            tier.price_e4 = 7_000;
        }
        manager.publish_tariff_version(g11, &dearer).await.unwrap();
        let technician = app.as_role(Role::Technician).await;
        let meters = technician.meters(energy).await.unwrap();
        assert_eq!(meters.len(), 1, "the meter named on the contract is installed");
        let meter = meters[0].clone();
        technician.record_meter_reading(meter.id, &NewMeterReading { value_milli: 10_000_000, read_at: None, replacement: false, channel: None }).await.unwrap();

        // The 10th: the pause starts (until the 20th); 100 kWh used so far.
        advance_to(app, day_of(month, 10));
        let agent = app.as_role(Role::Agent).await;
        agent
            .contract_action(paused_contract, ContractAction::Suspend, &TransitionRequest { date: Some(app.today()), until: Some(day_of(month, 20)), ..Default::default() })
            .await
            .unwrap();
        let technician = app.as_role(Role::Technician).await;
        let first = technician.record_meter_reading(meter.id, &NewMeterReading { value_milli: 10_100_000, read_at: None, replacement: false, channel: Some(Channel::Phone) }).await.unwrap();
        assert_eq!(first.consumption_milli, 100_000);
        // The 17th: a new customer joins; 50 kWh more, at the new price.
        advance_to(app, day_of(month, 17));
        let (joined, _) = active_contract(app, "Nowa", "internet-300", None).await;
        let technician = app.as_role(Role::Technician).await;
        let lower = refused(technician.record_meter_reading(meter.id, &NewMeterReading { value_milli: 5, read_at: None, replacement: false, channel: None }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&lower), [("value_milli".to_string(), "lower_than_last".to_string())]);
        // A mistyped digit: 60 000 kWh since the last reading is more than one reading may add.
        let typo = refused(technician.record_meter_reading(meter.id, &NewMeterReading { value_milli: 10_100_000 + 60_000_000, read_at: None, replacement: false, channel: None }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&typo), [("value_milli".to_string(), "implausible".to_string())]);
        let absurd = refused(technician.record_meter_reading(meter.id, &NewMeterReading { value_milli: i64::MAX, read_at: None, replacement: false, channel: None }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&absurd), [("value_milli".to_string(), "out_of_range".to_string()), ("value_milli".to_string(), "implausible".to_string())]);
        technician.record_meter_reading(meter.id, &NewMeterReading { value_milli: 10_150_000, read_at: None, replacement: false, channel: None }).await.unwrap();
        // The 21st: the pause is over.
        advance_to(app, day_of(month, 21));
        assert_eq!(app.run_jobs().await.resumed, 1);

        // Too early to bill the month.
        let finance = app.as_role(Role::Finance).await;
        let early = refused(finance.start_billing_run(&NewBillingRun { period: month, issue_date: None }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&early), [("period".to_string(), "not_over".to_string())]);

        advance_to(app, month.next().first_day() + Duration::days(1));
        let run = bill(app, month).await;
        assert_eq!((run.customers, run.invoiced, run.skipped, run.failed, run.open), (6, 6, 0, 0, 0));
        let finance = app.as_role(Role::Finance).await;
        use LineKind::{Discount, MonthlyFee, OneOffFee, Usage};
        // Joined on the 17th of a 30-day month: 14 days, 59,99 − 31,99 = 28,00 zł, and the
        // installation and activation with the first invoice.
        assert_eq!(nets(&finance, joined, month).await, [(MonthlyFee, 2_800), (OneOffFee, 9_900), (OneOffFee, 4_900)]);
        // Changed on the 1st: the whole month at 79,99 zł.
        assert_eq!(nets(&finance, on_first, month).await, [(MonthlyFee, 7_999)]);
        // Changed on the 16th: 15 days of each, each price for its own days: 59,99 × 15/30 =
        // 29,995 → 30,00 zł and 79,99 × 15/30 = 39,995 → 40,00 zł.
        assert_eq!(nets(&finance, mid_month, month).await, [(MonthlyFee, 3_000), (MonthlyFee, 4_000)]);
        // Paused from the 10th to the 20th: 19 days, 59,99 × 19/30 = 37,9937 → 37,99 zł.
        assert_eq!(nets(&finance, paused, month).await, [(MonthlyFee, 3_799)]);
        // Energy: the fee in two halves of 6,25 zł; 100 kWh at 0,6543 zł and 50 kWh at 0,7000 zł.
        assert_eq!(nets(&finance, energy, month).await, [(MonthlyFee, 625), (MonthlyFee, 625), (Usage, 6_543), (Usage, 3_500)]);
        // Half off the fee of the days 16–30 (29,99 zł): 15,00 zł.
        assert_eq!(nets(&finance, household, month).await, [(MonthlyFee, 5_999), (Discount, -1_500)]);

        // Numbers run without a gap; the term is 14 days; the account owes the gross.
        let all = finance.invoices(&InvoiceQuery { period: Some(month.to_string()), ..Default::default() }).await.unwrap().items;
        let issued = app.today();
        let mut numbers: Vec<String> = all.iter().map(|i| i.number.clone()).collect();
        numbers.sort();
        let expected: Vec<String> = (1..=6).map(|n| format!("FV/{}/{:06}", issued.format("%Y/%m"), n)).collect();
        assert_eq!(numbers, expected);
        assert!(all.iter().all(|i| i.due_date == issued + Duration::days(14) && i.kind == InvoiceKind::Invoice));
        let joined_invoice = all.iter().find(|i| i.customer_id == joined).unwrap();
        let account = finance.customer_account(joined, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, -joined_invoice.gross_minor);
        let booked: Vec<(EntryKind, i64, &str)> = account.entries.iter().map(|e| (e.kind, e.amount_minor, e.description.as_str())).collect();
        assert_eq!(booked, [(EntryKind::Invoice, -joined_invoice.gross_minor, joined_invoice.number.as_str())], "booked once, under the invoice's number");
        // 28,00 + 6,44 VAT; 99,00 + 22,77; 49,00 + 11,27.
        assert_eq!(joined_invoice.gross_minor, 3_444 + 12_177 + 6_027);
        let full = finance.invoice(joined_invoice.id).await.unwrap();
        assert_eq!(full.vat_totals.len(), 1);
        assert_eq!((full.vat_totals[0].net_minor, full.vat_totals[0].vat_minor), (17_600, 4_048));
        assert_eq!(full.buyer.name, "Nowa Ewa");
        assert!(full.payment_title.contains(&full.number));
        let pdf = finance.document_pdf(&full.pdf_url).await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(finance.document_pdf(&format!("{}?duplicate=true", full.pdf_url)).await.unwrap().starts_with(b"%PDF-"));

        // The invoice is on the customer's timeline.
        let timeline = finance.timeline(joined, &okno_api_types::interactions::TimelineQuery::default()).await.unwrap();
        assert!(timeline.items.iter().any(|e| matches!(&e.event, okno_api_types::interactions::TimelineEvent::Invoice { number, .. } if *number == full.number)));

        // Billing the month again issues nothing new.
        let again = finance.start_billing_run(&NewBillingRun { period: month, issue_date: None }).await.unwrap();
        assert_eq!(again.id, run.id);
        let again = finished(&finance, again.id).await;
        assert_eq!((again.customers, again.invoiced), (6, 6));
        assert_eq!(finance.invoices(&InvoiceQuery { period: Some(month.to_string()), ..Default::default() }).await.unwrap().items.len(), 6);
    }

    async fn usage_that_comes_after_its_month_was_invoiced_goes_on_the_next_invoice(app) {
        let month = next_30_day_month(app.today());
        advance_to(app, month.previous().first_day().max(app.today()));
        let (customer, contract) = active_contract(app, "Spóźniona", "phone-100", None).await;
        let agent = app.as_role(Role::Agent).await;
        let subscription_id = agent.contract(contract).await.unwrap().subscriptions[0].id;
        // Minutes are dearer from the next month: 0,25 zł instead of 0,19 zł.
        let manager = app.as_role(Role::Manager).await;
        let phone = tariff_id(&manager, "phone-100").await;
        let current = manager.tariff(phone).await.unwrap().current.unwrap();
        let mut dearer = NewTariffVersion { effective_from: month.next().first_day(), monthly_fee_minor: current.monthly_fee_minor, currency: None, vat_rate_bp: current.vat_rate_bp, prepaid: false, one_off_fees: current.one_off_fees, usage_rates: current.usage_rates };
        for rate in &mut dearer.usage_rates {
            if rate.unit == UsageUnit::Minute {
                rate.price_e4 = 2_500;
            }
        }
        manager.publish_tariff_version(phone, &dearer).await.unwrap();
        let minutes = |id: &str, on: NaiveDate, quantity_milli: i64| NewUsageEvent { external_id: id.into(), subscription_id, unit: UsageUnit::Minute, quantity_milli, occurred_at: on.and_hms_opt(12, 0, 0).unwrap().and_utc() };
        let post = |events: Vec<NewUsageEvent>| async move { app.as_role(Role::Admin).await.post_usage(&UsageBatch { events }).await };

        // 80 minutes in time; the month is invoiced: 100 minutes are free.
        advance_to(app, day_of(month, 12));
        post(vec![minutes("cdr-1", day_of(month, 10), 80_000)]).await.unwrap();
        advance_to(app, month.next().first_day() + Duration::days(1));
        bill(app, month).await;
        let finance = app.as_role(Role::Finance).await;
        assert_eq!(nets(&finance, customer, month).await, [(LineKind::MonthlyFee, 1_999), (LineKind::Usage, 0)]);

        // Roaming records of the 28th come on the 3rd of the next month: taken, not refused.
        advance_to(app, month.next().first_day() + Duration::days(2));
        let taken = post(vec![minutes("roaming-7", day_of(month, 28), 50_000), minutes("cdr-2", month.next().first_day() + Duration::days(1), 10_000)]).await.unwrap();
        assert_eq!((taken.accepted, taken.duplicates.len()), (2, 0));

        // The next invoice carries them as their own line naming the month, at that month's
        // price and over the 80 minutes billed: 130 − 100 free = 30 × 0,19 zł = 5,70 zł.
        let next = month.next();
        advance_to(app, next.next().first_day() + Duration::days(1));
        bill(app, next).await;
        let finance = app.as_role(Role::Finance).await;
        assert_eq!(nets(&finance, customer, next).await, [(LineKind::MonthlyFee, 1_999), (LineKind::Usage, 0), (LineKind::Usage, 570)]);
        let page = finance.invoices(&InvoiceQuery { customer_id: Some(customer), period: Some(next.to_string()), ..Default::default() }).await.unwrap();
        let invoice = finance.invoice(page.items[0].id).await.unwrap();
        let late = &invoice.lines[2];
        assert_eq!((late.quantity_milli, late.first_day, late.last_day), (Some(50_000), Some(month.first_day()), Some(month.last_day())));
        let named = okno_domain::format::month(month.year(), month.month(), okno_domain::customers::Language::Pl);
        assert_eq!(late.description, format!("Zużycie za {named}: Telefon 100, 50 min"));
        assert_eq!(invoice.lines[1].description, "Zużycie: Telefon 100, 10 min", "the month's own usage names no month");
        // The month invoiced first is as it was.
        assert_eq!(nets(&finance, customer, month).await, [(LineKind::MonthlyFee, 1_999), (LineKind::Usage, 0)]);

        // Billed once: the month after has only its fee.
        let after = next.next();
        advance_to(app, after.next().first_day() + Duration::days(1));
        bill(app, after).await;
        assert_eq!(nets(&app.as_role(Role::Finance).await, customer, after).await, [(LineKind::MonthlyFee, 1_999)]);

        // Older than 90 days: refused with its own code, naming the record; the batch stores
        // nothing. A record stored already is still a duplicate, not an error.
        // (A record of yesterday: one of today at noon is still to come in the morning.)
        let today = app.today();
        let yesterday = today - Duration::days(1);
        let too_old = today - Duration::days(91);
        let refused_batch = refused(post(vec![minutes("cdr-3", yesterday, 5_000), minutes("roaming-8", too_old, 5_000)]).await, 422, ErrorCode::UsageTooOld);
        assert_eq!(field_errors(&refused_batch), [("events[1].occurred_at".to_string(), "too_old".to_string())]);
        let again = post(vec![minutes("roaming-7", day_of(month, 28), 50_000), minutes("cdr-3", yesterday, 5_000)]).await.unwrap();
        assert_eq!((again.accepted, again.duplicates), (1, vec!["roaming-7".to_string()]));
        let ninetieth = post(vec![minutes("roaming-9", today - Duration::days(90), 1_000)]).await.unwrap();
        assert_eq!(ninetieth.accepted, 1, "the 90th day back is still taken");
    }

    async fn a_paused_month_costs_what_the_customer_computes(app) {
        let month = next_30_day_month(app.today());
        advance_to(app, month.previous().first_day().max(app.today()));
        let (once, once_contract) = active_contract(app, "Raz", "internet-300", None).await;
        let (twice, twice_contract) = active_contract(app, "Dwa", "internet-300", None).await;
        let (across, across_contract) = active_contract(app, "Zmiana", "internet-300", None).await;
        let agent = app.as_role(Role::Agent).await;
        let faster = tariff_id(&agent, "internet-600").await;
        let across_sub = agent.contract(across_contract).await.unwrap().subscriptions[0].id;
        agent.change_tariff(across_contract, &TariffChangeRequest { subscription_id: across_sub, tariff_id: faster, effective_from: Some(day_of(month, 16)), early: true }).await.unwrap();
        let pause = |contract: i64, last: u32| {
            async move {
                let agent = app.as_role(Role::Agent).await;
                agent
                    .contract_action(contract, ContractAction::Suspend, &TransitionRequest { date: Some(app.today()), until: Some(day_of(month, last)), ..Default::default() })
                    .await
                    .unwrap();
            }
        };
        advance_to(app, day_of(month, 5));
        pause(twice_contract, 9).await;
        advance_to(app, day_of(month, 10));
        assert_eq!(app.run_jobs().await.resumed, 1);
        pause(across_contract, 20).await;
        advance_to(app, day_of(month, 11));
        pause(once_contract, 20).await;
        advance_to(app, day_of(month, 20));
        pause(twice_contract, 24).await;
        advance_to(app, day_of(month, 21));
        assert_eq!(app.run_jobs().await.resumed, 2);
        advance_to(app, day_of(month, 25));
        assert_eq!(app.run_jobs().await.resumed, 1);

        advance_to(app, month.next().first_day() + Duration::days(1));
        let run = bill(app, month).await;
        assert_eq!((run.invoiced, run.failed), (3, 0));
        let finance = app.as_role(Role::Finance).await;
        use LineKind::MonthlyFee;
        // 20 days of 30 at 59,99 zł: 39,9933 → 39,99 zł, not 20,00 + 20,00 for the days
        // 1–10 and 21–30.
        assert_eq!(nets(&finance, once, month).await, [(MonthlyFee, 3_999)]);
        // Paused 5–9 and 20–24: 20 days again.
        assert_eq!(nets(&finance, twice, month).await, [(MonthlyFee, 3_999)]);
        // 9 days at 59,99 zł (17,997 → 18,00) and 10 at 79,99 zł (26,663 → 26,66).
        assert_eq!(nets(&finance, across, month).await, [(MonthlyFee, 1_800), (MonthlyFee, 2_666)]);
        // The line names the days charged.
        let invoice = finance.invoices(&InvoiceQuery { customer_id: Some(once), period: Some(month.to_string()), ..Default::default() }).await.unwrap().items[0].id;
        let line = finance.invoice(invoice).await.unwrap().lines[0].clone();
        let mm = format!("{:02}", month.first_day().month());
        assert_eq!(line.description, format!("Abonament: Światłowód 300, 01.{mm}–10.{mm}, 21.{mm}–30.{mm} (20/30 dni)"));
        assert_eq!(line.days, Some(20));
    }

    async fn usage_is_registered_once_and_a_bad_batch_stores_nothing(app) {
        let (customer, contract) = active_contract(app, "Telefon", "phone-100", None).await;
        let started = app.today();
        let admin = app.as_role(Role::Admin).await;
        let subscription = admin.contract(contract).await.unwrap().subscriptions[0].id;
        let at = |seconds: i64| app.state.now() - Duration::seconds(seconds);
        let event = |id: &str, minutes: i64, quantity: i64| NewUsageEvent { external_id: id.into(), subscription_id: subscription, unit: UsageUnit::Minute, quantity_milli: quantity, occurred_at: at(minutes) };
        let batch = UsageBatch { events: vec![event("cdr-1", 30, 60_000), event("cdr-2", 20, 90_000)] };
        let first = admin.post_usage(&batch).await.unwrap();
        assert_eq!((first.accepted, first.duplicates.len()), (2, 0));
        let second = admin.post_usage(&batch).await.unwrap();
        assert_eq!((second.accepted, second.duplicates), (0, vec!["cdr-1".to_string(), "cdr-2".to_string()]));
        let bad = refused(
            admin.post_usage(&UsageBatch { events: vec![event("cdr-3", 10, 1_000), event("cdr-3", 9, 1_000), NewUsageEvent { subscription_id: 999_999, ..event("cdr-4", 8, 1_000) }, event("cdr-5", -600, 1_000), event("cdr-6", 5, -1)] }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(
            field_errors(&bad),
            [
                ("events[1].external_id".to_string(), "duplicate".to_string()),
                ("events[2].subscription_id".to_string(), "unknown_reference".to_string()),
                ("events[3].occurred_at".to_string(), "in_future".to_string()),
                ("events[4].quantity_milli".to_string(), "out_of_range".to_string()),
            ]
        );
        assert_eq!(admin.post_usage(&UsageBatch { events: vec![event("cdr-3", 10, 1_000)] }).await.unwrap().accepted, 1, "nothing of the bad batch was stored");
        refused(app.as_role(Role::Cashier).await.post_usage(&batch).await, 403, ErrorCode::Forbidden);
        // A full batch of long ids (about 2.5 MB of JSON) gets through; one more record is refused.
        let full: Vec<NewUsageEvent> = (0..10_000_i64).map(|i| event(&format!("{i:0>180}"), i % 25 + 1, 0)).collect();
        assert_eq!(admin.post_usage(&UsageBatch { events: full.clone() }).await.unwrap().accepted, 10_000);
        let too_many = refused(
            admin.post_usage(&UsageBatch { events: [full, vec![event("cdr-10001", 1, 0)]].concat() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&too_many), [("events".to_string(), "too_many".to_string())]);

        // 151 minutes, 100 free: 51 × 0,19 zł = 9,69 zł, with the fee of the month's days.
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day());
        bill(app, period).await;
        let finance = app.as_role(Role::Finance).await;
        let lines = nets(&finance, customer, period).await;
        assert_eq!(lines.iter().filter(|(k, _)| *k == LineKind::Usage).count(), 1);
        let usage = lines.iter().find(|(k, _)| *k == LineKind::Usage).unwrap().1;
        // The 100 free minutes shrink with the days of the month the service ran: for 30 of
        // 30 days 51 minutes cost 9,69 zł; for fewer days, more minutes are paid for.
        let days = (period.last_day() - started).num_days() + 1;
        let free = 100_000 * days / i64::from(period.days());
        let expected = okno_domain::money::div_round_half_up(i128::from((151_000 - free).max(0)) * 1_900, 100_000);
        assert_eq!(i128::from(usage), expected);
    }

    async fn correction_notes_change_an_invoice_without_touching_it(app) {
        let (customer, _) = active_contract(app, "Korekta", "internet-300", None).await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day() + Duration::days(2));
        bill(app, period).await;
        let finance = app.as_role(Role::Finance).await;
        let summary = finance.invoices(&InvoiceQuery { customer_id: Some(customer), ..Default::default() }).await.unwrap().items.remove(0);
        let invoice = finance.invoice(summary.id).await.unwrap();
        let fee = invoice.lines.iter().find(|l| l.kind == LineKind::MonthlyFee).unwrap().clone();
        let before_balance = finance.customer_account(customer, &AccountQuery::default()).await.unwrap().balance_minor;

        let note = finance
            .correct_invoice(invoice.id, &NewCorrection { reason: "Awaria łącza przez 5 dni".into(), lines: vec![LineCorrection { line_id: fee.id, net_after_minor: fee.net_minor - 1_000 }], cancel: false })
            .await
            .unwrap();
        assert_eq!(note.kind, InvoiceKind::Correction);
        assert_eq!(note.number, format!("FK/{}/000001", app.today().format("%Y")));
        assert_eq!(note.corrects.as_ref().map(|c| c.number.clone()), Some(invoice.number.clone()));
        assert_eq!(note.lines.len(), 1);
        let line = &note.lines[0];
        assert_eq!((line.net_before_minor, line.net_after_minor, line.net_minor), (Some(fee.net_minor), Some(fee.net_minor - 1_000), -1_000));
        assert_eq!(line.vat_minor, okno_domain::money::vat(fee.net_minor - 1_000, 2300) - okno_domain::money::vat(fee.net_minor, 2300));
        let after_balance = finance.customer_account(customer, &AccountQuery::default()).await.unwrap().balance_minor;
        assert_eq!(after_balance - before_balance, -note.gross_minor);
        assert!(after_balance > before_balance, "the customer owes less");
        // The invoice is as issued, and knows its note.
        let unchanged = finance.invoice(invoice.id).await.unwrap();
        assert_eq!((unchanged.gross_minor, unchanged.lines.clone()), (invoice.gross_minor, invoice.lines.clone()));
        assert_eq!(unchanged.corrections.len(), 1);

        // A second note starts from the corrected amount; cancelling zeroes every line.
        let cancel = finance.correct_invoice(invoice.id, &NewCorrection { reason: "Umowa zawarta omyłkowo".into(), lines: vec![], cancel: true }).await.unwrap();
        assert_eq!(cancel.number, format!("FK/{}/000002", app.today().format("%Y")));
        assert_eq!(cancel.gross_minor + note.gross_minor, -invoice.gross_minor);
        let nothing = refused(finance.correct_invoice(invoice.id, &NewCorrection { reason: "Again".into(), lines: vec![], cancel: true }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&nothing), [("lines".to_string(), "unchanged".to_string())]);
        refused(finance.correct_invoice(cancel.id, &NewCorrection { reason: "x".into(), lines: vec![], cancel: true }).await, 409, ErrorCode::IllegalTransition);
        let wrong = refused(
            finance.correct_invoice(invoice.id, &NewCorrection { reason: " ".into(), lines: vec![LineCorrection { line_id: 424_242, net_after_minor: 1 }, LineCorrection { line_id: fee.id, net_after_minor: -5 }], cancel: false }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(
            field_errors(&wrong),
            [
                ("reason".to_string(), "required".to_string()),
                ("lines[0].line_id".to_string(), "unknown_reference".to_string()),
                ("lines[1].net_after_minor".to_string(), "invalid_value".to_string()),
            ]
        );
        // An amount near the largest integer would overflow the note's sums: refused.
        let huge = refused(
            finance.correct_invoice(invoice.id, &NewCorrection { reason: "x".into(), lines: vec![LineCorrection { line_id: fee.id, net_after_minor: i64::MAX - 1 }], cancel: false }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(field_errors(&huge), [("lines[0].net_after_minor".to_string(), "out_of_range".to_string())]);
        refused(app.as_role(Role::Cashier).await.correct_invoice(invoice.id, &NewCorrection { reason: "x".into(), lines: vec![], cancel: true }).await, 403, ErrorCode::Forbidden);
        refused(finance.invoice(999_999).await, 404, ErrorCode::InvoiceNotFound);
    }

    async fn two_runs_of_a_month_at_once_issue_each_invoice_once_without_gaps(app) {
        app.seed_demo().await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day() + Duration::days(1));
        let now = app.state.now();
        let (run, _) = app
            .state
            .write(move |conn| okno_server::billing::start(conn, period, None, "test", now))
            .await
            .unwrap();
        // Four workers in small batches, and a server's own workers from an API call, at once.
        let mut settings = app.state.settings.billing.clone();
        settings.batch_size = 3;
        let workers: Vec<_> = (0..4)
            .map(|n| {
                let (db, settings, operator, clock) = (app.state.db.clone(), settings.clone(), app.state.settings.operator.clone(), app.state.clock.clone());
                std::thread::spawn(move || okno_server::billing::work(&db, run.id, &format!("test-{n}"), &settings, &operator, clock.as_ref(), None).unwrap())
            })
            .collect();
        let finance = app.as_role(Role::Finance).await;
        let via_api = finance.start_billing_run(&NewBillingRun { period, issue_date: None }).await.unwrap();
        assert_eq!(via_api.id, run.id);
        let reports: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        let done = finished(&finance, run.id).await;
        assert!(reports.iter().map(|r| r.invoiced).sum::<usize>() <= usize::try_from(done.invoiced).unwrap());
        assert!(done.invoiced > 30, "the demo bills most of its customers: {done:?}");
        assert_eq!(done.failed, 0, "{:?}", done.failures);
        let mut invoices = Vec::new();
        let mut cursor = None;
        loop {
            let page = finance.invoices(&InvoiceQuery { period: Some(period.to_string()), limit: Some(50), cursor: cursor.clone(), ..Default::default() }).await.unwrap();
            invoices.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(invoices.len(), usize::try_from(done.invoiced).unwrap());
        let mut customers: Vec<i64> = invoices.iter().map(|i| i.customer_id).collect();
        customers.sort_unstable();
        customers.dedup();
        assert_eq!(customers.len(), invoices.len(), "one invoice per customer");
        let mut numbers: Vec<i64> = invoices.iter().map(|i| i.number.rsplit('/').next().unwrap().parse().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=i64::try_from(invoices.len()).unwrap()).collect::<Vec<_>>(), "numbers run without a gap");
        let check = app.as_role(Role::Admin).await.ledger_check().await.unwrap();
        assert_eq!(check.findings, vec![], "the ledger is in order");
        assert_eq!(check.invoices, i64::try_from(invoices.len()).unwrap());
        refused(finance.ledger_check().await, 403, ErrorCode::Forbidden);
    }

    async fn the_ledger_check_finds_what_was_tampered_with(app) {
        let (customer, _) = active_contract(app, "Liczona", "internet-300", None).await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day());
        bill(app, period).await;
        let admin = app.as_role(Role::Admin).await;
        assert_eq!(admin.ledger_check().await.unwrap().findings, vec![]);
        // Someone edits an invoice's total by hand, past the API.
        app.state
            .run(move |conn| {
                use diesel::prelude::*;
                use okno_db::schema::invoices::dsl;
                diesel::update(dsl::invoices.filter(dsl::customer_id.eq(customer))).set(dsl::gross_minor.eq(dsl::gross_minor + 1)).execute(conn)?;
                Ok(())
            })
            .await
            .unwrap();
        let check = admin.ledger_check().await.unwrap();
        let found: Vec<LedgerInvariant> = check.findings.iter().map(|f| f.invariant).collect();
        assert_eq!(found, [LedgerInvariant::InvoiceTotals, LedgerInvariant::Booking], "{:?}", check.findings);
        let logged = admin.audit_log(&AuditQuery { action: Some("ledger.check".into()), ..Default::default() }).await.unwrap();
        assert_eq!(logged.items.first().and_then(|e| e.detail.as_deref()), Some("2 findings"));
    }

    async fn one_customer_that_cannot_be_billed_does_not_stop_the_month(app) {
        let (good, _) = active_contract(app, "Dobra", "internet-300", None).await;
        let (bad, _) = active_contract(app, "Zepsuta", "internet-300", None).await;
        let (also_good, _) = active_contract(app, "Druga", "internet-600", None).await;
        // The customer's stored addresses are unreadable: their invoice cannot be written.
        store_addresses(app, bad, "not json").await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day());
        let run = bill(app, period).await;
        assert_eq!(run.status, RunStatus::CompletedWithFailures);
        assert_eq!((run.invoiced, run.failed, run.open), (2, 1, 0));
        assert_eq!(run.failures.len(), 1);
        assert_eq!(run.failures[0].customer_id, bad);
        assert!(run.failures[0].reason.contains("could not be stored"), "{}", run.failures[0].reason);
        let finance = app.as_role(Role::Finance).await;
        for customer in [good, also_good] {
            // One invoice each (nets checks), with its monthly fee.
            assert!(nets(&finance, customer, period).await.iter().any(|(kind, _)| *kind == LineKind::MonthlyFee));
        }
        // Mended, the period run again bills only the customer that failed.
        let agent = app.as_role(Role::Agent).await;
        store_addresses(app, bad, "[]").await;
        assert_eq!(agent.customer(bad).await.unwrap().addresses, vec![]);
        let again = bill(app, period).await;
        assert_eq!(again.status, RunStatus::Completed);
        assert_eq!((again.invoiced, again.failed, again.open), (3, 0, 0));
        let invoices = finance.invoices(&InvoiceQuery { period: Some(period.to_string()), ..Default::default() }).await.unwrap().items;
        assert_eq!(invoices.len(), 3, "each customer's invoice once");
    }

    async fn a_run_whose_worker_died_is_finished_by_another(app) {
        app.seed_demo().await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day() + Duration::days(1));
        let now = app.state.now();
        let (run, _) = app.state.write(move |conn| okno_server::billing::start(conn, period, None, "test", now)).await.unwrap();
        let mut settings = app.state.settings.billing.clone();
        settings.batch_size = 5;
        let (db, operator, clock) = (app.state.db.clone(), app.state.settings.operator.clone(), app.state.clock.clone());
        // A worker bills one batch, then claims another and dies with it.
        let one = {
            let (db, settings, operator, clock) = (db.clone(), settings.clone(), operator.clone(), clock.clone());
            tokio::task::spawn_blocking(move || okno_server::billing::work(&db, run.id, "doomed", &settings, &operator, clock.as_ref(), Some(1)).unwrap())
                .await
                .unwrap()
        };
        assert_eq!(one.batches, 1);
        let stamp = okno_server::time::to_db(app.state.now());
        let claimed = app.state.run(move |conn| Ok(okno_db::billing::BillingRunRecord::claim(conn, run.id, "doomed", 5, 0, stamp, stamp)?)).await.unwrap();
        assert_eq!(claimed.len(), 5);
        // Another worker does the rest, but leaves the dead worker's claims alone for a while.
        let survivor = {
            let (db, settings, operator, clock) = (db.clone(), settings.clone(), operator.clone(), clock.clone());
            tokio::task::spawn_blocking(move || okno_server::billing::work(&db, run.id, "survivor", &settings, &operator, clock.as_ref(), None).unwrap()).await.unwrap()
        };
        let finance = app.as_role(Role::Finance).await;
        let waiting = finance.billing_run(run.id).await.unwrap();
        assert_eq!((waiting.status, waiting.open), (RunStatus::Running, 5));
        assert!(survivor.invoiced + one.invoiced > 0);
        // Once the claims are stale, they are taken over and the run completes.
        app.clock.advance(Duration::minutes(11));
        let finance = app.as_role(Role::Finance).await;
        let rerun = finance.start_billing_run(&NewBillingRun { period, issue_date: None }).await.unwrap();
        let done = finished(&finance, rerun.id).await;
        assert_eq!((done.open, done.failed), (0, 0));
        let invoices = finance.invoices(&InvoiceQuery { period: Some(period.to_string()), limit: Some(500), ..Default::default() }).await.unwrap().items;
        assert_eq!(invoices.len(), usize::try_from(done.invoiced).unwrap());
        let mut customers: Vec<i64> = invoices.iter().map(|i| i.customer_id).collect();
        customers.sort_unstable();
        customers.dedup();
        assert_eq!(customers.len(), invoices.len(), "each customer's invoice once");
        let mut numbers: Vec<i64> = invoices.iter().map(|i| i.number.rsplit('/').next().unwrap().parse().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=i64::try_from(invoices.len()).unwrap()).collect::<Vec<_>>());
    }

    async fn prepaid_services_are_charged_daily_until_the_balance_runs_out(app) {
        let (customer, contract) = active_contract(app, "Karta", "internet-prepaid", None).await;
        // 20,00 zł carried over from the previous system.
        let today = app.today();
        let now = okno_server::time::to_db(app.state.now());
        app.state
            .run(move |conn| {
                okno_db::invoices::AccountEntryRecord::insert_all(conn, vec![okno_db::invoices::NewAccountEntryRow {
                    booked_on: today,
                    ..okno_db::invoices::NewAccountEntryRow::new(customer, EntryKind::OpeningBalance, now, 2_000, "PLN".into(), "saldo z poprzedniego systemu".into())
                }])?;
                Ok(())
            })
            .await
            .unwrap();
        let charge = |day: NaiveDate| okno_domain::billing::prepaid::day_charge(3_999, 2300, day).gross_minor;
        let report = app.run_jobs().await;
        assert_eq!(report.prepaid_days, 1);
        assert_eq!(app.run_jobs().await.prepaid_days, 0, "a day is charged once");
        let agent = app.as_role(Role::Agent).await;
        let account = agent.customer_account(customer, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, 2_000 - charge(today));
        let prepaid = &account.prepaid[0];
        assert_eq!(prepaid.daily_charge_minor, charge(today));
        // The balance lasts while it covers each next day.
        let mut left = 2_000 - charge(today);
        let mut last = today;
        while left >= charge(last + Duration::days(1)) {
            last += Duration::days(1);
            left -= charge(last);
        }
        assert_eq!(prepaid.covered_until, Some(last));

        // After the last covered day, the service is paused for debt.
        advance_to(app, last + Duration::days(1));
        let report = app.run_jobs().await;
        assert_eq!(report.paused_for_debt, 1);
        let agent = app.as_role(Role::Agent).await;
        let paused = agent.contract(contract).await.unwrap();
        assert_eq!(paused.status, okno_api_types::contracts::ContractStatus::Suspended);
        assert_eq!(paused.suspensions[0].reason, okno_api_types::contracts::SuspensionReason::Debt);
        let account = agent.customer_account(customer, &AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, left);
        assert!(account.prepaid.is_empty(), "no prepaid service runs now");
        // Prepaid services are not invoiced monthly.
        let period = Period::of(today);
        advance_to(app, period.next().first_day().max(app.today()) + Duration::days(1));
        let run = bill(app, period).await;
        assert_eq!(run.invoiced, 0);
    }

    async fn a_subscriber_sees_their_own_invoices_only(app) {
        let (customer, _) = active_contract(app, "Abonent", "internet-300", None).await;
        let (other, _) = active_contract(app, "Obcy", "internet-300", None).await;
        let period = Period::of(app.today());
        advance_to(app, period.next().first_day() + Duration::days(1));
        bill(app, period).await;
        let agent = app.as_role(Role::Agent).await;
        let code = agent.issue_activation(customer).await.unwrap();
        let tokens = app.client.activate_cabinet(&ActivateRequest { account_number: code.account_number, activation_code: code.code, password: "haslo-abonenta".into() }).await.unwrap();
        let subscriber = app.client.with_token(&tokens.access_token);
        let mine = subscriber.my_invoices(&MyInvoiceQuery::default()).await.unwrap().items;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].customer_id, customer);
        let invoice = subscriber.my_invoice(mine[0].id).await.unwrap();
        assert!(subscriber.document_pdf(&invoice.pdf_url).await.unwrap().starts_with(b"%PDF-"));
        let finance = app.as_role(Role::Finance).await;
        let theirs = finance.invoices(&InvoiceQuery { customer_id: Some(other), ..Default::default() }).await.unwrap().items.remove(0);
        refused(subscriber.my_invoice(theirs.id).await, 404, ErrorCode::InvoiceNotFound);
        let foreign = subscriber.raw("GET", &format!("api/v1/me/invoices/{}/pdf", theirs.id), None).await.unwrap();
        assert_eq!(foreign.status, 404);
        // The cabinet has no customer filter: asking for another customer's is refused.
        let sneaky = subscriber.raw("GET", &format!("api/v1/me/invoices?customer_id={other}"), None).await.unwrap();
        assert_eq!((sneaky.status, sneaky.body["errors"][0]["field"].as_str()), (422, Some("customer_id")));
        let mine_only = subscriber.my_invoices(&MyInvoiceQuery::default()).await.unwrap().items;
        assert!(!mine_only.is_empty() && mine_only.iter().all(|i| i.customer_id == customer));
        let account = subscriber.my_account(&AccountQuery::default()).await.unwrap();
        assert_eq!(account.balance_minor, -invoice.gross_minor);
        refused(subscriber.invoices(&InvoiceQuery::default()).await, 403, ErrorCode::Forbidden);
    }
}

/// Thirty-two workers bill ten thousand customers (nine thousand billable) at once, in small batches, taking each
/// other's customers over after a second: each customer is invoiced once, the numbers run
/// without a gap or a repeat, and the ledger check finds nothing.
async fn thirty_two_workers_at_once(backend: okno_e2e::Backend) {
    let Some(app) = TestApp::spawn_with(backend, |settings| settings.database_pool_size = 40).await
    else {
        return;
    };
    let period = Period::of(app.today()).previous();
    let state = app.state.clone();
    let generated = app
        .state
        .run(move |conn| {
            okno_server::demo::generated::seed_generated(
                &state,
                conn,
                period,
                10_000,
                &mut |_, _| {},
            )
        })
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("generated data goes into an empty database"));
    // One in twenty a prospect, one in twenty closed: 9 000 customers to bill.
    assert_eq!((generated.customers, generated.active), (10_000, 9_000));
    let now = app.state.now();
    let (run, _) = app
        .state
        .write(move |conn| okno_server::billing::start(conn, period, None, "test", now))
        .await
        .unwrap();
    let mut settings = app.state.settings.billing.clone();
    settings.batch_size = 50;
    settings.claim_timeout = Duration::seconds(1);
    let workers: Vec<_> = (0..32)
        .map(|n| {
            let (db, settings, operator, clock) = (
                app.state.db.clone(),
                settings.clone(),
                app.state.settings.operator.clone(),
                app.state.clock.clone(),
            );
            tokio::task::spawn_blocking(move || {
                okno_server::billing::work(
                    &db,
                    run.id,
                    &format!("worker-{n}"),
                    &settings,
                    &operator,
                    clock.as_ref(),
                    None,
                )
            })
        })
        .collect();
    // Awaited, not joined: a thread blocked on a join would hold one of the test runtime's
    // two threads, and the server's connections with it, for the whole run.
    // On SQLite the 32 writers queue for one lock; on a loaded machine a worker can wait past
    // the busy timeout and stop with 503 `database is locked`, as a crashed server's would.
    // Its claimed batch is then taken up by `finish` below: the test is that every customer
    // is billed once, not that every worker lives.
    let mut reports = Vec::new();
    for worker in workers {
        match worker.await.unwrap() {
            Ok(report) => reports.push(report),
            Err(okno_server::error::ApiError::Unavailable(_))
                if backend == okno_e2e::Backend::Sqlite => {}
            Err(other) => panic!("a worker failed: {other:?}"),
        }
    }
    // A worker that took longer than the claim timeout over a batch gives it up; as on a
    // server, `finish` takes up what such batches left once the workers have stopped.
    reports.push(
        okno_server::billing::finish(
            &app.state.db,
            run.id,
            "mop-up",
            &settings,
            &app.state.settings.operator,
            &app.state.clock,
        )
        .unwrap(),
    );
    // The test server's own scheduled job may join in on an open run (as another server
    // would), so these workers bill at most all of them; the run and the ledger below say
    // that each customer was billed once.
    let sum =
        |of: fn(&okno_server::billing::WorkReport) -> usize| reports.iter().map(of).sum::<usize>();
    assert!(sum(|r| r.invoiced) <= 9_000, "no customer billed twice");
    assert_eq!((sum(|r| r.skipped), sum(|r| r.failed)), (0, 0));
    let admin = app.as_role(Role::Admin).await;
    let done = admin.billing_run(run.id).await.unwrap();
    assert_eq!(
        (done.status, done.invoiced, done.failed, done.open),
        (RunStatus::Completed, 9_000, 0, 0)
    );
    let check = admin.ledger_check().await.unwrap();
    assert_eq!(check.findings, vec![], "the ledger is in order");
    assert_eq!(check.invoices, 9_000);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_workers_bill_ten_thousand_customers_once_sqlite() {
    thirty_two_workers_at_once(okno_e2e::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_workers_bill_ten_thousand_customers_once_postgres() {
    thirty_two_workers_at_once(okno_e2e::Backend::Postgres).await;
}
