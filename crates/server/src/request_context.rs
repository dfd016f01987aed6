//! Per-request context: a request id that follows the request through logs, problem bodies
//! and the `x-request-id` header, a tracing span, and the request metrics.

use std::net::IpAddr;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, web};
use rand::Rng;
use tracing::Instrument;

use crate::metrics::Metrics;
use crate::state::AppState;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Proxies in front of the server whose forwarding headers are believed.
fn trusted_proxies(req: &HttpRequest) -> &[IpAddr] {
    req.app_data::<web::Data<AppState>>()
        .map(|state| state.settings.trusted_proxies.as_slice())
        .unwrap_or_default()
}

fn from_trusted_proxy(req: &HttpRequest) -> bool {
    let trusted = trusted_proxies(req);
    req.peer_addr()
        .is_some_and(|peer| trusted.contains(&peer.ip()))
}

/// The client's address: the connection's peer, or, when the peer is a trusted proxy, the
/// nearest address it says it forwarded for (the last one in `X-Forwarded-For` that is not
/// itself a trusted proxy). A header from anyone else is ignored: it is whatever the client
/// wrote.
pub fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !from_trusted_proxy(req) {
        return Some(peer);
    }
    let trusted = trusted_proxies(req);
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|address| address.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|address| !trusted.contains(address))
            .unwrap_or(peer),
    )
}

/// Whether a trusted proxy says the client came over HTTPS (`X-Forwarded-Proto`).
pub fn forwarded_over_https(req: &HttpRequest) -> bool {
    from_trusted_proxy(req)
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The client's `User-Agent`, as sessions record it.
pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Keeps an id a trusted proxy in front of us assigned, if it is a sane one; makes one
/// otherwise (a client's own id would land in the audit log).
fn request_id_for(req: &ServiceRequest) -> String {
    let incoming = Some(req.request())
        .filter(|req| from_trusted_proxy(req))
        .and_then(|req| req.headers().get(REQUEST_ID_HEADER))
        .and_then(|value| value.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= 64)
        .filter(|id| {
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    match incoming {
        Some(id) => id.to_owned(),
        None => format!("{:016x}", rand::rng().random::<u64>()),
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let request_id = request_id_for(&req);
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, path = %path);
    let started = Instant::now();

    let result = REQUEST_ID
        .scope(request_id.clone(), next.call(req).instrument(span.clone()))
        .await;

    let mut response = result?;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    // API answers carry personal data: no cache may keep them.
    if path.starts_with("/api/v1/") && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(metrics) = metrics {
        metrics.observe_request(&method, &route, status, elapsed);
    }
    span.in_scope(|| {
        tracing::info!(status, route = %route, elapsed_ms = elapsed.as_secs_f64() * 1000.0, "handled");
    });
    Ok(response)
}
