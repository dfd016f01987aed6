//! Reading contracts: the list with its cursor, one contract and its history. Every read by
//! staff lands in the audit log with the customers it showed (contracts carry personal data).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use okno_api_types::Page;
use okno_api_types::contracts::{Contract, ContractEvent, ContractQuery};
use okno_db::DbConnection;
use okno_db::contracts::{ContractEventRecord, ContractFilter, ContractPosition, ContractRecord};
use okno_domain::contracts::ContractStatus;
use okno_domain::validation::FieldErrorCode;

use super::view::{contracts_view, find_contract, load_contract};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{decode_cursor, encode_cursor, fetch_size, limit};
use crate::time::from_db;

const CURSOR: &str = "contracts";
/// Ten years: a longer window is a typo, not a question anyone asks of renewals.
const MAX_ENDING_WITHIN_DAYS: u32 = 3650;

fn invalid_cursor() -> ApiError {
    ApiError::field(
        "cursor",
        FieldErrorCode::InvalidValue,
        "is not a cursor of this list",
    )
}

fn decode_position(cursor: Option<&str>) -> ApiResult<Option<ContractPosition>> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    let key = decode_cursor(cursor, CURSOR)?;
    let parts: Vec<&str> = key.split(':').collect();
    match parts.as_slice() {
        ["n", id] => Ok(Some(ContractPosition::Newest(
            id.parse().map_err(|_| invalid_cursor())?,
        ))),
        ["e", day, id] => Ok(Some(ContractPosition::Ending(
            day.parse::<NaiveDate>().map_err(|_| invalid_cursor())?,
            id.parse().map_err(|_| invalid_cursor())?,
        ))),
        _ => Err(invalid_cursor()),
    }
}

/// What a query asks of the list, checked before any row is read.
pub struct ContractListQuery {
    filter: ContractFilter,
    after: Option<ContractPosition>,
    limit: usize,
    today: NaiveDate,
}

impl ContractListQuery {
    pub fn parse(query: &ContractQuery, today: NaiveDate) -> ApiResult<Self> {
        let limit = limit(query.limit)?;
        let after = decode_position(query.cursor.as_deref())?;
        if query
            .ending_within_days
            .is_some_and(|d| d > MAX_ENDING_WITHIN_DAYS)
        {
            return Err(ApiError::field(
                "ending_within_days",
                FieldErrorCode::OutOfRange,
                format!("at most {MAX_ENDING_WITHIN_DAYS} days"),
            ));
        }
        let ending = query
            .ending_within_days
            .map(|days| (today, today + Duration::days(i64::from(days))));
        let statuses = match (query.status, ending) {
            (Some(status), _) => vec![status],
            (None, Some(_)) => vec![
                ContractStatus::Approved,
                ContractStatus::Active,
                ContractStatus::Suspended,
            ],
            (None, None) => vec![],
        };
        Ok(Self {
            filter: ContractFilter {
                statuses,
                customer_id: query.customer_id,
                sales_point_id: query.sales_point_id,
                ending_between: ending,
            },
            after,
            limit,
            today,
        })
    }
}

/// Contracts, newest first; with an ending window, those ending soonest first.
pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    query: ContractListQuery,
    now: DateTime<Utc>,
) -> ApiResult<Page<Contract>> {
    let ContractListQuery {
        filter,
        after,
        limit,
        today,
    } = query;
    let rows = ContractRecord::list(conn, &filter, after, fetch_size(limit))?;
    let more = rows.len() > limit;
    let mut items = contracts_view(conn, rows, today)?;
    items.truncate(limit);
    audit::record_read(
        conn,
        principal,
        "contract.list",
        items.iter().map(|c| c.customer_id),
        now,
    )?;
    let next_cursor = if more {
        items.last().map(|c| match filter.ending_between {
            Some(_) => encode_cursor(&format!(
                "{CURSOR}:e:{}:{}",
                // The list's order: the notice's last day, else the fixed term's.
                c.terminated_on.or(c.end_date).unwrap_or(today),
                c.id
            )),
            None => encode_cursor(&format!("{CURSOR}:n:{}", c.id)),
        })
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// One contract with its services, tariff history and suspensions.
pub fn one(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Contract> {
    let contract = load_contract(conn, id, now.date_naive())?;
    audit::record_read(
        conn,
        principal,
        "contract.read",
        [contract.customer_id],
        now,
    )?;
    Ok(contract)
}

/// What happened to a contract, oldest first.
pub fn events(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<ContractEvent>> {
    let contract = find_contract(conn, id)?;
    let events = ContractEventRecord::of_contract(conn, id)?;
    audit::record_read(
        conn,
        principal,
        "contract.events",
        [contract.customer_id],
        now,
    )?;
    Ok(events.into_iter().map(event_to_api).collect())
}

pub fn event_to_api(record: ContractEventRecord) -> ContractEvent {
    ContractEvent {
        id: record.id,
        occurred_at: from_db(record.occurred_at),
        action: record.action,
        from_status: record.from_status,
        to_status: record.to_status,
        detail: record.detail,
        recorded_by: record.recorded_by,
    }
}
