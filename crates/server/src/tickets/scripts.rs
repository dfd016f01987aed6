//! Diagnostic scripts: admins keep them as versions; an operator walks one with the
//! customer on the card, the checks answered from the customer's data, and the path taken
//! (questions, answers, times, the version) is kept on the walk and the ticket it leads to.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{
    Script, ScriptInput, ScriptRun, ScriptStepInput, ScriptSummary, StartScriptRun,
};
use okno_db::tickets::{
    DepartmentRecord, NewScriptRow, NewScriptRunRow, ScriptRecord, ScriptRunRecord,
    ScriptVersionRecord, TicketFilter, TicketRecord, interaction_customer, open_statuses,
    suspended_for_debt,
};
use okno_db::{DbConnection, DbError};
use okno_domain::tickets::scripts::{
    Input, PathStep, Position, ScriptBody, ScriptCheck, ScriptOutcome,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::Actor;
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::time::{from_db, to_db};

fn summary(record: &ScriptRecord) -> ScriptSummary {
    ScriptSummary {
        id: record.id,
        name: record.name.clone(),
        category: record.category,
        active: record.active,
        version: record.current_version,
        updated_at: from_db(record.updated_at),
        updated_by: record.updated_by.clone(),
    }
}

fn body_of(version: &ScriptVersionRecord) -> ApiResult<ScriptBody> {
    serde_json::from_str(&version.body)
        .map_err(|e| ApiError::Internal(format!("script version {}: {e}", version.id)))
}

fn script_view(record: &ScriptRecord, version: &ScriptVersionRecord) -> ApiResult<Script> {
    Ok(Script {
        summary: ScriptSummary {
            version: version.version,
            ..summary(record)
        },
        body: body_of(version)?,
    })
}

fn find(conn: &mut DbConnection, id: i64) -> ApiResult<ScriptRecord> {
    ScriptRecord::find(conn, id).or_not_found(ErrorCode::ScriptNotFound, format!("script {id}"))
}

pub fn list(conn: &mut DbConnection) -> ApiResult<Vec<ScriptSummary>> {
    Ok(ScriptRecord::all(conn)?.iter().map(summary).collect())
}

/// A script as of `version` (the current one when absent).
pub fn get(conn: &mut DbConnection, id: i64, version: Option<i32>) -> ApiResult<Script> {
    let record = find(conn, id)?;
    let version =
        ScriptVersionRecord::of_script(conn, id, version.unwrap_or(record.current_version))
            .or_not_found(
                ErrorCode::ScriptNotFound,
                format!("script {id} in this version"),
            )?;
    script_view(&record, &version)
}

fn checked(conn: &mut DbConnection, input: &ScriptInput) -> ApiResult<(String, String)> {
    let mut v = Validator::new();
    let name = v.text("name", &input.name, 200);
    let departments = DepartmentRecord::active_codes(conn)?;
    input.body.validate(&mut v, "body", &departments);
    v.finish()?;
    let body = serde_json::to_string(&input.body)
        .map_err(|e| ApiError::Internal(format!("a script body: {e}")))?;
    Ok((name, body))
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &ScriptInput,
    now: DateTime<Utc>,
) -> ApiResult<Script> {
    let (name, body) = checked(conn, input)?;
    let (record, version) = ScriptRecord::insert(
        conn,
        NewScriptRow {
            name,
            category: input.category,
            active: input.active.unwrap_or(true),
            current_version: 1,
            updated_at: to_db(now),
            updated_by: Actor::of(principal).label,
        },
        body,
    )?;
    audit::record(
        conn,
        principal,
        "script.create",
        None,
        Some(record.name.clone()),
        now,
    )?;
    script_view(&record, &version)
}

/// Saves a new version; the walks already recorded keep the version they followed.
pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    input: &ScriptInput,
    now: DateTime<Utc>,
) -> ApiResult<Script> {
    find(conn, id)?;
    let (name, body) = checked(conn, input)?;
    let (record, version) = ScriptRecord::new_version(
        conn,
        id,
        NewScriptRow {
            name,
            category: input.category,
            active: input.active.unwrap_or(true),
            current_version: 0,
            updated_at: to_db(now),
            updated_by: Actor::of(principal).label,
        },
        body,
    )?;
    audit::record(
        conn,
        principal,
        "script.update",
        None,
        Some(format!("{} v{}", record.name, version.version)),
        now,
    )?;
    script_view(&record, &version)
}

/// The answer to a script's check about this customer, from their data.
fn answer(conn: &mut DbConnection, customer_id: i64, check: ScriptCheck) -> ApiResult<bool> {
    Ok(match check {
        ScriptCheck::ServiceSuspendedForDebt => suspended_for_debt(conn, customer_id)?,
        ScriptCheck::OpenIncidentAtAddress => {
            !super::outages::of_customer(conn, customer_id)?.is_empty()
        }
        ScriptCheck::HasOpenTicket => !TicketRecord::list(
            conn,
            &TicketFilter {
                customer_id: Some(customer_id),
                statuses: open_statuses(),
                ..TicketFilter::default()
            },
            1,
        )?
        .is_empty(),
    })
}

/// The answers of every check, found before walking (the walk itself is pure).
fn answers(conn: &mut DbConnection, customer_id: i64) -> ApiResult<Vec<(ScriptCheck, bool)>> {
    ScriptCheck::all()
        .map(|check| Ok((check, answer(conn, customer_id, check)?)))
        .collect()
}

fn checker(answers: Vec<(ScriptCheck, bool)>) -> impl Fn(ScriptCheck) -> bool {
    move |check| answers.iter().any(|(c, yes)| *c == check && *yes)
}

fn json<T: serde::Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))
}

fn stored(position: &Position) -> ApiResult<(Option<String>, Option<String>)> {
    Ok(match position {
        Position::At(node) => (Some(node.clone()), None),
        Position::Finished(outcome) => (None, Some(json(outcome)?)),
    })
}

pub fn run_view(conn: &mut DbConnection, run: ScriptRunRecord) -> ApiResult<ScriptRun> {
    let version = ScriptVersionRecord::find(conn, run.script_version_id)?;
    let script = ScriptRecord::find(conn, version.script_id)?;
    let body = body_of(&version)?;
    let path: Vec<PathStep> = serde_json::from_str(&run.path)
        .map_err(|e| ApiError::Internal(format!("script run {}: {e}", run.id)))?;
    let outcome: Option<ScriptOutcome> = match &run.outcome {
        Some(text) => Some(
            serde_json::from_str(text)
                .map_err(|e| ApiError::Internal(format!("script run {}: {e}", run.id)))?,
        ),
        None => None,
    };
    Ok(ScriptRun {
        id: run.id,
        script_id: script.id,
        script_name: script.name,
        version: version.version,
        customer_id: run.customer_id,
        ticket_id: run.ticket_id,
        interaction_id: run.interaction_id,
        path,
        current: run
            .current_node
            .as_deref()
            .and_then(|id| body.node(id))
            .cloned(),
        outcome,
        started_by: run.started_by,
        started_at: from_db(run.started_at),
        finished_at: run.finished_at.map(from_db),
    })
}

/// Starts a walk of a script's current version with a customer.
pub fn start(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    input: &StartScriptRun,
    now: DateTime<Utc>,
) -> ApiResult<ScriptRun> {
    crate::customers::find(conn, customer_id)?;
    let script = match ScriptRecord::find(conn, input.script_id) {
        Ok(found) if found.active => found,
        Ok(_) => {
            return Err(ApiError::field(
                "script_id",
                FieldErrorCode::Inactive,
                "this script is retired",
            ));
        }
        Err(DbError::NotFound) => {
            return Err(ApiError::field(
                "script_id",
                FieldErrorCode::UnknownReference,
                "no such script",
            ));
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(id) = input.interaction_id {
        match interaction_customer(conn, id) {
            Ok(found) if found == customer_id => {}
            Ok(_) | Err(DbError::NotFound) => {
                return Err(ApiError::field(
                    "interaction_id",
                    FieldErrorCode::UnknownReference,
                    "not a contact with this customer",
                ));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let version = ScriptVersionRecord::of_script(conn, script.id, script.current_version)?;
    let body = body_of(&version)?;
    let check = checker(answers(conn, customer_id)?);
    let (path, position) = body.start(check, now)?;
    let (current_node, outcome) = stored(&position)?;
    let finished = matches!(position, Position::Finished(_)).then(|| to_db(now));
    let run = ScriptRunRecord::insert(
        conn,
        NewScriptRunRow {
            script_version_id: version.id,
            customer_id,
            interaction_id: input.interaction_id,
            path: json(&path)?,
            current_node,
            outcome,
            started_by: Actor::of(principal).label,
            started_at: to_db(now),
            finished_at: finished,
        },
    )?;
    audit::record_access(
        conn,
        principal,
        "script.walk",
        Some(customer_id),
        Some(script.name),
        now,
    )?;
    run_view(conn, run)
}

pub fn get_run(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<ScriptRun> {
    let run = ScriptRunRecord::find(conn, id)
        .or_not_found(ErrorCode::ScriptRunNotFound, format!("script walk {id}"))?;
    audit::record_read(conn, principal, "script.walk.read", [run.customer_id], now)?;
    run_view(conn, run)
}

pub fn of_customer(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<ScriptRun>> {
    let runs = ScriptRunRecord::of_customer(conn, customer_id)?;
    audit::record_read(conn, principal, "script.walk.list", [customer_id], now)?;
    runs.into_iter().map(|run| run_view(conn, run)).collect()
}

/// Takes the operator's step and walks on; the version walked is the one the walk started on.
pub fn step(
    conn: &mut DbConnection,
    id: i64,
    input: &ScriptStepInput,
    now: DateTime<Utc>,
) -> ApiResult<ScriptRun> {
    let run = ScriptRunRecord::find(conn, id)
        .or_not_found(ErrorCode::ScriptRunNotFound, format!("script walk {id}"))?;
    let Some(at) = run.current_node.clone() else {
        return Err(ApiError::Conflict(
            ErrorCode::ScriptRunFinished,
            "the walk is finished".into(),
            Vec::new(),
        ));
    };
    let version = ScriptVersionRecord::find(conn, run.script_version_id)?;
    let body = body_of(&version)?;
    let given = match input.answer {
        Some(index) => Input::Answer(usize::try_from(index).unwrap_or(usize::MAX)),
        None => Input::Done,
    };
    let check = checker(answers(conn, run.customer_id)?);
    let (steps, position) = body.advance(&Position::At(at.clone()), given, check, now)?;
    let mut path: Vec<PathStep> = serde_json::from_str(&run.path)
        .map_err(|e| ApiError::Internal(format!("script run {id}: {e}")))?;
    path.extend(steps);
    let (current_node, outcome) = stored(&position)?;
    let finished = outcome.is_some().then(|| to_db(now));
    if !ScriptRunRecord::advance(conn, id, &at, json(&path)?, current_node, outcome, finished)? {
        return Err(ApiError::Conflict(
            ErrorCode::ScriptRunFinished,
            "the walk moved on meanwhile; reload it".into(),
            Vec::new(),
        ));
    }
    let run = ScriptRunRecord::find(conn, id)?;
    run_view(conn, run)
}
