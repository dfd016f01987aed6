//! The calendar deadlines count on: weekends, the Polish statutory holidays the code knows,
//! and the days administrators load per jurisdiction (a Russian government's decree moving
//! days off, an extra holiday).

use chrono::{Datelike, Duration, NaiveDate};
use okno_api_types::complaints::{CalendarListing, CalendarYear, ListedCalendarDay};
use okno_db::complaints::{CalendarDayRecord, CalendarDayRow};
use okno_db::{DbConnection, write_transaction};
use okno_domain::calendar::is_polish_public_holiday;
use okno_domain::complaints::{Calendar, CalendarDayKind, Jurisdiction};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::ApiResult;

/// The calendar of `jurisdiction` as loaded now.
pub fn load(conn: &mut DbConnection, jurisdiction: Jurisdiction) -> ApiResult<Calendar> {
    let rows = CalendarDayRecord::of(conn, jurisdiction)?;
    Ok(Calendar::new(
        jurisdiction,
        rows.into_iter().map(|r| (r.day, r.kind)),
    ))
}

/// The days of a year: those loaded, and for Poland the statutory holidays the code knows.
pub fn listing(
    conn: &mut DbConnection,
    jurisdiction: Jurisdiction,
    year: i32,
) -> ApiResult<CalendarListing> {
    let mut days: Vec<ListedCalendarDay> = CalendarDayRecord::of(conn, jurisdiction)?
        .into_iter()
        .filter(|r| r.day.year() == year)
        .map(|r| ListedCalendarDay {
            day: r.day,
            kind: r.kind,
            name: r.name,
            built_in: false,
        })
        .collect();
    if jurisdiction == Jurisdiction::Pl
        && let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1)
    {
        let mut day = first;
        while day.year() == year {
            if is_polish_public_holiday(day) && !days.iter().any(|d| d.day == day) {
                days.push(ListedCalendarDay {
                    day,
                    kind: CalendarDayKind::Holiday,
                    name: "Święto ustawowe".into(),
                    built_in: true,
                });
            }
            day += Duration::days(1);
        }
    }
    days.sort_by_key(|d| d.day);
    Ok(CalendarListing { jurisdiction, days })
}

/// Replaces a year of a jurisdiction's loaded days. Every day must be of `year`, once; a
/// running complaint keeps the deadlines it was given.
pub fn replace_year(
    conn: &mut DbConnection,
    principal: &Principal,
    jurisdiction: Jurisdiction,
    year: i32,
    input: &CalendarYear,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<CalendarListing> {
    let mut v = Validator::new();
    if !(2000..=2100).contains(&year) {
        v.fail(
            "year",
            FieldErrorCode::OutOfRange,
            "a year from 2000 to 2100",
        );
    }
    v.at_most("days", &input.days, 366);
    let mut rows = Vec::with_capacity(input.days.len());
    for (index, day) in input.days.iter().enumerate() {
        let field = |name: &str| format!("days[{index}].{name}");
        if day.day.year() != year {
            v.fail(
                field("day"),
                FieldErrorCode::InvalidValue,
                format!("not a day of {year}"),
            );
        }
        if input.days.iter().take(index).any(|d| d.day == day.day) {
            v.fail(field("day"), FieldErrorCode::Duplicate, "listed twice");
        }
        let name = v.text(&field("name"), &day.name, 200);
        rows.push(CalendarDayRow {
            jurisdiction,
            day: day.day,
            kind: day.kind,
            name,
        });
    }
    v.finish()?;
    write_transaction(conn, |conn| {
        let count = CalendarDayRecord::replace_year(conn, jurisdiction, year, rows)?;
        audit::record(
            conn,
            principal,
            "calendar.replace",
            None,
            Some(format!("{jurisdiction} {year}: {count} days")),
            now,
        )?;
        listing(conn, jurisdiction, year)
    })
}
