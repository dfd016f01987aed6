//! Payments (R-30..R-32): registration, the list, one payment, reversal.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use okno_api_types::payments::{
    IDEMPOTENCY_KEY_HEADER, NewPayment, NewPaymentReversal, Payment, PaymentQuery,
};
use okno_api_types::{FieldErrorCode, Page, Problem};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::payments::{self, Registered};
use crate::state::AppState;

/// Register a payment received, put toward the customer's oldest open invoices
/// first; what is left stays as credit for the next invoice. Send an `Idempotency-Key`
/// to retry safely: the same key and body get the first answer again (201, the same body,
/// `Idempotent-Replayed: true`) and register nothing; the same key with another body is
/// `422 idempotency_key_reused`. A bank or gateway reference (`external_reference`) already
/// registered for the method is `409 payment_already_registered`.
#[utoipa::path(
    tag = "payments",
    params((
        "Idempotency-Key" = Option<String>, Header,
        description = "1 to 255 printable characters, unique per payment (a UUID does)"
    )),
    request_body = NewPayment,
    responses(
        (status = 201, body = Payment),
        (status = 409, body = Problem, description = "The bank or gateway reference is registered already"),
        (status = 422, body = Problem, description = "A field breaks a rule, or the key was used with another request"),
    ),
    extensions(("x-okno-permission" = json!("payments_register"))),
)]
#[post("/payments")]
pub async fn register_payment(
    auth: Authorized<perm::PaymentsRegister>,
    state: web::Data<AppState>,
    request: HttpRequest,
    body: Json<NewPayment>,
) -> ApiResult<HttpResponse> {
    let key = match request.headers().get(IDEMPOTENCY_KEY_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| {
                    ApiError::field(
                        IDEMPOTENCY_KEY_HEADER,
                        FieldErrorCode::InvalidValue,
                        "printable ASCII characters only",
                    )
                })?
                .to_owned(),
        ),
        None => None,
    };
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let registered = state
        .run(move |conn| payments::register(conn, &principal, &input, key.as_deref(), now))
        .await?;
    Ok(match registered {
        Registered::New(payment) => HttpResponse::Created().json(payment),
        Registered::Replayed(body) => HttpResponse::Created()
            .insert_header(("Idempotent-Replayed", "true"))
            .content_type("application/json")
            .body(body),
    })
}

/// Payments, newest first; filters by customer, method and the days received.
#[utoipa::path(
    tag = "payments",
    params(PaymentQuery),
    responses((status = 200, body = Page<Payment>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_read"))),
)]
#[get("/payments")]
pub async fn list_payments(
    auth: Authorized<perm::PaymentsRead>,
    state: web::Data<AppState>,
    query: Query<PaymentQuery>,
) -> ApiResult<web::Json<Page<Payment>>> {
    let query = query.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let page = state
        .run(move |conn| {
            let page = payments::page_of(conn, &query)?;
            let shown = page.items.iter().map(|p| p.customer_id);
            audit::record_read(conn, &principal, "payment.list", shown, now)?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// A payment: what it paid, what is left of it, its reversal.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Payment id")),
    responses((status = 200, body = Payment), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_read"))),
)]
#[get("/payments/{id}")]
pub async fn get_payment(
    auth: Authorized<perm::PaymentsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Payment>> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let payment = state
        .run(move |conn| {
            let payment = payments::staff_read(conn, id)?;
            audit::record_access(
                conn,
                &principal,
                "payment.read",
                Some(payment.customer_id),
                Some(format!("payment {id}")),
                now,
            )?;
            Ok(payment)
        })
        .await?;
    Ok(web::Json(payment))
}

/// Reverse a payment registered in error: the opposite entry is booked on the account and
/// what the payment paid is open again (other credit pays it, if there is any). A payment is
/// never changed or deleted.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Payment id")),
    request_body = NewPaymentReversal,
    responses(
        (status = 200, body = Payment),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Reversed already"),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("payments_reverse"))),
)]
#[post("/payments/{id}/reversal")]
pub async fn reverse_payment(
    auth: Authorized<perm::PaymentsReverse>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewPaymentReversal>,
) -> ApiResult<web::Json<Payment>> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let payment = state
        .run(move |conn| payments::reverse(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(payment))
}
