//! `/customers/{id}/disclosures`: the register of disclosures of a customer's data to third
//! parties, each with its legal basis and protocol.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::Problem;
use okno_api_types::customers::{Disclosure, NewDisclosure};
use okno_db::customers::{DisclosureRecord, NewDisclosureRow};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::customers;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::{AppState, truncate_to_micros};
use crate::time::{from_db, to_db};

fn to_api(record: DisclosureRecord) -> Disclosure {
    Disclosure {
        id: record.id,
        customer_id: record.customer_id,
        recipient: record.recipient,
        legal_basis: record.legal_basis,
        data_scope: record.data_scope,
        protocol_reference: record.protocol_reference,
        disclosed_at: from_db(record.disclosed_at),
        recorded_by: record.recorded_by,
        recorded_at: from_db(record.recorded_at),
    }
}

/// Disclosures of the customer's data, newest first.
#[utoipa::path(
    tag = "disclosures",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<Disclosure>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("disclosures_read"))),
)]
#[get("/customers/{id}/disclosures")]
pub async fn list_disclosures(
    auth: Authorized<perm::DisclosuresRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Disclosure>>> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    let disclosures = state
        .run(move |conn| {
            customers::find(conn, id)?;
            let disclosures = DisclosureRecord::of_customer(conn, id)?;
            audit::record_access(
                conn,
                &principal,
                "customer.disclosures.read",
                Some(id),
                None,
                now,
            )?;
            Ok(disclosures)
        })
        .await?;
    Ok(web::Json(disclosures.into_iter().map(to_api).collect()))
}

/// Register that the customer's data was disclosed to a third party, with the legal basis and
/// the reference of the written protocol.
#[utoipa::path(
    tag = "disclosures",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NewDisclosure,
    responses((status = 201, body = Disclosure), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("disclosures_write"))),
)]
#[post("/customers/{id}/disclosures")]
pub async fn create_disclosure(
    auth: Authorized<perm::DisclosuresWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewDisclosure>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let mut v = Validator::new();
    let recipient = v.text("recipient", &input.recipient, 300);
    let legal_basis = v.text("legal_basis", &input.legal_basis, 500);
    let data_scope = v.text("data_scope", &input.data_scope, 1000);
    let protocol_reference = v.text("protocol_reference", &input.protocol_reference, 100);
    let disclosed_at = input.disclosed_at.map_or(now, truncate_to_micros);
    if disclosed_at > now {
        v.fail(
            "disclosed_at",
            FieldErrorCode::InFuture,
            "a disclosure is registered after it happened",
        );
    }
    v.finish()?;
    let principal = auth.principal;
    let disclosure = state
        .write(move |conn| {
            customers::find(conn, id)?;
            let by = principal.recorded_by();
            let record = DisclosureRecord::insert(
                conn,
                &NewDisclosureRow {
                    customer_id: id,
                    recipient,
                    legal_basis,
                    data_scope,
                    protocol_reference,
                    disclosed_at: to_db(disclosed_at),
                    recorded_by: by.label,
                    recorded_by_user_id: by.user_id,
                    recorded_at: to_db(now),
                },
            )?;
            audit::record(
                conn,
                &principal,
                "disclosure.create",
                Some(id),
                Some(record.recipient.clone()),
                now,
            )?;
            Ok(record)
        })
        .await?;
    Ok(HttpResponse::Created().json(to_api(disclosure)))
}
