//! Contacts with a customer and the customer's whole history in time order.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

use okno_api_types::interactions::{
    Interaction, MyContact, NewInteraction, TimelineEntry, TimelineEvent, TimelineQuery,
};
use okno_api_types::reference::LocalizedName;
use okno_api_types::{Direction, Page, PageQuery};
use okno_db::DbConnection;
use okno_db::interactions::{
    InteractionRecord, InteractionWithTopic, NewInteractionRow, TimelineBound, TimelineItem,
    TimelinePosition, TimelineSource, timeline,
};
use okno_db::reference::TopicRecord;
use okno_domain::contacts::{OUTCOME_MAX_CHARS, SUMMARY_MAX_CHARS};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::auth::principal::SUBSCRIBER_RECORDED_AS;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{decode_cursor, encode_cursor, fetch_size, limit, page};
use crate::reference::topic_to_api;
use crate::time::{from_db, to_db};

const INTERACTIONS_CURSOR: &str = "interactions";
const TIMELINE_CURSOR: &str = "timeline";
/// Clocks of phones and PCs drift; a contact "in the future" by less than this is accepted.
const CLOCK_SKEW_MINUTES: i64 = 5;
const MAX_DURATION_SECONDS: i32 = 24 * 3600;

fn to_api((record, topic_code): InteractionWithTopic) -> Interaction {
    Interaction {
        id: record.id,
        customer_id: record.customer_id,
        occurred_at: from_db(record.occurred_at),
        channel: record.channel,
        direction: record.direction,
        topic_id: record.topic_id,
        topic_code,
        summary: record.summary,
        outcome: record.outcome,
        settled_in_contact: record.settled_in_contact,
        department: record.department,
        duration_seconds: record.duration_seconds,
        handled_by: record.handled_by,
        handled_by_user_id: record.handled_by_user_id,
        sales_point_id: record.sales_point_id,
    }
}

/// Registers a contact with a customer, checked and audited, in one transaction.
pub fn register(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    input: &NewInteraction,
    now: DateTime<Utc>,
) -> ApiResult<Interaction> {
    let mut v = Validator::new();
    let summary = v.text("summary", &input.summary, SUMMARY_MAX_CHARS);
    let outcome = v.optional_text("outcome", input.outcome.as_deref(), OUTCOME_MAX_CHARS);
    if input
        .duration_seconds
        .is_some_and(|d| !(0..=MAX_DURATION_SECONDS).contains(&d))
    {
        v.fail(
            "duration_seconds",
            FieldErrorCode::OutOfRange,
            format!("must be between 0 and {MAX_DURATION_SECONDS}"),
        );
    }
    let occurred_at = input
        .occurred_at
        .map_or(now, crate::state::truncate_to_micros);
    if occurred_at > now + Duration::minutes(CLOCK_SKEW_MINUTES) {
        v.fail(
            "occurred_at",
            FieldErrorCode::InFuture,
            "a contact cannot take place in the future",
        );
    }
    okno_db::write_transaction(conn, |conn| {
        super::find(conn, customer_id)?;
        if let Some(topic_id) = input.topic_id {
            match TopicRecord::find(conn, topic_id) {
                Ok(topic) if topic.active => {}
                Ok(_) => v.fail(
                    "topic_id",
                    FieldErrorCode::Inactive,
                    "this topic is retired",
                ),
                Err(okno_db::DbError::NotFound) => v.fail(
                    "topic_id",
                    FieldErrorCode::UnknownReference,
                    format!("there is no topic {topic_id}"),
                ),
                Err(e) => return Err(e.into()),
            }
        }
        v.finish()?;
        let by = principal.recorded_by();
        let row = NewInteractionRow {
            customer_id,
            occurred_at: to_db(occurred_at),
            channel: input.channel,
            direction: input.direction.unwrap_or(Direction::Inbound),
            topic_id: input.topic_id,
            summary,
            outcome,
            settled_in_contact: input.settled_in_contact,
            department: input.department,
            duration_seconds: input.duration_seconds,
            handled_by: by.label,
            handled_by_user_id: by.user_id,
            sales_point_id: principal.sales_point_id,
            created_at: to_db(now),
        };
        let interaction = InteractionRecord::insert(conn, row)?;
        audit::record(
            conn,
            principal,
            "interaction.create",
            Some(customer_id),
            None,
            now,
        )?;
        Ok(to_api(interaction))
    })
}

fn invalid_cursor() -> ApiError {
    ApiError::field(
        "cursor",
        FieldErrorCode::InvalidValue,
        "is not a cursor of this list",
    )
}

fn micros_to_db(micros: &str) -> ApiResult<chrono::NaiveDateTime> {
    micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .map(to_db)
        .ok_or_else(invalid_cursor)
}

/// A page of a customer's interactions, newest first.
pub fn page_of(
    conn: &mut DbConnection,
    customer_id: i64,
    query: &PageQuery,
) -> ApiResult<Page<Interaction>> {
    let limit = limit(query.limit)?;
    let bound = match query.cursor.as_deref() {
        Some(cursor) => {
            let key = decode_cursor(cursor, INTERACTIONS_CURSOR)?;
            let (micros, id) = key.split_once(':').ok_or_else(invalid_cursor)?;
            TimelineBound::BeforeId(
                micros_to_db(micros)?,
                id.parse().map_err(|_| invalid_cursor())?,
            )
        }
        None => TimelineBound::Unbounded,
    };
    super::find(conn, customer_id)?;
    let rows = InteractionRecord::of_customer(conn, customer_id, bound, fetch_size(limit))?;
    let cursor_of = |(r, _): &InteractionWithTopic| {
        encode_cursor(&format!(
            "{INTERACTIONS_CURSOR}:{}:{}",
            r.occurred_at.and_utc().timestamp_micros(),
            r.id
        ))
    };
    Ok(page(rows, limit, cursor_of, to_api))
}

/// The customer's own contacts, as the cabinet shows them: no staff notes or staff ids.
pub fn page_for_customer(
    conn: &mut DbConnection,
    customer_id: i64,
    query: &PageQuery,
) -> ApiResult<Page<MyContact>> {
    let page = page_of(conn, customer_id, query)?;
    let topics: HashMap<i64, LocalizedName> = TopicRecord::list(conn)?
        .into_iter()
        .map(|t| (t.id, topic_to_api(t).name))
        .collect();
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|i| MyContact {
                id: i.id,
                occurred_at: i.occurred_at,
                channel: i.channel,
                direction: i.direction,
                topic: i.topic_id.and_then(|id| topics.get(&id).cloned()),
                settled_in_contact: i.settled_in_contact,
                department: i.department,
                by_customer: i.handled_by_user_id.is_none()
                    && i.handled_by == SUBSCRIBER_RECORDED_AS,
            })
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// Staff read of a page of a customer's contacts, audited.
pub fn read_page(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    query: &PageQuery,
    now: DateTime<Utc>,
) -> ApiResult<Page<Interaction>> {
    let page = page_of(conn, customer_id, query)?;
    audit::record_access(
        conn,
        principal,
        "customer.interactions.read",
        Some(customer_id),
        None,
        now,
    )?;
    Ok(page)
}

/// The customer's history, newest first, a page at a time; the read is audited.
pub fn timeline_page(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    query: &TimelineQuery,
    now: DateTime<Utc>,
) -> ApiResult<Page<TimelineEntry>> {
    let limit = limit(query.limit)?;
    let after = decode_timeline_cursor(query.cursor.as_deref())?;
    super::find(conn, customer_id)?;
    let items = timeline(conn, customer_id, after.as_ref(), fetch_size(limit))?;
    audit::record_access(
        conn,
        principal,
        "customer.timeline.read",
        Some(customer_id),
        None,
        now,
    )?;
    let cursor_of = |item: &TimelineItem| {
        let p = item.position();
        encode_cursor(&format!(
            "{TIMELINE_CURSOR}:{}:{}:{}",
            p.at.and_utc().timestamp_micros(),
            p.source.rank(),
            p.id
        ))
    };
    Ok(page(items, limit, cursor_of, timeline_entry))
}

fn timeline_entry(item: TimelineItem) -> TimelineEntry {
    match item {
        TimelineItem::Interaction(boxed) => {
            let interaction = to_api(*boxed);
            TimelineEntry {
                at: interaction.occurred_at,
                event: TimelineEvent::Interaction { interaction },
            }
        }
        TimelineItem::ConsentGranted(c) => TimelineEntry {
            at: from_db(c.granted_at),
            event: TimelineEvent::ConsentGranted {
                consent_id: c.id,
                purpose: c.purpose,
                channel: c.granted_channel,
                by: c.granted_by,
            },
        },
        TimelineItem::ConsentWithdrawn(c) => TimelineEntry {
            at: from_db(c.withdrawn_at.unwrap_or(c.granted_at)),
            event: TimelineEvent::ConsentWithdrawn {
                consent_id: c.id,
                purpose: c.purpose,
                channel: c.withdrawn_channel.unwrap_or(c.granted_channel),
                by: c.withdrawn_by.unwrap_or_default(),
            },
        },
        TimelineItem::Disclosure(d) => TimelineEntry {
            at: from_db(d.disclosed_at),
            event: TimelineEvent::Disclosure {
                disclosure_id: d.id,
                recipient: d.recipient,
            },
        },
        TimelineItem::ContractEvent(boxed) => {
            let (event, number) = *boxed;
            TimelineEntry {
                at: from_db(event.occurred_at),
                event: TimelineEvent::Contract {
                    contract_id: event.contract_id,
                    number,
                    action: event.action,
                    to_status: event.to_status,
                    detail: event.detail,
                    by: event.recorded_by,
                },
            }
        }
        TimelineItem::Invoice(invoice) => TimelineEntry {
            at: from_db(invoice.created_at),
            event: TimelineEvent::Invoice {
                invoice_id: invoice.id,
                number: invoice.number,
                invoice_kind: invoice.kind,
                period: invoice.period,
                gross_minor: invoice.gross_minor,
                currency: invoice.currency,
            },
        },
        TimelineItem::Message(message) => TimelineEntry {
            at: from_db(message.created_at),
            event: TimelineEvent::Message {
                message_id: message.id,
                event: message.event,
                channel: message.channel,
                status: message.status,
                suppressed_reason: message.suppressed_reason,
                subject: message.subject,
            },
        },
        TimelineItem::CustomerCreated { at, by, .. } => TimelineEntry {
            at: from_db(at),
            event: TimelineEvent::CustomerCreated { by },
        },
    }
}

fn decode_timeline_cursor(cursor: Option<&str>) -> ApiResult<Option<TimelinePosition>> {
    cursor
        .map(|cursor| {
            let key = decode_cursor(cursor, TIMELINE_CURSOR)?;
            let mut parts = key.splitn(3, ':');
            let (Some(micros), Some(rank), Some(id)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(invalid_cursor());
            };
            let source = rank
                .parse()
                .ok()
                .and_then(TimelineSource::from_rank)
                .ok_or_else(invalid_cursor)?;
            Ok(TimelinePosition {
                at: micros_to_db(micros)?,
                source,
                id: id.parse().map_err(|_| invalid_cursor())?,
            })
        })
        .transpose()
}
