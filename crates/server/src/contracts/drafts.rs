//! Drafting contracts: a new contract is a draft until the customer signs it, and a
//! rejected one returns to its author as a draft.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use okno_api_types::CustomerStatus;
use okno_api_types::contracts::{ContractPatch, NewContract, NewSubscription};
use okno_db::contracts::{
    ContractChanges, ContractRecord, NewContractRow, NewSubscriptionTariffRow, StatusStep,
    SubscriptionRecord, SubscriptionTariffRecord,
};
use okno_db::tariffs::{TariffRecord, TariffVersionRecord};
use okno_db::{DbConnection, DbError, Stored, write_transaction};
use okno_domain::contracts::{
    ContractChange, ContractStatus, METER_NUMBER_MAX_CHARS, check_meter, check_service_count,
    check_term,
};
use okno_domain::customers::check_address;
use okno_domain::tariffs::version_in_force;
use okno_domain::validation::{FieldErrorCode, Validator};

use super::lifecycle::{Actor, ContractEvent, record_change};
use super::view::find_contract;
use crate::auth::Principal;
use crate::customers;
use crate::error::{ApiError, ApiResult};
use crate::reference::check_sales_point;
use crate::stored_json::encode;
use crate::time::to_db;

/// A service of a new contract, checked.
struct CheckedSubscription {
    tariff_id: i64,
    address_json: String,
    meter_number: Option<String>,
}

/// Checks the services of a contract starting on `start_date`: a tariff on sale with a price
/// in force then, an address, a meter for metered services.
fn check_subscriptions(
    conn: &mut DbConnection,
    v: &mut Validator,
    subscriptions: &[NewSubscription],
    start_date: NaiveDate,
) -> ApiResult<Vec<CheckedSubscription>> {
    check_service_count(v, subscriptions.len());
    let mut checked = Vec::new();
    for (i, subscription) in subscriptions.iter().enumerate() {
        let field = |name: &str| format!("subscriptions[{i}].{name}");
        let address = check_address(v, &field("service_address"), &subscription.service_address);
        let meter_number = v.optional_text(
            &field("meter_number"),
            subscription.meter_number.as_deref(),
            METER_NUMBER_MAX_CHARS,
        );
        match TariffRecord::find(conn, subscription.tariff_id) {
            Ok(tariff) if !tariff.active => v.fail(
                field("tariff_id"),
                FieldErrorCode::Inactive,
                "this tariff is no longer sold",
            ),
            Ok(tariff) => {
                let versions = TariffVersionRecord::of_tariff(conn, tariff.id)?;
                if version_in_force(&versions, |v| v.effective_from, start_date).is_none() {
                    v.fail(
                        field("tariff_id"),
                        FieldErrorCode::NotInForce,
                        "the tariff has no price in force on the start date",
                    );
                }
                check_meter(
                    v,
                    &field("meter_number"),
                    tariff.service_kind,
                    meter_number.as_deref(),
                );
            }
            Err(DbError::NotFound) => v.fail(
                field("tariff_id"),
                FieldErrorCode::UnknownReference,
                format!("there is no tariff {}", subscription.tariff_id),
            ),
            Err(e) => return Err(e.into()),
        }
        checked.push(CheckedSubscription {
            tariff_id: subscription.tariff_id,
            address_json: encode(&address)?,
            meter_number,
        });
    }
    Ok(checked)
}

fn add_subscriptions(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    subscriptions: Vec<CheckedSubscription>,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    for s in subscriptions {
        let record = SubscriptionRecord::insert(
            conn,
            contract,
            &s.address_json,
            s.meter_number.as_deref(),
            to_db(now),
        )?;
        SubscriptionTariffRecord::record(
            conn,
            &NewSubscriptionTariffRow {
                subscription_id: record.id,
                tariff_id: s.tariff_id,
                effective_from: contract.start_date,
                early: false,
                recorded_by: recorded_by.into(),
                recorded_at: to_db(now),
            },
        )?;
    }
    Ok(())
}

/// A new contract, as a draft numbered in the year's series. Without a sales point
/// it belongs to its author's.
pub fn create_draft(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewContract,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let customer = customers::find_referenced(conn, "customer_id", input.customer_id)?;
        let mut v = Validator::new();
        if customer.status == CustomerStatus::Closed {
            v.fail(
                "customer_id",
                FieldErrorCode::Inactive,
                "the customer's account is closed",
            );
        }
        check_sales_point(conn, &mut v, input.sales_point_id)?;
        check_term(&mut v, input.start_date, input.end_date, today);
        let subscriptions =
            check_subscriptions(conn, &mut v, &input.subscriptions, input.start_date)?;
        v.finish()?;
        let by = principal.recorded_by();
        let contract = ContractRecord::create(
            conn,
            NewContractRow {
                customer_id: customer.id,
                sales_point_id: input.sales_point_id.or(principal.sales_point_id),
                channel: input.channel,
                status: ContractStatus::Draft,
                start_date: input.start_date,
                end_date: input.end_date,
                created_by: by.label.clone(),
                created_by_user_id: by.user_id,
                created_at: to_db(now),
                updated_at: to_db(now),
                version: 1,
            },
            today.year(),
        )?;
        add_subscriptions(conn, &contract, subscriptions, &by.label, now)?;
        let actor = Actor::Principal(principal);
        record_change(
            conn,
            actor,
            &contract,
            ContractEvent::Created,
            None,
            None,
            now,
        )?;
        Ok(contract)
    })
}

/// Changes a draft, which is where a rejected contract returns to its author. Services
/// given replace the draft's services.
pub fn update_draft(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    patch: &ContractPatch,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, id)?;
        contract.status.allows(ContractChange::EditDraft)?;
        if contract.version != patch.version {
            return Err(ApiError::VersionConflict(None));
        }
        let mut v = Validator::new();
        let start_date = patch.start_date.unwrap_or(contract.start_date);
        let end_date = patch.end_date.unwrap_or(contract.end_date);
        check_term(&mut v, start_date, end_date, today);
        let subscriptions = match &patch.subscriptions {
            Some(list) => Some(check_subscriptions(conn, &mut v, list, start_date)?),
            None => None,
        };
        v.finish()?;
        let changes = ContractChanges {
            channel: patch.channel.map(Stored),
            start_date: patch.start_date,
            end_date: patch.end_date,
            ..ContractChanges::default()
        };
        let updated = ContractRecord::update(
            conn,
            id,
            StatusStep::stay(ContractStatus::Draft),
            Some(patch.version),
            &changes,
            to_db(now),
        )?;
        if let Some(subscriptions) = subscriptions {
            SubscriptionRecord::delete_of_draft(conn, id)?;
            add_subscriptions(
                conn,
                &updated,
                subscriptions,
                &principal.recorded_by().label,
                now,
            )?;
        }
        record_change(
            conn,
            Actor::Principal(principal),
            &updated,
            ContractEvent::Edited,
            Some(ContractStatus::Draft),
            None,
            now,
        )?;
        Ok(updated)
    })
}
