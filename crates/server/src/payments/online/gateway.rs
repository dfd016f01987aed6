//! What Okno needs of a payment gateway: open a checkout page for an amount, and read the
//! gateway's signed notifications. One implementation per protocol (`stripe`).

use actix_web::http::header::HeaderMap;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use okno_domain::customers::Language;
use okno_domain::payments::online::GatewayOutcome;

/// A checkout to open: what the server decided is paid, and where the payer comes back.
#[derive(Debug, Clone)]
pub struct CheckoutOrder {
    /// Okno's checkout id: the gateway keeps it and sends it back with every notification.
    pub checkout_id: i64,
    pub amount_minor: i64,
    /// ISO 4217, upper case.
    pub currency: String,
    /// What the payer sees they pay for.
    pub description: String,
    pub language: Language,
    /// Where the payer comes back after paying or giving up.
    pub return_url: String,
    pub expires_at: DateTime<Utc>,
}

/// The gateway's page, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedCheckout {
    /// The gateway's id of the checkout, named in its notifications.
    pub session_id: String,
    /// Where to send the payer.
    pub url: String,
}

/// A notification, its signature checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayEvent {
    /// Unique per notification; a redelivery carries the same id.
    pub id: String,
    /// The gateway's own name of what happened (`checkout.session.completed`).
    pub kind: String,
    /// The checkout it concerns, when it concerns one.
    pub session_id: Option<String>,
    /// What it means for the checkout; `None` for notifications Okno has no use for.
    pub outcome: Option<GatewayOutcome>,
    /// What the gateway took, in minor units, and in which currency (upper case).
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// When it happened, by the gateway's clock.
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("the payment gateway cannot be reached: {0}")]
    Unreachable(String),
    #[error("the payment gateway refused the checkout: {0}")]
    Refused(String),
}

/// Why a notification is not believed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationRefused {
    #[error("the {0} header is missing")]
    Unsigned(&'static str),
    #[error("the {0} header cannot be read")]
    MalformedSignature(&'static str),
    #[error("the signature was made more than {0} s from now: a replay or a clock out of step")]
    Stale(i64),
    #[error("no signature matches the body: not from the gateway, or altered on the way")]
    Forged,
    #[error("the body is not the gateway's event: {0}")]
    MalformedBody(String),
}

impl NotificationRefused {
    /// The header the refusal is about (for the problem's `errors`).
    pub fn header(&self) -> Option<&'static str> {
        match self {
            Self::Unsigned(header) | Self::MalformedSignature(header) => Some(header),
            Self::Stale(_) | Self::Forged | Self::MalformedBody(_) => None,
        }
    }
}

/// A payment gateway's protocol.
pub trait PaymentGateway: Send + Sync + std::fmt::Debug {
    /// Its name as stored with checkouts and notifications.
    fn name(&self) -> &'static str;

    /// The header its notifications are signed in.
    fn signature_header(&self) -> &'static str;

    /// Opens the gateway's checkout page for `order`. Safe to retry: the order's id is the
    /// idempotency key, so a retry gets the same page.
    fn open<'a>(
        &'a self,
        order: &'a CheckoutOrder,
    ) -> BoxFuture<'a, Result<StartedCheckout, GatewayError>>;

    /// Checks a notification's signature and age, and reads it.
    fn read_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<GatewayEvent, NotificationRefused>;
}
