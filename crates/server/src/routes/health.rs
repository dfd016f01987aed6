//! Liveness, readiness and metrics: outside `/api/v1`, open to the load balancer and Prometheus.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use okno_api_types::health::Health;
use okno_api_types::{ErrorCode, Problem};

use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::state::AppState;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Alive: the process answers.
#[utoipa::path(tag = "health", responses((status = 200, body = Health)), security(()), extensions(("x-okno-permission" = json!("public"))))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health {
        status: "ok".into(),
        version: VERSION.into(),
        database: None,
    })
}

/// Ready: the database answers too.
#[utoipa::path(tag = "health", responses((status = 200, body = Health), (status = 503, body = Health)), security(()), extensions(("x-okno-permission" = json!("public"))))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let reachable = web::block(move || db.ping())
        .await
        .is_ok_and(|ping| ping.is_ok());
    let body = Health {
        status: if reachable { "ready" } else { "unavailable" }.into(),
        version: VERSION.into(),
        database: Some(state.db.backend().name().into()),
    };
    if reachable {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Prometheus metrics in the text format, for the bearer token configured as
/// `OKNO_METRICS_TOKEN`; without one configured, there are no metrics to read (404).
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Prometheus text format", body = String),
        (status = 401, description = "Without the metrics token", body = Problem),
        (status = 404, description = "No metrics token is configured", body = Problem),
    ),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> ApiResult<HttpResponse> {
    // The counters name routes and rates: not for anyone who asks.
    let Some(expected) = &state.settings.metrics_token else {
        return Err(ApiError::NotFound(
            ErrorCode::RouteNotFound,
            "metrics are off: set OKNO_METRICS_TOKEN to read them".into(),
        ));
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !presented.is_some_and(|p| crate::auth::tokens::hashes_match(p, expected)) {
        return Err(ApiError::Unauthenticated);
    }
    let (connections, idle) = state.db.pool_state();
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(connections, idle)))
}
