//! Issued documents: listed per contract and customer, downloadable as PDF at any
//! time, exactly as issued.

use actix_web::{HttpResponse, get, web};
use okno_api_types::contracts::Document;
use okno_api_types::{ErrorCode, Problem};
use okno_db::DbConnection;
use okno_db::documents::DocumentRecord;

use crate::audit;
use crate::auth::{Authorized, Principal, perm};
use crate::contracts::find_contract;
use crate::customers;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::responses;
use crate::state::AppState;

/// Documents of a contract, newest first.
#[utoipa::path(
    tag = "documents",
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = Vec<Document>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contracts/{id}/documents")]
pub async fn contract_documents(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Document>>> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let documents = state
        .run(move |conn| {
            let contract = find_contract(conn, id)?;
            audit::record_read(
                conn,
                &principal,
                "document.list",
                [contract.customer_id],
                now,
            )?;
            Ok(DocumentRecord::of_contract(conn, id)?)
        })
        .await?;
    Ok(web::Json(
        documents
            .into_iter()
            .map(|d| crate::documents::view(d, false))
            .collect(),
    ))
}

/// All documents of a customer, newest first: the archive a copy can be printed from.
#[utoipa::path(
    tag = "documents",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<Document>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/customers/{id}/documents")]
pub async fn customer_documents(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Document>>> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let documents = state
        .run(move |conn| {
            customers::find(conn, id)?;
            audit::record_read(conn, &principal, "document.list", [id], now)?;
            Ok(DocumentRecord::of_customer(conn, id)?)
        })
        .await?;
    Ok(web::Json(
        documents
            .into_iter()
            .map(|d| crate::documents::view(d, false))
            .collect(),
    ))
}

fn load_pdf(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<(DocumentRecord, Vec<u8>)> {
    let record = DocumentRecord::find(conn, id)
        .or_not_found(ErrorCode::DocumentNotFound, format!("document {id}"))?;
    if principal
        .customer_id
        .is_some_and(|own| own != record.customer_id)
    {
        // A subscriber learns nothing of other customers' documents, not even that they exist.
        return Err(ApiError::not_found(
            ErrorCode::DocumentNotFound,
            format!("document {id}"),
        ));
    }
    let content = DocumentRecord::content(conn, id)?;
    audit::record_access(
        conn,
        principal,
        "document.read",
        Some(record.customer_id),
        Some(record.title.clone()),
        now,
    )?;
    Ok((record, content))
}

/// The PDF of a document, as issued.
#[utoipa::path(
    tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/documents/{id}/pdf")]
pub async fn document_pdf(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    let (record, content) = state
        .run(move |conn| load_pdf(conn, &principal, id, now))
        .await?;
    Ok(responses::pdf(&record.title, content))
}

/// The subscriber's own documents.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<Document>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/documents")]
pub async fn my_documents(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Document>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let documents = state
        .run(move |conn| Ok(DocumentRecord::of_customer(conn, customer_id)?))
        .await?;
    Ok(web::Json(
        documents
            .into_iter()
            .map(|d| crate::documents::view(d, true))
            .collect(),
    ))
}

/// The PDF of one of the subscriber's own documents.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/documents/{id}/pdf")]
pub async fn my_document_pdf(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    let (record, content) = state
        .run(move |conn| load_pdf(conn, &principal, id, now))
        .await?;
    Ok(responses::pdf(&record.title, content))
}
