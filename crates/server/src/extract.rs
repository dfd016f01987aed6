//! Request extractors that answer bad input with a problem naming the field: JSON bodies and
//! query strings are read through `serde_path_to_error`, so `phones[1].value` or `limit` is
//! named instead of "invalid type at line 1 column 57".

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use okno_api_types::FieldError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;
use okno_domain::validation::FieldErrorCode;

/// A JSON request body. Refuses other content types, bodies over the configured size, and
/// (through the request types' `deny_unknown_fields`) fields the API does not know.
///
/// Extraction itself never fails: the outcome is kept and handed over by
/// [`Json::into_inner`]. actix runs a handler's extractors side by side, so a failing body
/// would otherwise race the permission check, and a caller without the permission could learn
/// what the endpoint accepts. Handlers take the body only after `Authorized` has succeeded.
#[derive(Debug)]
pub struct Json<T>(Result<T, ApiError>);

impl<T> Json<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let content_type = req.content_type();
    content_type == "application/json" || content_type.ends_with("+json")
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        json_body(req, payload, body_limit(req), Json)
    }
}

/// A [`Json`] body for bulk uploads (a batch of usage records), allowed
/// [`BULK_BODY_FACTOR`] times the configured body size.
#[derive(Debug)]
pub struct BulkJson<T>(Result<T, ApiError>);

/// 10 000 usage records take up to about 4 MiB; other bodies stay within the usual limit.
pub const BULK_BODY_FACTOR: usize = 8;

impl<T> BulkJson<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for BulkJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = body_limit(req).saturating_mul(BULK_BODY_FACTOR);
        json_body(req, payload, limit, BulkJson)
    }
}

fn body_limit(req: &HttpRequest) -> usize {
    req.app_data::<web::Data<AppState>>()
        .map_or(1024 * 1024, |state| state.settings.max_body_bytes)
}

fn json_body<T: DeserializeOwned + 'static, E: 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
    wrap: fn(Result<T, ApiError>) -> E,
) -> LocalBoxFuture<'static, Result<E, ApiError>> {
    let json = is_json(req);
    let mut payload = payload.take();
    Box::pin(async move {
        let document = read_body(json, limit, &mut payload).await;
        Ok(wrap(document.and_then(parse_document)))
    })
}

/// Like [`Json`], but an empty body (no content type) or `null` stands for `T::default()`:
/// for actions whose body is all optional, such as signing a contract.
#[derive(Debug)]
pub struct JsonOrEmpty<T>(Result<T, ApiError>);

impl<T> JsonOrEmpty<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + Default + 'static> FromRequest for JsonOrEmpty<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let empty = req.content_type().is_empty()
            && req
                .headers()
                .get(actix_web::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .is_none_or(|length| length == "0");
        let json = is_json(req);
        let limit = body_limit(req);
        let mut payload = payload.take();
        Box::pin(async move {
            if empty {
                return Ok(Self(Ok(T::default())));
            }
            let document = read_body(json, limit, &mut payload).await;
            Ok(Self(document.and_then(|document| match document {
                serde_json::Value::Null => Ok(T::default()),
                other => parse_document(other),
            })))
        })
    }
}

/// JSON does not tell `1` from `1.0` (nor does JSON Schema's `integer`); the API has no
/// fractional numbers, so a whole number written either way is read as the integer.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            let whole = number.as_f64().filter(|f| {
                number.is_f64() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0
            });
            #[expect(clippy::cast_possible_truncation, reason = "a whole number below 2^53")]
            if let Some(whole) = whole {
                *number = serde_json::Number::from(whole as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// The body as a JSON document, within the size limit.
async fn read_body(
    json: bool,
    limit: usize,
    payload: &mut Payload,
) -> Result<serde_json::Value, ApiError> {
    if !json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::Malformed(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    read_document(&body)
}

/// Parses a JSON document into `T`, naming the offending field on failure. The body is read
/// as JSON first, so that only a document that is not JSON at all is malformed (400); a
/// value of the wrong type anywhere in it is a field error (422), and a body that is not an
/// object (`[null, null]`) is refused rather than read as the struct's fields in order.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    parse_document(read_document(body)?)
}

fn read_document(body: &[u8]) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::Malformed(e.to_string()))
}

fn parse_document<T: DeserializeOwned>(mut document: serde_json::Value) -> Result<T, ApiError> {
    whole_numbers_as_integers(&mut document);
    if !document.is_object() {
        return Err(ApiError::field(
            "body",
            FieldErrorCode::InvalidType,
            "must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(document).map_err(|error| {
        let path = error.path().to_string();
        ApiError::Validation(vec![field_error(&path, &error.into_inner().to_string())])
    })
}

/// Turns serde's message into a field error: the field itself for unknown and missing fields
/// (serde names them in the message, under the parent's path), the path otherwise.
fn field_error(path: &str, message: &str) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or(message);
    let parent = if path == "." { "" } else { path };
    let join = |name: &str| {
        if parent.is_empty() {
            name.to_owned()
        } else {
            format!("{parent}.{name}")
        }
    };
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(name) = quoted("unknown field `") {
        // serde_path_to_error already points at the unknown field itself.
        let field = if parent == name || parent.ends_with(&format!(".{name}")) {
            parent.to_owned()
        } else {
            join(&name)
        };
        return FieldError::new(
            field,
            FieldErrorCode::UnknownField,
            "is not a field of this request",
        );
    }
    if let Some(name) = quoted("missing field `") {
        return FieldError::new(join(&name), FieldErrorCode::Required, "is required");
    }
    let code = if message.starts_with("invalid type") {
        FieldErrorCode::InvalidType
    } else {
        FieldErrorCode::InvalidValue
    };
    let field = if parent.is_empty() { "body" } else { parent };
    FieldError::new(field, code, message)
}

/// Query parameters, with the parameter named when one is malformed or unknown. Like [`Json`],
/// the outcome is handed over after the permission check.
#[derive(Debug)]
pub struct Query<T>(Result<T, ApiError>);

impl<T> Query<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Query(parse_query(req.query_string()))))
    }
}

/// `7.0` or `-3.00`: a whole number written with a fraction, as JSON Schema's `integer`
/// allows; the integer it is (`7`), else `None`.
fn whole_number(text: &str) -> Option<&str> {
    let (whole, fraction) = text.split_once('.')?;
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    let is_whole = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b == b'0');
    is_whole.then_some(whole)
}

/// Reads a query string into `T`. A parameter given empty (`?cursor=`) counts as absent. A
/// whole number written with a fraction (`?customer_id=7.0`) is read as the integer when the
/// query does not read as written: text parameters keep what was typed.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let given: Vec<(String, String)> = url_form(query)
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let as_written = read_query(&given);
    if as_written.is_ok() || !given.iter().any(|(_, v)| whole_number(v).is_some()) {
        return as_written;
    }
    let integers: Vec<(String, String)> = given
        .iter()
        .map(|(name, value)| {
            let value = whole_number(value).unwrap_or(value);
            (name.clone(), value.to_owned())
        })
        .collect();
    read_query(&integers).or(as_written)
}

fn read_query<T: DeserializeOwned>(given: &[(String, String)]) -> Result<T, ApiError> {
    let encoded =
        serde_urlencoded::to_string(given).map_err(|e| ApiError::Malformed(e.to_string()))?;
    let deserializer = serde_urlencoded::Deserializer::new(url_form(&encoded));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        let mut field = field_error(&path, &message);
        if field.field == "body" {
            field.field = "query".into();
        }
        ApiError::Validation(vec![field])
    })
}

fn url_form(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// A query parameter the operation does not have, refused with 422. Operations that read a
/// query refuse unknown parameters while reading it too; this covers the others.
pub fn unknown_parameter(req: &HttpRequest) -> Option<ApiError> {
    let routes = req.app_data::<web::Data<crate::openapi::RouteTable>>()?;
    let name = routes.unknown_parameter(req.method().as_str(), req.path(), req.query_string())?;
    Some(ApiError::field(
        name,
        FieldErrorCode::UnknownField,
        "is not a parameter of this operation",
    ))
}

/// Refuses unknown query parameters of public operations. Operations that need credentials
/// refuse them once the credentials and the permission are checked (`Authorized`), so that a
/// caller without them learns nothing of the parameters.
pub async fn refuse_unknown_parameters(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody + 'static>,
    actix_web::Error,
> {
    let public = req
        .app_data::<web::Data<crate::openapi::RouteTable>>()
        .is_some_and(|routes| routes.is_public(req.method().as_str(), req.path()));
    if public && let Some(error) = unknown_parameter(req.request()) {
        return Ok(req.error_response(error).map_into_right_body());
    }
    next.call(req).await.map(|res| res.map_into_left_body())
}

/// A path segment that is a whole number written with a fraction (`/customers/7.0`, which
/// JSON Schema's `integer` allows) is read as the integer: the request is routed as
/// `/customers/7`.
pub async fn whole_numbers_in_path(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let path = req.path();
    if path
        .split('/')
        .any(|segment| whole_number(segment).is_some())
    {
        let rewritten: Vec<&str> = path
            .split('/')
            .map(|segment| whole_number(segment).unwrap_or(segment))
            .collect();
        let mut target = rewritten.join("/");
        if !req.query_string().is_empty() {
            target = format!("{target}?{}", req.query_string());
        }
        let mut parts = req.head().uri.clone().into_parts();
        if let Ok(path_and_query) = target.parse() {
            parts.path_and_query = Some(path_and_query);
            if let Ok(uri) = actix_web::http::Uri::from_parts(parts) {
                req.match_info_mut().get_mut().update(&uri);
                req.head_mut().uri = uri;
            }
        }
    }
    next.call(req).await
}

/// Path parameters that do not parse (`/customers/abc`) are a validation error of the path.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _| {
        ApiError::field(
            "path",
            FieldErrorCode::InvalidType,
            format!("the path is malformed: {error}"),
        )
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_api_types::customers::NewCustomer;
    use okno_api_types::users::UserQuery;

    fn validation(error: ApiError) -> Vec<FieldError> {
        match error {
            ApiError::Validation(errors) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn names_unknown_missing_and_mistyped_fields() {
        let unknown = validation(
            parse_json::<NewCustomer>(br#"{"kind":"person","nickname":"x"}"#).unwrap_err(),
        );
        assert_eq!(unknown[0].field, "nickname");
        assert_eq!(unknown[0].code, FieldErrorCode::UnknownField);

        let missing =
            validation(parse_json::<NewCustomer>(br#"{"first_name":"Anna"}"#).unwrap_err());
        assert_eq!(missing[0].field, "kind");
        assert_eq!(missing[0].code, FieldErrorCode::Required);

        let nested = validation(
            parse_json::<NewCustomer>(br#"{"kind":"person","phones":[{"value":"1"},{"value":5}]}"#)
                .unwrap_err(),
        );
        assert_eq!(nested[0].field, "phones[1].value");
        assert_eq!(nested[0].code, FieldErrorCode::InvalidType);

        let bad_enum = validation(parse_json::<NewCustomer>(br#"{"kind":"alien"}"#).unwrap_err());
        assert_eq!(bad_enum[0].field, "kind");
        assert_eq!(bad_enum[0].code, FieldErrorCode::InvalidValue);
    }

    #[test]
    fn a_value_of_the_wrong_type_is_a_field_error() {
        use okno_api_types::customers::GrantConsent;
        let errors = validation(
            parse_json::<GrantConsent>(br#"{"purpose":"marketing","channel":8371}"#).unwrap_err(),
        );
        assert_eq!(errors[0].field, "channel");
        assert_eq!(errors[0].code, FieldErrorCode::InvalidType);
        let too_big = validation(parse_json::<UserQuery>(br#"{"limit":1e30}"#).unwrap_err());
        assert_eq!(too_big[0].field, "limit");
    }

    #[test]
    fn a_whole_number_with_a_fraction_is_its_integer_and_nothing_else_is() {
        assert_eq!(whole_number("7.0"), Some("7"));
        assert_eq!(whole_number("-3.00"), Some("-3"));
        for text in ["7", "7.5", "7.", ".0", "-.0", "a.0", "1.0e3", "FV/2026/7.0"] {
            assert_eq!(whole_number(text), None, "{text}");
        }
        let query: UserQuery = parse_query("limit=20.0").unwrap();
        assert_eq!(query.limit, Some(20));
    }

    #[test]
    fn whole_numbers_are_integers_however_written_and_empty_parameters_absent() {
        let query: UserQuery = parse_json(br#"{"limit": 5.0, "active": true}"#).unwrap();
        assert_eq!(query.limit, Some(5));
        let half = validation(parse_json::<UserQuery>(br#"{"limit": 5.5}"#).unwrap_err());
        assert_eq!(half[0].field, "limit");
        let query: UserQuery = parse_query("limit=&cursor=&active=true").unwrap();
        assert_eq!(
            (query.limit, query.cursor, query.active),
            (None, None, Some(true))
        );
    }

    #[test]
    fn a_body_is_an_object() {
        use okno_api_types::tariffs::TariffPatch;
        for body in [&b"[null,null]"[..], b"null", b"17", b"\"x\""] {
            let errors = validation(parse_json::<TariffPatch>(body).unwrap_err());
            assert_eq!(
                (errors[0].field.as_str(), errors[0].code),
                ("body", FieldErrorCode::InvalidType)
            );
        }
    }

    #[test]
    fn broken_json_is_malformed_not_a_field_error() {
        assert!(matches!(
            parse_json::<NewCustomer>(b"{\"kind\":"),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            parse_json::<NewCustomer>(br#"{"kind":"person"} {}"#),
            Err(ApiError::Malformed(_))
        ));
    }

    #[test]
    fn names_the_bad_query_parameter() {
        let errors = validation(parse_query::<UserQuery>("limit=abc").unwrap_err());
        assert_eq!(errors[0].field, "limit");
        let unknown = validation(parse_query::<UserQuery>("colour=red").unwrap_err());
        assert_eq!(unknown[0].field, "colour");
        assert_eq!(
            parse_query::<UserQuery>("limit=5&active=true")
                .unwrap()
                .limit,
            Some(5)
        );
    }
}
