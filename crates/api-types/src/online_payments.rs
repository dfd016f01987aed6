//! Online payments: the subscriber pays an invoice or tops up the account at the
//! payment gateway; the gateway's signed notification registers the payment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::billing::InvoiceRef;
pub use okno_domain::payments::online::{CheckoutPurpose, CheckoutStatus};

/// What the subscriber sets out to pay. For an invoice the server works out the amount (what
/// is still to pay of it); a top-up names its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "purpose", rename_all = "snake_case", deny_unknown_fields)]
pub enum NewOnlinePayment {
    /// One of the subscriber's own invoices with something still to pay.
    Invoice {
        #[schema(minimum = 1)]
        invoice_id: i64,
    },
    /// Money onto the account, kept as credit for the next invoice or prepaid days.
    TopUp {
        /// Minor units: 1.00 to 10 000.00.
        #[schema(minimum = 100, maximum = 1_000_000)]
        amount_minor: i64,
    },
}

/// An online payment: what it is for, where it stands, where to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OnlinePayment {
    pub id: i64,
    pub purpose: CheckoutPurpose,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceRef>,
    pub amount_minor: i64,
    pub currency: String,
    pub status: CheckoutStatus,
    /// The gateway's page to pay at; while the payment is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
    pub created_at: DateTime<Utc>,
    /// After this the gateway's page no longer takes the payment.
    pub expires_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// The payment registered when the gateway confirmed the money.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<i64>,
}

/// Whether the cabinet offers online payments, the bounds of a top-up, and the subscriber's
/// latest online payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OnlinePayments {
    pub available: bool,
    pub min_top_up_minor: i64,
    pub max_top_up_minor: i64,
    pub recent: Vec<OnlinePayment>,
}

/// A Stripe event as delivered to the webhook (`checkout.session.*` are acted on; others are
/// acknowledged and ignored). The body is read as sent: the signature covers its bytes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StripeEvent {
    /// `evt_…`; a redelivery carries the same id.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Unix time.
    pub created: i64,
    /// `{"object": <the Checkout Session>}`.
    pub data: serde_json::Value,
}

/// What the webhook made of a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationOutcome {
    /// The payment is registered now.
    Registered,
    /// The checkout's payment was registered by an earlier notification.
    AlreadyRegistered,
    /// The checkout expired or failed.
    Updated,
    /// Delivered before: nothing done again.
    Replayed,
    /// Nothing for Okno: another kind of event, a checkout not Okno's, or no change.
    Ignored,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationReceipt {
    pub outcome: NotificationOutcome,
}
