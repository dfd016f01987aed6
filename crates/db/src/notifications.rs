//! Notifications: the outbox of messages to customers and the customers' choices of
//! what they are told by which channel.

use diesel::prelude::*;
use okno_domain::contacts::ConsentPurpose;
use okno_domain::customers::Language;
use okno_domain::notifications::{
    MessageChannel, MessageStatus, NotificationEvent, SuppressionReason,
};

use crate::schema::{email_bounces, message_templates, messages, notification_preferences};
use crate::{DbConnection, DbResult, Stored, StoredOpt, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MessageRecord {
    pub id: i64,
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<NotificationEvent>)]
    pub event: NotificationEvent,
    #[diesel(deserialize_as = Stored<MessageChannel>)]
    pub channel: MessageChannel,
    #[diesel(deserialize_as = Stored<Language>)]
    pub language: Language,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    #[diesel(deserialize_as = Stored<MessageStatus>)]
    pub status: MessageStatus,
    #[diesel(deserialize_as = StoredOpt<SuppressionReason>)]
    pub suppressed_reason: Option<SuppressionReason>,
    #[diesel(deserialize_as = StoredOpt<ConsentPurpose>)]
    pub consent_needed: Option<ConsentPurpose>,
    pub invoice_id: Option<i64>,
    pub dedup_key: String,
    pub attempts: i32,
    pub next_attempt_at: Timestamp,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<Timestamp>,
    pub provider_id: Option<String>,
    pub last_error: Option<String>,
    /// The body with its secrets hidden, while the message holds them.
    pub redacted_body: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// A stored document the message carries (a complaint's answer).
    pub document_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = messages)]
pub struct NewMessageRow {
    pub customer_id: i64,
    #[diesel(serialize_as = Stored<NotificationEvent>)]
    pub event: NotificationEvent,
    #[diesel(serialize_as = Stored<MessageChannel>)]
    pub channel: MessageChannel,
    #[diesel(serialize_as = Stored<Language>)]
    pub language: Language,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    #[diesel(serialize_as = Stored<MessageStatus>)]
    pub status: MessageStatus,
    #[diesel(serialize_as = StoredOpt<SuppressionReason>)]
    pub suppressed_reason: Option<SuppressionReason>,
    #[diesel(serialize_as = StoredOpt<ConsentPurpose>)]
    pub consent_needed: Option<ConsentPurpose>,
    pub invoice_id: Option<i64>,
    pub dedup_key: String,
    pub last_error: Option<String>,
    pub redacted_body: Option<String>,
    pub next_attempt_at: Timestamp,
    pub created_at: Timestamp,
    pub document_id: Option<i64>,
}

/// What became of a delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent {
        provider_id: String,
        at: Timestamp,
    },
    /// Failed for now: tried again at `at`.
    Retry {
        error: String,
        at: Timestamp,
    },
    /// Failed for good.
    Failed {
        error: String,
    },
}

/// Which messages a list shows.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub customer_id: Option<i64>,
    pub status: Option<MessageStatus>,
    pub event: Option<NotificationEvent>,
    pub channel: Option<MessageChannel>,
    /// Messages with a smaller id (the next page, newest first).
    pub before_id: Option<i64>,
}

impl MessageRecord {
    /// Writes the messages of an event; one already written (the same `dedup_key`) is left
    /// as it is. Returns how many were new.
    pub fn insert_new(conn: &mut DbConnection, rows: Vec<NewMessageRow>) -> DbResult<usize> {
        let mut inserted = 0;
        // One by one: SQLite takes no batch insert with ON CONFLICT.
        for row in rows {
            inserted += crate::on_each_backend!(conn, |c| diesel::insert_into(messages::table)
                .values(row)
                .on_conflict_do_nothing()
                .execute(c))?;
        }
        Ok(inserted)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(messages::table.find(id).first(conn)?)
    }

    /// The e-mails carrying each of `document_ids`, with where they stand.
    pub fn emails_of_documents(
        conn: &mut DbConnection,
        document_ids: &[i64],
    ) -> DbResult<Vec<(i64, MessageStatus)>> {
        let rows: Vec<(Option<i64>, Stored<MessageStatus>)> = messages::table
            .filter(messages::document_id.eq_any(document_ids.to_vec()))
            .filter(messages::channel.eq(MessageChannel::Email.as_str()))
            .select((messages::document_id, messages::status))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(document, status)| document.map(|d| (d, status.0)))
            .collect())
    }

    /// Which of `keys` name messages written already.
    pub fn existing_keys(
        conn: &mut DbConnection,
        keys: &[String],
    ) -> DbResult<std::collections::HashSet<String>> {
        let mut found = std::collections::HashSet::new();
        for chunk in keys.chunks(1_000) {
            found.extend(
                messages::table
                    .filter(messages::dedup_key.eq_any(chunk))
                    .select(messages::dedup_key)
                    .load::<String>(conn)?,
            );
        }
        Ok(found)
    }

    /// Messages newest first, `limit` of them.
    pub fn list(
        conn: &mut DbConnection,
        filter: &MessageFilter,
        limit: usize,
    ) -> DbResult<Vec<Self>> {
        let mut query = messages::table.into_boxed();
        if let Some(customer_id) = filter.customer_id {
            query = query.filter(messages::customer_id.eq(customer_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(messages::status.eq(status.as_str()));
        }
        if let Some(event) = filter.event {
            query = query.filter(messages::event.eq(event.as_str()));
        }
        if let Some(channel) = filter.channel {
            query = query.filter(messages::channel.eq(channel.as_str()));
        }
        if let Some(before) = filter.before_id {
            query = query.filter(messages::id.lt(before));
        }
        Ok(query
            .order(messages::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }

    /// Claims up to `limit` messages of `channels` due at `now` for `worker`, counting the
    /// attempt before anything is sent: pending ones whose time has come, and ones another
    /// worker claimed before `stale_before` and never finished (it died). On PostgreSQL
    /// workers skip each other's rows; SQLite writes one transaction at a time.
    pub fn claim(
        conn: &mut DbConnection,
        worker: &str,
        channels: &[MessageChannel],
        limit: i64,
        now: Timestamp,
        stale_before: Timestamp,
    ) -> DbResult<Vec<Self>> {
        let channels: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
        crate::write_transaction(conn, |conn| {
            let due = messages::table
                .filter(messages::channel.eq_any(&channels))
                .filter(
                    messages::status
                        .eq(MessageStatus::Pending.as_str())
                        .and(messages::next_attempt_at.le(now))
                        .or(messages::status
                            .eq(MessageStatus::Sending.as_str())
                            .and(messages::claimed_at.lt(stale_before))),
                )
                .order(messages::id)
                .limit(limit)
                .select(messages::id);
            let ids: Vec<i64> = match conn {
                DbConnection::Postgresql(pg) => due.for_update().skip_locked().load(pg)?,
                DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
            };
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            diesel::update(messages::table.filter(messages::id.eq_any(&ids)))
                .set((
                    messages::status.eq(MessageStatus::Sending.as_str()),
                    messages::claimed_by.eq(Some(worker)),
                    messages::claimed_at.eq(Some(now)),
                    messages::attempts.eq(messages::attempts + 1),
                ))
                .execute(conn)?;
            Ok(messages::table
                .filter(messages::id.eq_any(&ids))
                .order(messages::id)
                .load(conn)?)
        })
    }

    /// Records what became of an attempt by `worker`; `false` when the message is no longer
    /// the worker's (it took too long and another worker took it over).
    pub fn finish(
        conn: &mut DbConnection,
        id: i64,
        worker: &str,
        outcome: &Delivery,
    ) -> DbResult<bool> {
        let mine = messages::table
            .filter(messages::id.eq(id))
            .filter(messages::claimed_by.eq(worker))
            .filter(messages::status.eq(MessageStatus::Sending.as_str()));
        let done = !matches!(outcome, Delivery::Retry { .. });
        let changed = match outcome {
            Delivery::Sent { provider_id, at } => diesel::update(mine)
                .set((
                    messages::status.eq(MessageStatus::Sent.as_str()),
                    messages::provider_id.eq(Some(provider_id)),
                    messages::sent_at.eq(Some(*at)),
                    messages::last_error.eq(None::<String>),
                ))
                .execute(conn)?,
            Delivery::Retry { error, at } => diesel::update(mine)
                .set((
                    messages::status.eq(MessageStatus::Pending.as_str()),
                    messages::next_attempt_at.eq(*at),
                    messages::last_error.eq(Some(error)),
                ))
                .execute(conn)?,
            Delivery::Failed { error } => diesel::update(mine)
                .set((
                    messages::status.eq(MessageStatus::Failed.as_str()),
                    messages::last_error.eq(Some(error)),
                ))
                .execute(conn)?,
        };
        if changed == 1 && done {
            Self::forget_secret(conn, id)?;
        }
        Ok(changed == 1)
    }

    /// Keeps only the redacted body of a message done with (sent or given up): its one-time
    /// code is not stored readable any longer than it had to be.
    pub fn forget_secret(conn: &mut DbConnection, id: i64) -> DbResult<()> {
        diesel::update(
            messages::table
                .filter(messages::id.eq(id))
                .filter(messages::redacted_body.is_not_null()),
        )
        .set((
            messages::body.eq(messages::redacted_body.assume_not_null()),
            messages::redacted_body.eq(None::<String>),
        ))
        .execute(conn)?;
        Ok(())
    }

    /// Puts a failed message back in the queue as if new: tried again from `now`, with
    /// every attempt ahead of it. `false` when it is not failed (any more).
    pub fn resend(conn: &mut DbConnection, id: i64, now: Timestamp) -> DbResult<bool> {
        let changed = diesel::update(
            messages::table
                .filter(messages::id.eq(id))
                .filter(messages::status.eq(MessageStatus::Failed.as_str())),
        )
        .set((
            messages::status.eq(MessageStatus::Pending.as_str()),
            messages::attempts.eq(0),
            messages::next_attempt_at.eq(now),
            messages::claimed_by.eq(None::<String>),
            messages::claimed_at.eq(None::<Timestamp>),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Suppresses the customer's pending messages that need `consent`, which was withdrawn.
    pub fn suppress_needing(
        conn: &mut DbConnection,
        customer_id: i64,
        consent: ConsentPurpose,
    ) -> DbResult<usize> {
        Ok(diesel::update(
            messages::table
                .filter(messages::customer_id.eq(customer_id))
                .filter(messages::status.eq(MessageStatus::Pending.as_str()))
                .filter(messages::consent_needed.eq(consent.as_str())),
        )
        .set((
            messages::status.eq(MessageStatus::Suppressed.as_str()),
            messages::suppressed_reason.eq(SuppressionReason::ConsentWithdrawn.as_str()),
        ))
        .execute(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = notification_preferences)]
pub struct PreferenceRecord {
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<NotificationEvent>, serialize_as = Stored<NotificationEvent>)]
    pub event: NotificationEvent,
    #[diesel(deserialize_as = Stored<MessageChannel>, serialize_as = Stored<MessageChannel>)]
    pub channel: MessageChannel,
    pub enabled: bool,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

impl PreferenceRecord {
    /// The choices the customers made; no row is the event's default.
    pub fn of_customers(conn: &mut DbConnection, customer_ids: &[i64]) -> DbResult<Vec<Self>> {
        let mut all = Vec::new();
        for chunk in customer_ids.chunks(1_000) {
            all.extend(
                notification_preferences::table
                    .filter(notification_preferences::customer_id.eq_any(chunk))
                    .load::<Self>(conn)?,
            );
        }
        Ok(all)
    }

    /// Records a choice, replacing the one before.
    pub fn set(conn: &mut DbConnection, row: Self) -> DbResult<()> {
        diesel::delete(
            notification_preferences::table
                .filter(notification_preferences::customer_id.eq(row.customer_id))
                .filter(notification_preferences::event.eq(row.event.as_str()))
                .filter(notification_preferences::channel.eq(row.channel.as_str())),
        )
        .execute(conn)?;
        crate::on_each_backend!(conn, |c| diesel::insert_into(
            notification_preferences::table
        )
        .values(row)
        .execute(c))?;
        Ok(())
    }
}

/// An administrator's wording of a message; no row is the template Okno ships.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = message_templates)]
pub struct TemplateRecord {
    #[diesel(deserialize_as = Stored<NotificationEvent>, serialize_as = Stored<NotificationEvent>)]
    pub event: NotificationEvent,
    #[diesel(deserialize_as = Stored<MessageChannel>, serialize_as = Stored<MessageChannel>)]
    pub channel: MessageChannel,
    #[diesel(deserialize_as = Stored<Language>, serialize_as = Stored<Language>)]
    pub language: Language,
    pub subject: Option<String>,
    pub body: String,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

impl TemplateRecord {
    /// Every template changed from Okno's: a few dozen rows at most.
    pub fn all(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(message_templates::table.load(conn)?)
    }

    /// Saves a template, replacing the one before.
    pub fn save(conn: &mut DbConnection, row: Self) -> DbResult<()> {
        Self::remove(conn, row.event, row.channel, row.language)?;
        crate::on_each_backend!(conn, |c| diesel::insert_into(message_templates::table)
            .values(row)
            .execute(c))?;
        Ok(())
    }

    /// Goes back to Okno's template; `false` when it was Okno's already.
    pub fn remove(
        conn: &mut DbConnection,
        event: NotificationEvent,
        channel: MessageChannel,
        language: Language,
    ) -> DbResult<bool> {
        let removed = diesel::delete(
            message_templates::table
                .filter(message_templates::event.eq(event.as_str()))
                .filter(message_templates::channel.eq(channel.as_str()))
                .filter(message_templates::language.eq(language.as_str())),
        )
        .execute(conn)?;
        Ok(removed > 0)
    }
}

/// An e-mail address the mail server refused for good.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = email_bounces)]
pub struct BounceRecord {
    /// Lower case.
    pub address: String,
    pub reason: String,
    pub message_id: Option<i64>,
    pub bounced_at: Timestamp,
}

impl BounceRecord {
    /// Flags an address; one flagged already keeps its first reason.
    pub fn flag(conn: &mut DbConnection, row: Self) -> DbResult<()> {
        let row = Self {
            address: row.address.to_lowercase(),
            ..row
        };
        crate::on_each_backend!(conn, |c| diesel::insert_into(email_bounces::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c))?;
        Ok(())
    }

    /// Which of `addresses` bounce (as stored: lower case).
    pub fn among(conn: &mut DbConnection, addresses: &[String]) -> DbResult<Vec<String>> {
        let lower: Vec<String> = addresses.iter().map(|a| a.to_lowercase()).collect();
        let mut found = Vec::new();
        for chunk in lower.chunks(1_000) {
            found.extend(
                email_bounces::table
                    .filter(email_bounces::address.eq_any(chunk))
                    .select(email_bounces::address)
                    .load::<String>(conn)?,
            );
        }
        Ok(found)
    }

    pub fn find(conn: &mut DbConnection, address: &str) -> DbResult<Self> {
        Ok(email_bounces::table
            .find(address.to_lowercase())
            .first(conn)?)
    }

    /// Flagged addresses, the latest first, `limit` of them.
    pub fn list(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<Self>> {
        Ok(email_bounces::table
            .order((email_bounces::bounced_at.desc(), email_bounces::address))
            .limit(limit)
            .load(conn)?)
    }

    /// Clears the flag of an address; `false` when it was not flagged.
    pub fn clear(conn: &mut DbConnection, address: &str) -> DbResult<bool> {
        let removed = diesel::delete(
            email_bounces::table.filter(email_bounces::address.eq(address.to_lowercase())),
        )
        .execute(conn)?;
        Ok(removed > 0)
    }
}
