//! Online payments: the subscriber starts one from the cabinet; the gateway's webhook
//! registers it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use okno_api_types::online_payments::{
    NewOnlinePayment, NotificationReceipt, OnlinePayment, OnlinePayments, StripeEvent,
};
use okno_api_types::{ErrorCode, Problem};

use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::payments::online::{self, stripe};
use crate::state::AppState;

/// Where subscribers reach this server: the configured public address, else the address
/// of their request.
fn public_url(state: &AppState, req: &HttpRequest) -> String {
    if let Some(url) = &state.settings.online_payments.public_url {
        return url.clone();
    }
    // The server speaks plain HTTP; TLS ends at a proxy, which says so.
    let scheme = if crate::request_context::forwarded_over_https(req) {
        "https"
    } else {
        "http"
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            state
                .local_address
                .get()
                .map(|a| a.trim_start_matches("http://").to_owned())
        })
        .unwrap_or_else(|| "localhost".into());
    format!("{scheme}://{host}")
}

/// Pay online: an invoice of one's own (what is still to pay of it) or a top-up. Answers with
/// `checkout_url`, the gateway's page to send the subscriber to; they come back to
/// `/cabinet/online-payments/{id}`. The payment is registered when the gateway confirms it
/// (the webhook), not when the subscriber comes back. Asking again for the same invoice while
/// its page is open gives the same page.
#[utoipa::path(
    tag = "cabinet",
    request_body = NewOnlinePayment,
    responses(
        (status = 201, body = OnlinePayment),
        (status = 404, body = Problem, description = "No such invoice of the subscriber's"),
        (status = 409, body = Problem, description = "The invoice is paid (`nothing_to_pay`), or online payments are off (`online_payments_off`)"),
        (status = 422, body = Problem, description = "A top-up outside 1.00..10 000.00"),
        (status = 502, body = Problem, description = "The gateway could not open the payment; nothing was charged"),
    ),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/online-payments")]
pub async fn start_my_online_payment(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<NewOnlinePayment>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner()?;
    let public_url = public_url(&state, &req);
    let payment = online::start(&state, auth.principal, request, public_url).await?;
    Ok(HttpResponse::Created().json(payment))
}

/// Whether the cabinet offers online payments, the bounds of a top-up, and the subscriber's
/// latest online payments.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = OnlinePayments)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/online-payments")]
pub async fn my_online_payments(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<OnlinePayments>> {
    let customer_id = auth.principal.own_customer_id()?;
    let available = state.gateway.is_some();
    let overview = state
        .run(move |conn| online::my_overview(conn, available, customer_id))
        .await?;
    Ok(web::Json(overview))
}

/// One of the subscriber's online payments: where it stands (the page the gateway sends the
/// subscriber back to reads this); another customer's is a 404.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Online payment id")),
    responses((status = 200, body = OnlinePayment), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/online-payments/{id}")]
pub async fn my_online_payment(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OnlinePayment>> {
    let customer_id = auth.principal.own_customer_id()?;
    let id = id.into_inner();
    let payment = state
        .run(move |conn| online::mine(conn, customer_id, id))
        .await?;
    Ok(web::Json(payment))
}

/// Stripe's webhook: `checkout.session.completed` (paid), `…async_payment_succeeded`,
/// `…async_payment_failed` and `…expired` events, signed in `Stripe-Signature`. A payment is
/// registered once per Checkout Session, whatever is redelivered, in whatever order, at the
/// same moment; other events are acknowledged and ignored. A signature that does not match the
/// body and the endpoint's secret, or older than the tolerance (300 s), is a 400 and nothing
/// is done. Set the endpoint's URL to `https://<your host>/api/v1/payment-gateways/stripe/webhook`.
#[utoipa::path(
    tag = "payments",
    params((
        "Stripe-Signature" = String, Header,
        description = "`t=<unix time>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`"
    )),
    request_body = StripeEvent,
    responses(
        (status = 200, body = NotificationReceipt),
        (status = 400, body = Problem, description = "Not signed with the endpoint's secret, altered, or stale (`invalid_signature`); not an event"),
        (status = 404, body = Problem, description = "Online payments do not go through Stripe here"),
    ),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[post("/payment-gateways/stripe/webhook")]
pub async fn stripe_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> ApiResult<web::Json<NotificationReceipt>> {
    let gateway = state
        .gateway
        .clone()
        .filter(|g| g.name() == stripe::NAME)
        .ok_or_else(|| {
            ApiError::not_found(ErrorCode::RouteNotFound, "a Stripe webhook on this server")
        })?;
    let event =
        online::read_notification(gateway.as_ref(), req.headers(), &body, state.clock.as_ref())?;
    let (now, sender) = (state.now(), state.sender());
    let outcome = state
        .run(move |conn| online::take_notification(conn, &sender, stripe::NAME, &event, now))
        .await?;
    Ok(web::Json(NotificationReceipt { outcome }))
}
