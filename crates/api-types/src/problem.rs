//! Errors as RFC 9457 problem details (`application/problem+json`) with a stable `code`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use okno_domain::validation::{FieldError, FieldErrorCode};

/// Every error the API answers with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` plus `code` for most.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code; clients branch on this, never on `title` or `detail`.
    pub code: ErrorCode,
    /// For `validation_failed`: what is wrong with which field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request id, also in the `x-request-id` header and the server's logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For `version_conflict`: the record as it is now, so the client can show the fresh data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}

impl Problem {
    pub fn field_error(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.code.as_str())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        for error in &self.errors {
            write!(f, "; {}: {}", error.field, error.message)?;
        }
        Ok(())
    }
}

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal ),+ $(,)?) => {
        /// Stable error codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )+
            /// A code this client does not know yet.
            #[serde(other)]
            Unknown,
        }

        impl ErrorCode {
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    /// The request body or parameters break a rule; `errors` names the fields.
    ValidationFailed = "validation_failed",
    /// The body is not JSON at all.
    MalformedRequest = "malformed_request",
    /// The body is not `application/json`.
    UnsupportedMediaType = "unsupported_media_type",
    /// The body is larger than the server accepts.
    PayloadTooLarge = "payload_too_large",
    /// No credentials were presented.
    Unauthorized = "unauthorized",
    /// The token is malformed, forged, of another issuer or audience, or revoked.
    InvalidToken = "invalid_token",
    /// The access token has expired; refresh it.
    TokenExpired = "token_expired",
    /// The principal lacks the permission the endpoint requires.
    Forbidden = "forbidden",
    /// Wrong username or password.
    InvalidCredentials = "invalid_credentials",
    /// Too many failed logins for this username; try again after `Retry-After` seconds.
    LoginLocked = "login_locked",
    /// Too many requests of this kind from this address (password resets); try again after
    /// `Retry-After` seconds.
    TooManyRequests = "too_many_requests",
    /// The refresh token is unknown, expired or belongs to a closed session.
    InvalidRefreshToken = "invalid_refresh_token",
    /// A refresh token was used twice; the session has been revoked.
    RefreshTokenReused = "refresh_token_reused",
    /// The record was changed by someone else; `current` holds the fresh record.
    VersionConflict = "version_conflict",
    /// The username is already taken.
    UsernameTaken = "username_taken",
    /// A sales point with that code exists.
    SalesPointCodeTaken = "sales_point_code_taken",
    /// A topic with that code exists.
    TopicCodeTaken = "topic_code_taken",
    /// Another department has this code.
    DepartmentCodeTaken = "department_code_taken",
    /// The customer has this consent already.
    ConsentAlreadyGranted = "consent_already_granted",
    /// The consent has been withdrawn already.
    ConsentAlreadyWithdrawn = "consent_already_withdrawn",
    /// The API key has been revoked already.
    ApiKeyAlreadyRevoked = "api_key_already_revoked",
    /// Account number and activation code do not match an open activation.
    InvalidActivationCode = "invalid_activation_code",
    /// The cabinet account is active already; log in instead.
    CabinetAlreadyActive = "cabinet_already_active",
    /// A tariff with that code exists.
    TariffCodeTaken = "tariff_code_taken",
    /// A product with that code exists.
    ProductCodeTaken = "product_code_taken",
    /// A registered customer is probably the one being registered (`check_duplicates`);
    /// `detail` names them, `POST /customer-duplicates` lists them with the reasons.
    PossibleDuplicate = "possible_duplicate",
    /// A usage record or meter reading is older than the operator accepts late usage
    /// (`OKNO_LATE_USAGE_DAYS`, 90 days by default); `errors` name the records.
    UsageTooOld = "usage_too_old",
    /// The contract's state does not allow the action; `detail` names the state.
    IllegalTransition = "illegal_transition",
    /// The customer may not withdraw (not a consumer, no ground, or the period is over).
    WithdrawalNotAllowed = "withdrawal_not_allowed",
    /// The request was decided already.
    RequestAlreadyDecided = "request_already_decided",
    /// A payment with this bank or gateway reference is registered already; `current`
    /// holds it.
    PaymentAlreadyRegistered = "payment_already_registered",
    /// The `Idempotency-Key` was used with another request; `detail` names what differs.
    IdempotencyKeyReused = "idempotency_key_reused",
    /// The payment has been reversed already.
    PaymentAlreadyReversed = "payment_already_reversed",
    /// Cash is taken into a till: open one first (`POST /tills`).
    TillNotOpen = "till_not_open",
    /// The cashier has a till open already; `detail` names it.
    TillAlreadyOpen = "till_already_open",
    /// The till is closed already.
    TillAlreadyClosed = "till_already_closed",
    /// The bank statement cannot be read; `detail` names the line and what is wrong, and
    /// nothing of it was imported.
    StatementMalformed = "statement_malformed",
    /// The statement line was matched or assigned already.
    LineAlreadyAssigned = "line_already_assigned",
    /// No card has this code; wrong codes are counted and slowed down like passwords.
    InvalidCardCode = "invalid_card_code",
    /// The card was redeemed already.
    CardAlreadyRedeemed = "card_already_redeemed",
    /// The card's last day has passed.
    CardExpired = "card_expired",
    /// Online payments are not offered: no payment gateway is configured.
    OnlinePaymentsOff = "online_payments_off",
    /// Nothing of the invoice is left to pay.
    NothingToPay = "nothing_to_pay",
    /// The payment gateway could not be reached or refused to open the payment; nothing
    /// was charged. Retry shortly.
    GatewayUnavailable = "gateway_unavailable",
    /// The gateway's notification is not signed with the webhook secret, or the signature
    /// is older than the tolerance; nothing was done.
    InvalidSignature = "invalid_signature",
    /// The complaint is decided (by a person or by the clock): it cannot be decided again.
    ComplaintAlreadyDecided = "complaint_already_decided",
    /// The technician's slot is booked already (or was just booked by someone else).
    SlotTaken = "slot_taken",
    /// The incident is resolved or dismissed: nothing more can be done with it.
    IncidentClosed = "incident_closed",
    /// The script walk is finished, or the step does not fit the node it waits at.
    ScriptRunFinished = "script_run_finished",
    CustomerNotFound = "customer_not_found",
    /// No such ticket (or not one of the subscriber's).
    TicketNotFound = "ticket_not_found",
    AttachmentNotFound = "attachment_not_found",
    DepartmentNotFound = "department_not_found",
    ScriptNotFound = "script_not_found",
    ScriptRunNotFound = "script_run_not_found",
    IncidentNotFound = "incident_not_found",
    SlotNotFound = "slot_not_found",
    VisitNotFound = "visit_not_found",
    ArticleNotFound = "article_not_found",
    /// No such complaint (or not one of the subscriber's).
    ComplaintNotFound = "complaint_not_found",
    /// No such preventive measure.
    MeasureNotFound = "measure_not_found",
    OnlinePaymentNotFound = "online_payment_not_found",
    InvoiceNotFound = "invoice_not_found",
    PaymentNotFound = "payment_not_found",
    TillNotFound = "till_not_found",
    PaymentImportNotFound = "payment_import_not_found",
    ImportLineNotFound = "import_line_not_found",
    MeterNotFound = "meter_not_found",
    BillingRunNotFound = "billing_run_not_found",
    TariffNotFound = "tariff_not_found",
    ContractNotFound = "contract_not_found",
    SubscriptionNotFound = "subscription_not_found",
    DocumentNotFound = "document_not_found",
    BenefitNotFound = "benefit_not_found",
    RequestNotFound = "request_not_found",
    UserNotFound = "user_not_found",
    SalesPointNotFound = "sales_point_not_found",
    TopicNotFound = "topic_not_found",
    ConsentNotFound = "consent_not_found",
    ApiKeyNotFound = "api_key_not_found",
    MessageNotFound = "message_not_found",
    /// No template of this event, channel and language (one of them is not known).
    TemplateNotFound = "template_not_found",
    /// The e-mail address is not flagged as bouncing.
    EmailBounceNotFound = "email_bounce_not_found",
    /// A record the request names does not exist.
    RecordNotFound = "record_not_found",
    /// No such path.
    RouteNotFound = "route_not_found",
    /// The path exists, but not with this method; `Allow` lists the methods it has.
    MethodNotAllowed = "method_not_allowed",
    /// The database is unreachable or busy; retry.
    ServiceUnavailable = "service_unavailable",
    /// A fault on our side; the request id leads to the log.
    InternalError = "internal_error",
}
