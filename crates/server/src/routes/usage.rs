//! Usage from network and call systems, meters and their readings.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::Problem;
use okno_api_types::billing::{
    Meter, MeterQuery, MeterReading, NewMeter, NewMeterReading, NewOwnMeterReading, UsageBatch,
    UsageBatchResult,
};
use okno_db::usage::{MeterReadingRecord, MeterRecord};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::billing::usage::{
    create_meter, find_meter, meter_view, own_reading, reading_view, record_usage, staff_reading,
};
use crate::customers;
use crate::error::ApiResult;
use crate::extract::{BulkJson, Json, Query};
use crate::state::AppState;

/// Register usage in batches of up to 10 000 records. Idempotent by `external_id`: a
/// record sent again is reported under `duplicates` and changes nothing, so a batch may be
/// resent after a timeout. Usage of a month already invoiced for the customer is taken and
/// billed on their next invoice, as its own line naming the month; usage that happened longer
/// ago than the operator accepts (`OKNO_LATE_USAGE_DAYS`, 90 days by default) is refused with
/// `usage_too_old`, each such record named in `errors` (`too_old`). A batch with any refused
/// record stores nothing.
#[utoipa::path(
    tag = "usage",
    request_body = UsageBatch,
    responses((status = 200, body = UsageBatchResult), (status = 422, description = "A record is wrong (`validation_failed`) or too old (`usage_too_old`)", body = Problem)),
    extensions(("x-okno-permission" = json!("usage_write"))),
)]
#[post("/usage-events")]
pub async fn post_usage(
    _auth: Authorized<perm::UsageWrite>,
    state: web::Data<AppState>,
    body: BulkJson<UsageBatch>,
) -> ApiResult<web::Json<UsageBatchResult>> {
    let batch = body.into_inner()?;
    let now = state.now();
    let window = state.settings.billing.usage.late;
    let result = state
        .write(move |conn| record_usage(conn, &batch, window, now))
        .await?;
    Ok(web::Json(result))
}

/// The meters of a customer with their last reading.
#[utoipa::path(
    tag = "usage",
    params(MeterQuery),
    responses((status = 200, body = Vec<Meter>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/meters")]
pub async fn list_meters(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    query: Query<MeterQuery>,
) -> ApiResult<web::Json<Vec<Meter>>> {
    let customer_id = query.into_inner()?.customer_id;
    let (principal, now) = (auth.principal, state.now());
    let meters = state
        .run(move |conn| {
            customers::find(conn, customer_id)?;
            audit::record_read(conn, &principal, "meter.list", [customer_id], now)?;
            MeterRecord::of_customer(conn, customer_id)?
                .into_iter()
                .map(|m| meter_view(conn, m))
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(web::Json(meters))
}

/// Register a meter of a service (meters named on a contract are registered when it starts).
#[utoipa::path(
    tag = "usage",
    request_body = NewMeter,
    responses((status = 201, body = Meter), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("meter_readings_write"))),
)]
#[post("/meters")]
pub async fn post_meter(
    _auth: Authorized<perm::MeterReadingsWrite>,
    state: web::Data<AppState>,
    body: Json<NewMeter>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let now = state.now();
    let meter = state
        .write(move |conn| {
            let record = create_meter(conn, &input, now)?;
            meter_view(conn, record)
        })
        .await?;
    Ok(HttpResponse::Created().json(meter))
}

/// Readings of a meter, newest first.
#[utoipa::path(
    tag = "usage",
    params(("id" = i64, Path, description = "Meter id")),
    responses((status = 200, body = Vec<MeterReading>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/meters/{id}/readings")]
pub async fn list_readings(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<MeterReading>>> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let readings = state
        .run(move |conn| {
            let meter = find_meter(conn, id)?;
            audit::record_read(conn, &principal, "meter.readings", [meter.customer_id], now)?;
            Ok(MeterReadingRecord::of_meter(conn, id)?
                .into_iter()
                .map(reading_view)
                .collect())
        })
        .await?;
    Ok(web::Json(readings))
}

/// Record a reading. The consumption since the reading before is rated as usage at the time
/// of the reading; a value lower than the last one must be flagged as a meter replacement
/// (`lower_than_last` otherwise). A reading of a month already invoiced is billed on the
/// next invoice; one older than late usage is accepted is refused with `usage_too_old`.
#[utoipa::path(
    tag = "usage",
    params(("id" = i64, Path, description = "Meter id")),
    request_body = NewMeterReading,
    responses((status = 201, body = MeterReading), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("meter_readings_write"))),
)]
#[post("/meters/{id}/readings")]
pub async fn post_reading(
    auth: Authorized<perm::MeterReadingsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewMeterReading>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let rules = state.settings.billing.usage;
    let reading = state
        .run(move |conn| staff_reading(conn, &principal, id, &input, rules, now))
        .await?;
    Ok(HttpResponse::Created().json(reading))
}

/// The subscriber's meters with their last reading.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<Meter>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/meters")]
pub async fn my_meters(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Meter>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let meters = state
        .run(move |conn| {
            MeterRecord::of_customer(conn, customer_id)?
                .into_iter()
                .map(|m| meter_view(conn, m))
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(web::Json(meters))
}

/// The subscriber reads their own meter (no replacements: those are for staff).
#[utoipa::path(
    tag = "cabinet",
    request_body = NewOwnMeterReading,
    responses((status = 201, body = MeterReading), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/meter-readings")]
pub async fn my_reading(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<NewOwnMeterReading>,
) -> ApiResult<HttpResponse> {
    let customer_id = auth.principal.own_customer_id()?;
    let input = body.into_inner()?;
    let now = state.now();
    let rules = state.settings.billing.usage;
    let principal = auth.principal;
    let reading = state
        .run(move |conn| own_reading(conn, &principal, customer_id, &input, rules, now))
        .await?;
    Ok(HttpResponse::Created().json(reading))
}
