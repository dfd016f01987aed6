//! Contacts with customers and the customer's timeline, assembled from every record that
//! tells part of the customer's story.

use diesel::prelude::*;
use okno_domain::contacts::{Channel, Department, Direction};

use crate::contracts::{ContractEventRecord, ContractEventWithNumber};
use crate::customers::{ConsentRecord, DisclosureRecord};
use crate::invoices::InvoiceRecord;
use crate::notifications::MessageRecord;
use crate::schema::{consents, customers, disclosures, interactions, invoices, messages, topics};
use crate::{DbConnection, DbResult, Stored, StoredOpt, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct InteractionRecord {
    pub id: i64,
    pub customer_id: i64,
    pub occurred_at: Timestamp,
    #[diesel(deserialize_as = Stored<Channel>)]
    pub channel: Channel,
    #[diesel(deserialize_as = Stored<Direction>)]
    pub direction: Direction,
    pub topic_id: Option<i64>,
    pub summary: String,
    pub outcome: Option<String>,
    pub settled_in_contact: bool,
    #[diesel(deserialize_as = StoredOpt<Department>)]
    pub department: Option<Department>,
    pub duration_seconds: Option<i32>,
    pub handled_by: String,
    pub handled_by_user_id: Option<i64>,
    pub sales_point_id: Option<i64>,
    pub created_at: Timestamp,
}

/// An interaction with the code of its topic.
pub type InteractionWithTopic = (InteractionRecord, Option<String>);

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = interactions)]
pub struct NewInteractionRow {
    pub customer_id: i64,
    pub occurred_at: Timestamp,
    #[diesel(serialize_as = Stored<Channel>)]
    pub channel: Channel,
    #[diesel(serialize_as = Stored<Direction>)]
    pub direction: Direction,
    pub topic_id: Option<i64>,
    pub summary: String,
    pub outcome: Option<String>,
    pub settled_in_contact: bool,
    #[diesel(serialize_as = StoredOpt<Department>)]
    pub department: Option<Department>,
    pub duration_seconds: Option<i32>,
    pub handled_by: String,
    pub handled_by_user_id: Option<i64>,
    pub sales_point_id: Option<i64>,
    pub created_at: Timestamp,
}

impl InteractionRecord {
    pub fn insert(
        conn: &mut DbConnection,
        row: NewInteractionRow,
    ) -> DbResult<InteractionWithTopic> {
        let record: Self = diesel::insert_into(interactions::table)
            .values(row)
            .get_result(conn)?;
        let topic_code = match record.topic_id {
            Some(topic_id) => topics::table
                .find(topic_id)
                .select(topics::code)
                .first(conn)
                .optional()?,
            None => None,
        };
        Ok((record, topic_code))
    }

    /// A customer's interactions, newest first, strictly before `before`.
    pub fn of_customer(
        conn: &mut DbConnection,
        customer_id: i64,
        before: TimelineBound,
        limit: i64,
    ) -> DbResult<Vec<InteractionWithTopic>> {
        let mut query = interactions::table
            .left_join(topics::table)
            .filter(interactions::customer_id.eq(customer_id))
            .select((interactions::all_columns, topics::code.nullable()))
            .order((interactions::occurred_at.desc(), interactions::id.desc()))
            .limit(limit)
            .into_boxed();
        query = match before {
            TimelineBound::Unbounded => query,
            TimelineBound::AtOrBefore(at) => query.filter(interactions::occurred_at.le(at)),
            TimelineBound::Before(at) => query.filter(interactions::occurred_at.lt(at)),
            TimelineBound::BeforeId(at, id) => query.filter(
                interactions::occurred_at
                    .lt(at)
                    .or(interactions::occurred_at
                        .eq(at)
                        .and(interactions::id.lt(id))),
            ),
        };
        Ok(query.load(conn)?)
    }
}

/// The kinds of timeline events, in the order they sort within one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimelineSource {
    Interaction = 0,
    ConsentGranted = 1,
    ConsentWithdrawn = 2,
    Disclosure = 3,
    CustomerCreated = 4,
    ContractEvent = 5,
    Invoice = 6,
    Message = 7,
}

impl TimelineSource {
    pub const ALL: [Self; 8] = [
        Self::Interaction,
        Self::ConsentGranted,
        Self::ConsentWithdrawn,
        Self::Disclosure,
        Self::CustomerCreated,
        Self::ContractEvent,
        Self::Invoice,
        Self::Message,
    ];

    pub fn rank(self) -> u8 {
        self as u8
    }

    pub fn from_rank(rank: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.rank() == rank)
    }
}

/// A place in the timeline, which runs newest first by (time, source, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimelinePosition {
    pub at: Timestamp,
    pub source: TimelineSource,
    pub id: i64,
}

/// What "after this position" means for one source's query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineBound {
    Unbounded,
    AtOrBefore(Timestamp),
    Before(Timestamp),
    BeforeId(Timestamp, i64),
}

impl TimelineBound {
    /// The bound on `source`'s events that continues the timeline after `position`.
    pub fn for_source(position: Option<&TimelinePosition>, source: TimelineSource) -> Self {
        match position {
            None => Self::Unbounded,
            Some(p) if source < p.source => Self::AtOrBefore(p.at),
            Some(p) if source == p.source => Self::BeforeId(p.at, p.id),
            Some(p) => Self::Before(p.at),
        }
    }

    fn admits(self, at: Timestamp, id: i64) -> bool {
        match self {
            Self::Unbounded => true,
            Self::AtOrBefore(bound) => at <= bound,
            Self::Before(bound) => at < bound,
            Self::BeforeId(bound, bound_id) => at < bound || (at == bound && id < bound_id),
        }
    }
}

/// One event of the timeline with its record.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineItem {
    Interaction(Box<InteractionWithTopic>),
    ConsentGranted(ConsentRecord),
    ConsentWithdrawn(ConsentRecord),
    Disclosure(DisclosureRecord),
    CustomerCreated {
        at: Timestamp,
        by: String,
        customer_id: i64,
    },
    ContractEvent(Box<ContractEventWithNumber>),
    Invoice(Box<InvoiceRecord>),
    /// A message to the customer.
    Message(Box<MessageRecord>),
}

impl TimelineItem {
    pub fn position(&self) -> TimelinePosition {
        let (at, source, id) = match self {
            Self::Interaction(item) => (item.0.occurred_at, TimelineSource::Interaction, item.0.id),
            Self::ConsentGranted(c) => (c.granted_at, TimelineSource::ConsentGranted, c.id),
            Self::ConsentWithdrawn(c) => (
                c.withdrawn_at.unwrap_or(c.granted_at),
                TimelineSource::ConsentWithdrawn,
                c.id,
            ),
            Self::Disclosure(d) => (d.disclosed_at, TimelineSource::Disclosure, d.id),
            Self::CustomerCreated {
                at, customer_id, ..
            } => (*at, TimelineSource::CustomerCreated, *customer_id),
            Self::ContractEvent(event) => (
                event.0.occurred_at,
                TimelineSource::ContractEvent,
                event.0.id,
            ),
            Self::Invoice(invoice) => (invoice.created_at, TimelineSource::Invoice, invoice.id),
            Self::Message(message) => (message.created_at, TimelineSource::Message, message.id),
        };
        TimelinePosition { at, source, id }
    }
}

/// A page of a customer's timeline, newest first, after `after`. Each source contributes at
/// most `limit` events; the merge keeps the newest `limit` of them.
pub fn timeline(
    conn: &mut DbConnection,
    customer_id: i64,
    after: Option<&TimelinePosition>,
    limit: i64,
) -> DbResult<Vec<TimelineItem>> {
    let bound = |source| TimelineBound::for_source(after, source);
    let mut items: Vec<TimelineItem> = InteractionRecord::of_customer(
        conn,
        customer_id,
        bound(TimelineSource::Interaction),
        limit,
    )?
    .into_iter()
    .map(|i| TimelineItem::Interaction(Box::new(i)))
    .collect();

    // Consents and disclosures are few per customer: filter them here rather than in SQL.
    let consents: Vec<ConsentRecord> = consents::table
        .filter(consents::customer_id.eq(customer_id))
        .load(conn)?;
    for consent in consents {
        if bound(TimelineSource::ConsentGranted).admits(consent.granted_at, consent.id) {
            items.push(TimelineItem::ConsentGranted(consent.clone()));
        }
        if let Some(withdrawn_at) = consent.withdrawn_at
            && bound(TimelineSource::ConsentWithdrawn).admits(withdrawn_at, consent.id)
        {
            items.push(TimelineItem::ConsentWithdrawn(consent));
        }
    }
    let disclosures: Vec<DisclosureRecord> = disclosures::table
        .filter(disclosures::customer_id.eq(customer_id))
        .load(conn)?;
    items.extend(
        disclosures
            .into_iter()
            .filter(|d| bound(TimelineSource::Disclosure).admits(d.disclosed_at, d.id))
            .map(TimelineItem::Disclosure),
    );
    let (created_at, created_by): (Timestamp, String) = customers::table
        .find(customer_id)
        .select((customers::created_at, customers::created_by))
        .first(conn)?;
    if bound(TimelineSource::CustomerCreated).admits(created_at, customer_id) {
        items.push(TimelineItem::CustomerCreated {
            at: created_at,
            by: created_by,
            customer_id,
        });
    }

    // Contract events are a handful per contract: filtered here like consents.
    items.extend(
        ContractEventRecord::of_customer(conn, customer_id)?
            .into_iter()
            .filter(|(e, _)| bound(TimelineSource::ContractEvent).admits(e.occurred_at, e.id))
            .map(|e| TimelineItem::ContractEvent(Box::new(e))),
    );

    // Invoices: one a month, the newest `limit` after the bound.
    let invoice_bound = bound(TimelineSource::Invoice);
    let mut invoices = invoices::table
        .filter(invoices::customer_id.eq(customer_id))
        .into_boxed();
    invoices = match invoice_bound {
        TimelineBound::Unbounded => invoices,
        TimelineBound::AtOrBefore(at) => invoices.filter(invoices::created_at.le(at)),
        TimelineBound::Before(at) => invoices.filter(invoices::created_at.lt(at)),
        TimelineBound::BeforeId(at, id) => invoices.filter(
            invoices::created_at
                .lt(at)
                .or(invoices::created_at.eq(at).and(invoices::id.lt(id))),
        ),
    };
    let invoices: Vec<InvoiceRecord> = invoices
        .order((invoices::created_at.desc(), invoices::id.desc()))
        .limit(limit)
        .load(conn)?;
    items.extend(
        invoices
            .into_iter()
            .map(|i| TimelineItem::Invoice(Box::new(i))),
    );

    // Messages: a few a month, the newest `limit` after the bound, like invoices.
    let mut messages = messages::table
        .filter(messages::customer_id.eq(customer_id))
        .into_boxed();
    messages = match bound(TimelineSource::Message) {
        TimelineBound::Unbounded => messages,
        TimelineBound::AtOrBefore(at) => messages.filter(messages::created_at.le(at)),
        TimelineBound::Before(at) => messages.filter(messages::created_at.lt(at)),
        TimelineBound::BeforeId(at, id) => messages.filter(
            messages::created_at
                .lt(at)
                .or(messages::created_at.eq(at).and(messages::id.lt(id))),
        ),
    };
    let messages: Vec<MessageRecord> = messages
        .order((messages::created_at.desc(), messages::id.desc()))
        .limit(limit)
        .load(conn)?;
    items.extend(
        messages
            .into_iter()
            .map(|m| TimelineItem::Message(Box::new(m))),
    );

    items.sort_by_key(|item| std::cmp::Reverse(item.position()));
    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> Timestamp {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn bounds_continue_exactly_after_the_position() {
        let position = TimelinePosition {
            at: at(10),
            source: TimelineSource::ConsentGranted,
            id: 7,
        };
        let earlier_source =
            TimelineBound::for_source(Some(&position), TimelineSource::Interaction);
        let same_source =
            TimelineBound::for_source(Some(&position), TimelineSource::ConsentGranted);
        let later_source = TimelineBound::for_source(Some(&position), TimelineSource::Disclosure);
        // Same instant: an interaction sorts after (below) a consent in the newest-first order.
        assert!(earlier_source.admits(at(10), 100));
        assert!(same_source.admits(at(10), 6));
        assert!(!same_source.admits(at(10), 7));
        assert!(!later_source.admits(at(10), 1));
        assert!(later_source.admits(at(9), 1));
        assert!(TimelineBound::for_source(None, TimelineSource::Disclosure).admits(at(23), 1));
    }
}
