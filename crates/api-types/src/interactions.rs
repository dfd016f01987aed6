//! Contacts with customers (R-03) and the customer's timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::reference::LocalizedName;
use crate::{Channel, ConsentPurpose, Department, Direction};

/// One contact with a customer, whatever the channel (R-03).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Interaction {
    pub id: i64,
    pub customer_id: i64,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_code: Option<String>,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Settled in this one contact, without sending the customer on.
    pub settled_in_contact: bool,
    /// Where the matter was routed when it was not settled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Department>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i32>,
    /// Who handled it: a user's display name, or the customer in the cabinet.
    pub handled_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_by_user_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_point_id: Option<i64>,
}

/// A contact as the customer sees it in the cabinet: when, how, about what and whether it was
/// settled. Staff notes, outcomes and who on the staff handled it stay internal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyContact {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Direction,
    /// The topic's name, when the contact had a topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<LocalizedName>,
    /// Settled in this one contact, without sending the customer on.
    pub settled_in_contact: bool,
    /// Where the matter was passed on when it was not settled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Department>,
    /// The customer did it themselves in the cabinet.
    pub by_customer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInteraction {
    pub channel: Channel,
    /// `inbound` when absent.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// A topic in use.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub topic_id: Option<i64>,
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub summary: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub outcome: Option<String>,
    pub settled_in_contact: bool,
    #[serde(default)]
    pub department: Option<Department>,
    /// At most a day.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 86_400)]
    pub duration_seconds: Option<i32>,
    /// When the contact took place; now when absent. Not in the future.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
}

/// One event in a customer's history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub event: TimelineEvent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEvent {
    /// A contact with the customer.
    Interaction { interaction: Interaction },
    /// A consent was granted.
    ConsentGranted {
        consent_id: i64,
        purpose: ConsentPurpose,
        channel: Channel,
        by: String,
    },
    /// A consent was withdrawn.
    ConsentWithdrawn {
        consent_id: i64,
        purpose: ConsentPurpose,
        channel: Channel,
        by: String,
    },
    /// The customer's data was disclosed to a third party.
    Disclosure {
        disclosure_id: i64,
        recipient: String,
    },
    /// The customer was registered.
    CustomerCreated { by: String },
    /// Something happened to one of the customer's contracts.
    Contract {
        contract_id: i64,
        number: String,
        /// `created`, a lifecycle action, `tariff_change`, `terms_change`, `edited`.
        action: String,
        to_status: crate::contracts::ContractStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
        by: String,
    },
    /// An invoice or a correction note was issued.
    Invoice {
        invoice_id: i64,
        number: String,
        invoice_kind: crate::billing::InvoiceKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        period: Option<String>,
        gross_minor: i64,
        currency: String,
    },
    /// A message to the customer was written: sent, waiting, failed or suppressed.
    Message {
        message_id: i64,
        event: crate::notifications::NotificationEvent,
        channel: crate::notifications::MessageChannel,
        status: crate::notifications::MessageStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        suppressed_reason: Option<crate::notifications::SuppressionReason>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
