//! The one place where failures become HTTP answers: RFC 9457 problem details with a stable
//! `code` (`application/problem+json`). Handlers return `Result<_, ApiError>` and never build
//! an error body themselves.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use okno_api_types::{ErrorCode, FieldError, FieldErrorCode, Permission, Problem};
use okno_db::DbError;
use okno_domain::contracts::{ChangeRefused, IllegalTransition, NoNotice, WithdrawalRefused};
use okno_domain::validation::Invalid;

use crate::request_context;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("the body must be application/json")]
    UnsupportedMediaType,
    #[error("the body exceeds {0} bytes")]
    PayloadTooLarge(usize),
    #[error("no credentials presented")]
    Unauthenticated,
    #[error("invalid token: {0}")]
    InvalidToken(&'static str),
    #[error("the access token has expired")]
    TokenExpired,
    #[error("requires the {0} permission")]
    Forbidden(Permission),
    /// The principal holds the permission, but not for this record.
    #[error("{0}")]
    ForbiddenRecord(String),
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed logins; retry in {retry_after_seconds} s")]
    LoginLocked { retry_after_seconds: i64 },
    #[error("too many requests; retry in {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: i64 },
    #[error("the refresh token is not valid")]
    InvalidRefreshToken,
    #[error("a spent refresh token was presented; the session is revoked")]
    RefreshTokenReused,
    #[error("{1}")]
    NotFound(ErrorCode, String),
    /// The path is a route of the API, but not with this method; the ones it has.
    #[error("this path answers to {}", .0.join(", "))]
    MethodNotAllowed(Vec<&'static str>),
    #[error("the record was changed by someone else")]
    VersionConflict(Option<serde_json::Value>),
    #[error("{1}")]
    Conflict(ErrorCode, String, Vec<FieldError>),
    /// A rule refused the request as a whole, with its own code; `errors` name the fields.
    #[error("{1}")]
    Refused(ErrorCode, String, Vec<FieldError>),
    /// A payment gateway's notification not believed; the header it is about, if one.
    #[error("{0}")]
    BadSignature(String, Option<&'static str>),
    /// The payment gateway failed us.
    #[error("{0}")]
    BadGateway(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// One invalid field.
    pub fn field(
        field: impl Into<String>,
        code: FieldErrorCode,
        message: impl std::fmt::Display,
    ) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn not_found(code: ErrorCode, what: impl std::fmt::Display) -> Self {
        Self::NotFound(code, format!("{what} not found"))
    }

    fn code(&self) -> ErrorCode {
        match self {
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::Malformed(_) => ErrorCode::MalformedRequest,
            Self::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::Unauthenticated => ErrorCode::Unauthorized,
            Self::InvalidToken(_) => ErrorCode::InvalidToken,
            Self::TokenExpired => ErrorCode::TokenExpired,
            Self::Forbidden(_) | Self::ForbiddenRecord(_) => ErrorCode::Forbidden,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::LoginLocked { .. } => ErrorCode::LoginLocked,
            Self::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            Self::InvalidRefreshToken => ErrorCode::InvalidRefreshToken,
            Self::RefreshTokenReused => ErrorCode::RefreshTokenReused,
            Self::NotFound(code, _) | Self::Conflict(code, _, _) | Self::Refused(code, _, _) => {
                *code
            }
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::VersionConflict(_) => ErrorCode::VersionConflict,
            Self::BadSignature(..) => ErrorCode::InvalidSignature,
            Self::BadGateway(_) => ErrorCode::GatewayUnavailable,
            Self::Unavailable(_) => ErrorCode::ServiceUnavailable,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::Validation(_) | Self::Refused(..) => "The request breaks a rule",
            Self::Malformed(_) => "The request is not valid JSON",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::PayloadTooLarge(_) => "The request is too large",
            Self::Unauthenticated | Self::InvalidToken(_) | Self::TokenExpired => {
                "Authentication required"
            }
            Self::Forbidden(_) | Self::ForbiddenRecord(_) => "Not allowed",
            Self::InvalidCredentials => "Wrong username or password",
            Self::LoginLocked { .. } => "Too many failed logins",
            Self::TooManyRequests { .. } => "Too many requests",
            Self::InvalidRefreshToken | Self::RefreshTokenReused => "The session has ended",
            Self::NotFound(..) => "Not found",
            Self::MethodNotAllowed(_) => "Method not allowed",
            Self::VersionConflict(_) => "Changed by someone else",
            Self::Conflict(..) => "Conflict",
            Self::BadSignature(..) => "The notification is not signed by the gateway",
            Self::BadGateway(_) => "The payment gateway is unavailable",
            Self::Unavailable(_) => "Service unavailable",
            Self::Internal(_) => "Internal error",
        }
    }

    /// What the client is told. Internal details stay in the log.
    fn detail(&self) -> Option<String> {
        match self {
            Self::Validation(_) => None,
            Self::Internal(_) => {
                Some("an unexpected error occurred; the request id leads to the log".into())
            }
            Self::Unavailable(_) => {
                Some("the database is unavailable or busy; retry shortly".into())
            }
            other => Some(other.to_string()),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (errors, current) = match self {
            Self::Validation(errors)
            | Self::Conflict(_, _, errors)
            | Self::Refused(_, _, errors) => (errors.clone(), None),
            Self::VersionConflict(current) => (Vec::new(), current.clone()),
            Self::BadSignature(message, Some(header)) => (
                vec![FieldError::new(
                    *header,
                    FieldErrorCode::InvalidValue,
                    message,
                )],
                None,
            ),
            _ => (Vec::new(), None),
        };
        Problem {
            type_uri: "about:blank".into(),
            title: self.title().into(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code(),
            errors,
            instance: request_context::current_request_id(),
            current,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::Refused(..) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Malformed(_) | Self::BadSignature(..) => StatusCode::BAD_REQUEST,
            Self::BadGateway(_) => StatusCode::BAD_GATEWAY,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthenticated
            | Self::InvalidToken(_)
            | Self::TokenExpired
            | Self::InvalidCredentials
            | Self::InvalidRefreshToken
            | Self::RefreshTokenReused => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::ForbiddenRecord(_) => StatusCode::FORBIDDEN,
            Self::LoginLocked { .. } | Self::TooManyRequests { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::NotFound(..) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::VersionConflict(_) | Self::Conflict(..) => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(message) => tracing::error!(error = %message, "request failed"),
            Self::Unavailable(message) => tracing::warn!(error = %message, "database unavailable"),
            Self::BadGateway(message) => tracing::warn!(error = %message, "payment gateway failed"),
            Self::BadSignature(message, _) => {
                tracing::warn!(error = %message, "gateway notification refused");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        match self {
            Self::LoginLocked {
                retry_after_seconds,
            }
            | Self::TooManyRequests {
                retry_after_seconds,
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            Self::Unauthenticated | Self::InvalidToken(_) | Self::TokenExpired => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"okno\""));
            }
            Self::MethodNotAllowed(allow) => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.to_problem()).unwrap_or_default())
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => Self::NotFound(
                ErrorCode::RecordNotFound,
                "the record does not exist".into(),
            ),
            DbError::Stale => Self::VersionConflict(None),
            DbError::Duplicate(field) => Self::Conflict(
                ErrorCode::ValidationFailed,
                format!("{field} is already taken"),
                vec![FieldError::new(
                    field,
                    FieldErrorCode::Taken,
                    "is already taken",
                )],
            ),
            DbError::MissingReference(message) => {
                Self::field("", FieldErrorCode::UnknownReference, message)
            }
            DbError::Unavailable(message) => Self::Unavailable(message),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// Sums are checked before anything is issued, so one that does not fit afterwards is a
/// fault of ours.
impl From<okno_domain::money::AmountTooLarge> for ApiError {
    fn from(error: okno_domain::money::AmountTooLarge) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<Invalid> for ApiError {
    fn from(Invalid(errors): Invalid) -> Self {
        Self::Validation(errors)
    }
}

/// an action the contract's state does not allow.
impl From<IllegalTransition> for ApiError {
    fn from(error: IllegalTransition) -> Self {
        Self::Conflict(ErrorCode::IllegalTransition, error.to_string(), Vec::new())
    }
}

/// A change the contract's state does not allow.
impl From<ChangeRefused> for ApiError {
    fn from(error: ChangeRefused) -> Self {
        Self::Conflict(ErrorCode::IllegalTransition, error.to_string(), Vec::new())
    }
}

/// no notice of termination to withdraw.
impl From<NoNotice> for ApiError {
    fn from(error: NoNotice) -> Self {
        Self::Conflict(ErrorCode::IllegalTransition, error.to_string(), Vec::new())
    }
}

/// the customer may not withdraw.
impl From<WithdrawalRefused> for ApiError {
    fn from(error: WithdrawalRefused) -> Self {
        Self::Conflict(
            ErrorCode::WithdrawalNotAllowed,
            error.to_string(),
            Vec::new(),
        )
    }
}

/// a status change the ticket's state does not allow.
impl From<okno_domain::tickets::IllegalTicketTransition> for ApiError {
    fn from(error: okno_domain::tickets::IllegalTicketTransition) -> Self {
        Self::Conflict(ErrorCode::IllegalTransition, error.to_string(), Vec::new())
    }
}

/// a step the script walk cannot take.
impl From<okno_domain::tickets::scripts::WalkError> for ApiError {
    fn from(error: okno_domain::tickets::scripts::WalkError) -> Self {
        use okno_domain::tickets::scripts::WalkError;
        match error {
            WalkError::NoSuchAnswer(_) | WalkError::AnswerNeeded | WalkError::NoAnswerTaken => {
                Self::field("answer", FieldErrorCode::InvalidValue, error)
            }
            WalkError::Finished => {
                Self::Conflict(ErrorCode::ScriptRunFinished, error.to_string(), Vec::new())
            }
            // A stored version was checked when saved: one that fails now is our fault.
            WalkError::UnknownNode(_) | WalkError::Loop => Self::Internal(error.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::Internal(error.to_string())
    }
}

/// Turns the database's "no such row" into the entity's own not-found answer.
pub trait NotFoundExt<T> {
    fn or_not_found(self, code: ErrorCode, what: impl std::fmt::Display) -> ApiResult<T>;
}

impl<T> NotFoundExt<T> for Result<T, DbError> {
    fn or_not_found(self, code: ErrorCode, what: impl std::fmt::Display) -> ApiResult<T> {
        self.map_err(|error| match error {
            DbError::NotFound => ApiError::not_found(code, what),
            other => other.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_errors_answer_with_what_went_wrong() {
        let missing = ApiError::from(DbError::NotFound).to_problem();
        assert_eq!(
            (missing.status, missing.code),
            (404, ErrorCode::RecordNotFound)
        );
        let lost = ApiError::from(DbError::Unavailable("connection reset".into()));
        assert_eq!(lost.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        let stale = ApiError::from(DbError::Stale).to_problem();
        assert_eq!(
            (stale.status, stale.code),
            (409, ErrorCode::VersionConflict)
        );
    }

    #[test]
    fn the_domains_refusals_are_conflicts_naming_the_state() {
        use okno_domain::contracts::{ContractAction, ContractChange, ContractStatus};
        let illegal = ApiError::from(IllegalTransition {
            current: ContractStatus::Terminated,
            action: ContractAction::Resume,
        })
        .to_problem();
        assert_eq!(
            (illegal.status, illegal.code),
            (409, ErrorCode::IllegalTransition)
        );
        assert_eq!(
            illegal.detail.as_deref(),
            Some("a terminated contract cannot be resumed")
        );
        let refused = ContractStatus::Withdrawn
            .allows(ContractChange::Terms)
            .map_err(ApiError::from)
            .map_err(|e| e.to_problem().code);
        assert_eq!(refused, Err(ErrorCode::IllegalTransition));
        let late = ApiError::from(WithdrawalRefused::NotAConsumer).to_problem();
        assert_eq!(
            (late.status, late.code),
            (409, ErrorCode::WithdrawalNotAllowed)
        );
    }
}
