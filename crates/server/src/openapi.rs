//! The OpenAPI 3.1 document, generated from the handlers' annotations. `okno openapi` prints
//! it, `/api/openapi.json` serves it, and `openapi/openapi.json` is its committed snapshot.

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
    add_auth_failures(&mut api);
    api
}

/// Every protected operation can answer 401 and 403; say so once here instead of in each
/// handler's annotation.
fn add_auth_failures(api: &mut utoipa::openapi::OpenApi) {
    let problem = || {
        ResponseBuilder::new().content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "Problem",
                ))))
                .build(),
        )
    };
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
            let permission = operation
                .extensions
                .as_ref()
                .and_then(|e| e.get("x-okno-permission"))
                .and_then(|v| v.as_str())
                .unwrap_or("public")
                .to_owned();
            if permission == "public" {
                continue;
            }
            let responses = &mut operation.responses.responses;
            responses.entry("401".into()).or_insert_with(|| {
                RefOr::T(
                    problem()
                        .description("Missing, invalid or expired credentials")
                        .build(),
                )
            });
            if permission != "authenticated" {
                responses.entry("403".into()).or_insert_with(|| {
                    RefOr::T(
                        problem()
                            .description(format!(
                                "The principal lacks the `{permission}` permission"
                            ))
                            .build(),
                    )
                });
            }
        }
    }
}

/// The document as committed in `openapi/openapi.json`.
pub fn spec_json() -> String {
    let mut text = spec().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
