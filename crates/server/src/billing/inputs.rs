//! Stored records turned into what the billing rules of `okno-domain` read.

use std::collections::HashMap;

use chrono::Duration;
use okno_db::DbConnection;
use okno_db::benefits::BenefitRecord;
use okno_db::contracts::{
    ContractRecord, SubscriptionRecord, SubscriptionTariffWithName, SuspensionRecord,
};
use okno_db::tariffs::TariffVersionRecord;
use okno_db::usage::UsageRow;
use okno_domain::billing::{
    BenefitInput, DayRange, PriceVersion, ServiceInput, TariffSpan, UsageInput,
};

use crate::error::ApiResult;
use crate::stored_json::decode;

/// Every tariff version, for pricing; the price list is small next to what is billed.
pub fn price_versions(conn: &mut DbConnection) -> ApiResult<Vec<PriceVersion>> {
    TariffVersionRecord::all(conn)?
        .into_iter()
        .map(price_version)
        .collect()
}

pub fn price_version(record: TariffVersionRecord) -> ApiResult<PriceVersion> {
    Ok(PriceVersion {
        id: record.id,
        tariff_id: record.tariff_id,
        effective_from: record.effective_from,
        monthly_fee_minor: record.monthly_fee_minor,
        vat_rate_bp: record.vat_rate_bp,
        currency: record.currency,
        prepaid: record.prepaid,
        one_off_fees: decode(&record.one_off_fees)?,
        usage_rates: decode(&record.usage_rates)?,
    })
}

/// The days a contract delivered service: from activation to termination, without pauses.
pub fn service_days(
    contract: &ContractRecord,
    suspensions: &[&SuspensionRecord],
) -> (DayRange, Vec<DayRange>) {
    let service = DayRange {
        from: contract.activated_on.unwrap_or(contract.start_date),
        to: contract.terminated_on,
    };
    let pauses = suspensions
        .iter()
        .map(|s| DayRange {
            from: s.from_date,
            to: s.resumed_on.map(|d| d - Duration::days(1)).or(s.until_date),
        })
        .collect();
    (service, pauses)
}

/// The services of one customer. `tariffs` and `suspensions` are grouped by subscription
/// and by contract.
pub fn services(
    contracts: &[&ContractRecord],
    subscriptions: &[&SubscriptionRecord],
    tariffs: &HashMap<i64, Vec<&SubscriptionTariffWithName>>,
    suspensions: &HashMap<i64, Vec<&SuspensionRecord>>,
) -> Vec<ServiceInput> {
    let mut services = Vec::new();
    for contract in contracts {
        let paused = suspensions
            .get(&contract.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let (service, pauses) = service_days(contract, paused);
        for subscription in subscriptions
            .iter()
            .filter(|s| s.contract_id == contract.id)
        {
            services.push(ServiceInput {
                subscription_id: subscription.id,
                service,
                pauses: pauses.clone(),
                tariffs: tariffs
                    .get(&subscription.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|(t, _, name)| TariffSpan {
                        tariff_id: t.tariff_id,
                        tariff_name: name.clone(),
                        from: t.effective_from,
                    })
                    .collect(),
            });
        }
    }
    services
}

pub fn usage(rows: &[&UsageRow]) -> Vec<UsageInput> {
    rows.iter()
        .map(|u| UsageInput {
            subscription_id: u.subscription_id,
            unit: u.unit,
            occurred_on: u.occurred_on,
            quantity_milli: u.quantity_milli,
            billed: u.invoice_id.is_some(),
        })
        .collect()
}

pub fn benefits(records: &[&BenefitRecord]) -> Vec<BenefitInput> {
    records
        .iter()
        .map(|b| BenefitInput {
            name: b.name.clone(),
            kind: b.kind,
            percent_bp: b.percent_bp,
            amount_minor: b.amount_minor,
            valid: DayRange {
                from: b.valid_from,
                to: b.valid_to,
            },
        })
        .collect()
}

/// Groups rows by a key (the customer, the contract).
pub fn by_customer<T>(rows: &[T], customer_of: impl Fn(&T) -> i64) -> HashMap<i64, Vec<&T>> {
    let mut groups: HashMap<i64, Vec<&T>> = HashMap::new();
    for row in rows {
        groups.entry(customer_of(row)).or_default().push(row);
    }
    groups
}
