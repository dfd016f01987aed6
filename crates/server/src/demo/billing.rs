//! The demo's money: electricity with meters and readings, prepaid internet with balances
//! carried over, phone calls, and the last two months billed — so that invoices, accounts
//! and the cabinet have something to show.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use okno_api_types::Channel;
use okno_api_types::billing::NewMeterReading;
use okno_db::DbConnection;
use okno_db::contracts::ContractRecord;
use okno_db::customers::CustomerRecord;
use okno_db::invoices::{AccountEntryRecord, NewAccountEntryRow};
use okno_db::schema::{contracts, customers, subscription_tariffs, subscriptions, tariffs};
use okno_db::usage::{MeterRecord, NewMeterRow, NewUsageRow, UsageEvents};
use okno_domain::billing::{EntryKind, Period};
use okno_domain::clock::ManualClock;
use okno_domain::customers::CustomerStatus;
use okno_domain::tariffs::UsageUnit;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::commercial::{DemoContract, residence, seed_contract_of};
use crate::auth::Principal;
use crate::billing::usage::record_reading;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::time::to_db;

/// Demo customers (by their place among the active ones) who get electricity as well.
const ENERGY: [usize; 2] = [3, 8];
/// Prospects (by their place) who start prepaid internet, with what they paid in beyond the
/// days used so far.
const PREPAID: [(usize, i64); 2] = [(0, 6_000), (1, 1_500)];

pub fn seed_billing(
    state: &AppState,
    conn: &mut DbConnection,
    agent: &Principal,
    manager: &Principal,
) -> ApiResult<()> {
    let now = state.now();
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    let active: Vec<i64> = customers::table
        .filter(customers::status.eq(CustomerStatus::Active.as_str()))
        .order(customers::id)
        .select(customers::id)
        .load(conn)?;
    for (n, place) in ENERGY.into_iter().enumerate() {
        if let Some(customer_id) = active.get(place) {
            energy(state, conn, &mut rng, agent, manager, *customer_id, n, now)?;
        }
    }
    // Prepaid internet for customers with nothing else: a prepaid balance pays for nothing
    // while invoices are open.
    let prospects: Vec<i64> = customers::table
        .filter(customers::status.eq(CustomerStatus::Prospect.as_str()))
        .order(customers::id)
        .select(customers::id)
        .load(conn)?;
    for (place, balance) in PREPAID {
        if let Some(customer_id) = prospects.get(place) {
            prepaid(
                state,
                conn,
                &mut rng,
                agent,
                manager,
                *customer_id,
                balance,
                now,
            )?;
            diesel::update(customers::table.find(*customer_id))
                .set(customers::status.eq(CustomerStatus::Active.as_str()))
                .execute(conn)?;
        }
    }
    phone_calls(conn, &mut rng, now)?;
    bill_recent_months(state, conn, now)
}

fn newest_contract(conn: &mut DbConnection, customer_id: i64) -> ApiResult<ContractRecord> {
    Ok(contracts::table
        .filter(contracts::customer_id.eq(customer_id))
        .order(contracts::id.desc())
        .first(conn)?)
}

#[expect(clippy::too_many_arguments, reason = "the demo's context")]
fn energy(
    state: &AppState,
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    agent: &Principal,
    manager: &Principal,
    customer_id: i64,
    n: usize,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let customer = CustomerRecord::find(conn, customer_id)?;
    let Some(address) = residence(&customer.addresses)? else {
        return Ok(());
    };
    let number = format!("E-{:06}", 482_100 + n * 17);
    seed_contract_of(
        conn,
        &state.settings.operator,
        rng,
        agent,
        manager,
        customer_id,
        &address,
        DemoContract::Active {
            months_ago: 5,
            end_in_days: None,
        },
        true,
        Some(&["energy-g11"]),
        Some(number.clone()),
        now,
    )?;
    let contract = newest_contract(conn, customer_id)?;
    let subscription: i64 = subscriptions::table
        .filter(subscriptions::contract_id.eq(contract.id))
        .select(subscriptions::id)
        .first(conn)?;
    let meter = MeterRecord::insert(
        conn,
        NewMeterRow {
            customer_id,
            subscription_id: subscription,
            number,
            unit: UsageUnit::Kwh,
            created_at: to_db(now - Duration::days(150)),
        },
    )?;
    // Readings on the 25th of every month from the one before the first billed month (the
    // demo bills the last two): 150–320 kWh a month, read off by the technician or sent by
    // text. Usage before that would be usage no invoice billed.
    let start = contract.activated_on.unwrap_or(contract.start_date);
    let before_billed = Period::of(now.date_naive())
        .previous()
        .previous()
        .previous();
    let mut value = rng.random_range(8_000_000..40_000_000_i64);
    let mut day = start.max(before_billed.first_day() + Duration::days(24));
    while day < now.date_naive() {
        let read_at = day.and_hms_opt(10, 0, 0).map_or(now, |d| d.and_utc());
        let channel = if rng.random_bool(0.5) {
            Channel::Sms
        } else {
            Channel::Visit
        };
        let reading = NewMeterReading {
            value_milli: value,
            read_at: Some(read_at),
            replacement: false,
            channel: Some(channel),
        };
        record_reading(
            conn,
            &meter,
            &reading,
            state.settings.billing.usage,
            "Tomasz Dąbrowski",
            read_at.max(now - Duration::days(400)),
        )?;
        value += rng.random_range(150_000..320_000);
        day = Period::of(day).next().first_day() + Duration::days(24);
    }
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "the demo's context")]
fn prepaid(
    state: &AppState,
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    agent: &Principal,
    manager: &Principal,
    customer_id: i64,
    balance: i64,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let customer = CustomerRecord::find(conn, customer_id)?;
    let Some(address) = residence(&customer.addresses)? else {
        return Ok(());
    };
    seed_contract_of(
        conn,
        &state.settings.operator,
        rng,
        agent,
        manager,
        customer_id,
        &address,
        DemoContract::Active {
            months_ago: 1,
            end_in_days: None,
        },
        true,
        Some(&["internet-prepaid"]),
        None,
        now,
    )?;
    let contract = newest_contract(conn, customer_id)?;
    // What the customer had paid in before: enough for the days since, and some more.
    let started = contract.activated_on.unwrap_or(contract.start_date);
    let days = (now.date_naive() - started).num_days() + 1;
    AccountEntryRecord::insert_all(
        conn,
        vec![NewAccountEntryRow {
            booked_on: started,
            ..NewAccountEntryRow::new(
                customer_id,
                EntryKind::OpeningBalance,
                to_db(now - Duration::days(days)),
                balance + days * 164,
                "PLN".into(),
                "Saldo przeniesione z poprzedniego systemu".into(),
            )
        }],
    )?;
    Ok(())
}

/// Calls and texts of the phone subscriptions over the last two months.
fn phone_calls(conn: &mut DbConnection, rng: &mut ChaCha8Rng, now: DateTime<Utc>) -> ApiResult<()> {
    let phones: Vec<(i64, i64)> = subscription_tariffs::table
        .inner_join(tariffs::table)
        .inner_join(subscriptions::table)
        .filter(tariffs::code.eq("phone-100"))
        .select((subscriptions::id, subscriptions::customer_id))
        .load(conn)?;
    let mut rows = Vec::new();
    let first = Period::of(now.date_naive())
        .previous()
        .previous()
        .first_day();
    for (subscription, customer) in phones {
        for n in 0..rng.random_range(20..45) {
            let day = first
                + Duration::days(rng.random_range(0..(now.date_naive() - first).num_days().max(1)));
            let at = day
                .and_hms_opt(rng.random_range(7..22), rng.random_range(0..60), 0)
                .map_or(now, |d| d.and_utc())
                .min(now);
            let (unit, quantity) = if rng.random_bool(0.8) {
                (UsageUnit::Minute, rng.random_range(1..25) * 1_000)
            } else {
                (UsageUnit::Sms, 1_000)
            };
            rows.push(NewUsageRow {
                external_id: format!("demo-cdr-{subscription}-{n}"),
                customer_id: customer,
                subscription_id: subscription,
                unit,
                quantity_milli: quantity,
                occurred_at: to_db(at),
                occurred_on: at.date_naive(),
                period: Period::of(at.date_naive()).to_string(),
                source: "demo".into(),
                recorded_at: to_db(at),
            });
        }
    }
    UsageEvents::insert_new(conn, rows)?;
    Ok(())
}

/// The two months before this one, billed on the first of the month after each.
fn bill_recent_months(
    state: &AppState,
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let this_month = Period::of(now.date_naive());
    for period in [this_month.previous().previous(), this_month.previous()] {
        // Billed by the scheduler on the first of the next month: its clock says so.
        let issued = period.next().first_day();
        let at = issued
            .and_hms_opt(6, 0, 0)
            .map_or(now, |d| d.and_utc())
            .min(now);
        let (run, _) = crate::billing::start(conn, period, Some(issued), "scheduler", at)?;
        let clock = ManualClock::new(at);
        crate::billing::work_on(
            conn,
            run.id,
            "demo",
            &state.settings.billing,
            &state.settings.operator,
            &clock,
            None,
        )?;
    }
    Ok(())
}
