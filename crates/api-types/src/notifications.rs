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

/// A value a template may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TemplateVariable {
    pub name: String,
    pub description: String,
}

/// The wording of an event's message by one channel in one language: the operator's own, or
/// the one Okno ships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MessageTemplate {
    pub event: NotificationEvent,
    pub channel: MessageChannel,
    pub language: Language,
    /// E-mail only: the subject line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// MiniJinja (`{{ amount }}`, `{% if pay_to %}…{% endif %}`); HTML for an e-mail, whose
    /// values are escaped, plain text for an SMS.
    pub body: String,
    /// The operator's own wording rather than Okno's.
    pub customized: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// What the template may use: the event's values and those of every message.
    pub variables: Vec<TemplateVariable>,
    /// The customer may not switch this event off.
    pub required: bool,
}

/// A new wording of a template. Refused (422 on `subject` or `body`) when it does not parse
/// or uses a value its event does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateChange {
    /// Required for e-mail, absent for SMS; at most 200 characters.
    #[serde(default)]
    pub subject: Option<String>,
    /// At most 20 000 characters (an SMS: 918, six parts).
    pub body: String,
}

/// A wording tried on a real customer before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplatePreviewRequest {
    pub event: NotificationEvent,
    pub channel: MessageChannel,
    /// The customer whose name, account and language fill the message.
    pub customer_id: i64,
    /// The language to render in; the customer's own when absent.
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub subject: Option<String>,
    pub body: String,
}

/// A message as the customer would get it. The event's own values (an invoice number, an
/// amount) are examples; the customer's are real.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TemplatePreview {
    pub language: Language,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
}

/// An e-mail address the mail server refused for good: e-mails to it are suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EmailBounce {
    pub address: String,
    pub reason: String,
    /// The message that bounced, when a message did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<i64>,
    pub bounced_at: DateTime<Utc>,
}

/// An address reported as bouncing by the mail system (a bounce processor, a mailbox rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmailBounce {
    /// At most 254 characters.
    pub address: String,
    /// What the mail server said; at most 500 characters.
    pub reason: String,
}

/// A subscriber who forgot the cabinet password: the account number, or the e-mail address
/// on the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// At most 254 characters.
    pub login: String,
}

/// The same answer whether or not an account was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetAccepted {
    pub message: String,
}

/// How many flagged addresses to list, the latest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmailBounceQuery {
    /// 1 to 500; 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}
