//! Complaints (R-40..R-46): the register, decisions, the clock's profile and calendar, the
//! monitoring, and the cabinet's filing.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, put, web};
use okno_api_types::complaints::{
    CabinetComplaint, CalendarListing, CalendarQuery, CalendarYear, CompensationPreview,
    CompensationPreviewQuery, Complaint, ComplaintExportQuery, ComplaintMonitoring,
    ComplaintProfile, ComplaintQuery, ComplaintSummary, DecideComplaint, Jurisdiction, MeasureDone,
    MonitoringQuery, NewComplaint, NewPreventiveMeasure, PreventiveMeasure, ProfileWarning,
    ReviewProposal,
};
use okno_api_types::{Page, Problem};
use okno_domain::customers::Language;

use crate::auth::{Authorized, Principal, perm};
use crate::complaints::register::Filing;
use crate::complaints::{Desk, calendar, compensation, decide, monitoring, reads, register};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

fn language_of(principal: &Principal) -> Language {
    principal.preferred_language.unwrap_or(Language::En)
}

/// The complaint register: undecided first by their decide-by day, then the decided; each
/// with its deadlines and days left. `due=today` lists what falls due today (overdue too).
#[utoipa::path(
    tag = "complaints",
    params(ComplaintQuery),
    responses((status = 200, body = Page<ComplaintSummary>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/complaints")]
pub async fn list_complaints(
    auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
    query: Query<ComplaintQuery>,
) -> ApiResult<web::Json<Page<ComplaintSummary>>> {
    let query = query.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let page = state
        .run(move |conn| reads::list(conn, &desk, &principal, &query, now))
        .await?;
    Ok(web::Json(page))
}

/// Registers a complaint received by any channel. Its number is gapless per year; its
/// deadlines follow the law of the operator's profile and are fixed on receipt. Made in
/// person, or with `acknowledge_now`, its receipt is confirmed at once: the confirmation is
/// issued and sent.
#[utoipa::path(
    tag = "complaints",
    request_body = NewComplaint,
    responses((status = 201, body = Complaint), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_register"))),
)]
#[post("/complaints")]
pub async fn register_complaint(
    auth: Authorized<perm::ComplaintsRegister>,
    state: web::Data<AppState>,
    body: Json<NewComplaint>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let complaint = state
        .run(move |conn| {
            let record = register::register(
                conn,
                &desk,
                &principal,
                &Filing::by_staff(&request, now),
                now,
            )?;
            reads::view(conn, &desk, record, false, now)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/complaints/{}", complaint.summary.id),
        ))
        .json(complaint))
}

/// One complaint: the claim, deadlines, timeline, documents (to print when no e-mail could
/// carry them), the decision and what it gave back.
#[utoipa::path(
    tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    responses((status = 200, body = Complaint), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/complaints/{id}")]
pub async fn get_complaint(
    auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Complaint>> {
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let complaint = state
        .run(move |conn| reads::staff_read(conn, &desk, &principal, id, now))
        .await?;
    Ok(web::Json(complaint))
}

/// Confirms the receipt of a complaint: the confirmation is issued, kept and sent.
/// 409 when it was confirmed before.
#[utoipa::path(
    tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    responses((status = 200, body = Complaint), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_register"))),
)]
#[post("/complaints/{id}/acknowledge")]
pub async fn acknowledge_complaint(
    auth: Authorized<perm::ComplaintsRegister>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Complaint>> {
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let complaint = state
        .run(move |conn| {
            let record = register::acknowledge(conn, &desk, &principal, id, now)?;
            reads::view(conn, &desk, record, false, now)
        })
        .await?;
    Ok(web::Json(complaint))
}

/// Decides a complaint. Granting more than the four-eyes amount puts the
/// decision up for a second person's approval (status `awaiting_approval`); otherwise the
/// compensation is issued (correction notes against the invoices complained of, the rest as
/// a credit), and the answer is issued and sent, all at once. 409 when decided already (by a
/// person or by the clock) or while a decision waits for approval.
#[utoipa::path(
    tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = DecideComplaint,
    responses((status = 200, body = Complaint), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_decide"))),
)]
#[post("/complaints/{id}/decision")]
pub async fn decide_complaint(
    auth: Authorized<perm::ComplaintsDecide>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<DecideComplaint>,
) -> ApiResult<web::Json<Complaint>> {
    let request = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let complaint = state
        .run(move |conn| {
            let record = decide::decide(conn, &desk, &principal, id, &request, now)?;
            reads::view(conn, &desk, record, false, now)
        })
        .await?;
    Ok(web::Json(complaint))
}

/// A second person approves a decision waiting for approval (it then takes effect as
/// decided), or sends it back. The person who proposed it cannot approve it (403).
#[utoipa::path(
    tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = ReviewProposal,
    responses((status = 200, body = Complaint), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_decide"))),
)]
#[post("/complaints/{id}/decision/review")]
pub async fn review_decision(
    auth: Authorized<perm::ComplaintsDecide>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ReviewProposal>,
) -> ApiResult<web::Json<Complaint>> {
    let request = body.into_inner()?;
    let (id, principal, now, desk) = (
        id.into_inner(),
        auth.principal,
        state.now(),
        Desk::of(&state),
    );
    let complaint = state
        .run(move |conn| {
            let record = decide::review(conn, &desk, &principal, id, &request, now)?;
            reads::view(conn, &desk, record, false, now)
        })
        .await?;
    Ok(web::Json(complaint))
}

/// What granting an amount would give back today: the lines each correction note would
/// lower, and what would be credited; and whether a second person must approve it.
#[utoipa::path(
    tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id"), CompensationPreviewQuery),
    responses((status = 200, body = CompensationPreview), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_decide"))),
)]
#[get("/complaints/{id}/compensation-preview")]
pub async fn compensation_preview(
    _auth: Authorized<perm::ComplaintsDecide>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<CompensationPreviewQuery>,
) -> ApiResult<web::Json<CompensationPreview>> {
    let query = query.into_inner()?;
    let (id, desk) = (id.into_inner(), Desk::of(&state));
    let preview = state
        .run(move |conn| {
            if !(0..=okno_domain::money::MAX_AMOUNT_MINOR).contains(&query.granted_minor) {
                return Err(crate::error::ApiError::field(
                    "granted_minor",
                    okno_domain::validation::FieldErrorCode::OutOfRange,
                    "from 0 to 100 000 000.00",
                ));
            }
            let complaint = crate::complaints::find(conn, id)?;
            compensation::preview(conn, &desk, &complaint, query.granted_minor)
        })
        .await?;
    Ok(web::Json(preview))
}

/// The register as CSV, in the order received: deadlines, decisions, whether each was
/// decided on time.
#[utoipa::path(
    tag = "complaints",
    params(ComplaintExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/complaints-export")]
pub async fn export_complaints(
    auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
    query: Query<ComplaintExportQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let csv = state
        .run(move |conn| reads::export_csv(conn, &desk, &principal, query.from, query.to, now))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"complaints.csv\"",
        ))
        .body(csv))
}

/// The monitoring: undecided complaints by deadline, the topic rating against the
/// period before, repeat complaints, the share decided on time, preventive measures. The
/// last 30 days when no period is given.
#[utoipa::path(
    tag = "complaints",
    params(MonitoringQuery),
    responses((status = 200, body = ComplaintMonitoring), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/complaint-monitoring")]
pub async fn complaint_monitoring(
    auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
    query: Query<MonitoringQuery>,
) -> ApiResult<web::Json<ComplaintMonitoring>> {
    let query = query.into_inner()?;
    let (principal, now, desk) = (auth.principal, state.now(), Desk::of(&state));
    let language = language_of(&principal);
    let report = state
        .run(move |conn| {
            monitoring::monitoring(
                conn,
                &desk,
                &principal,
                (query.from, query.to),
                language,
                now,
            )
        })
        .await?;
    Ok(web::Json(report))
}

/// Preventive measures against complaint topics, open first by their day.
#[utoipa::path(
    tag = "complaints",
    responses((status = 200, body = Vec<PreventiveMeasure>)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/preventive-measures")]
pub async fn list_measures(
    auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<PreventiveMeasure>>> {
    let language = language_of(&auth.principal);
    let all = state
        .run(move |conn| monitoring::measures(conn, language))
        .await?;
    Ok(web::Json(all))
}

/// Records a preventive measure against a topic, with its owner and day.
#[utoipa::path(
    tag = "complaints",
    request_body = NewPreventiveMeasure,
    responses((status = 201, body = PreventiveMeasure), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaint_measures_manage"))),
)]
#[post("/preventive-measures")]
pub async fn add_measure(
    auth: Authorized<perm::ComplaintMeasuresManage>,
    state: web::Data<AppState>,
    body: Json<NewPreventiveMeasure>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let language = language_of(&principal);
    let measure = state
        .run(move |conn| monitoring::add_measure(conn, &principal, &request, language, now))
        .await?;
    Ok(HttpResponse::Created().json(measure))
}

/// Marks a preventive measure done on a day, or not done.
#[utoipa::path(
    tag = "complaints",
    params(("id" = i64, Path, description = "Measure id")),
    request_body = MeasureDone,
    responses((status = 200, body = PreventiveMeasure), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaint_measures_manage"))),
)]
#[patch("/preventive-measures/{id}")]
pub async fn mark_measure(
    auth: Authorized<perm::ComplaintMeasuresManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<MeasureDone>,
) -> ApiResult<web::Json<PreventiveMeasure>> {
    let request = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let language = language_of(&principal);
    let measure = state
        .run(move |conn| monitoring::mark_measure(conn, &principal, id, &request, language, now))
        .await?;
    Ok(web::Json(measure))
}

/// The clock's settings in force, with a warning for each set looser than the law (the law's
/// figure still binds the operator).
#[utoipa::path(
    tag = "complaints",
    responses((status = 200, body = ComplaintProfile)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/complaint-profile")]
pub async fn complaint_profile(
    _auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<ComplaintProfile>> {
    let profile = state.settings.complaints.profile;
    Ok(web::Json(ComplaintProfile {
        jurisdiction: profile.jurisdiction,
        acknowledge_days: profile.acknowledge_days,
        answer_days: profile.answer_days,
        refund_answer_days: profile.refund_answer_days,
        claim_months: profile.claim_months,
        completion_days: profile.completion_days,
        four_eyes_above_minor: profile.four_eyes_above_minor,
        warnings: profile
            .looser_than_law()
            .into_iter()
            .map(|l| ProfileWarning {
                setting: l.setting.to_owned(),
                value: l.value,
                law: l.law,
            })
            .collect(),
    }))
}

/// The days off and moved working days of a year that deadlines count on; the profile's
/// jurisdiction and this year by default. Polish statutory holidays are listed as
/// `built_in`.
#[utoipa::path(
    tag = "complaints",
    params(CalendarQuery),
    responses((status = 200, body = CalendarListing), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("complaints_read"))),
)]
#[get("/calendar-days")]
pub async fn calendar_days(
    _auth: Authorized<perm::ComplaintsRead>,
    state: web::Data<AppState>,
    query: Query<CalendarQuery>,
) -> ApiResult<web::Json<CalendarListing>> {
    let query = query.into_inner()?;
    let jurisdiction = query
        .jurisdiction
        .unwrap_or(state.settings.complaints.profile.jurisdiction);
    let year = query
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&state.now()));
    if !(2000..=2100).contains(&year) {
        return Err(crate::error::ApiError::field(
            "year",
            okno_domain::validation::FieldErrorCode::OutOfRange,
            "a year from 2000 to 2100",
        ));
    }
    let listing = state
        .run(move |conn| calendar::listing(conn, jurisdiction, year))
        .await?;
    Ok(web::Json(listing))
}

/// Loads a year of a jurisdiction's calendar as a whole (a government's decree of days off
/// and moved working days), replacing what was loaded for that year. Running complaints keep
/// their deadlines.
#[utoipa::path(
    tag = "complaints",
    params(
        ("jurisdiction" = Jurisdiction, Path, description = "pl or ru"),
        ("year" = i32, Path, description = "The year, 2000 to 2100", minimum = 2000, maximum = 2100),
    ),
    request_body = CalendarYear,
    responses((status = 200, body = CalendarListing), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("calendar_manage"))),
)]
#[put("/calendar-days/{jurisdiction}/{year}")]
pub async fn load_calendar_year(
    auth: Authorized<perm::CalendarManage>,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
    body: Json<CalendarYear>,
) -> ApiResult<web::Json<CalendarListing>> {
    let request = body.into_inner()?;
    let ((jurisdiction, year), principal, now) = (path.into_inner(), auth.principal, state.now());
    // Read after the permission check: the segment names a calendar, or nothing.
    let jurisdiction: Jurisdiction = jurisdiction.parse().map_err(|_| {
        crate::error::ApiError::NotFound(
            okno_api_types::ErrorCode::RecordNotFound,
            format!("no calendar of a jurisdiction {jurisdiction:?}: pl or ru"),
        )
    })?;
    let listing = state
        .run(move |conn| {
            calendar::replace_year(conn, &principal, jurisdiction, year, &request, now)
        })
        .await?;
    Ok(web::Json(listing))
}

/// The subscriber's complaints, newest first.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<ComplaintSummary>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/complaints")]
pub async fn my_complaints(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<ComplaintSummary>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let (now, desk) = (state.now(), Desk::of(&state));
    let all = state
        .run(move |conn| reads::own_list(conn, &desk, customer_id, now))
        .await?;
    Ok(web::Json(all))
}

/// The subscriber files a complaint: received now and confirmed at once; the
/// invoices named must be their own.
#[utoipa::path(
    tag = "cabinet",
    request_body = CabinetComplaint,
    responses((status = 201, body = Complaint), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/complaints")]
pub async fn file_my_complaint(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<CabinetComplaint>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner()?;
    let principal = auth.principal;
    let customer_id = principal.own_customer_id()?;
    let (now, desk) = (state.now(), Desk::of(&state));
    let complaint = state
        .run(move |conn| {
            let filing = Filing::in_cabinet(customer_id, &request, now);
            let record = register::register(conn, &desk, &principal, &filing, now)?;
            reads::view(conn, &desk, record, true, now)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/me/complaints/{}", complaint.summary.id),
        ))
        .json(complaint))
}

/// One of the subscriber's complaints, with its answer; another customer's is not found.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Complaint id")),
    responses((status = 200, body = Complaint), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/complaints/{id}")]
pub async fn my_complaint(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Complaint>> {
    let customer_id = auth.principal.own_customer_id()?;
    let (id, now, desk) = (id.into_inner(), state.now(), Desk::of(&state));
    let complaint = state
        .run(move |conn| reads::own(conn, &desk, customer_id, id, now))
        .await?;
    Ok(web::Json(complaint))
}
