//! A stand-in for Stripe, served by this server under `/fake-gateway/` when
//! `OKNO_GATEWAY=fake`: the demo and the tests pay online without an account at Stripe and
//! without money. It speaks Stripe's protocol — the Checkout Session API the `stripe` module
//! calls, and `checkout.session.completed` events signed with the webhook secret and posted
//! to the webhook — so what it exercises is the real path, signature checks included.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use okno_domain::clock::Clock;
use serde::Deserialize;

use super::stripe;
use crate::state::LocalAddress;

/// Where the stand-in answers; Stripe's API paths follow (`/v1/checkout/sessions`).
pub const API_PATH: &str = "/fake-gateway";
/// The path the stand-in delivers its events to: Okno's Stripe webhook.
pub const WEBHOOK_PATH: &str = "/api/v1/payment-gateways/stripe/webhook";
/// The secret key the stand-in expects, as Stripe expects `sk_test_…`.
pub const SECRET_KEY: &str = "sk_test_okno_fake_gateway";

#[derive(Debug, Clone)]
struct Session {
    id: String,
    amount_minor: i64,
    currency: String,
    description: String,
    client_reference_id: String,
    return_url: String,
    paid: bool,
}

/// The stand-in's sessions (in memory: a restart forgets them, as an expired page would be).
#[derive(Debug, Clone)]
pub struct FakeGateway {
    sessions: Arc<Mutex<HashMap<String, Session>>>,
    /// Session ids by the `Idempotency-Key` that created them.
    keys: Arc<Mutex<HashMap<String, String>>>,
    webhook_secret: String,
    local: LocalAddress,
    /// The server's clock: the events' signed time is the time the webhook checks against.
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
}

impl FakeGateway {
    pub fn new(webhook_secret: String, local: LocalAddress, clock: Arc<dyn Clock>) -> Self {
        Self {
            sessions: Arc::default(),
            keys: Arc::default(),
            webhook_secret,
            local,
            clock,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
        }
    }

    fn session(&self, id: &str) -> Option<Session> {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }
}

/// Mounts the stand-in's routes.
pub fn configure(cfg: &mut web::ServiceConfig, gateway: FakeGateway) {
    cfg.app_data(web::Data::new(gateway))
        .route(
            &format!("{API_PATH}/v1/checkout/sessions"),
            web::post().to(create_session),
        )
        .route(&format!("{API_PATH}/pay/{{id}}"), web::get().to(page))
        .route(&format!("{API_PATH}/pay/{{id}}"), web::post().to(decide));
}

fn stripe_error(status: actix_web::http::StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .json(serde_json::json!({"error": {"type": "invalid_request_error", "message": message}}))
}

/// `POST /v1/checkout/sessions`, the parameters Okno sends.
async fn create_session(
    req: HttpRequest,
    gateway: web::Data<FakeGateway>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let authorised = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {SECRET_KEY}"));
    if !authorised {
        return stripe_error(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "Invalid API Key provided",
        );
    }
    let form = form.into_inner();
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let amount_minor = field("line_items[0][price_data][unit_amount]")
        .parse::<i64>()
        .unwrap_or(0);
    if amount_minor <= 0 || field("mode") != "payment" {
        return stripe_error(
            actix_web::http::StatusCode::BAD_REQUEST,
            "line_items[0][price_data][unit_amount] must be a positive integer",
        );
    }
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let earlier = key.as_ref().and_then(|key| {
        gateway
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    });
    let session = match earlier.and_then(|id| gateway.session(&id)) {
        Some(session) => session,
        None => {
            let session = Session {
                id: format!("cs_test_{}", hex::encode(rand::random::<[u8; 12]>())),
                amount_minor,
                currency: field("line_items[0][price_data][currency]"),
                description: field("line_items[0][price_data][product_data][name]"),
                client_reference_id: field("client_reference_id"),
                return_url: field("success_url"),
                paid: false,
            };
            gateway
                .sessions
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(session.id.clone(), session.clone());
            if let Some(key) = key {
                gateway
                    .keys
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, session.id.clone());
            }
            session
        }
    };
    let url = format!(
        "{}{API_PATH}/pay/{}",
        gateway.local.get().unwrap_or_default(),
        session.id
    );
    HttpResponse::Ok().json(serde_json::json!({
        "id": session.id,
        "object": "checkout.session",
        "url": url,
        "amount_total": session.amount_minor,
        "currency": session.currency,
        "client_reference_id": session.client_reference_id,
        "status": "open",
        "payment_status": "unpaid",
    }))
}

fn html(status: actix_web::http::StatusCode, body: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ))
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Test payment gateway</title><style>\
             body{{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}\
             .note{{background:#fff4d6;border:1px solid #a87b00;padding:.5rem .75rem}}\
             button{{font-size:1rem;padding:.6rem 1.2rem;margin:.25rem .5rem .25rem 0}}\
             </style></head><body><main>{body}</main></body></html>"
        ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn money(amount_minor: i64, currency: &str) -> String {
    format!(
        "{}.{:02} {}",
        amount_minor / 100,
        (amount_minor % 100).abs(),
        currency.to_ascii_uppercase()
    )
}

/// The page the payer is sent to.
async fn page(gateway: web::Data<FakeGateway>, id: web::Path<String>) -> HttpResponse {
    let Some(session) = gateway.session(&id) else {
        return html(
            actix_web::http::StatusCode::NOT_FOUND,
            "<h1>Test payment gateway</h1><p>This payment page does not exist or has expired.</p>",
        );
    };
    let action = format!("{API_PATH}/pay/{}", escape(&session.id));
    let state = if session.paid {
        "<p><strong>Paid already.</strong></p>".to_owned()
    } else {
        format!(
            "<form method=\"post\" action=\"{action}\">\
             <button name=\"decision\" value=\"pay\" type=\"submit\">Pay {}</button>\
             <button name=\"decision\" value=\"cancel\" type=\"submit\">Cancel</button></form>",
            money(session.amount_minor, &session.currency)
        )
    };
    html(
        actix_web::http::StatusCode::OK,
        &format!(
            "<h1>Test payment gateway</h1>\
             <p class=\"note\">A stand-in for Stripe (OKNO_GATEWAY=fake): no money moves.</p>\
             <p>{}</p><p>Amount: <strong>{}</strong></p>{state}\
             <p><a href=\"{}\">Back to the shop</a></p>",
            escape(&session.description),
            money(session.amount_minor, &session.currency),
            escape(&session.return_url),
        ),
    )
}

#[derive(Deserialize)]
struct Decision {
    decision: String,
}

/// Pay (a signed `checkout.session.completed` to the webhook, then back) or cancel (back).
async fn decide(
    gateway: web::Data<FakeGateway>,
    id: web::Path<String>,
    form: web::Form<Decision>,
) -> HttpResponse {
    let Some(session) = gateway.session(&id) else {
        return page(gateway, id).await;
    };
    if form.decision == "pay" && !session.paid {
        if let Err(problem) = deliver_completed(&gateway, &session).await {
            return html(
                actix_web::http::StatusCode::BAD_GATEWAY,
                &format!(
                    "<h1>Test payment gateway</h1><p>The shop did not take the notification: {}</p>",
                    escape(&problem)
                ),
            );
        }
        if let Some(stored) = gateway
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(&session.id)
        {
            stored.paid = true;
        }
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, session.return_url))
        .finish()
}

/// The event Stripe sends when a Checkout Session is paid.
pub fn completed_event(
    event_id: &str,
    session_id: &str,
    amount_minor: i64,
    currency: &str,
    client_reference_id: &str,
    created: i64,
) -> serde_json::Value {
    serde_json::json!({
        "id": event_id,
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": created,
        "livemode": false,
        "type": "checkout.session.completed",
        "data": {"object": {
            "id": session_id,
            "object": "checkout.session",
            "amount_total": amount_minor,
            "currency": currency.to_ascii_lowercase(),
            "client_reference_id": client_reference_id,
            "mode": "payment",
            "payment_status": "paid",
            "status": "complete",
        }},
    })
}

async fn deliver_completed(gateway: &FakeGateway, session: &Session) -> Result<(), String> {
    let now = gateway.clock.now().timestamp();
    let event = completed_event(
        &format!("evt_test_{}", hex::encode(rand::random::<[u8; 12]>())),
        &session.id,
        session.amount_minor,
        &session.currency,
        &session.client_reference_id,
        now,
    );
    let body = event.to_string();
    let base = gateway
        .local
        .get()
        .ok_or_else(|| "the server is not listening yet".to_owned())?;
    let response = gateway
        .http
        .post(format!("{base}{WEBHOOK_PATH}"))
        .header(header::CONTENT_TYPE.as_str(), "application/json")
        .header(
            stripe::SIGNATURE_HEADER,
            stripe::signature_header(&gateway.webhook_secret, now, body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {}", response.status()))
    }
}
