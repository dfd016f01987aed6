//! Changes to a contract in force that keep its status: another tariff for a service,
//! changed terms.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::contracts::{TariffChangeRequest, TermsChangeRequest};
use okno_db::contracts::{
    ContractChanges, ContractRecord, NewSubscriptionTariffRow, StatusStep, SubscriptionRecord,
    SubscriptionTariffRecord,
};
use okno_db::tariffs::{TariffRecord, TariffVersionRecord};
use okno_db::{DbConnection, write_transaction};
use okno_domain::contracts::{
    ContractChange, DocumentKind, check_terms_change, tariff_change_day, withdrawal_deadline,
};
use okno_domain::tariffs::version_in_force;
use okno_domain::validation::{FieldErrorCode, Validator};

use super::lifecycle::{Actor, ContractEvent, record_change};
use super::papers::{keep, paper};
use super::view::find_contract;
use crate::auth::Principal;
use crate::config::OperatorDetails;
use crate::documents;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::time::to_db;

const TERMS_DESCRIPTION_MAX_CHARS: usize = 2000;

/// a service moves to another tariff from the first day of next month, or, when
/// `early` says so, from another day.
pub fn change_tariff(
    conn: &mut DbConnection,
    principal: &Principal,
    contract_id: i64,
    request: &TariffChangeRequest,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, contract_id)?;
        contract.status.allows(ContractChange::Tariff)?;
        let subscriptions = SubscriptionRecord::of_contract(conn, contract.id)?;
        if !subscriptions
            .iter()
            .any(|s| s.id == request.subscription_id)
        {
            return Err(ApiError::not_found(
                ErrorCode::SubscriptionNotFound,
                format!(
                    "subscription {} of contract {}",
                    request.subscription_id, contract.number
                ),
            ));
        }
        let mut v = Validator::new();
        let day = tariff_change_day(
            &mut v,
            request.effective_from,
            request.early,
            today,
            contract.start_date,
        );
        let tariff = TariffRecord::find(conn, request.tariff_id).or_not_found(
            ErrorCode::TariffNotFound,
            format!("tariff {}", request.tariff_id),
        )?;
        if !tariff.active {
            v.fail(
                "tariff_id",
                FieldErrorCode::Inactive,
                "this tariff is no longer sold",
            );
        }
        let versions = TariffVersionRecord::of_tariff(conn, tariff.id)?;
        if version_in_force(&versions, |v| v.effective_from, day.effective_from).is_none() {
            v.fail(
                "tariff_id",
                FieldErrorCode::NotInForce,
                "the tariff has no price in force on that day",
            );
        }
        let history = SubscriptionTariffRecord::of_subscriptions(conn, &[request.subscription_id])?;
        let current = history
            .iter()
            .rev()
            .find(|(t, _, _)| t.effective_from <= day.effective_from);
        if current.is_some_and(|(t, _, _)| t.tariff_id == tariff.id) {
            v.fail(
                "tariff_id",
                FieldErrorCode::Unchanged,
                "the subscription is on this tariff already",
            );
        }
        v.finish()?;
        let actor = Actor::Principal(principal);
        SubscriptionTariffRecord::record(
            conn,
            &NewSubscriptionTariffRow {
                subscription_id: request.subscription_id,
                tariff_id: tariff.id,
                effective_from: day.effective_from,
                early: day.early,
                recorded_by: actor.recorded_by().label,
                recorded_at: to_db(now),
            },
        )?;
        let detail = format!(
            "subscription {}: {} from {}{}",
            request.subscription_id,
            tariff.code,
            day.effective_from,
            if day.early { " (early)" } else { "" }
        );
        record_change(
            conn,
            actor,
            &contract,
            ContractEvent::TariffChange,
            Some(contract.status),
            Some(detail),
            now,
        )?;
        Ok(contract)
    })
}

/// the operator changes the terms; the customer gets a notice, kept as a document, and
/// 14 days to withdraw.
pub fn change_terms(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    principal: &Principal,
    contract_id: i64,
    request: &TermsChangeRequest,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, contract_id)?;
        contract.status.allows(ContractChange::Terms)?;
        let mut v = Validator::new();
        let description = v.text(
            "description",
            &request.description,
            TERMS_DESCRIPTION_MAX_CHARS,
        );
        check_terms_change(&mut v, request.effective_from, today);
        v.finish()?;
        let changes = ContractChanges {
            terms_changed_on: Some(Some(today)),
            ..ContractChanges::default()
        };
        let updated = ContractRecord::update(
            conn,
            contract.id,
            StatusStep::stay(contract.status),
            None,
            &changes,
            to_db(now),
        )?;
        let actor = Actor::Principal(principal);
        let paper = paper(conn, operator, &updated, today)?;
        let pdf = documents::terms_change_notice(
            &paper,
            &description,
            request.effective_from,
            withdrawal_deadline(today),
        )?;
        let by = actor.recorded_by();
        keep(
            conn,
            &updated,
            &paper,
            DocumentKind::TermsChangeNotice,
            pdf,
            &by.label,
            now,
        )?;
        let detail = format!("from {}: {description}", request.effective_from);
        record_change(
            conn,
            actor,
            &updated,
            ContractEvent::TermsChange,
            Some(updated.status),
            Some(detail),
            now,
        )?;
        Ok(updated)
    })
}
