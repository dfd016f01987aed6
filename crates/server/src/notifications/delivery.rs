//! Delivery of the outbox: workers claim the messages that are due, count the attempt
//! in the database before handing a message over, and record what became of it — sent, tried
//! again later (exponential backoff with jitter), or failed for good. SMS wait out the quiet
//! hours. A message claimed by a worker that died is taken up after the claim timeout and sent
//! with the same Message-ID or SMS idx, which the recipient's mail system and SMSAPI keep once.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use okno_db::notifications::{Delivery, MessageRecord};
use okno_domain::notifications::{MAX_ATTEMPTS, MessageChannel, NotificationEvent, retry_after};
use rand::Rng;

use super::SendError;
use super::email::{Email, LogMailer, Mailer, Smtp};
use super::sms::{LogSms, Sms, SmsGateway, Smsapi};
use crate::config::{NotificationSettings, SmsSettings};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::time::to_db;

/// Messages a worker claims at once.
const BATCH: i64 = 20;

/// Who carries messages: the mail server and the SMS gateway.
#[derive(Clone)]
pub struct Couriers {
    pub mail: Arc<dyn Mailer>,
    pub sms: Arc<dyn SmsGateway>,
    /// The domain of Message-IDs: the sender's.
    pub mail_domain: String,
}

impl std::fmt::Debug for Couriers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Couriers")
            .field("mail_domain", &self.mail_domain)
            .finish_non_exhaustive()
    }
}

impl Couriers {
    /// The couriers the settings name; the log where none is configured.
    pub fn of(settings: &NotificationSettings) -> Result<Self, String> {
        let mail: Arc<dyn Mailer> = match &settings.smtp_url {
            Some(url) => Arc::new(Smtp::new(url, &settings.mail_from)?),
            None => Arc::new(LogMailer),
        };
        let sms: Arc<dyn SmsGateway> = match &settings.sms {
            SmsSettings::Log => Arc::new(LogSms),
            SmsSettings::Smsapi {
                token,
                sender,
                api_base,
            } => Arc::new(Smsapi::new(api_base, token, sender.as_deref())?),
        };
        let mail_domain = settings
            .mail_from
            .rsplit('@')
            .next()
            .map(|d| d.trim_end_matches('>').trim().to_owned())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "okno.invalid".into());
        Ok(Self {
            mail,
            sms,
            mail_domain,
        })
    }
}

/// What one pass delivered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

impl DeliveryReport {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Delivers what is due now, batch after batch, until nothing is; `worker` names this worker
/// in the claims.
pub async fn deliver_due(state: &AppState, worker: &str) -> ApiResult<DeliveryReport> {
    let mut report = DeliveryReport::default();
    loop {
        let batch = deliver_batch(state, worker).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        report.sent += batch.sent;
        report.retried += batch.retried;
        report.failed += batch.failed;
    }
}

async fn deliver_batch(state: &AppState, worker: &str) -> ApiResult<DeliveryReport> {
    let settings = &state.settings.notifications;
    let now = state.now();
    let local = now.with_timezone(&settings.time_zone).naive_local();
    let channels = if settings.quiet_hours.contains(local.time()) {
        vec![MessageChannel::Email]
    } else {
        vec![MessageChannel::Email, MessageChannel::Sms]
    };
    let stale_before = to_db(now - settings.claim_timeout);
    let name = worker.to_owned();
    let claimed = state
        .write(move |conn| {
            Ok(MessageRecord::claim(
                conn,
                &name,
                &channels,
                BATCH,
                to_db(now),
                stale_before,
            )?)
        })
        .await?;
    let mut report = DeliveryReport::default();
    for message in claimed {
        let outcome = match attempt(state, &message).await {
            Ok(provider_id) => {
                report.sent += 1;
                Delivery::Sent {
                    provider_id,
                    at: to_db(state.now()),
                }
            }
            Err(error) => {
                if let SendError::AddressRefused(reason) = &error {
                    flag_address(state, &message, reason).await?;
                }
                let outcome = after_failure(&message, error, state.now());
                if matches!(outcome, Delivery::Failed { .. }) {
                    report.failed += 1;
                    tracing::warn!(
                        message = message.id,
                        customer = message.customer_id,
                        ?outcome,
                        "a message failed for good"
                    );
                } else {
                    report.retried += 1;
                }
                outcome
            }
        };
        let (id, name) = (message.id, worker.to_owned());
        let recorded = state
            .write(move |conn| Ok(MessageRecord::finish(conn, id, &name, &outcome)?))
            .await?;
        if !recorded {
            tracing::warn!(
                message = id,
                "a message was taken over by another worker before its outcome was recorded"
            );
        }
    }
    Ok(report)
}

/// Flags the address a message was refused at: the customer's next e-mails are suppressed
/// until staff clear it.
async fn flag_address(state: &AppState, message: &MessageRecord, reason: &str) -> ApiResult<()> {
    let Some(address) = message.recipient.clone() else {
        return Ok(());
    };
    if message.channel != MessageChannel::Email {
        return Ok(());
    }
    tracing::warn!(
        message = message.id,
        customer = message.customer_id,
        "the e-mail address bounces"
    );
    let (id, reason, now) = (message.id, reason.to_owned(), state.now());
    state
        .write(move |conn| super::outbox::flag_bounce(conn, &address, &reason, Some(id), now))
        .await
}

/// Retry later, or give up: a permanent refusal, or the last attempt.
fn after_failure(message: &MessageRecord, error: SendError, now: DateTime<Utc>) -> Delivery {
    let attempts = u32::try_from(message.attempts).unwrap_or(u32::MAX);
    match error {
        SendError::Permanent(error) | SendError::AddressRefused(error) => {
            Delivery::Failed { error }
        }
        SendError::Transient(error) if attempts >= MAX_ATTEMPTS => Delivery::Failed {
            error: format!("{error} (after {attempts} attempts)"),
        },
        SendError::Transient(error) => {
            let jitter = rand::rng().random_range(0..=1_000_u16);
            Delivery::Retry {
                error,
                at: to_db(now + retry_after(attempts, jitter)),
            }
        }
    }
}

/// One attempt to hand the message over.
async fn attempt(state: &AppState, message: &MessageRecord) -> Result<String, SendError> {
    let Some(to) = message.recipient.clone() else {
        return Err(SendError::Permanent("no address".into()));
    };
    match message.channel {
        MessageChannel::Sms => {
            let sms = Sms {
                idempotency_key: format!("okno-{}", message.id),
                to,
                text: message.body.clone(),
            };
            state.couriers.sms.send(&sms).await
        }
        MessageChannel::Email => {
            let attachment = attachment_of(state, message).await?;
            // Stable per outbox row: a resend after a crash is the same message.
            let key = format!(
                "okno-{}-{}",
                message.id,
                message.dedup_key.replace(':', "-")
            );
            let email = Email {
                message_id: format!("<{key}@{}>", state.couriers.mail_domain),
                to,
                subject: message.subject.clone().unwrap_or_default(),
                html: message.body.clone(),
                attachment,
            };
            state.couriers.mail.send(&email).await
        }
    }
}

/// The invoice an invoice's e-mail carries, as a PDF.
async fn attachment_of(
    state: &AppState,
    message: &MessageRecord,
) -> Result<Option<(String, Vec<u8>)>, SendError> {
    if let Some(document_id) = message.document_id {
        return stored_document(state, document_id).await.map(Some);
    }
    let (Some(invoice_id), NotificationEvent::InvoiceIssued) = (message.invoice_id, message.event)
    else {
        return Ok(None);
    };
    let (customer_id, today) = (message.customer_id, state.now().date_naive());
    let invoice = state
        .run(move |conn| {
            crate::billing::invoices::own_invoice(conn, customer_id, invoice_id, today)
        })
        .await
        .map_err(|e| SendError::Transient(format!("the invoice PDF: {e}")))?;
    // Typesetting is CPU work: off the async threads, which also serve requests.
    let (number, pdf) =
        tokio::task::spawn_blocking(move || crate::billing::invoices::pdf_of(&invoice, None))
            .await
            .map_err(|e| SendError::Transient(format!("the invoice PDF: {e}")))?
            .map_err(|e| SendError::Transient(format!("the invoice PDF: {e}")))?;
    Ok(Some((
        format!("{}.pdf", number.replace(['/', '\\'], "-")),
        pdf,
    )))
}

/// A stored document (a complaint's confirmation or answer) as a file: kept as issued, so
/// the attachment is the same document the cabinet shows.
async fn stored_document(
    state: &AppState,
    document_id: i64,
) -> Result<(String, Vec<u8>), SendError> {
    let (record, content) = state
        .run(move |conn| {
            let record = okno_db::documents::DocumentRecord::find(conn, document_id)?;
            let content = okno_db::documents::DocumentRecord::content(conn, document_id)?;
            Ok((record, content))
        })
        .await
        .map_err(|e| SendError::Transient(format!("the document: {e}")))?;
    let name: String = record
        .title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok((format!("{name}.pdf"), content))
}

/// Delivers now and then every `every`, for as long as the server lives.
pub fn spawn(state: AppState, every: std::time::Duration) {
    let worker = format!("delivery-{}", std::process::id());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match deliver_due(&state, &worker).await {
                Ok(report) if !report.is_empty() => tracing::info!(?report, "messages delivered"),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "delivering messages failed; retrying at the next tick")
                }
            }
        }
    });
}
