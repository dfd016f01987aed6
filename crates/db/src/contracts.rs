//! Contracts, their subscriptions and tariff history, suspensions and lifecycle events
//! (R-12..R-15), and the subscribers' requests.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::contacts::Channel;
use okno_domain::contracts::{
    ContractStatus, RequestKind, RequestStatus, RetentionOutcome, SuspensionReason,
};

use crate::schema::{
    contract_events, contract_requests, contract_suspensions, contracts, customers,
    retention_contacts, subscription_tariffs, subscriptions, tariffs,
};
use crate::{DbConnection, DbError, DbResult, Stored, StoredOpt, Timestamp, sequences};

diesel::define_sql_function! {
    /// The first of the two that is not null.
    fn coalesce(first: diesel::sql_types::Nullable<diesel::sql_types::Date>, second: diesel::sql_types::Nullable<diesel::sql_types::Date>) -> diesel::sql_types::Nullable<diesel::sql_types::Date>;
}

/// The last day of service a contract is heading for: its notice of termination's, else its
/// fixed term's.
fn last_day() -> coalesce<contracts::terminated_on, contracts::end_date> {
    coalesce(contracts::terminated_on, contracts::end_date)
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ContractRecord {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub sales_point_id: Option<i64>,
    #[diesel(deserialize_as = Stored<Channel>)]
    pub channel: Channel,
    #[diesel(deserialize_as = Stored<ContractStatus>)]
    pub status: ContractStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub signed_on: Option<NaiveDate>,
    pub approved_at: Option<Timestamp>,
    pub approved_by: Option<String>,
    pub activated_on: Option<NaiveDate>,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: Option<String>,
    pub withdrawn_at: Option<Timestamp>,
    pub rejection_reason: Option<String>,
    pub terms_changed_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_by_user_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = contracts)]
pub struct NewContractRow {
    pub customer_id: i64,
    pub sales_point_id: Option<i64>,
    #[diesel(serialize_as = Stored<Channel>)]
    pub channel: Channel,
    #[diesel(serialize_as = Stored<ContractStatus>)]
    pub status: ContractStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub created_by: String,
    pub created_by_user_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// Changes to a contract besides its status; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = contracts)]
pub struct ContractChanges {
    pub channel: Option<Stored<Channel>>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<Option<NaiveDate>>,
    pub signed_on: Option<Option<NaiveDate>>,
    pub approved_at: Option<Option<Timestamp>>,
    pub approved_by: Option<Option<String>>,
    pub activated_on: Option<Option<NaiveDate>>,
    pub terminated_on: Option<Option<NaiveDate>>,
    pub termination_reason: Option<Option<String>>,
    pub withdrawn_at: Option<Option<Timestamp>>,
    pub rejection_reason: Option<Option<String>>,
    pub terms_changed_on: Option<Option<NaiveDate>>,
}

/// The status a contract is expected in, and the one it moves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusStep {
    pub from: ContractStatus,
    pub to: ContractStatus,
}

impl StatusStep {
    /// A change that keeps the contract in `status`.
    pub fn stay(status: ContractStatus) -> Self {
        Self {
            from: status,
            to: status,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub statuses: Vec<ContractStatus>,
    pub customer_id: Option<i64>,
    pub sales_point_id: Option<i64>,
    /// Contracts ending on these days (inclusive).
    pub ending_between: Option<(NaiveDate, NaiveDate)>,
}

/// Where a page of contracts continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractPosition {
    /// Newest first: after this id.
    Newest(i64),
    /// Soonest ending first: after this end date and id.
    Ending(NaiveDate, i64),
}

/// A contract with its customer's name, for lists.
pub type ContractWithCustomer = (ContractRecord, String);

impl ContractRecord {
    /// Inserts a draft with the next number of the year, `UM/2026/000001`.
    pub fn create(conn: &mut DbConnection, row: NewContractRow, year: i32) -> DbResult<Self> {
        let sequence = sequences::take_next(conn, &format!("contract/{year}"))?;
        let number = format!("UM/{year}/{sequence:06}");
        diesel::insert_into(contracts::table)
            .values((row, contracts::number.eq(&number)))
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("number"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(contracts::table.find(id).first(conn)?)
    }

    /// Contracts newest first, or soonest ending first when filtered by end date.
    pub fn list(
        conn: &mut DbConnection,
        filter: &ContractFilter,
        after: Option<ContractPosition>,
        limit: i64,
    ) -> DbResult<Vec<ContractWithCustomer>> {
        let mut query = contracts::table
            .inner_join(customers::table)
            .select((contracts::all_columns, customers::display_name))
            .into_boxed();
        if !filter.statuses.is_empty() {
            query = query.filter(
                contracts::status.eq_any(
                    filter
                        .statuses
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>(),
                ),
            );
        }
        if let Some(customer_id) = filter.customer_id {
            query = query.filter(contracts::customer_id.eq(customer_id));
        }
        if let Some(sales_point_id) = filter.sales_point_id {
            query = query.filter(contracts::sales_point_id.eq(sales_point_id));
        }
        if let Some((from, to)) = filter.ending_between {
            query = query
                .filter(last_day().ge(from))
                .filter(last_day().le(to))
                .order((last_day(), contracts::id));
        } else {
            query = query.order(contracts::id.desc());
        }
        query = match after {
            None => query,
            Some(ContractPosition::Newest(id)) => query.filter(contracts::id.lt(id)),
            Some(ContractPosition::Ending(day, id)) => query.filter(
                last_day()
                    .gt(day)
                    .or(last_day().eq(day).and(contracts::id.gt(id))),
            ),
        };
        Ok(query.limit(limit).load(conn)?)
    }

    /// Moves the contract from `step.from` to `step.to` with `changes`, if it is still in
    /// `step.from` (and at `version`, when given): two people acting on one contract at once
    /// cannot both succeed. A change that keeps the status has `from == to`.
    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        step: StatusStep,
        version: Option<i64>,
        changes: &ContractChanges,
        now: Timestamp,
    ) -> DbResult<Self> {
        let target = contracts::table
            .find(id)
            .filter(contracts::status.eq(step.from.as_str()));
        let set = (
            changes,
            contracts::status.eq(step.to.as_str()),
            contracts::updated_at.eq(now),
            contracts::version.eq(contracts::version + 1),
        );
        let updated = match version {
            Some(version) => diesel::update(target.filter(contracts::version.eq(version)))
                .set(set)
                .get_result(conn)
                .optional()?,
            None => diesel::update(target)
                .set(set)
                .get_result(conn)
                .optional()?,
        };
        updated.ok_or(DbError::Stale)
    }

    /// Approved contracts whose start date has come, to activate; not one whose notice of
    /// termination ended before it would start.
    pub fn due_for_activation(conn: &mut DbConnection, today: NaiveDate) -> DbResult<Vec<Self>> {
        Ok(contracts::table
            .filter(contracts::status.eq(ContractStatus::Approved.as_str()))
            .filter(contracts::start_date.le(today))
            .filter(
                contracts::terminated_on
                    .is_null()
                    .or(contracts::terminated_on.ge(contracts::start_date.nullable())),
            )
            .load(conn)?)
    }

    /// Contracts in force whose notice of termination or fixed term ends between `from` and
    /// `until`, both included.
    pub fn ending_between(
        conn: &mut DbConnection,
        from: NaiveDate,
        until: NaiveDate,
    ) -> DbResult<Vec<Self>> {
        Ok(contracts::table
            .filter(contracts::status.eq_any([
                ContractStatus::Active.as_str(),
                ContractStatus::Suspended.as_str(),
            ]))
            .filter(
                contracts::terminated_on
                    .between(from, until)
                    .or(contracts::end_date.between(from, until)),
            )
            .order(contracts::id)
            .load(conn)?)
    }

    /// Contracts in force whose last day has passed: of a notice of termination or of a
    /// fixed term.
    pub fn past_their_end(conn: &mut DbConnection, today: NaiveDate) -> DbResult<Vec<Self>> {
        // A notice of termination or a fixed term, whichever ends first.
        Ok(contracts::table
            .filter(contracts::status.eq_any([
                ContractStatus::Approved.as_str(),
                ContractStatus::Active.as_str(),
                ContractStatus::Suspended.as_str(),
            ]))
            .filter(
                contracts::terminated_on
                    .lt(today)
                    .or(contracts::end_date.lt(today)),
            )
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct SubscriptionRecord {
    pub id: i64,
    pub contract_id: i64,
    pub customer_id: i64,
    /// JSON address.
    pub service_address: String,
    pub meter_number: Option<String>,
    pub created_at: Timestamp,
}

impl SubscriptionRecord {
    pub fn insert(
        conn: &mut DbConnection,
        contract: &ContractRecord,
        service_address: &str,
        meter_number: Option<&str>,
        now: Timestamp,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::contract_id.eq(contract.id),
                subscriptions::customer_id.eq(contract.customer_id),
                subscriptions::service_address.eq(service_address),
                subscriptions::meter_number.eq(meter_number),
                subscriptions::created_at.eq(now),
            ))
            .get_result(conn)?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(subscriptions::table.find(id).first(conn)?)
    }

    pub fn of_contract(conn: &mut DbConnection, contract_id: i64) -> DbResult<Vec<Self>> {
        Ok(subscriptions::table
            .filter(subscriptions::contract_id.eq(contract_id))
            .order(subscriptions::id)
            .load(conn)?)
    }

    pub fn of_contracts(conn: &mut DbConnection, contract_ids: &[i64]) -> DbResult<Vec<Self>> {
        Ok(subscriptions::table
            .filter(subscriptions::contract_id.eq_any(contract_ids))
            .order(subscriptions::id)
            .load(conn)?)
    }

    /// Removes the subscriptions of a draft, which is being edited.
    pub fn delete_of_draft(conn: &mut DbConnection, contract_id: i64) -> DbResult<()> {
        let ids: Vec<i64> = subscriptions::table
            .filter(subscriptions::contract_id.eq(contract_id))
            .select(subscriptions::id)
            .load(conn)?;
        diesel::delete(
            subscription_tariffs::table.filter(subscription_tariffs::subscription_id.eq_any(&ids)),
        )
        .execute(conn)?;
        diesel::delete(subscriptions::table.filter(subscriptions::id.eq_any(&ids)))
            .execute(conn)?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct SubscriptionTariffRecord {
    pub id: i64,
    pub subscription_id: i64,
    pub tariff_id: i64,
    pub effective_from: NaiveDate,
    pub early: bool,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A tariff period of a subscription with the tariff's code and name.
pub type SubscriptionTariffWithName = (SubscriptionTariffRecord, String, String);

/// A subscription's tariff from a day on.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = subscription_tariffs)]
pub struct NewSubscriptionTariffRow {
    pub subscription_id: i64,
    pub tariff_id: i64,
    pub effective_from: NaiveDate,
    /// Not on the first of a month, at the customer's request.
    pub early: bool,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

impl SubscriptionTariffRecord {
    /// Records that a subscription is on a tariff from a day on; a change planned for the
    /// same day is replaced.
    pub fn record(conn: &mut DbConnection, row: &NewSubscriptionTariffRow) -> DbResult<Self> {
        diesel::delete(
            subscription_tariffs::table
                .filter(subscription_tariffs::subscription_id.eq(row.subscription_id))
                .filter(subscription_tariffs::effective_from.eq(row.effective_from)),
        )
        .execute(conn)?;
        Ok(diesel::insert_into(subscription_tariffs::table)
            .values(row)
            .get_result(conn)?)
    }

    /// The tariff history of the subscriptions, by subscription and date, with tariff names.
    pub fn of_subscriptions(
        conn: &mut DbConnection,
        subscription_ids: &[i64],
    ) -> DbResult<Vec<SubscriptionTariffWithName>> {
        Ok(subscription_tariffs::table
            .inner_join(tariffs::table)
            .filter(subscription_tariffs::subscription_id.eq_any(subscription_ids))
            .order((
                subscription_tariffs::subscription_id,
                subscription_tariffs::effective_from,
            ))
            .select((
                subscription_tariffs::all_columns,
                tariffs::code,
                tariffs::name,
            ))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct SuspensionRecord {
    pub id: i64,
    pub contract_id: i64,
    #[diesel(deserialize_as = Stored<SuspensionReason>)]
    pub reason: SuspensionReason,
    pub from_date: NaiveDate,
    pub until_date: Option<NaiveDate>,
    pub resumed_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A pause of a contract's service.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = contract_suspensions)]
pub struct NewSuspensionRow {
    pub contract_id: i64,
    #[diesel(serialize_as = Stored<SuspensionReason>)]
    pub reason: SuspensionReason,
    pub from_date: NaiveDate,
    /// Open-ended when absent: service resumes when someone resumes it.
    pub until_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

impl SuspensionRecord {
    pub fn insert(conn: &mut DbConnection, row: NewSuspensionRow) -> DbResult<Self> {
        Ok(diesel::insert_into(contract_suspensions::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn of_contracts(conn: &mut DbConnection, contract_ids: &[i64]) -> DbResult<Vec<Self>> {
        Ok(contract_suspensions::table
            .filter(contract_suspensions::contract_id.eq_any(contract_ids))
            .order((
                contract_suspensions::contract_id,
                contract_suspensions::from_date,
            ))
            .load(conn)?)
    }

    /// Ends the open suspension of a contract: service runs again from `resumed_on`.
    pub fn resume(
        conn: &mut DbConnection,
        contract_id: i64,
        resumed_on: NaiveDate,
    ) -> DbResult<usize> {
        Ok(diesel::update(
            contract_suspensions::table
                .filter(contract_suspensions::contract_id.eq(contract_id))
                .filter(contract_suspensions::resumed_on.is_null()),
        )
        .set(contract_suspensions::resumed_on.eq(resumed_on))
        .execute(conn)?)
    }

    /// Open suspensions planned to end before `today`, to resume.
    pub fn due_for_resumption(conn: &mut DbConnection, today: NaiveDate) -> DbResult<Vec<Self>> {
        Ok(contract_suspensions::table
            .filter(contract_suspensions::resumed_on.is_null())
            .filter(contract_suspensions::until_date.lt(today))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ContractEventRecord {
    pub id: i64,
    pub contract_id: i64,
    pub customer_id: i64,
    pub occurred_at: Timestamp,
    pub action: String,
    #[diesel(deserialize_as = StoredOpt<ContractStatus>)]
    pub from_status: Option<ContractStatus>,
    #[diesel(deserialize_as = Stored<ContractStatus>)]
    pub to_status: ContractStatus,
    pub detail: Option<String>,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
}

/// A contract event with the contract's number.
pub type ContractEventWithNumber = (ContractEventRecord, String);

/// Something that happened to a contract, as its history shows it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = contract_events)]
pub struct NewContractEventRow {
    pub contract_id: i64,
    pub customer_id: i64,
    pub occurred_at: Timestamp,
    /// A lifecycle action (`sign`), or `created`, `edited`, `tariff_change`, `terms_change`.
    pub action: String,
    /// Absent for the event that created the contract.
    #[diesel(serialize_as = StoredOpt<ContractStatus>)]
    pub from_status: Option<ContractStatus>,
    #[diesel(serialize_as = Stored<ContractStatus>)]
    pub to_status: ContractStatus,
    pub detail: Option<String>,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
}

impl ContractEventRecord {
    pub fn insert(conn: &mut DbConnection, row: NewContractEventRow) -> DbResult<Self> {
        Ok(diesel::insert_into(contract_events::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn of_contract(conn: &mut DbConnection, contract_id: i64) -> DbResult<Vec<Self>> {
        Ok(contract_events::table
            .filter(contract_events::contract_id.eq(contract_id))
            .order(contract_events::id)
            .load(conn)?)
    }

    /// A customer's contract events, newest first, for the timeline.
    pub fn of_customer(
        conn: &mut DbConnection,
        customer_id: i64,
    ) -> DbResult<Vec<ContractEventWithNumber>> {
        Ok(contract_events::table
            .inner_join(contracts::table)
            .filter(contract_events::customer_id.eq(customer_id))
            .order((
                contract_events::occurred_at.desc(),
                contract_events::id.desc(),
            ))
            .select((contract_events::all_columns, contracts::number))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct RetentionContactRecord {
    pub id: i64,
    pub contract_id: i64,
    #[diesel(deserialize_as = Stored<Channel>)]
    pub channel: Channel,
    #[diesel(deserialize_as = Stored<RetentionOutcome>)]
    pub outcome: RetentionOutcome,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
    pub recorded_at: Timestamp,
}

/// A retention call or e-mail and its outcome.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = retention_contacts)]
pub struct NewRetentionContactRow {
    pub contract_id: i64,
    #[diesel(serialize_as = Stored<Channel>)]
    pub channel: Channel,
    #[diesel(serialize_as = Stored<RetentionOutcome>)]
    pub outcome: RetentionOutcome,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
    pub recorded_at: Timestamp,
}

impl RetentionContactRecord {
    pub fn insert(conn: &mut DbConnection, row: NewRetentionContactRow) -> DbResult<Self> {
        Ok(diesel::insert_into(retention_contacts::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn of_contract(conn: &mut DbConnection, contract_id: i64) -> DbResult<Vec<Self>> {
        Ok(retention_contacts::table
            .filter(retention_contacts::contract_id.eq(contract_id))
            .order(retention_contacts::id.desc())
            .load(conn)?)
    }

    /// contracts in force at `sales_point_id` ending between the two days that nobody
    /// has reached about retention yet, soonest first. A call nobody answered leaves the
    /// contract on the list: someone has to try again.
    pub fn worklist(
        conn: &mut DbConnection,
        sales_point_id: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<Vec<ContractWithCustomer>> {
        let contacted = retention_contacts::table
            .filter(retention_contacts::outcome.ne(RetentionOutcome::NoAnswer.as_str()))
            .select(retention_contacts::contract_id);
        let mut query = contracts::table
            .inner_join(customers::table)
            .filter(contracts::status.eq_any([
                ContractStatus::Approved.as_str(),
                ContractStatus::Active.as_str(),
                ContractStatus::Suspended.as_str(),
            ]))
            .filter(
                contracts::terminated_on
                    .between(from, to)
                    .or(contracts::end_date.between(from, to)),
            )
            .filter(contracts::id.ne_all(contacted))
            .select((contracts::all_columns, customers::display_name))
            .order((contracts::end_date, contracts::id))
            .into_boxed();
        if let Some(sales_point_id) = sales_point_id {
            query = query.filter(contracts::sales_point_id.eq(sales_point_id));
        }
        Ok(query.load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ContractRequestRecord {
    pub id: i64,
    pub customer_id: i64,
    pub contract_id: i64,
    pub subscription_id: Option<i64>,
    #[diesel(deserialize_as = Stored<RequestKind>)]
    pub kind: RequestKind,
    pub tariff_id: Option<i64>,
    pub from_date: Option<NaiveDate>,
    pub until_date: Option<NaiveDate>,
    pub note: Option<String>,
    #[diesel(deserialize_as = Stored<RequestStatus>)]
    pub status: RequestStatus,
    pub created_at: Timestamp,
    pub handled_by: Option<String>,
    pub handled_at: Option<Timestamp>,
    pub response: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = contract_requests)]
pub struct NewContractRequestRow {
    pub customer_id: i64,
    pub contract_id: i64,
    pub subscription_id: Option<i64>,
    #[diesel(serialize_as = Stored<RequestKind>)]
    pub kind: RequestKind,
    pub tariff_id: Option<i64>,
    pub from_date: Option<NaiveDate>,
    pub until_date: Option<NaiveDate>,
    pub note: Option<String>,
    #[diesel(serialize_as = Stored<RequestStatus>)]
    pub status: RequestStatus,
    pub created_at: Timestamp,
}

/// A request with its customer's name and contract number.
pub type RequestWithNames = (ContractRequestRecord, String, String);

impl ContractRequestRecord {
    pub fn insert(conn: &mut DbConnection, row: NewContractRequestRow) -> DbResult<Self> {
        Ok(diesel::insert_into(contract_requests::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(contract_requests::table.find(id).first(conn)?)
    }

    pub fn list(
        conn: &mut DbConnection,
        status: Option<RequestStatus>,
        customer_id: Option<i64>,
    ) -> DbResult<Vec<RequestWithNames>> {
        let mut query = contract_requests::table
            .inner_join(customers::table)
            .inner_join(contracts::table)
            .select((
                contract_requests::all_columns,
                customers::display_name,
                contracts::number,
            ))
            .order(contract_requests::id.desc())
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(contract_requests::status.eq(status.as_str()));
        }
        if let Some(customer_id) = customer_id {
            query = query.filter(contract_requests::customer_id.eq(customer_id));
        }
        Ok(query.limit(500).load(conn)?)
    }

    /// Records the decision on a pending request; `false` if it was decided already.
    pub fn decide(
        conn: &mut DbConnection,
        id: i64,
        status: RequestStatus,
        by: &str,
        response: Option<&str>,
        now: Timestamp,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            contract_requests::table
                .find(id)
                .filter(contract_requests::status.eq(RequestStatus::Pending.as_str())),
        )
        .set((
            contract_requests::status.eq(status.as_str()),
            contract_requests::handled_by.eq(by),
            contract_requests::handled_at.eq(now),
            contract_requests::response.eq(response),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }
}
