//! Prepaid express-payment cards (R-30, seed 001): made in batches whose codes are shown once
//! for printing and kept hashed; a card's code, typed in the cabinet or at a cashier's desk,
//! pays its value onto the account once. Wrong codes count like wrong passwords, per account
//! and per client address, and are logged.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::payments::{
    CardBatch, CreatedCardBatch, NewCardBatch, NewPayment, Payment, PaymentMethod,
};
use okno_db::prepaid_cards::{CardBatchRecord, CardRecord, NewCardBatchRow, NewCardRow};
use okno_db::{DbConnection, write_transaction};
use okno_domain::format;
use okno_domain::money::is_valid_currency;
use okno_domain::payments::{CardCode, check_card_batch};
use okno_domain::validation::{FieldErrorCode, Validator};
use rand::Rng;

use super::{Registered, register};
use crate::audit;
use crate::auth::Principal;
use crate::auth::throttle::Guess;
use crate::auth::tokens::hash_secret;
use crate::error::{ApiError, ApiResult};
use crate::notifications::Sender;
use crate::state::AppState;
use crate::time::{from_db, to_db};

/// Makes a batch of cards; the answer holds their codes, which are not kept.
pub fn create_batch(
    conn: &mut DbConnection,
    principal: &Principal,
    request: &NewCardBatch,
    now: DateTime<Utc>,
) -> ApiResult<CreatedCardBatch> {
    let mut v = Validator::new();
    check_card_batch(
        &mut v,
        request.cards,
        request.value_minor,
        request.valid_until,
        now.date_naive(),
    );
    let currency = request.currency.clone().unwrap_or_else(|| "PLN".into());
    if !is_valid_currency(&currency) {
        v.fail(
            "currency",
            FieldErrorCode::InvalidValue,
            "not a currency the system bills in",
        );
    }
    v.finish()?;
    let mut rng = rand::rng();
    let codes: Vec<CardCode> = (0..request.cards)
        .map(|_| CardCode::from_random(rng.random_range(0..1_000_000_000_000_000)))
        .collect();
    write_transaction(conn, |conn| {
        let batch = CardBatchRecord::insert(
            conn,
            NewCardBatchRow {
                cards: i32::try_from(request.cards).unwrap_or(i32::MAX),
                value_minor: request.value_minor,
                currency: currency.clone(),
                valid_until: request.valid_until,
                created_by: principal.recorded_by().label,
                created_at: to_db(now),
            },
        )?;
        let rows: Vec<NewCardRow> = codes
            .iter()
            .enumerate()
            .map(|(n, code)| NewCardRow {
                batch_id: batch.id,
                serial: serial(batch.id, n + 1),
                code_hash: hash_secret(code.digits()),
            })
            .collect();
        if !CardRecord::insert_all(conn, rows)? {
            // Two of 10^15 random codes alike: nothing is kept; making the batch again works.
            return Err(ApiError::Unavailable(
                "two cards came out with the same code; make the batch again".into(),
            ));
        }
        audit::record(
            conn,
            principal,
            "prepaid_cards.create",
            None,
            Some(format!("batch {}: {} cards", batch.id, request.cards)),
            now,
        )?;
        let mut csv = String::from("serial;code;value;currency;valid_until\n");
        for (n, code) in codes.iter().enumerate() {
            csv.push_str(&format!(
                "{};{};{};{currency};{}\n",
                serial(batch.id, n + 1),
                code.printed(),
                format::money_input(batch.value_minor, okno_domain::customers::Language::En),
                batch.valid_until
            ));
        }
        Ok(CreatedCardBatch {
            batch: batch_view(batch, 0),
            codes_csv: csv,
        })
    })
}

/// The card's number as printed beside its code: its batch and its place in it.
fn serial(batch: i64, n: usize) -> String {
    format!("{batch:05}-{n:05}")
}

fn batch_view(batch: CardBatchRecord, redeemed: i64) -> CardBatch {
    CardBatch {
        id: batch.id,
        cards: batch.cards,
        value_minor: batch.value_minor,
        currency: batch.currency,
        valid_until: batch.valid_until,
        created_by: batch.created_by,
        created_at: from_db(batch.created_at),
        redeemed,
    }
}

pub fn batches(conn: &mut DbConnection) -> ApiResult<Vec<CardBatch>> {
    Ok(CardBatchRecord::list(conn, 200)?
        .into_iter()
        .map(|(batch, redeemed)| batch_view(batch, redeemed))
        .collect())
}

/// Redeems a card onto `customer_id`'s account as a payment of its value. A code that does
/// not read is a typing error; a code no card has counts as a guess against the account
/// and the address, which are slowed down after a few (`429`), and is logged.
pub async fn redeem(
    state: &AppState,
    principal: Principal,
    customer_id: i64,
    code: &str,
    address: Option<IpAddr>,
) -> ApiResult<Payment> {
    let code = CardCode::parse(code)
        .map_err(|e| ApiError::field("code", FieldErrorCode::InvalidValue, e))?;
    let now = state.now();
    let guess = Guess::new(format!("prepaid-card:{customer_id}"), address);
    let st = state.clone();
    let sender = state.sender();
    state
        .run(move |conn| {
            guess.check(&st, conn, now)?;
            let Some(card) = CardRecord::find_by_hash(conn, &hash_secret(code.digits()))? else {
                guess.failed(&st, conn, now)?;
                tracing::warn!(
                    customer = customer_id,
                    address = ?address,
                    by = %principal.username,
                    "a prepaid card code no card has"
                );
                return Err(ApiError::Refused(
                    ErrorCode::InvalidCardCode,
                    "no card has this code".into(),
                    vec![okno_api_types::FieldError::new(
                        "code",
                        FieldErrorCode::UnknownReference,
                        "no card has this code",
                    )],
                ));
            };
            guess.succeeded(conn)?;
            redeem_card(conn, &sender, &principal, customer_id, card, now)
        })
        .await
}

fn redeem_card(
    conn: &mut DbConnection,
    sender: &Sender,
    principal: &Principal,
    customer_id: i64,
    card: CardRecord,
    now: DateTime<Utc>,
) -> ApiResult<Payment> {
    let used = || {
        ApiError::Conflict(
            ErrorCode::CardAlreadyRedeemed,
            format!("card {} was redeemed already", card.serial),
            vec![],
        )
    };
    if card.redeemed_at.is_some() {
        return Err(used());
    }
    let batch = CardBatchRecord::find(conn, card.batch_id)?;
    if batch.valid_until < now.date_naive() {
        return Err(ApiError::Refused(
            ErrorCode::CardExpired,
            format!("card {} was valid until {}", card.serial, batch.valid_until),
            vec![],
        ));
    }
    write_transaction(conn, |conn| {
        let payment = NewPayment {
            customer_id: Some(customer_id),
            account_number: None,
            amount_minor: batch.value_minor,
            currency: batch.currency.clone(),
            method: PaymentMethod::PrepaidCard,
            payer_reference: Some(format!("prepaid card {}", card.serial)),
            // The card's serial makes a second redemption a repeat the database refuses,
            // however many arrive at once.
            external_reference: Some(card.serial.clone()),
            invoice_id: None,
            received_at: None,
        };
        let registered = match register(conn, sender, principal, &payment, None, now) {
            Ok(Registered::New(payment)) => payment,
            Ok(Registered::Replayed(_))
            | Err(ApiError::Conflict(ErrorCode::PaymentAlreadyRegistered, ..)) => {
                return Err(used());
            }
            Err(other) => return Err(other),
        };
        if !CardRecord::redeem(conn, card.id, registered.id, to_db(now))? {
            return Err(used());
        }
        Ok(*registered)
    })
}
