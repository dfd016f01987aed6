//! A contract as the API shows it: with its subscriptions, tariff history and suspensions.

use chrono::NaiveDate;
use okno_api_types::CustomerKind;
use okno_api_types::ErrorCode;
use okno_api_types::contracts::{Contract, Subscription, SubscriptionTariff, Suspension};
use okno_db::DbConnection;
use okno_db::contracts::{
    ContractRecord, SubscriptionRecord, SubscriptionTariffRecord, SuspensionRecord,
};
use okno_db::customers::CustomerRecord;
use okno_domain::contracts::{ends_on, withdrawal_ground};

use crate::error::{ApiResult, NotFoundExt};
use crate::stored_json::decode;
use crate::time::from_db;

pub fn find_contract(conn: &mut DbConnection, id: i64) -> ApiResult<ContractRecord> {
    ContractRecord::find(conn, id)
        .or_not_found(ErrorCode::ContractNotFound, format!("contract {id}"))
}

/// The day up to which the customer may withdraw, if they may now.
pub fn withdrawal_deadline(
    record: &ContractRecord,
    customer_kind: CustomerKind,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if !record.status.is_in_force() {
        return None;
    }
    let ground = withdrawal_ground(
        customer_kind == CustomerKind::Person,
        record.channel,
        record.signed_on,
        record.terms_changed_on,
        today,
    )
    .ok()?;
    Some(match ground {
        okno_domain::contracts::WithdrawalGround::DistanceContract { deadline }
        | okno_domain::contracts::WithdrawalGround::ChangedTerms { deadline } => deadline,
    })
}

/// Builds the API view of several contracts with two queries for all their parts.
pub fn contracts_view(
    conn: &mut DbConnection,
    records: Vec<(ContractRecord, String)>,
    today: NaiveDate,
) -> ApiResult<Vec<Contract>> {
    let ids: Vec<i64> = records.iter().map(|(c, _)| c.id).collect();
    let subscriptions = SubscriptionRecord::of_contracts(conn, &ids)?;
    let subscription_ids: Vec<i64> = subscriptions.iter().map(|s| s.id).collect();
    let tariffs = SubscriptionTariffRecord::of_subscriptions(conn, &subscription_ids)?;
    let suspensions = SuspensionRecord::of_contracts(conn, &ids)?;
    let customer_ids: Vec<i64> = records.iter().map(|(c, _)| c.customer_id).collect();
    let kinds = CustomerRecord::kinds_of(conn, &customer_ids)?;
    let mut views = Vec::with_capacity(records.len());
    for (record, customer_name) in records {
        let kind = kinds
            .iter()
            .find(|(id, _)| *id == record.customer_id)
            .map_or(CustomerKind::Organisation, |(_, k)| *k);
        let subscriptions = subscriptions
            .iter()
            .filter(|s| s.contract_id == record.id)
            .map(|s| {
                Ok(Subscription {
                    id: s.id,
                    service_address: decode(&s.service_address)?,
                    meter_number: s.meter_number.clone(),
                    tariffs: tariffs
                        .iter()
                        .filter(|(t, _, _)| t.subscription_id == s.id)
                        .map(|(t, code, name)| SubscriptionTariff {
                            tariff_id: t.tariff_id,
                            tariff_code: code.clone(),
                            tariff_name: name.clone(),
                            effective_from: t.effective_from,
                            early: t.early,
                            recorded_by: t.recorded_by.clone(),
                        })
                        .collect(),
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let suspensions = suspensions
            .iter()
            .filter(|s| s.contract_id == record.id)
            .map(|s| Suspension {
                id: s.id,
                reason: s.reason,
                from_date: s.from_date,
                until_date: s.until_date,
                resumed_on: s.resumed_on,
                note: s.note.clone(),
            })
            .collect();
        views.push(Contract {
            id: record.id,
            withdrawal_deadline: withdrawal_deadline(&record, kind, today),
            number: record.number,
            customer_id: record.customer_id,
            customer_name,
            sales_point_id: record.sales_point_id,
            channel: record.channel,
            status: record.status,
            start_date: record.start_date,
            end_date: record.end_date,
            signed_on: record.signed_on,
            approved_at: record.approved_at.map(from_db),
            approved_by: record.approved_by,
            activated_on: record.activated_on,
            ends_on: ends_on(record.status, record.terminated_on, record.end_date),
            terminated_on: record.terminated_on,
            termination_reason: record.termination_reason,
            withdrawn_at: record.withdrawn_at.map(from_db),
            rejection_reason: record.rejection_reason,
            terms_changed_on: record.terms_changed_on,
            created_by: record.created_by,
            created_at: from_db(record.created_at),
            subscriptions,
            suspensions,
            version: record.version,
        });
    }
    Ok(views)
}

pub fn load_contract(conn: &mut DbConnection, id: i64, today: NaiveDate) -> ApiResult<Contract> {
    let record = find_contract(conn, id)?;
    let name = CustomerRecord::find(conn, record.customer_id)?.display_name;
    contracts_view(conn, vec![(record, name)], today)?
        .pop()
        .ok_or_else(|| {
            crate::error::ApiError::not_found(ErrorCode::ContractNotFound, format!("contract {id}"))
        })
}
