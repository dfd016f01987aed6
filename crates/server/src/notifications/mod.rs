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
pub mod editor;
pub mod email;
pub mod outbox;
pub mod preferences;
pub mod sms;
pub mod templates;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use okno_db::DbConnection;
use okno_db::customers::{ConsentRecord, CustomerRecord};
use okno_db::notifications::{BounceRecord, MessageRecord, NewMessageRow, PreferenceRecord};
use okno_domain::contacts::ConsentPurpose;
use okno_domain::customers::{EmailEntry, Language, Phone, PhoneEntry};
use okno_domain::format;
use okno_domain::notifications::{
    HIDDEN_SECRET, MessageChannel, MessageStatus, NotificationEvent, Recipient, SuppressionReason,
    consent_needed, decide, secret_variables,
};
use okno_domain::payments::PaymentMethod;
use okno_domain::payments::virtual_account::{self, VirtualAccounts};

use crate::config::{BillingSettings, OperatorDetails, Settings};
use crate::error::ApiResult;
use crate::time::to_db;

use templates::{Book, Variables, render};

/// Why a message could not be handed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// No retry will cure it (a bad address, a refused message).
    #[error("{0}")]
    Permanent(String),
    /// It may go later (the provider down or busy).
    #[error("{0}")]
    Transient(String),
    /// The address itself is refused for good (no such mailbox): the message fails and the
    /// address is flagged as bouncing.
    #[error("{0}")]
    AddressRefused(String),
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
    Money {
        minor: i64,
        currency: String,
    },
    Date(NaiveDate),
    Month {
        year: i32,
        month: u32,
    },
    /// A moment, already in the operator's time zone.
    Moment(NaiveDateTime),
    Method(PaymentMethod),
    /// How a complaint was decided.
    Outcome(okno_domain::complaints::ComplaintOutcome),
    /// Where a ticket stands.
    TicketStatus(okno_domain::tickets::TicketStatus),
}

impl Value {
    fn written(&self, language: Language) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Money { minor, currency } => format::money(*minor, currency, language),
            Self::Date(day) => format::date(*day, language),
            Self::Month { year, month } => format::month(*year, *month, language),
            Self::Moment(moment) => format::date_time(*moment, language),
            Self::Method(method) => {
                crate::documents::receipt::method_in(language, *method).to_owned()
            }
            Self::Outcome(outcome) => {
                crate::documents::complaint::outcome_in(language, *outcome).to_owned()
            }
            Self::TicketStatus(status) => crate::tickets::status_in(language, *status).to_owned(),
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
    /// The stored document a message attaches (a complaint's confirmation or answer).
    pub document_id: Option<i64>,
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
            document_id: None,
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
            document_id: None,
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

impl Notice {
    /// The key of its message by `channel`: the same event written twice is one message.
    fn key(&self, channel: MessageChannel) -> String {
        format!("{}:{}:{}", self.event, self.about, channel)
    }

    fn money(minor: i64, currency: &str) -> Value {
        Value::Money {
            minor,
            currency: currency.to_owned(),
        }
    }

    /// A prepaid balance pays for `last_paid` at the latest; one warning per day it
    /// runs out on, so a top-up that moves the day and runs low again warns again.
    pub fn prepaid_low(
        customer_id: i64,
        subscription_id: i64,
        balance_minor: i64,
        currency: &str,
        last_paid: NaiveDate,
    ) -> Self {
        Self {
            event: NotificationEvent::PrepaidLow,
            customer_id,
            about: format!("{subscription_id}:{last_paid}"),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("balance", Self::money(balance_minor, currency)),
                ("runs_out_on", Value::Date(last_paid)),
            ],
        }
    }

    /// A contract's prepaid services paused on `day` because the balance ran out.
    pub fn prepaid_run_out(
        customer_id: i64,
        contract_id: i64,
        day: NaiveDate,
        balance_minor: i64,
        currency: &str,
    ) -> Self {
        Self {
            event: NotificationEvent::PrepaidRunOut,
            customer_id,
            about: format!("{contract_id}:{day}"),
            invoice_id: None,
            document_id: None,
            values: vec![("balance", Self::money(balance_minor, currency))],
        }
    }

    /// A contract's last day of service is near; one notice per last day, so a notice of
    /// termination that moves it is announced again.
    pub fn contract_ending(
        customer_id: i64,
        contract_id: i64,
        contract_number: &str,
        ends_on: NaiveDate,
    ) -> Self {
        Self {
            event: NotificationEvent::ContractEnding,
            customer_id,
            about: format!("{contract_id}:{ends_on}"),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("contract_number", Value::Text(contract_number.to_owned())),
                ("ends_on", Value::Date(ends_on)),
            ],
        }
    }

    /// A one-time code for the cabinet: to activate it (`event` cabinet_activation) or to
    /// set a new password (password_reset). `issued` tells codes apart: each is its own
    /// message.
    pub fn cabinet_code(
        event: NotificationEvent,
        customer_id: i64,
        issued: DateTime<Utc>,
        code: &str,
        link: String,
        valid_until: NaiveDateTime,
    ) -> Self {
        Self {
            event,
            customer_id,
            about: format!("{customer_id}:{}", issued.timestamp_micros()),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("code", Value::Text(code.to_owned())),
                ("link", Value::Text(link)),
                ("valid_until", Value::Moment(valid_until)),
            ],
        }
    }
}

impl Notice {
    /// A complaint's receipt confirmed; the e-mail carries `document_id`.
    pub fn complaint_acknowledged(
        customer_id: i64,
        complaint_id: i64,
        number: &str,
        received_on: NaiveDate,
        decide_by: NaiveDate,
        document_id: i64,
    ) -> Self {
        Self {
            event: NotificationEvent::ComplaintAcknowledged,
            customer_id,
            about: complaint_id.to_string(),
            invoice_id: None,
            document_id: Some(document_id),
            values: vec![
                ("complaint_number", Value::Text(number.to_owned())),
                ("received_on", Value::Date(received_on)),
                ("decide_by", Value::Date(decide_by)),
            ],
        }
    }

    /// A complaint answered; the e-mail carries the answer, `document_id`.
    pub fn complaint_answered(
        customer_id: i64,
        complaint_id: i64,
        number: &str,
        outcome: okno_domain::complaints::ComplaintOutcome,
        granted_minor: i64,
        currency: &str,
        document_id: i64,
    ) -> Self {
        Self {
            event: NotificationEvent::ComplaintAnswered,
            customer_id,
            about: complaint_id.to_string(),
            invoice_id: None,
            document_id: Some(document_id),
            values: vec![
                ("complaint_number", Value::Text(number.to_owned())),
                ("outcome", Value::Outcome(outcome)),
                ("granted", Self::money(granted_minor, currency)),
            ],
        }
    }
}

/// What the outbox needs to know of the customers of a batch of notices, loaded at once.
struct Customers {
    records: HashMap<i64, CustomerRecord>,
    consents: HashMap<i64, Vec<ConsentPurpose>>,
    choices: HashMap<(i64, NotificationEvent, MessageChannel), bool>,
    /// Their e-mail addresses that bounce, lower case.
    bouncing: HashSet<String>,
}

impl Customers {
    fn load(conn: &mut DbConnection, notices: &[&Notice]) -> ApiResult<Self> {
        let ids: Vec<i64> = notices
            .iter()
            .map(|n| n.customer_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let records: HashMap<i64, CustomerRecord> = CustomerRecord::find_many(conn, &ids)?
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
        let addresses: Vec<String> = records.values().filter_map(email_of).collect();
        let bouncing = BounceRecord::among(conn, &addresses)?.into_iter().collect();
        Ok(Self {
            records,
            consents,
            choices,
            bouncing,
        })
    }
}

/// The e-mail addresses on the record, in its order.
pub(crate) fn emails_of(customer: &CustomerRecord) -> Vec<String> {
    serde_json::from_str::<Vec<EmailEntry>>(&customer.emails)
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.value.trim().to_owned())
        .filter(|e| !e.is_empty())
        .collect()
}

/// The first e-mail address on the record: where messages go.
pub(crate) fn email_of(customer: &CustomerRecord) -> Option<String> {
    emails_of(customer).into_iter().next()
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
    // Written before (a job that runs again): nothing to load or render for it.
    let keys: Vec<String> = notices
        .iter()
        .flat_map(|n| MessageChannel::all().map(move |c| n.key(c)))
        .collect();
    let written = MessageRecord::existing_keys(conn, &keys)?;
    let notices: Vec<&Notice> = notices
        .iter()
        .filter(|n| !MessageChannel::all().any(|c| written.contains(&n.key(c))))
        .collect();
    if notices.is_empty() {
        return Ok(0);
    }
    let customers = Customers::load(conn, &notices)?;
    let book = Book::load(conn)?;
    let mut rows = Vec::new();
    for notice in notices {
        let Some(customer) = customers.records.get(&notice.customer_id) else {
            continue;
        };
        for channel in MessageChannel::all() {
            let message = Draft {
                sender,
                customers: &customers,
                book: &book,
                customer,
                notice,
            };
            if let Some(row) = message.by(channel, now) {
                rows.push(row);
            }
        }
    }
    Ok(MessageRecord::insert_new(conn, rows)?)
}

/// A notice to one customer, with what its messages are made of.
struct Draft<'a> {
    sender: &'a Sender,
    customers: &'a Customers,
    book: &'a Book,
    customer: &'a CustomerRecord,
    notice: &'a Notice,
}

impl Draft<'_> {
    /// The message by one channel, or none when the customer does not want it.
    fn by(&self, channel: MessageChannel, now: DateTime<Utc>) -> Option<NewMessageRow> {
        let (customer, notice) = (self.customer, self.notice);
        let address = match channel {
            MessageChannel::Email => email_of(customer),
            MessageChannel::Sms => phone_of(customer),
        };
        let (mut status, suppressed_reason) = match decide(
            notice.event,
            channel,
            &self.recipient(channel, address.as_deref()),
        ) {
            Err(SuppressionReason::SwitchedOff) => return None,
            Err(reason) => (MessageStatus::Suppressed, Some(reason)),
            Ok(()) => (MessageStatus::Pending, None),
        };
        let language = customer.preferred_language;
        let values = self.values(language);
        let source = self.book.source(notice.event, channel, language);
        let mut last_error = None;
        let (subject, body, redacted_body) = match (
            render(channel, source, &values),
            render(channel, source, &hidden(notice.event, &values)),
        ) {
            (Ok(rendered), Ok(redacted)) if rendered.body != redacted.body => {
                (rendered.subject, rendered.body, Some(redacted.body))
            }
            (Ok(rendered), _) => (rendered.subject, rendered.body, None),
            // A template that cannot be rendered fails its message, not the change it reports.
            (Err(error), _) => {
                tracing::error!(event = %notice.event, %channel, %error, "a message could not be rendered");
                status = MessageStatus::Failed;
                last_error = Some(error.to_string());
                (None, String::new(), None)
            }
        };
        // A message that will not go keeps no secret.
        let (body, redacted_body) = match (status, redacted_body) {
            (MessageStatus::Pending, redacted) => (body, redacted),
            (_, Some(redacted)) => (redacted, None),
            (_, None) => (body, None),
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
            document_id: notice.document_id,
            dedup_key: notice.key(channel),
            last_error,
            redacted_body,
            next_attempt_at: to_db(now),
            created_at: to_db(now),
        })
    }

    fn recipient(&self, channel: MessageChannel, address: Option<&str>) -> Recipient<'_> {
        let customers = self.customers;
        Recipient {
            has_email: channel == MessageChannel::Email && address.is_some(),
            has_phone: channel == MessageChannel::Sms && address.is_some(),
            email_bounces: channel == MessageChannel::Email
                && address.is_some_and(|a| customers.bouncing.contains(&a.to_lowercase())),
            consents: customers
                .consents
                .get(&self.customer.id)
                .map_or(&[][..], Vec::as_slice),
            chosen: customers
                .choices
                .get(&(self.customer.id, self.notice.event, channel))
                .copied(),
        }
    }

    /// The notice's values and those every message has, written in `language`.
    fn values(&self, language: Language) -> Variables {
        let mut values: Variables = self
            .notice
            .values
            .iter()
            .map(|(name, value)| (*name, value.written(language)))
            .collect();
        common_values(&mut values, self.sender, self.customer);
        values
    }
}

/// The values every message may use: the customer's and the operator's.
pub(crate) fn common_values(values: &mut Variables, sender: &Sender, customer: &CustomerRecord) {
    values.insert("customer_name", customer.display_name.clone());
    values.insert("account_number", customer.account_number.clone());
    values.insert("operator_name", sender.operator_name.clone());
    values.insert("pay_to", sender.pay_to(&customer.account_number));
}

/// `values` with the event's secrets hidden.
fn hidden(event: NotificationEvent, values: &Variables) -> Variables {
    let mut hidden = values.clone();
    for name in secret_variables(event) {
        if let Some(value) = hidden.get_mut(name) {
            HIDDEN_SECRET.clone_into(value);
        }
    }
    hidden
}

/// Stops the customer's pending messages that needed `consent`, now withdrawn.
pub fn consent_withdrawn(
    conn: &mut DbConnection,
    customer_id: i64,
    consent: ConsentPurpose,
) -> ApiResult<usize> {
    Ok(MessageRecord::suppress_needing(conn, customer_id, consent)?)
}
