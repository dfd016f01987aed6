//! Online payments: the subscriber pays an invoice or tops up the account at the
//! payment gateway. The server decides what is paid and how much; only the gateway's signed
//! notification registers the payment — exactly once, whatever the gateway redelivers, in
//! whatever order, at the same moment — never the browser coming back.

pub mod fake;
pub mod gateway;
pub mod stripe;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use okno_api_types::billing::InvoiceRef;
use okno_api_types::online_payments::{
    NewOnlinePayment, NotificationOutcome, OnlinePayment, OnlinePayments,
};
use okno_api_types::payments::NewPayment;
use okno_api_types::{ErrorCode, Permission};
use okno_db::customers::CustomerRecord;
use okno_db::invoices::{AccountEntryRecord, InvoiceRecord};
use okno_db::online_payments::{
    CheckoutRecord, GatewayEventRecord, NewCheckoutRow, NewGatewayEventRow,
};
use okno_db::payments::PaymentRecord;
use okno_db::{DbConnection, write_transaction};
use okno_domain::clock::Clock;
use okno_domain::customers::Language;
use okno_domain::payments::PaymentMethod;
use okno_domain::payments::online::{
    CHECKOUT_LIFETIME_MINUTES, CheckoutPurpose, CheckoutStatus, GatewayOutcome, MAX_TOP_UP_MINOR,
    MIN_TOP_UP_MINOR, check_top_up, next_status,
};
use okno_domain::validation::Validator;

pub use gateway::{CheckoutOrder, GatewayEvent, PaymentGateway};

use crate::audit;
use crate::auth::Principal;
use crate::config::{Gateway, OnlinePaymentSettings};
use crate::error::{ApiError, ApiResult};
use crate::notifications::Sender;
use crate::state::{AppState, LocalAddress};
use crate::time::{from_db, to_db};

/// The currency an account is kept in when nothing is booked on it yet.
const DEFAULT_CURRENCY: &str = "PLN";
/// An open checkout is offered again rather than a new one while this much of it is left.
const REUSE_MARGIN_MINUTES: i64 = 10;

/// The gateway the settings name, or none when online payments are off.
pub fn gateway_of(
    settings: &OnlinePaymentSettings,
    local: &LocalAddress,
) -> Result<Option<Arc<dyn PaymentGateway>>, String> {
    let tolerance = settings.signature_tolerance_seconds;
    let gateway = match &settings.gateway {
        Gateway::Off => return Ok(None),
        Gateway::Stripe {
            secret_key,
            webhook_secret,
            api_base,
        } => stripe::Stripe::new(
            stripe::ApiBase::Fixed(api_base.clone()),
            secret_key.clone(),
            webhook_secret.clone(),
            tolerance,
        )?,
        Gateway::Fake { webhook_secret } => stripe::Stripe::new(
            stripe::ApiBase::ThisServer(local.clone()),
            fake::SECRET_KEY.into(),
            webhook_secret.clone(),
            tolerance,
        )?,
    };
    Ok(Some(Arc::new(gateway)))
}

/// What the subscriber is about to pay, checked and stored.
fn open(
    conn: &mut DbConnection,
    customer_id: i64,
    request: &NewOnlinePayment,
    gateway: &str,
    now: DateTime<Utc>,
) -> ApiResult<(CheckoutRecord, CustomerRecord, Option<String>)> {
    write_transaction(conn, |conn| {
        let customer = CustomerRecord::find(conn, customer_id)?;
        let (purpose, invoice, amount_minor, currency) = match *request {
            NewOnlinePayment::Invoice { invoice_id } => {
                let invoice = own_invoice(conn, customer_id, invoice_id)?;
                let to_pay = crate::billing::view::to_pay_of(conn, &[&invoice])?
                    .get(&invoice.id)
                    .copied()
                    .unwrap_or(0);
                if invoice.gross_minor <= 0 || to_pay <= 0 {
                    return Err(ApiError::Conflict(
                        ErrorCode::NothingToPay,
                        format!("invoice {} is paid", invoice.number),
                        vec![],
                    ));
                }
                let currency = invoice.currency.clone();
                (CheckoutPurpose::Invoice, Some(invoice), to_pay, currency)
            }
            NewOnlinePayment::TopUp { amount_minor } => {
                let mut v = Validator::new();
                check_top_up(&mut v, "amount_minor", amount_minor);
                v.finish()?;
                let currency = AccountEntryRecord::of_customer(conn, customer_id, None, 1)?
                    .first()
                    .map_or_else(|| DEFAULT_CURRENCY.to_owned(), |e| e.currency.clone());
                (CheckoutPurpose::TopUp, None, amount_minor, currency)
            }
        };
        let invoice_id = invoice.as_ref().map(|i| i.id);
        let reusable = CheckoutRecord::of_customer(conn, customer_id, 20)?
            .into_iter()
            .find(|c| {
                c.status == CheckoutStatus::Open
                    && c.gateway == gateway
                    && c.purpose == purpose
                    && c.invoice_id == invoice_id
                    && c.amount_minor == amount_minor
                    && c.checkout_url.is_some()
                    && from_db(c.expires_at) > now + Duration::minutes(REUSE_MARGIN_MINUTES)
            });
        let number = invoice.map(|i| i.number);
        if let Some(checkout) = reusable {
            return Ok((checkout, customer, number));
        }
        let checkout = CheckoutRecord::insert(
            conn,
            NewCheckoutRow {
                customer_id,
                purpose,
                invoice_id,
                amount_minor,
                currency,
                gateway: gateway.to_owned(),
                status: CheckoutStatus::Open,
                created_at: to_db(now),
                expires_at: to_db(now + Duration::minutes(CHECKOUT_LIFETIME_MINUTES)),
            },
        )?;
        Ok((checkout, customer, number))
    })
}

fn own_invoice(conn: &mut DbConnection, customer_id: i64, id: i64) -> ApiResult<InvoiceRecord> {
    match InvoiceRecord::find(conn, id) {
        Ok(invoice) if invoice.customer_id == customer_id => Ok(invoice),
        Ok(_) | Err(okno_db::DbError::NotFound) => Err(ApiError::not_found(
            ErrorCode::InvoiceNotFound,
            format!("invoice {id}"),
        )),
        Err(other) => Err(other.into()),
    }
}

/// What the payer sees they pay for at the gateway, in their language.
fn description(language: Language, invoice: Option<&str>, account_number: &str) -> String {
    match (language, invoice) {
        (Language::Pl, Some(number)) => format!("Faktura {number}"),
        (Language::Ru, Some(number)) => format!("Счёт {number}"),
        (Language::En, Some(number)) => format!("Invoice {number}"),
        (Language::Pl, None) => format!("Zasilenie konta {account_number}"),
        (Language::Ru, None) => format!("Пополнение лицевого счёта {account_number}"),
        (Language::En, None) => format!("Top-up of account {account_number}"),
    }
}

/// Starts an online payment for the signed-in subscriber: stores it, opens the gateway's
/// page, and answers where to send the subscriber. `public_url` is where subscribers reach
/// this server; the gateway sends them back there.
pub async fn start(
    state: &AppState,
    principal: Principal,
    request: NewOnlinePayment,
    public_url: String,
) -> ApiResult<OnlinePayment> {
    let customer_id = principal.own_customer_id()?;
    let gateway = state.gateway.clone().ok_or_else(online_payments_off)?;
    let name = gateway.name();
    let now = state.now();
    let (checkout, customer, number) = state
        .run(move |conn| open(conn, customer_id, &request, name, now))
        .await?;
    if checkout.checkout_url.is_some() {
        return state.run(move |conn| view(conn, checkout)).await;
    }
    let order = CheckoutOrder {
        checkout_id: checkout.id,
        amount_minor: checkout.amount_minor,
        currency: checkout.currency.clone(),
        description: description(
            customer.preferred_language,
            number.as_deref(),
            &customer.account_number,
        ),
        language: customer.preferred_language,
        return_url: format!(
            "{}/cabinet/online-payments/{}",
            public_url.trim_end_matches('/'),
            checkout.id
        ),
        expires_at: from_db(checkout.expires_at),
    };
    let id = checkout.id;
    match gateway.open(&order).await {
        Ok(started) => {
            state
                .write(move |conn| {
                    CheckoutRecord::started(conn, id, &started.session_id, &started.url)?;
                    audit::record(
                        conn,
                        &principal,
                        "online_payment.start",
                        Some(customer_id),
                        Some(format!("online payment {id} at {name}")),
                        now,
                    )?;
                    let record = CheckoutRecord::find(conn, id)?;
                    view(conn, record)
                })
                .await
        }
        Err(error) => {
            let reason = error.to_string();
            let kept = reason.clone();
            state
                .write(move |conn| {
                    CheckoutRecord::finish(
                        conn,
                        id,
                        CheckoutStatus::Open,
                        CheckoutStatus::Failed,
                        None,
                        Some(&kept),
                        to_db(now),
                    )
                    .map_err(ApiError::from)
                })
                .await?;
            Err(ApiError::BadGateway(format!(
                "{reason}; nothing was charged, try again shortly"
            )))
        }
    }
}

fn online_payments_off() -> ApiError {
    ApiError::Conflict(
        ErrorCode::OnlinePaymentsOff,
        "the operator takes no online payments".into(),
        vec![],
    )
}

/// Acts on a gateway's verified notification, once: a redelivery (the same event id) is
/// answered as a replay; of two deliveries at once, the second waits for the first.
pub fn take_notification(
    conn: &mut DbConnection,
    sender: &Sender,
    gateway: &str,
    event: &GatewayEvent,
    now: DateTime<Utc>,
) -> ApiResult<NotificationOutcome> {
    write_transaction(conn, |conn| {
        let taken = GatewayEventRecord::take(
            conn,
            NewGatewayEventRow {
                gateway: gateway.to_owned(),
                event_id: event.id.clone(),
                event_type: event.kind.clone(),
                received_at: to_db(now),
                checkout_id: None,
                outcome: "taken".into(),
            },
        )?;
        if !taken {
            return Ok(NotificationOutcome::Replayed);
        }
        let (checkout_id, outcome) = act_on(conn, sender, gateway, event, now)?;
        let label = serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        GatewayEventRecord::set_outcome(conn, gateway, &event.id, checkout_id, &label)?;
        Ok(outcome)
    })
}

fn act_on(
    conn: &mut DbConnection,
    sender: &Sender,
    gateway: &str,
    event: &GatewayEvent,
    now: DateTime<Utc>,
) -> ApiResult<(Option<i64>, NotificationOutcome)> {
    let (Some(session), Some(outcome)) = (event.session_id.as_deref(), event.outcome) else {
        return Ok((None, NotificationOutcome::Ignored));
    };
    let Some(checkout) = CheckoutRecord::find_by_session(conn, gateway, session)? else {
        tracing::warn!(gateway, session, event = %event.id, "a notification of a checkout Okno did not start");
        return Ok((None, NotificationOutcome::Ignored));
    };
    let id = Some(checkout.id);
    if outcome != GatewayOutcome::Paid {
        let Some(to) = next_status(checkout.status, outcome) else {
            return Ok((id, NotificationOutcome::Ignored));
        };
        let changed = CheckoutRecord::finish(
            conn,
            checkout.id,
            checkout.status,
            to,
            None,
            None,
            to_db(now),
        )?;
        let outcome = if changed {
            NotificationOutcome::Updated
        } else {
            NotificationOutcome::Ignored
        };
        return Ok((id, outcome));
    }
    let (payment_id, outcome) = register(conn, sender, gateway, &checkout, session, event, now)?;
    if next_status(checkout.status, GatewayOutcome::Paid).is_some() {
        CheckoutRecord::finish(
            conn,
            checkout.id,
            checkout.status,
            CheckoutStatus::Paid,
            Some(payment_id),
            None,
            to_db(now),
        )?;
    }
    Ok((id, outcome))
}

/// Registers what the gateway took, in its currency and amount — the signed notification's,
/// not the checkout's, should they differ — under the session's id: a second notification of
/// the same session finds the payment there.
fn register(
    conn: &mut DbConnection,
    sender: &Sender,
    gateway: &str,
    checkout: &CheckoutRecord,
    session: &str,
    event: &GatewayEvent,
    now: DateTime<Utc>,
) -> ApiResult<(i64, NotificationOutcome)> {
    if let Some(existing) =
        PaymentRecord::find_by_external_reference(conn, PaymentMethod::Online, session)?
    {
        return Ok((existing.id, NotificationOutcome::AlreadyRegistered));
    }
    let amount_minor = event.amount_minor.unwrap_or(checkout.amount_minor);
    let currency = event
        .currency
        .clone()
        .unwrap_or_else(|| checkout.currency.clone());
    if amount_minor != checkout.amount_minor || currency != checkout.currency {
        tracing::warn!(
            checkout = checkout.id,
            expected = %format!("{} {}", checkout.amount_minor, checkout.currency),
            paid = %format!("{amount_minor} {currency}"),
            "the gateway took another sum than the checkout asked; registering what it took"
        );
    }
    let principal = Principal::command_line(gateway, vec![Permission::PaymentsRegister]);
    let request = NewPayment {
        customer_id: Some(checkout.customer_id),
        account_number: None,
        amount_minor,
        currency,
        method: PaymentMethod::Online,
        payer_reference: Some(format!("online payment {} ({gateway})", checkout.id)),
        external_reference: Some(session.to_owned()),
        invoice_id: checkout.invoice_id,
        received_at: Some(event.occurred_at.min(now)),
    };
    match super::register(conn, sender, &principal, &request, None, now) {
        Ok(super::Registered::New(payment)) => Ok((payment.id, NotificationOutcome::Registered)),
        // Another notification of the same session registered it a moment ago.
        Err(ApiError::Conflict(ErrorCode::PaymentAlreadyRegistered, ..)) => {
            let existing =
                PaymentRecord::find_by_external_reference(conn, PaymentMethod::Online, session)?
                    .ok_or_else(|| ApiError::Internal("a repeat of no payment".into()))?;
            Ok((existing.id, NotificationOutcome::AlreadyRegistered))
        }
        Ok(super::Registered::Replayed(_)) => Err(ApiError::Internal(
            "an online payment was answered as a replay".into(),
        )),
        Err(other) => Err(other),
    }
}

/// The online payment as the API shows it.
pub fn view(conn: &mut DbConnection, record: CheckoutRecord) -> ApiResult<OnlinePayment> {
    let invoice = match record.invoice_id {
        Some(id) => Some(InvoiceRef {
            id,
            number: InvoiceRecord::find(conn, id)?.number,
        }),
        None => None,
    };
    Ok(OnlinePayment {
        id: record.id,
        purpose: record.purpose,
        invoice,
        amount_minor: record.amount_minor,
        currency: record.currency,
        checkout_url: record
            .checkout_url
            .filter(|_| record.status == CheckoutStatus::Open),
        status: record.status,
        created_at: from_db(record.created_at),
        expires_at: from_db(record.expires_at),
        finished_at: record.finished_at.map(from_db),
        payment_id: record.payment_id,
    })
}

/// One of the subscriber's own online payments; another customer's is not found.
pub fn mine(conn: &mut DbConnection, customer_id: i64, id: i64) -> ApiResult<OnlinePayment> {
    let not_found = || {
        ApiError::not_found(
            ErrorCode::OnlinePaymentNotFound,
            format!("online payment {id}"),
        )
    };
    let record = match CheckoutRecord::find(conn, id) {
        Ok(record) if record.customer_id == customer_id => record,
        Ok(_) | Err(okno_db::DbError::NotFound) => return Err(not_found()),
        Err(other) => return Err(other.into()),
    };
    view(conn, record)
}

/// Whether online payments are offered, and the subscriber's latest.
pub fn my_overview(
    conn: &mut DbConnection,
    available: bool,
    customer_id: i64,
) -> ApiResult<OnlinePayments> {
    let mut recent = Vec::new();
    for record in CheckoutRecord::of_customer(conn, customer_id, 10)? {
        recent.push(view(conn, record)?);
    }
    Ok(OnlinePayments {
        available,
        min_top_up_minor: MIN_TOP_UP_MINOR,
        max_top_up_minor: MAX_TOP_UP_MINOR,
        recent,
    })
}

/// Reads a notification with the gateway's checks; a refusal becomes a 400.
pub fn read_notification(
    gateway: &dyn PaymentGateway,
    headers: &actix_web::http::header::HeaderMap,
    body: &[u8],
    clock: &dyn Clock,
) -> ApiResult<GatewayEvent> {
    gateway
        .read_notification(headers, body, clock.now())
        .map_err(|refused| ApiError::BadSignature(refused.to_string(), refused.header()))
}
