//! The departments tickets are routed to: a list admins keep.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::reference::LocalizedName;
use okno_api_types::tickets::{DepartmentChange, DepartmentEntry, NewDepartment};
use okno_db::DbConnection;
use okno_db::tickets::DepartmentRecord;
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};

fn view(record: DepartmentRecord) -> DepartmentEntry {
    DepartmentEntry {
        code: record.code,
        name: LocalizedName {
            en: record.name_en,
            pl: record.name_pl,
            ru: record.name_ru,
        },
        active: record.active,
        position: record.position,
    }
}

pub fn list(conn: &mut DbConnection) -> ApiResult<Vec<DepartmentEntry>> {
    Ok(DepartmentRecord::all(conn)?.into_iter().map(view).collect())
}

/// An active department's code, or a 422 naming `field`.
pub fn require_active(conn: &mut DbConnection, field: &str, code: &str) -> ApiResult<String> {
    match DepartmentRecord::find(conn, code) {
        Ok(found) if found.active => Ok(found.code),
        Ok(_) => Err(ApiError::field(
            field,
            FieldErrorCode::Inactive,
            "this department takes no new tickets",
        )),
        Err(okno_db::DbError::NotFound) => Err(ApiError::field(
            field,
            FieldErrorCode::UnknownReference,
            "no department has this code",
        )),
        Err(other) => Err(other.into()),
    }
}

fn names(v: &mut Validator, name: &LocalizedName) -> (String, Option<String>, Option<String>) {
    (
        v.text("name.en", &name.en, 200),
        v.optional_text("name.pl", name.pl.as_deref(), 200),
        v.optional_text("name.ru", name.ru.as_deref(), 200),
    )
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewDepartment,
    now: DateTime<Utc>,
) -> ApiResult<DepartmentEntry> {
    let mut v = Validator::new();
    let code = v.code("code", &input.code);
    let (name_en, name_pl, name_ru) = names(&mut v, &input.name);
    v.finish()?;
    if DepartmentRecord::find(conn, &code).is_ok() {
        return Err(ApiError::Conflict(
            ErrorCode::DepartmentCodeTaken,
            format!("a department has the code {code}"),
            vec![okno_api_types::FieldError::new(
                "code",
                FieldErrorCode::Taken,
                "is already taken",
            )],
        ));
    }
    let position = DepartmentRecord::all(conn)?
        .iter()
        .map(|d| d.position)
        .max()
        .unwrap_or(0)
        .saturating_add(10);
    let created = DepartmentRecord::insert(
        conn,
        &DepartmentRecord {
            code,
            name_en,
            name_pl,
            name_ru,
            active: true,
            position,
        },
    )?;
    audit::record(
        conn,
        principal,
        "department.create",
        None,
        Some(created.code.clone()),
        now,
    )?;
    Ok(view(created))
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
    input: &DepartmentChange,
    now: DateTime<Utc>,
) -> ApiResult<DepartmentEntry> {
    let mut v = Validator::new();
    let (name_en, name_pl, name_ru) = names(&mut v, &input.name);
    if !(0..=1000).contains(&input.position) {
        v.fail("position", FieldErrorCode::OutOfRange, "0 to 1000");
    }
    v.finish()?;
    let updated = DepartmentRecord::update(
        conn,
        &DepartmentRecord {
            code: code.to_owned(),
            name_en,
            name_pl,
            name_ru,
            active: input.active,
            position: input.position,
        },
    )
    .or_not_found(ErrorCode::DepartmentNotFound, format!("department {code}"))?;
    audit::record(
        conn,
        principal,
        "department.update",
        None,
        Some(updated.code.clone()),
        now,
    )?;
    Ok(view(updated))
}
