//! Technical problems (R-50..R-53): tickets and their queues, departments and the SLA,
//! diagnostic scripts and their walks, incidents, technicians' slots and visits, and the
//! cabinet's fault reports.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use okno_api_types::Problem;
use okno_api_types::tickets::{
    Attachment, BookVisit, CabinetComment, CabinetTicket, CabinetVisit, CustomerOutage,
    DepartmentChange, DepartmentEntry, FreeSlot, Incident, IncidentDetail, IncidentQuery, MyTicket,
    MyVisit, NewAttachment, NewDepartment, NewIncident, NewSlots, NewTicket, NewTicketComment,
    ResolveIncident, Script, ScriptInput, ScriptRun, ScriptStepInput, ScriptSummary, SlaSettings,
    SlotQuery, StartScriptRun, TechnicianSlot, Ticket, TicketAssignment, TicketList, TicketQuery,
    TicketReport, TicketReportQuery, TicketRouting, TicketStatusChange, Visit, VisitQuery,
    VisitReport,
};
use okno_db::tickets::TicketRecord;
use okno_domain::tickets::TicketSource;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Authorized, Principal, perm};
use crate::error::ApiResult;
use crate::extract::{BulkJson, Json, JsonOrEmpty, Query};
use crate::state::AppState;
use crate::tickets::open::Opening;
use crate::tickets::{
    Desk, departments, find, find_own, open, outages, reads, scripts, sla, visits, work,
};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_departments)
        .service(create_department)
        .service(update_department)
        .service(get_sla)
        .service(put_sla)
        .service(list_tickets)
        .service(ticket_report)
        .service(open_ticket)
        .service(get_ticket)
        .service(change_status)
        .service(route_ticket)
        .service(assign_ticket)
        .service(comment_ticket)
        .service(attach_file)
        .service(get_attachment)
        .service(book_visit)
        .service(customer_outages)
        .service(list_scripts)
        .service(create_script)
        .service(get_script)
        .service(get_script_version)
        .service(update_script)
        .service(start_script_run)
        .service(customer_script_runs)
        .service(get_script_run)
        .service(script_step)
        .service(list_incidents)
        .service(declare_incident)
        .service(get_incident)
        .service(confirm_incident)
        .service(dismiss_incident)
        .service(resolve_incident)
        .service(list_slots)
        .service(add_slots)
        .service(day_plan)
        .service(report_visit)
        .service(cancel_visit)
        .service(my_tickets)
        .service(report_fault)
        .service(my_ticket)
        .service(comment_my_ticket)
        .service(attach_my_file)
        .service(get_my_attachment)
        .service(my_visit_slots)
        .service(book_my_visit);
}

/// After a ticket is opened: outages are looked for in a transaction of their own, so a
/// failure there never loses the ticket (the scheduled jobs look again).
async fn detect_outages(state: &AppState, desk: Desk) {
    let now = state.now();
    if let Err(error) = state
        .run(move |conn| outages::run_detection(conn, &desk, now))
        .await
    {
        tracing::warn!(%error, "outage detection after a ticket failed; the jobs will retry");
    }
}

async fn ticket_view(state: &AppState, desk: Desk, id: i64) -> ApiResult<Ticket> {
    let now = state.now();
    state
        .run(move |conn| {
            let ticket = find(conn, id)?;
            reads::view(conn, &desk, &ticket, now)
        })
        .await
}

fn created<T: serde::Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
}

// ---------------------------------------------------------------------------------------
// Departments and the SLA

/// The departments tickets are routed to, in their order.
#[utoipa::path(
    tag = "tickets",
    responses((status = 200, body = Vec<DepartmentEntry>)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/departments")]
pub async fn list_departments(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<DepartmentEntry>>> {
    Ok(web::Json(state.run(departments::list).await?))
}

/// Adds a department; 409 `department_code_taken` when the code is used.
#[utoipa::path(
    tag = "tickets",
    request_body = NewDepartment,
    responses((status = 201, body = DepartmentEntry), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("ticket_settings_manage"))),
)]
#[post("/departments")]
pub async fn create_department(
    auth: Authorized<perm::TicketSettingsManage>,
    state: web::Data<AppState>,
    body: Json<NewDepartment>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let entry = state
        .write(move |conn| departments::create(conn, &principal, &input, now))
        .await?;
    Ok(created(
        format!("/api/v1/departments/{}", entry.code),
        &entry,
    ))
}

/// Renames, reorders or retires a department; its tickets stay.
#[utoipa::path(
    tag = "tickets",
    params(("code" = String, Path, description = "Department code")),
    request_body = DepartmentChange,
    responses((status = 200, body = DepartmentEntry), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("ticket_settings_manage"))),
)]
#[put("/departments/{code}")]
pub async fn update_department(
    auth: Authorized<perm::TicketSettingsManage>,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: Json<DepartmentChange>,
) -> ApiResult<web::Json<DepartmentEntry>> {
    let input = body.into_inner()?;
    let (code, principal, now) = (code.into_inner(), auth.principal, state.now());
    Ok(web::Json(
        state
            .write(move |conn| departments::update(conn, &principal, &code, &input, now))
            .await?,
    ))
}

/// The SLA targets per priority and the opening hours they count on.
#[utoipa::path(
    tag = "tickets",
    responses((status = 200, body = SlaSettings)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/ticket-sla")]
pub async fn get_sla(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<SlaSettings>> {
    Ok(web::Json(state.run(sla::settings).await?))
}

/// Replaces the SLA targets and opening hours: one policy per priority, one day per weekday.
/// Every ticket's clocks are computed from its history, so they follow at once.
#[utoipa::path(
    tag = "tickets",
    request_body = SlaSettings,
    responses((status = 200, body = SlaSettings), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("ticket_settings_manage"))),
)]
#[put("/ticket-sla")]
pub async fn put_sla(
    auth: Authorized<perm::TicketSettingsManage>,
    state: web::Data<AppState>,
    body: Json<SlaSettings>,
) -> ApiResult<web::Json<SlaSettings>> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    Ok(web::Json(
        state
            .write(move |conn| sla::replace(conn, &principal, &input, now))
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Tickets

/// A queue in SLA order: open tickets by default, the most urgent (least time left, breached
/// first) at the top, with how many are breached or near a breach.
#[utoipa::path(
    tag = "tickets",
    params(TicketQuery),
    responses((status = 200, body = TicketList), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/tickets")]
pub async fn list_tickets(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    query: Query<TicketQuery>,
) -> ApiResult<web::Json<TicketList>> {
    let query = query.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    Ok(web::Json(
        state
            .run(move |conn| reads::list(conn, &desk, &principal, &query, now))
            .await?,
    ))
}

/// How each department kept its SLA for the tickets opened in a period: breaches of first
/// response and resolution, late updates, what is open and near a breach now.
#[utoipa::path(
    tag = "tickets",
    params(TicketReportQuery),
    responses((status = 200, body = TicketReport), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/ticket-report")]
pub async fn ticket_report(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    query: Query<TicketReportQuery>,
) -> ApiResult<web::Json<TicketReport>> {
    let query = query.into_inner()?;
    let (now, desk) = (state.now(), Desk::of(&state));
    Ok(web::Json(
        state
            .run(move |conn| reads::report(conn, &desk, &query, now))
            .await?,
    ))
}

/// Opens a ticket for a customer: from the card, with the contact being logged and the
/// script walk that led here, or from a monitoring system. Outages are looked for at once.
#[utoipa::path(
    tag = "tickets",
    request_body = NewTicket,
    responses((status = 201, body = Ticket), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets")]
pub async fn open_ticket(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    body: Json<NewTicket>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let source = if auth.principal.user_id().is_some() {
        TicketSource::Console
    } else {
        TicketSource::Api
    };
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let opening = Opening::of_staff(&input, source);
    let opener = desk.clone();
    let ticket = state
        .write(move |conn| open::open(conn, &opener, &principal, opening, now))
        .await?;
    detect_outages(&state, desk.clone()).await;
    let view = ticket_view(&state, desk, ticket.id).await?;
    Ok(created(format!("/api/v1/tickets/{}", ticket.id), &view))
}

/// One ticket: its history (status changes, routing with reasons, comments internal and
/// visible), the three SLA clocks, attachments, visits and the script walk.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = Ticket), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/tickets/{id}")]
pub async fn get_ticket(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Ticket>> {
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    Ok(web::Json(
        state
            .run(move |conn| reads::get(conn, &desk, &principal, id, now))
            .await?,
    ))
}

/// Moves a ticket to another status, as the states allow (409 `illegal_transition`
/// otherwise). Reopening needs a note. Resolving or waiting for the customer tells them.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = TicketStatusChange,
    responses((status = 200, body = Ticket), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets/{id}/status")]
pub async fn change_status(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TicketStatusChange>,
) -> ApiResult<web::Json<Ticket>> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let worker = desk.clone();
    state
        .write(move |conn| work::change_status(conn, &worker, &principal, id, &input, now))
        .await?;
    Ok(web::Json(ticket_view(&state, desk, id).await?))
}

/// Routes a ticket to another department with the reason, recorded on its history.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = TicketRouting,
    responses((status = 200, body = Ticket), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets/{id}/route")]
pub async fn route_ticket(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TicketRouting>,
) -> ApiResult<web::Json<Ticket>> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    state
        .write(move |conn| work::route(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(ticket_view(&state, Desk::of(&state), id).await?))
}

/// Assigns a ticket to a staff user, or leaves it unassigned.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = TicketAssignment,
    responses((status = 200, body = Ticket), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets/{id}/assign")]
pub async fn assign_ticket(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TicketAssignment>,
) -> ApiResult<web::Json<Ticket>> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    state
        .write(move |conn| work::assign(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(ticket_view(&state, Desk::of(&state), id).await?))
}

/// A comment: internal, or written to the customer (sent, and a response on the SLA clocks).
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = NewTicketComment,
    responses((status = 200, body = Ticket), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets/{id}/comments")]
pub async fn comment_ticket(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewTicketComment>,
) -> ApiResult<web::Json<Ticket>> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let worker = desk.clone();
    state
        .write(move |conn| work::comment(conn, &worker, &principal, id, &input, now))
        .await?;
    Ok(web::Json(ticket_view(&state, desk, id).await?))
}

/// Attaches a file (PNG, JPEG, PDF or text, at most 1 MiB, 20 to a ticket), in base64.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = NewAttachment,
    responses((status = 201, body = Attachment), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets/{id}/attachments")]
pub async fn attach_file(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: BulkJson<NewAttachment>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let attachment = state
        .write(move |conn| {
            let ticket = find(conn, id)?;
            work::attach(conn, &principal, &ticket, &input, now)
        })
        .await?;
    Ok(created(
        format!("/api/v1/tickets/{id}/attachments/{}", attachment.id),
        &attachment,
    ))
}

fn file_response(attachment: &Attachment, bytes: Vec<u8>) -> HttpResponse {
    let name: String = attachment
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    HttpResponse::Ok()
        .content_type(attachment.content_type.clone())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// An attachment's content.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id"), ("attachment_id" = i64, Path, description = "Attachment id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/tickets/{id}/attachments/{attachment_id}")]
pub async fn get_attachment(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let ((id, attachment_id), principal, now) = (path.into_inner(), auth.principal, state.now());
    let (attachment, bytes) = state
        .run(move |conn| {
            let ticket = find(conn, id)?;
            crate::audit::record_read(
                conn,
                &principal,
                "ticket.attachment",
                [ticket.customer_id],
                now,
            )?;
            work::attachment(conn, &ticket, attachment_id, false)
        })
        .await?;
    Ok(file_response(&attachment, bytes))
}

/// Books a technician's slot for a ticket: 409 `slot_taken` when someone booked it
/// first. The ticket waits for the visit; the customer is told when.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = BookVisit,
    responses((status = 201, body = Visit), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/tickets/{id}/visits")]
pub async fn book_visit(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<BookVisit>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let visit = state
        .write(move |conn| visits::book_by_staff(conn, &desk, &principal, id, &input, now))
        .await?;
    Ok(created(format!("/api/v1/visits/{}", visit.id), &visit))
}

/// Known outages at the customer's addresses: the banner on the card.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<CustomerOutage>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/customers/{id}/outages")]
pub async fn customer_outages(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<CustomerOutage>>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .run(move |conn| {
                crate::customers::find(conn, id)?;
                outages::of_customer(conn, id)
            })
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Diagnostic scripts

#[utoipa::path(
    tag = "tickets",
    responses((status = 200, body = Vec<ScriptSummary>)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/diagnostic-scripts")]
pub async fn list_scripts(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<ScriptSummary>>> {
    Ok(web::Json(state.run(scripts::list).await?))
}

/// A new script (version 1). The tree is checked: node ids unique, every reference to a node
/// of the script, departments known, every node reachable, no loop.
#[utoipa::path(
    tag = "tickets",
    request_body = ScriptInput,
    responses((status = 201, body = Script), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("ticket_settings_manage"))),
)]
#[post("/diagnostic-scripts")]
pub async fn create_script(
    auth: Authorized<perm::TicketSettingsManage>,
    state: web::Data<AppState>,
    body: Json<ScriptInput>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let script = state
        .write(move |conn| scripts::create(conn, &principal, &input, now))
        .await?;
    Ok(created(
        format!("/api/v1/diagnostic-scripts/{}", script.summary.id),
        &script,
    ))
}

/// A script in its current version.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = Script), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/diagnostic-scripts/{id}")]
pub async fn get_script(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Script>> {
    let id = id.into_inner();
    Ok(web::Json(
        state.run(move |conn| scripts::get(conn, id, None)).await?,
    ))
}

/// A script as it was in an earlier version (what an old walk followed).
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Script id"), ("version" = i32, Path, description = "Version")),
    responses((status = 200, body = Script), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/diagnostic-scripts/{id}/versions/{version}")]
pub async fn get_script_version(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    path: web::Path<(i64, i32)>,
) -> ApiResult<web::Json<Script>> {
    let (id, version) = path.into_inner();
    Ok(web::Json(
        state
            .run(move |conn| scripts::get(conn, id, Some(version)))
            .await?,
    ))
}

/// Saves a new version of a script; walks already recorded keep the version they followed.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Script id")),
    request_body = ScriptInput,
    responses((status = 200, body = Script), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("ticket_settings_manage"))),
)]
#[put("/diagnostic-scripts/{id}")]
pub async fn update_script(
    auth: Authorized<perm::TicketSettingsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ScriptInput>,
) -> ApiResult<web::Json<Script>> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    Ok(web::Json(
        state
            .write(move |conn| scripts::update(conn, &principal, id, &input, now))
            .await?,
    ))
}

/// Starts walking a script with the customer; the checks at the start (suspended for
/// debt, a known outage at the address, an open ticket) answer themselves.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = StartScriptRun,
    responses((status = 201, body = ScriptRun), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/customers/{id}/script-runs")]
pub async fn start_script_run(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<StartScriptRun>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let run = state
        .write(move |conn| scripts::start(conn, &principal, id, &input, now))
        .await?;
    Ok(created(format!("/api/v1/script-runs/{}", run.id), &run))
}

/// The customer's script walks, newest first.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<ScriptRun>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/customers/{id}/script-runs")]
pub async fn customer_script_runs(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<ScriptRun>>> {
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    Ok(web::Json(
        state
            .run(move |conn| {
                crate::customers::find(conn, id)?;
                scripts::of_customer(conn, &principal, id, now)
            })
            .await?,
    ))
}

#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Script walk id")),
    responses((status = 200, body = ScriptRun), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/script-runs/{id}")]
pub async fn get_script_run(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ScriptRun>> {
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    Ok(web::Json(
        state
            .run(move |conn| scripts::get_run(conn, &principal, id, now))
            .await?,
    ))
}

/// The operator's step: an answer's index at a question, `{}` at an instruction. The walk goes
/// on to the next node that needs the operator or to its end; 409 `script_run_finished` once
/// it ended.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Script walk id")),
    request_body = ScriptStepInput,
    responses((status = 200, body = ScriptRun), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/script-runs/{id}/steps")]
pub async fn script_step(
    _auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonOrEmpty<ScriptStepInput>,
) -> ApiResult<web::Json<ScriptRun>> {
    let input = body.into_inner()?;
    let (id, now) = (id.into_inner(), state.now());
    Ok(web::Json(
        state
            .write(move |conn| scripts::step(conn, id, &input, now))
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Incidents

/// Incidents, newest first.
#[utoipa::path(
    tag = "tickets",
    params(IncidentQuery),
    responses((status = 200, body = Vec<Incident>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/incidents")]
pub async fn list_incidents(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    query: Query<IncidentQuery>,
) -> ApiResult<web::Json<Vec<Incident>>> {
    let query = query.into_inner()?;
    Ok(web::Json(
        state.run(move |conn| outages::list(conn, &query)).await?,
    ))
}

async fn incident_view(
    state: &AppState,
    principal: Principal,
    id: i64,
) -> ApiResult<IncidentDetail> {
    let (now, desk) = (state.now(), Desk::of(state));
    state
        .run(move |conn| outages::detail(conn, &desk, &principal, id, now))
        .await
}

/// Declares an outage at a ticket's area by hand: open at once, the area's open tickets of
/// its category linked, the affected customers told. 409 when one covers the area already.
#[utoipa::path(
    tag = "tickets",
    request_body = NewIncident,
    responses((status = 201, body = IncidentDetail), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("incidents_manage"))),
)]
#[post("/incidents")]
pub async fn declare_incident(
    auth: Authorized<perm::IncidentsManage>,
    state: web::Data<AppState>,
    body: Json<NewIncident>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let reader = principal.clone();
    let id = state
        .write(move |conn| outages::declare(conn, &desk, &principal, &input, now))
        .await?;
    let detail = incident_view(&state, reader, id).await?;
    Ok(created(format!("/api/v1/incidents/{id}"), &detail))
}

/// One incident with its tickets and the customers of its area (those who reported first).
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, body = IncidentDetail), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/incidents/{id}")]
pub async fn get_incident(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IncidentDetail>> {
    Ok(web::Json(
        incident_view(&state, auth.principal, id.into_inner()).await?,
    ))
}

/// Confirms a proposed incident: the customers of its area are told of the outage.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, body = IncidentDetail), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("incidents_manage"))),
)]
#[post("/incidents/{id}/confirm")]
pub async fn confirm_incident(
    auth: Authorized<perm::IncidentsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IncidentDetail>> {
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let reader = principal.clone();
    state
        .write(move |conn| outages::confirm(conn, &desk, &principal, id, now))
        .await?;
    Ok(web::Json(incident_view(&state, reader, id).await?))
}

/// Not an outage after all; its tickets are worked one by one.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, body = IncidentDetail), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("incidents_manage"))),
)]
#[post("/incidents/{id}/dismiss")]
pub async fn dismiss_incident(
    auth: Authorized<perm::IncidentsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IncidentDetail>> {
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let reader = principal.clone();
    state
        .write(move |conn| outages::dismiss(conn, &principal, id, now))
        .await?;
    Ok(web::Json(incident_view(&state, reader, id).await?))
}

/// Resolves an incident: every linked open ticket is resolved with the note, and the
/// customers of the area are told the outage is over.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Incident id")),
    request_body = ResolveIncident,
    responses((status = 200, body = IncidentDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("incidents_manage"))),
)]
#[post("/incidents/{id}/resolve")]
pub async fn resolve_incident(
    auth: Authorized<perm::IncidentsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ResolveIncident>,
) -> ApiResult<web::Json<IncidentDetail>> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let reader = principal.clone();
    state
        .write(move |conn| outages::resolve(conn, &desk, &principal, id, &input, now))
        .await?;
    Ok(web::Json(incident_view(&state, reader, id).await?))
}

// ---------------------------------------------------------------------------------------
// Technicians' slots and visits

/// Technicians' slots between two local days (a fortnight from today by default), each with
/// the visit booked in it.
#[utoipa::path(
    tag = "tickets",
    params(SlotQuery),
    responses((status = 200, body = Vec<TechnicianSlot>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/technician-slots")]
pub async fn list_slots(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    query: Query<SlotQuery>,
) -> ApiResult<web::Json<Vec<TechnicianSlot>>> {
    let query = query.into_inner()?;
    let (now, desk) = (state.now(), Desk::of(&state));
    Ok(web::Json(
        state
            .run(move |conn| visits::list_slots(conn, &desk, &query, now))
            .await?,
    ))
}

/// Publishes a technician's working slots; none may overlap another of theirs.
#[utoipa::path(
    tag = "tickets",
    request_body = NewSlots,
    responses((status = 201, body = Vec<TechnicianSlot>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("visits_manage"))),
)]
#[post("/technician-slots")]
pub async fn add_slots(
    auth: Authorized<perm::VisitsManage>,
    state: web::Data<AppState>,
    body: Json<NewSlots>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let slots = state
        .write(move |conn| visits::add_slots(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(slots))
}

/// A day plan: the visits of a local day (today by default), of one technician or all.
#[utoipa::path(
    tag = "tickets",
    params(VisitQuery),
    responses((status = 200, body = Vec<Visit>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/visits")]
pub async fn day_plan(
    auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    query: Query<VisitQuery>,
) -> ApiResult<web::Json<Vec<Visit>>> {
    let query = query.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    Ok(web::Json(
        state
            .run(move |conn| visits::day_plan(conn, &desk, &principal, &query, now))
            .await?,
    ))
}

/// What the visit did: resolved (the ticket is resolved), routed (to a department), no
/// access (the ticket waits for the customer). 409 when the visit is not booked.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Visit id")),
    request_body = VisitReport,
    responses((status = 200, body = Visit), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("visits_manage"))),
)]
#[post("/visits/{id}/report")]
pub async fn report_visit(
    auth: Authorized<perm::VisitsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<VisitReport>,
) -> ApiResult<web::Json<Visit>> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    Ok(web::Json(
        state
            .write(move |conn| visits::report(conn, &desk, &principal, id, &input, now))
            .await?,
    ))
}

/// Cancels a booked visit; the slot is free again.
#[utoipa::path(
    tag = "tickets",
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_write"))),
)]
#[post("/visits/{id}/cancel")]
pub async fn cancel_visit(
    auth: Authorized<perm::TicketsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Visit>> {
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    Ok(web::Json(
        state
            .write(move |conn| visits::cancel(conn, &desk, &principal, id, now))
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// The cabinet

/// The subscriber's tickets with their public history, newest first.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<MyTicket>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/tickets")]
pub async fn my_tickets(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<MyTicket>>> {
    let principal = auth.principal;
    Ok(web::Json(
        state
            .run(move |conn| reads::my_list(conn, &principal))
            .await?,
    ))
}

/// Reports a fault: a ticket for the first line at normal priority.
#[utoipa::path(
    tag = "cabinet",
    request_body = CabinetTicket,
    responses((status = 201, body = MyTicket), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/tickets")]
pub async fn report_fault(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<CabinetTicket>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let customer_id = auth.principal.own_customer_id()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let opener = desk.clone();
    let opening = Opening::of_customer(customer_id, &input);
    let ticket = state
        .write(move |conn| open::open(conn, &opener, &principal, opening, now))
        .await?;
    detect_outages(&state, desk).await;
    let id = ticket.id;
    let view = state
        .run(move |conn| {
            let ticket = TicketRecord::find(conn, id)?;
            reads::mine(conn, &ticket)
        })
        .await?;
    Ok(created(format!("/api/v1/me/tickets/{id}"), &view))
}

/// One of the subscriber's tickets (another's is 404).
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = MyTicket), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/tickets/{id}")]
pub async fn my_ticket(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<MyTicket>> {
    let (id, principal) = (id.into_inner(), auth.principal);
    Ok(web::Json(
        state
            .run(move |conn| reads::my_one(conn, &principal, id))
            .await?,
    ))
}

/// The subscriber's comment: an answer to a ticket waiting for them sets it going again; on
/// a resolved one it reopens it.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = CabinetComment,
    responses((status = 200, body = MyTicket), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/tickets/{id}/comments")]
pub async fn comment_my_ticket(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<CabinetComment>,
) -> ApiResult<web::Json<MyTicket>> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    Ok(web::Json(
        state
            .write(move |conn| {
                let ticket = find_own(conn, &principal, id)?;
                work::customer_comment(conn, &desk, &principal, &ticket, &input.body, now)?;
                let ticket = find(conn, id)?;
                reads::mine(conn, &ticket)
            })
            .await?,
    ))
}

/// The subscriber attaches a file (a photo of the modem's lights) to their ticket.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = NewAttachment,
    responses((status = 201, body = Attachment), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/tickets/{id}/attachments")]
pub async fn attach_my_file(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: BulkJson<NewAttachment>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let attachment = state
        .write(move |conn| {
            let ticket = find_own(conn, &principal, id)?;
            work::attach(conn, &principal, &ticket, &input, now)
        })
        .await?;
    Ok(created(
        format!("/api/v1/me/tickets/{id}/attachments/{}", attachment.id),
        &attachment,
    ))
}

/// An attachment of the subscriber's ticket shown to them.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Ticket id"), ("attachment_id" = i64, Path, description = "Attachment id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/tickets/{id}/attachments/{attachment_id}")]
pub async fn get_my_attachment(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let ((id, attachment_id), principal) = (path.into_inner(), auth.principal);
    let (attachment, bytes) = state
        .run(move |conn| {
            let ticket = find_own(conn, &principal, id)?;
            work::attachment(conn, &ticket, attachment_id, true)
        })
        .await?;
    Ok(file_response(&attachment, bytes))
}

/// Free technician slots the subscriber may book: from two hours ahead, for a fortnight.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<FreeSlot>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/visit-slots")]
pub async fn my_visit_slots(
    _auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<FreeSlot>>> {
    let now = state.now();
    Ok(web::Json(
        state.run(move |conn| visits::free_slots(conn, now)).await?,
    ))
}

/// The subscriber books a technician for their open ticket; 409 `slot_taken` when someone
/// was quicker.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = CabinetVisit,
    responses((status = 201, body = MyVisit), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/tickets/{id}/visits")]
pub async fn book_my_visit(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<CabinetVisit>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let visit = state
        .write(move |conn| {
            let ticket = find_own(conn, &principal, id)?;
            visits::book(conn, &desk, &principal, &ticket, input.slot_id, None, now)
        })
        .await?;
    Ok(created(
        format!("/api/v1/me/tickets/{id}"),
        &MyVisit {
            id: visit.id,
            starts_at: visit.starts_at,
            ends_at: visit.ends_at,
            status: visit.status,
        },
    ))
}
