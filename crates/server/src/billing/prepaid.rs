//! Prepaid services: each day of service is taken from the balance while it covers the
//! day; when it does not, the service is paused for debt. Each day is booked once (a key per
//! subscription and day), so the job may run on several servers and catch up after a stop.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use okno_api_types::billing::PrepaidService;
use okno_db::contracts::{
    ContractRecord, SubscriptionRecord, SubscriptionTariffRecord, SubscriptionTariffWithName,
};
use okno_db::invoices::{AccountEntryRecord, NewAccountEntryRow};
use okno_db::schema::{account_entries, contracts, subscription_tariffs, subscriptions};
use okno_db::{DbConnection, write_transaction};
use okno_domain::billing::prepaid::{covered_until, day_charge};
use okno_domain::billing::{EntryKind, PriceVersion};
use okno_domain::contracts::{ContractStatus, SuspensionReason};
use okno_domain::notifications::prepaid_warning;
use okno_domain::tariffs::version_in_force;

use super::inputs::price_versions;
use crate::contracts::Actor;
use crate::contracts::lifecycle::pause;
use crate::error::ApiResult;
use crate::jobs::Reminders;
use crate::notifications::{self, Notice, Sender};
use crate::time::to_db;

/// How far ahead the balance is followed to find the day it runs out.
const HORIZON_DAYS: u32 = 3 * 366;

/// A service on a prepaid tariff, running now.
struct Prepaid {
    contract: ContractRecord,
    subscription_id: i64,
    customer_id: i64,
    tariffs: Vec<SubscriptionTariffWithName>,
}

impl Prepaid {
    /// The tariff name and price on `day`, if the service is on a prepaid price then.
    fn price_on<'a>(
        &'a self,
        versions: &'a [PriceVersion],
        day: NaiveDate,
    ) -> Option<(&'a str, &'a PriceVersion)> {
        let (span, _, name) = version_in_force(&self.tariffs, |(t, _, _)| t.effective_from, day)?;
        let own: Vec<&PriceVersion> = versions
            .iter()
            .filter(|v| v.tariff_id == span.tariff_id)
            .collect();
        let version = version_in_force(&own, |v| v.effective_from, day)?;
        version.prepaid.then_some((name.as_str(), *version))
    }

    fn daily(&self, versions: &[PriceVersion], day: NaiveDate) -> i64 {
        self.price_on(versions, day).map_or(0, |(_, v)| {
            day_charge(v.monthly_fee_minor, v.vat_rate_bp, day).gross_minor
        })
    }
}

/// Active services that are or were on a tariff with a prepaid version; of one customer when
/// given.
fn prepaid_services(
    conn: &mut DbConnection,
    versions: &[PriceVersion],
    customer_id: Option<i64>,
) -> ApiResult<Vec<Prepaid>> {
    let prepaid_tariffs: Vec<i64> = versions
        .iter()
        .filter(|v| v.prepaid)
        .map(|v| v.tariff_id)
        .collect();
    if prepaid_tariffs.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = subscriptions::table
        .inner_join(contracts::table)
        .filter(contracts::status.eq(ContractStatus::Active.as_str()))
        .filter(
            subscriptions::id.eq_any(
                subscription_tariffs::table
                    .filter(subscription_tariffs::tariff_id.eq_any(prepaid_tariffs))
                    .select(subscription_tariffs::subscription_id),
            ),
        )
        .select(subscriptions::id)
        .into_boxed();
    if let Some(customer_id) = customer_id {
        query = query.filter(subscriptions::customer_id.eq(customer_id));
    }
    let ids: Vec<i64> = query.load(conn)?;
    let tariffs = SubscriptionTariffRecord::of_subscriptions(conn, &ids)?;
    let mut services = Vec::new();
    for chunk in ids.chunks(1_000) {
        let subscriptions: Vec<SubscriptionRecord> = subscriptions::table
            .filter(subscriptions::id.eq_any(chunk))
            .load(conn)?;
        let contract_ids: Vec<i64> = subscriptions.iter().map(|s| s.contract_id).collect();
        let contracts: Vec<ContractRecord> = contracts::table
            .filter(contracts::id.eq_any(&contract_ids))
            .load(conn)?;
        for subscription in subscriptions {
            let Some(contract) = contracts.iter().find(|c| c.id == subscription.contract_id) else {
                continue;
            };
            services.push(Prepaid {
                contract: contract.clone(),
                subscription_id: subscription.id,
                customer_id: subscription.customer_id,
                tariffs: tariffs
                    .iter()
                    .filter(|(t, _, _)| t.subscription_id == subscription.id)
                    .cloned()
                    .collect(),
            });
        }
    }
    Ok(services)
}

/// The last day charged to a subscription.
fn last_charged(conn: &mut DbConnection, subscription_id: i64) -> ApiResult<Option<NaiveDate>> {
    Ok(account_entries::table
        .filter(account_entries::subscription_id.eq(subscription_id))
        .filter(account_entries::kind.eq(EntryKind::PrepaidCharge.as_str()))
        .select(account_entries::booked_on)
        .order(account_entries::booked_on.desc())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PrepaidReport {
    pub charged_days: usize,
    pub paused: usize,
}

/// Charges every prepaid service for each day up to `today` not charged yet, oldest first,
/// while the balance covers it; pauses a service its balance does not cover.
/// Customers are told when a balance runs low and when it ran out.
pub fn charge_due(
    conn: &mut DbConnection,
    reminders: &Reminders,
    now: DateTime<Utc>,
) -> ApiResult<PrepaidReport> {
    let today = now.date_naive();
    let versions = price_versions(conn)?;
    let services = prepaid_services(conn, &versions, None)?;
    let customer_ids: Vec<i64> = services.iter().map(|s| s.customer_id).collect();
    let mut balances: HashMap<i64, i64> = AccountEntryRecord::balances(conn, &customer_ids)?
        .into_iter()
        .collect();
    let mut report = PrepaidReport::default();
    let mut charged = Vec::new();
    let mut paused = Vec::new();
    for service in &services {
        let start = service
            .contract
            .activated_on
            .unwrap_or(service.contract.start_date);
        let from = last_charged(conn, service.subscription_id)?
            .map_or(start, |d| d + Duration::days(1))
            .max(start);
        for day in from.iter_days().take_while(|d| *d <= today) {
            let Some((name, version)) = service.price_on(&versions, day) else {
                continue;
            };
            let charge = day_charge(version.monthly_fee_minor, version.vat_rate_bp, day);
            let balance = balances.entry(service.customer_id).or_default();
            if *balance < charge.gross_minor {
                let run_out = Notice::prepaid_run_out(
                    service.customer_id,
                    service.contract.id,
                    day,
                    *balance,
                    &version.currency,
                );
                if pause_for_debt(
                    conn,
                    &service.contract,
                    day,
                    (&reminders.sender, run_out),
                    now,
                )? {
                    report.paused += 1;
                    paused.push(service.contract.id);
                }
                break;
            }
            let booked = AccountEntryRecord::insert_once(
                conn,
                NewAccountEntryRow {
                    booked_on: day,
                    subscription_id: Some(service.subscription_id),
                    dedupe_key: Some(format!("prepaid:{}:{day}", service.subscription_id)),
                    ..NewAccountEntryRow::new(
                        service.customer_id,
                        EntryKind::PrepaidCharge,
                        to_db(now),
                        -charge.gross_minor,
                        version.currency.clone(),
                        format!("{name}: {day}"),
                    )
                },
            )?;
            if booked {
                *balance -= charge.gross_minor;
                report.charged_days += 1;
                charged.push(service.customer_id);
            }
        }
    }
    // The days are paid from the balance: from the credit that made it.
    charged.sort_unstable();
    charged.dedup();
    write_transaction(conn, |conn| {
        crate::payments::allocation::settle_customers(conn, &charged, now)
    })?;
    let running: Vec<&Prepaid> = services
        .iter()
        .filter(|s| !paused.contains(&s.contract.id))
        .collect();
    let warnings = low_balance_warnings(&running, &versions, &balances, reminders, today);
    write_transaction(conn, |conn| {
        notifications::write(conn, &reminders.sender, &warnings, now)
    })?;
    Ok(report)
}

/// Warnings to the customers whose balance pays for fewer than the warning days from
/// tomorrow on (today is charged already), for services still running.
fn low_balance_warnings(
    services: &[&Prepaid],
    versions: &[PriceVersion],
    balances: &HashMap<i64, i64>,
    reminders: &Reminders,
    today: NaiveDate,
) -> Vec<Notice> {
    let tomorrow = today + Duration::days(1);
    services
        .iter()
        .filter_map(|service| {
            let (_, version) = service.price_on(versions, today)?;
            let balance = balances.get(&service.customer_id).copied().unwrap_or(0);
            let last_paid =
                covered_until(balance, tomorrow, reminders.prepaid_low_days + 1, |day| {
                    service.daily(versions, day)
                });
            let last = prepaid_warning(today, last_paid, reminders.prepaid_low_days)?;
            Some(Notice::prepaid_low(
                service.customer_id,
                service.subscription_id,
                balance,
                &version.currency,
                last,
            ))
        })
        .collect()
}

/// Pauses an active contract from `day` because its balance ran out; `false` when someone
/// changed it meanwhile.
fn pause_for_debt(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    day: NaiveDate,
    (sender, notice): (&Sender, Notice),
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    write_transaction(conn, |conn| {
        let fresh = ContractRecord::find(conn, contract.id)?;
        if fresh.status != ContractStatus::Active {
            return Ok(false);
        }
        pause(
            conn,
            Actor::System,
            &fresh,
            SuspensionReason::Debt,
            day.max(now.date_naive()),
            None,
            Some("the prepaid balance is used up".into()),
            None,
            now,
        )?;
        notifications::write(conn, sender, &[notice], now)?;
        Ok(true)
    })
}

/// The customer's prepaid services, what a day costs and until when the balance pays.
pub fn services_of(
    conn: &mut DbConnection,
    customer_id: i64,
    balance: i64,
    today: NaiveDate,
) -> ApiResult<Vec<PrepaidService>> {
    let versions = price_versions(conn)?;
    let services = prepaid_services(conn, &versions, Some(customer_id))?;
    let mut views = Vec::new();
    for service in &services {
        let Some((name, _)) = service.price_on(&versions, today) else {
            continue;
        };
        // Today may be charged already; the balance then pays from tomorrow.
        let charged_today =
            last_charged(conn, service.subscription_id)?.is_some_and(|d| d >= today);
        let from = if charged_today {
            today + Duration::days(1)
        } else {
            today
        };
        views.push(PrepaidService {
            subscription_id: service.subscription_id,
            tariff_name: name.to_owned(),
            daily_charge_minor: service.daily(&versions, today),
            covered_until: covered_until(balance, from, HORIZON_DAYS, |day| {
                service.daily(&versions, day)
            })
            .or(charged_today.then_some(today)),
        });
    }
    Ok(views)
}
