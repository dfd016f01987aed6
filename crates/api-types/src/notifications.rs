//! Notifications: the messages the operator sends customers, as the outbox holds them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use okno_domain::customers::Language;
pub use okno_domain::notifications::{
    MessageChannel, MessageStatus, NotificationEvent, SuppressionReason,
};

/// A message to a customer: what it says, to which address, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Message {
    pub id: i64,
    pub customer_id: i64,
    pub event: NotificationEvent,
    pub channel: MessageChannel,
    pub language: Language,
    /// The e-mail address or phone number it goes to; absent when the customer has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// E-mail only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// HTML for an e-mail, plain text for an SMS.
    pub body: String,
    pub status: MessageStatus,
    /// Why it is not sent, when `status` is `suppressed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed_reason: Option<SuppressionReason>,
    /// Delivery attempts so far.
    pub attempts: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
}

/// Filters of the outbox, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MessageQuery {
    pub customer_id: Option<i64>,
    pub status: Option<MessageStatus>,
    pub event: Option<NotificationEvent>,
    pub channel: Option<MessageChannel>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Whether the customer gets an event's messages by a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationPreference {
    pub event: NotificationEvent,
    pub channel: MessageChannel,
    pub enabled: bool,
    /// The law requires it, or the customer asks for it each time (an activation code, a
    /// password reset): it cannot be switched off.
    pub required: bool,
    /// `enabled` is the customer's own choice rather than the event's default.
    pub chosen: bool,
}

/// The customer's choice for one event and channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceChange {
    pub event: NotificationEvent,
    pub channel: MessageChannel,
    pub enabled: bool,
}
