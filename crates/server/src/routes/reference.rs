//! `/sales-points` and `/topics`: the reference data every screen needs.

use actix_web::{HttpResponse, get, patch, post, web};
use okno_api_types::reference::{
    LocalizedName, NewSalesPoint, NewTopic, SalesPoint, SalesPointKind, Topic, TopicPatch,
};
use okno_api_types::{ErrorCode, FieldError, Problem};
use okno_db::DbError;
use okno_db::reference::{
    NewSalesPointRow, NewTopicRow, SalesPointRecord, TopicChanges, TopicRecord,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::Json;
use crate::reference::topic_to_api;
use crate::state::AppState;
use crate::time::to_db;

fn kind_name(kind: SalesPointKind) -> &'static str {
    match kind {
        SalesPointKind::HeadOffice => "head_office",
        SalesPointKind::SalesPoint => "sales_point",
    }
}

pub fn sales_point_to_api(record: SalesPointRecord) -> SalesPoint {
    SalesPoint {
        id: record.id,
        code: record.code,
        name: record.name,
        kind: if record.kind == "head_office" {
            SalesPointKind::HeadOffice
        } else {
            SalesPointKind::SalesPoint
        },
        parent_id: record.parent_id,
        address: record.address,
        phone: record.phone,
        active: record.active,
    }
}

fn taken(code: ErrorCode, what: &str, value: &str) -> ApiError {
    ApiError::Conflict(
        code,
        format!("a {what} with code {value} exists"),
        vec![FieldError::new("code", FieldErrorCode::Taken, "is taken")],
    )
}

/// The head office and sales points.
#[utoipa::path(
    tag = "reference",
    responses((status = 200, body = Vec<SalesPoint>)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/sales-points")]
pub async fn list_sales_points(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<SalesPoint>>> {
    let points = state.run(|conn| Ok(SalesPointRecord::list(conn)?)).await?;
    Ok(web::Json(
        points.into_iter().map(sales_point_to_api).collect(),
    ))
}

/// One sales point.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Sales point id")),
    responses((status = 200, body = SalesPoint), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/sales-points/{id}")]
pub async fn get_sales_point(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<SalesPoint>> {
    let id = id.into_inner();
    let point = state
        .run(move |conn| {
            SalesPointRecord::find(conn, id)
                .or_not_found(ErrorCode::SalesPointNotFound, format!("sales point {id}"))
        })
        .await?;
    Ok(web::Json(sales_point_to_api(point)))
}

/// Open a sales point. Points report to a head office.
#[utoipa::path(
    tag = "reference",
    request_body = NewSalesPoint,
    responses((status = 201, body = SalesPoint), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("sales_points_manage"))),
)]
#[post("/sales-points")]
pub async fn create_sales_point(
    auth: Authorized<perm::SalesPointsManage>,
    state: web::Data<AppState>,
    body: Json<NewSalesPoint>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let code = v.code("code", &input.code.to_uppercase());
    let name = v.text("name", &input.name, 200);
    let address = v.text("address", &input.address, 300);
    let phone = v.optional_text("phone", input.phone.as_deref(), 40);
    if input.kind == SalesPointKind::SalesPoint && input.parent_id.is_none() {
        v.fail(
            "parent_id",
            FieldErrorCode::Required,
            "a sales point reports to a head office",
        );
    }
    let now = state.now();
    let principal = auth.principal;
    let point = state
        .write(move |conn| {
            if let Some(parent_id) = input.parent_id {
                match SalesPointRecord::find(conn, parent_id) {
                    Ok(parent) if parent.kind == "head_office" => {}
                    Ok(_) => v.fail(
                        "parent_id",
                        FieldErrorCode::InvalidValue,
                        "must be a head office",
                    ),
                    Err(DbError::NotFound) => v.fail(
                        "parent_id",
                        FieldErrorCode::UnknownReference,
                        format!("there is no sales point {parent_id}"),
                    ),
                    Err(e) => return Err(e.into()),
                }
            }
            v.finish()?;
            let point = SalesPointRecord::insert(
                conn,
                &NewSalesPointRow {
                    code: &code,
                    name: &name,
                    kind: kind_name(input.kind),
                    parent_id: input.parent_id,
                    address: &address,
                    phone: phone.as_deref(),
                    active: true,
                    created_at: to_db(now),
                },
            )
            .map_err(|e| match e {
                DbError::Duplicate(_) => {
                    taken(ErrorCode::SalesPointCodeTaken, "sales point", &code)
                }
                other => other.into(),
            })?;
            audit::record(
                conn,
                &principal,
                "sales_point.create",
                None,
                Some(code.clone()),
                now,
            )?;
            Ok(point)
        })
        .await?;
    Ok(HttpResponse::Created().json(sales_point_to_api(point)))
}

/// The classification of contact topics, in code order.
#[utoipa::path(
    tag = "reference",
    responses((status = 200, body = Vec<Topic>)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/topics")]
pub async fn list_topics(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Topic>>> {
    let topics = state.run(|conn| Ok(TopicRecord::list(conn)?)).await?;
    Ok(web::Json(topics.into_iter().map(topic_to_api).collect()))
}

fn validate_name(
    v: &mut Validator,
    name: &LocalizedName,
) -> (String, Option<String>, Option<String>) {
    (
        v.text("name.en", &name.en, 200),
        v.optional_text("name.pl", name.pl.as_deref(), 200),
        v.optional_text("name.ru", name.ru.as_deref(), 200),
    )
}

/// Add a topic to the classification.
#[utoipa::path(
    tag = "reference",
    request_body = NewTopic,
    responses((status = 201, body = Topic), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("topics_manage"))),
)]
#[post("/topics")]
pub async fn create_topic(
    auth: Authorized<perm::TopicsManage>,
    state: web::Data<AppState>,
    body: Json<NewTopic>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let code = v.code("code", &input.code.to_lowercase());
    let (en, pl, ru) = validate_name(&mut v, &input.name);
    v.finish()?;
    let now = state.now();
    let principal = auth.principal;
    let topic = state
        .write(move |conn| {
            let topic = TopicRecord::insert(
                conn,
                &NewTopicRow {
                    code: &code,
                    name_en: &en,
                    name_pl: pl.as_deref(),
                    name_ru: ru.as_deref(),
                    active: true,
                    created_at: to_db(now),
                },
            )
            .map_err(|e| match e {
                DbError::Duplicate(_) => taken(ErrorCode::TopicCodeTaken, "topic", &code),
                other => other.into(),
            })?;
            audit::record(
                conn,
                &principal,
                "topic.create",
                None,
                Some(code.clone()),
                now,
            )?;
            Ok(topic)
        })
        .await?;
    Ok(HttpResponse::Created().json(topic_to_api(topic)))
}

/// Rename a topic or retire it; retired topics stay on past contacts but cannot be chosen.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Topic id")),
    request_body = TopicPatch,
    responses((status = 200, body = Topic), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("topics_manage"))),
)]
#[patch("/topics/{id}")]
pub async fn update_topic(
    auth: Authorized<perm::TopicsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TopicPatch>,
) -> ApiResult<web::Json<Topic>> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let changes = match &input.name {
        Some(name) => {
            let (en, pl, ru) = validate_name(&mut v, name);
            TopicChanges {
                name_en: Some(en),
                name_pl: Some(pl),
                name_ru: Some(ru),
                active: input.active,
            }
        }
        None => TopicChanges {
            active: input.active,
            ..TopicChanges::default()
        },
    };
    v.finish()?;
    let now = state.now();
    let principal = auth.principal;
    let topic = state
        .write(move |conn| {
            TopicRecord::find(conn, id)
                .or_not_found(ErrorCode::TopicNotFound, format!("topic {id}"))?;
            let topic = TopicRecord::update(conn, id, &changes)?;
            audit::record(
                conn,
                &principal,
                "topic.update",
                None,
                Some(topic.code.clone()),
                now,
            )?;
            Ok(topic)
        })
        .await?;
    Ok(web::Json(topic_to_api(topic)))
}
