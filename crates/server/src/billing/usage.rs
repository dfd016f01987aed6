//! Usage: batches of records from network and call systems, idempotent by their
//! `external_id`; meters and their readings, whose consumption is rated as usage.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use okno_api_types::billing::{
    Meter, MeterReading, NewMeter, NewMeterReading, NewOwnMeterReading, UsageBatch,
    UsageBatchResult,
};
use okno_api_types::{Channel, ErrorCode, FieldError};
use okno_db::contracts::{ContractRecord, SubscriptionRecord, SubscriptionTariffRecord};
use okno_db::schema::subscriptions;
use okno_db::tariffs::TariffRecord;
use okno_db::usage::{
    MeterReadingRecord, MeterRecord, NewMeterReadingRow, NewMeterRow, NewUsageRow, UsageEvents,
};
use okno_db::{DbConnection, write_transaction};
use okno_domain::billing::Period;
use okno_domain::billing::readings::{
    CLOCK_SKEW_MINUTES, LastReading, LateUsageWindow, NewReading, UsageRules, check_reading,
};
use okno_domain::tariffs::{MAX_QUANTITY_MILLI, UsageUnit};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::time::{from_db, to_db};

/// Most events one request may carry.
pub const MAX_BATCH: usize = 10_000;

fn subscriptions_by_id(
    conn: &mut DbConnection,
    ids: &[i64],
) -> ApiResult<HashMap<i64, SubscriptionRecord>> {
    use diesel::prelude::*;
    let mut found = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let rows: Vec<SubscriptionRecord> = subscriptions::table
            .filter(subscriptions::id.eq_any(chunk))
            .load(conn)?;
        found.extend(rows.into_iter().map(|s| (s.id, s)));
    }
    Ok(found)
}

/// The refusal of a batch or reading: `usage_too_old` when all that is wrong is its age,
/// so an integration can tell records to drop from records to fix.
fn refusal(errors: Vec<FieldError>, window: LateUsageWindow) -> ApiError {
    if !errors.is_empty() && errors.iter().all(|e| e.code == FieldErrorCode::TooOld) {
        let detail = format!(
            "{} of the records happened more than {} days ago, longer than usage is accepted late",
            errors.len(),
            window.days
        );
        ApiError::Refused(ErrorCode::UsageTooOld, detail, errors)
    } else {
        ApiError::Validation(errors)
    }
}

/// Stores a batch of usage, inside the caller's transaction: all events are checked first,
/// and a batch with a wrong event stores nothing. Usage of a month already invoiced goes on
/// the customer's next invoice; usage older than `window` is refused.
pub fn record_usage(
    conn: &mut DbConnection,
    batch: &UsageBatch,
    window: LateUsageWindow,
    now: DateTime<Utc>,
) -> ApiResult<UsageBatchResult> {
    if batch.events.is_empty() {
        return Err(ApiError::field(
            "events",
            FieldErrorCode::Required,
            "send at least one event",
        ));
    } else if batch.events.len() > MAX_BATCH {
        return Err(ApiError::field(
            "events",
            FieldErrorCode::TooMany,
            format!("at most {MAX_BATCH} events at a time"),
        ));
    }
    let mut v = Validator::new();
    let ids: Vec<i64> = batch.events.iter().map(|e| e.subscription_id).collect();
    let subscriptions = subscriptions_by_id(conn, &ids)?;
    let mut seen = HashSet::new();
    let today = now.date_naive();
    let latest = now + Duration::minutes(CLOCK_SKEW_MINUTES);
    let mut rows = Vec::with_capacity(batch.events.len());
    for (index, event) in batch.events.iter().enumerate() {
        let field = |name: &str| format!("events[{index}].{name}");
        let external_id = v.text(&field("external_id"), &event.external_id, 200);
        if !seen.insert(event.external_id.clone()) {
            v.fail(
                field("external_id"),
                FieldErrorCode::Duplicate,
                "sent twice in this batch",
            );
        }
        if !(0..=MAX_QUANTITY_MILLI).contains(&event.quantity_milli) {
            v.fail(
                field("quantity_milli"),
                FieldErrorCode::OutOfRange,
                "usage is between 0 and a billion units",
            );
        }
        if event.occurred_at > latest {
            v.fail(
                field("occurred_at"),
                FieldErrorCode::InFuture,
                "usage is recorded after it happens",
            );
        }
        let Some(subscription) = subscriptions.get(&event.subscription_id) else {
            v.fail(
                field("subscription_id"),
                FieldErrorCode::UnknownReference,
                "no such subscription",
            );
            continue;
        };
        let day = event.occurred_at.date_naive();
        let period = Period::of(day);
        window.check(&mut v, &field("occurred_at"), day, today);
        rows.push(NewUsageRow {
            external_id,
            customer_id: subscription.customer_id,
            subscription_id: subscription.id,
            unit: event.unit,
            quantity_milli: event.quantity_milli,
            occurred_at: to_db(event.occurred_at),
            occurred_on: day,
            period: period.to_string(),
            source: "api".to_owned(),
            recorded_at: to_db(now),
        });
    }
    let external_ids: Vec<String> = rows.iter().map(|r| r.external_id.clone()).collect();
    let existing = UsageEvents::existing(conn, &external_ids)?;
    // A repeated event is not an error, whatever its period: it is stored already.
    let duplicates: Vec<String> = external_ids
        .iter()
        .filter(|id| existing.contains(*id))
        .cloned()
        .collect();
    let errors = v.into_errors();
    let errors: Vec<_> = errors
        .into_iter()
        .filter(|e| {
            !(e.code == FieldErrorCode::TooOld
                && field_index(&e.field)
                    .and_then(|i| batch.events.get(i))
                    .is_some_and(|ev| existing.contains(&ev.external_id)))
        })
        .collect();
    if !errors.is_empty() {
        return Err(refusal(errors, window));
    }
    let fresh: Vec<NewUsageRow> = rows
        .into_iter()
        .filter(|r| !existing.contains(&r.external_id))
        .collect();
    let accepted = UsageEvents::insert_new(conn, fresh)?;
    Ok(UsageBatchResult {
        accepted: u32::try_from(accepted).unwrap_or(u32::MAX),
        duplicates,
    })
}

/// `3` of `events[3].occurred_at`.
fn field_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("events[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// When a contract starts, the meters named on its services are installed; their first
/// reading is the starting value.
pub fn install_meters(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let subscriptions = SubscriptionRecord::of_contract(conn, contract.id)?;
    let ids: Vec<i64> = subscriptions.iter().map(|s| s.id).collect();
    let tariffs = SubscriptionTariffRecord::of_subscriptions(conn, &ids)?;
    for subscription in subscriptions {
        let Some(number) = subscription
            .meter_number
            .clone()
            .filter(|n| !n.trim().is_empty())
        else {
            continue;
        };
        if !MeterRecord::of_subscription(conn, subscription.id)?.is_empty() {
            continue;
        }
        let Some((tariff, _, _)) = tariffs
            .iter()
            .find(|(t, _, _)| t.subscription_id == subscription.id)
        else {
            continue;
        };
        let Some(unit) = TariffRecord::find(conn, tariff.tariff_id)?
            .service_kind
            .meter_unit()
        else {
            continue;
        };
        MeterRecord::insert(
            conn,
            NewMeterRow {
                customer_id: subscription.customer_id,
                subscription_id: subscription.id,
                number,
                unit,
                created_at: to_db(now),
            },
        )?;
    }
    Ok(())
}

pub fn create_meter(
    conn: &mut DbConnection,
    input: &NewMeter,
    now: DateTime<Utc>,
) -> ApiResult<MeterRecord> {
    let mut v = Validator::new();
    let number = v.text("number", &input.number, 40);
    if !matches!(input.unit, UsageUnit::Kwh | UsageUnit::M3) {
        v.fail(
            "unit",
            FieldErrorCode::InvalidValue,
            "meters count kWh or m³",
        );
    }
    let subscription =
        subscriptions_by_id(conn, &[input.subscription_id])?.remove(&input.subscription_id);
    if subscription.is_none() {
        v.fail(
            "subscription_id",
            FieldErrorCode::UnknownReference,
            "no such subscription",
        );
    }
    v.finish()?;
    let Some(subscription) = subscription else {
        return Err(ApiError::Internal("checked above".into()));
    };
    Ok(MeterRecord::insert(
        conn,
        NewMeterRow {
            customer_id: subscription.customer_id,
            subscription_id: subscription.id,
            number,
            unit: input.unit,
            created_at: to_db(now),
        },
    )?)
}

pub fn find_meter(conn: &mut DbConnection, id: i64) -> ApiResult<MeterRecord> {
    MeterRecord::find(conn, id).or_not_found(ErrorCode::MeterNotFound, format!("meter {id}"))
}

pub fn reading_view(record: MeterReadingRecord) -> MeterReading {
    MeterReading {
        id: record.id,
        meter_id: record.meter_id,
        value_milli: record.value_milli,
        read_at: from_db(record.read_at),
        replacement: record.replacement,
        consumption_milli: record.consumption_milli,
        channel: record.channel,
        recorded_by: record.recorded_by,
        recorded_at: from_db(record.recorded_at),
    }
}

pub fn meter_view(conn: &mut DbConnection, record: MeterRecord) -> ApiResult<Meter> {
    let last = MeterReadingRecord::latest(conn, record.id)?.map(reading_view);
    Ok(Meter {
        id: record.id,
        customer_id: record.customer_id,
        subscription_id: record.subscription_id,
        number: record.number,
        unit: record.unit,
        last_reading: last,
    })
}

/// A staff member records a reading of a meter; audited.
pub fn staff_reading(
    conn: &mut DbConnection,
    principal: &Principal,
    meter_id: i64,
    input: &NewMeterReading,
    rules: UsageRules,
    now: DateTime<Utc>,
) -> ApiResult<MeterReading> {
    write_transaction(conn, |conn| {
        let meter = find_meter(conn, meter_id)?;
        let by = principal.recorded_by().label;
        let reading = record_reading(conn, &meter, input, rules, &by, now)?;
        audit::record(
            conn,
            principal,
            "meter.reading",
            Some(meter.customer_id),
            Some(meter.number),
            now,
        )?;
        Ok(reading_view(reading))
    })
}

/// A subscriber reads their own meter, now, from the cabinet (no replacements: those are
/// for staff); another customer's meter is not found.
pub fn own_reading(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    input: &NewOwnMeterReading,
    rules: UsageRules,
    now: DateTime<Utc>,
) -> ApiResult<MeterReading> {
    write_transaction(conn, |conn| {
        let meter = find_meter(conn, input.meter_id)?;
        if meter.customer_id != customer_id {
            return Err(ApiError::not_found(
                ErrorCode::MeterNotFound,
                format!("meter {}", input.meter_id),
            ));
        }
        let reading = NewMeterReading {
            value_milli: input.value_milli,
            read_at: None,
            replacement: false,
            channel: Some(Channel::Web),
        };
        let by = principal.recorded_by().label;
        Ok(reading_view(record_reading(
            conn, &meter, &reading, rules, &by, now,
        )?))
    })
}

/// Records a reading, inside the caller's transaction. Its consumption since the reading
/// before becomes usage at the time of the reading. A value lower than the last one is a new
/// meter and must be flagged as such.
pub fn record_reading(
    conn: &mut DbConnection,
    meter: &MeterRecord,
    input: &NewMeterReading,
    rules: UsageRules,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<MeterReadingRecord> {
    let read_at = input.read_at.unwrap_or(now);
    let channel = input.channel.unwrap_or(Channel::Visit);
    let last = MeterReadingRecord::latest(conn, meter.id)?;
    let mut v = Validator::new();
    let consumption = check_reading(
        &mut v,
        meter.unit,
        NewReading {
            value_milli: input.value_milli,
            read_at,
            replacement: input.replacement,
        },
        last.as_ref().map(|last| LastReading {
            value_milli: last.value_milli,
            read_at: from_db(last.read_at),
        }),
        rules.ceiling,
        now,
    );
    let period = Period::of(read_at.date_naive());
    rules
        .late
        .check(&mut v, "read_at", read_at.date_naive(), now.date_naive());
    let errors = v.into_errors();
    if !errors.is_empty() {
        return Err(refusal(errors, rules.late));
    }
    let mut reading = MeterReadingRecord::insert(
        conn,
        NewMeterReadingRow {
            meter_id: meter.id,
            customer_id: meter.customer_id,
            value_milli: input.value_milli,
            read_at: to_db(read_at),
            replacement: input.replacement,
            consumption_milli: consumption,
            usage_event_id: None,
            channel,
            recorded_by: recorded_by.to_owned(),
            recorded_at: to_db(now),
        },
    )?;
    if consumption > 0 {
        let usage = UsageEvents::insert_one(
            conn,
            NewUsageRow {
                external_id: format!("meter-reading:{}", reading.id),
                customer_id: meter.customer_id,
                subscription_id: meter.subscription_id,
                unit: meter.unit,
                quantity_milli: consumption,
                occurred_at: to_db(read_at),
                occurred_on: read_at.date_naive(),
                period: period.to_string(),
                source: "meter".to_owned(),
                recorded_at: to_db(now),
            },
        )?;
        MeterReadingRecord::link_usage(conn, reading.id, usage)?;
        reading.usage_event_id = Some(usage);
    }
    Ok(reading)
}
