//! The outbox as a running operator has it: most messages go, and a few were refused by the
//! mail server: one address that does not exist (flagged as bouncing, so the customer's next
//! e-mails are held back) and one message refused as spam, waiting to be sent again.

use chrono::{DateTime, Utc};
use okno_db::DbConnection;
use okno_db::notifications::{Delivery, MessageRecord};
use okno_domain::notifications::MessageChannel;

use crate::error::ApiResult;
use crate::notifications::outbox::flag_bounce;
use crate::time::to_db;

const WORKER: &str = "demo";

pub fn seed_delivery_failures(conn: &mut DbConnection, now: DateTime<Utc>) -> ApiResult<()> {
    let claimed = MessageRecord::claim(
        conn,
        WORKER,
        &[MessageChannel::Email],
        2,
        to_db(now),
        to_db(now),
    )?;
    let refusals = [
        "550 5.1.1 <recipient>: mailbox unknown",
        "554 5.7.1 message refused as spam; try again later",
    ];
    for (message, error) in claimed.iter().zip(refusals) {
        MessageRecord::finish(
            conn,
            message.id,
            WORKER,
            &Delivery::Failed {
                error: error.to_owned(),
            },
        )?;
        if let (Some(address), true) = (&message.recipient, error.starts_with("550")) {
            flag_bounce(conn, address, error, Some(message.id), now)?;
        }
    }
    Ok(())
}
