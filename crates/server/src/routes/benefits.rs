//! `/customers/{id}/benefits`: statutory discounts of household customers, applied by
//! billing while valid.

use actix_web::{HttpResponse, get, patch, post, web};
use okno_api_types::contracts::{Benefit, BenefitPatch, NewBenefit};
use okno_api_types::{ErrorCode, Problem, Segment};
use okno_db::benefits::{BenefitRecord, NewBenefitRow};
use okno_domain::benefits::{BenefitError, BenefitKind, check, holds_on};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::customers;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::Json;
use crate::state::AppState;
use crate::time::to_db;

fn to_api(record: BenefitRecord, today: chrono::NaiveDate) -> Benefit {
    Benefit {
        id: record.id,
        customer_id: record.customer_id,
        name: record.name,
        kind: record.kind,
        percent_bp: record.percent_bp,
        amount_minor: record.amount_minor,
        currency: record.currency,
        current: holds_on(record.valid_from, record.valid_to, today),
        valid_from: record.valid_from,
        valid_to: record.valid_to,
        document_reference: record.document_reference,
        recorded_by: record.recorded_by,
    }
}

fn benefit_field(error: &BenefitError) -> &'static str {
    match error {
        BenefitError::Percent => "percent_bp",
        BenefitError::Amount => "amount_minor",
        BenefitError::Period => "valid_to",
    }
}

/// The customer's benefits, current and past.
#[utoipa::path(
    tag = "benefits",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<Benefit>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}/benefits")]
pub async fn list_benefits(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Benefit>>> {
    let id = id.into_inner();
    let now = state.now();
    let today = now.date_naive();
    let principal = auth.principal;
    let benefits = state
        .run(move |conn| {
            customers::find(conn, id)?;
            audit::record_read(conn, &principal, "benefit.list", [id], now)?;
            Ok(BenefitRecord::of_customer(conn, id)?)
        })
        .await?;
    Ok(web::Json(
        benefits.into_iter().map(|b| to_api(b, today)).collect(),
    ))
}

/// Grant a statutory benefit to a household customer, with its document.
#[utoipa::path(
    tag = "benefits",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NewBenefit,
    responses((status = 201, body = Benefit), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("benefits_manage"))),
)]
#[post("/customers/{id}/benefits")]
pub async fn create_benefit(
    auth: Authorized<perm::BenefitsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewBenefit>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let name = v.text("name", &input.name, 200);
    let document_reference = v.text("document_reference", &input.document_reference, 200);
    let (percent_bp, amount_minor) = match input.kind {
        BenefitKind::Percent => (input.percent_bp, None),
        BenefitKind::Fixed => (None, input.amount_minor),
    };
    if let Err(error) = check(
        input.kind,
        percent_bp,
        amount_minor,
        input.valid_from,
        input.valid_to,
    ) {
        v.fail(benefit_field(&error), FieldErrorCode::InvalidValue, error);
    }
    let now = state.now();
    let principal = auth.principal;
    let benefit = state
        .write(move |conn| {
            let customer = customers::find(conn, id)?;
            if customer.segment != Segment::Household {
                v.fail(
                    "customer",
                    FieldErrorCode::NotAllowed,
                    "statutory benefits are for household customers",
                );
            }
            v.finish()?;
            let benefit = BenefitRecord::insert(
                conn,
                NewBenefitRow {
                    customer_id: id,
                    name,
                    kind: input.kind,
                    percent_bp,
                    amount_minor,
                    currency: amount_minor.map(|_| "PLN".to_owned()),
                    valid_from: input.valid_from,
                    valid_to: input.valid_to,
                    document_reference,
                    recorded_by: principal.recorded_by().label,
                    created_at: to_db(now),
                },
            )?;
            audit::record(
                conn,
                &principal,
                "benefit.create",
                Some(id),
                Some(benefit.name.clone()),
                now,
            )?;
            Ok(benefit)
        })
        .await?;
    Ok(HttpResponse::Created().json(to_api(benefit, now.date_naive())))
}

/// End a benefit (or reopen it) by its last day.
#[utoipa::path(
    tag = "benefits",
    params(("id" = i64, Path, description = "Customer id"), ("benefit_id" = i64, Path, description = "Benefit id")),
    request_body = BenefitPatch,
    responses((status = 200, body = Benefit), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("benefits_manage"))),
)]
#[patch("/customers/{id}/benefits/{benefit_id}")]
pub async fn update_benefit(
    auth: Authorized<perm::BenefitsManage>,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<BenefitPatch>,
) -> ApiResult<web::Json<Benefit>> {
    let (id, benefit_id) = path.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let benefit = state
        .write(move |conn| {
            let benefit = BenefitRecord::find(conn, id, benefit_id)
                .or_not_found(ErrorCode::BenefitNotFound, format!("benefit {benefit_id}"))?;
            let Some(valid_to) = input.valid_to else {
                return Ok(benefit);
            };
            if valid_to.is_some_and(|to| to < benefit.valid_from) {
                return Err(ApiError::field(
                    "valid_to",
                    FieldErrorCode::InvalidValue,
                    BenefitError::Period.to_string(),
                ));
            }
            let updated = BenefitRecord::set_valid_to(conn, benefit.id, valid_to)?;
            audit::record(
                conn,
                &principal,
                "benefit.update",
                Some(id),
                Some(updated.name.clone()),
                now,
            )?;
            Ok(updated)
        })
        .await?;
    Ok(web::Json(to_api(benefit, now.date_naive())))
}
