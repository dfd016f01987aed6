//! The OpenAPI 3.1 document, generated from the handlers' annotations. `okno openapi` prints
//! it, `/api/openapi.json` serves it, and `openapi/openapi.json` is its committed snapshot.

use std::collections::BTreeMap;

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
use utoipa_actix_web::{AppExt, scope};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Okno API",
        description = "Customer service for local operators: customers, consents, contacts, \
                       contracts, billing. Errors are RFC 9457 problem details with a stable `code`. \
                       Each operation names the permission it needs in `x-okno-permission` \
                       (`public` and `authenticated` need none).",
        license(name = "AGPL-3.0-or-later"),
    ),
    components(schemas(
        okno_api_types::Problem,
        okno_api_types::ErrorCode,
        okno_api_types::FieldError,
        okno_api_types::FieldErrorCode,
    )),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Sign-in, tokens, the current principal"),
        (name = "users", description = "Staff accounts"),
        (name = "api-keys", description = "Credentials for integrations"),
        (name = "reference", description = "Sales points and contact topics"),
        (name = "customers", description = "Customers: search, card, changes"),
        (name = "consents", description = "Consents and their withdrawal"),
        (name = "interactions", description = "Contacts with customers and the timeline"),
        (name = "disclosures", description = "Disclosures of data to third parties"),
        (name = "payments", description = "Payments: registered once, allocated oldest first, reversed"),
        (name = "notifications", description = "Messages to customers: the outbox"),
        (name = "complaints", description = "Complaints and their legal clock: register, decisions, compensation, monitoring"),
        (name = "tickets", description = "Technical problems: tickets and their SLA, departments, diagnostic scripts, outages, technician visits"),
        (name = "knowledge", description = "The knowledge base and the public FAQ"),
        (name = "cabinet", description = "The subscriber's self-service cabinet"),
        (name = "audit", description = "Audit of access to personal data"),
        (name = "health", description = "Liveness, readiness, metrics"),
    ),
)]
struct ApiDoc;

/// The whole document: the operations collected from the same route table the server runs.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope("/api/v1").configure(routes::api))
        .configure(routes::infrastructure)
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT or okno_ API key")
                .build(),
        ),
    );
    add_problem_responses(&mut api);
    allow_empty_query_values(&mut api);
    close_tagged_request_bodies(&mut api, CLOSED_TAGGED_REQUEST_BODIES);
    api
}

/// Request bodies that are internally tagged enums refusing unknown fields
/// (`#[serde(tag = .., deny_unknown_fields)]`).
const CLOSED_TAGGED_REQUEST_BODIES: &[&str] = &["NewOnlinePayment"];

/// utoipa writes `additionalProperties: false` for a struct that denies unknown fields but
/// not for the variants of such an enum, so the document would let clients send fields the
/// server refuses (422 `unknown_field`). Each inline variant of the named schemas is closed
/// here; the tag is among its own properties, so closing it refuses nothing valid.
fn close_tagged_request_bodies(api: &mut utoipa::openapi::OpenApi, names: &[&str]) {
    use utoipa::openapi::schema::{AdditionalProperties, Schema};
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for name in names {
        let Some(RefOr::T(Schema::OneOf(union))) = components.schemas.get_mut(*name) else {
            continue;
        };
        for variant in &mut union.items {
            if let RefOr::T(Schema::Object(object)) = variant {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// A query parameter given empty (`?cursor=`) counts as absent (`extract::parse_query`), so
/// every optional one says `allowEmptyValue`. utoipa has no field for it; the parameter's
/// extensions are written into it as they are.
fn allow_empty_query_values(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::Required;
    use utoipa::openapi::path::ParameterIn;
    for item in api.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && parameter.parameter_in == ParameterIn::Query
                    && parameter.required == Required::False
                {
                    parameter
                        .extensions
                        .get_or_insert_with(Default::default)
                        .insert("allowEmptyValue".into(), serde_json::Value::Bool(true));
                }
            }
        }
    }
}

/// The problem answers every operation can give, declared once here rather than in each
/// handler's annotation, and each error answer typed `application/problem+json`, as it is
/// sent: 400/413/415 for a body that is not JSON, too large or of another type; 401 and 403
/// for operations that need credentials or a permission; 404 for a record named in the
/// path; 422 for a parameter or field that breaks a rule; 503 when the database is busy.
fn add_problem_responses(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        let api_operation = path.starts_with("/api/v1/");
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let permission = operation
                .extensions
                .as_ref()
                .and_then(|e| e.get("x-okno-permission"))
                .and_then(|v| v.as_str())
                .unwrap_or("public")
                .to_owned();
            let has_body = operation.request_body.is_some();
            let responses = &mut operation.responses.responses;
            retype_errors(responses);
            describe(responses);
            let mut add = |status: &str, description: String| {
                responses
                    .entry(status.into())
                    .or_insert_with(|| RefOr::T(problem(description)));
            };
            if has_body {
                add("400", "The body is not JSON".into());
                add("413", "The body is larger than the server accepts".into());
                add("415", "The body is not `application/json`".into());
            }
            if permission != "public" {
                add("401", "Missing, invalid or expired credentials".into());
            }
            if permission != "public" && permission != "authenticated" {
                add(
                    "403",
                    format!("The principal lacks the `{permission}` permission"),
                );
            }
            if path.contains('{') {
                add("404", "No such record".into());
            }
            if api_operation {
                add(
                    "422",
                    "A parameter or field breaks a rule; `errors` names each".into(),
                );
                add("503", "The database is unavailable or busy; retry".into());
            }
        }
    }
}

fn problem(description: String) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", problem_content())
        .build()
}

fn problem_content() -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            "Problem",
        ))))
        .build()
}

/// OpenAPI requires each response to say what it is; the annotations leave most to their
/// status.
fn describe(responses: &mut BTreeMap<String, RefOr<utoipa::openapi::Response>>) {
    for (status, response) in responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            response.description = match status.as_str() {
                "200" => "OK",
                "201" => "Created",
                "202" => "Accepted",
                "204" => "Done; nothing to answer",
                "401" => "Missing, invalid or expired credentials",
                "403" => "Not allowed",
                "404" => "No such record",
                "409" => "A conflict with the record's state or with another change",
                "422" => "A parameter or field breaks a rule; `errors` names each",
                "429" => "Too many attempts; retry after `Retry-After` seconds",
                "503" => "Unavailable; retry after `Retry-After` seconds",
                _ => "See the problem's `code`",
            }
            .into();
        }
    }
}

/// Error answers are sent as `application/problem+json`; the annotations say `body = Problem`,
/// which utoipa declares as `application/json`.
fn retype_errors(responses: &mut BTreeMap<String, RefOr<utoipa::openapi::Response>>) {
    for (status, response) in responses.iter_mut() {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(response)) = (is_error, response)
            && response.content.shift_remove("application/json").is_some()
        {
            response.content.insert(
                "application/problem+json".into(),
                RefOr::T(problem_content()),
            );
        }
    }
}

/// The document as committed in `openapi/openapi.json`.
pub fn spec_json() -> String {
    let mut text = spec().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

/// The API's routes as the document lists them: to tell a path that exists with other
/// methods (405, with `Allow`) from one that does not (404), and to refuse query parameters
/// an operation does not have, on every operation alike.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

#[derive(Debug, Clone)]
struct Route {
    segments: Vec<String>,
    method: &'static str,
    query: Vec<String>,
    /// Open to anyone (`x-okno-permission: public`).
    public: bool,
}

impl Route {
    fn matches(&self, path: &[String]) -> bool {
        self.segments.len() == path.len()
            && self
                .segments
                .iter()
                .zip(path)
                .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
    }
}

impl RouteTable {
    pub fn of(api: &utoipa::openapi::OpenApi) -> Self {
        let mut routes = Vec::new();
        for (path, item) in &api.paths.paths {
            for (method, operation) in [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ] {
                let Some(operation) = operation else {
                    continue;
                };
                let query = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        RefOr::T(p) => Some(p),
                        RefOr::Ref(_) => None,
                    })
                    .filter(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
                    .map(|p| p.name.clone())
                    .collect();
                let public = operation
                    .extensions
                    .as_ref()
                    .and_then(|e| e.get("x-okno-permission"))
                    .and_then(|v| v.as_str())
                    .is_none_or(|permission| permission == "public");
                routes.push(Route {
                    segments: segments(path),
                    method,
                    query,
                    public,
                });
            }
        }
        Self { routes }
    }

    /// The methods `path` answers to, if it is a route of the API.
    pub fn methods_of(&self, path: &str) -> Option<Vec<&'static str>> {
        let path = segments(path);
        let mut methods: Vec<&'static str> = self
            .routes
            .iter()
            .filter(|route| route.matches(&path))
            .map(|route| route.method)
            .collect();
        methods.sort_unstable();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }

    fn route(&self, method: &str, path: &str) -> Option<&Route> {
        let path = segments(path);
        self.routes
            .iter()
            .find(|route| route.method == method && route.matches(&path))
    }

    /// Whether the operation at `method` and `path` is open to anyone.
    pub fn is_public(&self, method: &str, path: &str) -> bool {
        self.route(method, path).is_some_and(|route| route.public)
    }

    /// The first query parameter that the operation at `method` and `path` does not have.
    pub fn unknown_parameter(&self, method: &str, path: &str, query: &str) -> Option<String> {
        let route = self.route(method, path)?;
        form_urlencoded::parse(query.as_bytes())
            .map(|(name, _)| name)
            .find(|name| !route.query.iter().any(|known| known == name))
            .map(|name| name.into_owned())
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variants_of_a_closed_tagged_body_refuse_other_fields() {
        let spec = serde_json::to_value(spec()).unwrap_or_default();
        let variants = spec
            .pointer("/components/schemas/NewOnlinePayment/oneOf")
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default();
        assert_eq!(variants.len(), 2);
        for variant in variants {
            assert_eq!(
                variant["additionalProperties"],
                serde_json::Value::Bool(false)
            );
        }
    }

    #[test]
    fn a_path_of_the_api_knows_its_methods() {
        let routes = RouteTable::of(&spec());
        assert_eq!(
            routes.methods_of("/api/v1/customers/17"),
            Some(vec!["GET", "PATCH"])
        );
        assert_eq!(
            routes.methods_of("/api/v1/customers"),
            Some(vec!["GET", "POST"])
        );
        assert_eq!(routes.methods_of("/api/v1/customers/17/nothing"), None);
        assert_eq!(routes.methods_of("/api/v1/customers//consents"), None);
    }

    #[test]
    fn an_operation_knows_its_query_parameters() {
        let routes = RouteTable::of(&spec());
        assert_eq!(
            routes.unknown_parameter("GET", "/api/v1/customers", "q=kowal&limit=5"),
            None
        );
        assert_eq!(
            routes.unknown_parameter("GET", "/api/v1/tariffs", "limit=1000000"),
            Some("limit".into())
        );
        assert_eq!(routes.unknown_parameter("GET", "/api/v1/tariffs", ""), None);
        assert_eq!(
            routes.unknown_parameter("GET", "/api/v1/nothing", "a=1"),
            None
        );
    }
}
