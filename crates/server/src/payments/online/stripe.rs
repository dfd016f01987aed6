//! Stripe Checkout, as Stripe documents it: a Checkout Session created with
//! `POST /v1/checkout/sessions` (form-encoded, the secret key as bearer, an `Idempotency-Key`),
//! and `checkout.session.*` events delivered to the webhook with a `Stripe-Signature` header:
//! `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the endpoint's secret>`
//! (more than one `v1` while a secret is being rolled).

use std::time::Duration;

use actix_web::http::header::HeaderMap;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use okno_domain::customers::Language;
use okno_domain::payments::online::{GatewayOutcome, signature_fresh};
use serde::Deserialize;
use sha2::Sha256;

use super::gateway::{
    CheckoutOrder, GatewayError, GatewayEvent, NotificationRefused, PaymentGateway, StartedCheckout,
};

pub const NAME: &str = "stripe";
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";
pub const API_BASE: &str = "https://api.stripe.com";

/// Where the API is: Stripe's, or this server's stand-in once it knows its own address.
#[derive(Debug, Clone)]
pub enum ApiBase {
    Fixed(String),
    ThisServer(crate::state::LocalAddress),
}

impl ApiBase {
    fn url(&self) -> Result<String, GatewayError> {
        match self {
            Self::Fixed(base) => Ok(base.trim_end_matches('/').to_owned()),
            Self::ThisServer(address) => address
                .get()
                .map(|base| format!("{base}{}", super::fake::API_PATH))
                .ok_or_else(|| GatewayError::Unreachable("the server is not listening yet".into())),
        }
    }
}

#[derive(Debug)]
pub struct Stripe {
    api_base: ApiBase,
    secret_key: String,
    webhook_secret: String,
    tolerance_seconds: i64,
    http: reqwest::Client,
}

impl Stripe {
    pub fn new(
        api_base: ApiBase,
        secret_key: String,
        webhook_secret: String,
        tolerance_seconds: i64,
    ) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("okno/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client for Stripe: {e}"))?;
        Ok(Self {
            api_base,
            secret_key,
            webhook_secret,
            tolerance_seconds,
            http,
        })
    }

    async fn create_session(&self, order: &CheckoutOrder) -> Result<StartedCheckout, GatewayError> {
        let url = format!("{}/v1/checkout/sessions", self.api_base.url()?);
        let response = self
            .http
            .post(url)
            .bearer_auth(&self.secret_key)
            .header(
                "Idempotency-Key",
                format!("okno-checkout-{}", order.checkout_id),
            )
            .form(&session_form(order))
            .send()
            .await
            .map_err(|e| GatewayError::Unreachable(e.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| GatewayError::Unreachable(e.without_url().to_string()))?;
        if !status.is_success() {
            let message = serde_json::from_slice::<ErrorBody>(&body)
                .map(|b| b.error.message)
                .unwrap_or_else(|_| format!("HTTP {status}"));
            return Err(if status.is_server_error() {
                GatewayError::Unreachable(message)
            } else {
                GatewayError::Refused(message)
            });
        }
        let session: CreatedSession = serde_json::from_slice(&body)
            .map_err(|e| GatewayError::Refused(format!("an unexpected answer: {e}")))?;
        Ok(StartedCheckout {
            session_id: session.id,
            url: session.url,
        })
    }
}

impl PaymentGateway for Stripe {
    fn name(&self) -> &'static str {
        NAME
    }

    fn signature_header(&self) -> &'static str {
        SIGNATURE_HEADER
    }

    fn open<'a>(
        &'a self,
        order: &'a CheckoutOrder,
    ) -> BoxFuture<'a, Result<StartedCheckout, GatewayError>> {
        Box::pin(self.create_session(order))
    }

    fn read_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<GatewayEvent, NotificationRefused> {
        let header = headers
            .get(SIGNATURE_HEADER)
            .ok_or(NotificationRefused::Unsigned(SIGNATURE_HEADER))?
            .to_str()
            .map_err(|_| NotificationRefused::MalformedSignature(SIGNATURE_HEADER))?;
        verify(
            header,
            body,
            &self.webhook_secret,
            now.timestamp(),
            self.tolerance_seconds,
        )?;
        read_event(body)
    }
}

/// The Checkout Session's parameters, as Stripe's form encoding names them.
fn session_form(order: &CheckoutOrder) -> Vec<(&'static str, String)> {
    let id = order.checkout_id.to_string();
    vec![
        ("mode", "payment".into()),
        ("client_reference_id", id.clone()),
        ("metadata[okno_checkout_id]", id),
        ("success_url", order.return_url.clone()),
        ("cancel_url", order.return_url.clone()),
        ("locale", locale(order.language).into()),
        ("expires_at", order.expires_at.timestamp().to_string()),
        ("line_items[0][quantity]", "1".into()),
        (
            "line_items[0][price_data][currency]",
            order.currency.to_ascii_lowercase(),
        ),
        (
            "line_items[0][price_data][unit_amount]",
            order.amount_minor.to_string(),
        ),
        (
            "line_items[0][price_data][product_data][name]",
            order.description.clone(),
        ),
        (
            "payment_intent_data[description]",
            order.description.clone(),
        ),
    ]
}

fn locale(language: Language) -> &'static str {
    match language {
        Language::Pl => "pl",
        Language::Ru => "ru",
        Language::En => "en",
    }
}

#[derive(Deserialize)]
struct CreatedSession {
    id: String,
    url: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorMessage,
}

#[derive(Deserialize)]
struct ErrorMessage {
    message: String,
}

/// Checks `header` against `body`: a `t` within the tolerance of `now`, and a `v1` equal to
/// the HMAC of `"{t}.{body}"` (compared in constant time).
pub fn verify(
    header: &str,
    body: &[u8],
    secret: &str,
    now: i64,
    tolerance_seconds: i64,
) -> Result<(), NotificationRefused> {
    let malformed = NotificationRefused::MalformedSignature(SIGNATURE_HEADER);
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (key, value) = part.trim().split_once('=').ok_or(malformed.clone())?;
        match key {
            "t" => timestamp = Some(value.parse::<i64>().map_err(|_| malformed.clone())?),
            "v1" => signatures.push(hex::decode(value).map_err(|_| malformed.clone())?),
            // v0 (test mode's old scheme) and whatever comes next are not ours to check.
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(malformed.clone())?;
    if signatures.is_empty() {
        return Err(malformed);
    }
    if !signature_fresh(timestamp, now, tolerance_seconds) {
        return Err(NotificationRefused::Stale(tolerance_seconds));
    }
    let matches = signatures.iter().any(|signature| {
        mac(secret, timestamp, body).is_ok_and(|mac| mac.verify_slice(signature).is_ok())
    });
    if matches {
        Ok(())
    } else {
        Err(NotificationRefused::Forged)
    }
}

fn mac(
    secret: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<Hmac<Sha256>, hmac::digest::InvalidLength> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The `Stripe-Signature` header Stripe would send with `body` at `timestamp`.
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let signature = mac(secret, timestamp, body)
        .map(|mac| hex::encode(mac.finalize().into_bytes()))
        .unwrap_or_default();
    format!("t={timestamp},v1={signature}")
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: i64,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: serde_json::Value,
}

/// The fields of a Checkout Session Okno reads.
#[derive(Deserialize)]
struct Session {
    id: String,
    #[serde(default)]
    amount_total: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    payment_status: Option<String>,
}

/// Reads a verified event: what it says of a checkout session.
pub fn read_event(body: &[u8]) -> Result<GatewayEvent, NotificationRefused> {
    let event: Event = serde_json::from_slice(body)
        .map_err(|e| NotificationRefused::MalformedBody(e.to_string()))?;
    let occurred_at = DateTime::from_timestamp(event.created, 0)
        .ok_or_else(|| NotificationRefused::MalformedBody("`created` is not a time".into()))?;
    let mut read = GatewayEvent {
        id: event.id,
        kind: event.kind,
        session_id: None,
        outcome: None,
        amount_minor: None,
        currency: None,
        occurred_at,
    };
    let Some(kind) = read.kind.strip_prefix("checkout.session.") else {
        return Ok(read);
    };
    let session: Session = serde_json::from_value(event.data.object)
        .map_err(|e| NotificationRefused::MalformedBody(format!("data.object: {e}")))?;
    read.outcome = match (kind, session.payment_status.as_deref()) {
        ("completed", Some("paid")) | ("async_payment_succeeded", _) => Some(GatewayOutcome::Paid),
        ("completed", _) => Some(GatewayOutcome::Pending),
        ("async_payment_failed", _) => Some(GatewayOutcome::Failed),
        ("expired", _) => Some(GatewayOutcome::Expired),
        _ => None,
    };
    read.session_id = Some(session.id);
    read.amount_minor = session.amount_total;
    read.currency = session.currency.map(|c| c.to_ascii_uppercase());
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const NOW: i64 = 1_800_000_000;

    fn event(kind: &str, payment_status: &str) -> String {
        serde_json::json!({
            "id": "evt_1",
            "object": "event",
            "type": kind,
            "created": NOW,
            "data": {"object": {
                "id": "cs_test_1",
                "object": "checkout.session",
                "amount_total": 12_300,
                "currency": "pln",
                "payment_status": payment_status,
                "client_reference_id": "7"
            }}
        })
        .to_string()
    }

    #[test]
    fn a_signature_made_with_the_secret_verifies() {
        let body = event("checkout.session.completed", "paid");
        let header = signature_header(SECRET, NOW, body.as_bytes());
        assert_eq!(
            verify(&header, body.as_bytes(), SECRET, NOW + 10, 300),
            Ok(())
        );
        // While a secret is rolled, Stripe signs with both: either one matching is enough.
        let rolled = format!("{header},v1={}", "00".repeat(32));
        assert_eq!(verify(&rolled, body.as_bytes(), SECRET, NOW, 300), Ok(()));
        let v0_first = format!("v0=abc,{header}");
        assert_eq!(verify(&v0_first, body.as_bytes(), SECRET, NOW, 300), Ok(()));
    }

    #[test]
    fn forged_altered_stale_and_malformed_signatures_are_refused() {
        let body = event("checkout.session.completed", "paid");
        let header = signature_header(SECRET, NOW, body.as_bytes());
        assert_eq!(
            verify(&header, body.as_bytes(), "whsec_other", NOW, 300),
            Err(NotificationRefused::Forged)
        );
        let altered = body.replace("12300", "99999");
        assert_eq!(
            verify(&header, altered.as_bytes(), SECRET, NOW, 300),
            Err(NotificationRefused::Forged)
        );
        assert_eq!(
            verify(&header, body.as_bytes(), SECRET, NOW + 301, 300),
            Err(NotificationRefused::Stale(300))
        );
        // The time is signed too: moving it forward breaks the signature.
        let signature = header
            .split_once(",v1=")
            .map(|(_, s)| s)
            .unwrap_or_default();
        let moved = format!("t={},v1={signature}", NOW + 300);
        assert_eq!(
            verify(&moved, body.as_bytes(), SECRET, NOW + 301, 300),
            Err(NotificationRefused::Forged)
        );
        for malformed in ["", "t=1", "v1=00", "t=x,v1=00", "t=1,v1=zz", "nonsense"] {
            assert_eq!(
                verify(malformed, body.as_bytes(), SECRET, NOW, 300),
                Err(NotificationRefused::MalformedSignature(SIGNATURE_HEADER)),
                "{malformed:?}"
            );
        }
    }

    #[test]
    fn checkout_events_say_what_became_of_the_session() {
        let read = read_event(event("checkout.session.completed", "paid").as_bytes()).unwrap();
        assert_eq!(read.outcome, Some(GatewayOutcome::Paid));
        assert_eq!(read.session_id.as_deref(), Some("cs_test_1"));
        assert_eq!(
            (read.amount_minor, read.currency.as_deref()),
            (Some(12_300), Some("PLN"))
        );
        for (kind, status, outcome) in [
            (
                "checkout.session.completed",
                "unpaid",
                Some(GatewayOutcome::Pending),
            ),
            (
                "checkout.session.async_payment_succeeded",
                "paid",
                Some(GatewayOutcome::Paid),
            ),
            (
                "checkout.session.async_payment_failed",
                "unpaid",
                Some(GatewayOutcome::Failed),
            ),
            (
                "checkout.session.expired",
                "unpaid",
                Some(GatewayOutcome::Expired),
            ),
        ] {
            let read = read_event(event(kind, status).as_bytes()).unwrap();
            assert_eq!(read.outcome, outcome, "{kind} {status}");
        }
        let other = read_event(event("charge.refunded", "paid").as_bytes()).unwrap();
        assert_eq!((other.outcome, other.session_id), (None, None));
        assert!(matches!(
            read_event(b"{\"id\":1}"),
            Err(NotificationRefused::MalformedBody(_))
        ));
    }

    #[test]
    fn the_session_form_names_stripes_parameters() {
        let order = CheckoutOrder {
            checkout_id: 7,
            amount_minor: 12_300,
            currency: "PLN".into(),
            description: "Invoice FV/2026/11/000001".into(),
            language: Language::Pl,
            return_url: "https://ebok.example.pl/cabinet/online-payments/7".into(),
            expires_at: DateTime::from_timestamp(NOW, 0).unwrap(),
        };
        let form = session_form(&order);
        let get = |key: &str| {
            form.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("mode"), Some("payment"));
        assert_eq!(get("client_reference_id"), Some("7"));
        assert_eq!(get("line_items[0][price_data][currency]"), Some("pln"));
        assert_eq!(get("line_items[0][price_data][unit_amount]"), Some("12300"));
        assert_eq!(get("expires_at"), Some("1800000000"));
        assert_eq!(get("locale"), Some("pl"));
    }
}
