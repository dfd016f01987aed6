//! The knowledge base and the public FAQ.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use okno_api_types::Problem;
use okno_api_types::tickets::{Article, ArticleInput, ArticleQuery, FaqQuery};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Authorized, perm};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::knowledge;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_articles)
        .service(create_article)
        .service(get_article)
        .service(update_article)
        .service(faq);
}

/// Knowledge-base articles. With `q`, a full-text search: each article is matched in its own
/// language (Russian and English words in any form, Polish words from their beginning) and
/// every word must occur; the best matches first. Without it, the latest changed first.
/// `topic_id` gives the articles the card suggests while a contact on that topic is logged.
/// A `q` with no word of two or more letters or digits is refused (`invalid_search`).
#[utoipa::path(
    tag = "knowledge",
    params(ArticleQuery),
    responses((status = 200, body = Vec<Article>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/kb-articles")]
pub async fn list_articles(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    query: Query<ArticleQuery>,
) -> ApiResult<web::Json<Vec<Article>>> {
    let query = query.into_inner()?;
    let articles = state.run(move |conn| knowledge::list(conn, &query)).await?;
    Ok(web::Json(articles))
}

/// Writes an article. A public one is in the cabinet's FAQ of its language at once.
#[utoipa::path(
    tag = "knowledge",
    request_body = ArticleInput,
    responses((status = 201, body = Article), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("knowledge_manage"))),
)]
#[post("/kb-articles")]
pub async fn create_article(
    auth: Authorized<perm::KnowledgeManage>,
    state: web::Data<AppState>,
    body: Json<ArticleInput>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let article = state
        .run(move |conn| knowledge::create(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/kb-articles/{}", article.id),
        ))
        .json(article))
}

/// One article.
#[utoipa::path(
    tag = "knowledge",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = Article), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tickets_read"))),
)]
#[get("/kb-articles/{id}")]
pub async fn get_article(
    _auth: Authorized<perm::TicketsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Article>> {
    let id = id.into_inner();
    let article = state.run(move |conn| knowledge::get(conn, id)).await?;
    Ok(web::Json(article))
}

/// Replaces an article: title, body, language, topic, and whether it is public.
#[utoipa::path(
    tag = "knowledge",
    params(("id" = i64, Path, description = "Article id")),
    request_body = ArticleInput,
    responses((status = 200, body = Article), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("knowledge_manage"))),
)]
#[put("/kb-articles/{id}")]
pub async fn update_article(
    auth: Authorized<perm::KnowledgeManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ArticleInput>,
) -> ApiResult<web::Json<Article>> {
    let input = body.into_inner()?;
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let article = state
        .run(move |conn| knowledge::update(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(article))
}

/// The FAQ: the public articles in one language (`pl` when not given), open to anyone. With
/// `q` the best matches first, as in the staff search; otherwise by topic, then title. At
/// most 100.
#[utoipa::path(
    tag = "knowledge",
    params(FaqQuery),
    responses((status = 200, body = Vec<Article>), (status = 422, body = Problem)),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[get("/faq")]
pub async fn faq(
    state: web::Data<AppState>,
    query: Query<FaqQuery>,
) -> ApiResult<web::Json<Vec<Article>>> {
    let query = query.into_inner()?;
    let articles = state.run(move |conn| knowledge::faq(conn, &query)).await?;
    Ok(web::Json(articles))
}
