//! Retention: the worklist of contracts ending soon without a retention contact, and
//! recording the call or e-mail with its outcome.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::Problem;
use okno_api_types::contracts::{
    NewRetentionContact, RetentionContact, RetentionItem, RetentionQuery,
};
use okno_api_types::customers::{EmailEntry, PhoneEntry};
use okno_db::contracts::{NewRetentionContactRow, RetentionContactRecord};
use okno_db::customers::CustomerRecord;
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::contracts::find_contract;
use crate::contracts::view::contracts_view;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::state::AppState;
use crate::stored_json::decode;
use crate::time::{from_db, to_db};

/// Days ahead the worklist looks by default.
const DEFAULT_DAYS: u32 = 30;

fn to_api(record: RetentionContactRecord) -> RetentionContact {
    RetentionContact {
        id: record.id,
        contract_id: record.contract_id,
        channel: record.channel,
        outcome: record.outcome,
        note: record.note,
        recorded_by: record.recorded_by,
        recorded_at: from_db(record.recorded_at),
    }
}

/// Contracts of a sales point ending within `days` (30 by default), by a notice of
/// termination or at the end of a fixed term, that nobody has reached
/// about yet (a `no_answer` call keeps a contract listed), soonest first: what a retention
/// agent sees on logging in.
#[utoipa::path(
    tag = "retention",
    params(RetentionQuery),
    responses((status = 200, body = Vec<RetentionItem>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("retention_manage"))),
)]
#[get("/retention/worklist")]
pub async fn worklist(
    auth: Authorized<perm::RetentionManage>,
    state: web::Data<AppState>,
    query: Query<RetentionQuery>,
) -> ApiResult<web::Json<Vec<RetentionItem>>> {
    let query = query.into_inner()?;
    let days = query.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=365).contains(&days) {
        return Err(ApiError::field(
            "days",
            FieldErrorCode::OutOfRange,
            "between 1 and 365",
        ));
    }
    let sales_point_id = query.sales_point_id.or(auth.principal.sales_point_id);
    let now = state.now();
    let today = now.date_naive();
    let principal = auth.principal;
    let items = state
        .run(move |conn| {
            let rows = RetentionContactRecord::worklist(
                conn,
                sales_point_id,
                today,
                today + chrono::Duration::days(i64::from(days)),
            )?;
            let contracts = contracts_view(conn, rows, today)?;
            // The worklist shows the customers' phones and e-mails.
            let shown = contracts.iter().map(|c| c.customer_id);
            audit::record_read(conn, &principal, "retention.worklist", shown, now)?;
            contracts
                .into_iter()
                .map(|contract| {
                    let customer = CustomerRecord::find(conn, contract.customer_id)?;
                    let phones: Vec<PhoneEntry> = decode(&customer.phones)?;
                    let emails: Vec<EmailEntry> = decode(&customer.emails)?;
                    Ok(RetentionItem {
                        days_left: contract.ends_on.map_or(0, |end| (end - today).num_days()),
                        phone: phones.into_iter().next().map(|p| p.value),
                        email: emails.into_iter().next().map(|e| e.value),
                        contract,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    let mut items = items;
    items.sort_by_key(|item| (item.days_left, item.contract.id));
    Ok(web::Json(items))
}

/// Retention contacts about a contract, newest first.
#[utoipa::path(
    tag = "retention",
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = Vec<RetentionContact>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contracts/{id}/retention-contacts")]
pub async fn retention_contacts(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<RetentionContact>>> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let contacts = state
        .run(move |conn| {
            let contract = find_contract(conn, id)?;
            audit::record_read(
                conn,
                &principal,
                "retention.contacts",
                [contract.customer_id],
                now,
            )?;
            Ok(RetentionContactRecord::of_contract(conn, id)?)
        })
        .await?;
    Ok(web::Json(contacts.into_iter().map(to_api).collect()))
}

/// Record a retention call or e-mail and its outcome; the contract leaves the worklist unless
/// the outcome is `no_answer`.
#[utoipa::path(
    tag = "retention",
    params(("id" = i64, Path, description = "Contract id")),
    request_body = NewRetentionContact,
    responses((status = 201, body = RetentionContact), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("retention_manage"))),
)]
#[post("/contracts/{id}/retention-contacts")]
pub async fn record_retention_contact(
    auth: Authorized<perm::RetentionManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewRetentionContact>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let note = v.optional_text("note", input.note.as_deref(), 2000);
    v.finish()?;
    let now = state.now();
    let principal = auth.principal;
    let contact = state
        .write(move |conn| {
            let contract = find_contract(conn, id)?;
            let by = principal.recorded_by();
            let contact = RetentionContactRecord::insert(
                conn,
                NewRetentionContactRow {
                    contract_id: id,
                    channel: input.channel,
                    outcome: input.outcome,
                    note,
                    recorded_by: by.label,
                    recorded_by_user_id: by.user_id,
                    recorded_at: to_db(now),
                },
            )?;
            audit::record(
                conn,
                &principal,
                "retention.contact",
                Some(contract.customer_id),
                Some(format!("{}: {}", contract.number, input.outcome)),
                now,
            )?;
            Ok(contact)
        })
        .await?;
    Ok(HttpResponse::Created().json(to_api(contact)))
}
