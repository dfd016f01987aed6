//! Complaint monitoring (R-46, seed 003 slide 8): deadlines, the topic rating with its trend,
//! repeat complaints, the share decided on time, and preventive measures per topic.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::complaints::{
    ComplaintMonitoring, DeadlineBoard, MeasureDone, NewPreventiveMeasure, PreventiveMeasure,
    TopicRating,
};
use okno_db::complaints::{ComplaintRecord, MeasureRecord, NewMeasureRow};
use okno_db::reference::TopicRecord;
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::complaints::{
    ComplaintOutcome, ComplaintStatus, days_left, on_time_percent, previous_period, trend_percent,
};
use okno_domain::customers::Language;
use okno_domain::validation::{FieldErrorCode, Validator};

use super::Desk;
use super::reads::{customer_names, summary};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiResult, NotFoundExt};
use crate::time::to_db;

fn topic_name(topic: &TopicRecord, language: Language) -> String {
    match language {
        Language::Pl => topic.name_pl.clone(),
        Language::Ru => topic.name_ru.clone(),
        Language::En => None,
    }
    .unwrap_or_else(|| topic.name_en.clone())
}

fn topic_map(conn: &mut DbConnection) -> ApiResult<HashMap<i64, TopicRecord>> {
    Ok(TopicRecord::list(conn)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect())
}

fn board(undecided: &[ComplaintRecord], today: NaiveDate) -> DeadlineBoard {
    let mut board = DeadlineBoard {
        overdue: 0,
        due_today: 0,
        due_tomorrow: 0,
        due_this_week: 0,
        later: 0,
        awaiting_approval: 0,
        acknowledgement_overdue: 0,
    };
    for c in undecided {
        match days_left(today, c.decide_by) {
            ..0 => board.overdue += 1,
            0 => board.due_today += 1,
            1 => board.due_tomorrow += 1,
            2..=7 => board.due_this_week += 1,
            _ => board.later += 1,
        }
        if c.status == ComplaintStatus::AwaitingApproval {
            board.awaiting_approval += 1;
        }
        if c.acknowledged_at.is_none() && c.acknowledge_by < today {
            board.acknowledgement_overdue += 1;
        }
    }
    board
}

/// The monitoring of `from..=to` (the last 30 days by default), in `language`'s topic names.
pub fn monitoring(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    period: (Option<NaiveDate>, Option<NaiveDate>),
    language: Language,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintMonitoring> {
    let today = desk.local_day(now);
    let to = period.1.unwrap_or(today);
    let from = period.0.unwrap_or(to - Duration::days(29));
    if to < from {
        return Err(crate::error::ApiError::field(
            "to",
            FieldErrorCode::InvalidRange,
            "the period ends before it starts",
        ));
    }
    let topics = topic_map(conn)?;
    let current = ComplaintRecord::received_between(conn, from, to)?;
    let (previous_from, previous_to) = previous_period(from, to);
    let previous = ComplaintRecord::received_between(conn, previous_from, previous_to)?;
    let mut counts: BTreeMap<Option<i64>, (u64, u64)> = BTreeMap::new();
    for c in &current {
        counts.entry(c.topic_id).or_default().0 += 1;
    }
    for c in &previous {
        if let Some(entry) = counts.get_mut(&c.topic_id) {
            entry.1 += 1;
        }
    }
    let mut ratings: Vec<TopicRating> = counts
        .into_iter()
        .map(|(topic_id, (count, previous_count))| TopicRating {
            topic_id,
            topic: topic_id
                .and_then(|id| topics.get(&id))
                .map(|t| topic_name(t, language))
                .unwrap_or_else(|| "—".into()),
            count,
            previous_count,
            trend_percent: trend_percent(count, previous_count),
        })
        .collect();
    ratings.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.topic.cmp(&b.topic)));

    let decided: Vec<&ComplaintRecord> = current
        .iter()
        .filter(|c| c.status == ComplaintStatus::Decided)
        .collect();
    let deemed = decided
        .iter()
        .filter(|c| c.outcome == Some(ComplaintOutcome::DeemedAccepted))
        .count();
    let on_time = decided
        .iter()
        .filter(|c| {
            c.outcome != Some(ComplaintOutcome::DeemedAccepted)
                && c.decided_at
                    .is_some_and(|at| desk.local_time(at).date() <= c.decide_by)
        })
        .count();
    let repeats: Vec<&ComplaintRecord> = current.iter().filter(|c| c.repeat_of.is_some()).collect();
    let repeat_records: Vec<ComplaintRecord> = repeats.iter().map(|c| (*c).clone()).collect();
    let names = customer_names(conn, &repeat_records)?;
    audit::record_read(
        conn,
        principal,
        "complaint.monitoring",
        repeat_records.iter().map(|r| r.customer_id),
        now,
    )?;
    let undecided = ComplaintRecord::undecided(conn)?;
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Ok(ComplaintMonitoring {
        from,
        to,
        deadlines: board(&undecided, today),
        topics: ratings,
        repeats: repeat_records
            .iter()
            .map(|r| {
                summary(
                    r,
                    names.get(&r.customer_id).cloned().unwrap_or_default(),
                    today,
                )
            })
            .collect(),
        decided: count(decided.len()),
        decided_on_time: count(on_time),
        on_time_percent: on_time_percent(count(on_time), count(decided.len())),
        deemed_accepted: count(deemed),
        measures: measures(conn, language)?,
    })
}

/// Every preventive measure, open ones first by their day.
pub fn measures(conn: &mut DbConnection, language: Language) -> ApiResult<Vec<PreventiveMeasure>> {
    let topics = topic_map(conn)?;
    Ok(MeasureRecord::list(conn)?
        .into_iter()
        .map(|m| measure_view(m, &topics, language))
        .collect())
}

fn measure_view(
    m: MeasureRecord,
    topics: &HashMap<i64, TopicRecord>,
    language: Language,
) -> PreventiveMeasure {
    PreventiveMeasure {
        id: m.id,
        topic_id: m.topic_id,
        topic: topics
            .get(&m.topic_id)
            .map(|t| topic_name(t, language))
            .unwrap_or_default(),
        description: m.description,
        owner: m.owner,
        due_on: m.due_on,
        done_on: m.done_on,
        recorded_by: m.recorded_by,
    }
}

pub fn add_measure(
    conn: &mut DbConnection,
    principal: &Principal,
    request: &NewPreventiveMeasure,
    language: Language,
    now: DateTime<Utc>,
) -> ApiResult<PreventiveMeasure> {
    write_transaction(conn, |conn| {
        let mut v = Validator::new();
        let description = v.text("description", &request.description, 1000);
        let owner = v.text("owner", &request.owner, 200);
        match TopicRecord::find(conn, request.topic_id) {
            Ok(_) => {}
            Err(DbError::NotFound) => v.fail(
                "topic_id",
                FieldErrorCode::UnknownReference,
                "no such topic",
            ),
            Err(other) => return Err(other.into()),
        }
        v.finish()?;
        let record = MeasureRecord::insert(
            conn,
            NewMeasureRow {
                topic_id: request.topic_id,
                description,
                owner,
                due_on: request.due_on,
                recorded_by: principal.recorded_by().label,
                created_at: to_db(now),
            },
        )?;
        audit::record(
            conn,
            principal,
            "complaint_measure.add",
            None,
            Some(record.id.to_string()),
            now,
        )?;
        let topics = topic_map(conn)?;
        Ok(measure_view(record, &topics, language))
    })
}

pub fn mark_measure(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    request: &MeasureDone,
    language: Language,
    now: DateTime<Utc>,
) -> ApiResult<PreventiveMeasure> {
    write_transaction(conn, |conn| {
        MeasureRecord::find(conn, id)
            .or_not_found(ErrorCode::MeasureNotFound, format!("measure {id}"))?;
        let record = MeasureRecord::set_done(conn, id, request.done_on)?;
        audit::record(
            conn,
            principal,
            "complaint_measure.done",
            None,
            Some(id.to_string()),
            now,
        )?;
        let topics = topic_map(conn)?;
        Ok(measure_view(record, &topics, language))
    })
}
