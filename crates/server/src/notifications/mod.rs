//! Notifications: what happens to a customer's account is written to the outbox in
//! the same transaction as the change itself, so a change rolled back leaves no message and a
//! change made leaves exactly one per channel (the event's key is unique). Each message is
//! decided (sent or suppressed, and why) and rendered in the customer's language when it is
//! written; workers deliver it later.
//!
//! Adding an event: its variant and rules in `okno_domain::notifications`, its default
//! templates in [`templates`], a constructor of its [`Notice`] here, and a call to [`write`]
//! in the transaction that causes it.

pub mod delivery;
pub mod email;
pub mod sms;
pub mod templates;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use okno_api_types::Page;
use okno_api_types::notifications::{
    Message, MessageQuery, NotificationPreference, PreferenceChange,
};
use okno_db::DbConnection;
use okno_db::customers::{ConsentRecord, CustomerRecord};
use okno_db::notifications::{MessageFilter, MessageRecord, NewMessageRow, PreferenceRecord};
use okno_domain::contacts::ConsentPurpose;
use okno_domain::customers::{EmailEntry, Language, Phone, PhoneEntry};
use okno_domain::format;
use okno_domain::notifications::{
    MessageChannel, MessageStatus, Necessity, NotificationEvent, Recipient, SuppressionReason,
    consent_needed, decide, rules,
};
use okno_domain::payments::PaymentMethod;
use okno_domain::payments::virtual_account::{self, VirtualAccounts};

use crate::audit;
use crate::auth::Principal;
use crate::config::{BillingSettings, OperatorDetails, Settings};
use crate::error::{ApiError, ApiResult};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::time::{from_db, to_db};

use templates::{Variables, default_template, render};

/// Why a message could not be handed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// No retry will cure it (a bad address, a refused message).
    #[error("{0}")]
    Permanent(String),
    /// It may go later (the provider down or busy).
    #[error("{0}")]
    Transient(String),
}

/// Who the messages come from: what every template may say about the operator.
#[derive(Debug, Clone)]
pub struct Sender {
    pub operator_name: String,
    /// The operator's account, where customers have no virtual account of their own.
    pub bank_account: String,
    pub virtual_accounts: Option<VirtualAccounts>,
}

impl Sender {
    pub fn new(operator: &OperatorDetails, billing: &BillingSettings) -> Self {
        Self {
            operator_name: operator.name.clone(),
            bank_account: operator.bank_account.clone(),
            virtual_accounts: billing.virtual_accounts.clone(),
        }
    }

    pub fn of(settings: &Settings) -> Self {
        Self::new(&settings.operator, &settings.billing)
    }

    fn pay_to(&self, account_number: &str) -> String {
        virtual_account::pay_to(
            self.virtual_accounts.as_ref(),
            &self.bank_account,
            account_number,
        )
    }
}

/// A value of a message, written out in the customer's language when the message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Money { minor: i64, currency: String },
    Date(NaiveDate),
    Month { year: i32, month: u32 },
    Method(PaymentMethod),
}

impl Value {
    fn written(&self, language: Language) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Money { minor, currency } => format::money(*minor, currency, language),
            Self::Date(day) => format::date(*day, language),
            Self::Month { year, month } => format::month(*year, *month, language),
            Self::Method(method) => {
                crate::documents::receipt::method_in(language, *method).to_owned()
            }
        }
    }
}

/// Something that happened which a customer is to be told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub event: NotificationEvent,
    pub customer_id: i64,
    /// What the event is about (an invoice's id, a payment's), unique for the event: it
    /// makes the message's key, so the same event written twice is one message.
    pub about: String,
    /// The invoice a message attaches.
    pub invoice_id: Option<i64>,
    pub values: Vec<(&'static str, Value)>,
}

impl Notice {
    pub fn invoice_issued(
        invoice_id: i64,
        customer_id: i64,
        number: &str,
        gross_minor: i64,
        currency: &str,
        due_date: NaiveDate,
        (year, month): (i32, u32),
    ) -> Self {
        Self {
            event: NotificationEvent::InvoiceIssued,
            customer_id,
            about: invoice_id.to_string(),
            invoice_id: Some(invoice_id),
            values: vec![
                ("invoice_number", Value::Text(number.to_owned())),
                (
                    "amount",
                    Value::Money {
                        minor: gross_minor,
                        currency: currency.to_owned(),
                    },
                ),
                ("due_date", Value::Date(due_date)),
                ("period", Value::Month { year, month }),
            ],
        }
    }

    pub fn payment_received(
        payment_id: i64,
        customer_id: i64,
        amount_minor: i64,
        currency: &str,
        received_on: NaiveDate,
        method: PaymentMethod,
    ) -> Self {
        Self {
            event: NotificationEvent::PaymentReceived,
            customer_id,
            about: payment_id.to_string(),
            invoice_id: None,
            values: vec![
                (
                    "amount",
                    Value::Money {
                        minor: amount_minor,
                        currency: currency.to_owned(),
                    },
                ),
                ("received_on", Value::Date(received_on)),
                ("method", Value::Method(method)),
            ],
        }
    }
}

/// What the outbox needs to know of the customers of a batch of notices, loaded at once.
struct Customers {
    records: HashMap<i64, CustomerRecord>,
    consents: HashMap<i64, Vec<ConsentPurpose>>,
    choices: HashMap<(i64, NotificationEvent, MessageChannel), bool>,
}

impl Customers {
    fn load(conn: &mut DbConnection, notices: &[Notice]) -> ApiResult<Self> {
        let ids: Vec<i64> = notices
            .iter()
            .map(|n| n.customer_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let records = CustomerRecord::find_many(conn, &ids)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut consents: HashMap<i64, Vec<ConsentPurpose>> = HashMap::new();
        for (id, purpose) in ConsentRecord::in_force_of(conn, &ids)? {
            consents.entry(id).or_default().push(purpose);
        }
        let choices = PreferenceRecord::of_customers(conn, &ids)?
            .into_iter()
            .map(|p| ((p.customer_id, p.event, p.channel), p.enabled))
            .collect();
        Ok(Self {
            records,
            consents,
            choices,
        })
    }
}

/// The first e-mail address on the record.
fn email_of(customer: &CustomerRecord) -> Option<String> {
    serde_json::from_str::<Vec<EmailEntry>>(&customer.emails)
        .ok()?
        .into_iter()
        .map(|e| e.value.trim().to_owned())
        .find(|e| !e.is_empty())
}

/// The first phone on the record that has an international form (`+48600100200`).
fn phone_of(customer: &CustomerRecord) -> Option<String> {
    serde_json::from_str::<Vec<PhoneEntry>>(&customer.phones)
        .ok()?
        .into_iter()
        .find_map(|p| Phone::parse(&p.value).ok()?.e164())
}

/// Writes the messages of `notices` to the outbox, decided and rendered; a notice written
/// before is not written again. Call it inside the transaction of the change it reports.
/// Returns how many messages were new.
pub fn write(
    conn: &mut DbConnection,
    sender: &Sender,
    notices: &[Notice],
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    if notices.is_empty() {
        return Ok(0);
    }
    let customers = Customers::load(conn, notices)?;
    let mut rows = Vec::new();
    for notice in notices {
        let Some(customer) = customers.records.get(&notice.customer_id) else {
            continue;
        };
        for channel in MessageChannel::all() {
            if let Some(row) = message_of(sender, &customers, customer, notice, channel, now) {
                rows.push(row);
            }
        }
    }
    Ok(MessageRecord::insert_new(conn, rows)?)
}

/// The message of a notice by one channel, or none when the customer does not want it.
fn message_of(
    sender: &Sender,
    customers: &Customers,
    customer: &CustomerRecord,
    notice: &Notice,
    channel: MessageChannel,
    now: DateTime<Utc>,
) -> Option<NewMessageRow> {
    let address = match channel {
        MessageChannel::Email => email_of(customer),
        MessageChannel::Sms => phone_of(customer),
    };
    let consents = customers
        .consents
        .get(&customer.id)
        .map_or(&[][..], Vec::as_slice);
    let recipient = Recipient {
        has_email: channel == MessageChannel::Email && address.is_some(),
        has_phone: channel == MessageChannel::Sms && address.is_some(),
        email_bounces: false,
        consents,
        chosen: customers
            .choices
            .get(&(customer.id, notice.event, channel))
            .copied(),
    };
    let (status, suppressed_reason) = match decide(notice.event, channel, &recipient) {
        Err(SuppressionReason::SwitchedOff) => return None,
        Err(reason) => (MessageStatus::Suppressed, Some(reason)),
        Ok(()) => (MessageStatus::Pending, None),
    };
    let language = customer.preferred_language;
    let mut values: Variables = notice
        .values
        .iter()
        .map(|(name, value)| (*name, value.written(language)))
        .collect();
    values.insert("customer_name", customer.display_name.clone());
    values.insert("account_number", customer.account_number.clone());
    values.insert("operator_name", sender.operator_name.clone());
    values.insert("pay_to", sender.pay_to(&customer.account_number));
    let source = default_template(notice.event, channel, language);
    let (subject, body, status, last_error) = match render(channel, source, &values) {
        Ok(rendered) => (rendered.subject, rendered.body, status, None),
        // A template that cannot be rendered fails its message, not the change it reports.
        Err(error) => {
            tracing::error!(event = %notice.event, %channel, %error, "a message could not be rendered");
            (
                None,
                String::new(),
                MessageStatus::Failed,
                Some(error.to_string()),
            )
        }
    };
    Some(NewMessageRow {
        customer_id: customer.id,
        event: notice.event,
        channel,
        language,
        recipient: address,
        subject,
        body,
        status,
        suppressed_reason,
        consent_needed: consent_needed(notice.event, channel),
        invoice_id: notice.invoice_id,
        dedup_key: format!("{}:{}:{}", notice.event, notice.about, channel),
        last_error,
        next_attempt_at: to_db(now),
        created_at: to_db(now),
    })
}

/// Stops the customer's pending messages that needed `consent`, now withdrawn.
pub fn consent_withdrawn(
    conn: &mut DbConnection,
    customer_id: i64,
    consent: ConsentPurpose,
) -> ApiResult<usize> {
    Ok(MessageRecord::suppress_needing(conn, customer_id, consent)?)
}

const CURSOR: &str = "message";

/// A page of the outbox, newest first.
pub fn page_of(conn: &mut DbConnection, query: &MessageQuery) -> ApiResult<Page<Message>> {
    let limit = limit(query.limit)?;
    let filter = MessageFilter {
        customer_id: query.customer_id,
        status: query.status,
        event: query.event,
        channel: query.channel,
        before_id: decode_id_cursor(query.cursor.as_deref(), CURSOR)?,
    };
    let rows = MessageRecord::list(
        conn,
        &filter,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let messages = rows.into_iter().map(view).collect();
    Ok(page(messages, limit, |m| id_cursor(CURSOR, m.id), |m| m))
}

pub fn view(record: MessageRecord) -> Message {
    Message {
        id: record.id,
        customer_id: record.customer_id,
        event: record.event,
        channel: record.channel,
        language: record.language,
        recipient: record.recipient,
        subject: record.subject,
        body: record.body,
        status: record.status,
        suppressed_reason: record.suppressed_reason,
        attempts: record.attempts,
        last_error: record.last_error,
        created_at: from_db(record.created_at),
        sent_at: record.sent_at.map(from_db),
    }
}

/// What the customer gets by which channel: every event and channel, chosen or by default.
pub fn preferences(
    conn: &mut DbConnection,
    customer_id: i64,
) -> ApiResult<Vec<NotificationPreference>> {
    let chosen: HashMap<(NotificationEvent, MessageChannel), bool> =
        PreferenceRecord::of_customers(conn, &[customer_id])?
            .into_iter()
            .map(|p| ((p.event, p.channel), p.enabled))
            .collect();
    let mut all = Vec::new();
    for event in NotificationEvent::all() {
        let rules = rules(event);
        for channel in MessageChannel::all() {
            let required = rules.necessity == Necessity::Required;
            let by_default = match channel {
                MessageChannel::Email => rules.email_by_default,
                MessageChannel::Sms => rules.sms_by_default,
            };
            let choice = chosen.get(&(event, channel)).copied();
            all.push(NotificationPreference {
                event,
                channel,
                enabled: required || choice.unwrap_or(by_default),
                required,
                chosen: choice.is_some() && !required,
            });
        }
    }
    Ok(all)
}

/// Records the customer's choice; a required message cannot be switched off (422).
pub fn choose(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    change: &PreferenceChange,
    now: DateTime<Utc>,
) -> ApiResult<Vec<NotificationPreference>> {
    if rules(change.event).necessity == Necessity::Required && !change.enabled {
        return Err(ApiError::field(
            "enabled",
            okno_api_types::FieldErrorCode::InvalidValue,
            format!(
                "{} messages are required or asked for by the customer: they cannot be switched off",
                change.event
            ),
        ));
    }
    okno_db::write_transaction(conn, |conn| {
        crate::customers::find(conn, customer_id)?;
        PreferenceRecord::set(
            conn,
            PreferenceRecord {
                customer_id,
                event: change.event,
                channel: change.channel,
                enabled: change.enabled,
                updated_at: to_db(now),
                updated_by: principal.recorded_by().label,
            },
        )?;
        audit::record(
            conn,
            principal,
            "notification_preference.set",
            Some(customer_id),
            Some(format!(
                "{} by {}: {}",
                change.event,
                change.channel,
                if change.enabled { "on" } else { "off" }
            )),
            now,
        )?;
        preferences(conn, customer_id)
    })
}

/// A customer's preferences as staff read them on the card; the read is audited.
pub fn read_preferences(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<NotificationPreference>> {
    crate::customers::find(conn, customer_id)?;
    let all = preferences(conn, customer_id)?;
    audit::record_access(
        conn,
        principal,
        "customer.notification_preferences.read",
        Some(customer_id),
        None,
        now,
    )?;
    Ok(all)
}
